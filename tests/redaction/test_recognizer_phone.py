"""UK phone recognizer: the forms people write numbers in."""

from __future__ import annotations

import pytest

from pupil_privacy.redaction.recognizers.phone import UkPhoneRecognizer, national_digits


def found(text: str) -> list[str]:
    results = UkPhoneRecognizer().analyze(text, entities=["PHONE_NUMBER"])
    return [text[r.start : r.end] for r in results]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("mobile 07700 900123", ["07700 900123"]),
        ("call 07700900123 today", ["07700900123"]),
        ("ring +44 7700 900123", ["+44 7700 900123"]),
        ("ring +44 (0)7700 900123", ["+44 (0)7700 900123"]),
        ("+447700900123", ["+447700900123"]),
        ("tel (01223) 123456", ["(01223) 123456"]),
        ("tel 01223 123456", ["01223 123456"]),
        ("London office 020 7946 0000", ["020 7946 0000"]),
        ("Bristol 0117 496 0123", ["0117 496 0123"]),
        ("07700-900-123", ["07700-900-123"]),
        ("the neighbour (0113 496 0267) rang", ["0113 496 0267"]),
        ("07700 900123 2019 was the year", ["07700 900123"]),
    ],
)
def test_uk_numbers_are_found(text: str, expected: list[str]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "score 12345 678901",  # no trunk 0
        "07700 9001",  # too short
        "0600 123 4567",  # 06 is not a UK range
        "07700 90012",  # a mobile needs 11 digits
        "invoice 2023-11-05",
        "room 0.5 metres",
    ],
)
def test_other_numbers_are_not_found(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "written", ["+44 (0)7700 900123", "+44 7700 900123", "0044 7700 900123", "07700-900-123"]
)
def test_every_form_normalises_to_national_digits(written: str) -> None:
    assert national_digits(written) == "07700900123"
