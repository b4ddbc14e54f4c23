"""What a family sees where text was removed from a PDF (issue 12): one label style, white on
black at 8 pt or more inside its box, the words of the label only (never the removed text),
the pupil's own lines left uncovered; and a reader's comment icons and highlights gone.

Rendered with Debian's pdftoppm at 72 dpi, which is 100% zoom: the label's pixels are there
to be read, and its size comes from the PDF's own text (``get_text("dict")``).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pymupdf
import pytest
from docfactory import THIRD, FakeDetector, page_spans
from PIL import Image
from support.debian import need

from pupil_privacy.redaction.document import redact_document
from pupil_privacy.redaction.formats import image
from pupil_privacy.redaction.formats.pdf.reading import page_blocks
from pupil_privacy.redaction.formats.pdf.removal import LABEL_SIZE
from pupil_privacy.redaction.report import DEFAULT_LABEL

OWN = "Amelia Okafor"


def _pdf(lines: list[str], size: float = 11, pitch: float = 14) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    for number, line in enumerate(lines):
        page.insert_text((72, 100 + number * pitch), line, fontsize=size)
    return doc.tobytes()


def _black_boxes(page: pymupdf.Page) -> list[pymupdf.Rect]:
    return [
        pymupdf.Rect(item[1])
        for drawing in page.get_drawings()
        if drawing.get("fill") == (0.0, 0.0, 0.0)
        for item in drawing["items"]
        if item[0] == "re"
    ]


def _render(data: bytes, tmp_path: Path, dpi: int) -> Image.Image:
    source = tmp_path / "out.pdf"
    source.write_bytes(data)
    prefix = tmp_path / f"page-{dpi}"
    subprocess.run([need("pdftoppm"), "-r", str(dpi), "-png", str(source), str(prefix)], check=True)
    [png] = sorted(tmp_path.glob(f"page-{dpi}*.png"))
    return Image.open(png).convert("L")


def _crop(picture: Image.Image, rect: pymupdf.Rect, dpi: int) -> Image.Image:
    scale = dpi / 72
    return picture.crop(tuple(round(v * scale) for v in rect))  # type: ignore[arg-type]


def _ink(span: dict) -> pymupdf.Rect:
    """Where a Helvetica span's letters are: cap height to descender (its AFM: 718, -207)."""
    x0, _, x1, _ = span["bbox"]
    _, y = span["origin"]
    return pymupdf.Rect(x0, y - 0.718 * span["size"], x1, y + 0.207 * span["size"])


@pytest.fixture
def labelled() -> bytes:
    data = _pdf([f"{OWN} was at the gate.", f"{THIRD} was there too.", f"{OWN} went home."])
    return redact_document(data, "note.pdf", FakeDetector()).content


def test_the_label_is_8_pt_inside_a_black_box_and_says_only_the_label(labelled):
    with pymupdf.open(stream=labelled, filetype="pdf") as doc:
        page = doc[0]
        spans = page_spans(page)
        boxes = _black_boxes(page)
        text = page.get_text()
    labels = [s for s in spans if s["text"].strip() == DEFAULT_LABEL]
    assert len(labels) == 1
    [label] = labels
    assert label["size"] >= LABEL_SIZE == 8
    assert label["color"] == 0xFFFFFF  # white on the black box
    assert any(box.contains(_ink(label)) for box in boxes)  # inside its box, not beside it
    # the label reveals nothing: the removed name is nowhere, the label is the whole text
    assert "Whitfield" not in text and "Jake" not in text
    assert all(s["size"] >= LABEL_SIZE for s in spans if s["color"] == 0xFFFFFF)


@pytest.mark.parametrize(("size", "pitch"), [(11, 14), (8, 9.2)])  # 8 pt set solid + 15%
def test_the_pupils_own_lines_are_not_covered_by_the_label(size, pitch):
    lines = [f"{OWN} was at the gate.", f"{THIRD} was there too.", f"{OWN} went home."]
    data = redact_document(_pdf(lines, size, pitch), "note.pdf", FakeDetector()).content
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        page = doc[0]
        boxes = _black_boxes(page)
        labels = [s for s in page_spans(page) if s["text"].strip() == DEFAULT_LABEL]
        blocks = page_blocks(page)
    assert labels, "the removed name is labelled"
    chars = [
        pymupdf.Rect(entry[0])
        for block in blocks
        for found in re.finditer(OWN, block.text)
        for entry in block.boxes[found.start() : found.end()]
        if entry is not None
    ]
    assert len(chars) == 2 * len(OWN)  # both of the pupil's lines, every character
    assert not [c for c in chars if any(box.intersects(c) for box in boxes)]


def test_the_label_is_drawn_legibly_at_100_percent_zoom(labelled, tmp_path):
    with pymupdf.open(stream=labelled, filetype="pdf") as doc:
        [label] = [s for s in page_spans(doc[0]) if s["text"].strip() == DEFAULT_LABEL]
    plate = _crop(_render(labelled, tmp_path, 72), _ink(label), 72)
    histogram = plate.histogram()
    # anti-aliased 8 px letters: their strokes are light grey to white on the black box
    white, black = sum(histogram[128:]), sum(histogram[:60])
    assert white > 30 and black > 40  # letters drawn on the box, not a blank bar
    rows = [
        y
        for y in range(plate.height)
        if plate.crop((0, y, plate.width, y + 1)).getextrema()[1] > 128
    ]
    assert rows and rows[-1] - rows[0] + 1 >= 5  # capital letters at least 5 px tall


def test_the_label_reads_as_its_words(labelled, tmp_path):
    need("tesseract")
    with pymupdf.open(stream=labelled, filetype="pdf") as doc:
        [label] = [s for s in page_spans(doc[0]) if s["text"].strip() == DEFAULT_LABEL]
    area = _ink(label) + (-2, -2, 2, 2)
    plate = _crop(_render(labelled, tmp_path, 200), area, 200)
    inverted = Image.eval(plate, lambda v: 255 - v)  # black letters on white, as OCR expects
    assert DEFAULT_LABEL in image.ocr_layout(inverted).text


def test_a_name_narrower_than_the_label_gets_a_plain_box_never_a_tiny_label():
    data = _pdf([f"{OWN} saw Jo at lunch."])
    out = redact_document(data, "short.pdf", FakeDetector(third=["Jo"])).content
    with pymupdf.open(stream=out, filetype="pdf") as doc:
        spans = page_spans(doc[0])
        text = doc[0].get_text()
        boxes = _black_boxes(doc[0])
    assert "Jo " not in text and OWN in text
    assert boxes  # removed, and shown as removed
    assert all(s["size"] >= LABEL_SIZE for s in spans if s["color"] == 0xFFFFFF)


def test_comment_icons_and_highlights_are_removed_and_the_text_stays(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), f"{OWN} was at the gate.", fontsize=11)
    [own] = page.search_for(OWN)
    page.add_highlight_annot(own)
    page.add_text_annot((400, 90), f"Comment: ask {THIRD}")
    page.add_underline_annot(own)
    out = redact_document(doc.tobytes(), "marked.pdf", FakeDetector())
    with pymupdf.open(stream=out.content, filetype="pdf") as result:
        page = result[0]
        assert list(page.annots()) == []
        assert page.get_drawings() == []  # no icon or coloured bar baked into the page
        assert OWN in page.get_text()
    assert any("3 comment(s)/highlight(s) removed" in w for w in out.warnings)
    assert THIRD not in repr(out.warnings)
