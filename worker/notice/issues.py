"""One lint finding on a privacy notice, and how serious it is."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"  # wrong in law or a required item missing: fix before publishing
    WARNING = "warning"  # incomplete, unclear or likely wrong: a DPO should look
    INFO = "info"  # worth improving; or a duty not yet in force


@dataclass(frozen=True)
class NoticeIssue:
    """One finding. ``code`` is stable (kebab-case) so the plugin can store and filter it;
    ``rule`` cites the rule in docs/uk-school-sar-rules.md or the UK GDPR article."""

    code: str
    severity: Severity
    message: str
    excerpt: str | None
    rule: str | None
