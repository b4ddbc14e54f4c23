"""Context rules: people the NER misses, and descriptions that identify someone without a name.

People the MIS does not know are often introduced by how they relate to the pupil ("her
neighbour Tom", "mum's partner Dean", "uncle Raj", "Dean (mum's partner)"), by a title
("Mrs Begum", "PC Jones"), or in an email's greeting, sign-off or header. These rules find
them with a capitalised name next to such a word: a word that is also a name (Grace, Will)
counts only here, in a person context, or when the roster knows it.

Some passages identify a person after their name is gone ("her dad, who drives the blue
taxi"; "the girl whose mum works in the office"). Patterns cannot tell when such a passage
is safe, so they are flagged for the DPO's review (rule 10), not pretended solved.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .engine import lexicon

_NAME_WORD = r"[A-Z][a-zà-ÿ]*(?:['’\-][A-Za-zà-ÿ]+)*"
NAME = rf"{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}}"


@dataclass(frozen=True)
class ContextHit:
    """A span a context rule found; ``entity_type`` is PERSON or IDENTIFYING_CONTEXT."""

    start: int
    end: int
    text: str
    entity_type: str
    score: float
    detector: str


def _alternation(words: frozenset[str]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+").replace(r"\-", r"-?\s*") for w in ordered)


@functools.cache
def _patterns() -> dict[str, re.Pattern[str]]:
    words = lexicon()
    relation = _alternation(words["relations"])
    owner = r"(?:(?:her|his|their|my|your|our|the|a|an|[A-Za-z]+['’]s)\s+)?"
    adjectives = r"(?:(?:new|old|older|younger|little|big|elder|best|late|ex-?)\s+)*"
    titles = "|".join(
        sorted(
            {t.capitalize() for t in words["titles"]} | {"PC", "DC", "DS", "DI", "DCI"},
            key=len,
            reverse=True,
        )  # fmt: skip
    )
    greetings = _alternation(words["greetings"])
    context_relation = _alternation(words["context_relations"])
    return {
        "relation-name": re.compile(
            rf"(?i:\b{owner}{adjectives}(?:{relation}))[ \t]*,?[ \t]+(?P<name>{NAME})"
        ),
        "name-relation": re.compile(
            rf"(?P<name>{NAME})[ \t]*(?:,|\(|-|–)[ \t]*(?i:{owner}{adjectives}(?:{relation}))\b"
        ),
        "title-name": re.compile(rf"\b(?P<name>(?:{titles})\.?[ \t]+{NAME})"),
        "greeting": re.compile(
            rf"(?:^|\n)[ \t]*(?i:{greetings})[ \t]*,?[ \t]*\n?[ \t]*"
            rf"(?P<name>{NAME})[ \t]*(?:,|!|\n|$)"
        ),
        "header": re.compile(
            rf"(?im:^(?:from|to|cc|bcc|sent by|reply-to):[ \t]*)\"?(?P<name>{NAME})\"?[ \t]*<"
        ),
        "possessive": re.compile(
            rf"(?P<name>{NAME})['’]s[ \t]+"
            rf"(?i:{owner}{adjectives}(?:{relation}|house|home|family))\b"
        ),
        "identifying": re.compile(
            rf"(?i:\b(?:her|his|their|the|a|my|your)\s+(?:{context_relation})\b"
            r"[^.;\n]{0,40}?\b(?:who|whose|that|with\s+the)\b[^.;\n]{3,90})"
        ),
    }


def find_people(text: str) -> Iterator[ContextHit]:
    """People introduced by a relation, a title, a greeting or a header, known or not."""
    not_names = lexicon()["not_names"] | lexicon()["relations"] | lexicon()["greetings"]
    for rule in ("relation-name", "name-relation", "title-name", "greeting", "header",
                 "possessive"):  # fmt: skip
        for m in _patterns()[rule].finditer(text):
            start, end = m.span("name")
            name = _trim(text[start:end], not_names, titled=rule == "title-name")
            if name:
                yield ContextHit(start, start + len(name), name, "PERSON", 0.8, f"context-{rule}")


def _trim(name: str, not_names: frozenset[str], *, titled: bool) -> str:
    """Drop trailing words that are not names ("Tom Said" -> keep; "Dean Monday" -> "Dean")."""
    words = re.split(r"([ \t]+)", name)
    kept: list[str] = []
    for i in range(0, len(words), 2):
        word = words[i]
        if word.lower().rstrip(".") in not_names and not (titled and i == 0):
            break
        kept.extend(words[i - 1 : i + 1] if i else [word])
    text = "".join(kept).strip()
    if titled and len(text.split()) < 2:
        return ""
    return text


def find_identifying_context(text: str) -> Iterator[ContextHit]:
    """Passages describing a related person so they can still be picked out (rule 10)."""
    for m in _patterns()["identifying"].finditer(text):
        span = m.group().rstrip(" ,")
        yield ContextHit(
            m.start(), m.start() + len(span), span, "IDENTIFYING_CONTEXT", 0.5,
            "context-identifying",
        )  # fmt: skip
