"""Trimming a guessed name to the names in it.

The NER and the context rules guess spans that hold more than a name ("Dear Mrs Begum",
"Tom's mum", "Layla Al-Sayed\n\nArjun"): these functions cut them to the names, around the
roster's own matches, and list the words of a found name to look for again in the same text.
"""

from __future__ import annotations

import functools
import re

from .context_words import FUNCTION_WORDS, union
from .engine import lexicon

_EDGE = " \t\n\"'()“”‘’[],.;:!?"
_NOISE_RE = re.compile(r"[0-9@/\\|_=+*#<>{}\[\]]")
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
_FIELD_GAP_RE = re.compile(r"(?:[ ]{3}|\t|\|[ \t]*)$")


def _skip_words() -> frozenset[str]:
    words = lexicon()
    return union(words["not_names"], words["relations"], words["greetings"], FUNCTION_WORDS,
                 words["role_words"])  # fmt: skip


@functools.cache
def _leading_words(
    skip: frozenset[str], titles: frozenset[str], role_titles: frozenset[str]
) -> frozenset[str]:
    """Words dropped before a name: courtesy titles go with the name, role titles stay."""
    return (skip | role_titles) - (titles - role_titles)


def clean_person(
    text: str, start: int, end: int, *, allow_lower: bool = False
) -> list[tuple[int, int]]:
    """Trim a guessed PERSON span to the names in it (none when nothing name-like is left).

    Drops leading and trailing ordinary words ("Dear", "Uncle", "DOB", "Headteacher") and a
    possessive 's, keeps a leading title when a name follows it, and splits at a lower-case
    word inside ("George and George" is two names; "van der Berg" stays one).
    """
    words = [(start + m.start(), start + m.end()) for m in re.finditer(r"\S+", text[start:end])]
    runs: list[list[tuple[int, int, str]]] = [[]]
    particles = lexicon()["particles"]
    previous = ""
    for s, e in words:
        raw = text[s:e]
        if previous[-1:] in ".:;!?" and "\n" in text[s - 2 : s]:
            runs.append([])  # a sentence or a header line ended: "...56 C.\nTom's"
        elif _FIELD_GAP_RE.search(text, max(start, s - 3), s):
            runs.append([])  # fields of a form or a table: "Choi   Relationship", "Hill | Ofsted"
        previous = raw
        lead = len(raw) - len(raw.lstrip(_EDGE))
        core = re.sub(r"['’]s?$", "", raw.strip(_EDGE))
        inner_lower = core.islower() and not allow_lower and core not in particles
        if not core or inner_lower or _NOISE_RE.search(core):
            runs.append([])
            continue
        runs[-1].append((s + lead, s + lead + len(core), core))
        if raw[-1:] in ",;:!?" or re.search(r"['’]s?[,.;:!?)\"”]*$", raw):
            runs.append([])  # "Tom, Ann" and "Jake's Mum" end a name
    return [span for run in runs if (span := _trim_run(text, run, allow_lower)) is not None]


def _trim_run(
    text: str, cores: list[tuple[int, int, str]], allow_lower: bool
) -> tuple[int, int] | None:
    skip, titles = _skip_words(), lexicon()["titles"]
    # Courtesy titles go with the name; a role title stays ("District Judge [Third party]").
    leading = _leading_words(skip, titles, lexicon()["role_titles"])
    trailing = union(skip, titles)
    while cores and (
        (cores[0][2].lower().rstrip(".") in leading and not _initial(text, cores))
        or _lone_letter(cores, 0)
    ):
        cores.pop(0)
    while cores and (cores[-1][2].lower().rstrip(".") in trailing or len(cores[-1][2]) < 2):
        cores.pop()
    names = [c for c in cores if c[2].lower().rstrip(".") not in titles]
    if not names:
        return None
    if not allow_lower and not any(c[2][:1].isupper() for c in names):
        return None
    return cores[0][0], cores[-1][1]


def _initial(text: str, cores: list[tuple[int, int, str]]) -> bool:
    """The first word is an initial before a name, not the article: "A. Sokolov"."""
    first = cores[0]
    return (
        len(first[2]) == 1
        and first[2].isupper()
        and text[first[1] : first[1] + 1] == "."
        and (len(cores) > 1 and len(cores[1][2]) >= 2)
    )


def _lone_letter(cores: list[tuple[int, int, str]], i: int) -> bool:
    """A one-letter word that is not an initial before a name ("J." in "J. Smith")."""
    if len(cores[i][2]) >= 2:
        return False
    return not (cores[i][2].isupper() and i + 1 < len(cores) and len(cores[i + 1][2]) >= 2)


def person_pieces(
    text: str,
    start: int,
    end: int,
    exact: list[tuple[int, int]],
    partial: list[tuple[int, int]],
    *,
    allow_lower: bool = False,
) -> list[tuple[int, int]]:
    """A guessed PERSON span, cut around the roster's exact name matches and blank lines,
    cleaned; a piece inside a roster match is the roster's to decide and is dropped.

    "Layla Al-Sayed\n\nArjun" (staff, then the subject) yields nothing; "Jake Williams"
    around the subject's first name "Jake" yields itself: a different person.
    """
    cuts = [(s, e) for s, e in exact if s < end and start < e]
    cuts += [(start + m.start(), start + m.end()) for m in _BLANK_LINE_RE.finditer(text[start:end])]
    pieces, cursor = [], start
    for s, e in [*sorted(cuts), (end, end)]:
        if s > cursor:
            for span in clean_person(text, cursor, min(s, end), allow_lower=allow_lower):
                if not any(ks <= span[0] and span[1] <= ke for ks, ke in [*exact, *partial]):
                    pieces.append(span)
        cursor = max(cursor, e)
    return pieces


def name_tokens(name: str) -> set[str]:
    """The words of a found name worth looking for again: not titles, not ordinary words."""
    skip = union(_skip_words(), lexicon()["titles"])
    out = set()
    for raw in name.split():
        core = re.sub(r"['’]s?$", "", raw.strip(_EDGE))
        if len(core) >= 2 and core.lower().rstrip(".") not in skip:
            out.add(core)
            if core.isupper() and len(core) >= 3:
                # "Henrik SJOBERG" found: "Sjoberg" later in the text is the same person
                out.add("-".join(p.capitalize() for p in core.split("-")))
    return out


def find_tokens(text: str, tokens: set[str]) -> list[tuple[int, int]]:
    """Where any of ``tokens`` occurs as a whole word (case as written)."""
    alternation = "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))
    pattern = rf"(?<![\w'’\-])(?:{alternation})(?![\w\-])(?![ \t]+(?:you|we|I|they|be|not)\b)"
    return [m.span() for m in re.finditer(pattern, text)]
