"""Reviewer decisions on text, EML and DOCX (text units without pages), both directions:
what a reviewer keeps stays, what they redact is gone, everything else as the machine left it."""

from __future__ import annotations

import email
import email.policy
import unicodedata
from email.message import EmailMessage

import pymupdf
import pytest
from docfactory import THIRD, THIRD_EMAIL, docx_xml_text, flat
from pp_review_docs import MISSED, pdftotext, qdf, split_runs_docx

from pupil_privacy.redaction.decisions import Decisions, withheld_words
from pupil_privacy.redaction.document import redact_document

TEXT = (
    "Amelia Okafor has a Severe peanut allergy.\n"
    f"At the gate she met {MISSED} and Jake. {THIRD} watched; kestrel\nvoss left.\n"
    f"Mum says {MISSED.upper()} is a family friend.\n"
)


def _redact(data: bytes, name: str, detector, **kinds: object):
    return redact_document(data, name, detector, decisions=Decisions.from_json(kinds))


def test_keep_and_redact_in_a_text_file_both_directions(cast_detector):
    plain = redact_document(TEXT.encode(), "note.txt", cast_detector).content.decode()
    assert THIRD not in plain and "Jake" not in plain  # the machine removes both forms
    doc = _redact(
        TEXT.encode(),
        "note.txt",
        cast_detector,
        keep=[{"text": "jake", "reason": "the pupil's own data"}],
        redact=[{"text": MISSED}],
    )
    out = doc.content.decode()
    assert "Jake." in out  # the lone first name was kept...
    assert THIRD not in out  # ...which never keeps the full name of the other pupil
    assert "Voss" not in out and "voss" not in out and "VOSS" not in out
    assert out.count("[Third party]") >= 4 and "Amelia Okafor" in out
    keep, redact = doc.decisions_applied
    assert keep.note == "kept: the pupil's own data"
    assert [(p.text, p.detector) for p in keep.places] == [("Jake", "roster")]
    assert sorted(flat(p.text) for p in redact.places) == ["KESTREL VOSS", "Kestrel Voss",
                                                           "kestrel voss"]  # fmt: skip
    for place in redact.places:  # offsets into the original text
        assert flat(TEXT[place.offset : place.offset + len(place.text)]) == flat(place.text)


def test_a_text_both_kept_and_redacted_is_redacted(cast_detector):
    doc = _redact(TEXT.encode(), "note.txt", cast_detector, keep=[{"text": THIRD}],
                  redact=[{"text": THIRD}])  # fmt: skip
    assert THIRD not in doc.content.decode()
    assert [r.kind for r in doc.decisions_applied] == ["redact"]
    [unmatched] = doc.decisions_unmatched
    assert unmatched.kind == "keep" and "nothing to keep" in unmatched.note


def test_a_reviewer_can_redact_what_the_policy_keeps(cast_detector):
    doc = _redact(TEXT.encode(), "note.txt", cast_detector, redact=[{"text": "peanut allergy"}])
    out = doc.content.decode()
    assert "peanut" not in out and "Amelia Okafor has a Severe [Third party]." in out


def test_a_redact_matching_nothing_is_reported_not_dropped(cast_detector):
    doc = _redact(TEXT.encode(), "note.txt", cast_detector, redact=[{"text": "Bazza"}],
                  keep=[{"text": "Severe"}])  # fmt: skip
    assert doc.decisions_applied == []
    notes = sorted(r.note for r in doc.decisions_unmatched)
    assert notes == [
        "no occurrence of this text in this document",
        "nothing to keep: no suggestion in this document lies within this text",
    ]


def test_boxes_and_pages_need_a_paged_output(cast_detector):
    kinds = {
        "boxes": [{"file": "note.txt", "page": 1, "rect": [40, 40, 300, 120]}],
        "withhold_pages": [{"file": "note.txt", "page": 1, "reason": "rule-13-serious-harm"}],
    }
    as_text = _redact(TEXT.encode(), "note.txt", cast_detector, **kinds)
    assert as_text.decisions_applied == []
    assert all("has no pages" in r.note for r in as_text.decisions_unmatched)
    assert "Severe peanut allergy" in as_text.content.decode()
    as_pdf = redact_document(
        TEXT.encode(), "note.txt", cast_detector, as_pdf=True, decisions=Decisions.from_json(kinds)
    )
    assert [r.kind for r in as_pdf.decisions_applied] == ["box", "withhold-page"]
    assert as_pdf.decisions_applied[0].note == "box drawn by reviewer (the page is withheld)"
    words = withheld_words("rule-13-serious-harm")
    assert flat(pdftotext(as_pdf.content)).strip() == words
    assert b"peanut" not in qdf(as_pdf.content)


