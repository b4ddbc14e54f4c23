"""Removal from text, Markdown and images (EXIF and OCR), dispatch, limits, atomic writes."""

from __future__ import annotations

import io
import os

import pymupdf
import pytest
from docfactory import BODY, ROSTER, SUBJECT, THIRD, FakeDetector, flat, text_png
from PIL import Image

from pupil_privacy.redaction import document, files
from pupil_privacy.redaction.document import redact_document, redact_file
from pupil_privacy.redaction.errors import (
    CorruptDocument,
    DocumentTooLarge,
    UnsupportedDocument,
)
from pupil_privacy.redaction.formats import image
from pupil_privacy.redaction.types import Action, Finding, Reason

needs_ocr = pytest.mark.skipif(
    not image.ocr_available() and os.environ.get("CI") != "true",
    reason="tesseract is not installed (scripts/system-deps.sh)",
)


@pytest.fixture(scope="module")
def real(make_detector):
    return make_detector(SUBJECT, ROSTER)


def test_text_labels_each_removal_and_keeps_own_data(real):
    text = BODY + f"Phone {THIRD} on 07700 900123 or email jake.whitfield@example.com.\n"
    out = redact_document(text.encode(), "note.txt", real)
    result = out.content.decode()
    assert "Whitfield" not in result and "900123" not in result and "jake.whitfield" not in result
    assert "[Third party]" in result
    assert "Amelia Okafor (UPN A123456789012)" in result  # the pupil's own data
    assert "Mrs Price" in result  # rule 11
    assert out.filename == "note.txt" and out.media_type == "text/plain"
    offsets = [r.offset for r in out.records]
    assert all(
        text[o : o + len(r.text)] == r.text for o, r in zip(offsets, out.records, strict=True)
    )


def test_markdown_stays_markdown_and_custom_label(real):
    out = redact_document(
        f"# Note\n\n*{THIRD}* and **Amelia Okafor**\n".encode(), "n.md", real, label="Withheld"
    )
    assert out.content.decode() == "# Note\n\n*[Withheld]* and **Amelia Okafor**\n"


def test_text_as_pdf(real):
    out = redact_document(BODY.encode(), "note.txt", real, as_pdf=True, title="Behaviour")
    doc = pymupdf.open(stream=out.content, filetype="pdf")
    text = flat(doc[0].get_text())
    assert out.filename == "note.pdf" and "Behaviour" in text
    assert out.pages == doc.page_count == 1
    assert "Whitfield" not in text and "Amelia Okafor" in text


def test_exif_is_stripped_from_jpeg():
    data = text_png(["Sports day"], exif_author=THIRD)
    assert b"Whitfield" in data
    out = redact_document(data, "photo.jpg", FakeDetector())
    assert b"Whitfield" not in out.content
    with Image.open(io.BytesIO(out.content)) as result:
        assert result.format == "JPEG" and not result.getexif()


@needs_ocr
def test_ocr_text_in_an_image_is_blanked(real):
    lines = ["Incident report for Amelia Okafor", f"{THIRD} pushed her at break"]
    out = redact_document(text_png(lines), "scan.png", real)
    assert any("Whitfield" in r.text for r in out.records)
    seen = image.readback_text(out.content)
    assert "Whitfield" not in seen and "Amelia Okafor" in seen


def test_without_ocr_images_are_still_stripped_and_the_gap_is_said(monkeypatch):
    monkeypatch.setattr("pupil_privacy.redaction.formats.image.ocr_available", lambda: False)
    out = redact_document(text_png(["x"], exif_author=THIRD), "photo.jpg", FakeDetector())
    assert b"Whitfield" not in out.content
    assert out.warnings == [f"photo.jpg: {image.OCR_UNAVAILABLE}"]


def test_decompression_bomb_is_refused():
    buffer = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buffer, "PNG")  # 144 Mpx in a few hundred KB
    with pytest.raises(DocumentTooLarge, match="pixel"):
        redact_document(buffer.getvalue(), "huge.png", FakeDetector())


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("old.doc", b"\xd0\xcf\x11\xe0", UnsupportedDocument),
        ("sheet.xlsx", b"PK\x03\x04", UnsupportedDocument),
        ("archive.zip", b"PK\x03\x04", UnsupportedDocument),
        ("fake.pdf", b"hello", CorruptDocument),
        ("fake.png", b"hello", CorruptDocument),
        ("binary.txt", b"\x00\x01\x02", CorruptDocument),
    ],
)
def test_unsupported_and_corrupt_inputs_have_reasons(name, data, error):
    with pytest.raises(error) as failure:
        redact_document(data, name, FakeDetector())
    assert name in failure.value.reason


