"""Gates: a cheap test each pattern's every match passes, so most texts skip the pattern.

Every recognizer used to run each of its patterns over every text (about 30 patterns on
every page, cell and email body), most of them finding nothing: a page without a run of
eleven digits holds no UPN, one without "@" no email address. A gate is a small regex
(Python's ``re``, far quicker to search than presidio's ``regex`` pattern) that *every*
match of its pattern contains: written from the pattern itself, using only characters
whose case never varies or the pattern's own case-sensitive literals, so no spelling the
pattern matches can slip past the gate (tests/redaction/test_recognizer_gates.py checks
each gate against its pattern). When the gate finds nothing, neither could the pattern;
otherwise the pattern runs exactly as before. The results are the same, only cheaper.

:class:`GatedPattern` gates one pattern inside presidio's own matching loop (presidio still
compiles and runs the pattern with the recognizer's flags); :func:`may_match` lets a
recognizer whose every pattern is gated skip a text without entering that loop at all
(:func:`.engine.recognize` does).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from presidio_analyzer import Pattern, PatternRecognizer
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    IbanRecognizer,
    IpRecognizer,
)


class _GatedRegex:
    """A compiled pattern whose ``finditer`` first searches the gate."""

    __slots__ = ("compiled", "gate")

    def __init__(self, compiled: Any, gate: re.Pattern[str]) -> None:
        self.compiled = compiled
        self.gate = gate

    def finditer(self, text: str, *args: Any, **kwargs: Any) -> Iterator[Any]:
        if self.gate.search(text) is None:
            return iter(())
        return self.compiled.finditer(text, *args, **kwargs)


class GatedPattern(Pattern):
    """A presidio pattern with a gate (see the module's doc).

    Presidio compiles the pattern itself, with the recognizer's flags, and stores it in
    ``compiled_regex``; the gate wraps what it stores. Should presidio ever match without
    ``compiled_regex``, the gate is simply not used: slower, never different.

    :param gate: a regex (for ``re``) found in every text where ``regex`` matches.
    """

    def __init__(self, name: str, regex: str, score: float, gate: str) -> None:
        self.gate = re.compile(gate)
        self._compiled: _GatedRegex | None = None
        super().__init__(name, regex, score)

    @property  # type: ignore[override]  # presidio declares a plain attribute
    def compiled_regex(self) -> _GatedRegex | None:
        return self._compiled

    @compiled_regex.setter
    def compiled_regex(self, compiled: Any) -> None:
        self._compiled = None if compiled is None else _GatedRegex(compiled, self.gate)


def may_match(patterns: Sequence[Pattern], text: str) -> bool:
    """False only when every pattern is gated and no gate is in ``text``."""
    return not all(isinstance(p, GatedPattern) for p in patterns) or any(
        p.gate.search(text) is not None for p in patterns if isinstance(p, GatedPattern)
    )


# -- presidio's own recognizers the analyzer registers (engine._build_analyzer) --------------

#: For each of presidio's patterns, by name, a gate written from its regex (presidio 2.2):
_PRESIDIO_GATES = {
    # "4\d{3}", "5[0-5]\d{2}"...: a leading 1, 3, 4, 5 or 6 and three more digits, then
    # groups of 3-4, 3-4 and 3-5, each after at most one space or hyphen ("\S" for ``\d``,
    # which may be any script's digit: a digit is never a space).
    "All Credit Cards (weak)": r"[13456]\S{3}[- ]?\S{3,4}[- ]?\S{3,4}[- ]?\S{3,5}",
    "IPv4_mapped": r"::",
    # every form holds dotted-quad digits ("1.2.3.4")
    "IPv4_embedded": r"[0-9]\.[0-9]",
    "IPv4": r"[0-9]\.[0-9]",
    # every alternative holds "::" or 1-4 hex digits, after no letter, digit, "_" or ":",
    # then ":" (hex digits have no other case forms, so the pattern's ignoring case
    # changes nothing)
    "IPv6": r"::|(?:^|[^0-9A-Za-z_:])[0-9A-Fa-f]{1,4}:",
    "IPv6_unspecified": r"::",
}


def _gated(patterns: Sequence[Pattern]) -> list[Pattern]:
    return [
        GatedPattern(p.name, p.regex, p.score, _PRESIDIO_GATES[p.name])
        if p.name in _PRESIDIO_GATES
        else p
        for p in patterns
    ]


#: Every match of presidio's one IBAN pattern opens with two capitals and two digits
#: ("GB82"): ASCII classes, matched case-sensitively (its flags are DOTALL | MULTILINE), so
#: ``re`` reads them as ``regex`` does.
IBAN_GATE = re.compile(r"[A-Z]{2}[0-9]{2}")


class GatedIbanRecognizer(IbanRecognizer):
    """Presidio's IBAN recognizer (same name, pattern and checksum) that skips a text
    without :data:`IBAN_GATE`: it matches with its own ``regex.finditer`` call, not
    ``compiled_regex``, so a :class:`GatedPattern` cannot gate it."""

    def __init__(self) -> None:
        super().__init__(name="IbanRecognizer")

    def analyze(self, text: str, entities: list[str], *args: Any, **kwargs: Any) -> list[Any]:
        if IBAN_GATE.search(text) is None:
            return []
        found: list[Any] = super().analyze(text, entities, *args, **kwargs)
        return found


def presidio_recognizers() -> list[PatternRecognizer]:
    """Presidio's card, IBAN and IP recognizers, their patterns gated (the IBAN
    recognizer as a whole, see :class:`GatedIbanRecognizer`)."""
    return [
        CreditCardRecognizer(patterns=_gated(CreditCardRecognizer.PATTERNS)),
        GatedIbanRecognizer(),
        IpRecognizer(patterns=_gated(IpRecognizer.PATTERNS)),
    ]
