"""Opening a PDF safely and reading its text: blocks with a box per character, or only
their text (five times faster), always with ligatures read as plain letters.

MuPDF's errors become document errors with a reason a DPO can act on; a repaired file says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pymupdf

from ...errors import CorruptDocument, DocumentError, DocumentTooLarge, EncryptedDocument
from ...limits import MAX_PAGES
from ..image import Box, Layout

# Keep off-page text in the extraction (no MEDIABOX_CLIP, an infinite clip): text placed
# outside the page is hidden from a reader but not from a tool, so it is redacted too.
_TEXT_FLAGS = 0

# What MuPDF raises on a damaged file: FzError* (not RuntimeErrors) from the C library,
# FileDataError (a RuntimeError) from PyMuPDF, ValueError for bad values it reads.
MUPDF_ERRORS = (pymupdf.mupdf.FzErrorBase, RuntimeError, ValueError)
REPAIRED = (
    "was damaged (truncated, or its index broken) and MuPDF repaired it: pages or text "
    "may be missing, so check the output against the original before release"
)


def open_pdf(data: bytes, filename: str, warnings: list[str] | None = None) -> pymupdf.Document:
    """Open PDF bytes, turning PyMuPDF failures into document errors with clear reasons.

    :param warnings: when given, a repaired file (truncated, broken index) adds a warning:
        MuPDF rebuilds what it can, and the rest of the record would be missing unseen.
    :raises CorruptDocument: unreadable or without pages.
    :raises EncryptedDocument: password-protected.
    :raises DocumentTooLarge: more than :data:`~.limits.MAX_PAGES` pages.
    """
    pymupdf.TOOLS.reset_mupdf_warnings()
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except MUPDF_ERRORS as exc:
        raise CorruptDocument(f"{filename} is damaged and cannot be read as a PDF") from exc
    try:
        _check_opened(doc, filename)
        if warnings is not None and (doc.is_repaired or "repair" in _mupdf_warnings()):
            warnings.append(f"{filename} {REPAIRED}")
    except MUPDF_ERRORS as exc:
        doc.close()
        raise CorruptDocument(f"{filename} is damaged and cannot be read as a PDF") from exc
    except DocumentError:
        doc.close()
        raise
    return doc


def _check_opened(doc: pymupdf.Document, filename: str) -> None:
    if doc.needs_pass or doc.is_encrypted:
        raise EncryptedDocument(f"{filename} is password-protected; ask for an unprotected copy")
    if doc.page_count == 0:
        raise CorruptDocument(f"{filename} has no pages")
    if doc.page_count > MAX_PAGES:
        raise DocumentTooLarge(
            f"{filename} has {doc.page_count} pages, over the limit of {MAX_PAGES}; split it"
        )


def _mupdf_warnings() -> str:
    text = pymupdf.TOOLS.mupdf_warnings()
    return text if isinstance(text, str) else ""


def text_page(page: pymupdf.Page) -> pymupdf.TextPage:
    """The page's text, parsed once for both extractions (blocks, then boxes when needed)."""
    return page.get_textpage(flags=_TEXT_FLAGS, clip=pymupdf.INFINITE_RECT())


def page_blocks(page: pymupdf.Page, textpage: pymupdf.TextPage | None = None) -> list[Layout]:
    """The text blocks of a page from ``rawdict``, each with a box per character.

    Blocks (paragraphs, more or less) are the units analysed: a block untouched by
    redaction reads back the same, so the re-check after redaction is a cache hit for it
    and only changed blocks are analysed again.

    MuPDF removes every glyph whose box touches a redaction, and a glyph's box runs from
    ascender to descender, taller than the line pitch of tightly set text. So on
    horizontal lines a character's box is its core band, from the baseline up 0.6 of the
    font size: it still touches every glyph of its own line and no neighbour's.
    """
    raw = (textpage or text_page(page)).extractRAWDICT()
    blocks: list[Layout] = []
    line_no = 0
    for block in raw["blocks"]:
        if block.get("type") != 0:
            continue
        layout = Layout("")
        chars: list[str] = []
        for line in block["lines"]:
            line_no += 1
            _add_line(chars, layout.boxes, line, line_no)
        if chars:
            layout.text = "".join(chars)
            blocks.append(layout)
    return blocks


