"""The leak check: read an output back and refuse it if a third party is still in it (rule 18).

Two independent nets: every known third-party identifier from the roster (names, emails,
phones, UPNs...) searched for literally, and detection re-run on the output text. Problems
name the place and the kind of identifier, never the data itself, so they can be shown
and logged without leaking.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .report import DEFAULT_LABEL, DetectorLike
from .types import Action

# A phone number may be written with any separators: match its digits, not its layout.
_PHONE_SEPARATORS = r"[\s\-().]*"


@dataclass(frozen=True)
class Term:
    """A known third-party identifier compiled for searching."""

    kind: str
    pattern: re.Pattern[str]


def _kind(term: str) -> str:
    if "@" in term:
        return "email address"
    digits = sum(c.isdigit() for c in term)
    if digits >= 7 and digits >= 0.6 * len(re.sub(r"\s", "", term)):
        return "phone number"
    if digits:
        return "identifier"
    return "name"


def compile_terms(terms: Iterable[str]) -> list[Term]:
    """Compile the detector's third-party terms into tolerant patterns.

    Multi-word names and identifiers match in any case and across line breaks; a
    single-word name matches as written or in capitals, so a name that is also an
    ordinary word (Will, Grace) does not fail every document that uses the word.
    Re-running detection catches the lower-case name used as a name.
    """
    compiled: list[Term] = []
    for raw in dict.fromkeys(t.strip() for t in terms if t and t.strip()):
        if len(raw) < 2:
            continue
        kind = _kind(raw)
        if kind == "phone number":
            digits = re.sub(r"\D", "", raw)
            body = _PHONE_SEPARATORS.join(digits)
            compiled.append(Term(kind, re.compile(rf"(?<!\d){body}(?!\d)")))
            continue
        words = raw.split()
        body = r"\s+".join(re.escape(w) for w in words)
        if len(words) > 1 or kind != "name":
            pattern = re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)
        else:
            pattern = re.compile(rf"(?<!\w)(?:{body}|{re.escape(raw.upper())})(?!\w)")
        compiled.append(Term(kind, pattern))
    return compiled


def _label_spans(text: str, label: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(label), text, re.IGNORECASE)]


def find_terms(text: str, terms: Sequence[Term]) -> list[str]:
    """The kinds of known third-party identifiers present in ``text``."""
    return [t.kind for t in terms if t.pattern.search(text)]


def check_texts(
    places: Sequence[tuple[str, str]],
    detector: DetectorLike,
    *,
    label: str = DEFAULT_LABEL,
    terms: Sequence[Term] | None = None,
) -> list[str]:
    """Leak-check several pieces of one output in one detection batch.

    :param places: ``(where, text)`` pairs, e.g. ``("page 3", text)``.
    :param label: the redaction label; findings inside a label are ours, not leaks.
    :returns: one plain-English problem per place and kind, without the data.
    """
    if terms is None:
        terms = compile_terms(detector.third_party_terms())
    texts = [text for _, text in places]
    results = detector.analyse_many(texts) if any(t.strip() for t in texts) else []
    problems: list[str] = []
    for index, (where, text) in enumerate(places):
        for kind, count in Counter(find_terms(text, terms)).items():
            problems.append(f"{where}: a known third party's {kind} is still present ({count}x)")
        if not results:
            continue
        labels = _label_spans(text, label)
        found = Counter(
            f.entity_type
            for f in results[index]
            if f.action == Action.REDACT and not any(s <= f.start and f.end <= e for s, e in labels)
        )
        for entity, count in found.items():
            problems.append(f"{where}: detection still finds third-party {entity} ({count}x)")
    return problems


def leak_check(text: str, detector: DetectorLike) -> list[str]:
    """The problems found in one output text (an empty list means it is clean)."""
    label = getattr(getattr(detector, "policy", None), "label", None) or DEFAULT_LABEL
    return check_texts([("text", text)], detector, label=label)


def raw_term_hits(data: bytes, terms: Sequence[Term]) -> list[str]:
    """Known third-party identifiers found in raw (decompressed) file bytes.

    Read as Latin-1 and as UTF-16 so PDF string objects and XML are both covered.
    """
    views = [data.decode("latin-1")]
    if b"\xfe\xff" in data or b"\x00" in data:
        views.append(data.replace(b"\x00", b"").decode("latin-1"))
    return sorted({t.kind for t in terms for view in views if t.pattern.search(view)})
