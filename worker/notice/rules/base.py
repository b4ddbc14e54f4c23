"""The shared machinery of the lint rules: the prepared notice, the registry, a finding."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from ..issues import NoticeIssue, Severity
from ..parse import (
    ParsedNotice,
    RawSection,
    find_sections,
    plain,
    split_sentences,
)

S164A_IN_FORCE = date(2026, 6, 19)  # rule 6: DPA 2018 s.164A (Data (Use and Access) Act 2025)
ICO_PHONE = "03031231113"
ICO = r"Information Commissioner|\bICO\b"


@dataclass
class NoticeDoc:
    """A notice prepared once for all rules."""

    text: str  # normalised, Markdown kept
    sections: list[RawSection]
    parsed: ParsedNotice
    dpo_names: tuple[str, ...]
    today: date
    school_type: str

    @cached_property
    def units(self) -> list[str]:
        """Every sentence of every paragraph and every bullet, as plain text, in order."""
        out: list[str] = []
        for section in self.sections:
            for block in section.blocks:
                out.extend(split_sentences(plain(block.text)))
                out.extend(plain(item) for item in block.items)
        return out

    @cached_property
    def flat(self) -> str:
        return " ".join(self.units)

    def find(self, pattern: str, *also: str) -> list[str]:
        """Units matching ``pattern`` and every pattern in ``also`` (case-insensitive)."""
        pats = [re.compile(p, re.IGNORECASE) for p in (pattern, *also)]
        return [u for u in self.units if all(p.search(u) for p in pats)]

    def part_units(self, part: str, skip: str | None = None) -> list[str]:
        """Sentences and bullets of the sections about ``part`` (see notice._HEADINGS),
        leaving out blocks whose lead-in or text matches ``skip``."""
        out: list[str] = []
        for section in find_sections(self.sections, part):
            for block in section.blocks:
                if skip and re.search(skip, " ".join([block.text, *block.items]), re.I):
                    continue
                out.extend(split_sentences(plain(block.text)))
                out.extend(plain(item) for item in block.items)
        return out

    def section_text(self, part: str) -> str:
        return " ".join(self.part_units(part))

    def has(self, pattern: str) -> bool:
        return re.search(pattern, self.flat, re.IGNORECASE) is not None


Rule = Callable[[NoticeDoc], Iterator[NoticeIssue]]
RULES: list[Rule] = []


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn


def issue(
    code: str, severity: Severity, message: str, excerpt: str | None, cite: str | None
) -> NoticeIssue:
    if excerpt is not None and len(excerpt) > 240:
        excerpt = excerpt[:237].rstrip() + "..."
    return NoticeIssue(code, severity, message, excerpt, cite)


def first_of(items: Sequence[str]) -> str | None:
    return items[0] if items else None


def ico_text(doc: NoticeDoc) -> str:
    """The ICO's own details, so they are never taken for the school's."""
    ico_blocks = [
        " ".join([b.text, *b.items])
        for s in doc.sections
        for b in s.blocks
        if re.search(ICO, b.text) or any(re.search(r"ico\.org\.uk", i) for i in b.items)
    ]
    return " ".join(ico_blocks)


def around(unit: str, needle: str, width: int = 60) -> str:
    """``needle`` with up to ``width`` characters either side, cut at word boundaries."""
    at = max(unit.find(needle), 0)
    start, end = max(0, at - width), min(len(unit), at + len(needle) + width)
    while start > 0 and not unit[start - 1].isspace():
        start += 1
    while end < len(unit) and not unit[end].isspace():
        end -= 1
    return unit[start:end].strip()
