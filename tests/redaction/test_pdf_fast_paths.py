"""The PDF fast paths give what the slow ones gave: a block's character boxes read alone
(``reading.block_layout``) are the page's ``rawdict`` ones, one redaction annotation of
quads removes what one annotation per box removes (rule 18), and labels copied from the
first one are the operators ``Shape.insert_text`` writes for each."""

from __future__ import annotations

import io

import pymupdf
import pytest
from PIL import Image

from pupil_privacy.redaction.formats import text
from pupil_privacy.redaction.formats.pdf import reading, removal

PARAGRAPH = (
    "Jake Whitfield pushed Amelia in the lunch queue; Mrs Helen Price saw it and rang "
    "07700 900123 the same afternoon. The office staff filed the note."
)


def _picture() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 60), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _varied_pdf(rotation: int = 0) -> bytes:
    """Text as MuPDF meets it: fonts and sizes, a wrapped paragraph, a vertical line, text
    off the page, text over a picture, ligatures (our own layout), and a rotated page."""
    doc = pymupdf.open(
        stream=text.render_pdf([("", "Mr McCafferty and Fiona Flint find office staff.")])
    )
    page = doc.new_page(width=595, height=842)
    page.insert_text((56, 60), "Incident log: Jake Whitfield", fontname="helv", fontsize=14)
    page.insert_text((56, 90), "Witness: Mrs Helen Price (Year 4)", fontname="tiro", fontsize=9)
    page.insert_textbox(pymupdf.Rect(56, 110, 400, 220), PARAGRAPH, fontname="cour", fontsize=10)
    page.insert_text((500, 400), "Sideways Jake Whitfield", fontsize=11, rotate=90)
    page.insert_text((-200, 300), "Off the page: Jake Whitfield", fontsize=10)
    page.insert_image(pymupdf.Rect(56, 500, 296, 620), stream=_picture())
    page.insert_text((60, 560), "Over the picture: Jake Whitfield", fontsize=12)
    page.insert_text((56, 700), "tiny Jake Whitfield", fontsize=3)
    if rotation:
        page.set_rotation(rotation)
    return doc.tobytes()


@pytest.mark.parametrize("rotation", [0, 90])
def test_a_block_read_alone_has_the_boxes_of_the_whole_page_read(rotation):
    with pymupdf.open(stream=_varied_pdf(rotation), filetype="pdf") as doc:
        checked = 0
        for page in doc:
            textpage = reading.text_page(page)
            whole = reading.page_blocks(page, textpage)
            places = reading.block_places(textpage)
            blocks = reading.text_blocks(textpage)
            assert len(places) == len(whole)
            for place, block in zip(places, whole, strict=True):
                alone = reading.block_layout(textpage, blocks, place)
                assert alone is not None
                assert alone.text == block.text
                assert alone.boxes == block.boxes
                checked += 1
        assert checked >= 8


def _boxes(page: pymupdf.Page) -> list[pymupdf.Rect]:
    """Every other word's box, the picture's middle among them."""
    words = [pymupdf.Rect(w[:4]) for w in page.get_text("words")][::2]
    return [*words, pymupdf.Rect(100, 520, 200, 600)]


def _removed_by_pymupdf(page: pymupdf.Page, rects: list[pymupdf.Rect]) -> None:
    for rect in rects:
        page.add_redact_annot(rect, fill=False, cross_out=False)  # type: ignore[arg-type]
    page.apply_redactions(
        images=removal.REDACT_IMAGE_PIXELS, graphics=0, text=removal.REDACT_TEXT_REMOVE
    )


@pytest.mark.parametrize("rotation", [0, 90])
def test_one_annotation_of_quads_removes_what_one_annotation_per_box_removes(rotation):
    data = _varied_pdf(rotation)
    results = []
    for remove in (_removed_by_pymupdf, removal.remove_under):
        with pymupdf.open(stream=data, filetype="pdf") as doc:
            page = doc[1]
            remove(page, _boxes(page))
            assert list(page.annots()) == []  # the redaction annotations are gone too
            out = pymupdf.open(stream=doc.tobytes(garbage=4, deflate=True), filetype="pdf")
            kept = out[1].get_text("rawdict")
            pixels = out[1].get_pixmap(dpi=72).samples
            results.append((out[1].get_text(), str(kept["blocks"]), pixels))
            out.close()
    ours, theirs = results[1], results[0]
    assert "Whitfield" in _varied_text(data)  # the instrument: the names were there
    assert ours[0] == theirs[0]
    assert ours[1] == theirs[1]
    assert ours[2] == theirs[2]  # the picture's pixels blanked alike
    assert len(ours[0]) < len(_varied_text(data)) * 0.8  # and something was removed


def _varied_text(data: bytes) -> str:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return doc[1].get_text()


def test_labels_copied_from_the_first_are_those_insert_text_writes():
    label = "Third party"
    with pymupdf.open(stream=_varied_pdf(), filetype="pdf") as doc:
        page = doc[1]
        plates = [pymupdf.Rect(56 + 7 * i, 100 + 33.3 * i, 156.25 + 7 * i, 110.5 + 33.3 * i)
                  for i in range(6)]  # fmt: skip
        one_by_one, together = page.new_shape(), page.new_shape()
        for plate in plates:
            removal.write_label(one_by_one, plate, label)
        removal.write_labels(together, plates, label)
        assert together.text_cont == one_by_one.text_cont
        assert together.text_cont.count(" Tm") == len(plates)


@pytest.mark.parametrize("rotation", [0, 90, 270])
def test_boxes_drawn_together_are_those_draw_rect_draws(rotation):
    with pymupdf.open(stream=_varied_pdf(rotation), filetype="pdf") as doc:
        page = doc[1]
        rects = [*_boxes(page), pymupdf.Rect(10.123456, 20.000001, 10.1234561, 40.5)]
        one_by_one, together = page.new_shape(), page.new_shape()
        for rect in rects:
            one_by_one.draw_rect(rect)
        removal.draw_boxes(together, rects)
        assert together.draw_cont == one_by_one.draw_cont
        assert together.draw_cont.count(" re\n") == len(rects) > 10
        assert together.rect == one_by_one.rect
