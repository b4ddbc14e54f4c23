"""Context rules: people the NER misses, and descriptions that identify someone without a name.

People the MIS does not know are often introduced by how they relate to the pupil ("her
neighbour Tom", "mum's partner Dean", "uncle Raj", "Dean (mum's partner)"), by a title
("Mrs Begum", "PC Jones"), or in an email's greeting, sign-off or header. These rules find
them with a capitalised name next to such a word: a word that is also a name (Grace, Will)
counts only here, in a person context, or when the roster knows it.

Some passages identify a person after their name is gone ("her dad, who drives the blue
taxi"; "the girl whose mum works in the office"). Patterns cannot tell when such a passage
is safe, so they are flagged for the DPO's review (rule 10), not pretended solved.

The other context rules: :mod:`.context_forms` (names as letters, minutes, court papers and
chats write them), :mod:`.context_cleaning` (trimming a guessed name to the names in it),
:mod:`.context_not_person` (labels, letterheads and organisations: never a person). Their
shared vocabulary is :mod:`.context_words`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from spacy.lang.en.stop_words import STOP_WORDS

from .context_caps import caps_names
from .context_forms import initials_and_forms, lower_case_names
from .context_ordinary import title_coordination, verb_opening
from .context_surname_first import surname_first
from .context_words import (
    FUNCTION_WORDS,
    INITIALS,
    LABELS,
    NAME,
    NAME_WORD,
    PLACE_WORDS,
    STOP_WORD_SET,
    VERBS,
    ContextHit,
    alternation,
    first_letters,
    gazetteer,
    is_name_word,
    sentence_start,
    union,
)
from .engine import lexicon

_TAIL_NAME_RE = re.compile(rf"({NAME})$")
_WRAPPED_RE = re.compile(r"(?<=[^\s.:;!?])\n(?=[^\W_])")
#: Rules whose name comes before the cue: the name is the words nearest the cue.
_NAME_FIRST = frozenset({"name-relation", "possessive"})
_LOWER_OK = frozenset({"name-relation"})
#: Rules whose only sign of a name after their cue is a capital letter.
_CAPITAL_EVIDENCE = frozenset({"introduced", "vocative"})
_GENERIC_PEOPLE = frozenset(
    "pupil student boy girl child kid teammate coach friends classmate".split()  # noqa: SIM905
)


def unwrap(text: str) -> str:
    """``text`` with line breaks inside wrapped prose turned into spaces (same length).

    A break counts as wrapping when its line is long (40+ characters) and ends mid-sentence,
    so a name split over a line break ("Yusuf\nJama") reaches the NER whole, while short
    header lines ("Name: ...\nDOB: ...") stay apart.
    """
    out = list(text)
    for m in _WRAPPED_RE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line = text[line_start : m.start()]
        if (
            len(line) >= 40
            and not _FIELDS_RE.search(line)
            and not _LABEL_START_RE.match(text, m.end())
        ):
            out[m.start()] = " "
    return "".join(out)


#: A table row or a line of fields ("Name | Agency", "Relationship: Aunt   Mobile: ..."):
#: its end is the end of a field, never wrapped prose.
_FIELDS_RE = re.compile(r"[ \t]\|[ \t]|\t|[^\s][ ]{3,}[^\s]")
#: The next line opens with a label ("Post: ...", "Date of birth: ..."): a field of its own.
_LABEL_START_RE = re.compile(r"[^\W\d_][\w'’()/\- ]{0,30}:[ \t]")


_LITERAL_BREAK_RE = re.compile(r"\\n(?=[^\W\d_])")


def literal_breaks(text: str) -> str:
    """``text`` with a written-out "\\n" (exported chat or JSON) turned into a line break,
    same length: "Asante\\nHamish Pritchard" holds two names, not "nHamish"."""
    if "\\n" not in text:
        return text
    return _LITERAL_BREAK_RE.sub(" \n", text)


@functools.cache
def _patterns() -> dict[str, re.Pattern[str]]:
    words = lexicon()
    relation = alternation(words["relations"])
    # Before a name, generic nouns start titles of things ("Pupil Premium", "Child
    # Protection", "Student Council"), so only family and household words count there.
    family = alternation(words["relations"] - _GENERIC_PEOPLE)
    owner = r"(?:(?:her|his|their|my|your|our|the|a|an|[A-Za-z]+['’]s)\s+)?"
    adjectives = r"(?:(?:new|old|older|younger|little|big|elder|best|late|ex-?)\s+)*"
    titles = "|".join(
        sorted(
            {t.capitalize() for t in words["titles"]} | {"PC", "DC", "DS", "DI", "DCI"},
            key=len,
            reverse=True,
        )  # fmt: skip
    )
    titles_first = first_letters({*words["titles"], "PC", "DC", "DS", "DI", "DCI"})
    greetings = alternation(words["greetings"])
    labels = alternation(frozenset(LABELS))
    context_relation = alternation(words["context_relations"])
    return {
        "relation-name": re.compile(
            rf"(?i:\b{first_letters(words['relations'] - _GENERIC_PEOPLE)}(?:{family}))"
            rf"[ \t]*,?[ \t]+(?=(?P<name>{NAME}))"
        ),
        "name-relation": re.compile(
            # A dash needs a space before it: "Obinna - cousin", but "half-brother" or, once
            # a name is removed, "Tom's half-brother ." is a word, not a name and its relation.
            r"(?<=[^\W\d_])(?:[ \t]*(?:,|\()|[ \t]+[-–])[ \t]*"
            rf"(?i:{owner}{adjectives}(?:{relation}))[ \t]*(?=[,).;:\n]|$)"
        ),
        "title-name": re.compile(
            # (the lookahead of first letters inside "(?i:...)" too, so it folds case alike)
            rf"\b(?i:{titles_first})"
            rf"(?=(?P<name>(?i:{titles})\.?[ \t]+(?:[0-9]{{2,6}}[ \t]+)?(?:{INITIALS})?{NAME}))"
        ),
        "label": re.compile(
            # at a line's start, or after another field ("Contact 2 - Name: ", "|  Name: ")
            rf"(?im:(?:^[ \t>]*(?:\[[^\]\n]{{1,30}}\][ \t]*)?|[ ]{{2,}}|\|[ \t]*|[ \t][-–][ \t]*)"
            rf"(?:{labels})[ \t]*:[ \t]*)"
            rf"(?=(?P<name>{NAME}))"
        ),
        "named": re.compile(
            rf"(?i:\b(?:my name is|name is|name's|call me|called|named|known as|"
            rf"(?:sur|last |first |maiden |given )name(?: is|\?|:)|"
            rf"under (?:my |the |his |her )?(?:[a-z]+['’]s )?name))[ \t]+(?=(?P<name>{NAME}))"
        ),
        "introduced": re.compile(
            rf"(?i:\b(?:i am|i'm|speak to|spoke to|ask for|asked for|add|with|from|to|by|about|"
            rf"for|and|under|meet|met|tell|told|ask|asked|saw|see|visit|visited)[ \t]+)"
            rf"(?=(?P<name>{NAME}))"
        ),
        "vocative": re.compile(
            rf"(?:^|(?<=[.!?\n])[ \t]*)(?=(?P<name>{NAME_WORD}),[ \t]+(?i:can|could|would|will|"
            r"please|do|did|are|is|have|thank|thanks|i|we|you|just|sorry)\b)",
            re.MULTILINE,
        ),
        "greeting": re.compile(
            rf"(?:^|\n)[ \t>]*(?i:{greetings})[ \t]*,?[ \t]*(?:\n[ \t>]*){{0,2}}"
            rf"(?P<name>{NAME})[ \t]*(?:,|!|\n|$)"
        ),
        "header": re.compile(
            rf"(?im:^(?:from|to|cc|bcc|sent by|reply-to):[ \t]*)\"?(?P<name>{NAME})\"?[ \t]*<"
        ),
        "possessive": re.compile(
            rf"(?<=[^\W\d_])(?=['’]s[ \t]+"
            rf"(?i:{owner}{adjectives}(?:{relation}|house|home|family|address|phone|number|"
            r"email|mobile|details|car|account))\b)"
        ),
        "identifying": re.compile(
            rf"(?i:\b(?:her|his|their|the|a|my|your|[a-z]+['’]s)\s+(?:[a-z\-]+\s+){{0,2}}?"
            rf"(?:{context_relation})\b"
            r"[^.;\n]{0,40}?\b(?:who|whose|that|with\s+the)\b[^.;\n]{3,90})"
        ),
    }


#: Gates (see .context_forms._FORM_GATES): what every match of these rules holds.
_CUE_GATES = {
    "possessive": re.compile(r"['’]s[ \t]"),  # "Tom's mum"
    "named": re.compile(r"name|call|known", re.IGNORECASE),  # as the rule reads its cues
    "label": re.compile(":"),  # "Name: "
}


def find_people(text: str) -> Iterator[ContextHit]:
    """People introduced by a relation, a title, a greeting or a header, known or not."""
    words = lexicon()
    base = union(words["not_names"], words["relations"], words["greetings"], FUNCTION_WORDS)
    # Before a cue, a capitalised word may just start the sentence ("Yesterday, her mum").
    before_cue = union(base, STOP_WORD_SET, FUNCTION_WORDS)
    yield from _names_before_verbs(text, before_cue)
    yield from _gazetteer_names(text, before_cue)
    yield from initials_and_forms(text, union(base, lexicon()["role_words"]))
    yield from surname_first(text, union(before_cue, lexicon()["common_words"], PLACE_WORDS))
    yield from lower_case_names(text)
    yield from caps_names(text)
    yield from _address_block_names(text, before_cue)
    for rule, pattern in _patterns().items():
        gate = _CUE_GATES.get(rule)
        if rule == "identifying" or (gate is not None and gate.search(text) is None):
            continue
        not_names = before_cue if rule in _NAME_FIRST else base
        for m in pattern.finditer(text):
            if (
                rule == "introduced"
                and m.group()[:4].lower() == "and "
                and (title_coordination(text, m.start()))
            ):
                continue  # "Appeal Form and Decision Letter": a title, not a person
            if rule in _NAME_FIRST:
                # The cue was found; the name is the words right before it.
                before = _TAIL_NAME_RE.search(text, max(0, m.start() - 60), m.start())
                if before is None:
                    continue
                name_start, name_end = before.span(1)
            else:
                name_start, name_end = m.span("name")
                if rule != "title-name" and not text[name_start : name_start + 1].isupper():
                    continue  # _name_part would stop at its first word: no capital
            paren = rule == "name-relation" and "(" in text[name_end : name_end + 3]
            span = _name_part(text, name_start, name_end, rule, base if paren else not_names)
            if span is not None and rule == "relation-name" and "," in text[m.start() : span[0]]:
                # "my Grandad, Friendships": after a comma only a known given name or a full
                # name is the relation's name ("her uncle, Raj", "uncle, Raj Patel").
                name = text[span[0] : span[1]]
                if " " not in name and name not in gazetteer():
                    continue
            if span is not None:
                start, end = span
                yield ContextHit(start, end, text[start:end], "PERSON", 0.8, f"context-{rule}")


_VERB_RE = re.compile(rf"(?<=[ \t])(?:{VERBS})\b")


def _names_before_verbs(text: str, not_names: frozenset[str]) -> Iterator[ContextHit]:
    """Two or three capitalised words right before a verb: "Tunde Nwosu is not known"."""
    skip = union(not_names, PLACE_WORDS, lexicon()["organisation_words"])
    for m in _VERB_RE.finditer(text):
        words = list(re.finditer(r"\S+", text[max(0, m.start() - 60) : m.start()]))[-3:]
        offset = max(0, m.start() - 60)
        run: list[re.Match[str]] = []
        for w in reversed(words):
            word = w.group()
            if not is_name_word(word.rstrip(",;:"), skip) or (not run and len(word) < 2):
                break  # "Section F is amended": a lone letter before the verb is no surname
            if run and re.search(r"\n[ \t]*\n", text[offset + w.end() : offset + run[0].start()]):
                break  # "Emerging\n\nOlena is settling": a blank line ends the name
            run.insert(0, w)
            if word[-1:] in ",;:" or len(run) == 3:
                break
        if len(run) >= 2 and not any(r.group()[-1:] in ",;:." for r in run):
            start, end = offset + run[0].start(), offset + run[-1].end()
            yield ContextHit(start, end, text[start:end], "PERSON", 0.7, "context-name-verb")


def _introduced_ok(text: str, kept: list[tuple[int, int]]) -> bool:
    """After "with", "to", "and"... only a known given name or two capitalised words count."""
    first = text[kept[0][0] : kept[0][1]]
    return len(kept) >= 2 or first in gazetteer()


def _name_part(
    text: str, start: int, end: int, rule: str, not_names: frozenset[str]
) -> tuple[int, int] | None:
    """The words of a rule's name group that are a name: capitalised and not ordinary words.

    A title rule keeps its title; rules with the name before the cue keep the words nearest
    the cue; in a lower-case note a parenthesised relation ("obinna (cousin)") vouches for a
    lower-case name.
    """
    spans = [m.span() for m in re.finditer(r"\S+", text[start:end])]
    spans = [(start + s, start + e) for s, e in spans]
    if rule in _NAME_FIRST:
        spans.reverse()
    kept: list[tuple[int, int]] = []
    for i, (s, e) in enumerate(spans):
        word = text[s:e]
        folded = word.lower().rstrip(".")
        if rule == "title-name" and i == 0:
            kept.append((s, e))
            continue
        if rule == "title-name" and word.isdigit() and i == 1:
            continue  # a collar number: "Police Constable 4471 Rich Young"
        lower_ok = (
            rule in _LOWER_OK and i == 0 and text[s:e].islower() and len(word) > 2
            and not _line_has_capitals(text, s)
        )  # fmt: skip
        if folded in not_names or not (word[:1].isupper() or lower_ok):
            break
        if word.isupper() and (folded in STOP_WORDS or _statute(text, e)):
            break  # in capitals, "RECORDER SJOBERG ON 19 May": capitals say nothing
        if word.isupper() and rule in _CAPITAL_EVIDENCE and word.capitalize() not in gazetteer():
            break  # "LIBERTY TO APPLY", "REFERRAL TO CHILDREN'S SERVICES"
        if _statute(text, e) and rule == "title-name":
            break  # "Criminal Justice Act 1967": a statute, not Justice Act
        kept.append((s, e))
        if lower_ok:
            break
    if rule == "title-name" and len(kept) < 2:
        return None
    if rule == "introduced" and kept and not _introduced_ok(text, kept):
        return None
    if not kept:
        return None
    kept.sort()
    return kept[0][0], kept[-1][1]


def _statute(text: str, end: int) -> bool:
    """The word ending at ``end`` closes a statute's name: "Act 1967", "Regulations 2014"."""
    word = text[text.rfind(" ", 0, end) + 1 : end].lower()
    return word in lexicon()["statute_words"] and bool(re.match(r"[ \t]+\d{4}\b", text[end:]))


