"""The lint rules for privacy notices: each a general check that reads any school's notice.

Every rule is a function ``(doc) -> Iterator[NoticeIssue]`` registered in ``base.RULES`` by
the topic modules, imported here in the order their findings are listed. A rule looks for
what the law asks a notice to say (UK GDPR Arts 12-14), for statements that contradict
docs/uk-school-sar-rules.md, and for publishing slips (placeholder links, a name spelt two
ways). Rules match meaning through word patterns and similarity, never a sentence copied
from the shipped notice, so another school's wording is judged the same.
"""

from __future__ import annotations

from datetime import date

from ..issues import NoticeIssue, Severity
from ..parse import dpo_name_mentions, normalise, parse_notice, parse_sections
from . import contradictions, keeping, processing, responsible, rights, slips
from .base import RULES, NoticeDoc

#: Findings of one severity are listed in this order of topics (then rule order in a topic);
#: imports above are sorted by name, so the registry's order alone would be alphabetical.
TOPICS = (responsible, slips, processing, keeping, rights, contradictions)
_ORDER = [t.__name__ for t in TOPICS]


def run_rules(text: str, *, today: date, school_type: str) -> list[NoticeIssue]:
    """Every rule over ``text``; errors first, then warnings, then notes, each in rule order."""
    sections = parse_sections(text)
    doc = NoticeDoc(
        text=normalise(text),
        sections=sections,
        parsed=parse_notice(text),
        dpo_names=tuple(dpo_name_mentions(text, sections)),
        today=today,
        school_type=school_type,
    )
    checks = sorted(RULES, key=lambda fn: (_ORDER.index(fn.__module__), RULES.index(fn)))
    issues = [found for check in checks for found in check(doc)]
    rank = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return sorted(issues, key=lambda i: rank[i.severity])
