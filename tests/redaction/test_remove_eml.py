"""True removal from emails: headers, bodies, quoted replies, attachments recursively."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage

import pymupdf
import pytest
from docfactory import (
    ROSTER,
    SUBJECT,
    THIRD,
    THIRD_EMAIL,
    FakeDetector,
    docx_with_hidden_places,
    eml_with_attachments,
    flat,
    pdf_text_everywhere,
)

from pupil_privacy.redaction.document import redact_document


@pytest.fixture(scope="module")
def real(make_detector):
    return make_detector(SUBJECT, ROSTER)


@pytest.fixture(scope="module")
def mail():
    return eml_with_attachments(
        extra=[("broken.pdf", b"%PDF-1.4 not a pdf"), ("minutes.docx", docx_with_hidden_places())]
    )


@pytest.fixture(scope="module")
def out(real, mail):
    return redact_document(mail, "mail.eml", real)


def _parsed(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_headers_redacted_and_private_headers_dropped(out):
    message = _parsed(out.content)
    assert "Whitfield" not in str(message["From"]) and THIRD_EMAIL not in str(message["From"])
    assert str(message["Subject"]) == "Amelia Okafor and [Third party]"
    assert "h.price@school.example" in str(message["To"])  # rule 11: staff kept
    assert "grace.okafor@example.org" in str(message["Cc"])  # the requester's own data
    assert message["Received"] is None


def test_body_quote_and_signature_redacted_own_data_kept(out):
    body = _parsed(out.content).get_body(preferencelist=("plain",)).get_content()
    assert "Whitfield" not in body and "900123" not in body
    assert "Amelia Okafor told me about break time." in body
    assert "> [Third party] will see the head on Monday." in body  # quote markers kept


def test_attachments_redacted_recursively_under_safe_names(out):
    parts = {
        p.get_filename(): p.get_payload(decode=True)
        for p in _parsed(out.content).iter_attachments()
    }
    assert set(parts) == {"Third party statement.pdf", "notes.txt", "minutes.docx"}
    assert b"Whitfield" not in parts["notes.txt"] and b"Amelia Okafor" in parts["notes.txt"]
    assert "Whitfield" not in flat(pdf_text_everywhere(parts["Third party statement.pdf"]))
    assert b"Whitfield" not in out.content


def test_a_failing_attachment_is_reported_and_the_rest_kept(out):
    assert any("attachment 3 (broken.pdf) could not be processed" in w for w in out.warnings)
    body = _parsed(out.content).get_body(preferencelist=("plain",)).get_content()
    assert "broken.pdf" in body  # the reader is told something is missing
    assert any(r.file == "minutes.docx" for r in out.records)  # later attachments still done


def test_as_pdf_is_the_email_then_its_attachments(real, mail):
    result = redact_document(mail, "mail.eml", real, as_pdf=True)
    assert result.filename == "mail.pdf"
    doc = pymupdf.open(stream=result.content, filetype="pdf")
    assert doc.page_count == result.pages >= 3
    everything = flat(pdf_text_everywhere(result.content))
    assert "Whitfield" not in everything and "Amelia Okafor" in everything


def test_html_only_email_is_converted_and_hidden_html_dropped():
    message = EmailMessage()
    message["From"] = "School office <office@school.example>"
    message["Subject"] = "Note"
    message.set_content(
        f"<html><head><title>{THIRD}</title></head><body><p>Amelia Okafor and {THIRD}</p>"
        f"<!-- {THIRD} --><img alt='{THIRD}' src='x.png'></body></html>",
        subtype="html",
    )
    result = redact_document(message.as_bytes(), "html.eml", FakeDetector())
    assert b"Whitfield" not in result.content
    body = _parsed(result.content).get_body().get_content()
    assert "Amelia Okafor and [Third party]" in body


def test_repeated_quoted_text_is_analysed_once(real):
    quoted = f"> {THIRD} will see the head on Monday.\n> Amelia Okafor is fine.\n"
    texts = []

    class Spy(FakeDetector):
        def analyse_many(self, batch):
            texts.extend(batch)
            return super().analyse_many(batch)

    spy = Spy()
    for depth in (1, 2):
        message = EmailMessage()
        message["From"] = "office@school.example"
        message.set_content("Reply.\n" + "".join(">" * (depth - 1) + line + "\n"
                                                 for line in quoted.splitlines()))  # fmt: skip
        redact_document(message.as_bytes(), f"reply{depth}.eml", spy)
    unquoted = f"{THIRD} will see the head on Monday.\nAmelia Okafor is fine."
    assert texts.count(unquoted) == 2  # the same unit both times: a cache hit in Detector


def test_repeated_headers_each_redacted():
    raw = (
        "From: Mrs Helen Price <h.price@school.example>\n"
        f"To: {THIRD} <{THIRD_EMAIL}>, Grace Okafor <grace.okafor@example.org>\n"
        "To: Amelia Okafor <amelia@pupils.example>\n"
        "Subject: About Amelia Okafor\n\nAbout Amelia Okafor.\n"
    ).encode()
    result = _parsed(redact_document(raw, "two.eml", FakeDetector()).content)
    to = str(result["To"])
    assert "Whitfield" not in to and THIRD_EMAIL not in to
    assert "grace.okafor@example.org" in to and "Amelia Okafor <amelia@pupils.example>" in to
