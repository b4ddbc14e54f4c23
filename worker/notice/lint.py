"""Linting a privacy notice before the DPO publishes it, and ``python -m
pupil_privacy.worker.notice lint FILE``."""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from datetime import date

from pupil_privacy.redaction.errors import InputError

from .default import default_notice_text
from .issues import NoticeIssue, Severity
from .rules import run_rules

SCHOOL_TYPES = ("academy", "free_school", "maintained", "independent")


def lint_notice(
    text: str, *, today: date | None = None, school_type: str = "academy"
) -> list[NoticeIssue]:
    """Defects a DPO would want caught before publishing ``text``, most serious first.

    :param text: the notice as plain text or Markdown.
    :param today: the date to judge against (rules that come into force on a date, such as
        the s.164A complaints duty, rule 6); default today.
    :param school_type: ``academy``, ``free_school``, ``maintained`` or ``independent``:
        which statutory rights apply (rule 4: the educational-record regulations bind
        maintained schools only).
    """
    kind = school_type.strip().lower().replace(" ", "_").replace("-", "_")
    if kind not in SCHOOL_TYPES:
        raise InputError(
            f"unknown school type {school_type!r}: use one of {', '.join(SCHOOL_TYPES)}"
        )
    return run_rules(text, today=today or date.today(), school_type=kind)


def format_issues(issues: Sequence[NoticeIssue]) -> Iterator[str]:
    for issue in issues:
        cite = f" [{issue.rule}]" if issue.rule else ""
        yield f"{issue.severity.value.upper():7} {issue.code}{cite}"
        yield f"        {issue.message}"
        if issue.excerpt:
            yield f'        > "{issue.excerpt}"'


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m pupil_privacy.worker.notice lint FILE``: print the findings; exit 1 when
    any is an error."""
    parser = argparse.ArgumentParser(prog="python -m pupil_privacy.worker.notice")
    sub = parser.add_subparsers(dest="command", required=True)
    lint = sub.add_parser("lint", help="list the defects in a privacy notice")
    lint.add_argument("file", help="the notice (text or Markdown); '-' for the shipped default")
    lint.add_argument("--school-type", default="academy")
    lint.add_argument("--today", type=date.fromisoformat, default=None)
    args = parser.parse_args(argv)
    if args.file == "-":
        text = default_notice_text()
    else:
        with open(args.file, encoding="utf-8") as fh:
            text = fh.read()
    issues = lint_notice(text, today=args.today, school_type=args.school_type)
    for line in format_issues(issues):
        print(line)
    # Compared by value, as the findings' severities may come from another copy of the class.
    counts = {s.value: sum(i.severity.value == s.value for i in issues) for s in Severity}
    print(", ".join(f"{n} {name}" for name, n in counts.items()))
    return 1 if counts["error"] else 0
