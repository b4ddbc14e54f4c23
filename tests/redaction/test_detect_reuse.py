"""Less analysis of the same text: the NER once per paragraph (quote markers aside)."""

from __future__ import annotations

import re

from pupil_privacy.redaction.detect import Detector
from pupil_privacy.redaction.engine import Spans
from pupil_privacy.redaction.nercache import NerCache

MESSAGE = (
    "Dear Mrs Nasser,\n\n"
    "Obinna Okafor says George keeps taking their lunch and he will come to parents'\n"
    "evening with me.\n\n"
    "Kind regards\nNiamh"
)


class CapitalsNer:
    """A stand-in NER: every capitalised word is a PERSON; records what it was given."""

    def __init__(self) -> None:
        self.read: list[str] = []

    def __call__(self, texts: list[str]) -> list[Spans]:
        self.read += texts
        return [
            [(m.start(), m.end(), "PERSON") for m in re.finditer(r"\b[A-Z][a-z]+", t)]
            for t in texts
        ]


def words_at(text: str, spans: Spans) -> list[str]:
    return [text[s:e] for s, e, _ in spans]


def test_the_ner_reads_each_paragraph_once() -> None:
    ner, cache = CapitalsNer(), NerCache()
    first, again = cache.spans([MESSAGE, MESSAGE + "\n\nPS Amir"], ner)
    assert words_at(MESSAGE, first) == [
        "Dear", "Mrs", "Nasser", "Obinna", "Okafor", "George", "Kind", "Niamh"
    ]  # fmt: skip
    assert words_at(MESSAGE, again[: len(first)]) == words_at(MESSAGE, first)
    # three paragraphs, then only the new one; a wrapped line is read unwrapped
    assert ner.read[1] == MESSAGE.split("\n\n")[1].replace("parents'\n", "parents' ")
    assert ner.read[3:] == ["PS Amir"]


def test_a_quoted_message_is_answered_from_the_message_with_offsets_mapped() -> None:
    ner, cache = CapitalsNer(), NerCache()
    cache.spans([MESSAGE], ner)
    read = len(ner.read)
    # quoted in a reply and wrapped again: "> " before each line, a line break elsewhere
    quoted = "On Monday Niamh wrote:\n" + "\n".join(
        "> " + line if line else ">"
        for line in MESSAGE.replace("parents'\n", "parents' ").split("\n")
    ).replace("to parents' evening", "to\nparents' evening")
    [spans] = cache.spans([quoted], ner)
    assert ner.read[read:] == ["On Monday Niamh wrote:"]  # the quote is a cache hit
    assert words_at(quoted, spans) == [
        "On", "Monday", "Niamh", "Dear", "Mrs", "Nasser", "Obinna", "Okafor", "George",
        "Kind", "Niamh",
    ]  # fmt: skip


def test_the_detector_finds_a_quoted_name_as_in_its_message(detector: Detector) -> None:
    text = "Her cousin Obinna Okafor waited at the gate with Amir Okafor."
    fresh = Detector(detector.subject, detector.roster)
    direct = fresh.analyse(text)
    quoted = fresh.analyse("> " + text)
    assert [(f.start + 2, f.text, f.action) for f in direct] == [
        (f.start, f.text, f.action) for f in quoted
    ]
