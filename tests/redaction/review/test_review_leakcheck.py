"""The leak check honours decisions: a kept term is not a leak; a redacted term is searched
for in the output like a known third party's name, so a failed removal is caught."""

from __future__ import annotations

import pymupdf
import pytest
from docfactory import THIRD
from pp_review_docs import MISSED

from pupil_privacy.redaction.decided import decided_detector
from pupil_privacy.redaction.decisions import Decisions
from pupil_privacy.redaction.document import redact_document
from pupil_privacy.redaction.errors import LeakCheckFailed
from pupil_privacy.redaction.leakcheck import problems_of, terms_for
from pupil_privacy.redaction.settle import output_leaks

LABEL = "Third party"
REDACT_MISSED = Decisions.from_json({"redact": [{"text": MISSED}]})


def check_output(data: bytes, kind: str, name: str, detector, label: str) -> list[str]:
    """What the leak check finds in an output, in plain words (no data)."""
    return problems_of(output_leaks(data, kind, name, detector, label)[1])


KEPT = f"Amelia Okafor played with {THIRD} at break.\n"


def _with(detector, **kinds: object):
    return decided_detector(detector, Decisions.from_json(kinds), LABEL)


def test_a_kept_roster_name_is_a_leak_only_without_the_decision(cast_detector):
    assert check_output(KEPT.encode(), "text", "n.txt", cast_detector, LABEL)
    kept = _with(cast_detector, keep=[{"text": THIRD}])
    assert check_output(KEPT.encode(), "text", "n.txt", kept, LABEL) == []


def test_keeping_part_of_a_name_does_not_clear_the_whole_name(cast_detector):
    partly = _with(cast_detector, keep=[{"text": "Jake"}])
    problems = check_output(KEPT.encode(), "text", "n.txt", partly, LABEL)
    assert any("name is still present" in p for p in problems)


def test_a_redacted_term_left_in_the_output_is_caught(cast_detector):
    left = f"Amelia Okafor met {MISSED.lower()} at the gate.\n".encode()
    redacting = _with(cast_detector, redact=[{"text": MISSED}])
    problems = check_output(left, "text", "n.txt", redacting, LABEL)
    assert any("text a reviewer redacted is still present" in p for p in problems)
    assert MISSED.lower() not in " ".join(problems)  # problems never carry the data


def test_a_redacted_term_hidden_in_pdf_metadata_is_caught(cast_detector):
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), "Record of Amelia Okafor.")
    doc.set_metadata({"keywords": f"seen with {MISSED}"})
    data = doc.tobytes()
    doc.close()
    redacting = _with(cast_detector, redact=[{"text": MISSED}])
    problems = check_output(data, "pdf", "n.pdf", redacting, LABEL)
    assert any(p.startswith(("metadata", "file contents")) for p in problems)
    # and removal clears it: the same decisions give a document that passes
    out = redact_document(data, "n.pdf", cast_detector, decisions=REDACT_MISSED)
    assert MISSED.encode() not in out.content


def test_the_term_index_is_built_once_per_detector_and_decisions(cast_detector):
    decisions = Decisions.from_json({"redact": [{"text": MISSED}]})
    first = decided_detector(cast_detector, decisions, LABEL)
    again = decided_detector(
        cast_detector, Decisions.from_json({"redact": [{"text": MISSED}]}), LABEL
    )
    assert first is again and terms_for(first) is terms_for(again)
    assert decided_detector(cast_detector, Decisions(), LABEL) is cast_detector


def test_a_redacted_word_inside_our_own_label_is_not_a_leak(cast_detector):
    text = f"The party was loud. {THIRD} came to the party.\n".encode()
    party = Decisions.from_json({"redact": [{"text": "party"}]})
    doc = redact_document(text, "n.txt", cast_detector, decisions=party)
    out = doc.content.decode()
    assert out == "The [Third party] was loud. [Third party] came to the [Third party].\n"


def test_a_failed_removal_of_a_redacted_term_refuses_the_document(cast_detector, monkeypatch):
    """With removal broken on purpose the output still holds the term: the leak check
    refuses to return it."""
    from pupil_privacy.redaction.formats import text as text_format

    monkeypatch.setattr(text_format, "apply_spans", lambda text, spans, label="": text)
    with pytest.raises(LeakCheckFailed):
        text = f"Amelia Okafor met {MISSED}.\n".encode()
        redact_document(text, "n.txt", cast_detector, decisions=REDACT_MISSED)


def test_an_ordinary_word_redacted_in_a_docx_is_not_taken_for_its_markup(cast_detector):
    """A reviewer may redact a word that is also XML or PDF syntax ("body", "Page"): the
    raw-file search must not refuse every DOCX for its <w:body> tag."""
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("Amelia Okafor hurt her body at break; page 2 of the report.")
    buffer = io.BytesIO()
    document.save(buffer)
    words = Decisions.from_json({"redact": [{"text": "body"}, {"text": "page"}]})
    doc = redact_document(buffer.getvalue(), "n.docx", cast_detector, decisions=words)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(doc.content)).paragraphs)
    assert text == "Amelia Okafor hurt her [Third party] at break; [Third party] 2 of the report."
