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


class _DictStore:
    """A store as the worker's Redis one behaves, in a dict (that one: tests/worker)."""

    def __init__(self) -> None:
        self.found: dict[str, nersentences.Spans] = {}
        self.asked: list[str] = []

    def get_many(self, batch):
        self.asked.extend(batch)
        return {s: self.found[s] for s in batch if s in self.found}

    def put_many(self, found):
        self.found.update(found)


def test_a_store_carries_sentences_from_one_detectors_cache_to_the_next():
    calls: list[str] = []
    store = _DictStore()
    letter = "We met Aisha today. She was happy."
    first = cached_spans([letter], _fake_ner(calls), OrderedDict(), store)
    assert set(store.found) == {"We met Aisha today.", "She was happy."}
    # A later document (a new detector, an empty cache) quotes the letter and adds a line.
    reply = f"Thanks, Omar.\n> {letter}"
    later = cached_spans([reply], _fake_ner(calls), OrderedDict(), store)
    assert calls == ["We met Aisha today.", "She was happy.", "Thanks, Omar."]
    assert [reply[s:e] for s, e, _ in later[0]] == ["Omar", "Aisha"]  # its own offsets
    assert [letter[s:e] for s, e, _ in first[0]] == ["Aisha"]
    # What the detector's own cache holds is not asked of the store again.
    cache: OrderedDict = OrderedDict()
    cached_spans([letter], _fake_ner(calls), cache, store)
    store.asked.clear()
    cached_spans([letter], _fake_ner(calls), cache, store)
    assert store.asked == []


def test_a_store_that_answers_nothing_changes_nothing():
    class Down(_DictStore):
        def get_many(self, batch):
            return {}

        def put_many(self, found):
            pass

    texts = ["Dear Mr Obi. Sam and Priya came.", "Sam and Priya came."]
    with_store = cached_spans(texts, _fake_ner([]), OrderedDict(), Down())
    without = cached_spans(texts, _fake_ner([]), OrderedDict())
    assert with_store == without and with_store[1]