def test_size_limit():
    with pytest.raises(DocumentTooLarge, match="over the"):
        redact_document(b"x" * 2000, "big.txt", FakeDetector(), max_bytes=1000)


def test_redact_file_writes_atomically(tmp_path, monkeypatch):
    source = tmp_path / "note.txt"
    source.write_text(BODY)
    out_dir = tmp_path / "out"
    doc = redact_file(source, out_dir, FakeDetector())
    assert (out_dir / doc.filename).read_bytes() == doc.content

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", crash)
    (out_dir / "note.txt").unlink()
    with pytest.raises(document.OutputError, match="disk full"):
        redact_file(source, out_dir, FakeDetector())
    assert os.listdir(out_dir) == []  # no partial or temporary file left behind


def test_jpeg_without_findings_is_reencoded_without_metadata():
    # issue 13: always re-encoded from pixels (a colour profile can carry text too)
    data = text_png(["Sports day"], exif_author=THIRD)
    assert b"Whitfield" in data
    out = redact_document(data, "photo.jpg", FakeDetector())
    assert out.content.startswith(b"\xff\xd8") and b"Exif" not in out.content
    assert b"Whitfield" not in out.content


def test_ocr_failure_fails_the_document_with_a_reason(monkeypatch):
    import pytesseract

    def broken(*args, **kwargs):
        raise pytesseract.TesseractError(1, "tesseract crashed")

    monkeypatch.setattr("pupil_privacy.redaction.formats.image.ocr_available", lambda: True)
    monkeypatch.setattr(pytesseract, "image_to_data", broken)
    with pytest.raises(image.OcrFailed, match="OCR failed"):
        redact_document(text_png(["Amelia Okafor"]), "scan.png", FakeDetector())


def test_laid_out_pdf_gets_a_last_pass_for_what_only_the_layout_shows():
    # detection that depends on layout (as NER does): "Kavita" counts only once the text
    # is read back from the PDF (no trailing newline); the last pass must remove it
    class LayoutSensitive(FakeDetector):
        def analyse(self, text):
            found = super().analyse(text)
            if not text.endswith("\n") and "Kavita" in text:
                start = text.index("Kavita")
                found.append(
                    Finding(
                        start,
                        start + 6,
                        "Kavita",
                        "PERSON",
                        0.8,
                        "spacy",
                        Action.REDACT,
                        Reason.UNKNOWN_PERSON,
                    )
                )
            return sorted(found, key=lambda f: f.start)

    data = b"Amelia Okafor sat with Kavita.\n"
    as_text = redact_document(data, "n.txt", LayoutSensitive())
    assert b"Kavita" in as_text.content  # as text, nothing to remove
    out = redact_document(data, "n.txt", LayoutSensitive(), as_pdf=True)
    text = pymupdf.open(stream=out.content, filetype="pdf")[0].get_text()
    assert "Kavita" not in text and "Amelia Okafor" in text
    assert [(r.text, r.page) for r in out.records] == [("Kavita", 1)]


@pytest.mark.parametrize(
    "text", ["a\n\nb\n \n\nc\n", "", "x", "row,1\n" * 3000, "\n\nlead", "one\r\n\r\ntwo"]
)
def test_text_units_give_the_text_back(text):
    from pupil_privacy.redaction.formats.text import UNIT_CHARS, split_units

    pairs = split_units(text)
    assert "".join(unit + sep for unit, sep in pairs) == text
    assert all(len(unit) <= UNIT_CHARS for unit, _ in pairs)


def test_a_large_export_is_redacted_unit_by_unit_with_true_offsets():
    text = "pupil,score\n" + "Amelia Okafor,7\n" * 20000 + f"{THIRD},9\n"
    fake = FakeDetector()
    out = redact_document(text.encode(), "export.csv", fake)
    assert out.content.decode().endswith("[Third party],9\n")
    [row] = out.records
    assert text[row.offset : row.offset + len(row.text)] == THIRD
