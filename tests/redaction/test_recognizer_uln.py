"""ULN recognizer: 10 digits, check digit 10 - (weighted sum mod 11)."""

from __future__ import annotations

import pytest

from pupil_privacy.redaction.recognizers.uln import UkUlnRecognizer, is_valid_uln


def found(text: str) -> list[str]:
    return [text[r.start : r.end] for r in UkUlnRecognizer().analyze(text, entities=["UK_ULN"])]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ULN: 1234567899", ["1234567899"]),
        ("learner number 5551234567 on the form", ["5551234567"]),
        ("ULN 1000000000", ["1000000000"]),
    ],
)
def test_valid_ulns_are_found(text: str, expected: list[str]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "ULN: 1234567898",  # wrong check digit
        "ULN: 9876543210",  # remainder 0: no check digit exists
        "ULN: 0234567899",  # never starts with 0
        "ULN: 123456789",  # 9 digits
        "ULN: 12345678990",  # 11 digits
    ],
)
def test_invalid_ulns_are_not_found(text: str) -> None:
    assert found(text) == []


def test_every_ulns_check_digit_is_unique() -> None:
    base = "555123456"
    assert [d for d in range(10) if is_valid_uln(f"{base}{d}")] == [7]
