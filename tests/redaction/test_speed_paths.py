"""The fast paths give what the slow ones gave: recognizers called directly, the term index's
word filter, and the cache that spares the NER on text it has read."""

from __future__ import annotations

import pytest

from pupil_privacy.redaction.engine import LANGUAGE, artifacts, ner_spans, recognize
from pupil_privacy.redaction.leakcheck import compile_terms

TEXTS = [
    "Call Dean Hartley on 07700 900461 or 0113 496 0321, LS6 2AB.",
    "NHS number 943 476 5919, NI number QQ 12 34 56 C, UPN A801200100001.",
    "Email sarah.smith@gmail.com; card 4111 1111 1111 1111; IBAN GB82WEST12345698765432.",
    "Born on 09/03/2014 at 12 Acacia Avenue, Cambridge CB1 2AB; IP 192.168.0.1.",
    "Nothing personal here: the Year 4 trip to the museum was cancelled.",
]


def _key(results):
    return sorted((r.entity_type, r.start, r.end, round(r.score, 6)) for r in results)


@pytest.mark.parametrize("text", TEXTS)
def test_recognizers_called_directly_find_what_the_analyzer_finds(analyzer, text):
    [spans] = ner_spans(None, [text])
    slow = analyzer.analyze(text, LANGUAGE, nlp_artifacts=artifacts(analyzer, spans))
    fast = recognize(analyzer, text, spans)
    assert _key(fast) == _key(slow)
    assert len(fast) >= (0 if "Nothing" in text else 2)


def test_the_word_filter_never_hides_a_term():
    terms = compile_terms(["Dean Hartley", "O'Neill", "Zoë Ní Bhriain", "07700 900461"])
    assert [k for *_, k in terms.spans("met DEAN\nHARTLEY today")] == ["name"]
    assert [k for *_, k in terms.spans("Mrs o'neill rang")] == ["name"]
    assert [k for *_, k in terms.spans("zoë ní bhriain")] == ["name"]
    assert [k for *_, k in terms.spans("ring +44 7700 900461")] == ["phone number"]
    assert terms.spans("Deanery Hartleys") == []  # whole words only
