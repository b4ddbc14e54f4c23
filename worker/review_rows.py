"""A render's schedule rows as the review workbench reads them (issue 8).

- :func:`carry_suggestions`: a suggestion the reviewer accepted stays the machine's
  (confirmed), not the reviewer's own addition, after the re-render.
- :func:`hold_for_review`: a document whose output the leak check could not settle
  (:class:`~pupil_privacy.redaction.document.NeedsReview`) is stored with its findings at
  their places, for the DPO to decide, instead of failing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .models import Redaction

#: The detector the engine names for a reviewer's own removals (``redaction.decided``).
REVIEWER = "reviewer"
#: The schedule action of a finding the leak check could not settle (not removed: the DPO
#: decides). Such a row never reaches a pack: its document is held until re-rendered clean.
UNSETTLED = "unsettled"
_RECT = re.compile(r"(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)")


def normalise(text: str) -> str:
    """A term as it is matched: any case, any run of white space (line breaks) as one space."""
    return re.sub(r"\s+", " ", text).strip().casefold()


@dataclass(frozen=True)
class MachineSuggestion:
    """A suggestion of the machine's from a document's last schedule (see
    :func:`carry_suggestions`)."""

    page: int | None
    text: str
    entity_type: str
    reason: str
    detector: str
    score: float


def machine_suggestions(rows: Iterable[Redaction]) -> list[MachineSuggestion]:
    """The machine's suggestions among a document's schedule rows, read before they are
    replaced by a new render's."""
    return [
        MachineSuggestion(r.page, normalise(r.text), r.entity_type, r.reason, r.detector, r.score)
        for r in rows
        if r.detector != REVIEWER and r.action in ("redact", "review")
    ]


def carry_suggestions(before: Sequence[MachineSuggestion], rows: Sequence[Redaction]) -> None:
    """A reviewer's removal of words the machine had suggested is the machine's suggestion
    confirmed, not an addition of the reviewer's: keep its detector and reason on the row.

    The engine reports every removal a reviewer's decision made as the reviewer's (its
    decided detector drops the machine's finding for the reviewer's own), so without this an
    accepted suggestion read as "added" after the re-render, and the schedule lost which
    detector had suggested it (rule 19). Matched by page and words, each suggestion once.
    """
    left = list(before)
    for row in rows:
        if row.detector != REVIEWER or row.action != "redact":
            continue
        key = (row.page, normalise(row.text))
        match = next((m for m in left if (m.page, m.text) == key), None)
        if match is None:
            continue
        left.remove(match)
        row.entity_type, row.reason = match.entity_type, match.reason
        row.detector, row.score = match.detector, match.score


# -- a document held for review -----------------------------------------------------------------


def unsettled_rows(document_id: int, findings: Iterable[Any]) -> list[Redaction]:
    """One schedule row per finding the leak check could not settle
    (:class:`~pupil_privacy.redaction.report.UnsettledFinding`), at its place.

    The words are third-party data, so they go in the schedule's encrypted ``text``; the
    place goes in ``reason`` as :func:`encode_rects` writes it (no new column: the boxes are
    only read back by the workbench, which outlines them on the held copy).
    """
    return [
        Redaction(
            document_id=document_id,
            page=f.page,
            offset=f.offset,
            text=f.text,
            entity_type=str(f.kind)[:60],
            reason=encode_rects(f.rects),
            detector=f"leak check: {f.source}"[:80],
            score=1.0,
            action=UNSETTLED,
        )
        for f in findings
    ]


def encode_rects(rects: Iterable[Sequence[float]]) -> str:
    """Boxes in PDF points as ``"at x0,y0,x1,y1 x0,y0,x1,y1"``: as many whole boxes as fit
    in the schedule's reason (80 characters; a name rarely spans more than two lines)."""
    out = "at"
    for rect in rects:
        part = " " + ",".join(f"{v:.1f}" for v in rect)
        if len(out) + len(part) > 80:
            break
        out += part
    return out if out != "at" else "no place on a page"


def decode_rects(reason: str) -> list[tuple[float, float, float, float]]:
    """The boxes :func:`encode_rects` wrote (none for any other reason)."""
    if not reason.startswith("at "):
        return []
    boxes = [_RECT.fullmatch(part) for part in reason[3:].split()]
    return [(float(m[1]), float(m[2]), float(m[3]), float(m[4])) for m in boxes if m]


def held(rows: Iterable[Redaction]) -> list[Redaction]:
    """A document's unsettled findings (empty unless it is held for review)."""
    return [r for r in rows if r.action == UNSETTLED]


def finding_decided(
    row: Redaction,
    terms: set[str],
    boxes: Sequence[tuple[int | None, Sequence[float]]],
    withheld_pages: set[int | None],
) -> bool:
    """Whether a reviewer decided an unsettled finding: a decision on words that holds it
    (or that it holds), a box over its place, or its page withheld. Deciding is not yet
    settling: the re-render shows whether the output is clean now."""
    if row.page is not None and row.page in withheld_pages:
        return True
    text = normalise(row.text)
    if any(term and (term in text or text in term) for term in terms):
        return True
    return any(
        page == row.page and _covers(rect, place)
        for page, rect in boxes
        for place in decode_rects(row.reason)
    )


def _covers(box: Sequence[float], place: Sequence[float]) -> bool:
    # The box holds the middle of the words' box: a hand-drawn box is never exact.
    mx, my = (place[0] + place[2]) / 2, (place[1] + place[3]) / 2
    return box[0] <= mx <= box[2] and box[1] <= my <= box[3]
