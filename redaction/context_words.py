"""The words that make or unmake a name, shared by every context rule.

What a name looks like in a pattern (:data:`NAME`, :data:`INITIALS`, :data:`CAPWORD`), the
"Label:" words of forms, the verbs after a full name, the function and place words that are
never a name, and the gazetteer of given names. The rules that use them live in
:mod:`.context` (people introduced by a cue), :mod:`.context_forms` (initials, lists, chats,
forms), :mod:`.context_cleaning` (trimming a guessed name) and :mod:`.context_not_person`
(labels, letterheads and organisations).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

from .engine import lexicon
from .recognizers.address import STREET_SUFFIXES
from .recognizers.names import given_names

NAME_WORD = r"[^\W\d_]+(?:['’\-][^\W\d_]+)*"
NAME = rf"{NAME_WORD}(?:(?:[ \t]+|[ \t]*\n[ \t]*){NAME_WORD}){{0,2}}"
#: Initials before a name: "J. ", "J.R. ", "J. R. ".
INITIALS = r"(?:[A-Z]\.[ \t]?){1,3}[ \t]*"
CAPWORD = r"[A-Z][\w'’\-]+"
#: "Label: Name" lines in forms, minutes and letters.
LABELS = (
    "name",
    "full name",
    "pupil",
    "child",
    "student",
    "parent",
    "carer",
    "mother",
    "father",
    "guardian",
    "contact",
    "signed",
    "logged by",
    "recorded by",
    "witness",
    "witnesses",
    "attendees",
    "present",
    "directed by",
    "written by",
    "author",
    "from",
    "to",
    "cc",
    "referred by",
    "reported by",
    "emergency contact",
    "next of kin",
    "dear",
    # forms, statements and court papers (issue 9)
    "statement of",
    "person collecting",
    "collected by",
    "witnessed by",
    "chair",
    "clerk",
    "minute taker",
    "referrer",
    "applicant",
    "respondent",
    "appellant",
    "representative",
    "representative for the parent",
    "guardian",
    "lead professional",
    "concern raised by",
    "other pupil",
    "pupil name",
    "name of parent",
    "parent/carer",
    "parent/carer 1",
    "parent/carer 2",
    "doctor",
    "key worker",
    "sponsor",
    "interpreter",
    "social worker",
    "user",
    "judge",
    "in attendance",
    "apologies",
    "child's name",
    "family name",
    "forename",
    "forenames",
    "forename(s)",
    "surname",
    "first name",
    "last name",
    "known as",
    "alias",
    "member",
    "members",
    "panel",
    "sender",
    "recipient",
    "caller",
    "driver",
    "neighbour",
    "victim",
    "suspect",
    "defendant",
    "perpetrator",
)
#: Verbs that make two capitalised words before them a full name ("Tunde Nwosu is not known").
VERBS = (
    "is|was|has|had|said|says|told|asked|came|went|lives|lived|moved|will|would|collects|"
    "collected|phoned|rang|called|visited|shouted|hit|pushed|threw|arrived|left|took|picks|"
    "picked|drives|works|stays|stayed|brought|attended|spoke|emailed|texted|messaged"
)
FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "you",
        "his",
        "her",
        "its",
        "their",
        "our",
        "my",
        "your",
        "and",
        "or",
        "but",
        "so",
        "then",
        "when",
        "after",
        "before",
        "today",
        "yesterday",
        "tomorrow",
        "later",
        "earlier",
        "also",
        "apparently",
        "unfortunately",
        "sadly",
        "recently",
        "meanwhile",
    ]
)


@dataclass(frozen=True)
class ContextHit:
    """A span a context rule found; ``entity_type`` is PERSON or IDENTIFYING_CONTEXT."""

    start: int
    end: int
    text: str
    entity_type: str
    score: float
    detector: str


def alternation(words: frozenset[str]) -> str:
    """A regex alternation of ``words``, longest first; spaces and hyphens written loosely."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+").replace(r"\-", r"-?\s*") for w in ordered)


def first_letters(words: Iterable[str]) -> str:
    """A lookahead for the first letters of ``words``, to put before their alternation.

    Python's ``re`` tries an alternation's words one by one at every place it may start;
    this lookahead lets it skip, in one test, each place no word can start. It changes no
    match: inside the same ``(?i:...)`` it folds case exactly as the words do. Empty (no
    lookahead) unless every word starts with a letter.
    """
    firsts = {w[:1] for w in words}
    if not firsts or not all(c.isalpha() for c in firsts):
        return ""
    return "(?=[" + "".join(sorted(re.escape(c) for c in firsts)) + "])"


PLACE_WORDS = frozenset(
    "new old north south east west great upper lower little saint st room road street lane "  # noqa: SIM905
    "park house club team group unit ward court hall city town county village".split()
) | frozenset(w.lower() for w in STREET_SUFFIXES.split("|"))


NAME_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


def is_name_word(word: str, skip: frozenset[str]) -> bool:
    """One capitalised word that is not in ``skip``."""
    return bool(NAME_TOKEN_RE.fullmatch(word)) and word[:1].isupper() and word.lower() not in skip


#: spaCy's stop words as a frozenset (spaCy's own is a mutable set), for :func:`union`.
STOP_WORD_SET = frozenset(STOP_WORDS)


@functools.cache
def union(*sets: frozenset[str]) -> frozenset[str]:
    """The union of word sets, made once per combination.

    The rules skip words from unions of the lexicon's sets on every text they read; those
    sets are built once, so the same few unions were rebuilt thousands of times per file.
    Pass only sets that live for the process (the lexicon's, module constants): the cache
    keeps each combination.
    """
    return frozenset().union(*sets)


@functools.cache
def gazetteer() -> frozenset[str]:
    """Given names from many origins, minus any that are also ordinary words."""
    words = lexicon()
    skip = words["common_words"] | words["word_names"] | words["not_names"] | STOP_WORDS
    skip = skip | words["relations"] | words["titles"] | words["organisation_words"]
    skip = skip | PLACE_WORDS
    return frozenset(n for n in given_names() if n.lower() not in skip)


def sentence_start(text: str, start: int) -> bool:
    """Nothing but opening quotes or brackets between ``start`` and a sentence's start."""
    before = text[:start].rstrip(" \t\"'(“‘>")
    return not before or before[-1] in ".!?:\n"
