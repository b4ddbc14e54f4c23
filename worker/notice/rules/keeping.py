"""Lint rules: keeping and transferring: retention, transfers, outdated law."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..issues import NoticeIssue, Severity
from ..parse import (
    find_sections,
)
from .base import NoticeDoc, first_of, issue, rule

_DURATION = (
    r"\b(?:\d+|one|two|three|four|five|six|seven|ten|twelve|fifteen|twenty[- ]five)\s+"
    r"(?:years?|months?|weeks?|days?)\b|\bage(?:d| of)\s+\d+|date of birth\s*\+|DOB\s*\+|"
    r"\+\s*\d+\s*years|until (?:[\w']+\s+){0,3}(?:is|are|reaches|turns|aged?)\s+\d+"
)


@rule
def retention(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """A period per kind of record, or the criteria, or at least a working link to the
    retention schedule: "as long as necessary" is not enough."""
    units = doc.part_units("retention")
    if re.search(_DURATION, " ".join(units), re.IGNORECASE):
        return
    sections = find_sections(doc.sections, "retention")
    raw = " ".join(" ".join([b.text, *b.items]) for s in sections for b in s.blocks)
    links = re.findall(r"\]\((https?://[^)\s]+)\)|(https?://\S+)", raw)
    excerpt = first_of(
        [u for u in units if re.search(r"toolkit|schedule|polic|how long", u, re.I)]
    ) or first_of(units)
    if links:
        yield issue(
            "retention-schedule-link-only",
            Severity.INFO,
            "Retention periods are only given through a linked schedule: consider stating "
            "the main periods in the notice.",
            excerpt,
            "UK GDPR Art 13(2)(a)",
        )
        return
    yield issue(
        "retention-period-missing",
        Severity.ERROR,
        "No retention period (or the criteria for one) is given for any kind of record, and "
        "no working link to the school's retention schedule: state how long each category is "
        "kept, or link the schedule.",
        excerpt,
        "UK GDPR Art 13(2)(a); rule 16",
    )


_TRANSFER = r"transfer|outside the|overseas|abroad|international|third countr"


@rule
def transfers(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    stated = doc.find(_TRANSFER, r"countr|territor|outside|abroad|overseas|international")
    stated = [u for u in stated if not re.search(r"another organisation|portab", u, re.I)]
    if not stated:
        yield issue(
            "transfers-not-stated",
            Severity.INFO,
            "The notice does not say whether data goes outside the UK (cloud suppliers often "
            "store data abroad). Say whether it does and under which safeguards.",
            None,
            "UK GDPR Art 13(1)(f)",
        )
        return
    for unit in stated:
        if re.search(r"European Economic Area|\bEEA\b|European Union|\bEU\b", unit):
            yield issue(
                "transfer-eea",
                Severity.ERROR,
                "International transfers are described by the EEA/EU. Since Brexit the UK "
                "GDPR restricts transfers outside the UK: say 'outside the UK'.",
                unit,
                "UK GDPR Art 13(1)(f), Arts 44-49",
            )
    if not any(
        re.search(
            r"adequa|safeguard|IDTA|international data transfer|standard contractual|"
            r"addendum|binding corporate|do not transfer|never transfer",
            u,
            re.IGNORECASE,
        )
        for u in stated
    ):
        yield issue(
            "transfer-safeguards-missing",
            Severity.WARNING,
            "The notice does not name the safeguards for transfers outside the UK (UK "
            "adequacy regulations, the IDTA or the UK Addendum) or how to get a copy.",
            stated[0],
            "UK GDPR Art 13(1)(f), Art 46",
        )


@rule
def outdated_law(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    for pattern in (
        r"Data Protection Act 1998|DPA 1998",
        r"95/46/EC",
        r"Privacy Shield|Safe Harbou?r",
    ):
        for unit in doc.find(pattern):
            yield issue(
                "outdated-law",
                Severity.WARNING,
                "The notice cites law that no longer applies; refer to the UK GDPR and the "
                "Data Protection Act 2018.",
                unit,
                "UK GDPR; DPA 2018",
            )
