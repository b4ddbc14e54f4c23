"""What the leak check still found in an output PDF: removed in a further pass, or located
(boxes and offset on its page) for the DPO when it stays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import pymupdf

from ...report import RedactionRecord, record
from ...types import Finding
from ..image import ocr_available
from .reading import open_pdf, page_blocks, page_layout
from .removal import Marks, apply, finding_rects, mark
from .units import PageUnit, ocr_dpi, ocr_page, scanned

Rect = tuple[float, float, float, float]


@dataclass(frozen=True)
class PageFinding:
    """A finding in text read back from a page (see :func:`readback`), to remove or show.

    :param page: 0-based page index.
    :param text: the text the finding's offsets refer to: one block, or a scanned page's OCR.
    :param links: the finding is in the page's links (their targets), not its text.
    """

    page: int
    text: str
    finding: Finding
    links: bool = False


def _drop_links(page: pymupdf.Page, text: str) -> int:
    """Delete the page's links whose target holds ``text`` (a known third party's address)."""
    wanted = text.casefold()
    doomed = [link for link in page.get_links()
              if wanted in str(link.get("uri") or link.get("file") or "").casefold()]  # fmt: skip
    for link in doomed:
        page.delete_link(link)
    return len(doomed)


def _locate(doc: pymupdf.Document, found: PageFinding) -> tuple[PageUnit, Finding] | None:
    """The unit (with character boxes) holding ``found`` and the finding in its offsets.

    ``readback`` reads blocks with the fast extraction; the boxes come from ``rawdict``,
    whose block text is the same nearly always. Otherwise the text is looked for in the
    whole page's exact text. ``None`` when it is not on the page any more.
    """
    page = doc[found.page]
    blocks = page_blocks(page)
    if ocr_available() and scanned(page, blocks):
        dpi = ocr_dpi(page)
        layout = ocr_page(page, dpi)
        if layout.text == found.text:
            return PageUnit(found.page, layout, scanned=True, dpi=dpi), found.finding
        return None
    base = 0
    for number, block in enumerate(blocks):
        if block.text == found.text:
            return PageUnit(found.page, block, base=base, block=number), found.finding
        base += len(block.text) + 2
    whole = page_layout(page)
    at = whole.text.find(found.text)
    if at < 0:
        return None
    f = found.finding
    return PageUnit(found.page, whole), replace(f, start=f.start + at, end=f.end + at)


def remove_findings(
    data: bytes, filename: str, label: str, found: Sequence[PageFinding]
) -> tuple[bytes, list[RedactionRecord]]:
    """Remove each finding from an output PDF (a further pass after the leak check).

    :returns: the new bytes (``data`` itself when nothing could be located) and a schedule
        row per removal, with its page and its offset into the page's text.
    """
    if not found:
        return data, []
    doc = open_pdf(data, filename)
    try:
        records: list[RedactionRecord] = []
        labels: dict[int, Marks] = {}
        for item in found:
            if item.links:
                if _drop_links(doc[item.page], item.finding.text):
                    records.append(record(item.finding, f"{filename} (link)", page=item.page + 1))
                continue
            located = _locate(doc, item)
            if located is None:
                continue
            unit, finding = located
            page = doc[unit.index]
            if mark(page, unit, [finding], labels.setdefault(unit.index, Marks())):
                offset = unit.base + finding.start
                records.append(record(finding, filename, page=unit.index + 1, offset=offset))
        if not records:
            return data, []
        for index, marks in labels.items():
            apply(doc[index], marks, label)
        return doc.tobytes(garbage=4, deflate=True, clean=True), records
    finally:
        doc.close()


def locate_findings(
    data: bytes, filename: str, found: Sequence[PageFinding]
) -> list[tuple[tuple[Rect, ...], int | None]]:
    """Where each finding is on its page: boxes in points from the page's top-left corner,
    and the offset into the page's text (``((), None)`` when it cannot be found)."""
    if not found:
        return []
    doc = open_pdf(data, filename)
    try:
        out: list[tuple[tuple[Rect, ...], int | None]] = []
        for item in found:
            located = None if item.links else _locate(doc, item)
            if located is None:
                out.append(((), None))
                continue
            unit, finding = located
            rects = finding_rects(unit, doc[unit.index], finding)
            boxes = tuple((r.x0, r.y0, r.x1, r.y1) for r in rects)
            out.append((boxes, unit.base + finding.start))
        return out
    finally:
        doc.close()
