"""True removal from PDFs with PyMuPDF (rule 18: covering text is not redaction).

Order matters. First everything hidden is brought into the page or dropped: hidden
optional-content layers are switched on (their text must be checked, and is then
redacted like any other), form fields and annotations are baked into page content
(a comment's note text is dropped; what it showed on the page is redacted as text),
the form, structure tree (alt text), JavaScript, thumbnails and private application
data are deleted. Then the text of every page (with OCR for scanned pages) is analysed
in one batch, each REDACT span gets a redaction annotation on its exact characters,
``apply_redactions`` removes the text and blanks image pixels under the box, and the
box is then labelled. Outline titles are rewritten, links with third-party data deleted, embedded
files redacted recursively and re-embedded under redacted names (dropped with a warning
when they cannot be processed), metadata and XMP cleared. The file is saved with
``garbage=4`` and ``clean=True`` so removed objects are really gone.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pymupdf

from ..decisions import Box, WithholdPage, withheld_words
from ..errors import CorruptDocument, DocumentError, DocumentTooLarge, EncryptedDocument
from ..leakcheck import TermIndex, sweep, terms_for
from ..limits import MAX_PAGES, OCR_MAX_PIXELS, check_time, count_attachments
from ..report import (
    DecisionPlace,
    DecisionResult,
    DetectorLike,
    Outcome,
    RedactionRecord,
    record,
    reread,
)
from ..types import Action, Finding, Reason
from .image import (
    OCR_UNAVAILABLE,
    Layout,
    ocr_available,
    ocr_layout,
    span_boxes,
    strip_jpeg_metadata,
)
from .text import MAX_ROUNDS, redact_units, safe_filename, within_label

# Keep off-page text in the extraction (no MEDIABOX_CLIP, an infinite clip): text placed
# outside the page is hidden from a reader but not from a tool, so it is redacted too.
_TEXT_FLAGS = 0
# A page with images and fewer characters than this is treated as a scan and OCR'd.
SCAN_MAX_CHARS = 20
OCR_DPI = 200
# Catalog entries that hold hidden data and are dropped: forms (after baking),
# the structure tree (alt text, ActualText), layers (after switching them on),
# portfolios, actions that run on opening, private application data.
_CATALOG_DROP = (
    "AcroForm",
    "StructTreeRoot",
    "MarkInfo",
    "OCProperties",
    "Collection",
    "OpenAction",
    "AA",
    "PieceInfo",
    "Metadata",
)
_PAGE_DROP = ("Thumb", "PieceInfo", "AA")
_UTF16_HEX = re.compile(r"<FEFF((?:[0-9A-Fa-f]{4})+)>")
_LITERAL = re.compile(rb"\((?:\\.|[^\\()])*\)")  # a PDF literal string: (Jake \(Jay\))
# apply_redactions modes: blank the pixels under a box, keep vector lines, remove text.
_REDACT_IMAGE_PIXELS = 2
_REDACT_LINE_ART_NONE = 0
# a reviewer's box deletes every vector drawing it touches (PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED)
_REDACT_LINE_ART_IF_TOUCHED = 2
_REDACT_TEXT_REMOVE = 0

# What MuPDF raises on a damaged file: FzError* (not RuntimeErrors) from the C library,
# FileDataError (a RuntimeError) from PyMuPDF, ValueError for bad values it reads.
MUPDF_ERRORS = (pymupdf.mupdf.FzErrorBase, RuntimeError, ValueError)
REPAIRED = (
    "was damaged (truncated, or its index broken) and MuPDF repaired it: pages or text "
    "may be missing, so check the output against the original before release"
)

# nested(data, filename) -> (redacted bytes, output filename, outcome): redact an embedded file.
Nested = Callable[[bytes, str], tuple[bytes, str, Outcome]]


@dataclass
class PageUnit:
    """The text of one page, where it came from, and its character boxes."""

    index: int
    layout: Layout
    scanned: bool = False  # boxes are OCR pixels, not page points
    dpi: float = OCR_DPI  # of the OCR render, lower for huge pages (see ocr_dpi)
    base: int = 0  # where the block starts in the page's text (blocks joined by blank lines)
    block: int = 0  # the block's number on its page


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


def page_blocks(page: pymupdf.Page) -> list[Layout]:
    """The text blocks of a page from ``rawdict``, each with a box per character.

    Blocks (paragraphs, more or less) are the units analysed: a block untouched by
    redaction reads back the same, so the re-check after redaction is a cache hit for it
    and only changed blocks are analysed again.

    MuPDF removes every glyph whose box touches a redaction, and a glyph's box runs from
    ascender to descender, taller than the line pitch of tightly set text. So on
    horizontal lines a character's box is its core band, from the baseline up 0.6 of the
    font size: it still touches every glyph of its own line and no neighbour's.
    """
    raw = page.get_text("rawdict", flags=_TEXT_FLAGS, clip=pymupdf.INFINITE_RECT())
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


def _scanned(page: pymupdf.Page, blocks: Sequence[Layout]) -> bool:
    chars = sum(len(b.text.strip()) for b in blocks)
    return chars < SCAN_MAX_CHARS and bool(page.get_images())


def ocr_dpi(page: pymupdf.Page) -> float:
    """The render resolution for OCR: :data:`OCR_DPI`, lowered so a huge page (a poster,
    or a hostile 14400 pt square) renders to at most :data:`~.limits.OCR_MAX_PIXELS`."""
    inches = max(1e-6, page.rect.width / 72) * max(1e-6, page.rect.height / 72)
    return min(float(OCR_DPI), (OCR_MAX_PIXELS / inches) ** 0.5)


def _ocr_page(page: pymupdf.Page, dpi: float) -> Layout:
    from PIL import Image

    pix = page.get_pixmap(dpi=max(1, int(dpi)), colorspace=pymupdf.csGRAY)
    image = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    del pix  # the page's pixels once, not twice, while tesseract runs
    return ocr_layout(image)


def bring_out_hidden(doc: pymupdf.Document, warnings: list[str], filename: str) -> pymupdf.Document:
    """Make hidden content visible or drop it, before any text is read (rule 18).

    :returns: the document to carry on with (reloaded when layers were merged, because
        MuPDF reads layer visibility once, when a document is opened).
    """
    cat = doc.pdf_catalog()
    layered = _has_layers(doc, cat)
    if layered:
        warnings.append(
            f"{filename}: optional-content layers were merged into the page (hidden layers shown)"
        )
    kinds = [annot.type[1] for page in doc.pages() for annot in page.annots()]
    comments = sum(kind not in ("FreeText", "Redact") for kind in kinds)
    if comments:
        warnings.append(f"{filename}: {comments} annotation(s)/comment(s) flattened; notes removed")
    _drop_javascript(doc)
    for key in _CATALOG_DROP:
        if key != "AcroForm":
            doc.xref_set_key(cat, key, "null")
    doc.bake(annots=True, widgets=True)
    doc.xref_set_key(cat, "AcroForm", "null")
    for page in doc.pages():
        for key in _PAGE_DROP:
            doc.xref_set_key(page.xref, key, "null")
    if not layered:
        return doc
    reloaded = pymupdf.open(stream=doc.tobytes(garbage=1), filetype="pdf")
    doc.close()
    return reloaded


def _has_layers(doc: pymupdf.Document, cat: int) -> bool:
    try:
        return bool(doc.get_ocgs())
    except (TypeError, *MUPDF_ERRORS):
        # PyMuPDF's binding raises TypeError on a damaged layer (no /Usage name; found by
        # fuzzing). Layers are there all the same: merge them, as for any layered file.
        return doc.xref_get_key(cat, "OCProperties")[0] != "null"


def _drop_javascript(doc: pymupdf.Document) -> None:
    for xref in range(1, doc.xref_length()):
        try:
            action = doc.xref_get_key(xref, "S")[1]
            has_js = doc.xref_get_key(xref, "JS")[0] != "null"
        except MUPDF_ERRORS:
            continue
        if action == "/JavaScript" or has_js:
            doc.update_object(xref, "<<>>")


def _rects(unit: PageUnit, page: pymupdf.Page, finding: Finding) -> list[pymupdf.Rect]:
    rects = [pymupdf.Rect(b) for b in span_boxes(unit.layout, finding.start, finding.end)]
    if unit.scanned:
        scale = 72 / max(1, int(unit.dpi))
        origin = page.rect.tl
        rects = [pymupdf.Rect(r) * scale + (origin.x, origin.y, origin.x, origin.y) for r in rects]
        if page.rotation:
            rects = [r * page.derotation_matrix for r in rects]
    return [r for r in rects if not r.is_empty]


def mark(
    page: pymupdf.Page, unit: PageUnit, findings: Sequence[Finding], labels: list[pymupdf.Rect]
) -> int:
    """Add a black redaction annotation over each finding's characters.

    The box of each finding's widest line is added to ``labels``: :func:`apply` writes
    the label there once the text under it is gone.
    """
    count = 0
    for finding in findings:
        rects = _rects(unit, page, finding)
        widest = max(rects, key=lambda r: r.width, default=None)
        for rect in rects:
            page.add_redact_annot(rect, fill=(0, 0, 0), cross_out=False)
            count += 1
        if widest is not None:
            labels.append(widest)
    return count


def apply(page: pymupdf.Page, labels: Sequence[pymupdf.Rect], label: str) -> None:
    """Remove what lies under the page's redaction boxes, then label the boxes.

    ``apply_redactions`` can write a label itself, but it fits each one by retrying
    ``insert_textbox`` at smaller and smaller sizes, which was a quarter of all removal
    time. Here the size is worked out from the label's width and every label goes into
    one text object: the largest size from 8 pt (or 0.6 of the box's height) down to
    4 pt at which the label fits on one line; a box too small for 4 pt stays plain.
    """
    page.apply_redactions(
        images=_REDACT_IMAGE_PIXELS,
        graphics=_REDACT_LINE_ART_NONE,
        text=_REDACT_TEXT_REMOVE,
    )
    if not labels or not label:
        return
    font = _label_font()
    per_point = font.text_length(label, fontsize=1)
    writer = pymupdf.TextWriter(page.rect)
    for rect in labels:
        size = max(4.0, min(8.0, rect.height * 0.6))
        while size >= 4 and per_point * size > rect.width - 1:
            size -= 0.5
        if size < 4:
            continue
        x = rect.x0 + (rect.width - per_point * size) / 2
        y = (rect.y0 + rect.y1) / 2 + size * 0.35  # the label's middle on the box's middle
        writer.append((x, y), label, font=font, fontsize=size)
    writer.write_text(page, color=(1, 1, 1))


@functools.cache
def _label_font() -> pymupdf.Font:
    return pymupdf.Font("helv")


def block_texts(page: pymupdf.Page) -> list[str]:
    """The text of each block, as :func:`page_blocks` builds it but without the boxes.

    Five times faster than ``rawdict``: used for what is only analysed (re-checks, the
    leak check); the boxes are read only for pages that get a redaction.
    """
    blocks = page.get_text("blocks", flags=_TEXT_FLAGS, clip=pymupdf.INFINITE_RECT())
    return [b[4].removesuffix("\n") for b in blocks if b[6] == 0 and b[4]]


def _units(doc: pymupdf.Document, filename: str, warnings: list[str]) -> list[PageUnit]:
    """Every text block of every page; a scanned page is one unit of OCR text."""
    units: list[PageUnit] = []
    ocr = ocr_available()
    for index, page in enumerate(doc.pages()):
        check_time()
        texts = block_texts(page)
        if _scanned(page, [Layout(t) for t in texts]):
            if ocr:
                dpi = ocr_dpi(page)
                units.append(PageUnit(index, _ocr_page(page, dpi), scanned=True, dpi=dpi))
                continue
            warnings.append(f"{filename} page {index + 1}: {OCR_UNAVAILABLE}")
        units.extend(_page_units(index, texts))
    return units


def _page_units(index: int, texts: Sequence[str]) -> list[PageUnit]:
    units, base = [], 0
    for number, text in enumerate(texts):
        units.append(PageUnit(index, Layout(text), base=base, block=number))
        base += len(text) + 2
    return units


class _Boxes:
    """Character boxes, read from ``rawdict`` once per page and round, only when needed."""

    def __init__(self, doc: pymupdf.Document, detector: DetectorLike) -> None:
        self.doc = doc
        self.detector = detector
        self.pages: dict[int, list[Layout]] = {}

    def fill(self, unit: PageUnit, findings: list[Finding]) -> list[Finding]:
        """Give ``unit`` its boxes; if the block reads differently, analyse that text."""
        if unit.scanned or unit.layout.boxes:
            return findings
        if unit.index not in self.pages:
            self.pages[unit.index] = page_blocks(self.doc[unit.index])
        blocks = self.pages[unit.index]
        if unit.block < len(blocks) and blocks[unit.block].text == unit.layout.text:
            unit.layout = blocks[unit.block]
            return findings
        # The fast and the exact extraction disagree for this page: use the exact text.
        unit.layout = page_layout(self.doc[unit.index])
        unit.base = 0
        return self.detector.analyse_many([unit.layout.text])[0]


def redact_pages(
    doc: pymupdf.Document,
    detector: DetectorLike,
    filename: str,
    label: str,
    warnings: list[str],
    kept: list[RedactionRecord] | None = None,
) -> tuple[list[RedactionRecord], list[RedactionRecord]]:
    """Analyse every block of every page in one batch, remove REDACT spans, then re-check
    the blocks of changed pages (unchanged blocks are cache hits in the detector).

    :param kept: receives a row for each suggestion a reviewer kept (see .decided).
    """
    records: list[RedactionRecord] = []
    review: list[RedactionRecord] = []
    terms = terms_for(detector)
    pending = _units(doc, filename, warnings)
    for round_no in range(MAX_ROUNDS):
        check_time()
        texts = [u.layout.text for u in pending]
        # Later rounds re-read pages that removal changed (see report.reread).
        batch = detector.analyse_many(texts) if round_no == 0 else reread(detector, texts)
        boxes = _Boxes(doc, detector)
        touched: dict[int, bool] = {}  # page index -> scanned
        labels: dict[int, list[pymupdf.Rect]] = {}
        for unit, found in zip(pending, batch, strict=True):
            redact = _to_remove(unit.layout.text, found, terms, label)
            if redact:
                found = boxes.fill(unit, found)
                redact = _to_remove(unit.layout.text, found, terms, label)
            where = {"page": unit.index + 1}
            if round_no == 0:
                flagged = [f for f in found if f.action == Action.REVIEW]
                review += [
                    record(f, filename, **where, offset=unit.base + f.start) for f in flagged
                ]
                if kept is not None:
                    kept += [
                        record(f, filename, **where, offset=unit.base + f.start)
                        for f in found
                        if f.action == Action.KEPT_BY_REVIEWER
                    ]
            for f in redact:
                offset = unit.base + f.start if round_no == 0 else None
                records.append(record(f, filename, **where, offset=offset))
            boxes_for = labels.setdefault(unit.index, [])
            if redact and mark(doc[unit.index], unit, redact, boxes_for):
                touched[unit.index] = unit.scanned
        pending = []
        for index, scanned in touched.items():
            apply(doc[index], labels[index], label)
            if not scanned:
                pending += _page_units(index, block_texts(doc[index]))
        if not pending:
            break
    return records, review


def _to_remove(text: str, findings: list[Finding], terms: TermIndex, label: str) -> list[Finding]:
    own = [f for f in findings if f.action == Action.REDACT and not within_label(text, f, label)]
    return own + sweep(text, findings, terms)


def redact_outline_and_links(
    doc: pymupdf.Document, detector: DetectorLike, filename: str, label: str
) -> list[RedactionRecord]:
    """Neutralise outline titles and delete links whose target holds third-party data.

    Bookmark titles are short free text ("Incident involving Harjit Hussain") where the NER
    has no context to find a person the MIS does not know, and the leak check cannot re-read
    them with the NER either; so every title is replaced by its target ("Page 3"), keeping
    the outline's structure for navigation (rule 18: outline entries must be cleared).
    """
    records: list[RedactionRecord] = []
    toc = doc.get_toc(simple=True)
    # A damaged outline (a loop, a broken /Next) can list entries that set_toc_item
    # cannot address one by one: then the outline is rebuilt whole from neutral titles.
    one_by_one = len(doc.get_outline_xrefs()) == len(toc)
    neutral_toc: list[list[Any]] = []
    for index, (level, title, page) in enumerate(toc):
        neutral = f"Page {page}" if page > 0 else "Bookmark"
        neutral_toc.append([level, neutral, page])
        if title != neutral:
            if one_by_one:
                doc.set_toc_item(index, title=neutral)
            records.append(
                RedactionRecord(
                    file=f"{filename} (outline)",
                    page=page if page > 0 else None,
                    offset=None,
                    text=title,
                    entity_type="OUTLINE_TITLE",
                    reason=Reason.HIDDEN_PLACE.value,
                    detector="outline-cleared",
                    score=1.0,
                    action="redact",
                )
            )
    if not one_by_one:
        _rebuild_outline(doc, neutral_toc)
    links = [
        (page, link)
        for page in doc.pages()
        for link in page.get_links()
        if link.get("uri") or link.get("file")
    ]
    results = redact_units(
        [link.get("uri") or link.get("file") for _, link in links], detector, label
    )
    for (page, link), result in zip(links, results, strict=True):
        if result.removed:
            page.delete_link(link)
            records += [record(f, f"{filename} (link)") for f, _ in result.removed]
    return records


def _rebuild_outline(doc: pymupdf.Document, toc: list[list[Any]]) -> None:
    """Replace a damaged outline by ``toc``; with no outline at all when even that fails
    (the leak check reads every object, so an old title left behind would still fail)."""
    try:
        doc.set_toc(toc)
    except MUPDF_ERRORS:
        doc.set_toc([])


def redact_embedded(
    doc: pymupdf.Document,
    nested: Nested,
    detector: DetectorLike,
    filename: str,
    label: str,
    out: Outcome,
) -> None:
    """Redact each embedded file recursively and re-embed it under a redacted name."""
    names = list(doc.embfile_names())
    count_attachments(len(names))
    streams = _embedded_streams(doc)  # listed or not: a damaged name tree lists fewer
    listed = []
    for name in names:
        info = doc.embfile_info(name)
        listed.append(
            (info.get("ufilename") or info.get("filename") or name, doc.embfile_get(name))
        )
        doc.embfile_del(name)
    # Deleted entries keep their objects until the save's garbage collection, so every
    # embedded stream is emptied now; the listed ones come back redacted below.
    _blank(doc, streams)
    unlisted = len(streams) - len(names)
    if unlisted > 0:
        out.warnings.append(
            f"{filename}: {unlisted} embedded file(s) outside the attachment list (a damaged "
            "PDF) removed without being checked"
        )
    for position, (inner_name, content) in enumerate(listed, start=1):
        [safe] = redact_units([inner_name], detector, label)
        shown = safe_filename(safe.text, inner_name) or f"attachment-{position}"
        try:
            data, out_name, inner = nested(content, shown)
        except DocumentError as exc:
            out.warnings.append(
                f"{filename}: embedded file {position} ({shown}) removed, it could not be "
                f"processed: {exc.reason}"
            )
            continue
        doc.embfile_add(out_name, data, filename=out_name, ufilename=out_name, desc="")
        out.absorb(inner)


def _embedded_streams(doc: pymupdf.Document) -> set[int]:
    """Every embedded file stream: typed ``/EmbeddedFile``, or a file spec's ``/EF``."""
    targets: set[int] = set()
    for xref in range(1, doc.xref_length()):
        try:
            if doc.xref_get_key(xref, "Type")[1] == "/EmbeddedFile":
                targets.add(xref)
            for key in ("EF/F", "EF/UF"):
                kind, value = doc.xref_get_key(xref, key)
                if kind == "xref":
                    targets.add(int(value.split()[0]))
        except MUPDF_ERRORS:
            continue
    return {x for x in targets if 0 < x < doc.xref_length()}


def _blank(doc: pymupdf.Document, xrefs: set[int]) -> None:
    for xref in sorted(xrefs):
        try:
            if doc.xref_is_stream(xref):
                doc.update_stream(xref, b"")
            else:
                doc.update_object(xref, "null")  # not a stream: drop the object itself
        except MUPDF_ERRORS:
            doc.update_object(xref, "null")


def withhold_page(doc: pymupdf.Document, index: int, words: str) -> None:
    """Replace page ``index`` by a page of the same size that says it was withheld.

    The page's content stream, resources and annotations are dropped, not covered, and
    saving with ``garbage=4`` then deletes whatever only this page used (rule 18).
    """
    page = doc[index]
    page.set_rotation(0)
    for key in ("Annots", "Resources", "Contents", "Group"):
        doc.xref_set_key(page.xref, key, "<<>>" if key == "Resources" else "null")
    page = doc.reload_page(page)
    area = page.rect + (54, 72, -54, -72)
    page.insert_textbox(area, words, fontsize=16, fontname="helv", align=pymupdf.TEXT_ALIGN_CENTER)


def _box_rect(page: pymupdf.Page, rect: tuple[float, float, float, float]) -> pymupdf.Rect:
    """A reviewer's rectangle (points from the top-left of the page as shown, that is
    after its rotation) in the page's own coordinates, cut to the page."""
    shown = pymupdf.Rect(rect)
    if page.rotation:
        shown = (shown * page.derotation_matrix).normalize()
    return shown & (page.rect * page.derotation_matrix).normalize()


def apply_page_decisions(
    doc: pymupdf.Document,
    filename: str,
    boxes: Sequence[Box] = (),
    withhold: Sequence[WithholdPage] = (),
) -> list[DecisionResult]:
    """Withhold pages and remove everything under the reviewer's boxes (rule 18).

    Run before detection, so what is gone is never analysed or scheduled twice. A box
    removes the text whose characters touch it, blanks image pixels under it and deletes
    every vector drawing it touches (the documented PyMuPDF modes); then it is filled
    black. A decision naming a page past the end, or a box off the page, is returned
    with ``places`` empty and the reason in ``note``.
    """
    results: list[DecisionResult] = []
    pages = doc.page_count
    withheld: set[int] = set()
    for item in withhold:
        if item.page > pages:
            results.append(DecisionResult(item, (), _past_end(item.page, pages)))
            continue
        withhold_page(doc, item.page - 1, withheld_words(item.reason))
        withheld.add(item.page)
        place = DecisionPlace(filename, item.page, None, "", reason=item.reason)
        results.append(DecisionResult(item, (place,), f"page withheld: {item.reason}"))
    touched: set[int] = set()
    for box in boxes:
        if box.page > pages:
            results.append(DecisionResult(box, (), _past_end(box.page, pages)))
            continue
        page = doc[box.page - 1]
        rect = _box_rect(page, box.rect)
        if rect.is_empty:
            results.append(DecisionResult(box, (), f"the box lies outside page {box.page}"))
            continue
        note = "box drawn by reviewer" + (f": {box.reason}" if box.reason else "")
        place = DecisionPlace(filename, box.page, None, "", rect=box.rect, reason=box.reason)
        if box.page in withheld:  # nothing left under it; the notice is not cut
            results.append(DecisionResult(box, (place,), note + " (the page is withheld)"))
            continue
        place = replace(place, text=page.get_text("text", clip=rect).strip())
        page.add_redact_annot(rect, fill=(0, 0, 0), cross_out=False)
        touched.add(box.page - 1)
        results.append(DecisionResult(box, (place,), note))
    for index in sorted(touched):
        doc[index].apply_redactions(
            images=_REDACT_IMAGE_PIXELS,
            graphics=_REDACT_LINE_ART_IF_TOUCHED,
            text=_REDACT_TEXT_REMOVE,
        )
    return results


def _past_end(page: int, pages: int) -> str:
    return f"page {page} does not exist: the document has {pages} page{'s' * (pages != 1)}"


def redact_pdf(
    data: bytes,
    filename: str,
    detector: DetectorLike,
    label: str,
    nested: Nested,
    *,
    title: str | None = None,
    boxes: Sequence[Box] = (),
    withhold: Sequence[WithholdPage] = (),
) -> Outcome:
    """Redact a PDF and return the saved, garbage-collected result.

    :param boxes: a reviewer's boxes, :param withhold: pages a reviewer withheld: applied
        (see :func:`apply_page_decisions`) before detection; results in ``Outcome.decided``.
    """
    out = Outcome(b"", "application/pdf", ".pdf")
    doc = open_pdf(data, filename, out.warnings)
    try:
        doc = bring_out_hidden(doc, out.warnings, filename)
        if boxes or withhold:
            out.decided = apply_page_decisions(doc, filename, boxes, withhold)
        out.records, out.review = redact_pages(
            doc, detector, filename, label, out.warnings, kept=out.kept
        )
        out.records += redact_outline_and_links(doc, detector, filename, label)
        redact_embedded(doc, nested, detector, filename, label, out)
        strip_image_metadata(doc, out.warnings, filename)
        doc.set_metadata({"title": title} if title else {})
        doc.del_xml_metadata()
        out.pages = doc.page_count
        out.content = doc.tobytes(garbage=4, deflate=True, clean=True)
    except DocumentError:
        raise
    except MUPDF_ERRORS as exc:
        raise CorruptDocument(f"{filename} is damaged and could not be processed as a PDF") from exc
    finally:
        doc.close()
    return out


def readback(data: bytes, filename: str) -> tuple[list[tuple[str, str]], bytes]:
    """Every place of an output PDF a reader or a tool could find text in, for the leak check.

    :returns: ``(where, text)`` pairs and the text of every object dictionary (strings
        such as titles, authors, field values, file names) plus XMP streams.
    """
    doc = open_pdf(data, filename)
    places: list[tuple[str, str]] = []
    ocr = ocr_available()
    try:
        for page in doc.pages():
            where = f"page {page.number + 1}"
            texts = block_texts(page)
            if ocr and _scanned(page, [Layout(t) for t in texts]):
                texts = [_ocr_page(page, ocr_dpi(page)).text]
            places.extend((where, text) for text in texts)
            notes = [" ".join(str(v) for v in a.info.values()) for a in page.annots()]
            notes += [f"{w.field_name} {w.field_value}" for w in page.widgets()]
            notes += [str(link.get("uri") or link.get("file") or "") for link in page.get_links()]
            if any(n.strip() for n in notes):
                places.append((f"{where} annotations/fields/links", "\n".join(notes)))
        meta = " ".join(v for v in (doc.metadata or {}).values() if v)
        places.append(("metadata", f"{meta}\n{doc.get_xml_metadata()}"))
        places.append(("outline", "\n".join(e[1] for e in doc.get_toc(simple=True))))
        names = [doc.embfile_info(n) for n in doc.embfile_names()]
        places.append(
            ("embedded file names", "\n".join(f"{i['name']} {i['filename']}" for i in names))
        )
        expanded = object_strings(doc)
    finally:
        doc.close()
    return [p for p in places if p[1].strip()], expanded


def strip_image_metadata(doc: pymupdf.Document, warnings: list[str], filename: str) -> None:
    """Remove EXIF, XMP and IPTC from JPEG images embedded in the PDF (rule 18)."""
    for xref in range(1, doc.xref_length()):
        try:
            if doc.xref_get_key(xref, "Filter")[1] != "/DCTDecode":
                continue
            raw = doc.xref_stream_raw(xref)
        except MUPDF_ERRORS:
            continue
        try:
            clean = strip_jpeg_metadata(raw)
        except DocumentError:
            warnings.append(f"{filename}: a damaged JPEG image could not be checked for metadata")
            continue
        if clean != raw:
            doc.update_stream(xref, clean, compress=0)
            doc.xref_set_key(xref, "Filter", "/DCTDecode")


def object_strings(doc: pymupdf.Document) -> bytes:
    """Every object's dictionary, every XML metadata stream, as one blob.

    Of page content streams and form XObjects only the literal strings ``(...)`` are
    taken (their operators' numbers would be slow and meaningless to search): text that
    MuPDF does not extract, such as text under a degenerate matrix (``702 0 0 0 0 0 Tm``,
    a damaged ``/Matrix``; both found by fuzzing), is invisible to a reader but not to a
    tool. Fonts and images hold no strings a reader sees.
    """
    parts: list[bytes] = []
    contents = _content_xrefs(doc)
    for xref in range(1, doc.xref_length()):
        try:
            source = doc.xref_object(xref, compressed=True)
            parts.append(source.encode("latin-1", "replace"))
            for hexa in _UTF16_HEX.findall(source):  # <FEFF...>: UTF-16 text strings
                parts.append(bytes.fromhex(hexa).decode("utf-16-be", "replace").encode())
            kind = doc.xref_get_key(xref, "Type")[1]
            # Embedded files too: one that escaped removal must fail the check, not pass.
            if kind in ("/Metadata", "/EmbeddedFile") and doc.xref_is_stream(xref):
                parts.append(doc.xref_stream(xref) or b"")
            elif doc.xref_get_key(xref, "Filter")[1] == "/DCTDecode":
                parts.append(_jpeg_header(doc.xref_stream_raw(xref)))
            elif xref in contents or (
                doc.xref_get_key(xref, "Subtype")[1] == "/Form" and doc.xref_is_stream(xref)
            ):
                parts += _LITERAL.findall(doc.xref_stream(xref) or b"")
        except MUPDF_ERRORS:
            continue
    return b"\n".join(parts)


def _content_xrefs(doc: pymupdf.Document) -> set[int]:
    found: set[int] = set()
    for page in doc.pages():
        try:
            found.update(page.get_contents())
        except MUPDF_ERRORS:
            continue
    return found


def _jpeg_header(data: bytes) -> bytes:
    """A JPEG's segments before its pixels: where EXIF, XMP and IPTC text would be."""
    scan = data.find(b"\xff\xda")
    return data[: scan if scan > 0 else 65536]


def page_count(data: bytes) -> int:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return doc.page_count


def render_image_pdf(image_bytes: bytes, title: str | None = None) -> bytes:
    """Place an (already redacted) image on an A4 page, scaled to fit."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    area = page.rect + (36, 36, -36, -36)
    if title:
        page.insert_text((36, 28), title, fontsize=10)
    page.insert_image(area, stream=image_bytes, keep_proportion=True)
    data = doc.tobytes(garbage=4, deflate=True)
    doc.close()
    return data


def merge_pdfs(parts: Sequence[bytes]) -> tuple[bytes, int]:
    """Concatenate PDFs (an email followed by its attachments); returns bytes and page count."""
    out = pymupdf.open()
    for part in parts:
        with pymupdf.open(stream=part, filetype="pdf") as src:
            out.insert_pdf(src)
    pages = out.page_count
    data = out.tobytes(garbage=4, deflate=True, clean=True)
    out.close()
    return data, pages
