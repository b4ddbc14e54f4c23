"""The leak check: read an output back and refuse it if a third party is still in it (rule 18).

Two independent nets: every known third-party identifier from the roster (names, emails,
phones, UPNs...) searched for literally, and detection re-run on the output text (in
full wherever a string removal took out is still there, elsewhere without the NER, whose
reading of the kept text before removal stands: see :func:`check_texts`). Problems
name the place and the kind of identifier, never the data itself, so they can be shown
and logged without leaking.
"""

from __future__ import annotations

import re
import weakref
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .report import DEFAULT_LABEL, DetectorLike, reread
from .types import Action, Finding, Reason

_TOKEN = re.compile(r"\w+")
# A run of digits and the separators people put in phone numbers.
_DIGIT_RUN = re.compile(r"\+?\d[\d \t\r\n\-().]*\d")


@dataclass
class Term:
    """A known third-party identifier as tokens (a name, email, address, UPN...)."""

    kind: str
    tokens: tuple[str, ...]  # case-folded words
    exact: tuple[str, ...] = ()  # for one-word names: the spellings that count


@dataclass
class TermIndex:
    """Every known third-party identifier, indexed for one pass over a text.

    A big school's roster gives thousands of terms; matching them one regex at a time
    per page would dominate the run. Words are looked up by their first token, phone
    numbers by their digits (so any spacing, hyphens or a +44 prefix still match).
    """

    by_first: dict[str, list[Term]]
    phones: set[str]

    def __len__(self) -> int:
        return sum(map(len, self.by_first.values())) + len(self.phones)

    def raw_view(self) -> TermIndex:
        """The index to search raw file contents with (see :func:`raw_term_hits`)."""
        return self

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, kind)`` of every term occurrence in ``text``.

        Runs on every unit of every round and on whole output files, so the per-word work
        is kept in comprehensions: only words that start some term are looked at further.
        """
        found: list[tuple[int, int, str]] = []
        if self.by_first:
            tokens = list(_TOKEN.finditer(text))
            folded = [t.group().casefold() for t in tokens]
            firsts = self.by_first
            for i in [i for i, word in enumerate(folded) if word in firsts]:
                for term in firsts[folded[i]]:
                    n = len(term.tokens)
                    if tuple(folded[i : i + n]) != term.tokens:
                        continue
                    if term.exact and tokens[i].group() not in term.exact:
                        continue
                    found.append((tokens[i].start(), tokens[i + n - 1].end(), term.kind))
        if self.phones:
            shortest = min(map(len, self.phones))
            for run in _DIGIT_RUN.finditer(text):
                # A run shorter than the shortest number cannot hold one (day, year...).
                if run.end() - run.start() < shortest:
                    continue
                if _has_phone(run.group(), self.phones):
                    found.append((run.start(), run.end(), "phone number"))
        return sorted(found)


def _has_phone(run: str, phones: set[str]) -> bool:
    """True when a known number is in ``run`` as whole groups of digits, not inside a
    longer number ("107700 9001234" does not hold 07700 900123)."""
    groups = re.findall(r"\d+", run)
    digits = "".join(groups)
    national = _national(digits)
    shift = len(digits) - len(national)
    bounds, pos = {0}, 0
    for group in groups:
        pos += len(group)
        bounds.add(pos - shift if pos - shift > 0 else 0)
    for phone in phones:
        at = national.find(phone)
        while at != -1:
            if at in bounds and at + len(phone) in bounds:
                return True
            at = national.find(phone, at + 1)
    return False


def _national(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    if digits.startswith("0044"):
        return "0" + digits[4:]
    if digits.startswith("44") and len(digits) == 12:
        return "0" + digits[2:]
    return digits


def _kind(term: str) -> str:
    if "@" in term:
        return "email address"
    digits = sum(c.isdigit() for c in term)
    if digits >= 7 and digits >= 0.6 * len(re.sub(r"[\s+\-().]", "", term)):
        return "phone number"
    if digits:
        return "identifier"
    return "name"


def compile_terms(terms: Iterable[str]) -> TermIndex:
    """Index the detector's third-party terms.

    Multi-word terms and identifiers match in any case, across line breaks and
    punctuation; a one-word name matches as written or in capitals, so a name that is
    also an ordinary word (Will, Grace) does not fail every document using the word.
    Re-running detection catches a lower-case name used as a name.
    """
    index = TermIndex(by_first={}, phones=set())
    for raw in dict.fromkeys(t.strip() for t in terms if t and t.strip()):
        kind = _kind(raw)
        if kind == "phone number":
            index.phones.add(_national(raw))
            continue
        words = tuple(w.casefold() for w in _TOKEN.findall(raw))
        if not words or (len(words) == 1 and len(words[0]) < 2):
            continue
        exact = (raw, raw.upper()) if len(words) == 1 and kind == "name" else ()
        index.by_first.setdefault(words[0], []).append(Term(kind, words, exact))
    return index


_INDEXES: weakref.WeakKeyDictionary[Any, TermIndex] = weakref.WeakKeyDictionary()
_ENTITY = {"name": "PERSON", "phone number": "PHONE_NUMBER", "email address": "EMAIL_ADDRESS"}


def terms_for(detector: DetectorLike) -> TermIndex:
    """The detector's third-party terms, indexed once per detector.

    A detector carrying a reviewer's decisions (:class:`.decided.DecidedDetector`) builds
    its own index: kept text is not a leak, redacted text is searched for like a name.
    """
    own = getattr(detector, "term_index", None)
    if callable(own):
        index: TermIndex = own()
        return index
    try:
        return _INDEXES[detector]
    except KeyError:
        index = compile_terms(detector.third_party_terms())
        _INDEXES[detector] = index
        return index
    except TypeError:  # not weak-referenceable: index again
        return compile_terms(detector.third_party_terms())


def sweep(text: str, findings: Sequence[Finding], terms: TermIndex) -> list[Finding]:
    """Known third-party identifiers that detection did not mark for removal.

    The removal step takes these out too (the roster is certain about them); the leak
    check then re-runs detection independently on the result.
    """
    taken = [(f.start, f.end) for f in findings if f.action == Action.REDACT]
    extra: list[Finding] = []
    for start, end, kind in terms.spans(text):
        if any(s <= start and end <= e for s, e in taken):
            continue
        extra.append(
            Finding(
                start,
                end,
                text[start:end],
                _ENTITY.get(kind, "ID"),
                1.0,
                "roster-sweep",
                Action.REDACT,
                Reason.IDENTIFIER,
            )
        )
        taken.append((start, end))
    return extra


def _label_spans(text: str, label: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(label), text, re.IGNORECASE)]


def find_terms(text: str, terms: TermIndex) -> list[str]:
    """The kind of each known third-party identifier present in ``text``."""
    return [kind for _, _, kind in terms.spans(text)]


def check_texts(
    places: Sequence[tuple[str, str]],
    detector: DetectorLike,
    *,
    label: str = DEFAULT_LABEL,
    terms: TermIndex | None = None,
    removed: TermIndex | None = None,
) -> list[str]:
    """Leak-check several pieces of one output in one detection batch.

    :param places: ``(where, text)`` pairs, e.g. ``("page 3", text)``.
    :param label: the redaction label; findings inside a label are ours, not leaks.
    :param removed: what removal took out of this document. When given, a place where
        none of it is left is re-read without the NER (:func:`.report.reread`: its kept
        text was analysed in full before removal, unchanged text is answered from that
        analysis), and a place still holding a removed string gets the full detection,
        so a removal that failed is caught as surely as before. Without it, every
        place gets the full detection.
    :returns: one plain-English problem per place and kind, without the data.
    """
    if terms is None:
        terms = terms_for(detector)
    texts = [text for _, text in places]
    results = _detect(texts, detector, removed) if any(t.strip() for t in texts) else []
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


def _detect(
    texts: list[str], detector: DetectorLike, removed: TermIndex | None
) -> list[list[Finding]]:
    if removed is None:
        return detector.analyse_many(texts)
    full = [i for i, text in enumerate(texts) if removed.spans(text)]
    chosen = set(full)
    quick = [i for i in range(len(texts)) if i not in chosen]
    results: list[list[Finding]] = [[] for _ in texts]
    for indexes, found in (
        (full, detector.analyse_many([texts[i] for i in full]) if full else []),
        (quick, reread(detector, [texts[i] for i in quick]) if quick else []),
    ):
        for i, findings in zip(indexes, found, strict=True):
            results[i] = findings
    return results


def removed_terms(texts: Iterable[str]) -> TermIndex:
    """What removal took out of one document, indexed like the roster's terms.

    One-word strings match in any spelling: this index only decides where the leak
    check runs the full detection, so a match on an ordinary word costs time, not a
    refusal.
    """
    index = compile_terms(t for t in texts if len(t.strip()) >= 2)
    for terms in index.by_first.values():
        for term in terms:
            term.exact = ()
    return index


def leak_check(text: str, detector: DetectorLike) -> list[str]:
    """The problems found in one output text (an empty list means it is clean)."""
    label = getattr(getattr(detector, "policy", None), "label", None) or DEFAULT_LABEL
    return check_texts([("text", text)], detector, label=label)


def raw_term_hits(data: bytes, terms: TermIndex) -> list[str]:
    """Known third-party identifiers found in raw (decompressed) file bytes.

    Read as Latin-1 and with NUL bytes dropped, so PDF strings, XML and UTF-16 text
    are all covered.
    """
    terms = terms.raw_view()
    views = [data.decode("latin-1")]
    if b"\x00" in data:
        views.append(data.replace(b"\x00", b"").decode("latin-1"))
    return sorted({kind for view in views for kind in find_terms(view, terms)})
