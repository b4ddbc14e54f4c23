"""The leak check: read an output back and find any third party still in it (rule 18).

Two independent nets: every known third-party identifier from the roster (names, emails,
phones, UPNs...) searched for literally, and detection re-run on the output text (in
full wherever a string removal took out is still there, elsewhere without the NER, whose
reading of the kept text before removal stands: see :func:`find_leaks`). Each
:class:`Leak` has its place, so :mod:`.document` can remove it in a further pass or hold
it for the DPO; its problem line names the place and the kind of identifier, never the
data itself, so it can be shown and logged without leaking.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
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
    _firsts: re.Pattern[str] | None = field(default=None, repr=False, compare=False)

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
        text, where = plain_letters(text)
        if self.by_first and self._may_hold_a_word(text):
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
        if where is not None:  # back to offsets in the text as given
            found = [(where[s], where[e - 1] + 1, kind) for s, e, kind in found]
        return sorted(found)

    def _may_hold_a_word(self, text: str) -> bool:
        """Whether any term's first word is in ``text``: one regex search over the folded
        text instead of folding every word of it (most texts hold no known third party)."""
        if self._firsts is None:
            words = sorted(self.by_first, key=len, reverse=True)
            alternation = "|".join(map(re.escape, words))
            self._firsts = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")
        return self._firsts.search(text.casefold()) is not None


def plain_letters(text: str) -> tuple[str, list[int] | None]:
    """``text`` with compatibility characters spelt out (NFKC, one character at a time):
    the ligature "ﬀ" in a laid-out "McCaﬀerty" becomes "ff", full-width letters plain.

    :returns: the plain text and, when it differs from ``text``, the index in ``text`` of
        each of its characters (``None`` when nothing changed, the usual case).
    """
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text, None
    out: list[str] = []
    where: list[int] = []
    for i, char in enumerate(text):
        plain = unicodedata.normalize("NFKC", char) if ord(char) > 127 else char
        out.append(plain)
        where.extend([i] * len(plain))
    return "".join(out), where


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
    plain = (unicodedata.normalize("NFKC", t).strip() for t in terms if t and t.strip())
    for raw in dict.fromkeys(plain):
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


class LeakSource(StrEnum):
    """Which net found a leak."""

    KNOWN_TERM = "known-term"  # a third party the roster or removal knows, still present
    DETECTION = "detection"  # detection re-run on the output still finds third-party data
    FILE_CONTENTS = "file-contents"  # a known term in the file's raw bytes, outside any text


@dataclass(frozen=True)
class Leak:
    """One thing the leak check found, with its place (for removal in a further pass, and
    for the DPO's review when it cannot be settled).

    :param where: the place as a reader would name it: "page 3", "metadata", "text".
    :param place: index into the places checked; ``None`` for raw file contents.
    :param kind: "name", "phone number"... for known terms; the entity type for detection.
    :param finding: offsets into that place's text, the text found (third-party data, for
        the DPO's eyes only, never logged), the reason and the detector.
    """

    where: str
    place: int | None
    kind: str
    source: LeakSource
    finding: Finding

    @property
    def text(self) -> str:
        return self.finding.text

    def problem(self, count: int = 1) -> str:
        """The leak in plain English, without the data (safe to show and log)."""
        times = f" ({count}x)" if self.source is not LeakSource.FILE_CONTENTS else ""
        if self.source is LeakSource.DETECTION:
            return f"{self.where}: detection still finds third-party {self.kind}{times}"
        return f"{self.where}: a known third party's {self.kind} is still present{times}"


def _known(where: str, place: int | None, text: str, span: tuple[int, int, str]) -> Leak:
    start, end, kind = span
    source = LeakSource.KNOWN_TERM if place is not None else LeakSource.FILE_CONTENTS
    finding = Finding(start, end, text[start:end], _ENTITY.get(kind, "ID"), 1.0, "leak-check",
                      Action.REDACT, Reason.IDENTIFIER)  # fmt: skip
    return Leak(where, place, kind, source, finding)


def find_leaks(
    places: Sequence[tuple[str, str]],
    detector: DetectorLike,
    *,
    label: str = DEFAULT_LABEL,
    terms: TermIndex | None = None,
    removed: TermIndex | None = None,
) -> list[Leak]:
    """Leak-check several pieces of one output in one detection batch.

    :param places: ``(where, text)`` pairs, e.g. ``("page 3", text)``.
    :param label: the redaction label; findings inside a label are ours, not leaks.
    :param removed: what removal took out of this document. When given, a place where
        none of it is left is re-read without the NER (:func:`.report.reread`: its kept
        text was analysed in full before removal, unchanged text is answered from that
        analysis), and a place still holding a removed string gets the full detection,
        so a removal that failed is caught as surely as before. Without it, every
        place gets the full detection.
    :returns: every leak, known terms first within each place.
    """
    if terms is None:
        terms = terms_for(detector)
    texts = [text for _, text in places]
    results = _detect(texts, detector, removed) if any(t.strip() for t in texts) else []
    leaks: list[Leak] = []
    for index, (where, text) in enumerate(places):
        known = terms.spans(text)
        leaks += [_known(where, index, text, span) for span in known]
        if not results:
            continue
        labels = _label_spans(text, label)
        for f in results[index]:
            if f.action != Action.REDACT or any(s <= f.start and f.end <= e for s, e in labels):
                continue
            if any(s <= f.start and f.end <= e for s, e, _ in known):
                continue  # already listed as a known term
            leaks.append(Leak(where, index, f.entity_type, LeakSource.DETECTION, f))
    return leaks


def problems_of(leaks: Iterable[Leak]) -> list[str]:
    """One plain-English line per place, net and kind, with a count; never the data."""
    counts = Counter((leak.where, leak.source, leak.kind) for leak in leaks)
    firsts = {(leak.where, leak.source, leak.kind): leak for leak in leaks}
    return [firsts[key].problem(count) for key, count in counts.items()]


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
    return problems_of(find_leaks([("text", text)], detector, label=label))


def raw_term_hits(data: bytes, terms: TermIndex) -> list[str]:
    """Known third-party identifiers found in raw (decompressed) file bytes.

    Read as Latin-1 and with NUL bytes dropped, so PDF strings, XML and UTF-16 text
    are all covered.
    """
    return sorted({leak.kind for leak in raw_leaks(data, terms)})


def raw_leaks(data: bytes, terms: TermIndex) -> list[Leak]:
    """:func:`raw_term_hits` as leaks (place "file contents"), one per kind."""
    terms = terms.raw_view()
    views = [data.decode("latin-1")]
    if b"\x00" in data:
        views.append(data.replace(b"\x00", b"").decode("latin-1"))
    found: dict[str, Leak] = {}
    for view in views:
        for span in terms.spans(view):
            found.setdefault(span[2], _known("file contents", None, view, span))
    return list(found.values())
