"""Opening a PDF safely and reading its text: blocks with a box per character, or only
their text (five times faster), always with ligatures read as plain letters.

MuPDF's errors become document errors with a reason a DPO can act on; a repaired file says so.
"""

from __future__ import annotations

import pymupdf

from ...errors import CorruptDocument, DocumentError, DocumentTooLarge, EncryptedDocument
from ...limits import MAX_PAGES
from ..image import Layout

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
        chars: list[str] = []
        boxes: list[tuple[tuple[float, float, float, float], int] | None] = []
        for line in block["lines"]:
            if chars:
                chars.append("\n")
                boxes.append(None)
            line_no += 1
            horizontal = abs(line["dir"][1]) < 1e-3
            for span in line["spans"]:
                # Comprehensions, not a loop per character: this runs over every glyph.
                band = 0.6 * span["size"]
                run = span["chars"]
                chars.extend([ch["c"] for ch in run])
                if horizontal and span["size"] > 0:
                    boxes.extend(
                        [
                            ((b[0], o - band, b[2], o), line_no)
                            for b, o in [(ch["bbox"], ch["origin"][1]) for ch in run]
                        ]
                    )
                else:
                    boxes.extend([(tuple(ch["bbox"]), line_no) for ch in run])
        if chars:
            blocks.append(Layout("".join(chars), boxes))
    return blocks


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
