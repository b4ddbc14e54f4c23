"""The decisions interface the workbench builds on (issue 8): ids echoed, results as JSON."""

from __future__ import annotations

import pytest

from pupil_privacy.redaction.decisions import (
    Box,
    DecisionKind,
    Decisions,
    Keep,
    WithholdPage,
    withheld_words,
)
from pupil_privacy.redaction.errors import InputError
from pupil_privacy.redaction.report import DecisionPlace, DecisionResult


def test_ids_are_read_echoed_and_written_back():
    data = {
        "keep": [{"text": "Severe", "id": 17, "reason": "the pupil's own data"}],
        "boxes": [{"file": "a.pdf", "page": 1, "rect": [1, 2, 3, 4], "id": "row-9"}],
    }
    decisions = Decisions.from_json(data)
    assert decisions.keep == (Keep("Severe", reason="the pupil's own data", id="17"),)
    assert decisions.boxes[0].id == "row-9"
    assert decisions.to_json()["keep"] == [
        {"text": "Severe", "reason": "the pupil's own data", "id": "17"}
    ]
    with pytest.raises(InputError, match="keep entry 1: 'id'"):
        Decisions.from_json({"keep": [{"text": "x", "id": ["no"]}]})


def test_each_kind_names_itself():
    assert Keep("x").kind is DecisionKind.KEEP
    assert Box("a.pdf", 1, (0, 0, 1, 1)).kind is DecisionKind.BOX
    assert WithholdPage("a.pdf", 2, "rule-13-serious-harm").kind is DecisionKind.WITHHOLD_PAGE


def test_withheld_pages_say_why_in_fixed_words_only():
    assert withheld_words("rule-13-serious-harm") == "Withheld: serious harm"
    # rule 14: no word that tips a parent off that abuse data exists
    assert "abuse" not in withheld_words("rule-14-child-abuse").lower()
    # free text never reaches the page: it could name the person being protected
    assert "Dean" not in withheld_words("Dean, mum's partner, threatened staff")


def test_a_result_as_json_names_the_decision_and_its_places():
    box = Box("a.pdf", 2, (72.0, 60.0, 300.0, 90.0), id="5")
    place = DecisionPlace("a.pdf", 2, None, "signature", rect=box.rect)
    result = DecisionResult(box, (place,), "box drawn by reviewer")
    assert result.applied and result.kind is DecisionKind.BOX
    out = result.to_dict()
    assert out["decision"] == {"file": "a.pdf", "page": 2, "rect": [72.0, 60.0, 300.0, 90.0],
                               "id": "5"}  # fmt: skip
    assert out["places"][0]["rect"] == [72.0, 60.0, 300.0, 90.0]
    assert not DecisionResult(Keep("x"), (), "no suggestion of this text").applied
