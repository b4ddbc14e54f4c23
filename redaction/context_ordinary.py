"""Ordinary words that the name rules took for names (issue 9, the fourth development set).

Rule 10 (uk-school-sar-rules.md) removes third parties; issue 9 adds that words whose only
evidence is capitalisation are never removed, because removing the pupil's own record is
the second-worst failure. Each guard here answers one question a name rule asks before it
takes capitalised words for a person:

- :func:`verb_opening`: is a word that is also a given name ("Said", "Told") the verb that
  opens a sentence ("Said Ann Smith from the club had been kind")?
- :func:`organisation_name`: does a guessed name end in an organisation's word
  ("Northbrook County Council", "Little Acorns Pre-School")?
- :func:`romanised_syllables`: is a hyphenated word in capitals two romanised syllables
  ("JAE-WON", "MEI-LING"), rather than a compound ("FIRST-TIER", "YP-CORE")?
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from .context_words import gazetteer, sentence_start
from .engine import lexicon


def verb_opening(text: str, word: re.Match[str], following: Sequence[re.Match[str]]) -> bool:
    """``word`` opens a sentence, is a verb that comes before a name ("said", "told",
    "asked") and another capitalised word follows it on the line: the verb, not the name."""
    if word.group().lower() not in lexicon()["name_slot_before"]:
        return False
    if not following or not re.fullmatch(r"[ \t]+", text[word.end() : following[0].start()]):
        return False
    return sentence_start(text, word.start())


def organisation_name(text: str, start: int, end: int) -> bool:
    """The guessed name ends in a compound ending in an organisation word ("Tiny Oaks
    Pre-School"), or in two organisation words ("Westford County Council") after a first word
    that is no given name the gazetteer knows: a body, not a person. Surnames that are
    organisation words stay names ("Joy Church", "Earl Church")."""
    words = [w.strip(".,;:'’") for w in text[start:end].split()]
    if len(words) < 2:
        return False
    org = _organisation_words()
    *head, last = re.split(r"[\-–]", words[-1].lower())
    if last not in org:
        return False
    return bool(head) or (words[-2].lower() in org and words[0] not in gazetteer())


@functools.cache
def _organisation_words() -> frozenset[str]:
    return frozenset(w for w in lexicon()["organisation_words"] if " " not in w)


#: One romanised syllable in capitals (Korean, Chinese, Vietnamese given names): consonants,
#: one run of vowels with at least one of A E I O U, and at most a nasal or stop after it.
_SYLLABLE_RE = re.compile(r"[B-DF-HJ-NP-TV-Z]{0,3}Y?[AEIOU][AEIOUY]{0,2}(?:NG|N|M|L|K|P|T|H)?")


def romanised_syllables(word: str) -> bool:
    """Every part of a hyphenated word in capitals is one romanised syllable: "JAE-WON",
    "SEO-YEON", "MEI-LING"; not "FIRST-TIER" or "YP-CORE"."""
    return all(_SYLLABLE_RE.fullmatch(part) for part in word.split("-"))


def opening_verb_end(text: str, start: int, end: int) -> int:
    """Where a guessed name really starts when its first word is a verb that comes before
    names and opens a sentence ("Said Ann Smith from the club"): after that verb."""
    m = re.match(r"([^\W\d_]+)[ \t]+(?=[A-Z])", text[start:end])
    if m is None or m.group(1).lower() not in lexicon()["name_slot_before"]:
        return start
    return start + m.end() if sentence_start(text, start) else start


def title_coordination(text: str, cue_start: int) -> bool:
    """ "Appeal Form and Decision Letter", "Young Carers and Army Cadets": the two words
    before "and" are capitalised and neither is a given name or a title, so the words after
    it are the rest of a title in capitals, not a person introduced by "and"."""
    before = re.findall(r"[^\W\d_][\w'’\-]*", text[max(0, cue_start - 60) : cue_start])[-2:]
    titles = lexicon()["titles"] | lexicon()["courtesy_titles"]
    return len(before) == 2 and all(
        w[:1].isupper() and not w.isupper() and w not in gazetteer()
        and w.lower().rstrip(".") not in titles
        for w in before
    )  # fmt: skip


_HOME_WORDS_RE = re.compile(r"(?i:\b(?:live[sd]?|living|moved|address|home|staying|stays)\b)")


def landmark_street(text: str, start: int, end: int) -> bool:
    """A street named without a house number after "the" ("from the Mill Road footpath",
    "the Station Lane shops") and with no word of someone's home before it: a landmark
    anyone may mention, not where a person lives."""
    if any(c.isdigit() for c in text[start:end]):
        return False
    if not re.search(r"(?i:\bthe)[ \t]+$", text[max(0, start - 6) : start]):
        return False
    return not _HOME_WORDS_RE.search(text[max(0, start - 60) : start])
