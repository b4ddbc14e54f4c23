"""Find the personal data in a text and decide, for each piece, whether it stays.

The pipeline for a batch of texts (pages, email bodies, table cells):

1. identical texts are analysed once (repeated headers, footers, quoted replies);
2. spaCy's NER runs over the batch in one ``nlp.pipe`` (two processes for big batches);
3. presidio's analyzer runs the identifier recognizers (:mod:`.recognizers`) and turns the
   NER's entities into results, using the precomputed NLP artifacts;
4. the roster (:mod:`.roster`) finds every known person and their identifiers;
5. context rules (:mod:`.context`) find people the NER missed, and identifying passages;
6. the policy (:mod:`.policy`) decides each finding; overlaps are resolved so a known
   person's exact match beats a guess, and what is left is sorted and non-overlapping.
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from presidio_analyzer import AnalyzerEngine, RecognizerResult

from . import policy as rules
from .context import find_identifying_context, find_people
from .engine import LANGUAGE, get_analyzer, lexicon, nlp_artifacts
from .roster import ENTITY_TYPES as ROSTER_ENTITY_TYPES
from .roster import NAME_KINDS, PARTIAL_NAME_KINDS, Kind, RosterIndex, RosterMatch, fold
from .types import Action, Finding, Person, Policy, Reason, Subject

#: Identifier entities from :mod:`.recognizers`; removed unless the roster says whose they are.
IDENTIFIER_ENTITIES = frozenset({
    "UK_UPN", "UK_ULN", "UK_NHS", "UK_NINO", "PHONE_NUMBER", "EMAIL_ADDRESS", "UK_POSTCODE",
    "STREET_ADDRESS", "DATE_OF_BIRTH",
})  # fmt: skip
CACHE_SIZE = 4096
#: Below this many characters in a batch, a second spaCy process costs more than it saves.
PARALLEL_MIN_CHARS = 200_000
_ORG_NAME_RE: re.Pattern[str] | None = None

# Ranks: lower wins an overlap. Exact knowledge beats pattern beats guess.
_RANK_ROSTER_EXACT = 0
_RANK_IDENTIFIER = 1
_RANK_PERSON_MULTI = 2
_RANK_ROSTER_PARTIAL = 3
_RANK_PERSON_SINGLE = 4
_RANK_REVIEW = 9


@dataclass(frozen=True)
class _Candidate:
    finding: Finding
    rank: int
    trimmable: bool  # may be cut around a better finding (guessed names, review passages)


class Detector:
    """Finds personal data for one subject access request and decides what stays.

    :param subject: the pupil the request is about (with the requester, if any).
    :param roster: everyone the MIS knows; the subject and requester may appear in it.
    :param policy: what to keep; the default follows rules 10-12.
    :param model: spaCy model for the NER (see :func:`.engine.get_analyzer`).
    """

    def __init__(
        self,
        subject: Subject,
        roster: Sequence[Person],
        policy: Policy | None = None,
        *,
        model: str | None = None,
    ) -> None:
        self.subject = subject
        self.roster = tuple(roster)
        self.policy = policy or Policy()
        self.model = model
        self.index = RosterIndex(subject, self.roster)
        self._keep_terms = {fold(t) for t in self.policy.extra.get("keep_terms", ())}
        self._cache: OrderedDict[str, tuple[Finding, ...]] = OrderedDict()

    @property
    def analyzer(self) -> AnalyzerEngine:
        return get_analyzer(self.model)

    def analyse(self, text: str) -> list[Finding]:
        """Every finding in ``text`` (KEEP, REDACT and REVIEW), sorted, non-overlapping."""
        return self.analyse_many([text])[0]

    def analyse_many(self, texts: Sequence[str]) -> list[list[Finding]]:
        """:meth:`analyse` for a batch: one ``nlp.pipe``, each distinct text analysed once."""
        done: dict[str, tuple[Finding, ...]] = {}
        todo = []
        for text in dict.fromkeys(texts):
            if text in self._cache:
                self._cache.move_to_end(text)
                done[text] = self._cache[text]
            elif not text.strip():
                done[text] = ()
            else:
                todo.append(text)
        if todo:
            analyzer = self.analyzer
            workers = _workers(todo)
            for text, artifacts in zip(todo, nlp_artifacts(analyzer, todo, workers), strict=True):
                results = analyzer.analyze(text, LANGUAGE, nlp_artifacts=artifacts)
                done[text] = tuple(self._decide(text, results))
                self._remember(text, done[text])
        return [list(done[text]) for text in texts]

    def redact_spans(self, text: str) -> list[Finding]:
        """Only the findings to remove (action REDACT)."""
        return [f for f in self.analyse(text) if f.action is Action.REDACT]

    def third_party_terms(self) -> list[str]:
        """Every known third-party identifier in the roster, for the leak check.

        Full names, "Title Surname" forms, emails, phones as the roster writes them, UPNs,
        addresses (whole and first line) and postcodes of everyone whose data is removed.
        Anything that is also a kept person's (the subject's, the requester's, a kept
        professional's) is left out, so the check never fires on the pupil's own data; so
        are the names of Role.OTHER people, who are kept or not depending on context.
        """
        return rules.third_party_terms(self.index, self.policy)

    # -- deciding ---------------------------------------------------------------------------

    def _remember(self, text: str, findings: tuple[Finding, ...]) -> None:
        self._cache[text] = findings
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)

    def _decide(self, text: str, results: list[RecognizerResult]) -> list[Finding]:
        matches = self.index.find(text)
        candidates = list(self._roster_candidates(text, matches))
        name_spans = [(m.start, m.end) for m in matches if m.kind in NAME_KINDS]
        candidates.extend(self._presidio_candidates(text, results, name_spans))
        candidates.extend(self._context_candidates(text, name_spans))
        findings = _resolve(candidates)
        findings = _review_shared_first_names(findings)
        return [f for f in findings if fold(f.text) not in self._keep_terms]

    def _roster_candidates(self, text: str, matches: list[RosterMatch]) -> Iterable[_Candidate]:
        present = {
            m.entries[0].party.index
            for m in matches
            if len(m.parties) == 1 and m.kind not in PARTIAL_NAME_KINDS
        }
        professional_here = _professionals_in_context(text, matches)
        for m in matches:
            if m.kind not in NAME_KINDS and _organisation_contact(text, m.start, m.end):
                continue
            action, reason, party = rules.decide_match(
                m, self.policy, present=present, professional_here=professional_here
            )
            exact = m.kind not in PARTIAL_NAME_KINDS or m.kind is Kind.TITLE_SURNAME
            finding = Finding(
                start=m.start,
                end=m.end,
                text=m.text,
                entity_type=ROSTER_ENTITY_TYPES.get(m.kind, "PERSON"),
                score=1.0 if exact else 0.7,
                detector="roster",
                action=action,
                reason=reason,
                person=party.name if party else None,
            )
            rank = _RANK_ROSTER_EXACT if exact else _RANK_ROSTER_PARTIAL
            yield _Candidate(finding, rank, trimmable=False)

    def _presidio_candidates(
        self, text: str, results: list[RecognizerResult], name_spans: list[tuple[int, int]]
    ) -> Iterable[_Candidate]:
        for r in results:
            detector = str((r.recognition_metadata or {}).get("recognizer_name", "presidio"))
            if r.entity_type == "PERSON":
                span = _clean_person(text, r.start, r.end)
                if span is None or _inside(span, name_spans):
                    continue
                yield _person(text, span, r.score, "spacy")
            elif r.entity_type in IDENTIFIER_ENTITIES:
                if _organisation_contact(text, r.start, r.end):
                    continue
                action, reason = rules.unattributed_identifier()
                finding = Finding(r.start, r.end, text[r.start : r.end], r.entity_type,
                                  round(r.score, 3), detector, action, reason)  # fmt: skip
                yield _Candidate(finding, _RANK_IDENTIFIER, trimmable=False)

    def _context_candidates(
        self, text: str, name_spans: list[tuple[int, int]]
    ) -> Iterable[_Candidate]:
        for hit in find_people(text):
            span = _clean_person(text, hit.start, hit.end)
            if span is not None and not _inside(span, name_spans):
                yield _person(text, span, hit.score, hit.detector)
        decision = rules.identifying_context(self.policy)
        if decision is not None:
            for hit in find_identifying_context(text):
                finding = Finding(hit.start, hit.end, hit.text, hit.entity_type, hit.score,
                                  hit.detector, *decision)  # fmt: skip
                yield _Candidate(finding, _RANK_REVIEW, trimmable=True)


def _workers(texts: list[str]) -> int:
    if (os.cpu_count() or 1) < 2 or len(texts) < 8:
        return 1
    return 2 if sum(len(t) for t in texts) >= PARALLEL_MIN_CHARS else 1


def _person(text: str, span: tuple[int, int], score: float, detector: str) -> _Candidate:
    start, end = span
    action, reason = rules.unknown_person()
    finding = Finding(start, end, text[start:end], "PERSON", round(score, 3), detector,
                      action, reason)  # fmt: skip
    multi = len(text[start:end].split()) > 1
    return _Candidate(finding, _RANK_PERSON_MULTI if multi else _RANK_PERSON_SINGLE, True)


def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in spans)


_PERSON_NOISE_RE = re.compile(r"[0-9@/\\|_=+*#<>{}\[\]]")


def _clean_person(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim an NER or context PERSON span to its name; ``None`` when it is not one."""
    value = text[start:end]
    value = re.sub(r"['’]s?$", "", value.rstrip(" .,;:!?)\n\t"))
    lead = len(value) - len(value.lstrip(" \t\n\"'(“‘"))
    value = value.strip(" \t\n\"'(“‘")
    start += lead
    if not value or _PERSON_NOISE_RE.search(value) or not any(c.isalpha() for c in value):
        return None
    words = lexicon()
    tokens = [fold(t).rstrip(".") for t in value.split()]
    if all(t in words["not_names"] or t in words["titles"] for t in tokens):
        return None
    if not any(c.isupper() for c in value) and len(tokens) == 1:
        return None
    return start, start + len(value)