def _add_line(
    chars: list[str], boxes: list[tuple[Box, int] | None], line: dict[str, Any], number: int
) -> None:
    """A ``rawdict`` line's characters and their boxes (see :func:`page_blocks`), after a
    line break when there are characters before it."""
    if chars:
        chars.append("\n")
        boxes.append(None)
    horizontal = abs(line["dir"][1]) < 1e-3
    for span in line["spans"]:
        # Comprehensions, not a loop per character: this runs over every glyph.
        band = 0.6 * span["size"]
        run = span["chars"]
        chars.extend([ch["c"] for ch in run])
        if horizontal and span["size"] > 0:
            boxes.extend(
                [
                    (
                        (ch["bbox"][0], ch["origin"][1] - band, ch["bbox"][2], ch["origin"][1]),
                        number,
                    )
                    for ch in run
                ]
            )
        else:
            boxes.extend([(tuple(ch["bbox"]), number) for ch in run])


@dataclass(frozen=True)
class BlockPlace:
    """Where a block of :func:`page_blocks` is in its text page: its position among all
    the page's blocks, its lines, and the page-wide number of its first line."""

    index: int
    lines: int
    first_line: int


def block_places(textpage: pymupdf.TextPage) -> list[BlockPlace]:
    """The blocks :func:`page_blocks` returns, in its order, located without their
    characters: from ``dict``, which has the same blocks, lines and spans as ``rawdict``
    (the same MuPDF code builds both) at a tenth of the cost."""
    places: list[BlockPlace] = []
    line_no = 0
    for block in textpage.extractDICT()["blocks"]:
        if block.get("type") != 0:
            continue
        lines = block["lines"]
        if any(line["spans"] for line in lines):
            places.append(BlockPlace(block["number"], len(lines), line_no + 1))
        line_no += len(lines)
    return places


def text_blocks(textpage: pymupdf.TextPage) -> list[Any]:
    """The text page's blocks as MuPDF holds them (``fz_stext_block``), for
    :func:`block_layout`; valid while ``textpage`` is."""
    return list(textpage.this)


def block_layout(textpage: pymupdf.TextPage, blocks: list[Any], place: BlockPlace) -> Layout | None:
    """One block of :func:`page_blocks`, the same text and boxes, read from ``rawdict``
    for that block alone (PyMuPDF's own line reader, ``JM_make_spanlist``). ``None`` when
    the block is not where ``place`` says or has other lines, or this PyMuPDF has no such
    reader (it is not public API): then read the whole page.

    :param blocks: ``text_blocks(textpage)``.
    """
    block = blocks[place.index] if place.index < len(blocks) else None
    spans = getattr(pymupdf.extra, "JM_make_spanlist", None)
    if block is None or spans is None or block.m_internal.type != pymupdf.mupdf.FZ_STEXT_BLOCK_TEXT:
        return None
    clip = pymupdf.mupdf.FzRect(textpage.this.m_internal.mediabox)
    buffer = pymupdf.mupdf.fz_new_buffer(128)
    layout = Layout("")
    chars: list[str] = []
    count = 0
    for count, line in enumerate(block, start=1):
        found: dict[str, Any] = {}
        spans(found, line, 1, buffer, clip)
        direction = line.m_internal.dir
        found["dir"] = (direction.x, direction.y)
        _add_line(chars, layout.boxes, found, place.first_line + count - 1)
    if count != place.lines or not chars:
        return None
    layout.text = "".join(chars)
    return layout


def page_layout(page: pymupdf.Page) -> Layout:
    """All of a page's text: its blocks joined by blank lines."""
    layout = Layout("")
    for block in page_blocks(page):
        if layout.boxes:
            layout.boxes.extend([None, None])
            layout.text += "\n\n"
        layout.text += block.text
        layout.boxes.extend(block.boxes)
    return layout


def block_texts(page: pymupdf.Page, textpage: pymupdf.TextPage | None = None) -> list[str]:
    """The text of each block, as :func:`page_blocks` builds it but without the boxes.

    Five times faster than ``rawdict``: used for what is only analysed (re-checks, the
    leak check); the boxes are read only for pages that get a redaction.
    """
    blocks = (textpage or text_page(page)).extractBLOCKS()
    return [b[4].removesuffix("\n") for b in blocks if b[6] == 0 and b[4]]


def page_count(data: bytes) -> int:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return doc.page_count
