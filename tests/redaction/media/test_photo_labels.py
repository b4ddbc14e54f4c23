"""Removed regions of pictures say why on the pack's pages (issue 12: one label style).

A still image placed on a pack page, and a photo inside a PDF, get each removed region
(a face, a reviewer's box) drawn black on the page with the same white 8 pt label as
removed text, where the label fits at the placed scale. The label is PDF text, so a
reader (and ``get_text``) finds it inside the region; the pixels under it stay destroyed,
so taking the picture out of the PDF recovers nothing.
"""

from __future__ import annotations

import io

import numpy as np
import pymupdf
import pytest
from docfactory import page_spans
from media_photo import PhotoDetector, found
from PIL import Image, ImageDraw

from pupil_privacy.redaction import faces
from pupil_privacy.redaction.decisions import Box, Decisions
from pupil_privacy.redaction.document import redact_document
from pupil_privacy.redaction.formats.image import Layout
from pupil_privacy.redaction.formats.pdf.removal import LABEL_SIZE
from pupil_privacy.redaction.formats.pdf.units import scanned
from pupil_privacy.redaction.report import DEFAULT_LABEL

pytestmark = pytest.mark.usefixtures("no_ocr")


def _png(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    return buffer.getvalue()


def _labels(page: pymupdf.Page) -> list[dict]:
    words = (DEFAULT_LABEL, "Withheld: serious harm")
    return [span for span in page_spans(page) if span["text"].strip() in words]


def _placed(page: pymupdf.Page, box, size) -> pymupdf.Rect:
    """A pixel box of the page's one picture, in page points."""
    [(xref, *_)] = page.get_images(full=True)
    [bbox] = page.get_image_rects(xref)
    sx, sy = bbox.width / size[0], bbox.height / size[1]
    x0, y0, x1, y1 = box
    return pymupdf.Rect(bbox.x0 + x0 * sx, bbox.y0 + y0 * sy, bbox.x0 + x1 * sx, bbox.y0 + y1 * sy)


def _picture(page: pymupdf.Page) -> np.ndarray:
    [(xref, *_)] = page.get_images(full=True)
    data = page.parent.extract_image(xref)["image"]
    with Image.open(io.BytesIO(data)) as picture:
        return np.asarray(picture.convert("RGB"))


def _assert_labels_inside(page: pymupdf.Page, regions: list[pymupdf.Rect]) -> list[dict]:
    labels = _labels(page)
    for span in labels:
        where = pymupdf.Rect(span["bbox"])
        assert span["size"] >= LABEL_SIZE
        assert span["color"] == 0xFFFFFF  # white on the black region
        assert any(r.contains(where) for r in regions), f"label {where} outside every region"
    return labels


def _roomy(regions: list[pymupdf.Rect]) -> int:
    """How many regions are wide and tall enough at their placed scale for the label."""
    room = pymupdf.get_text_length(DEFAULT_LABEL, "helv", LABEL_SIZE) + 2
    return sum(r.width >= room and r.height >= LABEL_SIZE + 2 for r in regions)


def test_faces_removed_from_a_still_image_are_labelled_on_its_pack_page(
    scene, pupil_photo, checker
):
    out = redact_document(_png(scene.pixels), "class.png", PhotoDetector(pupil_photo), as_pdf=True)
    removed = [r for r in out.records if r.entity_type == "FACE" and r.action == "redact"]
    assert len(removed) >= 5
    height, width = scene.pixels.shape[:2]
    with pymupdf.open(stream=out.content, filetype="pdf") as pdf:
        page = pdf[0]
        regions = [_placed(page, faces.pad(r.box, width, height), (width, height)) for r in removed]
        labels = _assert_labels_inside(page, regions)
        assert 0 < len(labels) == _roomy(regions) < len(regions)  # a small face stays plain
        pixels = _picture(page)
        pupil = _placed(page, scene.faces[scene.pupil], (width, height))
    # nothing of the removed faces is left under the labels: the pixels are the fill
    others = [b for i, b in enumerate(scene.faces) if i != scene.pupil]
    assert [b for b in others if found(b, checker.detect(pixels))] == []
    for r in removed:
        x0, y0, x1, y1 = r.box
        assert (pixels[y0:y1, x0:x1] == faces.FILL).all()
    # the pupil's own face is neither covered nor labelled
    assert not any(pupil.intersects(pymupdf.Rect(s["bbox"])) for s in labels)
    assert found(scene.faces[scene.pupil], checker.detect(pixels))


def _card() -> bytes:
    """A white picture with a name written large in it (what a reviewer boxes)."""
    picture = Image.new("RGB", (800, 600), "white")
    ImageDraw.Draw(picture).text((100, 100), "Priya Okoro", fill="black", font_size=60)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def test_a_reviewers_boxes_on_an_image_say_why_and_free_text_is_never_printed():
    decisions = Decisions(
        boxes=(
            Box("card.png", 1, (80, 80, 500, 180), "Names the witness"),
            Box("card.png", 1, (80, 300, 500, 400), "rule-13-serious-harm"),
            Box("card.png", 1, (600, 500, 620, 510), "third-party"),  # too small for words
        )
    )
    out = redact_document(
        _card(), "card.png", PhotoDetector(None), as_pdf=True, decisions=decisions
    )
    with pymupdf.open(stream=out.content, filetype="pdf") as pdf:
        page = pdf[0]
        regions = [_placed(page, b.rect, (800, 600)) for b in decisions.boxes]
        labels = _assert_labels_inside(page, regions)
        words = sorted((s["text"], regions.index(_inside(s, regions))) for s in labels)
        assert words == [(DEFAULT_LABEL, 0), ("Withheld: serious harm", 1)]
        text = page.get_text()
        pixels = _picture(page)
    assert "Names the witness" not in text and "rule" not in text
    for x0, y0, x1, y1 in (b.rect for b in decisions.boxes):
        assert (pixels[y0:y1, x0:x1] == 0).all()  # the name's pixels are gone, not covered


def _inside(span: dict, regions: list[pymupdf.Rect]) -> pymupdf.Rect:
    return next(r for r in regions if r.contains(pymupdf.Rect(span["bbox"])))


def test_faces_in_a_photo_inside_a_pdf_are_labelled_where_it_is_placed(scene, pupil_photo, checker):
    doc = pymupdf.open()
    page = doc.new_page(width=1280, height=800)
    page.insert_text((40, 40), "Sports day, class 5")
    page.insert_image(pymupdf.Rect(0, 60, 1280, 780), stream=_png(scene.pixels))
    out = redact_document(doc.tobytes(), "newsletter.pdf", PhotoDetector(pupil_photo))
    removed = [r for r in out.records if r.entity_type == "FACE" and r.action == "redact"]
    height, width = scene.pixels.shape[:2]
    with pymupdf.open(stream=out.content, filetype="pdf") as pdf:
        regions = [
            _placed(pdf[0], faces.pad(r.box, width, height), (width, height)) for r in removed
        ]
        labels = _assert_labels_inside(pdf[0], regions)
        pixels = _picture(pdf[0])
    assert len(removed) >= 5 and len(labels) == _roomy(regions) >= 4
    others = [b for i, b in enumerate(scene.faces) if i != scene.pupil]
    assert [b for b in others if found(b, checker.detect(pixels))] == []


def test_a_scan_with_labelled_boxes_is_still_read_as_a_scan():
    """Our labels are not the page's text: a scan with several of them is still OCR'd by
    removal and by the leak check, or its picture would go unread (rule 18)."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_image(page.rect, stream=_card())
    labels = [Layout(f"{DEFAULT_LABEL}\n{DEFAULT_LABEL}"), Layout(DEFAULT_LABEL)]
    assert scanned(page, labels)
    assert not scanned(page, [*labels, Layout("Minutes of the meeting of the governors")])
    assert not scanned(page, labels, label="")  # counted as text when it is not our label
