"""Hostile inputs (issue 11): every one ends in a clear per-file error or a correct output.

Removal mechanics run with the fixed-string stand-in detector (docfactory.FakeDetector);
the parsers, limits and leak check are the real ones. Each output is checked both ways:
the third party is gone, and the pupil's own data is still there.
"""

from __future__ import annotations

import io
import os
import tracemalloc
import zipfile
from pathlib import Path

import pymupdf
import pytest
from docfactory import THIRD, THIRD_EMAIL, FakeDetector, flat, pdf_text_everywhere
from hostile import (
    OWN,
    empty_from_eml,
    lying_docx,
    many_attachments_eml,
    many_pages_pdf,
    nested_eml,
    scanned_page_pdf,
    six_page_pdf,
    truncated_pdf,
    utf16_text,
)

from pupil_privacy.redaction import limits
from pupil_privacy.redaction.document import read_regular_file, redact_document, redact_file
from pupil_privacy.redaction.errors import (
    CorruptDocument,
    DocumentTooLarge,
    UnsupportedDocument,
)
from pupil_privacy.redaction.formats import docx
from pupil_privacy.redaction.formats.image import ocr_available
from pupil_privacy.redaction.formats.pdf import readback, reading, units
from pupil_privacy.redaction.formats.text import decode_text


def _pdf_text(data: bytes) -> str:
    return flat(pdf_text_everywhere(data))


# --- DOCX: inflation is streamed and capped whatever the headers say ---------------------


def _refused_with_peak(data: bytes, name: str, error: type[Exception], match: str) -> int:
    """Redact ``data`` expecting ``error``; the peak of Python allocations meanwhile."""
    tracemalloc.start()
    try:
        with pytest.raises(error, match=match):
            redact_document(data, name, FakeDetector())
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_docx_whose_headers_understate_the_part_is_corrupt_with_flat_memory():
    data = lying_docx(declared=10_000, actual=64 << 20)
    assert len(data) < 1 << 20  # a small file...
    peak = _refused_with_peak(data, "lies.docx", CorruptDocument, "cannot be unpacked")
    assert peak < 8 << 20  # ...that never becomes 64 MB in memory


def test_docx_part_inflating_past_the_cap_is_refused_at_the_cap(monkeypatch):
    # Headers claim a size under every declared-size check; the bytes go on past it.
    monkeypatch.setattr(docx, "MAX_XML_PART", 4 << 20)
    data = lying_docx(declared=8 << 20, actual=64 << 20)
    peak = _refused_with_peak(data, "bomb.docx", DocumentTooLarge, "expands past 4 MB")
    assert peak < 16 << 20


def test_docx_with_a_damaged_part_names_the_part():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document>" * 10)
    data = bytearray(buffer.getvalue())
    data[40] ^= 0xFF  # inside the deflate stream
    with pytest.raises(CorruptDocument, match="word/document.xml"):
        redact_document(bytes(data), "damaged.docx", FakeDetector())


# --- PDF: repaired, truncated, huge pages, too many pages --------------------------------


def test_pdf_cut_before_its_index_is_redacted_with_a_repair_warning():
    doc = redact_document(truncated_pdf("xref"), "cut.pdf", FakeDetector())
    assert any("repaired" in w and w.startswith("cut.pdf") for w in doc.warnings)
    assert THIRD not in _pdf_text(doc.content)
    with pymupdf.open(stream=doc.content, filetype="pdf") as out:
        assert [OWN in page.get_text() for page in out] == [True] * 6  # every page is back


def test_whole_pdf_has_no_repair_warning():
    doc = redact_document(six_page_pdf(), "whole.pdf", FakeDetector())
    assert not any("repaired" in w for w in doc.warnings)


def test_pdf_cut_in_the_middle_is_a_clean_corrupt_error():
    with pytest.raises(CorruptDocument, match="damaged"):
        redact_document(truncated_pdf("middle"), "cut.pdf", FakeDetector())


def test_pdf_over_the_page_limit_is_refused_before_any_work(monkeypatch):
    monkeypatch.setattr(reading, "MAX_PAGES", 50)
    with pytest.raises(DocumentTooLarge, match="51 pages, over the limit of 50"):
        redact_document(many_pages_pdf(51), "long.pdf", FakeDetector())


@pytest.mark.parametrize("points", [8000, 14400])
def test_ocr_render_of_a_huge_page_stays_under_the_pixel_cap(points):
    with pymupdf.open(stream=scanned_page_pdf(points), filetype="pdf") as doc:
        page = doc[0]
        dpi = units.ocr_dpi(page)
        pix = page.get_pixmap(dpi=int(dpi))
        assert pix.width * pix.height <= limits.OCR_MAX_PIXELS
        assert dpi < units.OCR_DPI
    with pymupdf.open(stream=scanned_page_pdf(595), filetype="pdf") as doc:
        assert units.ocr_dpi(doc[0]) == units.OCR_DPI  # ordinary pages keep full resolution