def test_docx_redact_across_formatting_runs_and_keep(cast_detector):
    data = split_runs_docx()
    assert "Kes" in docx_xml_text(data) and "trel Vo" in docx_xml_text(data)
    plain = redact_document(data, "note.docx", cast_detector)
    assert THIRD not in docx_xml_text(plain.content)
    doc = _redact(data, "note.docx", cast_detector, redact=[{"text": MISSED}],
                  keep=[{"text": THIRD}])  # fmt: skip
    xml = docx_xml_text(doc.content)
    assert "Kes" not in xml and "trel" not in xml and "Vo" not in xml.replace("Voice", "")
    assert THIRD in xml and "Amelia Okafor" in xml
    redact = next(r for r in doc.decisions_applied if r.kind == "redact")
    [place] = redact.places
    assert place.text == MISSED and place.page is None and place.offset is not None


def _eml() -> bytes:
    message = EmailMessage(policy=email.policy.default)
    message["From"] = "Grace Okafor <grace.okafor@example.org>"
    message["To"] = "Mrs Helen Price <h.price@school.example>"
    message["Subject"] = f"Amelia and {MISSED}"
    message.set_content(
        f"Dear Mrs Price,\n\nAmelia told me {MISSED} was at the gate again, and that\n"
        f"{THIRD} ({THIRD_EMAIL}) saw it.\n\nGrace\n"
    )
    return message.as_bytes()


def test_eml_redact_in_headers_and_body_keep_in_body(cast_detector):
    doc = _redact(_eml(), "mail.eml", cast_detector, redact=[{"text": MISSED}],
                  keep=[{"text": THIRD}])  # fmt: skip
    out = email.message_from_bytes(doc.content, policy=email.policy.default)
    body = out.get_body().get_content()
    assert "Voss" not in str(out["Subject"]) and "Voss" not in body
    assert THIRD in flat(body)
    assert THIRD_EMAIL not in body  # keeping the name never keeps their address
    redact = next(r for r in doc.decisions_applied if r.kind == "redact")
    assert len(redact.places) == 2


def test_nested_attachments_follow_the_parents_decisions(cast_detector):
    message = email.message_from_bytes(_eml(), policy=email.policy.default)
    message.add_attachment(f"Minutes: {MISSED} attended.\n".encode(), maintype="text",
                           subtype="plain", filename="minutes.txt")  # fmt: skip
    doc = _redact(message.as_bytes(), "mail.eml", cast_detector, redact=[{"text": MISSED}])
    out = email.message_from_bytes(doc.content, policy=email.policy.default)
    [attachment] = list(out.iter_attachments())
    assert "Voss" not in attachment.get_content()
    redact = doc.decisions_applied[0]
    assert len(redact.places) == 3  # subject, body, attachment


@pytest.mark.parametrize("name", ["note.txt", "note.md"])
def test_as_pdf_keep_holds_in_the_laid_out_pdf(cast_detector, name):
    doc = redact_document(TEXT.encode(), name, cast_detector, as_pdf=True,
                          decisions=Decisions.from_json({"keep": [{"text": THIRD}]}))  # fmt: skip
    # the laid-out PDF sets "fi" as one ligature glyph: read it as letters
    assert THIRD in unicodedata.normalize("NFKC", flat(pdftotext(doc.content)))
    with pymupdf.open(stream=doc.content, filetype="pdf") as pdf:
        assert THIRD in unicodedata.normalize("NFKC", flat(pdf[0].get_text()))
    assert [r.kind for r in doc.decisions_applied] == ["keep"]


FLAGGED = (
    "Amelia Okafor was upset at break.\n\n"
    "She said her dad, who drives the blue taxi, shouted at the gate.\n\n"
    "Later the girl whose mum works in the office cried.\n"
)


def test_flagged_passages_are_decided_by_keep_and_by_redact(cast_detector):
    plain = redact_document(FLAGGED.encode(), "note.txt", cast_detector)
    flagged = [r.text for r in plain.review]
    assert len(flagged) == 2, flagged  # both passages come to the DPO
    taxi = next(t for t in flagged if "taxi" in t)
    office = next(t for t in flagged if "office" in t)
    doc = _redact(FLAGGED.encode(), "note.txt", cast_detector,
                  keep=[{"text": office, "reason": "not personal data"}],
                  redact=[{"text": taxi}])  # fmt: skip
    out = doc.content.decode()
    assert "taxi" not in out and office in out
    assert doc.review == []  # nothing is left undecided
    assert [k.text for k in doc.kept] == [office] and doc.kept[0].action == "keep"
    assert doc.kept[0].reason == "rule-10-identifying-context"


def test_overlapping_redactions_are_one_removal_listed_for_both(cast_detector):
    doc = _redact(TEXT.encode(), "note.txt", cast_detector,
                  redact=[{"text": "Kestrel"}, {"text": MISSED}])  # fmt: skip
    assert "Kestrel" not in doc.content.decode() and "Voss" not in doc.content.decode()
    short, full = doc.decisions_applied
    assert len(short.places) == len(full.places) == 3 and not doc.decisions_unmatched
