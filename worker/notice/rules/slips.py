"""Lint rules: publishing slips: placeholders, grammar, the notice's date."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..issues import NoticeIssue, Severity
from ..parse import (
    UK_PHONE,
    plain,
    split_sentences,
)
from .base import NoticeDoc, around, first_of, issue, rule

_DEAD_TARGETS = {"", "#", "#!", "url", "link", "http://", "https://", "javascript:void(0)"}


@rule
def placeholder_links(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    for m in re.finditer(r"\[([^\]]+)\]\(([^)]*)\)", doc.text):
        if m.group(2).strip().lower() in _DEAD_TARGETS:
            yield issue(
                "placeholder-link",
                Severity.ERROR,
                f'The link "{m.group(1)}" goes nowhere (target "{m.group(2)}"): readers '
                "cannot reach what the notice relies on. Add the real address.",
                m.group(0),
                "UK GDPR Art 12(1)",
            )


_PLACEHOLDERS = (
    r"\[(?:insert|add|enter|school|name|date|link|address|phone|tbc|x{2,})[^\]]*\](?!\()",
    r"<\s*insert[^>]*>",
    r"\bX{3,}\b",
    r"\bTBC\b|\bTBA\b",
    r"lorem ipsum",
)


@rule
def placeholder_text(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    for pattern in _PLACEHOLDERS:
        for m in re.finditer(pattern, doc.text, re.IGNORECASE):
            yield issue(
                "placeholder-text",
                Severity.ERROR,
                "Template placeholder text was left in the notice.",
                m.group(0),
                "UK GDPR Art 12(1)",
            )


# Ofcom's ranges reserved for drama and examples: never a real line.
_OFCOM_FICTION = (
    r"^(?:01632960|02079460|0113496|0114496|0115496|0116496|0117496|0118496|0121496|0131496|"
    r"0141496|0151496|0161496|02896496|02920180|0191498|07700900|08081570|09098790|03069990)"
)


@rule
def placeholder_phone(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """Numbers ending in a run of one digit (0300 300 0000), counting runs (1234567), or in
    Ofcom's fiction ranges are almost always template placeholders."""
    for m in UK_PHONE.finditer(doc.flat):
        digits = re.sub(r"\D", "", m.group(0))
        if digits.startswith("44"):
            digits = "0" + digits[2:]
        tail = digits[-6:]
        if (
            re.search(r"(\d)\1{3}$", digits)
            or tail in ("123456", "234567", "345678", "456789", "654321")
            or re.match(_OFCOM_FICTION, digits)
        ):
            yield issue(
                "placeholder-phone",
                Severity.WARNING,
                f"The telephone number {m.group(0).strip()} looks like a placeholder: check "
                "it is a real, staffed line.",
                around(first_of([u for u in doc.units if m.group(0) in u]) or "", m.group(0), 40),
                "UK GDPR Art 13(1)(a)-(b)",
            )


_PERFECT_BASE = (
    r"\b(?:have|has|had)\s+(?:refer|collect|obtain|ask|make|take|provide|store|receive|send|"
    r"give|write|retain|transfer|publish|adopt|include|keep|process)\b"
)


@rule
def grammar(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """Slips a parent notices at once: a base verb after have/has ("We have refer to") and a
    doubled word ("the the")."""
    for unit in doc.units:
        for m in re.finditer(_PERFECT_BASE, unit, re.IGNORECASE):
            yield issue(
                "grammar",
                Severity.WARNING,
                f'Broken grammar: "{m.group(0)}" (a verb form is wrong). The notice must be '
                "in clear and plain language.",
                unit,
                "UK GDPR Art 12(1)",
            )
        for m in re.finditer(r"\b([A-Za-z]+)\s+\1\b", unit, re.IGNORECASE):
            if m.group(1).lower() not in ("had", "that", "is"):
                yield issue(
                    "grammar",
                    Severity.WARNING,
                    f'The word "{m.group(1)}" is doubled.',
                    unit,
                    "UK GDPR Art 12(1)",
                )


@rule
def unfinished_sentences(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """A paragraph that stops without a full stop usually runs into the next one when read."""
    for section in doc.sections:
        for block in section.blocks:
            text = plain(block.text)
            if not block.items and len(text.split()) >= 8 and text[-1].isalnum():
                yield issue(
                    "grammar",
                    Severity.INFO,
                    "A sentence has no full stop, so it runs into what follows.",
                    split_sentences(text)[-1],
                    "UK GDPR Art 12(1)",
                )


@rule
def notice_date(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """A notice must show which version a parent read; an old date means it is overdue for
    review."""
    months = (
        r"(?:January|February|March|April|May|June|July|August|September|October|November|"
        r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
    )
    stamp = re.compile(
        rf"(?:updated|reviewed|review|version|dated?|issued|published|effective|approved)"
        rf"[^.\n]{{0,40}}?(?:\b\d{{1,2}}[/.-]\d{{1,2}}[/.-](\d{{4}})|{months}\s+(\d{{4}})|"
        rf"\b(\d{{4}})-\d{{2}}-\d{{2}}|\b(20\d\d)\b|v?\d+\.\d+)",
        re.IGNORECASE,
    )
    found = list(stamp.finditer(doc.text))
    if not found:
        yield issue(
            "notice-date-missing",
            Severity.WARNING,
            "The notice has no date or version: add 'Last updated' (and a version) so the "
            "school can show which notice a parent was given.",
            None,
            "UK GDPR Art 5(2), Art 12(1)",
        )
        return
    years = [int(y) for m in found for y in m.groups() if y]
    if years and max(years) <= doc.today.year - 2:
        yield issue(
            "notice-review-overdue",
            Severity.INFO,
            f"The notice was last dated {max(years)}: review it at least every two years.",
            found[0].group(0),
            "UK GDPR Art 5(2)",
        )
