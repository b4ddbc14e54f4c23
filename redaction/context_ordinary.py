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
