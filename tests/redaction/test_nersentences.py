"""The NER once per distinct sentence (redaction/nersentences.py, issue 9's speed)."""

from __future__ import annotations

from collections import OrderedDict

from pupil_privacy.redaction import nersentences
from pupil_privacy.redaction.nersentences import cached_spans, sentences


def test_sentences_are_cut_at_ends_and_line_breaks_and_keep_their_offsets():
    text = "Mr. J. Smith met Dr. Patel. Then Aisha left!\nName: Tom Baxter\n\n3 pupils came."
    found = sentences(text)
    assert [s for _, s in found] == [
        "Mr. J. Smith met Dr. Patel.",  # never cut after a title or an initial
        "Then Aisha left!",
        "Name: Tom Baxter",
        "3 pupils came.",
    ]
    assert all(text[offset : offset + len(s)] == s for offset, s in found)


def _fake_ner(calls: list[str]):
    """Tags every word that starts with a capital after the first as PERSON."""

    def run(batch: list[str]) -> list[nersentences.Spans]:
        calls.extend(batch)
        out = []
        for sentence in batch:
            spans, at = [], 0
            for word in sentence.split(" "):
                if at and word[:1].isupper():
                    spans.append((at, at + len(word.rstrip(".!?")), "PERSON"))
                at += len(word) + 1
            out.append(spans)
        return out

    return run


def test_a_repeated_sentence_goes_through_the_ner_once_and_lands_at_each_place():
    calls: list[str] = []
    cache: OrderedDict = OrderedDict()
    quoted = "We met Aisha today."
    first = f"Dear all. {quoted}"
    reply = f"Thanks for this.\n> {quoted}\n>> {quoted}"
    spans = cached_spans([first, reply], _fake_ner(calls), cache)
    assert calls.count(quoted) == 1
    assert [first[s:e] for s, e, _ in spans[0]] == ["Aisha"]
    assert [reply[s:e] for s, e, _ in spans[1]] == ["Aisha", "Aisha"]  # quoted, twice
    again = cached_spans([quoted], _fake_ner(calls), cache)  # a later document: no NER
    assert calls.count(quoted) == 1 and [quoted[s:e] for s, e, _ in again[0]] == ["Aisha"]


def test_the_cache_stays_bounded_and_a_large_batch_is_still_answered(monkeypatch):
    monkeypatch.setattr(nersentences, "CACHE_SIZE", 3)
    cache: OrderedDict = OrderedDict()
    texts = [f"Sentence {n} names Person{n}." for n in range(6)]
    spans = cached_spans(texts, _fake_ner([]), cache)
    assert len(cache) == 3
    assert [t[s:e] for t, found in zip(texts, spans, strict=True) for s, e, _ in found][-1] == (
        "Person5"
    )
    assert all(found for found in spans)  # every text answered, evicted or not
