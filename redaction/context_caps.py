"""Names written in capitals, where capitalisation is no evidence at all (issue 9).

Police statements and court papers write surnames in capitals ("FERRARO Giacomo", "Henrik
SJOBERG"), court orders list the parties in capitals on lines of their own ("(3) OTIENO
ODHIAMBO" above "Second Respondent"), and incident forms are typed in capitals throughout
("STATED THAT OTIENO ODHIAMBO AND ..."). The NER reads capitals badly and every other rule
waits for a capital letter that means something, so these rules look for what does mean
something in capitals: the mix of a capitalised and a capitals word, a person field's value,
a party's role on the next line, or a given name the gazetteer knows. A capitals word that
is an ordinary word, an acronym, a label or a role is never a name here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from spacy.lang.en.stop_words import STOP_WORDS

from .context_forms import PREFIXES
from .context_ordinary import romanised_syllables
from .context_words import LABELS, PLACE_WORDS, VERBS, ContextHit, gazetteer
from .engine import lexicon

_CAPS = r"[A-ZÀ-Þ](?:[A-ZÀ-Þ'’\-]*[A-ZÀ-Þ])"
_TITLE = r"[A-ZÀ-Þ][a-zß-ÿ][\w'’\-]*"
_MIXED_RE = re.compile(
    rf"(?<![\w'’\-])(?:(?P<caps_first>{_CAPS})[ \t]+(?P<given>{_TITLE})|"
    rf"(?P<given_first>{_TITLE})[ \t]+(?P<caps_last>{_CAPS}))(?![\w'’\-])"
)
#: A line holding only a name in capitals: after "(3) ", "2. ", "Label: " or a table's "| ".
_FIELD_LINE_RE = re.compile(
    rf"(?m)^[ \t>|]*(?:(?P<number>\(\d{{1,2}}\)|\d{{1,2}}[.)])[ \t]*|"
    rf"(?P<label>[A-Za-z][A-Za-z '’/()\-]{{0,30}}):[ \t]*)?"
    rf"(?P<name>{_CAPS}(?:[ \t]+{_CAPS}){{1,3}})[ \t]*(?=$|\(|,|\|)"
)
_CAPS_WORD_RE = re.compile(rf"(?<![\w'’\-]){_CAPS}(?![\w'’\-])")
#: The role of a party, on the line under its name in a court order.
_PARTY_ROLE_RE = re.compile(
    r"[ \t]*\n[ \t]*(?:(?:first|second|third|fourth|fifth|\d+(?:st|nd|rd|th))[ \t]+)?"
    r"(?i:applicant|respondent|appellant|defendant|claimant|intervenor|petitioner|party)\b"
)
#: Labels whose value is a person ("WITNESS:", "CONCERN RAISED BY:", "STATEMENT OF:").
_PERSON_LABEL_END = frozenset({"by", "to", "of", "name", "names", "for", "with"})


@functools.cache
def _skip() -> frozenset[str]:
    words = lexicon()
    return (words["common_words"] | words["not_names"] | words["role_words"] | words["acronyms"]
            | words["titles"] | words["relations"] | words["organisation_words"] | STOP_WORDS
            | words["statute_words"] | PLACE_WORDS | frozenset(LABELS)
            | frozenset(VERBS.split("|")))  # fmt: skip


def _name_words_ok(name: str) -> bool:
    return all(w.lower().strip("'’-") not in _skip() and len(w) >= 2 for w in name.split())


def _given(word: str) -> bool:
    """A given name the gazetteer knows, whatever its case, or a romanised given name of
    two syllables ("JAE-WON", "MEI-LING")."""
    if re.fullmatch(r"[A-Z]{1,5}-[A-Z]{2,5}", word) and word.split("-")[0].lower() not in (
        PREFIXES
    ):
        return romanised_syllables(word)
    return "-".join(p.capitalize() for p in word.split("-")) in gazetteer()


def caps_names(text: str) -> Iterator[ContextHit]:
    """Names in capitals: mixed forms, person fields, party lists, known given names."""
    yield from _mixed(text)
    yield from _fields(text)
    yield from _given_in_capitals(text)


def _mixed(text: str) -> Iterator[ContextHit]:
    """ "FERRARO Giacomo" and "Henrik SJOBERG": one word in capitals beside a capitalised one,
    when the capitalised one is a known given name or the pair fills a field."""
    for m in _MIXED_RE.finditer(text):
        caps = m.group("caps_first") or m.group("caps_last")
        given = m.group("given") or m.group("given_first")
        if len(caps) < 3 or not _name_words_ok(f"{caps} {given}"):
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[line_start : m.start()]
        in_field = bool(re.search(r"(?:^|[:|(]|[ ]{2})[ \t]*$", before)) and bool(
            re.match(r"[ \t]*(?:$|\n|\||[ ]{2}|\(|,|;|\.)", text[m.end() :])
        )
        if _given(given) or in_field:
            yield ContextHit(m.start(), m.end(), m.group(), "PERSON", 0.6, "context-caps")


def _fields(text: str) -> Iterator[ContextHit]:
    """A line whose value is a name in capitals: a numbered party with its role under it,
    a person field ("WITNESS: ...", "CONCERN RAISED BY: ..."), or a known given name."""
    for m in _FIELD_LINE_RE.finditer(text):
        name = m.group("name")
        if not _name_words_ok(name):
            continue
        label = (m.group("label") or "").lower().split()
        person_label = bool(label) and (
            " ".join(label) in LABELS or label[-1] in _PERSON_LABEL_END
        )  # fmt: skip
        party = bool(_PARTY_ROLE_RE.match(text, m.end("name")))
        if person_label or party or any(_given(w) for w in name.split()):
            start, end = m.span("name")
            yield ContextHit(start, end, name, "PERSON", 0.6, "context-caps")


def _given_in_capitals(text: str) -> Iterator[ContextHit]:
    """In capitals, a given name the gazetteer knows and the capitals word after it when that
    is no ordinary word ("THAT OTIENO ODHIAMBO AND")."""
    words = list(_CAPS_WORD_RE.finditer(text))
    i = 0
    while i < len(words):
        m = words[i]
        if not (_given(m.group()) and _name_words_ok(m.group())):
            i += 1
            continue
        end = m.end()
        nxt = words[i + 1] if i + 1 < len(words) else None
        if (
            nxt and re.fullmatch(r"[ \t]+", text[end : nxt.start()])
            and _name_words_ok(nxt.group()) and not nxt.group().endswith(("ED", "ING", "LY"))
        ):  # fmt: skip
            end, i = nxt.end(), i + 1
        yield ContextHit(m.start(), end, text[m.start() : end], "PERSON", 0.6, "context-caps")
        i += 1
