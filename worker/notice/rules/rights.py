"""Lint rules: rights: which are listed, automated decisions, complaints."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..issues import NoticeIssue, Severity
from ..parse import (
    EMAIL,
    UK_PHONE,
)
from .base import ICO, ICO_PHONE, S164A_IN_FORCE, NoticeDoc, first_of, ico_text, issue, rule

_RIGHTS = {
    "access": (
        r"subject access|right of access|access (?:to )?(?:your|their|the|personal|information|"
        r"data)|copy of|request access",
        "Art 15",
    ),
    "rectification": (r"rectif|correct|inaccurate", "Art 16"),
    "erasure": (r"erase|erasure|delet|destroy|forgotten", "Art 17"),
    "restriction": (r"restrict", "Art 18"),
    "objection": (r"\bobject", "Art 21"),
    "portability": (
        r"portab|transmitted[^.]{0,30}to another|machine[- ]readable|(?:move|transfer)[^.]{0,30}"
        r"to another (?:organisation|controller|provider)",
        "Art 20",
    ),
}  # fmt: skip


@rule
def rights_listed(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    for right, (pattern, article) in _RIGHTS.items():
        if not doc.has(pattern):
            yield issue(
                "right-missing",
                Severity.ERROR if right != "portability" else Severity.WARNING,
                f"The right to {right} is not mentioned.",
                None,
                f"UK GDPR Art 13(2)(b), {article}",
            )
    for unit in doc.find(r"\bobject", r"damage or distress"):
        yield issue(
            "objection-right-outdated",
            Severity.WARNING,
            "The right to object is described with the old 1998 Act test ('damage or "
            "distress'). Under UK GDPR Art 21 a person may object, on grounds relating to "
            "their situation, to processing for a public task or legitimate interests; the "
            "school must then stop unless it shows compelling grounds.",
            unit,
            "UK GDPR Art 21",
        )


@rule
def automated_decisions(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """Art 13(2)(f) asks for a statement either way; promising to say so on request, or
    listing the right to object to such decisions, is not the statement."""
    statements = doc.find(
        r"automated|profiling",
        r"\b(?:do not|don't|does not|doesn't|never|no|not)\b|\bwe use\b|\bis used\b|\bare used\b",
    )
    statements = [u for u in statements if not re.search(r"\bwhether\b|\bobject\b", u, re.I)]
    if not statements:
        yield issue(
            "automated-decision-missing",
            Severity.WARNING,
            "The notice does not say whether any decisions are made about pupils by "
            "automated means (including profiling). State it, e.g. 'We do not make "
            "decisions by automated means'.",
            first_of(doc.find(r"automated")),
            "UK GDPR Art 13(2)(f), Art 22",
        )


@rule
def ico_complaint(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    if not doc.has(ICO):
        yield issue(
            "ico-complaint-missing",
            Severity.ERROR,
            "The notice does not tell people they can complain to the Information "
            "Commissioner's Office.",
            None,
            "UK GDPR Art 13(2)(d), Art 77",
        )
        return
    for m in UK_PHONE.finditer(ico_text(doc)):
        if re.sub(r"\D", "", m.group(0)) != ICO_PHONE:
            yield issue(
                "ico-contact-wrong",
                Severity.ERROR,
                f"The ICO's helpline is given as {m.group(0).strip()}; it is 0303 123 1113.",
                m.group(0).strip(),
                "UK GDPR Art 13(2)(d)",
            )


@rule
def complaints_route(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """Rule 6 (DPA 2018 s.164A, from 19 June 2026): an electronic way to complain to the
    school itself, acknowledged within 30 days, with the outcome reported."""
    ours = [
        u
        for u in doc.find(r"complain|concern")
        if not re.search(ICO + r"|ico\.org\.uk", u, re.IGNORECASE)
    ]
    text = " ".join([*ours, *doc.part_units("complaints", skip=ICO + r"|ico\.org\.uk")])
    electronic = EMAIL.search(text) or re.search(
        r"https?://|online|electronic|complaints? form|web ?form", text, re.IGNORECASE
    )
    acknowledged = re.search(r"acknowledg|30 days|thirty days", text, re.IGNORECASE)
    missing = [
        what
        for what, ok in (
            ("an electronic way to complain to the school (a form or an address)", electronic),
            ("that complaints are acknowledged within 30 days, with the outcome", acknowledged),
        )
        if not ok
    ]  # fmt: skip
    if missing:
        in_force = doc.today >= S164A_IN_FORCE
        yield issue(
            "complaint-route-s164a",
            Severity.ERROR if in_force else Severity.INFO,
            f"The notice does not give {' or '.join(missing)}. "
            + (
                "This is required since 19 June 2026."
                if in_force
                else "This becomes a duty on 19 June 2026."
            ),
            first_of(
                doc.find(r"\bto make a complaint|complain", r"\bus\b|school|trust|DPO|officer")
            )
            or first_of(ours),
            "rule 6; DPA 2018 s.164A",
        )
