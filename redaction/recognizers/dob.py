"""Dates of birth: a date right after "DOB", "date of birth", "born (on)" or "birthday"."""

from __future__ import annotations

import datetime as dt
import re

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

MONTHS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")),
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
DATE_REGEX = (
    r"(?:[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-](?:[0-9]{4}|[0-9]{2})(?![0-9])"
    r"|[0-9]{4}-[0-9]{2}-[0-9]{2}"
    rf"|[0-9]{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+[0-9]{{4}}"
    rf"|{_MONTH}\s+[0-9]{{1,2}}(?:st|nd|rd|th)?,?\s+[0-9]{{4}})"
)
DATE_RE = re.compile(DATE_REGEX, re.IGNORECASE)
_DOB_RE = re.compile(
    r"\b(?:d\.?o\.?b\.?|date\s+of\s+birth|birth\s*date|born(?:\s+on)?|birthday(?:\s+is)?)"
    rf"(?:[\s:\-–.,]+(?:is|was|it's|it is|on|of|the)){{0,3}}[\s:\-–.,]*(?P<date>{DATE_REGEX})",
    re.IGNORECASE,
)

#: Gate (see .gate): every cue holds one of these, in any case, as _DOB_RE reads it.
_DOB_GATE = re.compile(r"d\.?o\.?b|birth|born", re.IGNORECASE)


def parse_written_date(text: str) -> dt.date | None:
    """Read a date in any form :data:`DATE_REGEX` matches (UK day-first), or ``None``."""
    text = text.strip().lower().replace(",", " ")
    m = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", text)
    if m:
        year, month, day = (int(g) for g in m.groups())
    elif m := re.fullmatch(r"([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{2,4})", text):
        day, month, year = (int(g) for g in m.groups())
        if month > 12 >= day:  # written month-first (US style): 11/14/1956
            day, month = month, day
        if year < 100:
            year += 2000 if year <= dt.date.today().year % 100 else 1900
    else:
        words = re.findall(r"[a-z]+|[0-9]+", re.sub(r"(?<=[0-9])(st|nd|rd|th)\b", "", text))
        numbers = [int(w) for w in words if w.isdigit()]
        month_names = [MONTHS[w] for w in words if w in MONTHS]
        if len(numbers) != 2 or not month_names:
            return None
        day, year = (numbers[0], numbers[1]) if numbers[0] <= 31 else (numbers[1], numbers[0])
        month = month_names[0]
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


class DateOfBirthRecognizer(EntityRecognizer):
    """A date introduced as a date of birth; other dates are not personal data by themselves."""

    def __init__(self, supported_entity: str = "DATE_OF_BIRTH") -> None:
        super().__init__(
            supported_entities=[supported_entity],
            name="DateOfBirthRecognizer",
            supported_language="en",
        )

    def load(self) -> None:
        """Nothing to load: the pattern is compiled at import."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        if _DOB_GATE.search(text) is None:
            return results
        for m in _DOB_RE.finditer(text):
            if parse_written_date(m.group("date")) is None:
                continue
            results.append(
                RecognizerResult(self.supported_entities[0], m.start("date"), m.end("date"), 0.85)
            )
        return results
