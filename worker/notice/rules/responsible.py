"""Lint rules: who is responsible: the controller, the DPO and their contact points."""

from __future__ import annotations

import re
from collections.abc import Iterator
from difflib import SequenceMatcher

from ..issues import NoticeIssue, Severity
from ..parse import (
    EMAIL,
    UK_PHONE,
)
from .base import NoticeDoc, around, first_of, ico_text, issue, rule


@rule
def controller_identity(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    if doc.parsed.controller is None:
        yield issue(
            "controller-missing",
            Severity.ERROR,
            "The notice does not say who the data controller is (the school or trust, by "
            "its legal name).",
            None,
            "UK GDPR Art 13(1)(a)",
        )
        return
    theirs = _contact_points(doc.parsed.dpo_contact or "")
    others = _contact_points(doc.flat) - theirs - _contact_points(ico_text(doc))
    if not others:
        yield issue(
            "controller-contact-missing",
            Severity.WARNING,
            f"The only contact details given are the DPO's: add the controller's own "
            f"address, telephone number or email ({doc.parsed.controller}).",
            first_of(doc.find(r"data\s+controller")),
            "UK GDPR Art 13(1)(a)",
        )


def _contact_points(text: str) -> set[str]:
    points = {m.group(0).lower() for m in EMAIL.finditer(text)}
    points |= {re.sub(r"\D", "", m.group(0)) for m in UK_PHONE.finditer(text)}
    postcode = r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"
    points |= {re.sub(r"\s", "", m.group(0)) for m in re.finditer(postcode, text)}
    return points


@rule
def dpo_named(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    nothing = not doc.dpo_names and doc.parsed.dpo_contact is None
    if nothing and not doc.has(r"\bDPO\b|data protection officer"):
        yield issue(
            "dpo-missing",
            Severity.ERROR,
            "No data protection officer is named. A school or trust is a public authority "
            "and must designate one and publish their contact details.",
            None,
            "UK GDPR Art 13(1)(b), Art 37",
        )
        return
    if doc.parsed.dpo_contact is None:
        yield issue(
            "dpo-contact-missing",
            Severity.ERROR,
            "The DPO has no contact details in the notice (an email address, telephone "
            "number or postal address).",
            first_of(doc.find(r"data protection officer|\bDPO\b")),
            "UK GDPR Art 13(1)(b), Art 37(7)",
        )


@rule
def dpo_name_consistent(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """The DPO's name in two spellings (a typo) or two different people named as DPO."""
    names = doc.dpo_names
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            kinship = _same_person(first, second)
            if kinship == "typo":
                yield issue(
                    "dpo-name-inconsistent",
                    Severity.ERROR,
                    f'The DPO is named in two spellings, "{first}" and "{second}": parents '
                    "cannot tell which is right. Use one, correctly spelt.",
                    _quote_both(doc, first, second),
                    "UK GDPR Art 13(1)(b), Art 12(1)",
                )
            elif kinship == "different":
                yield issue(
                    "dpo-name-inconsistent",
                    Severity.WARNING,
                    f'Two different people are named as the DPO, "{first}" and "{second}".',
                    _quote_both(doc, first, second),
                    "UK GDPR Art 13(1)(b)",
                )


_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr"}


def _same_person(first: str, second: str) -> str:
    """``same`` ("Mrs Aisha Khan" / "Aisha Khan"), ``typo`` (first names alike and surnames
    alike but not equal: "Paul Stafford" / "Paul Stratford") or ``different``."""
    a = [w for w in re.findall(r"[a-z'-]+", first.lower()) if w not in _TITLES]
    b = [w for w in re.findall(r"[a-z'-]+", second.lower()) if w not in _TITLES]
    if not a or not b or set(a) <= set(b) or set(b) <= set(a):
        return "same"

    def alike(x: str, y: str) -> bool:
        return SequenceMatcher(None, x, y).ratio() >= 0.7

    return "typo" if alike(a[0], b[0]) and alike(a[-1], b[-1]) else "different"


def _quote_both(doc: NoticeDoc, first: str, second: str) -> str:
    a = first_of([u for u in doc.units if first in u]) or first
    b = first_of([u for u in doc.units if second in u]) or second
    return f"{around(a, first)} ... {around(b, second)}"


_FREE_MAIL = r"(gmail|googlemail|hotmail|outlook|live|yahoo|aol|icloud|btinternet)\."


@rule
def dpo_email_domain(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """A DPO address on a domain that does not belong to the controller is worth a look:
    a personal mailbox is wrong, a council address for an academy trust's DPO is usually a
    left-over from before the school converted."""
    contact = doc.parsed.dpo_contact or ""
    m = EMAIL.search(contact)
    controller = doc.parsed.controller or ""
    if m is None:
        return
    email = m.group(0)
    domain = email.split("@", 1)[1].lower()
    words = [w.lower() for w in re.findall(r"[A-Za-z]{4,}", controller)]
    shared = any(w in domain for w in words) or _initials(controller) in domain.split(".")[0]
    if re.search(_FREE_MAIL, domain):
        yield issue(
            "dpo-email-domain",
            Severity.WARNING,
            f"The DPO's email ({email}) is a personal webmail address: use an address the "
            "controller controls, so requests are not lost when people change.",
            email,
            "UK GDPR Art 37(7), Art 32",
        )
    elif (
        domain.endswith(".gov.uk")
        and doc.school_type != "maintained"
        and not re.search(r"council", controller, re.IGNORECASE)
    ):
        yield issue(
            "dpo-email-domain",
            Severity.WARNING,
            f"The DPO's email ({email}) is a local-authority address, but the controller "
            f"({controller or 'the school'}) is not the council. Check this is the current "
            "address of the DPO service the school contracts with.",
            around(contact, email),
            "UK GDPR Art 13(1)(b), Art 37(7)",
        )
    elif (
        controller
        and not shared
        and not domain.endswith(".gov.uk")
        and not doc.has(r"external|(?:DPO|data protection officer|data protection) service")
    ):
        yield issue(
            "dpo-email-domain",
            Severity.INFO,
            f"The DPO's email ({email}) is on another organisation's domain: fine for an "
            "external DPO service, but say so, so parents know who they are writing to.",
            email,
            "UK GDPR Art 13(1)(b)",
        )


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z]+", name) if w[0].isupper()).lower()
