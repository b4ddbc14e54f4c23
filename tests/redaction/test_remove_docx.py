"""True removal from Word documents: every XML part, not just the body (rule 18).

Built with python-docx, redacted, then unzipped: the third party must be absent from
every XML part (so from comments, headers, footers, properties, tracked deletions and
tables alike), and the pupil's own data must still be there.
"""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docfactory import (
    OWN,
    ROSTER,
    SUBJECT,
    THIRD,
    FakeDetector,
    docx_with_hidden_places,
    docx_xml_text,
    flat,
    pdf_text_everywhere,
    text_png,
)

from pupil_privacy.redaction.document import redact_document
from pupil_privacy.redaction.errors import CorruptDocument, DocumentTooLarge, EncryptedDocument


@pytest.fixture(scope="module")
def real(make_detector):
    return make_detector(SUBJECT, ROSTER)


@pytest.fixture(scope="module")
def out(real):
    return redact_document(docx_with_hidden_places(), "note.docx", real)


def _parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            n: archive.read(n).decode("utf-8", "replace")
            for n in archive.namelist()
            if n.endswith((".xml", ".rels"))
        }


def test_third_party_absent_from_every_xml_part(out):
    for name, xml in _parts(out.content).items():
        assert "Whitfield" not in xml, name
        assert "Jake" not in xml, name


@pytest.mark.parametrize(
    "part",
    ["word/document.xml", "word/comments.xml", "word/header1.xml", "word/footer1.xml",
     "docProps/core.xml"],
)  # fmt: skip
def test_each_place_held_the_name_before_and_not_after(out, part):
    before = _parts(docx_with_hidden_places())
    after = _parts(out.content)
    assert "Whitfield" in before[part]  # the test really plants the name there
    assert "Whitfield" not in after[part]


def test_tracked_deletion_is_dropped(out):
    before = docx_xml_text(docx_with_hidden_places())
    assert "Earlier draft blamed" in before
    assert "Earlier draft blamed" not in docx_xml_text(out.content)


def test_name_split_across_runs_is_removed_and_labelled(out):
    document = docx.Document(io.BytesIO(out.content))
    texts = [p.text for p in document.paragraphs]
    assert any("At break [Third party] pushed Amelia" in t for t in texts)


def test_own_data_and_table_survive(out):
    document = docx.Document(io.BytesIO(out.content))
    body = " ".join(p.text for p in document.paragraphs)
    for own in OWN:
        assert own in body
    assert "Mrs Price" in body  # rule 11
    cells = [c.text for row in document.tables[0].rows for c in row.cells]
    assert cells == ["Pupil", "Witness", "Amelia Okafor", "[Third party]"]
    assert document.core_properties.author == ""
    assert document.core_properties.title == "Notes on [Third party]"


def test_records_cover_each_removal(out):
    assert len([r for r in out.records if "Whitfield" in r.text]) >= 5
    assert all(r.file == "note.docx" for r in out.records)


def test_as_pdf_renders_body_table_header_and_comments(real, monkeypatch):
    # the plain rendering (no LibreOffice); test_docx_layout.py covers LibreOffice's layout
    monkeypatch.setenv("PUPIL_PRIVACY_SOFFICE", "")
    result = redact_document(docx_with_hidden_places(), "note.docx", real, as_pdf=True)
    assert result.filename == "note.pdf" and result.media_type == "application/pdf"
    text = flat(pdf_text_everywhere(result.content))
    assert "Whitfield" not in text
    assert "Amelia Okafor | [Third party]" in text
    assert "Confidential" in text.replace("\ufb01", "fi")


def test_image_metadata_stripped_inside_docx():
    document = docx.Document()
    document.add_paragraph("Photo of Amelia Okafor")
    document.add_picture(io.BytesIO(text_png(["Sports day"], exif_author=THIRD)))
    doc_pr = document.inline_shapes[0]._inline.docPr
    doc_pr.set("descr", f"Photo of {THIRD}")  # alt text: a hidden place
    buffer = io.BytesIO()
    document.save(buffer)
    result = redact_document(buffer.getvalue(), "photo.docx", FakeDetector())
    with zipfile.ZipFile(io.BytesIO(result.content)) as archive:
        media = [archive.read(n) for n in archive.namelist() if n.startswith("word/media/")]
    assert media and all(b"Whitfield" not in m for m in media)
    assert "Whitfield" not in docx_xml_text(result.content)


def test_zip_bomb_is_refused_before_unzipping():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<a/>")
        archive.writestr("word/bomb.xml", b"\0" * (20 * 1024 * 1024))
    with pytest.raises(DocumentTooLarge, match="zip bomb"):
        redact_document(buffer.getvalue(), "bomb.docx", FakeDetector())


def test_password_protected_docx_is_refused():
    cfb = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    with pytest.raises(EncryptedDocument, match="password"):
        redact_document(cfb, "locked.docx", FakeDetector())


def test_corrupt_docx_is_refused():
    with pytest.raises(CorruptDocument):
        redact_document(b"PK\x03\x04 not a zip", "broken.docx", FakeDetector())


def test_thumbnail_and_chart_labels_are_cleared():
    chart = (
        '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        f"<c:pt><c:v>{THIRD}</c:v></c:pt><c:pt><c:v>12</c:v></c:pt></c:chartSpace>"
    )
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx_with_hidden_places())) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for info in source.infolist():
            if info.filename != "docProps/thumbnail.jpeg":
                target.writestr(info, source.read(info))
        target.writestr("docProps/thumbnail.jpeg", text_png([THIRD], exif_author=THIRD))
        target.writestr("word/charts/chart1.xml", chart)
    result = redact_document(buffer.getvalue(), "chart.docx", FakeDetector())
    with zipfile.ZipFile(io.BytesIO(result.content)) as archive:
        thumbnail = archive.read("docProps/thumbnail.jpeg")
        chart_out = archive.read("word/charts/chart1.xml").decode()
    assert b"Whitfield" not in thumbnail and len(thumbnail) < 2000  # a blank picture now
    assert "Whitfield" not in chart_out and "<c:v>12</c:v>" in chart_out
