"""The reading estimate the DPO sees for a pupils' notice: it tells the demo's child-friendly
notice (reading age 9 to 11) from the notices written for adults."""

from __future__ import annotations

from importlib import resources

import pytest

from pupil_privacy.worker.notice import default_notice_text
from pupil_privacy.worker.notice.readability import readability, sentences_of, syllables


def _demo(audience: str) -> str:
    return resources.files("pupil_privacy.demo").joinpath(f"notices/{audience}.txt").read_text()


@pytest.mark.parametrize(
    ("word", "count"),
    [("data", 2), ("school", 1), ("make", 1), ("little", 2), ("information", 4), ("free", 1)],
)
def test_syllables(word: str, count: int) -> None:
    assert syllables(word) == count


def test_list_items_and_sentences_are_counted_apart() -> None:
    text = "What we keep\n\n- Your name\n- Your marks. And reports.\n\n[Ask us](https://x.org) now."
    assert sentences_of(text) == [
        "What we keep",
        "Your name",
        "Your marks.",
        "And reports.",
        "Ask us now.",
    ]


def test_the_demo_pupils_notice_reads_at_9_to_11_with_short_sentences() -> None:
    pupils = readability(_demo("pupils"))
    assert pupils.reading_age <= 11 and pupils.words_per_sentence < 12
    assert pupils.long_sentences == ()


def test_the_notices_for_adults_read_harder() -> None:
    for text in (_demo("parents"), default_notice_text()):
        adults = readability(text)
        assert adults.reading_age > 13 and adults.long_sentences
