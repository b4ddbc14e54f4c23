"""National Insurance number recognizer: issued prefixes and suffix A-D."""

from __future__ import annotations

import pytest

from pupil_privacy.redaction.recognizers.nino import NationalInsuranceNumberRecognizer


def found(text: str) -> list[str]:
    results = NationalInsuranceNumberRecognizer().analyze(text, entities=["UK_NINO"])
    return [text[r.start : r.end] for r in results]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("NI number AB123456C", ["AB123456C"]),
        ("NI: MT 65 51 40 B.", ["MT 65 51 40 B"]),
        ("nino jk-68-18-44-b", ["jk-68-18-44-b"]),
    ],
)
def test_valid_ninos_are_found(text: str, expected: list[str]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "NI number GB123456A",  # prefix never issued
        "NI number BG123456A",
        "NI number ZZ123456A",
        "NI number DA123456A",  # D never first
        "NI number AO123456A",  # O never second
        "NI number AB123456E",  # suffix beyond D
        "NI number AB12345C",  # five digits
    ],
)
def test_invalid_ninos_are_not_found(text: str) -> None:
    assert found(text) == []
