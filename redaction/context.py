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

from spacy.lang.en.stop_words import STOP_WORDS

from .engine import lexicon
from .recognizers.address import STREET_SUFFIXES
from .recognizers.names import given_names

_NAME_WORD = r"[^\W\d_]+(?:['’\-][^\W\d_]+)*"
NAME = rf"{_NAME_WORD}(?:(?:[ \t]+|[ \t]*\n[ \t]*){_NAME_WORD}){{0,2}}"
#: Initials before a name: "J. ", "J.R. ", "J. R. ".
INITIALS = r"(?:[A-Z]\.[ \t]?){1,3}[ \t]*"
_TAIL_NAME_RE = re.compile(rf"({NAME})$")
_WRAPPED_RE = re.compile(r"(?<=[^\s.:;!?])\n(?=[^\W_])")
#: Rules whose name comes before the cue: the name is the words nearest the cue.
_NAME_FIRST = frozenset({"name-relation", "possessive"})
_LOWER_OK = frozenset({"name-relation"})
_GENERIC_PEOPLE = frozenset(
    "pupil student boy girl child kid teammate coach friends classmate".split()  # noqa: SIM905
)
#: "Label: Name" lines in forms, minutes and letters.
_LABELS = (
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
_VERBS = (
    "is|was|has|had|said|says|told|asked|came|went|lives|lived|moved|will|would|collects|"
    "collected|phoned|rang|called|visited|shouted|hit|pushed|threw|arrived|left|took|picks|"
    "picked|drives|works|stays|stayed|brought|attended|spoke|emailed|texted|messaged"
)
_FUNCTION_WORDS = frozenset(
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


def unwrap(text: str) -> str:
    """``text`` with line breaks inside wrapped prose turned into spaces (same length).

    A break counts as wrapping when its line is long (40+ characters) and ends mid-sentence,
    so a name split over a line break ("Yusuf\nJama") reaches the NER whole, while short
    header lines ("Name: ...\nDOB: ...") stay apart.
    """
    out = list(text)
    for m in _WRAPPED_RE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if m.start() - line_start >= 40:
            out[m.start()] = " "
    return "".join(out)


_LITERAL_BREAK_RE = re.compile(r"\\n(?=[^\W\d_])")


def literal_breaks(text: str) -> str:
    """``text`` with a written-out "\\n" (exported chat or JSON) turned into a line break,
    same length: "Asante\\nHamish Pritchard" holds two names, not "nHamish"."""
    if "\\n" not in text:
        return text
    return _LITERAL_BREAK_RE.sub(" \n", text)


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
    # Before a name, generic nouns start titles of things ("Pupil Premium", "Child
    # Protection", "Student Council"), so only family and household words count there.
    family = _alternation(words["relations"] - _GENERIC_PEOPLE)
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
    labels = _alternation(frozenset(_LABELS))
    context_relation = _alternation(words["context_relations"])
    return {
        "relation-name": re.compile(rf"(?i:\b(?:{family}))[ \t]*,?[ \t]+(?=(?P<name>{NAME}))"),
        "name-relation": re.compile(
            # A dash needs a space before it: "Obinna - cousin", but "half-brother" or, once
            # a name is removed, "Tom's half-brother ." is a word, not a name and its relation.
            r"(?<=[^\W\d_])(?:[ \t]*(?:,|\()|[ \t]+[-–])[ \t]*"
            rf"(?i:{owner}{adjectives}(?:{relation}))[ \t]*(?=[,).;:\n]|$)"
        ),
        "title-name": re.compile(
            rf"\b(?=(?P<name>(?i:{titles})\.?[ \t]+(?:[0-9]{{2,6}}[ \t]+)?(?:{INITIALS})?{NAME}))"
        ),
        "label": re.compile(
            rf"(?im:^[ \t>]*(?:\[[^\]\n]{{1,30}}\][ \t]*)?(?:{labels})[ \t]*:[ \t]*)"
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
            rf"(?:^|(?<=[.!?\n])[ \t]*)(?=(?P<name>{_NAME_WORD}),[ \t]+(?i:can|could|would|will|"
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


def find_people(text: str) -> Iterator[ContextHit]:
    """People introduced by a relation, a title, a greeting or a header, known or not."""
    words = lexicon()
    base = words["not_names"] | words["relations"] | words["greetings"] | _FUNCTION_WORDS
    # Before a cue, a capitalised word may just start the sentence ("Yesterday, her mum").
    before_cue = base | STOP_WORDS | _FUNCTION_WORDS
    yield from _names_before_verbs(text, before_cue)
    yield from _gazetteer_names(text, before_cue)
    yield from _initials_and_forms(text, base | lexicon()["role_words"])
    yield from _lower_case_names(text)
    yield from _address_block_names(text, before_cue)
    for rule, pattern in _patterns().items():
        if rule == "identifying":
            continue
        not_names = before_cue if rule in _NAME_FIRST else base
        for m in pattern.finditer(text):
            if rule in _NAME_FIRST:
                # The cue was found; the name is the words right before it.
                before = _TAIL_NAME_RE.search(text, max(0, m.start() - 60), m.start())
                if before is None:
                    continue
                name_start, name_end = before.span(1)
            else:
                name_start, name_end = m.span("name")
            paren = rule == "name-relation" and "(" in text[name_end : name_end + 3]
            span = _name_part(text, name_start, name_end, rule, base if paren else not_names)
            if span is not None and rule == "relation-name" and "," in text[m.start() : span[0]]:
                # "my Grandad, Friendships": after a comma only a known given name or a full
                # name is the relation's name ("her uncle, Raj", "uncle, Raj Patel").
                name = text[span[0] : span[1]]
                if " " not in name and name not in _gazetteer():
                    continue
            if span is not None:
                start, end = span
                yield ContextHit(start, end, text[start:end], "PERSON", 0.8, f"context-{rule}")


_VERB_RE = re.compile(rf"(?<=[ \t])(?:{_VERBS})\b")
_PLACE_WORDS = frozenset(
    "new old north south east west great upper lower little saint st room road street lane "  # noqa: SIM905
    "park house club team group unit ward court hall city town county village".split()
) | frozenset(w.lower() for w in STREET_SUFFIXES.split("|"))


_NAME_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


def _is_name_word(word: str, skip: frozenset[str]) -> bool:
    return bool(_NAME_TOKEN_RE.fullmatch(word)) and word[:1].isupper() and word.lower() not in skip


def _names_before_verbs(text: str, not_names: frozenset[str]) -> Iterator[ContextHit]:
    """Two or three capitalised words right before a verb: "Tunde Nwosu is not known"."""
    skip = not_names | _PLACE_WORDS | lexicon()["organisation_words"]
    for m in _VERB_RE.finditer(text):
        words = list(re.finditer(r"\S+", text[max(0, m.start() - 60) : m.start()]))[-3:]
        offset = max(0, m.start() - 60)
        run: list[re.Match[str]] = []
        for w in reversed(words):
            word = w.group()
            if not _is_name_word(word.rstrip(",;:"), skip):
                break
            run.insert(0, w)
            if word[-1:] in ",;:" or len(run) == 3:
                break
        if len(run) >= 2 and not any(r.group()[-1:] in ",;:." for r in run):
            start, end = offset + run[0].start(), offset + run[-1].end()
            yield ContextHit(start, end, text[start:end], "PERSON", 0.7, "context-name-verb")


def _introduced_ok(text: str, kept: list[tuple[int, int]]) -> bool:
    """After "with", "to", "and"... only a known given name or two capitalised words count."""
    first = text[kept[0][0] : kept[0][1]]
    return len(kept) >= 2 or first in _gazetteer()


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


# -- names written the way letters, minutes, court papers and chats write them (issue 9) ------

#: Detectors whose span is final: the cleaning of guessed names would drop a lone initial or
#: split "Smith of Norton" at "of".
EXACT_DETECTORS = frozenset({"context-initials", "context-peer", "context-comma-name"})
_PEERAGE = r"Lord|Lady|Baroness|Baron|Viscount|Viscountess|Earl|Countess|Marquess"
_CAPWORD = r"[A-Z][\w'’\-]+"


@functools.cache
def _form_patterns() -> dict[str, re.Pattern[str]]:
    words = lexicon()
    courtesy = _alternation(words["courtesy_titles"])
    titles = _alternation(words["titles"])
    cues = _alternation(words["list_cues"])
    item = rf"(?:(?i:{titles})\.?[ \t]+)?(?:{INITIALS})?{_CAPWORD}(?:[ \t]+{_CAPWORD}){{0,2}}"
    timestamp = (
        r"(?:\[[^\]\n]{1,30}\][ \t]*|\d{1,2}/\d{1,2}/\d{2,4},?[ \t]+\d{1,2}:\d{2}[ \t]*-[ \t]*)"
    )
    return {
        # "Mrs G.", "Kyrios K." (a courtesy title and one initial: the initial is the name)
        "title-initial": re.compile(
            rf"\b(?i:{courtesy})\.?[ \t]+(?P<name>[A-Z])\.(?![ \t]*(?:[A-Z]\.)*[ \t]*[A-Z][a-z])"
        ),
        # "N.S.", "N. S.", "N.S" (not followed by a surname: that is the next rule)
        "dotted": re.compile(
            r"(?<![\w.])(?P<name>[A-Z]\.[ ]?[A-Z](?:\.[ ]?[A-Z])?)\.?(?![\w])"
            r"(?![ \t]*(?:[A-Z][a-z]|Box\b|[0-9]))"
        ),
        # "T. Nguyen", "J.R. Hollis": initials and a capitalised surname
        "initial-surname": re.compile(
            r"(?<![\w.])(?P<name>(?:[A-Z]\.[ \t]?){1,2}[ \t]*[A-Z][a-z][\w'’\-]*)(?![\w:])"
        ),
        # "Lord Smith of Norton": the place names the peer too
        "peer": re.compile(
            rf"\b(?:{_PEERAGE})[ \t]+(?P<name>{_CAPWORD}(?:[ \t]+{_CAPWORD})?[ \t]+of[ \t]+"
            rf"{_CAPWORD}(?:[ \t]+{_CAPWORD})?)"
        ),
        # "From: Zotov, Dmitry", "Zotov, Dmitry 09:14" (an email header or a chat export)
        "comma-name": re.compile(
            rf"(?im:^[ \t>]*(?:(?:from|to|cc|bcc|sent by|reply-to|user|author)[ \t]*:[ \t]*\"?)?)"
            rf"(?P<name>{_CAPWORD}(?:[ \t]+{_CAPWORD})?,[ \t]*{_CAPWORD}(?:[ \t]+{_CAPWORD})?)"
            r"\"?(?=[ \t]*(?:<|\d{1,2}:\d{2}|\n|$))",
        ),
        # "On 3 May, Ana Lima <ana@example.org> wrote:"
        "wrote": re.compile(
            rf"(?P<name>{_CAPWORD}(?:[ \t]+{_CAPWORD}){{1,2}})[ \t]*<[^<>\s]+@[^<>\s]+>[ \t]*wrote:"
        ),
        # "[18:02] Dawit: ...", "03/04/2026, 21:03 - Ioana Popescu: ..."
        "chat-stamped": re.compile(
            rf"(?m)^[ \t>]*{timestamp}(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}}):[ \t]"
        ),
        "chat-speaker": re.compile(
            rf"(?m)^[ \t>]*(?P<name>{_CAPWORD}(?:[ \t]+{_CAPWORD})?):[ \t]+\S"
        ),
        # "Tuan's party": a possessive of a capitalised word inside a sentence
        "possessive-name": re.compile(
            r"(?<![\w'’.])(?<!St )(?<!Saint )(?P<name>[A-Z][a-z][\w\-]+)['’]s\b(?![ \t]+[A-Z])"
        ),
        # "Edit Major, who drives Indira home"
        "name-who": re.compile(rf"(?P<name>{_CAPWORD}[ \t]+{_CAPWORD}),?[ \t]+who\b"),
        # "The Judges Carvalho, Boateng and Haile", "Co-defendants named: A B, C D and E F"
        "list": re.compile(
            rf"\b(?i:{cues})(?:[ \t]+named)?[ \t]*:?[ \t]*"
            rf"(?P<name>{item}(?:(?:,[ \t]*|,?[ \t]+and[ \t]+|;[ \t]*){item})+)"
        ),
    }


def _initials_and_forms(text: str, skip: frozenset[str]) -> Iterator[ContextHit]:
    """Initials, peers, "Surname, Given" headers, chat speakers and lists of names."""
    words = lexicon()
    # Where the form itself says "a name goes here" (a header, "who" after two capitalised
    # words), a name that is also a word counts ("From: Major, Forrest", "Edit Major, who").
    strong = skip | frozenset(_LABELS)
    skip = strong | words["common_words"] | _PLACE_WORDS
    dotted_acronyms = words["dotted_acronyms"]
    patterns = _form_patterns()
    speakers: dict[str, list[tuple[int, int]]] = {}
    for rule, pattern in patterns.items():
        for m in pattern.finditer(text):
            start, end = m.span("name")
            name = text[start:end]
            if rule == "dotted" and (name.replace(" ", "").lower() + ".") in dotted_acronyms:
                continue
            if rule == "initial-surname" and name.split()[-1].split(".")[-1].lower() in skip:
                continue
            if rule == "possessive-name" and (
                name.lower() in skip | words["word_names"] or _sentence_start(text, start)
            ):
                continue
            if rule == "chat-speaker":
                if not any(w.lower() in skip for w in name.split()):
                    speakers.setdefault(name, []).append((start, end))
                continue
            if rule in ("name-who", "comma-name", "wrote", "chat-stamped") and any(
                w.strip(",").lower() in strong for w in name.split()
            ):
                continue
            if rule == "list":
                yield from _list_items(text, start, end, skip, strong)
                continue
            detector = "context-initials" if rule in ("dotted", "title-initial") else (
                "context-peer" if rule == "peer" else f"context-{rule}")  # fmt: skip
            yield ContextHit(start, end, name, "PERSON", 0.7, detector)
    # A "Name: message" line is a chat turn when the same speaker has two or more turns; a
    # form's labels do not repeat.
    for name, spans in speakers.items():
        if len(spans) >= 2:
            for start, end in spans:
                yield ContextHit(start, end, name, "PERSON", 0.7, "context-chat-speaker")


_LOWER_WORD_RE = re.compile(r"(?<![\w'’\-])[a-z][a-z'’\-]+")
#: A line, less a chat line's "[time] Speaker: " (the message is what is typed in lower case).
_MESSAGE_RE = re.compile(
    r"(?m)^(?:\[[^\]\n]{1,30}\][ \t]*)?(?:[^\W\d_][\w'’\- ]{0,30}:[ \t]+)?(?P<body>[^\n]+)"
)


def _lower_case_names(text: str) -> Iterator[ContextHit]:
    """Names typed in lower case, on lines with no capital at all ("eleni said dawit haile
    from the flats started it"): a known given name in a name slot, and the surname after it
    when that is no English word."""
    words = lexicon()
    given = _gazetteer()
    skip = (words["common_words"] | words["word_names"] | words["not_names"] | STOP_WORDS
            | words["relations"] | _PLACE_WORDS)  # fmt: skip
    before, after = (
        words["name_slot_before"] | {"to", "rang", "called", "met", "see"},
        words["name_slot_after"] | {"was", "is", "had", "has", "from", "at"},
    )
    skip = skip | before | after | frozenset(_VERBS.split("|"))
    # The message of a chat line ("[18:03] Tesfaye: no but ...") counts as a line of its own.
    for message in _MESSAGE_RE.finditer(text):
        body, offset = message.group("body"), message.start("body")
        if any(c.isupper() for c in body):
            continue
        tokens = list(_LOWER_WORD_RE.finditer(body))
        for i, m in enumerate(tokens):
            word = m.group()
            if word in skip:
                continue
            if word.capitalize() not in given:
                # two words no list knows, between name slots: "said dawit haile from"
                pair = tokens[i : i + 3]
                if (
                    len(pair) == 3 and i and tokens[i - 1].group() in before
                    and _spaced(body, tokens[i - 1 : i + 3])
                    and pair[1].group() not in skip and pair[2].group() in after
                    and min(len(word), len(pair[1].group())) >= 3
                ):  # fmt: skip
                    start, stop = offset + m.start(), offset + pair[1].end()
                    yield ContextHit(start, stop, text[start:stop], "PERSON", 0.5,
                                     "context-lower-case")  # fmt: skip
                continue
            prev = tokens[i - 1].group() if i else ""
            nxt = tokens[i + 1].group() if i + 1 < len(tokens) else ""
            end = m.end()
            if not _spaced(body, tokens[i : i + 2]):
                nxt = ""  # a comma or a full stop ends the name
            if not (i and _spaced(body, tokens[i - 1 : i + 1])):
                prev = ""
            if nxt and nxt not in skip and not nxt.endswith(("ed", "ing", "ly")):
                end, nxt = tokens[i + 1].end(), tokens[i + 2].group() if i + 2 < len(tokens) else ""
            if prev in before or nxt in after:
                start, stop = offset + m.start(), offset + end
                yield ContextHit(start, stop, text[start:stop], "PERSON", 0.6, "context-lower-case")


def _spaced(text: str, tokens: list[re.Match[str]]) -> bool:
    """The tokens follow each other with only spaces between them."""
    pairs = zip(tokens, tokens[1:], strict=False)
    return all(re.fullmatch(r"[ \t]+", text[a.end() : b.start()]) for a, b in pairs)


_LIST_SPLIT_RE = re.compile(r",[ \t]*|,?[ \t]+and[ \t]+|;[ \t]*")


def _list_items(
    text: str, start: int, end: int, skip: frozenset[str], strong: frozenset[str]
) -> Iterator[ContextHit]:
    """Each name of a list after a plural role word; a list holding an ordinary word is not
    a list of names ("Members: Maths, English and Science")."""
    items, cursor = [], start
    for m in [*_LIST_SPLIT_RE.finditer(text, start, end), None]:
        piece_end = m.start() if m else end
        items.append((cursor, piece_end))
        cursor = m.end() if m else end
    titles = lexicon()["titles"]
    names = [w for s, e in items for w in text[s:e].split() if w.lower().rstrip(".") not in titles]
    names = [w.lower() for w in names if len(w.rstrip(".")) > 1]
    # Surnames can be words ("Judges Bond, Fujimoto and Young"); a list of mostly words, or
    # with a label or role word in it, is not a list of names.
    if any(w in strong for w in names) or 2 * sum(w in skip for w in names) >= len(names):
        return
    for s, e in items:
        yield ContextHit(s, e, text[s:e], "PERSON", 0.7, "context-list")


def list_neighbours(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Capitalised names listed beside a found name ("Haile, Boateng and Tran" around
    "Boateng"): a list is of one kind, so its other items are people too."""
    words = lexicon()
    skip = (words["not_names"] | words["role_words"] | words["common_words"] | _FUNCTION_WORDS
            | _PLACE_WORDS | words["organisation_words"] | words["relations"])  # fmt: skip
    item = rf"{_CAPWORD}(?:[ \t]+{_CAPWORD}){{0,2}}"
    after = re.compile(rf"(?:,[ \t]*|,?[ \t]+and[ \t]+)(?P<item>{item})(?![\w'’])")
    before = re.compile(rf"(?<![\w'’])(?P<item>{item})(?:,[ \t]*|,?[ \t]+and[ \t]+)$")
    found: list[tuple[int, int]] = []
    for start, end in spans:
        cursor = end
        while (m := after.match(text, cursor)) and _plain_names(m.group("item"), skip):
            found.append(m.span("item"))
            cursor = m.end()
        cursor = start
        while (m := before.search(text, max(0, cursor - 60), cursor)) and _plain_names(
            m.group("item"), skip
        ):
            found.append(m.span("item"))
            cursor = m.start()
    return found


def _plain_names(item: str, skip: frozenset[str]) -> bool:
    return all(w.lower() not in skip and not w.isupper() for w in item.split())


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


# -- cleaning guessed names -----------------------------------------------------------------

_EDGE = " \t\n\"'()“”‘’[],.;:!?"
_NOISE_RE = re.compile(r"[0-9@/\\|_=+*#<>{}\[\]]")
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")


def _skip_words() -> frozenset[str]:
    words = lexicon()
    return (words["not_names"] | words["relations"] | words["greetings"] | _FUNCTION_WORDS
            | words["role_words"])  # fmt: skip


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
    return [span for run in runs if (span := _trim_run(run, allow_lower)) is not None]


def _trim_run(cores: list[tuple[int, int, str]], allow_lower: bool) -> tuple[int, int] | None:
    skip, titles = _skip_words(), lexicon()["titles"]
    # Courtesy titles go with the name; a role title stays ("District Judge [Third party]").
    leading = (skip | lexicon()["role_titles"]) - (titles - lexicon()["role_titles"])
    while cores and (cores[0][2].lower().rstrip(".") in leading or _lone_letter(cores, 0)):
        cores.pop(0)
    while cores and (cores[-1][2].lower().rstrip(".") in skip | titles or len(cores[-1][2]) < 2):
        cores.pop()
    names = [c for c in cores if c[2].lower().rstrip(".") not in titles]
    if not names:
        return None
    if not allow_lower and not any(c[2][:1].isupper() for c in names):
        return None
    return cores[0][0], cores[-1][1]


def _lone_letter(cores: list[tuple[int, int, str]], i: int) -> bool:
    """A one-letter word that is not an initial before a name ("J." in "J. Smith")."""
    if len(cores[i][2]) >= 2:
        return False
    return not (cores[i][2].isupper() and i + 1 < len(cores) and len(cores[i + 1][2]) >= 2)


def label_word(text: str, start: int, end: int) -> bool:
    """A lone word that labels a field: first on its line with a colon soon after it
    ("Dyslexia: use cream paper", "Primary need: Autism")."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip(" \t>*-•"):
        return False
    return bool(re.match(r"(?:[ \t]+[\w()/'’\-]+){0,2}[ \t]*:", text[end : end + 40]))


def not_a_name_after_break(text: str, start: int, end: int) -> bool:
    """A guessed name's part after a real line break is the next line's first word, not
    the rest of the name, when it is an ordinary word, a label or in capitals
    ("Milani\nCelebrating", "RICH YOUNG\nAge"); a surname wrapped onto a short line
    ("Abdullahi\nJama") is still a name."""
    words = lexicon()
    first = text[start:end].split()[0]
    skip = words["common_words"] | words["not_names"] | words["role_words"] | STOP_WORDS
    return first.isupper() or first.lower() in skip or label_word(text, start, end)


def organisation_after(text: str, end: int) -> bool:
    """A firm or an organisation's name goes on after ``end`` ("Hollis Pike & Co", "Baker
    Street Chambers", "St Aidan's Church of England School"): not a person."""
    return bool(_org_after_re().match(text, end))


@functools.cache
def _org_after_re() -> re.Pattern[str]:
    words = sorted(lexicon()["organisation_words"], key=len, reverse=True)
    alternation = "|".join(re.escape(w.title()) for w in words)
    return re.compile(
        rf"(?:['’]s)?[ \t]*(?:&[ \t]*Co\b|(?:[A-Z][\w'’\-]*[ \t]+(?:of[ \t]+)?){{0,4}}"
        rf"(?:{alternation}|LLP|Ltd)\b)"
    )


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
    skip = _skip_words() | lexicon()["titles"]
    out = set()
    for raw in name.split():
        core = re.sub(r"['’]s?$", "", raw.strip(_EDGE))
        if len(core) >= 2 and core.lower().rstrip(".") not in skip:
            out.add(core)
    return out


def find_tokens(text: str, tokens: set[str]) -> list[tuple[int, int]]:
    """Where any of ``tokens`` occurs as a whole word (case as written)."""
    alternation = "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))
    pattern = rf"(?<![\w'’\-])(?:{alternation})(?![\w\-])(?![ \t]+(?:you|we|I|they|be|not)\b)"
    return [m.span() for m in re.finditer(pattern, text)]


# -- organisations' contact details ---------------------------------------------------------

_LABEL_WORDS = frozenset(
    "tel tel. telephone phone fax email e-mail web website t e f w m mob mobile office "  # noqa: SIM905
    "reception switchboard main address post postcode www".split()
)


@functools.cache
def _org_name_re() -> re.Pattern[str]:
    words = sorted(lexicon()["organisation_words"], key=len, reverse=True)
    alternation = "|".join(re.escape(w.title()) for w in words)
    return re.compile(rf"(?:(?:[A-Z][\w'’&.\-]*|&)[ \t]+){{0,5}}(?:{alternation})\b")


def organisation_contact(text: str, start: int, end: int) -> bool:
    """A letterhead contact: "Oakfield Primary School, 1 School Lane..." or a "Tel: ..." line
    right under an organisation's name. Never a contact inside a sentence."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    before = text[line_start:start].strip(" \t,:-–")
    org = _org_name_re().match(before) if before else None
    if org and not re.search(r"(?<![\w'’])[a-z]", before[org.end() :]):
        return True  # "Oakfield Primary School, 1 School Lane, Northfield, NF1 2AB"
    rest = f"{before} {text[end:line_end]}".lower()
    if any(w.rstrip(".:") not in _LABEL_WORDS for w in re.findall(r"[a-z][a-z.\-]*", rest)):
        return False
    above = text[: max(0, line_start - 1)].rstrip("\n")
    previous = above[above.rfind("\n") + 1 :]
    return bool(_org_name_re().search(previous)) and not re.search(r"[.!?]\s", previous)


def word_name_in_person_context(text: str, start: int, end: int) -> bool:
    """False for a lone word that is also a name (Grace, Will) with nothing around it saying
    it is a person: the NER alone is not enough ("Year 2 led Grace before lunch")."""
    word = text[start:end]
    if " " in word.strip() or word.lower() not in lexicon()["word_names"]:
        return True
    before = re.findall(r"[\w']+", text[max(0, start - 30) : start].lower())[-1:]
    after = re.findall(r"[\w']+", text[end : end + 30].lower())[:1]
    words = lexicon()
    return bool(
        (before and before[0] in words["name_slot_before"])
        or (after and (after[0] in words["name_slot_after"] or re.fullmatch(_VERBS, after[0])))
    )


@functools.cache
def _gazetteer() -> frozenset[str]:
    """Given names from many origins, minus any that are also ordinary words."""
    words = lexicon()
    skip = words["common_words"] | words["word_names"] | words["not_names"] | STOP_WORDS
    skip = skip | words["relations"] | words["titles"] | words["organisation_words"]
    skip = skip | _PLACE_WORDS
    return frozenset(n for n in given_names() if n.lower() not in skip)


_CAPITALISED_RE = re.compile(r"(?<![\w'’\-])[^\W\d_][^\W\d_]*(?:['’\-][^\W\d_]+)*")


def _gazetteer_names(text: str, not_names: frozenset[str]) -> Iterator[ContextHit]:
    """A known given name, with the capitalised words after it ("Carola Nikkola").

    At a sentence start the name needs support (a verb, a comma or another name after it),
    because any capitalised word can open a sentence.
    """
    names = _gazetteer()
    skip = not_names | _PLACE_WORDS | lexicon()["common_words"]
    tokens = list(_CAPITALISED_RE.finditer(text))
    i = 0
    while i < len(tokens):
        m = tokens[i]
        word = re.sub(r"['’]s?$", "", m.group())
        if word not in names or word.isupper():
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and j - i < 2 and _joins(text, tokens[j], tokens[j + 1], skip):
            j += 1
        after = text[tokens[j].end() : tokens[j].end() + 20]
        supported = j > i or re.match(rf"(?:['’]s?\b|[ \t]*[,:]|[ \t]+(?:{_VERBS})\b)", after)
        if supported or not _sentence_start(text, m.start()):
            yield ContextHit(m.start(), tokens[j].end(), text[m.start() : tokens[j].end()],
                             "PERSON", 0.6, "context-gazetteer")  # fmt: skip
        i = j + 1


def _joins(text: str, left: re.Match[str], right: re.Match[str], skip: frozenset[str]) -> bool:
    """``right`` continues the name ending at ``left``: a capitalised word after a space."""
    gap = text[left.end() : right.start()]
    return bool(re.fullmatch(r"[ \t]+", gap)) and _is_name_word(right.group(), skip)


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'(“‘>")
    return not before or before[-1] in ".!?:\n"


_BLOCK_LINE_RE = re.compile(r"^[ \t>?*|]*(?P<body>.*?)[ \t]*$", re.MULTILINE)


def _address_block_names(text: str, not_names: frozenset[str]) -> Iterator[ContextHit]:
    """The addressee's line above a street address ("Ms Chloe Robinson\n100 Queens Drive")."""
    skip = not_names | _PLACE_WORDS | lexicon()["organisation_words"] | lexicon()["titles"]
    lines = list(_BLOCK_LINE_RE.finditer(text))
    for i, line in enumerate(lines):
        if not _STREET_LINE_RE.match(line.group("body")):
            continue
        for above in reversed(lines[max(0, i - 4) : i]):
            body = above.group("body")
            words = body.split()
            names = [w for w in words if w.lower().rstrip(".") not in lexicon()["titles"]]
            if 2 <= len(names) <= 4 and all(_is_name_word(w, skip) for w in names):
                start = above.start("body")
                yield ContextHit(start, above.end("body"), body, "PERSON", 0.6,
                                 "context-address-block")  # fmt: skip
                break


_STREET_LINE_RE = re.compile(
    r"(?:(?:Flat|Apt\.?|Unit|Suite)\s+\d+\w?,?\s+)?\d{1,4}[A-Za-z]?,?\s+[A-Z]"
)


def letterhead_lines(text: str) -> list[tuple[int, int]]:
    """Address and telephone lines right under an organisation's name ("Hollis Pike & Co
    Solicitors\n14 Regent Street, Leamington Spa CV32 5EG"): an organisation's contact
    details, not a person's."""
    out = []
    lines = list(re.finditer(r"[^\n]+", text))
    for above, line in zip(lines, lines[1:], strict=False):
        if line.start() != above.end() + 1 or not _org_line_re().fullmatch(above.group().strip()):
            continue
        if _LETTERHEAD_LINE_RE.match(line.group()):
            out.append(line.span())
    return out


_LETTERHEAD_LINE_RE = re.compile(
    r"[ \t]*(?:[0-9]{1,4}[A-Za-z]?,?[ \t]+[A-Z]|(?:Flat|Unit|Suite)[ \t]+[0-9]|"
    r"P\.?[ \t]?O\.?[ \t]?Box|(?:Tel|Telephone|Phone|Fax|Email|E-mail|T|E)[ \t]*[.:])"
)


@functools.cache
def _org_line_re() -> re.Pattern[str]:
    words = sorted(lexicon()["organisation_words"], key=len, reverse=True)
    alternation = "|".join(re.escape(w.title()) for w in words)
    word = r"(?:[A-Z][\w'’&.\-]*|&|of|and|the|for)"
    return re.compile(rf"(?:{word}[ \t]+){{0,8}}(?:{alternation}|LLP|Ltd)\.?")


def organisation_before(text: str, start: int) -> bool:
    """An organisation is named earlier in the sentence ("Contact the school office on")."""
    sentence_start = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    before = text[sentence_start:start].lower()
    words = sorted(lexicon()["organisation_words"], key=len, reverse=True)
    return bool(re.search(rf"\b(?:{'|'.join(re.escape(w) for w in words)})\b", before))
