"""Page units: the pieces of a PDF's text that are analysed, one per text block, or one
per scanned page read by OCR; and their character boxes, read only when a unit gets a removal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pymupdf

from ...limits import OCR_MAX_PIXELS, check_time
from ...report import DEFAULT_LABEL, DetectorLike
from ...types import Finding
from ..image import OCR_UNAVAILABLE, Layout, ocr_available, ocr_layout
from .reading import (
    BlockPlace,
    block_layout,
    block_places,
    block_texts,
    page_blocks,
    page_layout,
    text_blocks,
    text_page,
)

# A page with images and fewer characters than this is treated as a scan and OCR'd.
SCAN_MAX_CHARS = 20
# A scanned page is rendered at this resolution for OCR (lower for huge pages: ocr_dpi).
OCR_DPI = 200

# A parsed page is kept for its character boxes up to this many pages (a few hundred kB
# each); a longer PDF parses a page again when it needs the boxes, to keep memory flat.
KEEP_PARSED_PAGES = 200


@dataclass
class PageUnit:
    """The text of one page, where it came from, and its character boxes."""

    index: int
    layout: Layout
    scanned: bool = False  # boxes are OCR pixels, not page points
    dpi: float = OCR_DPI  # of the OCR render, lower for huge pages (see ocr_dpi)
    base: int = 0  # where the block starts in the page's text (blocks joined by blank lines)
    block: int = 0  # the block's number on its page


def scanned(page: pymupdf.Page, blocks: Sequence[Layout], label: str = DEFAULT_LABEL) -> bool:
    """A page with pictures and almost no text of its own: read by OCR.

    Our own labels on removed regions do not count as the page's text: a scan with a few
    labelled boxes is still a scan, and its picture must still be read (rule 18).
    """
    chars = sum(
        len(b.text.replace(label, "").strip()) if label else len(b.text.strip()) for b in blocks
    )
    return chars < SCAN_MAX_CHARS and bool(page.get_images())


def ocr_dpi(page: pymupdf.Page) -> float:
    """The render resolution for OCR: :data:`OCR_DPI`, lowered so a huge page (a poster,
    or a hostile 14400 pt square) renders to at most :data:`~.limits.OCR_MAX_PIXELS`."""
    inches = max(1e-6, page.rect.width / 72) * max(1e-6, page.rect.height / 72)
    return min(float(OCR_DPI), (OCR_MAX_PIXELS / inches) ** 0.5)


def ocr_page(page: pymupdf.Page, dpi: float) -> Layout:
    from PIL import Image

    pix = page.get_pixmap(dpi=max(1, int(dpi)), colorspace=pymupdf.csGRAY)
    image = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    del pix  # the page's pixels once, not twice, while tesseract runs
    return ocr_layout(image)


def page_units(
    doc: pymupdf.Document,
    filename: str,
    warnings: list[str],
    parsed: dict[int, pymupdf.TextPage],
    label: str = DEFAULT_LABEL,
) -> list[PageUnit]:
    """Every text block of every page; a scanned page is one unit of OCR text. Each page's
    parsed text is left in ``parsed``, for its character boxes if it gets a redaction."""
    units: list[PageUnit] = []
    ocr = ocr_available()
    keep = doc.page_count <= KEEP_PARSED_PAGES
    for index, page in enumerate(doc.pages()):
        check_time()
        textpage = text_page(page)
        if keep:
            parsed[index] = textpage
        texts = block_texts(page, textpage)
        if scanned(page, [Layout(t) for t in texts], label):
            if ocr:
                dpi = ocr_dpi(page)
                units.append(PageUnit(index, ocr_page(page, dpi), scanned=True, dpi=dpi))
                continue
            warnings.append(f"{filename} page {index + 1}: {OCR_UNAVAILABLE}")
        units.extend(block_units(index, texts))
    return units


def block_units(index: int, texts: Sequence[str]) -> list[PageUnit]:
    units, base = [], 0
    for number, text in enumerate(texts):
        units.append(PageUnit(index, Layout(text), base=base, block=number))
        base += len(text) + 2
    return units


class CharBoxes:
    """Character boxes, read only for the blocks that get a removal, once per round.

    A page's text is parsed once per round (``parsed``, from :func:`page_units`, or parsed
    here for a long PDF, one page at a time); its blocks are located from ``dict`` and
    only a block with a finding is read with its boxes (:func:`.reading.block_layout`),
    the same text and boxes as the whole page's ``rawdict`` at a fraction of the cost.
    """

    def __init__(
        self,
        doc: pymupdf.Document,
        detector: DetectorLike,
        parsed: dict[int, pymupdf.TextPage] | None = None,
    ) -> None:
        self.doc = doc
        self.detector = detector
        self.parsed = parsed or {}  # text already parsed this round, by page index
        # by page: its text page, where its blocks are, MuPDF's blocks (valid with it)
        self.located: dict[int, tuple[pymupdf.TextPage, list[BlockPlace], list[Any]]] = {}
        self.whole: dict[int, list[Layout]] = {}  # pages read whole (a block not found)

    def fill(self, unit: PageUnit, findings: list[Finding]) -> list[Finding]:
        """Give ``unit`` its boxes; if the block reads differently, analyse that text."""
        if unit.scanned or unit.layout.boxes:
            return findings
        block = self._block(unit.index, unit.block)
        if block is not None and block.text == unit.layout.text:
            unit.layout = block
            return findings
        # The fast and the exact extraction disagree for this page: use the exact text.
        unit.layout = page_layout(self.doc[unit.index])
        unit.base = 0
        return self.detector.analyse_many([unit.layout.text])[0]

    def _block(self, index: int, number: int) -> Layout | None:
        """Block ``number`` of page ``index`` as :func:`.reading.page_blocks` reads it."""
        textpage, places, blocks = self._located(index)
        if index in self.whole:
            whole = self.whole[index]
            return whole[number] if number < len(whole) else None
        if number >= len(places):
            return None
        block = block_layout(textpage, blocks, places[number])
        if block is None:  # not as located: read the page whole, as before
            self.whole[index] = page_blocks(self.doc[index], textpage)
            return self._block(index, number)
        return block

    def _located(self, index: int) -> tuple[pymupdf.TextPage, list[BlockPlace], list[Any]]:
        if index not in self.located:
            textpage = self.parsed.get(index)
            if textpage is None:  # a long PDF's page: parsed here, kept while it is read
                for done in [i for i in self.located if i not in self.parsed]:
                    del self.located[done]
                textpage = text_page(self.doc[index])
            self.located[index] = (textpage, block_places(textpage), text_blocks(textpage))
        return self.located[index]
