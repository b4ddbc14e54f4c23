"""Detection as a reviewer decided it: a person's ``keep`` and ``redact`` over the machine's.

A :class:`DecidedDetector` wraps the detector and changes what it reports, so every format
(text, EML, DOCX, PDF, images), the removal rounds and the leak check apply the same
decisions without knowing about them:

- ``keep``: a REDACT or REVIEW finding lying inside an occurrence of the kept text (any
  case, any whitespace or line break between words) becomes
  :attr:`.Action.KEPT_BY_REVIEWER`, which removal and the leak check ignore; the finding
  keeps the machine's reason and detector for the schedule. A finding that reaches beyond
  the kept text stays removed: keeping "Jake" never keeps "Jake Williams".
- ``redact``: every occurrence of the text (any case, across line breaks, hyphenated at a
  line end as "Ed-\\nit") becomes a REDACT finding, ``detector="reviewer"``, reason
  ``redacted-by-reviewer``; machine findings inside it give way to it, and so does the
  policy's KEEP (the reviewer's removal wins over, say, the pupil's own name).
- A text both kept and redacted is redacted: leaking a third party is the worse failure.

The term index the removal sweep and the leak check use (:meth:`DecidedDetector.term_index`)
leaves out known third-party terms inside kept text, and searches for every redacted text
like a known third party's name, so a removal that failed is caught in the output.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .decisions import Decisions, Keep, Redact
from .leakcheck import TermIndex, compile_terms, plain_letters
from .report import DecisionPlace, DecisionResult, DetectorLike, RedactionRecord, reread
from .types import Action, Finding, Reason

REVIEWER = "reviewer"
REVIEWER_ENTITY = "REVIEWER_TERM"
#: What the leak check calls a reviewer's redacted text still present.
REVIEWER_KIND = "text a reviewer redacted"
# Between two letters of a word: nothing, a soft hyphen, or a line end with or without a
# hyphen (PDF text is not de-hyphenated, so "Edit" can read "Ed-\nit").
_IN_WORD = r"(?:\u00ad|-?[ \t]*\r?\n[ \t]*)?"
_BETWEEN_WORDS = r"[\s\u00a0\u00ad]+"


def term_pattern(text: str) -> re.Pattern[str]:
    """A pattern for every occurrence of ``text``: any case, words separated by any
    whitespace (line breaks included), each word possibly hyphenated at a line end."""
    words = text.split()
    body = _BETWEEN_WORDS.join(_IN_WORD.join(re.escape(c) for c in word) for word in words)
    start = r"(?<!\w)" if re.match(r"\w", text.strip()) else ""
    end = r"(?!\w)" if re.search(r"\w$", text.strip()) else ""
    return re.compile(start + body + end, re.IGNORECASE)


def normal(text: str) -> str:
    """``text`` for comparison: case-folded, hyphens and line-end hyphenation dropped,
    whitespace collapsed ("Smith-\nJones", "smith-jones" and "SMITHJONES" compare equal)."""
    joined = re.sub(r"-[ \t]*\r?\n[ \t]*", "", text.replace("\u00ad", ""))
    return " ".join(joined.replace("-", "").split()).casefold()


def _spans(patterns: Sequence[re.Pattern[str]], text: str) -> list[tuple[int, int]]:
    """Every occurrence of any pattern, ligatures read as their letters; offsets in ``text``."""
    if not patterns:
        return []
    plain, where = plain_letters(text)
    found = [
        (m.start(), m.end()) for p in patterns for m in p.finditer(plain) if m.end() > m.start()
    ]
    if where is None:
        return found
    return [(where[s], where[e - 1] + 1) for s, e in found]


def _inside(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


@dataclass
class DecidedTermIndex(TermIndex):
    """The roster's third-party terms, minus those inside kept text, plus redacted texts."""

    keep: tuple[re.Pattern[str], ...] = ()
    redact: tuple[re.Pattern[str], ...] = ()
    own: tuple[re.Pattern[str], ...] = field(default=())  # our labels: never a leak

    def __len__(self) -> int:
        return super().__len__() + len(self.redact)

    def raw_view(self) -> TermIndex:
        """The index for raw file contents (XML parts, PDF objects): without the redacted
        texts. A reviewer may redact an ordinary word, and raw files are full of words
        that are syntax ("Body Text" is a Word style name, /Page a PDF key); the text a
        reader sees there is read back as places and searched with the full index."""
        return replace(self, redact=())

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        found = super().spans(text)
        own = _spans(self.own, text)
        redacted = [s for s in _spans(self.redact, text) if not _inside(*s, own)]
        if self.keep:
            kept = _spans(self.keep, text)
            found = [
                (s, e, kind)
                for s, e, kind in found
                if not _inside(s, e, kept) or _overlaps(s, e, redacted)
            ]
        found += [(s, e, REVIEWER_KIND) for s, e in redacted]
        return sorted(found)


