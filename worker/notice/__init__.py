"""Understanding a school's privacy notice: parse it, lint it, answer Article 15 from it.

Three consumers: the plugin renders :attr:`ParsedNotice.sections` on the notice page and
shows :func:`lint_notice` findings to the DPO publishing a notice version; the pack's cover
letter comes from :func:`cover_letter_sections` (UK GDPR Art 15, rule 16 of
docs/uk-school-sar-rules.md).

Modules: :mod:`.parse` (sections and facts), :mod:`.rules` (the lint rules, by topic),
:mod:`.lint` (running them; the command line), :mod:`.letter` (the Art 15 wording),
:mod:`.default` (the shipped notice).
"""

from __future__ import annotations

from .default import DEFAULT_NOTICE_RESOURCE, default_notice_text
from .issues import NoticeIssue, Severity
from .letter import cover_letter_sections
from .lint import SCHOOL_TYPES, format_issues, lint_notice
from .parse import NoticeSection, ParsedNotice, parse_notice, plain

__all__ = [
    "DEFAULT_NOTICE_RESOURCE",
    "SCHOOL_TYPES",
    "NoticeIssue",
    "NoticeSection",
    "ParsedNotice",
    "Severity",
    "cover_letter_sections",
    "default_notice_text",
    "format_issues",
    "lint_notice",
    "parse_notice",
    "plain",
]
