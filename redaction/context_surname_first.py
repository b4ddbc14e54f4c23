"""Surname first, then the given name's initial: "Hollis, J." (issue 9).

Registers, reference lists, consent forms and reports to tribunals write people as "Surname,
I." (as in "Report by Hollis, J."). Rule 10 (uk-school-sar-rules.md) removes a third party's
name in any form; the roster matches the people the MIS knows, and this finds the others.
The surname must be a capitalised word that is no ordinary word, label or role, and nothing
capitalised may follow the initial ("Maths, B. English, A." are grades: subjects are in the
lexicon's not-names).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .context_words import CAPWORD, ContextHit

_SURNAME_INITIAL_RE = re.compile(
    rf"(?<![\w'’.\-])(?P<name>(?P<surname>{CAPWORD}),[ \t]*[A-Z])\.(?![\w.])"
    r"(?![ \t]*[A-Z][a-z])"
)


def surname_initial(text: str, skip: frozenset[str]) -> Iterator[ContextHit]:
    """ "Hollis, J." with the initial's full stop left out of the name."""
    for m in _SURNAME_INITIAL_RE.finditer(text):
        surname = m.group("surname")
        if surname.lower() in skip or surname.isupper():
            continue
        start, end = m.span("name")
        yield ContextHit(start, end, text[start:end], "PERSON", 0.7, "context-surname-initial")