class DecidedDetector:
    """A detector whose findings follow a reviewer's ``keep`` and ``redact`` decisions.

    :param inner: the detector (its analysis cache is shared: decisions are applied to
        its findings, never to its cache).
    :param label: the redaction label; a redacted text inside a label is ours, not data.
    """

    def __init__(self, inner: DetectorLike, decisions: Decisions, label: str) -> None:
        self.inner = inner
        self.policy = getattr(inner, "policy", None)
        self.decisions = decisions
        self.keep = tuple(term_pattern(k.text) for k in decisions.keep)
        self.redact = tuple(term_pattern(r.text) for r in decisions.redact)
        self.own = (re.compile(re.escape(f"[{label}]"), re.IGNORECASE),) if label else ()
        self._index: DecidedTermIndex | None = None

    def analyse_many(self, texts: Sequence[str], *, ner: bool = True) -> list[list[Finding]]:
        """The inner detector's findings with the decisions applied (see the module)."""
        # without the NER only when the inner detector has that option (see report.reread)
        found = self.inner.analyse_many(texts) if ner else reread(self.inner, texts)
        return [self.decide(text, findings) for text, findings in zip(texts, found, strict=True)]

    def third_party_terms(self) -> list[str]:
        return self.inner.third_party_terms()

    def term_index(self) -> TermIndex:
        """The index :func:`.leakcheck.terms_for` uses for this detector (built once)."""
        if self._index is None:
            base = compile_terms(self.inner.third_party_terms())
            self._index = DecidedTermIndex(
                base.by_first, base.phones, keep=self.keep, redact=self.redact, own=self.own
            )
        return self._index

    def decide(self, text: str, findings: Sequence[Finding]) -> list[Finding]:
        """Apply the decisions to one text's findings."""
        if not (self.keep or self.redact):
            return list(findings)
        own = _spans(self.own, text)
        redacted = [s for s in _spans(self.redact, text) if not _inside(*s, own)]
        kept = _spans(self.keep, text)
        out: list[Finding] = []
        for f in findings:
            if _inside(f.start, f.end, redacted):
                continue  # the reviewer's removal covers it (a flagged passage is decided)
            if (
                f.action in (Action.REDACT, Action.REVIEW)
                and _inside(f.start, f.end, kept)
                and not _overlaps(f.start, f.end, redacted)
            ):
                f = replace(f, action=Action.KEPT_BY_REVIEWER)
            out.append(f)
        out += [_reviewer_finding(text, s, e) for s, e in _merge(redacted)]
        return sorted(out, key=lambda f: (f.start, f.end))


def _merge(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def _reviewer_finding(text: str, start: int, end: int) -> Finding:
    return Finding(
        start, end, text[start:end], REVIEWER_ENTITY, 1.0, REVIEWER, Action.REDACT, Reason.REVIEWER
    )


_DECIDED: weakref.WeakKeyDictionary[Any, dict[tuple[Any, ...], DecidedDetector]] = (
    weakref.WeakKeyDictionary()
)


def decided_detector(detector: DetectorLike, decisions: Decisions, label: str) -> DetectorLike:
    """``detector`` with ``decisions``' keep and redact applied; ``detector`` itself when
    there are none. One wrapper per detector and decisions, so its term index is built once
    (a roster of thousands of terms) however many documents share the decisions."""
    if not (decisions.keep or decisions.redact or decisions.keep_boxes):
        return detector
    # keep boxes ride along for the face removal and the face leak check (issue 13)
    mine = Decisions(decisions.keep, decisions.redact, keep_boxes=decisions.keep_boxes)
    key = (decisions.keep, decisions.redact, decisions.keep_boxes, label)
    try:
        known = _DECIDED.setdefault(detector, {})
    except TypeError:  # not weak-referenceable (a test double): no cache
        return DecidedDetector(detector, mine, label)
    if key not in known:
        known[key] = DecidedDetector(detector, mine, label)
    return known[key]


def _place(r: RedactionRecord, *, machine: bool) -> DecisionPlace:
    return DecisionPlace(
        file=r.file,
        page=r.page,
        offset=r.offset,
        text=r.text,
        detector=r.detector if machine else REVIEWER,
        reason=r.reason,
    )


def keep_result(keep: Keep, kept: Sequence[RedactionRecord]) -> DecisionResult:
    """Where a keep overruled a suggestion (a kept record's text lies within the kept text)."""
    mine = normal(keep.text)
    places = tuple(_place(r, machine=True) for r in kept if normal(r.text) in mine)
    note = f"kept: {keep.reason}" if keep.reason else "kept by reviewer"
    if not places:
        note = "nothing to keep: no suggestion in this document lies within this text"
    return DecisionResult(keep, places, note)


def redact_result(redact: Redact, records: Sequence[RedactionRecord]) -> DecisionResult:
    """Where a redact removed its text: the reviewer's rows holding it (two redacted texts
    that overlap, "Kestrel" and "Kestrel Voss", are one row, listed for both)."""
    pattern = term_pattern(redact.text)
    places = tuple(
        _place(r, machine=False)
        for r in records
        if r.detector == REVIEWER and pattern.search(plain_letters(r.text)[0])
    )
    note = "redacted by reviewer" + (f": {redact.reason}" if redact.reason else "")
    if not places:
        note = "no occurrence of this text in this document"
    return DecisionResult(redact, places, note)


def term_results(
    decisions: Decisions, records: Sequence[RedactionRecord], kept: Sequence[RedactionRecord]
) -> list[DecisionResult]:
    """A result for every keep and redact decision of one document."""
    return [keep_result(k, kept) for k in decisions.keep] + [
        redact_result(r, records) for r in decisions.redact
    ]
