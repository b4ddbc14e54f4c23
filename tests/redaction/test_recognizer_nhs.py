"""NHS number recognizer: modulus 11 check digit."""

from __future__ import annotations

import pytest

from pupil_privacy.redaction.recognizers.nhs import UkNhsRecognizer


def found(text: str) -> list[str]:
    return [text[r.start : r.end] for r in UkNhsRecognizer().analyze(text, entities=["UK_NHS"])]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("NHS number 943 476 5919", ["943 476 5919"]),
        ("NHS no: 943-476-5919.", ["943-476-5919"]),
        ("nhs 9434765919", ["9434765919"]),
    ],
)
def test_valid_nhs_numbers_are_found(text: str, expected: list[str]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "NHS number 943 476 5918",  # wrong check digit
        "NHS number 943 476 591",  # too short
        "NHS number 000 000 0000",  # every digit the same
        "NHS 123 456 7890",  # check digit would be 10: invalid
    ],
)
def test_invalid_nhs_numbers_are_not_found(text: str) -> None:
    assert found(text) == []
