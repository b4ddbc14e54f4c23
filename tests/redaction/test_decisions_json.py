"""DECISIONS.json is read strictly: a wrong entry is named, never half-applied (issue 8)."""

from __future__ import annotations

import pytest

from pupil_privacy.redaction.decisions import Box, Decisions, Keep, Redact, WithholdPage
from pupil_privacy.redaction.errors import InputError

SAMPLE = {
    "keep": [{"text": "Severe", "file": "plan.pdf"}],
    "redact": [{"text": "Edit Major"}],
    "boxes": [{"file": "letter.pdf", "page": 1, "rect": [72, 60, 300, 90]}],
    "withhold_pages": [{"file": "note.pdf", "page": 2, "reason": "rule-13-serious-harm"}],
}


def test_reads_every_kind_and_round_trips():
    decisions = Decisions.from_json(SAMPLE, source="DECISIONS.json")
    assert decisions.keep == (Keep("Severe", "plan.pdf"),)
    assert decisions.redact == (Redact("Edit Major"),)
    assert decisions.boxes == (Box("letter.pdf", 1, (72.0, 60.0, 300.0, 90.0)),)
    assert decisions.withhold_pages == (WithholdPage("note.pdf", 2, "rule-13-serious-harm"),)
    assert Decisions.from_json(decisions.to_json()) == decisions


def test_for_file_keeps_decisions_naming_no_file():
    decisions = Decisions.from_json(SAMPLE)
    letter = decisions.for_file("letter.pdf")
    assert letter.keep == ()  # the keep names plan.pdf only
    assert letter.redact == (Redact("Edit Major"),)  # no file: every file
    assert len(letter.boxes) == 1 and letter.withhold_pages == ()
    assert not Decisions() and decisions


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"keep": [{"file": "a.pdf"}]}, "keep entry 1: 'text'"),
        ({"redact": "Edit Major"}, "'redact' must be a list"),
        ({"boxes": [{"file": "a.pdf", "page": 1, "rect": [10, 10, 5, 20]}]}, "x1 > x0"),
        ({"boxes": [{"file": "a.pdf", "page": 0, "rect": [0, 0, 5, 5]}]}, "'page'"),
        ({"boxes": [{"page": 1, "rect": [0, 0, 5, 5]}]}, "'file'"),
        ({"withhold_pages": [{"file": "a.pdf", "page": 2}]}, "'reason'"),
        ({"remove": []}, "unknown decision kinds: remove"),
    ],
)
def test_a_wrong_entry_is_named(data, message):
    with pytest.raises(InputError, match=message):
        Decisions.from_json(data)
