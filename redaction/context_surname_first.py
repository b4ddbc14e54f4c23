"""Surname first: "Hollis, J." and "Hollis, Jane" inside a line (issue 9).

Registers, reference lists, consent forms and reports to tribunals write people as "Surname,
I." (as in "Report by Hollis, J."). Rule 10 (uk-school-sar-rules.md) removes a third party's
name in any form; the roster matches the people the MIS knows, and this finds the others.
The surname must be a capitalised word that is no ordinary word, label or role, and nothing
capitalised may follow the initial ("Maths, B. English, A." are grades: subjects are in the
lexicon's not-names). "Hollis, Jane" inside a sentence ("a letter from Hollis, Jane
(childminder)") needs the given name in the gazetteer and a surname that is no given name,
so that a list of given names ("Tom, Jane and Ali") and places ("Leeds, Yorkshire") are
not taken for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .context_words import CAPWORD, ContextHit, gazetteer

_SURNAME_INITIAL_RE = re.compile(
    rf"(?<![\w'’.\-])(?P<name>(?P<surname>{CAPWORD}),[ \t]*[A-Z])\.(?![\w.])"
    r"(?![ \t]*[A-Z][a-z])"
)


_SURNAME_GIVEN_RE = re.compile(
    rf"(?<![\w'’.\-])(?P<surname>{CAPWORD}),[ ](?P<given>[A-Z][a-z][\w'’\-]*)(?![\w'’\-])"
    r"(?![ \t]+[A-Z])"
)


def surname_first(text: str, skip: frozenset[str]) -> Iterator[ContextHit]:
    """ "Hollis, J." (the initial's full stop left out of the name) and "Hollis, Jane"."""
    yield from _surname_initial(text, skip)
    names = gazetteer()
    for m in _SURNAME_GIVEN_RE.finditer(text):
        surname, given = m.group("surname"), m.group("given")
        if given not in names or surname in names or surname.lower() in skip:
            continue
        if given.lower() in skip or surname.isupper():
            continue
        yield ContextHit(m.start(), m.end(), m.group(), "PERSON", 0.7, "context-surname-given")


def _surname_initial(text: str, skip: frozenset[str]) -> Iterator[ContextHit]:
    for m in _SURNAME_INITIAL_RE.finditer(text):
        surname = m.group("surname")
        if surname.lower() in skip or surname.isupper():
            continue
        start, end = m.span("name")
        yield ContextHit(start, end, text[start:end], "PERSON", 0.7, "context-surname-initial")