def test_huge_scanned_page_is_ocr_redacted_at_the_capped_resolution():
    if not ocr_available():
        if os.environ.get("CI") == "true":
            pytest.fail("tesseract (Debian tesseract-ocr) is missing in CI")
        pytest.skip("tesseract is not installed")
    doc = redact_document(scanned_page_pdf(8000), "poster.pdf", FakeDetector())
    removed = {r.text for r in doc.records}
    assert THIRD in removed
    places, _ = readback.readback(doc.content, "poster.pdf")  # OCR of the output page
    seen = flat(" ".join(text for _, text in places))
    assert "Whitfield" not in seen
    assert "Okafor" in seen


# --- EML: header parse errors, attachment and nesting limits -----------------------------


def test_eml_with_null_sender_is_redacted():
    doc = redact_document(empty_from_eml(), "bounce.eml", FakeDetector())
    text = doc.content.decode()
    assert THIRD not in text and OWN in text
    assert "h.price@school.example" in text  # the other headers survive


def test_eml_with_raw_8bit_headers_is_redacted():
    # Found by hypothesis: undeclared UTF-8 in a header came back as surrogate escapes,
    # which the email writer could not encode (UnicodeEncodeError, a crash).
    raw = (
        f"From: \x80 {THIRD} <{THIRD_EMAIL}>\r\nSubject: café\r\n\r\n{THIRD} wrote to {OWN}.\r\n"
    ).encode()
    text = redact_document(raw, "8bit.eml", FakeDetector()).content.decode()
    assert THIRD not in text and THIRD_EMAIL not in text and OWN in text
    assert "Subject: =?utf-8?q?caf=C3=A9?=" in text


def test_eml_with_too_many_attachments_is_refused(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ATTACHMENTS", 10)
    with pytest.raises(DocumentTooLarge, match="more than 10 attachments"):
        redact_document(many_attachments_eml(11), "many.eml", FakeDetector())
    assert redact_document(many_attachments_eml(10), "ten.eml", FakeDetector()).pages == 11


def test_attachments_count_over_all_nesting_levels(monkeypatch):
    # Nine levels of one attachment each: within a per-level limit of 5, not a total of 5.
    monkeypatch.setattr(limits, "MAX_ATTACHMENTS", 5)
    doc = redact_document(nested_eml(4), "four.eml", FakeDetector())  # 3 attachments: fine
    assert THIRD not in doc.content.decode() and OWN in doc.content.decode()
    doc = redact_document(nested_eml(9), "nine.eml", FakeDetector())
    assert any("more than 5 attachments" in w for w in doc.warnings)
    assert THIRD not in doc.content.decode() and OWN in doc.content.decode()


def test_eml_nested_deeper_than_the_limit_drops_the_deep_part_with_a_warning():
    doc = redact_document(nested_eml(9), "deep.eml", FakeDetector())
    assert any("nested more than" in w for w in doc.warnings)
    assert THIRD not in doc.content.decode()


# --- time budget --------------------------------------------------------------------------


def test_document_over_its_time_budget_is_stopped(monkeypatch):
    monkeypatch.setattr(limits, "TIME_BUDGET", 0.0)
    with pytest.raises(limits.DocumentTimeout, match="note.txt took longer than the 0 s"):
        redact_document(f"{OWN} met {THIRD}.".encode(), "note.txt", FakeDetector())


def test_attachments_share_the_outer_documents_budget():
    with limits.budget("outer.eml", seconds=60):
        with limits.budget("inner.pdf", seconds=0):
            limits.check_time()  # the inner budget did not replace the outer one
        remaining = limits.remaining()
    assert remaining is not None and 59 < remaining <= 60
    assert limits.remaining() is None


# --- text encodings -----------------------------------------------------------------------


@pytest.mark.parametrize("bom", [True, False])
def test_utf16_text_is_read_and_redacted(bom):
    doc = redact_document(utf16_text(bom), "note.txt", FakeDetector())
    text = doc.content.decode("utf-8")
    assert THIRD not in text and f"{OWN} sat with [Third party]" in text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Zoë Ní Bhriain".encode("utf-8-sig"), "Zoë Ní Bhriain"),
        ("Zoë Ní Bhriain".encode("utf-16-be"), "Zoë Ní Bhriain"),
        ("Zoë".encode("utf-32"), "Zoë"),
        ("café".encode("cp1252"), "café"),
    ],
)
def test_text_encodings_are_sniffed(data, expected):
    assert decode_text(data) == expected


def test_binary_data_named_txt_is_still_refused():
    with pytest.raises(CorruptDocument, match="binary data"):
        redact_document(bytes(range(256)) * 4, "photo.txt", FakeDetector())


# --- inputs must be regular files ---------------------------------------------------------


def test_symlink_input_is_refused_and_nothing_is_written(tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text(f"{THIRD}, {THIRD_EMAIL}\n")
    link = tmp_path / "note.txt"
    link.symlink_to(secret)
    with pytest.raises(UnsupportedDocument, match="symbolic link"):
        redact_file(link, tmp_path / "out", FakeDetector())
    assert not (tmp_path / "out").exists()


def test_fifo_input_is_refused_without_blocking(tmp_path: Path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(UnsupportedDocument, match="not a regular file"):
        read_regular_file(fifo)


def test_regular_file_is_read(tmp_path: Path):
    path = tmp_path / "note.txt"
    path.write_text(f"{OWN} met {THIRD}.")
    doc = redact_file(path, tmp_path / "out", FakeDetector())
    assert (tmp_path / "out" / doc.filename).read_text() == f"{OWN} met [Third party]."
