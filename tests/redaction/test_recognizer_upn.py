"""UPN recognizer: DfE check letter (rule 10: a third party's UPN is removed)."""

from __future__ import annotations

import pytest

from pupil_privacy.redaction.recognizers.upn import UkUpnRecognizer, upn_check_letter


def found(text: str) -> list[str]:
    results = UkUpnRecognizer().analyze(text, entities=["UK_UPN"])
    return [text[r.start : r.end] for r in results]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("UPN: B801200005001", ["B801200005001"]),
        ("upn b801200005001 on file", ["b801200005001"]),
        ("pupil R80120010000A (temporary UPN)", ["R80120010000A"]),
        ("UPN L201234567890.", ["L201234567890"]),
    ],
)
def test_valid_upns_are_found(text: str, expected: list[str]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "UPN: A801200005001",  # wrong check letter
        "UPN: C801200005001",  # wrong check letter
        "UPN: B80120000500",  # 12 characters
        "UPN: B8012000050011",  # 14 characters
        "UPN: I801200005001",  # I is never a check letter
        "reference B80120000S001",  # letter inside the digits
    ],
)
def test_invalid_upns_are_not_found(text: str) -> None:
    assert found(text) == []


def test_check_letter_uses_position_weights() -> None:
    # Characters 2-13 weighted 2..13, sum mod 23, read in the 23 letters without I, O, S.
    body = "801200005001"
    total = sum(int(c) * w for c, w in zip(body, range(2, 14), strict=True))
    assert total % 23 == 1
    assert upn_check_letter(body) == "B"
    assert upn_check_letter("80120010000A") == "R"  # temporary UPN: A counts as 0