def _professionals_in_context(text: str, matches: list[RosterMatch]) -> set[int]:
    """Role.OTHER parties this text shows acting as professionals (rule 11)."""
    pattern = _professional_re()
    found: set[int] = set()
    for m in matches:
        for party in m.parties:
            if party.standing == "other" and party.index not in found:
                window = text[max(0, m.start - 60) : m.end + 60]
                if pattern.search(window):
                    found.add(party.index)
    return found


def _professional_re() -> re.Pattern[str]:
    global _PROFESSIONAL_RE
    if _PROFESSIONAL_RE is None:
        words = sorted(lexicon()["professional_context"], key=len, reverse=True)
        titles = sorted(lexicon()["professional_titles"], key=len, reverse=True)
        alternation = "|".join(re.escape(w) for w in [*words, *titles])
        _PROFESSIONAL_RE = re.compile(rf"\b(?:{alternation})\b\.?", re.IGNORECASE)
    return _PROFESSIONAL_RE


_PROFESSIONAL_RE: re.Pattern[str] | None = None
_LABEL_WORDS = frozenset(
    "tel tel. telephone phone fax email e-mail web website t e f w m mob mobile office "  # noqa: SIM905
    "reception switchboard main address post postcode www".split()
)


def _organisation_contact(text: str, start: int, end: int) -> bool:
    """True for a letterhead-style contact: an organisation's name above or before it, and a
    line holding nothing but the contact and labels ("Tel:", "Email:")."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    rest = (text[line_start:start] + " " + text[end:line_end]).lower()
    words = re.findall(r"[a-z][a-z.\-]*", rest)
    if any(w.rstrip(".:") not in _LABEL_WORDS for w in words):
        return False
    window = text[max(0, line_start - 200) : line_start]
    return bool(_org_name_re().search(window))


def _org_name_re() -> re.Pattern[str]:
    global _ORG_NAME_RE
    if _ORG_NAME_RE is None:
        words = sorted(lexicon()["organisation_words"], key=len, reverse=True)
        alternation = "|".join(re.escape(w.title()) for w in words)
        _ORG_NAME_RE = re.compile(rf"(?:[A-Z][\w'’&.\-]*[ \t]+){{1,5}}(?:{alternation})\b")
    return _ORG_NAME_RE


def _resolve(candidates: list[_Candidate]) -> list[Finding]:
    """Keep the best finding wherever two overlap; cut guesses around better findings."""
    order = sorted(
        candidates,
        key=lambda c: (c.rank, -(c.finding.end - c.finding.start), -c.finding.score),
    )
    taken: list[tuple[int, int]] = []
    out: list[Finding] = []
    for cand in order:
        f = cand.finding
        clashes = [(s, e) for s, e in taken if s < f.end and f.start < e]
        if not clashes:
            taken.append((f.start, f.end))
            out.append(f)
        elif cand.trimmable:
            for piece in _uncovered(f, clashes):
                taken.append((piece.start, piece.end))
                out.append(piece)
    out.sort(key=lambda f: f.start)
    return out


def _uncovered(f: Finding, clashes: list[tuple[int, int]]) -> list[Finding]:
    """The parts of ``f`` outside ``clashes`` that still hold a word."""
    pieces = []
    cursor = f.start
    for s, e in sorted(clashes) + [(f.end, f.end)]:
        if s > cursor:
            raw = f.text[cursor - f.start : s - f.start]
            lead = len(raw) - len(raw.lstrip(" \t\n,.;:'’()-"))
            piece = raw.strip(" \t\n,.;:'’()-")
            if len(piece) >= 2 and (f.action is Action.REVIEW or piece[:1].isupper()):
                begin = cursor + lead
                pieces.append(_replace_span(f, begin, begin + len(piece), piece))
        cursor = max(cursor, e)
    return pieces


def _replace_span(f: Finding, start: int, end: int, text: str) -> Finding:
    return Finding(start, end, text, f.entity_type, f.score, f.detector, f.action, f.reason,
                   f.person)  # fmt: skip


def _review_shared_first_names(findings: list[Finding]) -> list[Finding]:
    """A kept lone first name that an unknown person in the same text also bears: REVIEW."""
    unknown_first = {
        fold(f.text.split()[0])
        for f in findings
        if f.reason is Reason.UNKNOWN_PERSON and len(f.text.split()) > 1
    }
    if not unknown_first:
        return findings
    out = []
    for f in findings:
        lone = f.action is Action.KEEP and f.entity_type == "PERSON" and " " not in f.text
        if lone and fold(f.text) in unknown_first and f.reason in (
            Reason.SUBJECT, Reason.REQUESTER
        ):  # fmt: skip
            f = Finding(f.start, f.end, f.text, f.entity_type, f.score, f.detector,
                        Action.REVIEW, Reason.UNKNOWN_PERSON, f.person)  # fmt: skip
        out.append(f)
    return out
