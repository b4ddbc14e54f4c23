"""``make eval``, review section: what a DPO must touch per 100 pages (issue 8; lower is better).

Counted on the labelled corpus from the same marks detection's figures are scored on (each
contender's marks are recorded as the corpus table runs, not computed again):

- **false removals to keep**: a pupil's, staff member's or requester's identifier, or an
  ordinary word, that the contender removed (the DPO must "keep" it);
- **misses to redact**: a third party's identifier not wholly removed, or an identifying
  passage neither removed nor flagged (the DPO must find it and "redact" it);
- **flagged passages to decide**: every passage the contender flagged for review (rule 10).

Each is counted twice: once per occurrence, and once per decision, where a DPO's keep or
redact applies to every occurrence of the same text in the request (decisions propagate:
one per request and text, compared case-insensitively with whitespace collapsed; a corpus
case is one request). Pages are counted as the text removal counts them: 3,000 characters
a page, at least one per document.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from corpus import Doc, Marks, Tally

CHARS_PER_PAGE = 3000  # redaction/formats/text.py counts a text document's pages so

#: marks recorded per contender name, then per document id
RECORDED: dict[str, dict[str, Marks]] = {}


def recording(contender: Any) -> Any:
    """The contender with its ``marks`` recorded into :data:`RECORDED` as they are made."""
    seen = RECORDED.setdefault(contender.name, {})
    marks: Callable[[Doc], Marks] = contender.marks

    def record(doc: Doc) -> Marks:
        seen[doc.doc_id] = marks(doc)
        return seen[doc.doc_id]

    return dataclasses.replace(contender, marks=record)


def pages(doc: Doc) -> int:
    return max(1, -(-len(doc.text) // CHARS_PER_PAGE))


def _request(doc: Doc) -> str:
    return doc.doc_id.split("-", 1)[0]  # one corpus case: one pupil, one request


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class Load:
    """The touches of one kind: occurrences, and the decisions they take with propagation."""

    occurrences: int = 0
    decisions: set[tuple[str, str]] = field(default_factory=set)

    def add(self, doc: Doc, text: str) -> None:
        self.occurrences += 1
        self.decisions.add((_request(doc), _normal(text)))


@dataclass
class ReviewLoad:
    """What one contender leaves a DPO to do on a set of documents."""

    pages: int
    keep: Load = field(default_factory=Load)
    redact: Load = field(default_factory=Load)
    decide: Load = field(default_factory=Load)

    def per_100(self, count: int) -> float:
        return 100 * count / self.pages if self.pages else 0.0

    @property
    def kinds(self) -> tuple[Load, Load, Load]:
        return self.keep, self.redact, self.decide


def review_load(docs: Sequence[Doc], tally: Tally, marks: Mapping[str, Marks]) -> ReviewLoad:
    """Count a contender's work for the DPO from its scored tally and its recorded marks."""
    load = ReviewLoad(pages=sum(pages(d) for d in docs))
    for doc, span in tally.destroyed:
        load.keep.add(doc, span.text)
    for doc, start, end in tally.words_lost:
        load.keep.add(doc, doc.text[start:end])
    for doc, span in tally.missed:
        load.redact.add(doc, span.text)
    for doc, span in tally.unflagged:  # identifying context neither removed nor flagged
        if not _removed(marks.get(doc.doc_id), span.start, span.end):
            load.redact.add(doc, span.text)
    for doc in docs:
        flagged = marks.get(doc.doc_id, ((), ()))[1]
        for start, end in flagged:
            load.decide.add(doc, doc.text[start:end])
    return load


def _removed(marks: Marks | None, start: int, end: int) -> bool:
    removed: Iterable[tuple[int, int]] = marks[0] if marks else ()
    return any(s <= start and end <= e for s, e in removed)


def table(loads: Mapping[str, ReviewLoad], n_docs: int) -> str:
    """The review section as printed by ``make eval``."""
    names = list(loads)
    some = next(iter(loads.values()), None)
    pages_total = some.pages if some else 0
    out = [
        f"\n== Review load: what a DPO must touch per 100 pages (lower is better); "
        f"{n_docs} documents, {pages_total} pages ==",
        f"{'figure':46s}{'':8s}" + "".join(f"{n:>30s}" for n in names),
    ]
    rows = [("false removals to keep", 0), ("misses to redact", 1), ("flagged passages", 2)]
    for label, k in rows:
        line = f"{label:46s}{'':8s}"
        for name in names:
            part = loads[name].kinds[k]
            line += f"{f'{loads[name].per_100(part.occurrences):.1f} ({part.occurrences})':>30s}"
        out.append(line)
    totals = (("touches per 100 pages", False), ("  with decisions propagating", True))
    for label, per_decision in totals:
        line = f"{label:46s}{'':8s}"
        for name in names:
            load = loads[name]
            count = sum(len(p.decisions) if per_decision else p.occurrences for p in load.kinds)
            line += f"{f'{load.per_100(count):.1f} ({count})':>30s}"
        out.append(line)
    return "\n".join(out)


def report(results: Mapping[str, tuple[Tally, float]], docs: Sequence[Doc]) -> None:
    """Print the review section for every contender measured on ``docs``."""
    loads = {
        name: review_load(docs, tally, RECORDED.get(name, {}))
        for name, (tally, _) in results.items()
    }
    print(table(loads, len(docs)))
