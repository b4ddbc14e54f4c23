"""Removal from the pages: every block analysed in one batch, each REDACT span given a
redaction annotation on its exact characters, ``apply_redactions`` removing the text and
blanking image pixels under the boxes, then the boxes drawn and labelled (rule 18).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

import pymupdf
from pymupdf import mupdf

from ...leakcheck import TermIndex, sweep, terms_for
from ...limits import check_time
from ...report import DetectorLike, RedactionRecord, record, reread
from ...types import Action, Finding
from ..image import span_boxes
from ..text import MAX_ROUNDS, within_label
from .reading import block_texts, text_page
from .units import CharBoxes, PageUnit, block_units, page_units

# apply_redactions modes: blank the pixels under a box, keep vector lines, remove text.
REDACT_IMAGE_PIXELS = 2
_REDACT_LINE_ART_NONE = 0
REDACT_TEXT_REMOVE = 0


def finding_rects(unit: PageUnit, page: pymupdf.Page, finding: Finding) -> list[pymupdf.Rect]:
    rects = [pymupdf.Rect(b) for b in span_boxes(unit.layout, finding.start, finding.end)]
    if unit.scanned:
        scale = 72 / max(1, int(unit.dpi))
        origin = page.rect.tl
        rects = [pymupdf.Rect(r) * scale + (origin.x, origin.y, origin.x, origin.y) for r in rects]
        if page.rotation:
            rects = [r * page.derotation_matrix for r in rects]
    return [r for r in rects if not r.is_empty]


@dataclass
class Marks:
    """A page's redaction boxes, and those of them (each finding's widest) that get a label."""

    boxes: list[pymupdf.Rect] = field(default_factory=list)
    labels: list[pymupdf.Rect] = field(default_factory=list)


def mark(page: pymupdf.Page, unit: PageUnit, findings: Sequence[Finding], marks: Marks) -> int:
    """Add the boxes over each finding's characters to the page's ``marks``.

    Nothing is written yet: :func:`apply` removes what lies under every box of the page in
    one go, then draws the boxes and their labels once the text under them is gone.
    """
    count = 0
    for finding in findings:
        rects = finding_rects(unit, page, finding)
        widest = max(rects, key=lambda r: r.width, default=None)
        marks.boxes += rects
        count += len(rects)
        if widest is not None:
            marks.labels.append(widest)
    return count


#: Labels are printed at this size, never smaller: legible at 100% zoom (issue 12).
LABEL_SIZE = 8.0
# A label's plate: its box grown around its middle to the label's height plus a point of
# black above and below. A box holds the core band of its line (0.6 of the font size,
# see reading.page_blocks), so the plate grows only boxes of text set at LABEL_SIZE or
# more, whose lines are far enough apart that the plate stays within its own line.
_PLATE_HEIGHT = LABEL_SIZE + 2
_MIN_BAND = 0.6 * LABEL_SIZE - 0.05  # less a little for rounding in the character boxes


def label_plate(rect: pymupdf.Rect, label: str, *, grow: bool = True) -> pymupdf.Rect | None:
    """Where ``label`` is printed on the box ``rect``: the box, grown to the label's
    height (unless ``grow`` is false), when the label fits inside at :data:`LABEL_SIZE`;
    ``None`` when it does not (a name shorter than the label, or text smaller than the
    label): the box stays plain."""
    if not label or _label_width(label) * LABEL_SIZE > rect.width - 2:
        return None
    if rect.height >= _PLATE_HEIGHT:
        return pymupdf.Rect(rect)
    if rect.height < _MIN_BAND or not grow:
        return None
    grow = (_PLATE_HEIGHT - rect.height) / 2
    return pymupdf.Rect(rect.x0, rect.y0 - grow, rect.x1, rect.y1 + grow)


def apply(page: pymupdf.Page, marks: Marks, label: str) -> None:
    """Remove what lies under the page's redaction boxes, then draw and label the boxes.

    ``apply_redactions`` can write a label itself, but it fits each one by retrying
    ``insert_textbox`` at smaller and smaller sizes, which was a quarter of all removal
    time. Here every box and label goes into one drawing (base-14 Helvetica, referenced,
    not embedded), one style for every label: white on black at :data:`LABEL_SIZE`,
    centred inside its box (see :func:`label_plate`).
    """
    if not marks.boxes:
        return
    remove_under(page, marks.boxes)
    plates = [(r, plate) for r in marks.labels if (plate := label_plate(r, label))]
    shape = page.new_shape()
    draw_boxes(shape, [*marks.boxes, *(plate for _, plate in plates)])
    shape.finish(fill=(0, 0, 0), color=None)
    write_labels(shape, [plate for _, plate in plates], label)
    shape.commit()


def draw_boxes(shape: pymupdf.Shape, rects: Sequence[pymupdf.Rect]) -> None:
    """``Shape.draw_rect`` on every box, the same operators at half the cost.

    The first box is drawn by it; the others by the same steps without its Python
    objects (MuPDF's ``fz_transform_point`` into PDF space, rounding and formatting as
    it rounds and formats). When the first box's operators differ from those steps'
    (another PyMuPDF), every box is drawn by it.
    """
    if not rects:
        return
    before = len(shape.draw_cont)
    shape.draw_rect(rects[0])
    matrix = mupdf.FzMatrix(*shape.ipctm)
    if not _FORMAT_G or shape.draw_cont[before:] != _box_operators(matrix, rects[0]):
        for rect in rects[1:]:
            shape.draw_rect(rect)
        return
    shape.draw_cont += "".join(_box_operators(matrix, rect) for rect in rects[1:])
    for rect in rects[1:]:
        shape.updateRect(rect)
    shape.last_point = rects[-1].tl


# How PyMuPDF formats numbers in the operators it writes; without it, its own calls.
_FORMAT_G = hasattr(pymupdf, "format_g")


def _box_operators(matrix: mupdf.FzMatrix, rect: pymupdf.Rect) -> str:
    """What ``Shape.draw_rect`` writes for ``rect``: its bottom-left corner in PDF
    space, its width and height, rounded to 5 places (0 under 1e-4), then ``re``."""
    corner = mupdf.fz_transform_point(mupdf.FzPoint(rect.x0, rect.y1), matrix)
    values = (corner.x, corner.y, max(0, rect.x1 - rect.x0), max(0, rect.y1 - rect.y0))
    rounded = tuple(round(v, 5) if abs(v) >= 1e-4 else 0 for v in values)
    return f"{pymupdf.format_g(rounded)} re\n"


def remove_under(page: pymupdf.Page, rects: Sequence[pymupdf.Rect]) -> None:
    """Remove the text under ``rects`` and blank the image pixels under them (rule 18):
    MuPDF's ``pdf_redact_page`` with one redaction annotation holding every box as a quad.

    MuPDF tests each glyph, picture and link against every quad of every redaction
    annotation alike (a quad made from a box is that box), so this removes what one
    annotation per box, applied by ``Page.apply_redactions``, removes; at a third of the
    cost, as it reads one annotation per glyph instead of one per box, and skips PyMuPDF's
    bookkeeping of each annotation (names, appearance streams, read back before applying).
    The annotation is deleted by the redaction, as PyMuPDF's are.
    """
    pdf_page = mupdf.pdf_page_from_fz_page(page.this)
    rotation = page.rotation
    if rotation:  # boxes are in unrotated page space, as PyMuPDF's annotations take them
        page.set_rotation(0)
    try:
        annot = mupdf.pdf_create_annot(pdf_page, mupdf.PDF_ANNOT_REDACT)
        for r in rects:
            quad = mupdf.fz_quad_from_rect(mupdf.FzRect(r.x0, r.y0, r.x1, r.y1))
            mupdf.pdf_add_annot_quad_point(annot, quad)
    finally:
        if rotation:
            page.set_rotation(rotation)
    options = mupdf.PdfRedactOptions()
    options.black_boxes = 0  # boxes and labels are drawn by apply, after the removal
    options.image_method = REDACT_IMAGE_PIXELS
    options.line_art = _REDACT_LINE_ART_NONE
    options.text = REDACT_TEXT_REMOVE
    if not mupdf.pdf_redact_page(pdf_page.doc(), pdf_page, options):
        raise ValueError("MuPDF applied no redaction")


def label_regions(page: pymupdf.Page, regions: Sequence[tuple[pymupdf.Rect, str]]) -> int:
    """Draw each region removed from a picture black on ``page``, over its already
    destroyed pixels, and print its words in it where they fit at :data:`LABEL_SIZE`
    (issue 12: the same label as on removed text). The pixels stay destroyed: the drawing
    only says why; drawing every region also covers the smaller painted label of OCR'd
    text, so one style shows.

    :returns: how many regions got a label.
    """
    if not regions:
        return 0
    plates = [(p, words) for r, words in regions if (p := label_plate(r, words, grow=False))]
    shape = page.new_shape()
    for rect, _ in regions:
        shape.draw_rect(rect)
    shape.finish(fill=(0, 0, 0), color=None)
    for plate, words in plates:
        write_label(shape, plate, words)
    shape.commit()
    return len(plates)


def write_label(shape: pymupdf.Shape, plate: pymupdf.Rect, label: str) -> None:
    """Write ``label`` white at :data:`LABEL_SIZE`, centred on ``plate`` (see label_plate)."""
    shape.insert_text(_label_origin(plate, label), label, fontname="helv", fontsize=LABEL_SIZE,
                      color=(1, 1, 1))  # fmt: skip


def write_labels(shape: pymupdf.Shape, plates: Sequence[pymupdf.Rect], label: str) -> None:
    """:func:`write_label` on every plate, the same text operators at a tenth of the cost.

    ``Shape.insert_text`` looks the font up in the page's resources for every call; here
    the first label is written by it and the others are copies of its operators with
    their own position, formatted as it formats them. When its operators are not as
    expected (another PyMuPDF), every label is written by it.
    """
    if not plates:
        return
    before = len(shape.text_cont)
    write_label(shape, plates[0], label)
    first = shape.text_cont[before:]
    placed = _text_matrix(shape, plates[0], label) if _FORMAT_G else ""
    if not placed or first.count(placed) != 1:
        for plate in plates[1:]:
            write_label(shape, plate, label)
        return
    head, tail = first.split(placed)
    shape.text_cont += "".join(
        f"{head}{_text_matrix(shape, plate, label)}{tail}" for plate in plates[1:]
    )


def _label_origin(plate: pymupdf.Rect, label: str) -> tuple[float, float]:
    x = plate.x0 + (plate.width - _label_width(label) * LABEL_SIZE) / 2
    y = (plate.y0 + plate.y1) / 2 + LABEL_SIZE * 0.35  # the label's middle on the box's
    return x, y


def _text_matrix(shape: pymupdf.Shape, plate: pymupdf.Rect, label: str) -> str:
    """The ``Tm`` operator ``Shape.insert_text`` writes for a label on ``plate``."""
    point = pymupdf.Point(_label_origin(plate, label))
    left, top = point.x + shape.x, shape.height - point.y - shape.y
    return f"1 0 0 1 {pymupdf.format_g((left, top))} Tm"


@functools.cache
def _label_width(label: str) -> float:
    """The label's width in points at 1 pt."""
    return float(pymupdf.get_text_length(label, fontname="helv", fontsize=1))


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
    parsed: dict[int, pymupdf.TextPage] = {}
    pending = page_units(doc, filename, warnings, parsed, label)
    for round_no in range(MAX_ROUNDS):
        check_time()
        texts = [u.layout.text for u in pending]
        # Later rounds re-read pages that removal changed (see report.reread).
        batch = detector.analyse_many(texts) if round_no == 0 else reread(detector, texts)
        boxes = CharBoxes(doc, detector, parsed)
        touched: dict[int, bool] = {}  # page index -> scanned
        labels: dict[int, Marks] = {}
        pages: dict[int, pymupdf.Page] = {}
        for unit, found in zip(pending, batch, strict=True):
            redact = _to_remove(unit.layout.text, found, terms, label)
            if redact:
                read = unit.layout.text
                exact = boxes.fill(unit, found)
                if exact is not found or unit.layout.text != read:  # another text: again
                    found = exact
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
            if not redact:
                continue
            if unit.index not in pages:
                pages[unit.index] = doc[unit.index]
            if mark(pages[unit.index], unit, redact, labels.setdefault(unit.index, Marks())):
                touched[unit.index] = unit.scanned
        pending = []
        parsed = {}  # removal changes the pages: their text is parsed again
        for index, scanned in touched.items():
            page = pages[index]
            apply(page, labels[index], label)
            if not scanned:
                parsed[index] = text_page(page)
                pending += block_units(index, block_texts(page, parsed[index]))
        if not pending:
            break
    return records, review


def _to_remove(text: str, findings: list[Finding], terms: TermIndex, label: str) -> list[Finding]:
    own = [f for f in findings if f.action == Action.REDACT and not within_label(text, f, label)]
    return own + sweep(text, findings, terms)
