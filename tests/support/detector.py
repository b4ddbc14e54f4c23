"""A spaCy-free detector for the tests that run the real worker: exact and predictable, so a
test can name what must be removed; removal, PDF output and the leak check stay the real ones."""

from __future__ import annotations

from typing import Any

from pupil_privacy.redaction.types import Action, Finding, Person, Policy, Reason, Role, Subject


class LiteralDetector:
    """A stand-in for the Presidio detector with exact, predictable detection: every known
    third party's name, alias, email, phone and UPN as the roster writes them (the pupil, the
    requester and staff acting in role are kept, rules 10-12). Removal, PDF output and the
    leak check stay the real ones from ``pupil_privacy.redaction.document``."""

    def __init__(self, subject: Subject, roster: list[Person], policy: Policy | None = None):
        self.policy = policy or Policy()
        self.subject = subject  # its MIS photo: the pupil's face is kept (issue 13)
        keep = {subject.name, *(subject.requester.name for _ in [0] if subject.requester)}
        terms: list[str] = []
        for person in roster:
            if person.name in keep or person.role is Role.STAFF:
                continue
            terms += [person.name, *person.aliases]
            terms += [t for t in (person.email, person.phone, person.upn, person.address) if t]
        self.terms = sorted(set(terms), key=len, reverse=True)

    def analyse_many(self, texts: list[str]) -> list[list[Finding]]:
        return [self._find(text) for text in texts]

    def _find(self, text: str) -> list[Finding]:
        found: list[Finding] = []
        lowered = text.lower()
        for term in self.terms:
            start = lowered.find(term.lower())
            while start >= 0:
                end = start + len(term)
                if not any(f.start < end and start < f.end for f in found):
                    found.append(
                        Finding(
                            start,
                            end,
                            text[start:end],
                            "PERSON",
                            1.0,
                            "roster",
                            Action.REDACT,
                            Reason.THIRD_PARTY,
                        )
                    )
                start = lowered.find(term.lower(), end)
        return sorted(found, key=lambda f: f.start)

    def third_party_terms(self) -> list[str]:
        return list(self.terms)


class LiteralRedactor:
    """The worker's redaction seam with :class:`LiteralDetector` and the real removal."""

    def detector(self, subject: Subject, roster: Any, model: str | None) -> LiteralDetector:
        return LiteralDetector(subject, list(roster))

    def redact(
        self, data: bytes, filename: str, detector: Any, *, max_bytes: int, decisions: Any = None
    ) -> Any:
        from pupil_privacy.redaction.document import redact_document

        return redact_document(
            data, filename, detector, as_pdf=True, max_bytes=max_bytes, decisions=decisions
        )
