"""The demo's file records are real documents: each opens in the library a school's
systems would use, and carries the hidden places redaction must clear (rule 18)."""

from __future__ import annotations

import email
import email.policy
import io
from email.message import EmailMessage

import docx
import pymupdf
import pytest
from PIL import Image

from pupil_privacy.demo.documents import ARTIST, EXIF_IFD, GPS_IFD, IMAGE_DESCRIPTION
from pupil_privacy.demo.school import DemoRecord, School


def _files(school: School, suffix: str) -> list[DemoRecord]:
    return [r for r in school.records if r.filename and r.filename.endswith(suffix)]


def _content(record: DemoRecord) -> bytes:
    assert record.content is not None
    return record.content


def test_every_pdf_opens_and_says_something(demo_school: School) -> None:
    pdfs = _files(demo_school, ".pdf")
    assert pdfs
    for record in pdfs:
        with pymupdf.open(stream=_content(record), filetype="pdf") as doc:
            assert len(doc) >= 1
            has_text = any(page.get_text().strip() for page in doc)
            has_image = any(page.get_images() for page in doc)
            assert has_text or has_image, record.filename


def test_report_has_a_header_and_footer_on_every_page(demo_school: School) -> None:
    pupil = demo_school.pupils[0]
    report = next(r for r in demo_school.records_for(pupil.id) if r.id.endswith("-report"))
    with pymupdf.open(stream=_content(report), filetype="pdf") as doc:
        for number, page in enumerate(doc, 1):
            text = page.get_text()
            assert f"Annual report to parents - {pupil.name}" in text
            assert f"UPN {pupil.upn}" in text and f"Page {number} of {len(doc)}" in text
        assert doc.metadata is not None and doc.metadata["author"] in {
            s.name for s in demo_school.staff
        }


def test_letters_carry_an_annotation_bookmark_attachment_and_staff_author(
    demo_school: School,
) -> None:
    staff = {s.name for s in demo_school.staff}
    letters = [r for r in _files(demo_school, ".pdf") if r.id.endswith("-letter")]
    assert len(letters) == len(demo_school.pupils)
    for record in letters:
        with pymupdf.open(stream=_content(record), filetype="pdf") as doc:
            assert doc.metadata is not None and doc.metadata["author"] in staff
            notes = [a for a in doc[0].annots() if a.type[1] == "Text"]
            assert notes and notes[0].info["title"] in staff and notes[0].info["content"]
            assert doc.get_toc() and doc.embfile_names() == ["reply_slip.txt"]
            assert b"Reply slip" in doc.embfile_get("reply_slip.txt")


def test_chronology_names_a_referrer_and_the_new_address(demo_school: School) -> None:
    facts = demo_school.facts
    assert facts is not None
    chronologies = [r for r in _files(demo_school, ".pdf") if r.id.endswith("-chronology")]
    assert chronologies
    neighbour = next(u for u in facts.unknown_people if "neighbour" in u.description)
    for record in chronologies:
        with pymupdf.open(stream=_content(record), filetype="pdf") as doc:
            text = " ".join(" ".join(page.get_text().split()) for page in doc)
        assert neighbour.name in text
        assert facts.no_contact_new_address in text


def test_scanned_court_order_is_an_image_only_page(demo_school: School) -> None:
    scans = [r for r in _files(demo_school, ".pdf") if r.id.endswith("-court-order")]
    assert scans
    for record in scans:
        with pymupdf.open(stream=_content(record), filetype="pdf") as doc:
            assert not doc[0].get_text().strip() and doc[0].get_images()


def test_docx_plans_have_header_table_comment_and_author(demo_school: School) -> None:
    plans = _files(demo_school, ".docx")
    assert plans
    staff = {s.name for s in demo_school.staff}
    for record in plans:
        document = docx.Document(io.BytesIO(_content(record)))
        pupil = demo_school.pupil(record.pupil_id)
        assert pupil.name in document.sections[0].header.paragraphs[0].text
        assert len(document.tables) == 1 and len(document.tables[0].rows) >= 3
        comments = list(document.comments)
        assert comments and comments[0].author in staff and comments[0].text
        assert document.core_properties.author in staff


def test_eml_threads_quote_sign_and_attach(demo_school: School) -> None:
    threads = _files(demo_school, ".eml")
    assert len(threads) == len(demo_school.pupils)
    for record in threads:
        message = email.message_from_bytes(_content(record), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        assert message["Subject"].startswith("Re: ") and message["In-Reply-To"]
        plain = message.get_body(("plain",))
        html = message.get_body(("html",))
        assert plain is not None and html is not None
        body = plain.get_content()
        assert "\n> > " in body and "wrote:" in body  # two levels of quoted replies
        assert "Sent from my iPhone" in body and "Riverside Academy |" in body  # signatures
        attachments = list(message.iter_attachments())
        assert [a.get_filename() for a in attachments] == ["doctors_note.pdf"]
        payload = attachments[0].get_content()
        with pymupdf.open(stream=payload, filetype="pdf") as doc:
            assert demo_school.pupil(record.pupil_id).name in doc[0].get_text()


def test_separated_mothers_email_mentions_the_fathers_new_address(demo_school: School) -> None:
    facts = demo_school.facts
    assert facts is not None
    separated = demo_school.families[1]
    record = next(
        r for r in demo_school.records_for(separated.pupil_ids[0]) if r.id.endswith("-email")
    )
    message = email.message_from_bytes(_content(record), policy=email.policy.default)
    plain = message.get_body(("plain",))
    assert plain is not None
    assert facts.no_contact_new_address in " ".join(plain.get_content().replace(">", " ").split())


@pytest.mark.parametrize("suffix", [".jpg", ".png"])
def test_images_carry_exif(demo_school: School, suffix: str) -> None:
    images = _files(demo_school, suffix)
    assert images
    staff = {s.name for s in demo_school.staff}
    for record in images:
        image = Image.open(io.BytesIO(_content(record)))
        image.load()
        exif = image.getexif()
        assert exif[ARTIST] in staff
        assert demo_school.pupil(record.pupil_id).name in exif[IMAGE_DESCRIPTION]
        assert exif.get_ifd(EXIF_IFD)
        if record.id.endswith("-photo"):
            assert exif.get_ifd(GPS_IFD)  # where the photo was taken is personal data too
