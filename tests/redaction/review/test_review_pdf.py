"""Reviewer decisions on PDFs, read back with PyMuPDF, pdftotext and qpdf's raw streams."""

from __future__ import annotations

import pymupdf
import pytest
from docfactory import THIRD, flat
from pp_review_docs import (
    BOX,
    RED,
    SIGNATURE,
    boxed_pdf,
    hyphenated_pdf,
    page_texts,
    pdftotext,
    pymupdf_text,
    qdf,
    three_page_pdf,
)

from pupil_privacy.redaction.decisions import Decisions, withheld_words
from pupil_privacy.redaction.document import redact_document
from pupil_privacy.redaction.formats.pdf.removal import LABEL_SIZE
from pupil_privacy.redaction.report import DEFAULT_LABEL


def _decide(**kinds: object) -> Decisions:
    return Decisions.from_json(kinds)


@pytest.fixture(scope="module")
def hyphenated(cast_detector):
    decisions = _decide(redact=[{"text": "kestrel voss"}], keep=[{"text": THIRD, "id": "k1"}])
    return redact_document(hyphenated_pdf(), "note.pdf", cast_detector, decisions=decisions)


def test_redacted_name_is_gone_across_a_hyphenated_line_break_and_in_capitals(hyphenated):
    original = hyphenated_pdf()
    # the checks can fail: every reader sees the name in the input
    assert "trel Voss" in pymupdf_text(original) and "trel Voss" in pdftotext(original)
    assert b"trel Voss" in qdf(original) and b"KESTREL VOSS" in qdf(original)
    out = hyphenated.content
    for text in (pymupdf_text(out), pdftotext(out), qdf(out).decode("latin-1")):
        assert "Voss" not in text and "VOSS" not in text and "Kes-" not in text
        assert "Amelia Okafor" in flat(text)  # the pupil's own data stays


def test_each_occurrence_is_a_placed_schedule_row_of_the_reviewer(hyphenated):
    [redact] = [r for r in hyphenated.decisions_applied if r.kind == "redact"]
    assert redact.note == "redacted by reviewer"
    found = sorted(flat(p.text).replace("- ", "") for p in redact.places)
    assert found == ["KESTREL VOSS", "Kestrel Voss"]
    assert all(p.page == 1 and p.offset is not None for p in redact.places)
    rows = [r for r in hyphenated.records if r.detector == "reviewer"]
    assert {r.reason for r in rows} == {"redacted-by-reviewer"} and len(rows) == 2


def test_kept_name_stays_in_every_reader_and_is_recorded_as_kept(hyphenated):
    out = hyphenated.content
    for text in (pymupdf_text(out), pdftotext(out), qdf(out).decode("latin-1")):
        assert THIRD in flat(text)
    [keep] = [r for r in hyphenated.decisions_applied if r.kind == "keep"]
    assert keep.decision.id == "k1" and keep.note == "kept by reviewer"
    assert [(p.text, p.page, p.detector) for p in keep.places] == [(THIRD, 1, "roster")]
    assert keep.places[0].reason == "rule-10-other-pupil"  # what the machine would have done
    assert [k.action for k in hyphenated.kept] == ["keep"]


def test_without_the_decisions_the_roster_name_goes(cast_detector):
    plain = redact_document(hyphenated_pdf(), "note.pdf", cast_detector)
    assert THIRD not in flat(pdftotext(plain.content))
    assert not plain.decisions_applied and not plain.kept


@pytest.fixture(scope="module")
def boxed(cast_detector):
    decisions = _decide(
        boxes=[
            {"file": "letter.pdf", "page": 1, "rect": list(BOX), "reason": "signature"},
            {"file": "letter.pdf", "page": 3, "rect": [0, 0, 10, 10]},
            {"file": "letter.pdf", "page": 2, "rect": [700, 900, 800, 1000]},
        ]
    )
    return redact_document(boxed_pdf(), "letter.pdf", cast_detector, decisions=decisions)


def test_a_box_with_an_exemption_code_says_the_exemption_at_a_legible_size(cast_detector):
    code = "rule-13-serious-harm"
    box = {"file": "letter.pdf", "page": 1, "rect": list(BOX), "reason": code}
    decisions = _decide(boxes=[box])
    out = redact_document(boxed_pdf(), "letter.pdf", cast_detector, decisions=decisions)
    with pymupdf.open(stream=out.content, filetype="pdf") as doc:
        page = doc[0]
        inside = page.get_text(clip=pymupdf.Rect(BOX)).strip()
        spans = [
            span
            for block in page.get_text("dict", clip=pymupdf.Rect(BOX))["blocks"]
            for line in block.get("lines", [])
            for span in line["spans"]
        ]
    assert inside == withheld_words(code)  # the fixed words of the exemption, nothing else
    assert spans and all(s["size"] >= LABEL_SIZE and s["color"] == 0xFFFFFF for s in spans)


