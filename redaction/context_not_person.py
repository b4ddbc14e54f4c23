"""Never a person: field labels, letterheads, organisations' names and contact details.

A capitalised word can be a label ("Dyslexia: use cream paper"), the first word of the next
line, part of a firm's name ("Hollis Pike & Co") or a word that is also a name with nothing
around it saying it is a person ("Year 2 led Grace before lunch"); an address or a phone
number under an organisation's name is the organisation's, not a person's. The detector asks
these before it removes a guessed name or contact detail.
"""

from __future__ import annotations

import functools
import re

from spacy.lang.en.stop_words import STOP_WORDS

from .context_words import VERBS
from .engine import lexicon


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
    first = re.sub(r"['’]s$", "", text[start:end].split()[0])
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
    right under an organisation's name, or a role's mailbox at an organisation's domain
    ("office@school.example"). Never a contact inside a sentence otherwise."""
    if _role_mailbox(text[start:end]):
        return True
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


def _role_mailbox(value: str) -> bool:
    """An address that names a role, not a person, at a domain that is not webmail."""
    local, at, domain = value.lower().partition("@")
    words = lexicon()
    return bool(at) and local in words["role_mailboxes"] and domain not in words["freemail_domains"]


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
        or (after and (after[0] in words["name_slot_after"] or re.fullmatch(VERBS, after[0])))
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
    return bool(_org_word_re().search(before))


@functools.cache
def _org_word_re() -> re.Pattern[str]:
    words = sorted(lexicon()["organisation_words"], key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(re.escape(w) for w in words)})\b")
