"""Gates never hide a match (issue 9): a gated recognizer, context rule or roster pattern
finds exactly what it found without its gate.

Each gate is checked three ways over the labelled corpus, the development set and texts
written to hit every pattern (with the letters that fold case oddly: long s, the Kelvin
sign, dotted and dotless i): every match of a gated pattern has its gate beside it; each
recognizer answers the same with its gates and without them; and the context rules and
the roster answer the same with their gates switched off.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import regex
from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer

from pupil_privacy.redaction import context, context_forms, context_words
from pupil_privacy.redaction import roster as roster_module
from pupil_privacy.redaction.engine import LANGUAGE, _plan, artifacts, ner_spans, recognize
from pupil_privacy.redaction.recognizers.gate import (
    IBAN_GATE,
    GatedIbanRecognizer,
    GatedPattern,
    may_match,
)
from pupil_privacy.redaction.roster import RosterIndex

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import corpus  # noqa: E402
import devset  # noqa: E402

ODD_CASE = "ſKİı"  # fold to s, k and i under re/regex IGNORECASE
HAND = [
    "UPN A801200100001, ULN 9876543210, NHS 943 476 5919 and 9434765919, NI QQ 12 34 56 C.",
    "ni qq123456c; Ring 07700 900461, +44 (0)7700 900 461, (01223) 123456 or 020 7946 0000.",
    "Post to 12 Acacia Avenue, Cambridge CB1 2AB; Flat 3, 7 Mill Lane\nOtley\nLS21 1AA.",
    "gir 0aa, GIR 0AA, sw1a 1aa and SW1A 1AA; she lives on Mill Lane and Station Rd.",
    "Kirchstrasse 2, La Sagne 2314. Rua das Flores 112, 4050-262 Porto. Vodickova 36, 110 00 "
    "Praha 1. 12 Anna Salai, Chennai 600002. House 7, Oxford Street, Osu. P.O. Box 104, "
    "Pituffik 3970. Postfach 412, 8021 Zurich. Box 4021, 102 61 Stockholm.",
    "Her uncle lives at 5 Rue de la Paix; Address: 2-14-5 Shibuya, Tokyo 150-0002.",
    "Call +41 79 123 45 67 or (027 123 9876); email ana.lima@example.org, a..b@x.com.",
    "Card 4111 1111 1111 1111, 5500-0000-0000-0004; IBAN GB82 WEST 1234 5698 7654 32; "
    "IP 192.168.0.1, ::1, fe80::1ff:fe23:4567:890a, ::ffff:10.0.0.1, 2001:db8::8a2e:370:7334.",
    "DOB: 09/03/2014. Date of birth 9th March 2014; born on 2014-03-09; D.O.B 9.3.14.",
    "Mrs G. spoke to Mr C. Visit lasted an hour. SD = Simran Dhillon. The Children's "
    "Guardian, Manjit Dhillon, filed. Her uncle Raj and PC 4471 Rich Young met Dr. Shah.",
    f"Odd letters: {ODD_CASE} Mſ K. Jones, ſW1A 1AA, MİSS Y. Lee, uncle Raj, ıD 1A.",
    "Refund to DE89 3704 0044 0532 0130 00 or de89370400440532013000; FR1420041010050500013M02606"
    " and NL91ABNA0417164300, not GB00 WEST 1234 5698 7654 32 (a bad checksum).",
]


@pytest.fixture(scope="module")
def docs() -> list[corpus.Doc]:
    return corpus.generate(cases=8)


@pytest.fixture(scope="module")
def texts(docs: list[corpus.Doc]) -> list[str]:
    dev = [d.text for part in devset.PARTS for d in devset.generate(part, cases=3)]
    return HAND + [d.text for d in docs] + dev


def _gated_patterns(analyzer: AnalyzerEngine) -> Iterator[tuple[PatternRecognizer, GatedPattern]]:
    for recognizer, _ in _plan(analyzer).recognizers:
        for pattern in getattr(recognizer, "patterns", ()):
            if isinstance(pattern, GatedPattern):
                yield recognizer, pattern


def test_every_match_of_a_gated_pattern_has_its_gate_beside_it(
    analyzer: AnalyzerEngine, texts: list[str]
) -> None:
    checked = 0
    for recognizer, pattern in _gated_patterns(analyzer):
        compiled = regex.compile(pattern.regex, flags=recognizer.global_regex_flags)
        for text in texts:
            for m in compiled.finditer(text):
                # the cue of "Address after a cue" is before its match: look 20 back
                assert pattern.gate.search(text, max(0, m.start() - 20), m.end()), (
                    recognizer.name, pattern.name, m.group())  # fmt: skip
                checked += 1
    assert checked > 200


def _ungated(recognizer: PatternRecognizer) -> PatternRecognizer:
    plain = copy.copy(recognizer)
    plain.patterns = [Pattern(p.name, p.regex, p.score) for p in recognizer.patterns]
    return plain


def _key(results: list) -> list:
    return sorted((r.entity_type, r.start, r.end, round(r.score, 6)) for r in results)


def test_gated_recognizers_find_what_they_found_without_gates(
    analyzer: AnalyzerEngine, texts: list[str]
) -> None:
    gated = {id(r): r for r, _ in _gated_patterns(analyzer)}.values()
    assert {r.name for r in gated} >= {"UkUpnRecognizer", "AbroadAddressRecognizer", "IpRecognizer"}
    found = 0
    for recognizer in gated:
        plain = _ungated(recognizer)
        for text in texts:
            fast = recognizer.analyze(text, recognizer.supported_entities)
            slow = plain.analyze(text, recognizer.supported_entities)
            assert _key(fast) == _key(slow), (recognizer.name, text[:60])
            if not may_match(recognizer.patterns, text):
                assert slow == []  # the engine skips such a text: right to
            found += len(slow)
    assert found > 150


def test_the_engine_skipping_ungated_texts_finds_what_the_analyzer_finds(
    analyzer: AnalyzerEngine, texts: list[str]
) -> None:
    sample = texts[:40]
    for text, spans in zip(sample, ner_spans(None, sample), strict=True):
        slow = analyzer.analyze(text, LANGUAGE, nlp_artifacts=artifacts(analyzer, spans))
        assert _key(recognize(analyzer, text, spans)) == _key(slow)


def test_ipv6_gate_letters_fold_to_no_other_character() -> None:
    """The IPv6 gate reads hex digits case-sensitively; the pattern ignores case. No other
    character is a hex digit ignoring case, so the gate misses nothing."""
    hex_class = regex.compile(r"[0-9A-Fa-f]", regex.IGNORECASE)
    others = [c for c in map(chr, range(0x110000)) if hex_class.fullmatch(c)]
    assert "".join(others) == "0123456789ABCDEFabcdef"


def _find_people_all(texts: list[str]) -> list[list[context_words.ContextHit]]:
    return [list(context.find_people(context.unwrap(t))) for t in texts]


def test_context_rules_find_the_same_without_gates_and_first_letters(
    texts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = _find_people_all(texts)
    assert sum(map(len, fast)) > 300
    monkeypatch.setattr(context_forms, "_FORM_GATES", {})
    monkeypatch.setattr(context, "_CUE_GATES", {})
    monkeypatch.setattr(context, "first_letters", lambda words: "")
    monkeypatch.setattr(context_forms, "first_letters", lambda words: "")
    context._patterns.cache_clear()
    context_forms._form_patterns.cache_clear()
    try:
        assert _find_people_all(texts) == fast
    finally:
        monkeypatch.undo()
        context._patterns.cache_clear()
        context_forms._form_patterns.cache_clear()


def test_first_letters_is_a_lookahead_only_when_every_word_starts_with_a_letter() -> None:
    assert context_words.first_letters({"mum", "Dad", "step-dad"}) == "(?=[Dms])"
    assert context_words.first_letters({"mum", "-dad"}) == ""
    assert context_words.first_letters(set()) == ""


def test_roster_finds_the_same_without_gates(
    docs: list[corpus.Doc], monkeypatch: pytest.MonkeyPatch
) -> None:
    indexes = [RosterIndex(d.subject, d.roster) for d in docs]
    fast = [index.find(d.text) for index, d in zip(indexes, docs, strict=True)]
    monkeypatch.setattr(roster_module, "_gated", lambda pattern, text: pattern.finditer(text))
    assert [index.find(d.text) for index, d in zip(indexes, docs, strict=True)] == fast
    assert sum(map(len, fast)) > 300


def test_iban_gate_is_in_every_match_and_the_gated_recognizer_finds_the_same(
    texts: list[str],
) -> None:
    from presidio_analyzer.predefined_recognizers import IbanRecognizer

    plain, gated = IbanRecognizer(), GatedIbanRecognizer()
    assert gated.name == plain.name
    matches = found = 0
    for text in texts:
        for pattern in plain.patterns:
            for m in regex.finditer(pattern.regex, text, flags=plain.global_regex_flags):
                assert IBAN_GATE.search(m.group()), m.group()
                matches += 1
        slow = plain.analyze(text, plain.supported_entities)
        assert _key(gated.analyze(text, gated.supported_entities)) == _key(slow)
        found += len(slow)
    assert matches >= 4 and found >= 3  # the hand-written IBANs are seen
