"""A reviewer's decisions that act on pages: boxes drawn on a page and pages withheld whole."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pymupdf

from ...decisions import WITHHELD_WORDS, Box, WithholdPage, withheld_words
from ...report import DecisionPlace, DecisionResult
from .removal import REDACT_IMAGE_PIXELS, REDACT_TEXT_REMOVE, label_plate, write_label

# a reviewer's box deletes every vector drawing it touches (PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED)
_REDACT_LINE_ART_IF_TOUCHED = 2


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
    label: str = "",
) -> list[DecisionResult]:
    """Withhold pages and remove everything under the reviewer's boxes (rule 18).

    Run before detection, so what is gone is never analysed or scheduled twice. A box
    removes the text whose characters touch it, blanks image pixels under it and deletes
    every vector drawing it touches (the documented PyMuPDF modes); then it is filled
    black and labelled like every removal (:func:`.removal.label_plate`): with the words
    of its exemption when its reason is an exemption code, else with ``label`` (a
    reviewer's free-text reason could name the person it protects, so it is never
    printed). A decision naming a page past the end, or a box off the page, is returned
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
    touched: dict[int, list[tuple[pymupdf.Rect, str]]] = {}
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
        words = WITHHELD_WORDS.get(box.reason.strip().lower(), label)
        touched.setdefault(box.page - 1, []).append((rect, words))
        results.append(DecisionResult(box, (place,), note))
    for index, labelled in sorted(touched.items()):
        page = doc[index]
        page.apply_redactions(
            images=REDACT_IMAGE_PIXELS,
            graphics=_REDACT_LINE_ART_IF_TOUCHED,
            text=REDACT_TEXT_REMOVE,
        )
        _label_boxes(page, labelled)
    return results


def _label_boxes(page: pymupdf.Page, labelled: Sequence[tuple[pymupdf.Rect, str]]) -> None:
    """Label the reviewer's boxes where the words fit; a box is never grown past what the
    reviewer drew (it could cover what they meant to keep)."""
    plates = [
        (plate, words)
        for rect, words in labelled
        if (plate := label_plate(rect, words, grow=False)) is not None
    ]
    if not plates:
        return
    shape = page.new_shape()
    for plate, words in plates:
        write_label(shape, plate, words)
    shape.commit()


def _past_end(page: int, pages: int) -> str:
    return f"page {page} does not exist: the document has {pages} page{'s' * (pages != 1)}"
