"""Postcode recognizer: Royal Mail shapes, capitals only."""

from __future__ import annotations

import pytest

from pupil_privacy.redaction.recognizers.postcode import PostcodeRecognizer, normalise_postcode


def found(text: str) -> list[str]:
    results = PostcodeRecognizer().analyze(text, entities=["UK_POSTCODE"])
    return [text[r.start : r.end] for r in results]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Cambridge CB1 2AB", ["CB1 2AB"]),
        ("SW1A 1AA", ["SW1A 1AA"]),
        ("M1 1AE.", ["M1 1AE"]),
        ("B33 8TH", ["B33 8TH"]),
        ("EC1A1BB", ["EC1A1BB"]),
        ("W1A 0AX", ["W1A 0AX"]),
    ],
)
def test_postcodes_are_found(text: str, expected: list[str]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "cb1 2ab in lower case",  # typed look-alikes are not taken
        "QA1 2AB",  # Q never first
        "CB1 2AI",  # I never in the inward code
        "Year 6 class",
        "A123 4BC",
    ],
)
def test_non_postcodes_are_not_found(text: str) -> None:
    assert found(text) == []


def test_postcode_normal_form() -> None:
    assert normalise_postcode("cb12ab") == "CB1 2AB"
