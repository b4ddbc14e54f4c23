"""Lint rules: statements the rules contradict: timescale, fee, ages."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..issues import NoticeIssue, Severity
from ..parse import (
    plain,
    split_sentences,
)
from .base import NoticeDoc, first_of, issue, rule

_PERIOD = r"(?:within|in)\s+(?:\w+\s+){0,2}(?:month|months|days|weeks|working days|school days)"


@rule
def subject_access_timescale(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    about_access = doc.find(r"subject access|access request|request", _PERIOD)
    about_access += [u for u in doc.part_units("rights") if re.search(_PERIOD, u, re.I)]
    sar = [
        u
        for u in dict.fromkeys(about_access)
        if not re.search(r"educational record|complain", u, re.IGNORECASE)
    ]
    right = [u for u in sar if re.search(r"\bone (?:calendar )?month|\b1 month", u, re.I)]
    wrong = [u for u in sar if u not in right and re.search(r"\d+\s+(?:working\s+)?days", u)]
    for unit in wrong:
        yield issue(
            "sar-timescale-wrong",
            Severity.ERROR,
            "The time to answer a subject access request is one calendar month "
            "(extendable by two months for complex requests), not a number of days.",
            unit,
            "rule 1; UK GDPR Art 12(3)",
        )
    if not right and not wrong:
        yield issue(
            "sar-timescale-missing",
            Severity.WARNING,
            "The notice does not say that a subject access request is answered within one month.",
            first_of(doc.find(r"subject access")),
            "rule 1; UK GDPR Art 12(3)",
        )


@rule
def subject_access_fee(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    fee = r"£\s?\d|\bfee\b|\bcharge"
    about_access = doc.find(r"subject access|access request", fee)
    about_access += [u for u in doc.part_units("rights") if re.search(fee, u, re.I)]
    for unit in dict.fromkeys(about_access):
        if not re.search(r"free|no (?:fee|charge)|manifestly|excessive|unfounded", unit, re.I):
            yield issue(
                "sar-fee",
                Severity.ERROR,
                "A subject access request is free; a reasonable fee may only be charged for "
                "manifestly unfounded or excessive requests, or further copies.",
                unit,
                "rule 15; UK GDPR Art 12(5), Art 15(3)",
            )


@rule
def educational_record(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """Rule 4: the parental right to the educational record binds maintained schools only,
    within 15 school days; academies and free schools need not (and usually do not) grant
    it."""
    claims = doc.find(r"educational record", r"right|access|request|copy|inspect")
    if not claims and doc.school_type == "maintained":
        yield issue(
            "educational-record-missing",
            Severity.INFO,
            "A maintained school's parents may see their child's educational record within "
            "15 school days: the notice could say so.",
            None,
            "rule 4; Education (Pupil Information) (England) Regulations 2005 reg 5",
        )
    for unit in claims:
        if doc.school_type != "maintained":
            yield issue(
                "educational-record-not-applicable",
                Severity.ERROR,
                "The notice grants parents a statutory right to the educational record, but "
                "those regulations apply to maintained schools only, not to academies, free "
                "schools or independent schools. Remove it, or describe what the school "
                "chooses to offer.",
                unit,
                "rule 4; Education (Pupil Information) (England) Regulations 2005 reg 5",
            )
        period = re.search(_PERIOD, unit, re.IGNORECASE)
        if period and not re.search(r"15\s+school\s+days|fifteen\s+school\s+days", unit, re.I):
            yield issue(
                "educational-record-timescale",
                Severity.ERROR,
                f'The educational record is due within 15 school days, not "{period.group(0)}"'
                "; a copy may cost up to the cost of supply.",
                unit,
                "rule 4",
            )


_AGE = (
    r"(?:aged?|age of|under|over|above)\s+(\d{1,2})\b|\b(\d{1,2})\s+(?:and|or)\s+"
    r"(?:above|over|older)"
)


@rule
def child_competence_age(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """Rule 7: in England 12 is the usual guide to a child's competence to exercise their own
    rights; another age, or 12 stated as a hard rule, misleads parents."""
    competence = (
        r"mature|understand|competen|capacity|subject access|own (?:\w+ )?(?:request|rights)"
    )
    for unit in doc.find(competence, _AGE):
        if re.search(r"youth support|13-19|reaches the age of 1[36]\b", unit, re.I):
            continue
        ages = {int(a) for m in re.finditer(_AGE, unit, re.I) for a in m.groups() if a}
        wrong = sorted(a for a in ages if a != 12 and 5 <= a <= 18)
        if wrong:
            yield issue(
                "child-competence-age",
                Severity.WARNING,
                f"The notice gives age {wrong[0]} for when a child can exercise their own "
                "rights; in England 12 is the usual guide, judged case by case.",
                unit,
                "rule 7",
            )
        elif 12 in ages and re.search(r"\bby law\b|\blegally\b|statutor|\bmust\b", unit, re.I):
            yield issue(
                "child-competence-age",
                Severity.WARNING,
                "The notice states age 12 as a legal rule; in England it is a guide (it is "
                "statutory only in Scotland) and each child's competence is judged case by case.",
                unit,
                "rule 7",
            )


@rule
def youth_support(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """Rule 9: from 13 the school passes data to the local authority's youth support
    services; the parent (pupil under 16) or the pupil (16+) may limit it to the pupil's
    name, address and date of birth, and the parent's name and address."""
    sections = [s for s in doc.sections if re.search(r"youth support", s.heading, re.I)]
    units = [
        u for s in sections for b in s.blocks for u in [*split_sentences(plain(b.text)), *b.items]
    ]
    units = units or doc.find(r"youth support")
    if not units:
        return
    text = " ".join(units)
    start = re.search(
        r"(?:reaches|reached|from) (?:the )?age (?:of )?(\d+)|aged? (\d+)\s*(?:\+|and over)", text
    )
    start_age = next((int(a) for a in start.groups() if a), 13) if start else 13
    opt_out = [
        int(m.group(1))
        for u in units
        if re.search(r"only (?:pass|share|send)|\blimit|ask us|request that|object", u, re.I)
        for m in re.finditer(r"(?:age of|aged?|over)\s+(\d+)", u)
    ]
    if start_age != 13 or any(age != 16 for age in opt_out):
        yield issue(
            "youth-support-ages",
            Severity.WARNING,
            "Youth support services: data passes from age 13, and the pupil decides for "
            "themselves from 16 (the parent before then).",
            first_of([u for u in units if re.search(r"\d", u)]),
            "rule 9; Education and Skills Act 2008 s.14",
        )
    limit = first_of([u for u in units if re.search(r"name, address and date of birth", u, re.I)])
    if limit and not re.search(
        r"parent'?s?'? (?:name|details)|their (?:own )?name and address", text, re.I
    ):
        yield issue(
            "youth-support-parent-details",
            Severity.INFO,
            "When a family limits what goes to youth support services, the parent's name and "
            "address go too; the notice mentions only the child's details.",
            limit,
            "rule 9",
        )
