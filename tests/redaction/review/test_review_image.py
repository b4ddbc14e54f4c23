"""Reviewer decisions on images: boxes fill pixels, a withheld image says so, and keep and
redact act on the text OCR reads (tesseract, from Debian)."""

from __future__ import annotations

import io

from docfactory import THIRD, flat, text_png
from PIL import Image
from pp_review_docs import MISSED, need, pdftotext

from pupil_privacy.redaction.decisions import Decisions, withheld_words
from pupil_privacy.redaction.document import redact_document
from pupil_privacy.redaction.formats.image import ocr_layout

LINES = ["Amelia Okafor sat with Jake Whitfield", f"Visitor {MISSED} signed in"]


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image.convert("RGB")


def _decide(**kinds: object) -> Decisions:
    return Decisions.from_json(kinds)


def test_a_box_fills_its_pixels_and_nothing_else(cast_detector):
    need("tesseract")
    source = text_png(LINES)
    decisions = _decide(boxes=[{"file": "scan.png", "page": 1, "rect": [10, 5, 210, 35]}])
    doc = redact_document(source, "scan.png", cast_detector, decisions=decisions)
    before, after = _open(source), _open(doc.content)
    assert before.getpixel((20, 10)) == (255, 255, 255)  # white paper in the input
    assert all(after.getpixel((x, y)) == (0, 0, 0) for x in (10, 100, 209) for y in (5, 20, 34))
    assert after.getpixel((1300, 10)) == (255, 255, 255)  # outside the box: untouched
    [box] = doc.decisions_applied
    assert box.places[0].rect == (10.0, 5.0, 210.0, 35.0) and box.places[0].page == 1


def test_a_box_off_the_image_is_reported(cast_detector):
    need("tesseract")
    decisions = _decide(boxes=[{"file": "scan.png", "page": 1, "rect": [5000, 10, 5100, 20]}])
    doc = redact_document(text_png(LINES), "scan.png", cast_detector, decisions=decisions)
    [unmatched] = doc.decisions_unmatched
    assert unmatched.note == "the box lies outside the 1400x260 pixel image"


def test_a_withheld_image_is_white_and_says_why(cast_detector):
    need("tesseract")
    decisions = _decide(
        withhold_pages=[{"file": "scan.png", "page": 1, "reason": "rule-13-serious-harm"}]
    )
    doc = redact_document(text_png(LINES), "scan.png", cast_detector, decisions=decisions)
    read = flat(ocr_layout(_open(doc.content)).text)
    assert "Amelia" not in read and "Whitfield" not in read and "Voss" not in read
    assert "Withheld" in read and "harm" in read
    as_pdf = redact_document(text_png(LINES), "scan.png", cast_detector, as_pdf=True,
                             decisions=decisions)  # fmt: skip
    # the image's page is the image itself, also when it is laid out as a PDF
    assert "Amelia" not in pdftotext(as_pdf.content)
    [withheld] = as_pdf.decisions_applied
    assert withheld.places[0].page == 1 and withheld.note == "page withheld: rule-13-serious-harm"
    assert withheld_words(withheld.decision.reason) == "Withheld: serious harm"


def test_keep_and_redact_act_on_the_ocr_text(cast_detector):
    need("tesseract")
    source = text_png(LINES)
    assert "Voss" in ocr_layout(_open(source)).text  # OCR reads both names in the input
    plain = redact_document(source, "scan.png", cast_detector)
    assert "Whitfield" not in ocr_layout(_open(plain.content)).text
    decisions = _decide(keep=[{"text": THIRD}], redact=[{"text": MISSED}])
    doc = redact_document(source, "scan.png", cast_detector, decisions=decisions)
    read = flat(ocr_layout(_open(doc.content)).text)
    assert "Whitfield" in read and "Voss" not in read and "Kestrel" not in read
    assert sorted(r.kind for r in doc.decisions_applied) == ["keep", "redact"]
