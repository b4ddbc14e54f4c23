"""What one finding in a text tells about the rest of it (rule 10): the same unknown person
named again, the other names in a list that holds a removed name, a removed person's
initials, and a kept first name an unknown person in the text also bears.

Run by :meth:`.detect.Detector._decide` on a text's resolved findings, in that order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from . import policy as rules
from .context_cleaning import find_tokens, name_tokens
from .context_forms import list_neighbours
from .engine import lexicon
from .roster_identity import fold
from .types import Action, Finding, Reason


def propagate_unknown_names(text: str, findings: list[Finding]) -> list[Finding]:
    """Once "Yusuf Jama" is found, later lone "Yusuf" or "Mr Jama" are him too (rule 10)."""
    names = {
        token
        for f in findings
        if f.reason is Reason.UNKNOWN_PERSON and f.action is Action.REDACT
        for token in name_tokens(f.text)
    }
    if not names:
        return findings
    taken = [(f.start, f.end) for f in findings]
    added = []
    for start, end in find_tokens(text, names):
        if not any(s < end and start < e for s, e in taken):
            action, reason = rules.unknown_person()
            added.append(Finding(start, end, text[start:end], "PERSON", 0.7, "coreference",
                                 action, reason))  # fmt: skip
    return sorted([*findings, *added], key=lambda f: f.start)


def _removed_people(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.entity_type == "PERSON" and f.action is Action.REDACT]


def _add_unknown(text: str, findings: list[Finding], spans: Iterable[tuple[int, int]],
                 detector: str) -> list[Finding]:  # fmt: skip
    """``findings`` plus a removed unknown person at each span that overlaps none of them."""
    taken = [(f.start, f.end) for f in findings]
    added = []
    action, reason = rules.unknown_person()
    for start, end in spans:
        if not any(s < end and start < e for s, e in taken):
            taken.append((start, end))
            added.append(Finding(start, end, text[start:end], "PERSON", 0.6, detector, action,
                                 reason))  # fmt: skip
    return sorted([*findings, *added], key=lambda f: f.start) if added else findings


def extend_lists(text: str, findings: list[Finding]) -> list[Finding]:
    """The other names in a list that holds a removed name ("Haile, [Boateng] and Tran")."""
    spans = [(f.start, f.end) for f in _removed_people(findings)]
    return _add_unknown(text, findings, list_neighbours(text, spans), "context-list")


_CAPS_RE = re.compile(r"(?<![\w.])[A-Z]{2,3}(?![\w])")


def propagate_initials(text: str, findings: list[Finding]) -> list[Finding]:
    """Once "Mr E. Demir" is removed, "ED said..." and "Our ref: ED/4471" are him too; the
    initials of a kept person in the same text are left alone (the roster keeps them)."""
    removed: set[str] = set()
    for f in _removed_people(findings):
        titles = lexicon()["titles"]
        letters = [w[0] for w in re.findall(r"[^\W\d_]+", f.text)
                   if w[0].isupper() and w.lower() not in titles]  # fmt: skip
        if len(letters) >= 2:
            removed.add(letters[0] + letters[-1])
            removed.add("".join(letters[:3]))
    if not removed:
        return findings
    spans = [m.span() for m in _CAPS_RE.finditer(text) if m.group() in removed]
    return _add_unknown(text, findings, spans, "coreference-initials")


def review_shared_first_names(findings: list[Finding]) -> list[Finding]:
    """A kept lone first name that an unknown person in the same text also bears: REVIEW."""
    unknown_first = {
        fold(f.text.split()[0])
        for f in findings
        if f.reason is Reason.UNKNOWN_PERSON and len(f.text.split()) > 1
    }
    if not unknown_first:
        return findings
    out = []
    for f in findings:
        lone = f.action is Action.KEEP and f.entity_type == "PERSON" and " " not in f.text
        if lone and fold(f.text) in unknown_first and f.reason in (
            Reason.SUBJECT, Reason.REQUESTER
        ):  # fmt: skip
            f = replace(f, action=Action.REVIEW, reason=Reason.UNKNOWN_PERSON)
        out.append(f)
    return out
