"""Statutory clocks (rules 1 to 6 of docs/uk-school-sar-rules.md). Pure functions of dates."""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import holidays

log = logging.getLogger(__name__)


@lru_cache(maxsize=8)
def _bank_holidays(subdivision: str, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv=subdivision, years=range(year - 1, year + 3))


def is_working_day(day: dt.date, subdivision: str = "ENG") -> bool:
    """Monday to Friday and not a bank holiday in that part of the UK (England by default)."""
    return day.weekday() < 5 and day not in _bank_holidays(subdivision, day.year)


def next_working_day(day: dt.date, subdivision: str = "ENG") -> dt.date:
    """``day`` itself when it is a working day, else the next one (rule 1)."""
    while not is_working_day(day, subdivision):
        day += dt.timedelta(days=1)
    return day


def add_months(day: dt.date, months: int) -> dt.date:
    """The same date ``months`` later, or that month's last day when it has no such date
    (31 January + 1 month = 28 or 29 February; rule 1)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def clock_start(
    received: dt.date, identity_received: dt.date | None = None, fee_received: dt.date | None = None
) -> dt.date:
    """The clock starts at the latest of receipt, of identity evidence and of a fee (rule 2)."""
    return max(d for d in (received, identity_received, fee_received) if d is not None)


@dataclass(frozen=True)
class Pause:
    """A "stop the clock" period while the requester is asked to clarify (rule 2)."""

    start: dt.date
    end: dt.date | None  # None while still paused

    def days(self, today: dt.date) -> int:
        return ((self.end or today) - self.start).days


def sar_due_date(
    start: dt.date,
    *,
    pauses: Iterable[Pause] = (),
    extended: bool = False,
    today: dt.date | None = None,
    subdivision: str = "ENG",
) -> dt.date:
    """When a subject access request must be answered.

    One calendar month from ``start`` (the start day is day 1), three when extended for a
    complex request (rule 3); every paused day moves it on by a day (rule 2); a deadline on a
    weekend or bank holiday moves to the next working day (rule 1). School holidays never
    extend it.

    :param start: the day the clock started (see :func:`clock_start`).
    :param pauses: clarification pauses; an open pause counts up to ``today``.
    """
    today = today or dt.date.today()
    due = add_months(start, 3 if extended else 1)
    due += dt.timedelta(days=sum(p.days(today) for p in pauses))
    return next_working_day(due, subdivision)


def extension_notice_deadline(start: dt.date, subdivision: str = "ENG") -> dt.date:
    """An extension must be notified, with reasons, inside the first month (rule 3)."""
    return sar_due_date(start, subdivision=subdivision)


@dataclass(frozen=True)
class TermDates:
    """The school's terms (inclusive ranges) and INSET or closure days inside them (rule 4)."""

    terms: Sequence[tuple[dt.date, dt.date]]
    closures: frozenset[dt.date] = frozenset()

    def is_school_day(self, day: dt.date, subdivision: str = "ENG") -> bool:
        in_term = any(first <= day <= last for first, last in self.terms)
        return in_term and is_working_day(day, subdivision) and day not in self.closures


def add_school_days(
    received: dt.date, count: int, terms: TermDates, subdivision: str = "ENG"
) -> dt.date:
    """The ``count``-th school day after ``received`` (rule 4: 15 school days for a parent's
    request to see or copy the educational record). The day of receipt is not counted.

    :raises ValueError: when the term dates run out before ``count`` school days.
    """
    day, seen = received, 0
    limit = received + dt.timedelta(days=800)
    while seen < count:
        day += dt.timedelta(days=1)
        if day > limit:
            raise ValueError(
                f"the school's term dates end before {count} school days from {received}; "
                "add the next year's term dates"
            )
        if terms.is_school_day(day, subdivision):
            seen += 1
    return day


def add_working_days(start: dt.date, count: int, subdivision: str = "ENG") -> dt.date:
    """The ``count``-th working day after ``start`` (the day itself is not counted)."""
    day = start
    for _ in range(count):
        day = next_working_day(day + dt.timedelta(days=1), subdivision)
    return day


#: A parent's request to see or copy the educational record: 15 school days (rule 4).
EDUCATIONAL_RECORD_SCHOOL_DAYS = 15


def educational_record_due(
    received: dt.date, terms: TermDates | None, subdivision: str = "ENG"
) -> dt.date:
    """15 school days from the school's term dates (rule 4). Without term dates, or when they
    run out, count working days instead: never later than the school-day answer."""
    if terms is not None:
        try:
            return add_school_days(received, EDUCATIONAL_RECORD_SCHOOL_DAYS, terms, subdivision)
        except ValueError:
            log.warning(
                "term dates end before 15 school days from %s: counting working days", received
            )
    return add_working_days(received, EDUCATIONAL_RECORD_SCHOOL_DAYS, subdivision)


def exam_marks_due(requested: dt.date, results_announced: dt.date | None) -> dt.date:
    """Marks asked for before results day: the earlier of 5 months from the request and 40 days
    after the results are announced (rule 5)."""
    five_months = add_months(requested, 5)
    if results_announced is None:
        return five_months
    return min(five_months, results_announced + dt.timedelta(days=40))


def complaint_acknowledgement_due(received: dt.date) -> dt.date:
    """A complaint about data handling is acknowledged within 30 days (rule 6)."""
    return received + dt.timedelta(days=30)
