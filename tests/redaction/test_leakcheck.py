"""The leak check: known third-party identifiers and re-run detection, on any output."""

from __future__ import annotations

import pymupdf
import pytest
from docfactory import ROSTER, SUBJECT, THIRD, FakeDetector, pdf_with_hidden_places

from pupil_privacy.redaction.document import redact_document
from pupil_privacy.redaction.leakcheck import compile_terms, find_terms, leak_check, raw_term_hits


class Blind(FakeDetector):
    """Detection that sees nothing: only the roster terms can catch a leak."""

    def analyse(self, text):
        return []


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Jake Whitfield was there", ["name"]),
        ("JAKE\nWHITFIELD was there", ["name"]),  # any case, broken over a line
        ("call 07700900123 now", ["phone number"]),  # digits with other separators
        ("call (07700) 900-123 now", ["phone number"]),
        ("mail Jake.Whitfield@Example.com", ["email address", "name"]),  # both leak
        ("Amelia Okafor only", []),
        ("107700 9001234", []),  # longer digit runs are other numbers
        ("ring +44 7700\n900123", ["phone number"]),  # international form over a line
        ("born 2014 07700 900123", ["phone number"]),
    ],
)
def test_terms_found_in_their_written_variants(text, kinds):
    terms = compile_terms([THIRD, "07700 900123", "jake.whitfield@example.com"])
    assert sorted(find_terms(text, terms)) == sorted(kinds)


def test_single_word_name_matches_as_a_name_not_as_a_word():
    terms = compile_terms(["Will"])
    assert find_terms("Will said hello", terms) == ["name"]
    assert find_terms("the pupil will attend", terms) == []


def test_leak_check_reports_kind_and_place_never_the_data(make_detector):
    real = make_detector(SUBJECT, ROSTER)
    problems = leak_check(f"Amelia Okafor met {THIRD} (07700 900123).", real)
    assert problems
    assert all(THIRD not in p and "900123" not in p for p in problems)
    assert any("name" in p for p in problems)
    assert leak_check("Amelia Okafor met [Third party] ([Third party]).", real) == []


def test_detection_alone_catches_an_unknown_person(make_detector):
    real = make_detector(SUBJECT, ROSTER)
    problems = leak_check("Amelia Okafor was collected by her uncle Dmitri Volkov.", real)
    assert any("detection" in p for p in problems)


def test_raw_bytes_are_searched_in_both_encodings():
    terms = compile_terms([THIRD])
    assert raw_term_hits(b"<</Author(Jake Whitfield)>>", terms) == ["name"]
    assert raw_term_hits("Jake Whitfield".encode("utf-16-be"), terms) == ["name"]
    assert raw_term_hits(b"nothing here", terms) == []


@pytest.mark.parametrize("as_pdf", [False, True])
def test_a_known_third_party_in_every_hidden_place_never_reaches_the_output(as_pdf, no_sweep):
    # detection misses everything and removal has no sweep: the leak check's own passes
    # must take the name out of the page, the links and the embedded file
    out = redact_document(pdf_with_hidden_places(), "note.pdf", Blind(third=[THIRD]), as_pdf=as_pdf)
    assert not out.needs_review
    doc = pymupdf.open(stream=out.content, filetype="pdf")
    assert "Whitfield" not in "".join(page.get_text() for page in doc)
    assert "Amelia Okafor" in doc[0].get_text()
    assert raw_term_hits(doc.tobytes(expand=255), compile_terms([THIRD])) == []
    assert any(r.detector == "leak-check" for r in out.records)


def test_roster_sweep_removes_what_detection_missed():
    # a phone number broken over a line in +44 form, missed by detection
    text = "Dad's new number is +44\n7700 900123. Amelia Okafor is fine."
    out = redact_document(text.encode(), "n.txt", Blind(third=["07700 900123"]))
    assert out.content.decode() == "Dad's new number is [Third party]. Amelia Okafor is fine."
    [row] = out.records
    assert (row.detector, row.entity_type) == ("roster-sweep", "PHONE_NUMBER")
