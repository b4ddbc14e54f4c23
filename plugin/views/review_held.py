"""Where things are on a review page's images, as outlines in percent of the page (issue 8).

:func:`held_places`: on the redacted copy of a document the leak check held for review, each
finding it could not settle, at the place it stored (PDF points from the page's top-left).
"""

from __future__ import annotations

from dataclasses import dataclass

import pymupdf

from pupil_privacy.worker.models import RequestDocument
from pupil_privacy.worker.pack.storage import StorageError, read_document
from pupil_privacy.worker.review_rows import decode_rects, held

from ..runtime import runtime_for


@dataclass(frozen=True)
class Place:
    """An outline on a page: where a suggestion, a decision or a finding is, in percent."""

    left: float
    top: float
    width: float
    height: float
    state: str
    label: str
    row_id: int | None


def held_places(doc: RequestDocument, page: int) -> list[Place]:
    """The unsettled findings on ``page`` of the held copy (none for a document not held)."""
    rows = [r for r in held(doc.redactions) if r.page == page]
    if not rows:
        return []
    size = _page_size(doc, page)
    if size is None:
        return []
    w, h = size
    return [
        Place(
            100 * x0 / w,
            100 * y0 / h,
            100 * (x1 - x0) / w,
            100 * (y1 - y0) / h,
            "unsettled",
            f"{row.entity_type} · {row.detector}",
            row.id,
        )
        for row in rows
        for x0, y0, x1, y1 in decode_rects(row.reason)
    ]


def _page_size(doc: RequestDocument, page: int) -> tuple[float, float] | None:
    """The stored copy's page size in points (decrypted in memory, never written)."""
    try:
        data = read_document(runtime_for(), doc)
    except StorageError:
        return None
    try:
        with pymupdf.open(stream=data, filetype="pdf") as pdf:
            if not 1 <= page <= pdf.page_count:
                return None
            rect = pdf[page - 1].rect
            return float(rect.width), float(rect.height)
    except (RuntimeError, ValueError):
        return None