def test_a_box_removes_text_pixels_and_drawings_under_it(boxed):
    original = boxed_pdf()
    assert SIGNATURE in pdftotext(original) and SIGNATURE.encode() in qdf(original)
    out = boxed.content
    assert SIGNATURE not in pdftotext(out)
    assert SIGNATURE.encode() not in qdf(out) and b"Signed" not in qdf(out)
    with pymupdf.open(stream=out, filetype="pdf") as doc:
        page = doc[0]
        # only the label is left in the box: the document's label, never the reviewer's
        # free-text reason ("signature"), which could name the person it protects
        assert page.get_text(clip=pymupdf.Rect(BOX)).strip() == DEFAULT_LABEL
        assert "signature" not in page.get_text().lower()
        # the scrawl was a blue stroke touching the box: deleted, not painted over
        assert not [d for d in page.get_drawings() if d.get("color") == (0.0, 0.0, 1.0)]
        # the picture's own pixels under the box are blanked (not just covered); the
        # part outside the box is untouched
        [info] = page.get_images(full=True)
        picture = pymupdf.Pixmap(doc, info[0])
        assert picture.pixel(35, 30) != RED and picture.pixel(120, 30) == RED
        text = page.get_text()
    assert "Outside the box this line stays." in text
    assert "Below the box this line stays as well." in text


def test_the_box_is_recorded_and_boxes_off_the_page_are_reported(boxed):
    [box] = boxed.decisions_applied
    assert box.note == "box drawn by reviewer: signature"
    [place] = box.places
    assert place.page == 1 and place.rect == BOX and SIGNATURE in place.text
    notes = [r.note for r in boxed.decisions_unmatched]
    assert notes == [
        "page 3 does not exist: the document has 2 pages",
        "the box lies outside page 2",
    ]


def test_the_image_under_a_box_in_the_input_was_red():
    with pymupdf.open(stream=boxed_pdf(), filetype="pdf") as doc:
        [info] = doc[0].get_images(full=True)
        picture = pymupdf.Pixmap(doc, info[0])
        assert picture.pixel(35, 30) == RED and picture.pixel(120, 30) == RED
        assert [d for d in doc[0].get_drawings() if d.get("color") == (0.0, 0.0, 1.0)]


@pytest.fixture(scope="module")
def withheld(cast_detector):
    secret = "Page two: Priya Okoro told the nurse about the bruising."
    decisions = _decide(
        withhold_pages=[
            {"file": "record.pdf", "page": 2, "reason": "rule-13-serious-harm", "id": 4},
            {"file": "record.pdf", "page": 9, "reason": "rule-13-serious-harm"},
        ]
    )
    pdf = three_page_pdf(secret)
    return pdf, redact_document(pdf, "record.pdf", cast_detector, decisions=decisions)


def test_a_withheld_page_says_why_and_its_text_and_picture_are_gone(withheld):
    original, doc = withheld
    assert "Priya Okoro" in pdftotext(original) and b"Priya Okoro" in qdf(original)
    out = doc.content
    pages = page_texts(out)
    assert len(pages) == 3 and doc.pages == 3
    assert flat(pages[1]).strip() == withheld_words("rule-13-serious-harm")
    assert "Withheld: serious harm" in pages[1]
    assert "Page 1 of the record" in pages[0] and "Page 3 of the record" in pages[2]
    assert "Priya" not in pdftotext(out) and b"Priya" not in qdf(out)
    assert b"bruising" not in qdf(out)
    with pymupdf.open(stream=out, filetype="pdf") as pdf:
        assert pdf[1].get_images() == [] and pdf[1].get_drawings() == []


def test_a_withheld_page_is_recorded_and_a_missing_page_is_reported(withheld):
    _, doc = withheld
    [applied] = doc.decisions_applied
    assert applied.decision.id == "4" and applied.note == "page withheld: rule-13-serious-harm"
    assert [(p.page, p.reason) for p in applied.places] == [(2, "rule-13-serious-harm")]
    [missing] = doc.decisions_unmatched
    assert missing.note == "page 9 does not exist: the document has 3 pages"


def test_decisions_for_another_file_do_not_touch_this_one(cast_detector):
    decisions = _decide(
        withhold_pages=[{"file": "other.pdf", "page": 1, "reason": "rule-13-serious-harm"}],
        redact=[{"text": "lunch", "file": "other.pdf"}],
    )
    doc = redact_document(hyphenated_pdf(), "note.pdf", cast_detector, decisions=decisions)
    assert "lunch" in pdftotext(doc.content)
    assert not doc.decisions_applied and not doc.decisions_unmatched


def test_a_box_on_a_rotated_page_is_where_the_reviewer_saw_it(cast_detector):
    """The workbench shows pages turned as a reader sees them: the box's rectangle is in
    those coordinates, not the page's unrotated ones."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), f"Signed {SIGNATURE} for the school", fontsize=12)
    page.set_rotation(90)
    words = {w[4]: pymupdf.Rect(w[:4]) * page.rotation_matrix for w in page.get_text("words")}
    data = doc.tobytes()
    doc.close()
    shown = words["Quentin"] | words["Marsh"]
    decisions = _decide(boxes=[{"file": "turned.pdf", "page": 1, "rect": list(shown)}])
    out = redact_document(data, "turned.pdf", cast_detector, decisions=decisions)
    text = pdftotext(out.content)
    assert SIGNATURE not in text and "Signed" in text and "school" in text
    assert out.decisions_applied[0].places[0].text == SIGNATURE
