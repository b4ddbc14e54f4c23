"""Statutory clocks: rules 1 to 6 of docs/uk-school-sar-rules.md."""

from __future__ import annotations

import datetime as dt

import pytest

from pupil_privacy.worker import clock

D = dt.date


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Rule 1: same date next month.
        (D(2026, 6, 3), D(2026, 7, 3)),
        # Lands on Good Friday 2026 (3 Apr) -> past Easter Monday -> Tue 7 Apr.
        (D(2026, 3, 3), D(2026, 4, 7)),
        # Rule 1: no such date -> last day of that month (28 Feb 2027 is a Sunday -> Mon 1 Mar).
        (D(2027, 1, 31), D(2027, 3, 1)),
        # Leap year: 29 Feb 2028 is a Tuesday, a working day.
        (D(2028, 1, 31), D(2028, 2, 29)),
        # Lands on a Saturday -> next Monday.
        (D(2026, 3, 25), D(2026, 4, 27)),
        # Lands on Christmas Day 2026 (Fri) -> Boxing Day is Sat, substitute Mon 28 -> Tue 29.
        (D(2026, 11, 25), D(2026, 12, 29)),
        # Lands on Easter Monday 2027 (29 Mar) -> Tue 30 Mar.
        (D(2027, 2, 28), D(2027, 3, 30)),
        # December rolls into the next year.
        (D(2026, 12, 15), D(2027, 1, 15)),
    ],
)
def test_sar_due_one_calendar_month_then_next_working_day(received: dt.date, due: dt.date) -> None:
    assert clock.sar_due_date(received, today=received) == due


def test_school_holidays_never_extend_the_deadline() -> None:
    # Rule 1: received just before the summer holiday, due in August regardless.
    assert clock.sar_due_date(D(2026, 7, 20), today=D(2026, 7, 20)) == D(2026, 8, 20)


def test_scottish_bank_holiday_region_is_a_setting() -> None:
    # 2 Jan is a bank holiday in Scotland only; 2 Jan 2029 is a Tuesday.
    assert clock.sar_due_date(D(2028, 12, 2), today=D(2028, 12, 2)) == D(2029, 1, 2)
    assert clock.sar_due_date(D(2028, 12, 2), today=D(2028, 12, 2), subdivision="SCT") == D(
        2029, 1, 3
    )


def test_clock_starts_at_latest_of_receipt_identity_and_fee() -> None:
    # Rule 2.
    assert clock.clock_start(D(2026, 5, 1)) == D(2026, 5, 1)
    assert clock.clock_start(D(2026, 5, 1), identity_received=D(2026, 5, 6)) == D(2026, 5, 6)
    assert clock.clock_start(
        D(2026, 5, 1), identity_received=D(2026, 5, 6), fee_received=D(2026, 5, 9)
    ) == D(2026, 5, 9)


def test_clarification_pause_moves_the_deadline_by_the_paused_days() -> None:
    # Rule 2: "stop the clock" while the requester clarifies; resumes on their reply.
    start = D(2026, 5, 1)
    closed = clock.Pause(D(2026, 5, 5), D(2026, 5, 12))  # 7 days
    assert clock.sar_due_date(start, pauses=[closed], today=D(2026, 5, 20)) == D(2026, 6, 8)
    still_open = clock.Pause(D(2026, 5, 5), None)
    # Open pause counts to today (10 days): 1 Jun + 10 = 11 Jun (Thursday).
    assert clock.sar_due_date(start, pauses=[still_open], today=D(2026, 5, 15)) == D(2026, 6, 11)


def test_extension_adds_two_further_months() -> None:
    # Rule 3: up to two further months: 3 months in all.
    assert clock.sar_due_date(D(2026, 5, 1), extended=True, today=D(2026, 5, 1)) == D(2026, 8, 3)
    assert clock.extension_notice_deadline(D(2026, 5, 1)) == D(2026, 6, 1)


def test_educational_record_counts_school_days_from_term_dates() -> None:
    # Rule 4: 15 school days; weekends, bank holidays, half term and INSET days don't count.
    terms = clock.TermDates(
        terms=[(D(2026, 4, 13), D(2026, 5, 22)), (D(2026, 6, 1), D(2026, 7, 22))],
        closures=frozenset({D(2026, 5, 15)}),
    )
    # From Fri 8 May: 11,12,13,14 (15 INSET) 18..22 = 9 days; half term; 1..5 Jun = 14; 8 Jun = 15.
    assert clock.add_school_days(D(2026, 5, 8), 15, terms) == D(2026, 6, 8)


def test_school_days_need_term_dates_that_reach_far_enough() -> None:
    terms = clock.TermDates(terms=[(D(2026, 4, 13), D(2026, 4, 17))])
    with pytest.raises(ValueError, match="term dates end"):
        clock.add_school_days(D(2026, 4, 13), 15, terms)


def test_exam_marks_earlier_of_five_months_or_forty_days_after_results() -> None:
    # Rule 5.
    assert clock.exam_marks_due(D(2026, 6, 1), D(2026, 8, 20)) == D(2026, 9, 29)
    assert clock.exam_marks_due(D(2026, 3, 1), D(2026, 8, 20)) == D(2026, 8, 1)
    assert clock.exam_marks_due(D(2026, 3, 1), None) == D(2026, 8, 1)


def test_complaint_acknowledged_within_thirty_days() -> None:
    # Rule 6.
    assert clock.complaint_acknowledgement_due(D(2026, 7, 1)) == D(2026, 7, 31)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 1, 30), 1, D(2026, 2, 28)),
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 8, 15), 5, D(2027, 1, 15)),
    ],
)
def test_add_months_clamps_to_month_end(day: dt.date, months: int, expected: dt.date) -> None:
    assert clock.add_months(day, months) == expected
