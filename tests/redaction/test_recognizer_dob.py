"""Date-of-birth recognizer: a date counts only after a birth cue."""

from __future__ import annotations

import datetime as dt

import pytest

from pupil_privacy.redaction.recognizers.dob import DateOfBirthRecognizer, parse_written_date


def found(text: str) -> list[str]:
    results = DateOfBirthRecognizer().analyze(text, entities=["DATE_OF_BIRTH"])
    return [text[r.start : r.end] for r in results]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("DOB: 09/03/2014", ["09/03/2014"]),
        ("D.O.B. 9.3.2014", ["9.3.2014"]),
        ("date of birth 4 September 2020", ["4 September 2020"]),
        ("born on 3rd March 2014 in Leeds", ["3rd March 2014"]),
        ("Date of birth: 2014-03-09", ["2014-03-09"]),
        ("Please tell me your date of birth. It's 10/4/1965", ["10/4/1965"]),
        ("She was born on 11/14/1956.", ["11/14/1956"]),
        ("birthday is March 9, 2014", ["March 9, 2014"]),
    ],
)
def test_birth_dates_are_found(text: str, expected: list[str]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Meeting on 09/03/2014",  # an ordinary date is not personal data by itself
        "DOB: 31/02/2014",  # no such day
        "DOB: 45/45/2014",
        "born in the summer",
    ],
)
def test_other_dates_are_not_found(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "written, date",
    [
        ("09/03/2014", dt.date(2014, 3, 9)),  # UK: day first
        ("11/14/1956", dt.date(1956, 11, 14)),  # only possible month first
        ("9th of March 2014", dt.date(2014, 3, 9)),
        ("Sept 1, 2019", dt.date(2019, 9, 1)),
    ],
)
def test_written_dates_parse(written: str, date: dt.date) -> None:
    assert parse_written_date(written) == date