def _line_has_capitals(text: str, pos: int) -> bool:
    """The line around ``pos`` is not typed in lower case ("my cat, my Grandad")."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return any(c.isupper() for c in text[start : len(text) if end == -1 else end])


def find_identifying_context(text: str) -> Iterator[ContextHit]:
    """Passages describing a related person so they can still be picked out (rule 10)."""
    for m in _patterns()["identifying"].finditer(text):
        span = m.group().rstrip(" ,")
        yield ContextHit(
            m.start(), m.start() + len(span), span, "IDENTIFYING_CONTEXT", 0.5,
            "context-identifying",
        )  # fmt: skip


_CAPITALISED_RE = re.compile(r"(?<![\w'’\-])[^\W\d_][^\W\d_]*(?:['’\-][^\W\d_]+)*")


def _gazetteer_names(text: str, not_names: frozenset[str]) -> Iterator[ContextHit]:
    """A known given name, with the capitalised words after it ("Carola Nikkola").

    At a sentence start the name needs support (a verb, a comma or another name after it),
    because any capitalised word can open a sentence.
    """
    names = gazetteer()
    skip = union(not_names, PLACE_WORDS, lexicon()["common_words"])
    tokens = list(_CAPITALISED_RE.finditer(text))
    after_name = 0  # the first token not inside a name yet
    for i in [i for i, m in enumerate(tokens) if _bare(m.group()) in names]:
        m = tokens[i]
        upper = _bare(m.group()).isupper()
        if i < after_name or upper or verb_opening(text, m, tokens[i + 1 : i + 2]):
            continue
        j = i
        while j + 1 < len(tokens) and j - i < 2 and _joins(text, tokens[j], tokens[j + 1], skip):
            j += 1
        after = text[tokens[j].end() : tokens[j].end() + 20]
        supported = j > i or re.match(rf"(?:['’]s?\b|[ \t]*[,:]|[ \t]+(?:{VERBS})\b)", after)
        if supported or not sentence_start(text, m.start()):
            yield ContextHit(m.start(), tokens[j].end(), text[m.start() : tokens[j].end()],
                             "PERSON", 0.6, "context-gazetteer")  # fmt: skip
        after_name = j + 1


def _bare(word: str) -> str:
    """``word`` without a final "'s" or "'" (either apostrophe), as ``re.sub(r"['’]s?$", "",
    word)`` has it for a word with no line break."""
    if word.endswith(("'s", "’s")):
        return word[:-2]
    return word[:-1] if word.endswith(("'", "’")) else word


def _joins(text: str, left: re.Match[str], right: re.Match[str], skip: frozenset[str]) -> bool:
    """``right`` continues the name ending at ``left``: a capitalised word after a space."""
    gap = text[left.end() : right.start()]
    # A tab or a run of spaces is a column gap ("Smith, Ann\tNegative"), not a name's space.
    return bool(re.fullmatch(r"[ ]{1,2}", gap)) and is_name_word(right.group(), skip)


_BLOCK_LINE_RE = re.compile(r"^[ \t>?*|]*(?P<body>.*?)[ \t]*$", re.MULTILINE)


def _address_block_names(text: str, not_names: frozenset[str]) -> Iterator[ContextHit]:
    """The addressee's line above a street address ("Ms Chloe Robinson\n100 Queens Drive")."""
    skip = union(not_names, PLACE_WORDS, lexicon()["organisation_words"], lexicon()["titles"])
    lines = list(_BLOCK_LINE_RE.finditer(text))
    for i, line in enumerate(lines):
        if not _STREET_LINE_RE.match(line.group("body")):
            continue
        for above in reversed(lines[max(0, i - 4) : i]):
            body = above.group("body")
            words = body.split()
            names = [w for w in words if w.lower().rstrip(".") not in lexicon()["titles"]]
            if 2 <= len(names) <= 4 and all(is_name_word(w, skip) for w in names):
                start = above.start("body")
                yield ContextHit(start, above.end("body"), body, "PERSON", 0.6,
                                 "context-address-block")  # fmt: skip
                break


_STREET_LINE_RE = re.compile(
    r"(?:(?:Flat|Apt\.?|Unit|Suite)\s+\d+\w?,?\s+)?\d{1,4}[A-Za-z]?,?\s+[A-Z]"
)
