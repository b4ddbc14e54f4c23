"""``pupil-privacy deadline`` agrees with worker/clock.py (rules 1-4, 6), through the real
console script: the due date alone on the last line."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pupil_privacy.worker.cli import main
from pupil_privacy.worker.clock import (
    Pause,
    TermDates,
    add_school_days,
    complaint_acknowledgement_due,
    educational_record_due,
    sar_due_date,
)

D = dt.date.fromisoformat
TERMS = TermDates(
    terms=[(D("2026-09-02"), D("2026-10-23")), (D("2026-11-02"), D("2026-12-18"))],
    closures=frozenset({D("2026-11-13")}),
)

# (arguments, what clock.py says) — each row a case a DPO meets.
CASES = [
    # Rule 1: 31 January -> 28 February 2026 is a Saturday -> Monday 2 March.
    (["--kind", "sar", "--received", "2026-01-31"], sar_due_date(D("2026-01-31"))),
    # Rule 1: due on the Easter Monday bank holiday (6 April 2026) -> Tuesday 7 April.
    (["--kind", "sar", "--received", "2026-03-06"], sar_due_date(D("2026-03-06"))),
    # Rule 3: extended to three months.
    (
        ["--kind", "sar", "--received", "2026-05-15", "--extended"],
        sar_due_date(D("2026-05-15"), extended=True),
    ),
    # Rule 2: ten days stopped while the requester clarified.
    (
        ["--kind", "sar", "--received", "2026-06-01", "--paused", "10"],
        sar_due_date(D("2026-06-01"), pauses=[Pause(D("2026-06-01"), D("2026-06-11"))]),
    ),
    # Rule 4 without term dates: 15 working days (over Christmas's bank holidays).
    (
        ["--kind", "educational-record", "--received", "2026-12-10"],
        educational_record_due(D("2026-12-10"), None),
    ),
    # Rule 6: 30 days to acknowledge a complaint.
    (
        ["--kind", "complaint-ack", "--received", "2026-07-01"],
        complaint_acknowledgement_due(D("2026-07-01")),
    ),
]


@pytest.mark.parametrize(("args", "expected"), CASES)
def test_deadline_agrees_with_the_clock(args, expected, capsys):
    assert main(["deadline", *args]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == expected.isoformat()


def test_the_hand_checked_dates():
    """The table above is not only the clock agreeing with itself: two dates checked by hand."""
    assert sar_due_date(D("2026-01-31")) == D("2026-03-02")
    assert sar_due_date(D("2026-03-06")) == D("2026-04-07")


@pytest.mark.parametrize("form", ["lines", "json"])
def test_educational_record_counts_school_days_from_a_term_dates_file(tmp_path, capsys, form):
    path = tmp_path / f"terms.{form}"
    if form == "json":
        path.write_text(
            json.dumps(
                {
                    "terms": [["2026-09-02", "2026-10-23"], ["2026-11-02", "2026-12-18"]],
                    "closures": ["2026-11-13"],
                }
            )
        )
    else:
        path.write_text(
            "# autumn term\n2026-09-02 2026-10-23\n2026-11-02 2026-12-18\n2026-11-13  # INSET\n"
        )
    # Half term (26-30 October) and an INSET day (13 November) fall inside the 15 school days:
    # 21-23 October (3), 2-6 November (8), 9-12 (12), 16-18 (15) -> 18 November.
    received = D("2026-10-20")
    assert main(["deadline", "--kind", "educational-record", "--received", "2026-10-20",
                 "--term-dates", str(path)]) == 0  # fmt: skip
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == add_school_days(received, 15, TERMS).isoformat() == "2026-11-18"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "complaint-ack", "--received", "2026-07-01", "--extended"], "--extended"),
        (["--kind", "sar", "--received", "2026-07-01", "--term-dates", "x"], "--term-dates"),
    ],
)
def test_options_that_do_not_apply_are_refused(args, message, capsys):
    assert main(["deadline", *args]) == 2
    assert message in capsys.readouterr().err


def test_a_bad_date_is_a_usage_error_not_a_traceback(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["deadline", "--kind", "sar", "--received", "31/01/2026"])
    assert exit_info.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_the_console_script_prints_the_date_alone_on_its_last_line():
    script = Path(sys.executable).with_name("pupil-privacy")
    assert script.exists(), "the console script is installed with the package"
    out = subprocess.run(
        [script, "deadline", "--kind", "sar", "--received", "2026-01-31"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert out.splitlines()[-1] == "2026-03-02"
