"""``pupil-privacy notice check FILE``: the notice checker for other tools and for CI.

One line per finding, most serious first, then a count; the exit status is 1 when any finding
is an error, 0 otherwise (2, from the ``pupil-privacy`` command, when the file cannot be read).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

from pupil_privacy.redaction.errors import InputError

from .issues import NoticeIssue, Severity
from .lint import SCHOOL_TYPES, lint_notice


def add_notice_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    notice = sub.add_parser("notice", help="work with a privacy notice")
    actions = notice.add_subparsers(dest="notice_command", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check",
        help="list the defects a DPO would want caught before publishing a notice",
        description="Check a privacy notice (plain text or Markdown) against UK GDPR Arts "
        "12-14 and the school rules; exit 1 when any finding is an error.",
    )
    check.add_argument("file", type=Path, help="the notice, as a text or Markdown file")
    check.add_argument(
        "--school-type",
        default="academy",
        choices=[t.replace("_", "-") for t in SCHOOL_TYPES] + list(SCHOOL_TYPES),
        help="which statutory rights apply (rule 4: the educational record is for "
        "maintained schools only); default academy",
    )
    check.add_argument(
        "--today", type=date.fromisoformat, default=None, help="judge as on YYYY-MM-DD"
    )
    check.set_defaults(func=run_check)


def one_line(issue: NoticeIssue) -> str:
    cite = f" [{issue.rule}]" if issue.rule else ""
    return f"{issue.severity.value.upper()} {issue.code}: {issue.message}{cite}"


def summary(issues: Sequence[NoticeIssue]) -> str:
    counts = {s.value: sum(i.severity.value == s.value for i in issues) for s in Severity}
    return ", ".join(f"{n} {name}" for name, n in counts.items())


def check_lines(issues: Sequence[NoticeIssue]) -> Iterator[str]:
    yield from (one_line(issue) for issue in issues)
    yield summary(issues)


def run_check(args: argparse.Namespace) -> int:
    try:
        text = args.file.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read {args.file}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{args.file} is not UTF-8 text ({exc.reason})") from exc
    issues = lint_notice(text, today=args.today, school_type=args.school_type)
    for line in check_lines(issues):
        print(line)
    return 1 if any(i.severity.value == Severity.ERROR.value for i in issues) else 0
