"""Photos inside PDFs and Word documents lose their faces too (issue 13)."""

from __future__ import annotations

import io
import zipfile

import docx
import numpy as np
import pymupdf
import pytest
from media_photo import PhotoDetector, found
from PIL import Image

from pupil_privacy.redaction.document import redact_document

pytestmark = pytest.mark.usefixtures("no_ocr")


def _png(scene) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(scene.pixels).save(buffer, "PNG")
    return buffer.getvalue()


def _others(scene):
    return [b for i, b in enumerate(scene.faces) if i != scene.pupil]


def test_faces_in_a_pdf_photo_are_filled_and_the_pupil_kept(scene, pupil_photo, checker):
    doc = pymupdf.open()
    page = doc.new_page(width=1280, height=800)
    page.insert_text((40, 40), "Sports day, class 5")
    page.insert_image(pymupdf.Rect(0, 60, 1280, 780), stream=_png(scene))
    out = redact_document(doc.tobytes(), "newsletter.pdf", PhotoDetector(pupil_photo))
    result = pymupdf.open(stream=out.content, filetype="pdf")
    [(xref, *_)] = result[0].get_images(full=True)
    info = result.extract_image(xref)
    with Image.open(io.BytesIO(info["image"])) as picture:
        pixels = np.asarray(picture.convert("RGB"))
    assert pixels.shape[:2] == scene.pixels.shape[:2]
    assert len([b for b in _others(scene) if found(b, checker.detect(scene.pixels))]) >= 4
    after = checker.detect(pixels)
    assert [b for b in _others(scene) if found(b, after)] == []
    assert found(scene.faces[scene.pupil], after)
    assert sum(r.entity_type == "FACE" and r.page == 1 for r in out.records) >= 5


def test_faces_in_a_word_photo_are_filled(scene, checker):
    document = docx.Document()
    document.add_paragraph("Trip to the museum")
    document.add_picture(io.BytesIO(_png(scene)))
    buffer = io.BytesIO()
    document.save(buffer)
    out = redact_document(buffer.getvalue(), "trip.docx", PhotoDetector(None))
    with zipfile.ZipFile(io.BytesIO(out.content)) as package:
        [name] = [n for n in package.namelist() if n.startswith("word/media/")]
        with Image.open(io.BytesIO(package.read(name))) as picture:
            pixels = np.asarray(picture.convert("RGB"))
    after = checker.detect(pixels)
    assert [b for b in scene.faces if found(b, after)] == []  # no MIS photo: all go
    assert any("must mark the pupil's face" in w for w in out.warnings)
