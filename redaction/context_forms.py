"""Names written the way letters, minutes, court papers and chats write them (issue 9).

Initials ("N.S.", "Mrs G.", "T. Nguyen"), peers ("Lord Smith of Norton"), "Surname, Given"
headers, "... wrote:" lines, chat speakers, possessives and "Name, who" clauses, lists of
names after a plural role word ("The Judges Carvalho, Boateng and Haile"), and names typed in
lower case in notes with no capital at all. :func:`.context.find_people` runs these beside
the cue rules.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from .context_words import (
    CAPWORD,
    FUNCTION_WORDS,
    INITIALS,
    LABELS,
    NAME_WORD,
    PLACE_WORDS,
    STOP_WORD_SET,
    VERBS,
    ContextHit,
    alternation,
    first_letters,
    gazetteer,
    sentence_start,
    union,
)
from .engine import lexicon

#: Detectors whose span is final: the cleaning of guessed names would drop a lone initial or
#: split "Smith of Norton" at "of".
EXACT_DETECTORS = frozenset(
    {"context-initials", "context-peer", "context-comma-name", "context-surname-initial",
     "context-column", "context-surname-given"}
)  # fmt: skip
_PEERAGE = r"Lord|Lady|Baroness|Baron|Viscount|Viscountess|Earl|Countess|Marquess"


@functools.cache
def _form_patterns() -> dict[str, re.Pattern[str]]:
    words = lexicon()
    courtesy = alternation(words["courtesy_titles"])
    titles = alternation(words["titles"])
    cues = alternation(words["list_cues"])
    roles = alternation(words["role_words"])
    item = rf"(?:(?i:{titles})\.?[ \t]+)?(?:{INITIALS})?{CAPWORD}(?:[ \t]+{CAPWORD}){{0,2}}"
    timestamp = (
        r"(?:\[[^\]\n]{1,30}\][ \t]*|\d{1,2}/\d{1,2}/\d{2,4},?[ \t]+\d{1,2}:\d{2}[ \t]*-[ \t]*)"
    )
    return {
        # "Mrs G.", "Kyrios K." (a courtesy title and one initial: the initial is the name)
        "title-initial": re.compile(
            rf"\b(?i:{courtesy})\.?[ \t]+(?P<name>[A-Z])\.(?![ \t]*(?:[A-Z]\.)*[ \t]*[A-Z][a-z])"
        ),
        # "mum's friend Mr C. Visit lasted": the capitalised word after is no surname
        "title-initial-sentence": re.compile(
            rf"\b(?i:{courtesy})\.?[ \t]+(?P<name>[A-Z])\.[ \t]+(?P<next>[A-Z][a-z]+)\b"
        ),
        # "Simran Dhillon (SD)", "SD = Simran Dhillon", "Simran Dhillon | SD |": a name beside
        # its own initials, as attendee lists and chronologies' keys write them
        "name-initials": re.compile(
            rf"(?P<name>{CAPWORD}(?:[ \t]+{CAPWORD}){{1,2}})[ \t]*(?:\(|\||=)[ \t]*"
            r"(?P<init>[A-Z]{2,3})\b"
        ),
        "initials-name": re.compile(
            rf"\b(?P<init>[A-Z]{{2,3}})[ \t]*=[ \t]*(?P<name>{CAPWORD}(?:[ \t]+{CAPWORD}){{1,2}})"
        ),
        # "The Children's Guardian, Manjit Dhillon, filed": a name set off after a role
        "appositive": re.compile(
            rf"\b(?i:{first_letters(words['role_words'])}(?:{roles})),[ \t]+"
            rf"(?P<name>{CAPWORD}(?:[ \t]+{CAPWORD}){{1,2}})(?=[ \t]*(?:,[ \t]+[a-z]|\())"
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
            rf"\b(?:{_PEERAGE})[ \t]+(?P<name>{CAPWORD}(?:[ \t]+{CAPWORD})?[ \t]+of[ \t]+"
            rf"{CAPWORD}(?:[ \t]+{CAPWORD})?)"
        ),
        # "From: Zotov, Dmitry", "Zotov, Dmitry 09:14" (an email header or a chat export)
        "comma-name": re.compile(
            rf"(?im:^[ \t>]*(?:(?:from|to|cc|bcc|sent by|reply-to|user|author)[ \t]*:[ \t]*\"?)?)"
            rf"(?P<name>{CAPWORD}(?:[ \t]+{CAPWORD})?,[ \t]*{CAPWORD}(?:[ \t]+{CAPWORD})?)"
            # a client's note after the name: "Choi, Jae-won (Guest) 10:03"
            r"\"?(?=[ \t]*(?:\((?i:guest|external|she/her|he/him|they/them)\)[ \t]*)?"
            r"(?:<|\d{1,2}:\d{2}|\n|$))",
        ),
        # "On 3 May, Ana Lima <ana@example.org> wrote:"
        "wrote": re.compile(
            rf"(?P<name>{CAPWORD}(?:[ \t]+{CAPWORD}){{1,2}})[ \t]*<[^<>\s]+@[^<>\s]+>[ \t]*wrote:"
        ),
        # "[18:02] Dawit: ...", "03/04/2026, 21:03 - Ioana Popescu: ..."
        "chat-stamped": re.compile(
            rf"(?m)^[ \t>]*{timestamp}(?P<name>{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,2}}):[ \t]"
        ),
        "chat-speaker": re.compile(
            rf"(?m)^[ \t>]*(?P<name>{CAPWORD}(?:[ \t]+{CAPWORD})?):[ \t]+\S"
        ),
        # "drita: dont tell ur mum" (a chat typed in lower case; two turns make it a chat)
        "lower-speaker": re.compile(r"(?m)^[ \t>]*(?P<name>[a-z][a-z'’\-]{2,}):[ \t]+\S"),
        # "Jae-won Choi", "Mei-ling Wong": a romanised given name of two syllables
        "syllable-name": re.compile(
            r"(?<![\w'’\-])(?P<name>[A-Z][a-z]{1,4}-[a-z]{2,5}[ \t]+[A-Z][a-z][\w'’\-]*)"
            r"(?![\w'’\-])"
        ),
        # "said Otieno O. had", "Wahyu W. | Agency": a given name and the surname's initial
        "given-initial": re.compile(
            r"(?<![\w.'’\-])(?P<name>[A-Z][a-z][\w'’\-]+[ \t]+[A-Z])\.(?![\w.])"
            r"(?![ \t]*[A-Z][a-z])"
        ),
        # "Tuan's party": a possessive of a capitalised word inside a sentence
        "possessive-name": re.compile(
            r"(?<![\w'’.])(?<!St )(?<!Saint )(?P<name>[A-Z][a-z][\w\-]+)['’]s\b(?![ \t]+[A-Z])"
        ),
        # "Edit Major, who drives Indira home"
        "name-who": re.compile(rf"(?P<name>{CAPWORD}[ \t]+{CAPWORD}),?[ \t]+who\b"),
        # "The Judges Carvalho, Boateng and Haile", "Co-defendants named: A B, C D and E F"
        "list": re.compile(
            rf"\b(?i:{first_letters(words['list_cues'])}(?:{cues}))(?:[ \t]+named)?[ \t]*:?[ \t]*"
            rf"(?P<name>{item}(?:(?:,[ \t]*|,?[ \t]+and[ \t]+|;[ \t]*){item})+)"
        ),
    }


#: Gates: what every match of these rules holds (case-sensitive parts of their patterns),
#: searched first so most texts skip the rule's slower pattern. Same matches, only sooner.
_FORM_GATES = {
    "title-initial": re.compile(r"[ \t][A-Z]\."),  # "Mrs G."
    "title-initial-sentence": re.compile(r"[ \t][A-Z]\."),
    "appositive": re.compile(r",[ \t]+[A-Z]"),  # "Guardian, Manjit"
    "initials-name": re.compile(r"[A-Z][ \t]*="),  # "SD = "
}


@functools.cache
def _without(words: frozenset[str], less: frozenset[str]) -> frozenset[str]:
    """``words - less``, made once per pair (both live for the process, as for ``union``)."""
    return words - less


def initials_and_forms(text: str, skip: frozenset[str]) -> Iterator[ContextHit]:
    """Initials, peers, "Surname, Given" headers, chat speakers and lists of names."""
    words = lexicon()
    # Where the form itself says "a name goes here" (a header, "who" after two capitalised
    # words), a name that is also a word counts ("From: Major, Forrest", "Edit Major, who").
    strong = union(skip, _LABEL_SET)
    skip = union(strong, words["common_words"], PLACE_WORDS)
    dotted_acronyms = words["dotted_acronyms"]
    patterns = _form_patterns()
    skip_but_names = _without(skip, words["word_names"])
    speaker_skip = union(skip_but_names, STOP_WORD_SET, words["not_names"])
    speakers: dict[str, list[tuple[int, int]]] = {}
    for rule, pattern in patterns.items():
        gate = _FORM_GATES.get(rule)
        if gate is not None and gate.search(text) is None:
            continue
        for m in pattern.finditer(text):
            start, end = m.span("name")
            name = text[start:end]
            if rule == "dotted" and (name.replace(" ", "").lower() + ".") in dotted_acronyms:
                continue
            # After an initial, a surname that is also a word is still a name ("E. Stone").
            surname = name.split()[-1].split(".")[-1].lower()
            if rule == "initial-surname" and surname in skip_but_names:
                continue
            if rule == "syllable-name" and not _name_words_ok(name, strong):
                continue
            if rule == "possessive-name" and (
                name.lower() in union(skip, words["word_names"]) or sentence_start(text, start)
            ):
                continue
            if rule in ("chat-speaker", "lower-speaker"):
                # A chat turn's speaker may be a word that is also a name ("Chance: ...").
                if not any(w.lower() in speaker_skip for w in name.split()):
                    speakers.setdefault(name, []).append((start, end))
                continue
            if rule == "given-initial" and not _given_initial_ok(text, start, name, skip):
                continue
            if rule == "title-initial-sentence" and m.group("next").lower() not in skip:
                continue
            if rule in ("name-initials", "initials-name") and not _own_initials(
                text, m, union(skip, words["organisation_words"])
            ):
                continue
            if rule == "appositive" and any(
                w.lower() in union(skip, words["organisation_words"]) or w.endswith("ing")
                for w in name.split()
            ):  # "The Tribunal Judge, Sitting Alone, found", "Respondent, County Council, said"
                continue
            if rule in ("name-who", "comma-name", "wrote", "chat-stamped") and any(
                w.strip(",").lower() in strong for w in name.split()
            ):
                continue
            if rule == "list":
                yield from _list_items(text, start, end, skip, strong)
                continue
            detector = "context-initials" if rule in ("dotted", "title-initial", "given-initial",
                                                      "title-initial-sentence") else (
                "context-peer" if rule == "peer" else f"context-{rule}")  # fmt: skip
            yield ContextHit(start, end, name, "PERSON", 0.7, detector)
    # A "Name: message" line is a chat turn when the same speaker has two or more turns; a
    # form's labels do not repeat.
    for name, spans in speakers.items():
        if len(spans) >= 2:
            for start, end in spans:
                yield ContextHit(start, end, name, "PERSON", 0.7, "context-chat-speaker")


#: First halves of hyphenated English words ("Follow-up Meeting", "Self-esteem Group").
PREFIXES = frozenset(
    "co re pre non anti self well follow half step ex post mid sub multi inter cross by in "  # noqa: SIM905
    "on up out over under off de e x all one two top low high long short full part long "
    "check sign drop pick set cut lock hand make take log key year after home free day ice "
    "role age risk play catch stand lay hard soft eye ear face time care sat"
    "".split()
)


def _name_words_ok(name: str, skip: frozenset[str]) -> bool:
    first, rest = name.split("-", 1)
    return first.lower() not in PREFIXES and rest.split()[-1].lower() not in skip


def _own_initials(text: str, m: re.Match[str], skip: frozenset[str]) -> bool:
    """The capitals beside a name are its initials, the name is no ordinary words ("Special
    Educational Needs (SEN)"), and it stands where a list or a key puts a name: first on
    its line or after ":", ",", ";" or "|" ("history of Domestic Abuse (DA)" is no one)."""
    words = m.group("name").split()
    initials = "".join(w[0] for w in words)
    if m.group("init") != initials or any(w.lower() in skip for w in words):
        return False
    if m.re.pattern.startswith(r"\b(?P<init>"):
        return True  # "SD = Simran Dhillon": a key
    before = text[text.rfind("\n", 0, m.start()) + 1 : m.start()]
    return not before.strip(" \t>") or before.rstrip()[-1:] in ":,;|"


def _given_initial_ok(text: str, start: int, name: str, skip: frozenset[str]) -> bool:
    """ "Otieno O." is a name when the gazetteer knows the given name, or inside a sentence
    when the word is no ordinary word, label or role ("named Earl S. and", not "Plan B.")."""
    given = name.split()[0]
    if given in gazetteer():
        return True
    ordinary = union(_without(skip, lexicon()["word_names"]), STOP_WORD_SET)
    return given.lower() not in ordinary and not sentence_start(text, start)


_LOWER_WORD_RE = re.compile(r"(?<![\w'’\-])[a-z][a-z'’\-]+")
#: A line, less a chat line's "[time] Speaker: " (the message is what is typed in lower case).
_MESSAGE_RE = re.compile(
    r"(?m)^(?:\[[^\]\n]{1,30}\][ \t]*)?(?P<speaker>[^\W\d_][\w'’\- ]{0,30}:[ \t]+)?"
    r"(?P<body>[^\n]+)"
)


_SLOT_BEFORE = frozenset({"to", "rang", "called", "met", "see"})
_SLOT_AFTER = frozenset({"was", "is", "had", "has", "from", "at"})
_VERB_SET = frozenset(VERBS.split("|"))
_LABEL_SET = frozenset(LABELS)


def lower_case_names(text: str) -> Iterator[ContextHit]:
    """Names typed in lower case, on lines with no capital at all ("eleni said dawit haile
    from the flats started it"): a known given name in a name slot, and the surname after it
    when that is no English word."""
    words = lexicon()
    given = gazetteer()
    before = union(words["name_slot_before"], _SLOT_BEFORE)
    after = union(words["name_slot_after"], _SLOT_AFTER)
    skip = union(words["common_words"], words["word_names"], words["not_names"], STOP_WORD_SET,
                 words["relations"], PLACE_WORDS, before, after, _VERB_SET)  # fmt: skip
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
                    len(pair) == 3
                    # a chat message's first words are a name slot: "otieno: harpreet sandhu is"
                    and ((i and tokens[i - 1].group() in before)
                         or (not i and message.group("speaker")))
                    and _spaced(body, tokens[max(i - 1, 0) : i + 3])
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
    skip = union(words["not_names"], words["role_words"], words["common_words"], FUNCTION_WORDS,
                 PLACE_WORDS, words["organisation_words"], words["relations"])  # fmt: skip
    after, before = _list_patterns()
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


@functools.cache
def _list_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A list's next item after a name, and its item before one."""
    item = rf"{CAPWORD}(?:[ \t]+{CAPWORD}){{0,2}}"
    after = re.compile(rf"(?:,[ \t]*|,?[ \t]+and[ \t]+)(?P<item>{item})(?![\w'’])")
    before = re.compile(rf"(?<![\w'’])(?P<item>{item})(?:,[ \t]*|,?[ \t]+and[ \t]+)$")
    return after, before


def _plain_names(item: str, skip: frozenset[str]) -> bool:
    return all(w.lower() not in skip and not w.isupper() for w in item.split())
