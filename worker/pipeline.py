"""The building blocks the RQ jobs run: who the request is about, redaction of one document,
the redaction seam, safe titles and the leak check of an assembled pack.

Nothing here talks to RQ; :mod:`.jobs` wraps these steps in jobs, and the offline
``pupil-privacy pack`` command reuses the pack-level ones.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pupil_privacy.redaction.leakcheck import TermIndex, compile_terms, find_terms
from pupil_privacy.redaction.report import DEFAULT_LABEL, DetectorLike, RedactionRecord
from pupil_privacy.redaction.types import Action, Person, Policy, Requester, Subject

from .mis import MISAdapter, MISRecord, RecordCategory
from .models import RightsRequest
from .pack import BuiltPack, page_texts
from .runtime import Settings

log = logging.getLogger(__name__)

#: A document ends in one of these; the pack is assembled when every document has.
TERMINAL = ("done", "failed", "withheld")


class RedactedLike(Protocol):
    """What the pipeline reads from :class:`pupil_privacy.redaction.document.RedactedDocument`."""

    content: bytes
    records: list[RedactionRecord]
    review: list[RedactionRecord]
    warnings: list[str]
    pages: int


class Redactor(Protocol):
    """The seam between the worker and ``pupil_privacy.redaction``; tests may swap it through
    ``Settings.extra["redactor"]`` (a controlled leak, a slow document)."""

    def detector(
        self, subject: Subject, roster: Sequence[Person], model: str | None
    ) -> DetectorLike: ...

    def redact(
        self, data: bytes, filename: str, detector: DetectorLike, *, max_bytes: int
    ) -> RedactedLike: ...


class PresidioRedactor:
    """The real thing: the roster-aware Presidio detector and true removal (rules 10-12, 18).

    :param policy: what to keep (default: rules 10-12).
    """

    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy

    def detector(
        self, subject: Subject, roster: Sequence[Person], model: str | None
    ) -> DetectorLike:
        from pupil_privacy.redaction.detect import Detector

        detector: DetectorLike = Detector(subject, roster, self.policy, model=model)
        return detector

    def redact(
        self, data: bytes, filename: str, detector: DetectorLike, *, max_bytes: int
    ) -> RedactedLike:
        from pupil_privacy.redaction.document import redact_document

        return redact_document(data, filename, detector, as_pdf=True, max_bytes=max_bytes)


def redactor_for(settings: Settings) -> Redactor:
    custom = settings.extra.get("redactor")
    return custom if custom is not None else PresidioRedactor()


def subject_for(mis: MISAdapter, req: RightsRequest) -> tuple[Subject, list[Person]]:
    """The pupil (from the MIS) with the requester attached, and the roster.

    The requester's own contact details, when the roster knows them, are attached so they are
    kept: they are the requester's to see. A pupil asking for their own data is both.
    """
    pupil = mis.pupil(req.pupil_id)
    if pupil is None:
        from pupil_privacy.redaction.errors import PupilPrivacyError

        raise PupilPrivacyError(f"{req.reference}: the MIS no longer knows pupil {req.pupil_id!r}")
    roster = list(mis.roster(req.pupil_id))
    me = next((p for p in roster if p.id and p.id == req.requester_user_id), None)
    user = mis.user(req.requester_user_id)
    requester = Requester(
        name=req.requester_name,
        relationship=req.requester_relationship,
        email=(me.email if me else None) or (user.email if user else None),
        phone=me.phone if me else None,
        address=me.address if me else None,
    )
    subject = Subject(
        id=pupil.id,
        name=pupil.name,
        preferred_name=pupil.preferred_name,
        aliases=tuple(pupil.aliases),
        date_of_birth=pupil.date_of_birth,
        upn=pupil.upn,
        address=pupil.address,
        email=pupil.email,
        requester=requester,
    )
    return subject, roster


def record_bytes(mis: MISAdapter, pupil_id: str, record: MISRecord) -> tuple[bytes, str]:
    """The bytes to redact and the file extension that says what they are.

    A text record becomes a small text file headed by its title, so the title is redacted
    with the body.
    """
    if record.is_file:
        assert record.filename is not None
        ext = Path(record.filename).suffix.lower() or ".bin"
        return mis.record_content(pupil_id, record.id), ext
    body = f"{record.title}\n\n{record.text or ''}\n"
    return body.encode("utf-8"), ".txt"


def find_record(mis: MISAdapter, pupil_id: str, record_id: str) -> MISRecord | None:
    return next((r for r in mis.records(pupil_id) if r.id == record_id), None)


def safe_filename(document_id: int | str, ext: str) -> str:
    """The name handed to redaction: never the MIS file name, which may name a third party."""
    return f"record-{document_id}{ext}"


def plain_reason(reason: str, filename: str) -> str:
    """A failure reason as the pack prints it: our generated file name reads as "the file"."""
    return reason.replace(filename, "the file").strip() or "unknown error"


def is_safeguarding(category: str) -> bool:
    """Safeguarding records go to the designated safeguarding lead before release (rule 14)."""
    return category == RecordCategory.SAFEGUARDING.value


@dataclass(frozen=True)
class TitleCleaner:
    """Clears third parties out of titles, authors and other metadata the pack prints
    (contents, bookmarks, exports): detection, then every known third-party term literally."""

    detector: DetectorLike
    terms: TermIndex
    label: str = DEFAULT_LABEL

    @classmethod
    def for_detector(cls, detector: DetectorLike) -> TitleCleaner:
        label = getattr(getattr(detector, "policy", None), "label", None) or DEFAULT_LABEL
        return cls(detector, compile_terms(detector.third_party_terms()), label)

    def clean(self, texts: Sequence[str]) -> list[str]:
        from pupil_privacy.redaction.formats.text import apply_spans

        results = self.detector.analyse_many(list(texts)) if any(texts) else [[] for _ in texts]
        cleaned: list[str] = []
        for text, findings in zip(texts, results, strict=True):
            spans = [(f.start, f.end) for f in findings if f.action != Action.KEEP]
            spans += [(start, end) for start, end, _ in self.terms.spans(text)]
            cleaned.append(apply_spans(text, spans, self.label) if spans else text)
        return cleaned


@dataclass
class PackLeaks:
    """Where an assembled pack still holds a known third party's identifier."""

    documents: dict[str, list[str]]  # placement ref -> kinds found
    front_matter: list[str]  # cover letter / contents pages

    def __bool__(self) -> bool:
        return bool(self.documents or self.front_matter)


def check_pack(built: BuiltPack, terms: TermIndex) -> PackLeaks:
    """Read the assembled pack back and look for every known third-party term (rule 18).

    Each document was leak-checked on its own; this second net covers what assembly adds
    (titles in the contents and bookmarks, the cover letter) and anything lost in copying.
    """
    leaks = PackLeaks({}, [])
    for number, text in enumerate(page_texts(built.path), start=1):
        kinds = find_terms(text, terms)
        if not kinds:
            continue
        owner = next((p for p in built.placements if p.first_page <= number <= p.last_page), None)
        if owner is None:
            leaks.front_matter += [f"page {number}: a known third party's {k}" for k in kinds]
        else:
            leaks.documents.setdefault(owner.ref, []).extend(kinds)
    return leaks
