"""How hard a notice is to read: sentence length and an estimated reading age.

A notice for pupils has to be written for them (UK GDPR Art 12(1): information "addressed
specifically to a child" in clear and plain language); the DPO publishing one sees these
figures and the longest sentences. The reading age is the Flesch-Kincaid grade plus five,
with syllables counted by vowel groups: an estimate for comparing drafts, not a verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Sentences longer than this are listed for the DPO to split.
LONG_SENTENCE_WORDS = 20

_BULLET = re.compile(r"^\s*(?:[-*+•–]|\d+[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
_VOWELS = re.compile(r"[aeiouy]+")


@dataclass(frozen=True)
class Readability:
    sentences: int
    words: int
    words_per_sentence: float
    reading_age: float
    long_sentences: tuple[str, ...]


def sentences_of(text: str) -> list[str]:
    """Every sentence, list item and heading of ``text`` (Markdown links read as their text)."""
    out: list[str] = []
    for line in text.splitlines():
        line = _BULLET.sub("", re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line)).strip()
        if line:
            out.extend(s.strip() for s in _SENTENCE_END.split(line) if s.strip())
    return out


def syllables(word: str) -> int:
    word = word.lower()
    count = len(_VOWELS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1  # a silent final e: "make", "page"
    return max(count, 1)


def readability(text: str) -> Readability:
    """Sentence length, reading age and the long sentences of ``text``."""
    sentences = sentences_of(text)
    words = [w for s in sentences for w in _WORD.findall(s)]
    if not sentences or not words:
        return Readability(0, 0, 0.0, 0.0, ())
    per_sentence = len(words) / len(sentences)
    per_word = sum(syllables(w) for w in words) / len(words)
    grade = 0.39 * per_sentence + 11.8 * per_word - 15.59
    long = tuple(s for s in sentences if len(_WORD.findall(s)) > LONG_SENTENCE_WORDS)
    return Readability(len(sentences), len(words), per_sentence, grade + 5, long)


__all__ = ["LONG_SENTENCE_WORDS", "Readability", "readability", "sentences_of", "syllables"]
