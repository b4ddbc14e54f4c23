"""``pupil-privacy deadline``: when a request must be answered, from the same clock the
register uses (worker/clock.py, rules 1 to 6), for other tools to call.

The due date is printed as YYYY-MM-DD alone on the last line; the lines before it say how it
was reached.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pupil_privacy.redaction.errors import InputError

from .clock import (
    EDUCATIONAL_RECORD_SCHOOL_DAYS,
    Pause,
    TermDates,
    complaint_acknowledgement_due,
    educational_record_due,
    sar_due_date,
)

KINDS = ("sar", "educational-record", "complaint-ack")
REGIONS = ("ENG", "WLS", "SCT", "NIR")


def add_deadline_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "deadline",
        help="the statutory due date of a request",
        description="Print the due date of a request (YYYY-MM-DD alone on the last line): "
        "sar = one calendar month, three when extended (rules 1-3); educational-record = 15 "
        "school days (rule 4); complaint-ack = 30 days to acknowledge (rule 6).",
    )
    p.add_argument("--kind", required=True, choices=KINDS)
    p.add_argument("--received", required=True, type=_date, help="YYYY-MM-DD")
    p.add_argument(
        "--paused",
        type=_days,
        default=0,
        metavar="DAYS",
        help="days the clock was stopped while the requester was asked to clarify (rule 2)",
    )
    p.add_argument(
        "--extended", action="store_true", help="extended by two months (sar only, rule 3)"
    )
    p.add_argument(
        "--term-dates",
        type=Path,
        metavar="FILE",
        help="the school's terms, for educational-record: a line 'YYYY-MM-DD YYYY-MM-DD' per "
        "term and 'YYYY-MM-DD' per closure day (# comments), or JSON "
        '{"terms": [[first, last], ...], "closures": [...]}',
    )
    p.add_argument("--region", choices=REGIONS, default="ENG", help="bank holidays (ENG)")
    p.set_defaults(func=run_deadline)


def run_deadline(args: argparse.Namespace) -> int:
    for line in explain(args):
        print(line)
    return 0


def explain(args: argparse.Namespace) -> Iterator[str]:
    received: dt.date = args.received
    paused = dt.timedelta(days=args.paused)
    if args.extended and args.kind != "sar":
        raise InputError("--extended applies to subject access requests only (rule 3)")
    if args.term_dates and args.kind != "educational-record":
        raise InputError("--term-dates applies to educational-record only (rule 4)")
    if args.kind == "sar":
        pauses = [Pause(received, received + paused)] if args.paused else []
        due = sar_due_date(received, pauses=pauses, extended=args.extended, subdivision=args.region)
        months = "three calendar months (extended)" if args.extended else "one calendar month"
        yield f"subject access: {months} from {received}, the day received being day 1 (rules 1, 3)"
    elif args.kind == "educational-record":
        terms = read_term_dates(args.term_dates) if args.term_dates else None
        due = educational_record_due(received, terms, args.region) + paused
        counted = "school days from the term dates" if terms else "working days (no term dates)"
        yield f"educational record: {EDUCATIONAL_RECORD_SCHOOL_DAYS} {counted} (rule 4)"
    else:
        due = complaint_acknowledgement_due(received) + paused
        yield "complaint: acknowledged within 30 days (rule 6)"
    if args.paused:
        yield f"clock stopped for {args.paused} days (rule 2)"
    yield due.isoformat()


def read_term_dates(path: Path) -> TermDates:
    """The school's term dates from ``path`` (see ``--term-dates``).

    :raises InputError: naming the line or entry that is wrong.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if text.lstrip().startswith("{"):
        return _terms_from_json(text, path)
    terms: list[tuple[dt.date, dt.date]] = []
    closures: set[dt.date] = set()
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        where = f"{path}, line {n}"
        if len(parts) == 1:
            closures.add(_date(parts[0], where))
        elif len(parts) == 2:
            terms.append(_term(parts[0], parts[1], where))
        else:
            raise InputError(f"{where}: write 'FIRST LAST' for a term or one date for a closure")
    if not terms:
        raise InputError(f"{path}: no terms found")
    return TermDates(terms=terms, closures=frozenset(closures))


def _terms_from_json(text: str, path: Path) -> TermDates:
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path} is not valid JSON: {exc.msg} (line {exc.lineno})") from exc
    raw_terms = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(raw_terms, list) or not raw_terms:
        raise InputError(f'{path}: expected {{"terms": [[first, last], ...]}}')
    terms = []
    for n, pair in enumerate(raw_terms, start=1):
        if not isinstance(pair, list) or len(pair) != 2:
            raise InputError(f"{path}: term {n} must be [first, last]")
        terms.append(_term(str(pair[0]), str(pair[1]), f"{path}, term {n}"))
    closures = frozenset(_date(str(d), f"{path}, closures") for d in data.get("closures", []))
    return TermDates(terms=terms, closures=closures)


def _term(first: str, last: str, where: str) -> tuple[dt.date, dt.date]:
    start, end = _date(first, where), _date(last, where)
    if end < start:
        raise InputError(f"{where}: the term ends ({end}) before it starts ({start})")
    return start, end


def _date(value: str, where: str = "") -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        msg = f"{value!r} is not a date; write YYYY-MM-DD"
        if not where:
            raise argparse.ArgumentTypeError(msg) from None
        raise InputError(f"{where}: {msg}") from None


def _days(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of days") from None
    if days < 0:
        raise argparse.ArgumentTypeError("--paused cannot be negative")
    return days
