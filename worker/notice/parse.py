"""Reading a school's privacy notice: sections, lists and the facts the lint and the letter use.

Notices arrive in every shape schools publish them in: headings as plain lines, Markdown
``#`` or ``**bold**`` lines, numbered ``1.`` headings, Title Case lines; bullets as ``-``,
``*``, ``•`` or numbers; paragraphs hard-wrapped. The parser works on line shapes, never on
this school's wording, so the same code reads another school's notice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class NoticeSection:
    """One headed section. ``body`` and ``bullets`` keep inline Markdown (links, emphasis) so
    the notice page can render links; use :func:`plain` for the bare text."""

    heading: str
    body: str
    bullets: tuple[str, ...]


@dataclass(frozen=True)
class ParsedNotice:
    """What a privacy notice says, as far as a machine can tell. Lists are plain text."""

    controller: str | None
    dpo_name: str | None
    dpo_contact: str | None
    sections: tuple[NoticeSection, ...]
    categories: tuple[str, ...]
    purposes: tuple[str, ...]
    legal_bases: tuple[str, ...]
    recipients: tuple[str, ...]
    retention: str | None
    rights: tuple[str, ...]
    complaints: str | None

    def section(self, keyword: str) -> NoticeSection | None:
        """The first section whose heading contains ``keyword`` (case-insensitive)."""
        wanted = keyword.casefold()
        return next((s for s in self.sections if wanted in s.heading.casefold()), None)


# --- text normalisation -------------------------------------------------------------------

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_SPACES = str.maketrans({"\u00a0": " ", "\t": " ", "\u2009": " ", "\u202f": " "})
_MD_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
_ANGLE_URL = re.compile(r"<((?:https?://|mailto:)[^>\s]+)>")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def normalise(text: str) -> str:
    """Curly quotes to straight, odd spaces to plain ones, line endings to ``\\n``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    return text.translate(_QUOTES).translate(_SPACES)


def plain(text: str) -> str:
    """Inline Markdown removed: ``[text](url)`` becomes ``text``, emphasis markers go."""
    text = _MD_LINK.sub(lambda m: m.group(1), text)
    text = _ANGLE_URL.sub(lambda m: m.group(1), text)
    return _EMPHASIS.sub(lambda m: m.group(2), text).strip()


# --- line shapes --------------------------------------------------------------------------

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(.+?)\1\s*:?\s*$")
_NUMBERED = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})*)([.)]?)\s+(\S.*)$")
_BULLET = re.compile(
    # \uf0b7 and \uf0a7 are Word's Symbol/Wingdings bullets, kept when a notice is pasted
    r"^\s*(?:[-*+\u2022\u00b7\u25aa\u25cf\u2013\u2014o\uf0b7\uf0a7]|\([a-z0-9]{1,3}\)|[a-z][.)])"
    r"\s+(\S.*)$"
)
_HEADING_MAX_WORDS = 12
_HEADING_MAX_CHARS = 80


@dataclass
class Block:
    """A paragraph (``items`` empty) or a bullet list (``text`` is the lead-in paragraph)."""

    text: str
    items: list[str] = field(default_factory=list)

    @property
    def is_list(self) -> bool:
        return bool(self.items)


@dataclass
class RawSection:
    heading: str
    blocks: list[Block] = field(default_factory=list)


def _is_short_title(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= _HEADING_MAX_WORDS
        and len(line) <= _HEADING_MAX_CHARS
        and not re.search(r"[.,;:]$", line)
        and re.search(r"[A-Za-z]", line) is not None
    )


def _classify(lines: list[str]) -> list[tuple[str, str]]:
    """Tag each line ``blank``, ``heading``, ``bullet`` or ``text`` (value: its content)."""
    shapes: list[tuple[str, str]] = []
    for i, raw in enumerate(lines):
        line = raw.strip()
        prev_blank = i == 0 or not lines[i - 1].strip()
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if not line:
            shapes.append(("blank", ""))
        elif m := _MD_HEADING.match(line):
            shapes.append(("heading", plain(m.group(1))))
        elif m := _BOLD_LINE.match(line):
            shapes.append(("heading", m.group(2).strip()))
        elif m := _NUMBERED.match(line):
            shapes.append(_numbered_shape(lines, i, m))
        elif m := _BULLET.match(raw):
            shapes.append(("bullet", m.group(1).strip()))
        elif _plain_heading(line, prev_blank, nxt):
            shapes.append(("heading", plain(line)))
        else:
            shapes.append(("text", line))
    return _title_fragments(shapes)


def _title_fragments(shapes: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A title set over several lines ("Privacy Notice" / "for" / "Parents/Carers") leaves
    one-word lines between headings: they belong to the title, not to a section's body."""
    kinds = [k for k, _ in shapes]
    out = list(shapes)
    for i, (kind, value) in enumerate(shapes):
        if kind != "text" or len(value.split()) > 3 or re.search(r"[.,;:]$", value):
            continue
        before = next((k for k in reversed(kinds[:i]) if k != "blank"), None)
        after = next((k for k in kinds[i + 1 :] if k != "blank"), None)
        if before == "heading" and after == "heading":
            out[i] = ("heading", value)
    return out


def _plain_heading(line: str, prev_blank: bool, nxt: str) -> bool:
    """A short line standing alone that does not read as a sentence. A lower-case next line
    means a hard-wrapped paragraph; Title Case or capitals make a heading even without the
    blank line before it (text pasted from a PDF loses its blank lines)."""
    if not _is_short_title(line) or line[0].islower() or line.startswith(("(", "[", "<")):
        return False
    if nxt and nxt[0].islower():
        return False
    if re.search(r"\d{4,}|@|https?://", line):
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w'/-]*", line) if len(w) > 3]
    title_case = bool(words) and all(w[0].isupper() for w in words)
    return prev_blank or title_case or line.isupper()


def _numbered_shape(lines: list[str], i: int, m: re.Match[str]) -> tuple[str, str]:
    """``1. Who we are`` standing alone is a heading; numbered lines next to each other are a
    list."""
    content = m.group(3).strip()
    number = m.group(1)
    in_list = False
    if "." not in number:  # "2.1 Retention" is always a sub-heading
        n = int(number)
        for step in (-1, +1):
            other = _NUMBERED.match(_neighbour(lines, i, step) or "")
            # consecutive numbers in the same style make a list; "3. Why we use it" over a
            # "1. To support learning" list is still a heading
            if other and other.group(1) == str(n + step) and other.group(2) == m.group(2):
                in_list = True
    if not in_list and _is_short_title(plain(content)) and content[0].isupper():
        return ("heading", plain(content))
    return ("bullet", content)


def _neighbour(lines: list[str], i: int, step: int) -> str | None:
    j = i + step
    while 0 <= j < len(lines) and not lines[j].strip():
        j += step
    return lines[j].strip() if 0 <= j < len(lines) else None


def parse_sections(text: str) -> list[RawSection]:
    """The notice as headed sections of blocks; text before the first heading is a section
    with an empty heading. Sections with no content (title lines, parent headings) go."""
    shapes = _classify(normalise(text).split("\n"))
    sections = [RawSection("")]
    last_kind = "blank"
    for kind, value in shapes:
        current = sections[-1]
        if kind == "heading":
            sections.append(RawSection(value))
        elif kind == "bullet":
            _add_bullet(current, value, last_kind)
        elif kind == "text":
            _add_text(current, value, last_kind)
        if kind != "blank" or last_kind not in ("bullet", "bullet-gap"):
            last_kind = kind
        else:
            last_kind = "bullet-gap"  # a blank line inside a list does not end it
    return [s for s in sections if s.blocks]


def _add_bullet(section: RawSection, value: str, last_kind: str) -> None:
    blocks = section.blocks
    if last_kind in ("bullet", "bullet-gap") and blocks and blocks[-1].is_list:
        blocks[-1].items.append(value)
    elif blocks and not blocks[-1].is_list and last_kind == "text" and blocks[-1].text:
        blocks[-1].items.append(value)  # the paragraph just above is the list's lead-in
    elif blocks and not blocks[-1].is_list and blocks[-1].text.rstrip().endswith(":"):
        blocks[-1].items.append(value)
    else:
        blocks.append(Block("", [value]))


def _add_text(section: RawSection, value: str, last_kind: str) -> None:
    blocks = section.blocks
    if last_kind == "bullet" and blocks and blocks[-1].is_list and value[0].islower():
        blocks[-1].items[-1] += " " + value  # a wrapped bullet
    elif last_kind == "text" and blocks and not blocks[-1].is_list:
        blocks[-1].text += " " + value  # a hard-wrapped paragraph
    else:
        blocks.append(Block(value))


def to_section(raw: RawSection) -> NoticeSection:
    paragraphs = [b.text for b in raw.blocks if b.text]
    bullets = tuple(item for b in raw.blocks for item in b.items)
    return NoticeSection(heading=raw.heading, body="\n\n".join(paragraphs), bullets=bullets)


# --- extraction ---------------------------------------------------------------------------

# Headings that name each part of a notice, across the wordings schools use (DfE model
# notice, IRMS/Judicium templates, council templates).
_HEADINGS = {
    "categories": r"(data|information) (that )?we (hold|collect|process)|categor|what (personal )?"
    r"(data|information)|types of (data|information)|personal data we",
    "purposes": r"why (do )?we|purpose|how (do )?we use|use (of )?(this|your|the|pupil)",
    "legal_bases": r"lawful|legal bas[ie]s|legal grounds|\bbasis",
    "recipients": r"\bshar|recipient|disclos|who (we|do we) (give|pass)",
    "retention": r"\bstor|\bretain|\bretention|\bkeep|how long",
    "rights": r"\bright|access to|subject access|access request",
    "complaints": r"complain|concern",
    "contact": r"contact",
}


# A heading about the lawful basis often also says "use this information": it is not the
# purposes section.
_NOT_PART = {"purposes": "legal_bases"}


def find_sections(sections: Sequence[RawSection], part: str) -> list[RawSection]:
    """The sections whose headings say they are about ``part`` (a key of ``_HEADINGS``)."""
    pattern = re.compile(_HEADINGS[part], re.IGNORECASE)
    other = _NOT_PART.get(part)
    exclude = re.compile(_HEADINGS[other], re.IGNORECASE) if other else None
    return [
        s
        for s in sections
        if pattern.search(s.heading) and not (exclude and exclude.search(s.heading))
    ]


def list_items(
    sections: Sequence[RawSection], lead: str | None = None, *, markup: bool = False
) -> tuple[str, ...]:
    """Bullets of the given sections, optionally only lists whose lead-in matches ``lead``;
    plain text unless ``markup`` (the letter screens the raw text for placeholders)."""
    out: list[str] = []
    for section in sections:
        for block in section.blocks:
            if block.items and (lead is None or re.search(lead, block.text, re.IGNORECASE)):
                out.extend(item if markup else plain(item) for item in block.items)
    return tuple(dict.fromkeys(out))


def _inline_list(sections: Sequence[RawSection]) -> tuple[str, ...]:
    """A list written as a sentence ("We collect names, addresses and ..."): notices without
    bullets still name their categories, purposes and recipients."""
    lead = r"\b(?:includes?|including|such as|are|collect|hold|process|to|with)\b[:\s]+(.+)"
    for section in sections:
        for block in section.blocks:
            for sentence in split_sentences(plain(block.text)):
                m = re.search(lead, sentence)
                listed = m.group(1) if m else ""
                if listed.count(",") >= 2 or (listed.count(",") == 1 and " and " in listed):
                    parts = re.split(r",\s*|\s+and\s+|;\s*", listed.rstrip("."))
                    parts = [re.sub(r"^(?:and|or)\s+", "", p.strip()) for p in parts]
                    return tuple(p for p in parts if len(p) > 2)
    return ()


def _section_text(sections: Sequence[RawSection]) -> str | None:
    parts = [plain(b.text) for s in sections for b in s.blocks if b.text]
    parts += [plain(i) for s in sections for b in s.blocks for i in b.items]
    return " ".join(parts) or None


_NAME_WORD = r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?"
# "Mrs J Shock" (a title makes initials and a lone surname enough) or "Jane Smith".
PERSON_NAME = re.compile(
    rf"(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+(?:[A-Z]\.?\s+){{0,2}}{_NAME_WORD}(?:\s+{_NAME_WORD})?"
    rf"|{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}}"
)
_NOT_NAME_WORDS = {
    "the", "our", "data", "protection", "officer", "service", "services", "house", "school",
    "trust", "council", "academy", "partnership", "ltd", "limited", "county", "park", "road",
    "street", "office", "information", "commissioner", "department", "education", "team",
    "business", "learning", "federation", "governors", "contact", "please", "email",
    "telephone", "tel", "phone", "address", "dear", "privacy", "notice", "head", "teacher",
    "st", "saint", "college", "primary", "secondary", "nursery", "diocese", "borough",
}  # fmt: skip
_DPO = r"(?i:data protection officer|DPO)"  # names stay case-sensitive around it


def looks_like_person(name: str) -> bool:
    words = re.findall(r"[A-Za-z]+", name)
    return len(words) >= 2 and not any(w.lower() in _NOT_NAME_WORDS for w in words)


def dpo_name_mentions(text: str, sections: Sequence[RawSection]) -> list[str]:
    """Every person's name the notice gives for its DPO, in order of appearance."""
    flat = plain(normalise(text))
    patterns = [
        rf"{_DPO}s?(?:\s*\(DPO\))?\s*(?:is|are|:|-)\s*:?\s*(?P<n>{PERSON_NAME.pattern})",
        rf"(?P<n>{PERSON_NAME.pattern})\s*(?:,|\(|-)\s*(?i:our|the|who is our)?\s*{_DPO}",
    ]
    found: list[tuple[int, str]] = []
    for pattern in patterns:
        for m in re.finditer(pattern, flat):
            name = _trim_name(m.group("n"))
            if name:
                found.append((m.start("n"), name))
    found.sort()
    names = [n for _, n in found] + _contact_names(sections)
    return list(dict.fromkeys(names))


def _trim_name(candidate: str) -> str | None:
    """Cut a regex-matched name back to its capitalised person-name words."""
    m = PERSON_NAME.match(candidate)
    if m is None:
        return None
    words = m.group(0).split()
    while words and words[-1].lower() in _NOT_NAME_WORDS:
        words.pop()
    name = " ".join(words)
    return name if looks_like_person(name) else None


def _contact_names(sections: Sequence[RawSection]) -> list[str]:
    """The person named at the start of a contact entry ("Jane Smith, School Office, ...")."""
    names = []
    for block in (b for s in find_sections(sections, "contact") for b in s.blocks):
        for entry in block.items or [block.text]:
            head = re.split(r"[,\n(]| - | \u2013 ", plain(entry), maxsplit=1)[0].strip()
            name = _trim_name(head) if PERSON_NAME.fullmatch(head) else None
            if name:
                names.append(name)
    return names


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
UK_PHONE = re.compile(r"(?<![\d])(?:\+44\s?|0)(?:\d[\s-]?){9,10}(?!\d)")


def _dpo_contact(sections: Sequence[RawSection], text: str) -> str | None:
    """The contact entry that holds an email address or phone number, preferring the
    ``Contact`` section, else any sentence about the DPO that has one."""
    for block in (b for s in find_sections(sections, "contact") for b in s.blocks):
        for entry in [*block.items, block.text]:
            if EMAIL.search(entry) or UK_PHONE.search(entry):
                return plain(entry)
    for sentence in split_sentences(plain(normalise(text))):
        if re.search(_DPO, sentence, re.IGNORECASE) and EMAIL.search(sentence):
            return sentence
    return None


_CONTROLLER = [
    r"(?:We,?\s+)?(?P<n>[A-Z][^,.\n]{2,90}?)\s*,?\s+(?:is|are)\s+(?:the\s+)?['\"]?data\s+controller",
    r"data\s+controller\s+(?:for [^,.]{0,60}\s+)?(?:is|:)\s+(?P<n>[A-Z][^,.\n(]{2,90})",
]


def _controller(text: str) -> str | None:
    # "X (address, phone) is the data controller": the brackets would stop the name
    flat = re.sub(r"\s*\([^)]*\)", "", plain(normalise(text)))
    for pattern in _CONTROLLER:
        for m in re.finditer(pattern, flat):
            name = re.sub(r"\s*\([^)]*\)", "", m.group("n")).strip(" '\"")
            name = re.sub(r"^(?:We|we)\s*,\s*", "", name)
            if name.lower() not in ("we", "the school", "the trust", "us", "it") and name:
                return name
    return None


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph; good enough for notices (no abbreviations with a full stop
    followed by a capital in the wordings that matter)."""
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[\"'(A-Z0-9])", text) if s.strip()]


def _rights(sections: Sequence[RawSection]) -> tuple[str, ...]:
    """Rights as the notice states them: lists introduced by "right(s)" and sentences that
    grant one ("have the right to ..."), from the sections headed about rights."""
    rights_sections = find_sections(sections, "rights")
    stated = [
        sentence
        for s in rights_sections
        for b in s.blocks
        for sentence in split_sentences(plain(b.text))
        if re.search(r"\bright (?:to|of|for)\b", sentence, re.IGNORECASE)
        and not sentence.endswith(":")  # the lead-in of the list that follows
    ]
    return tuple(dict.fromkeys([*stated, *list_items(rights_sections, lead=r"\bright")]))


def _sentences(sections: Sequence[RawSection]) -> tuple[str, ...]:
    return tuple(x for s in sections for b in s.blocks for x in split_sentences(plain(b.text)))


def _complaint_sentences(sections: Sequence[RawSection]) -> str | None:
    """Where a notice has no complaints section, its sentences about complaining."""
    found = [
        x
        for x in _sentences(sections)
        if re.search(r"complain|concern|Information Commissioner|\bICO\b", x)
    ]
    return " ".join(found) or None


def parse_notice(text: str) -> ParsedNotice:
    """Read a privacy notice into its parts.

    :param text: the notice as plain text or Markdown.
    """
    raw = parse_sections(text)
    categories = list_items(find_sections(raw, "categories")) or _inline_list(
        find_sections(raw, "categories")
    )
    names = dpo_name_mentions(text, raw)
    return ParsedNotice(
        controller=_controller(text),
        dpo_name=names[0] if names else None,
        dpo_contact=_dpo_contact(raw, text),
        sections=tuple(to_section(s) for s in raw),
        categories=categories,
        purposes=list_items(find_sections(raw, "purposes"))
        or _inline_list(find_sections(raw, "purposes")),
        legal_bases=list_items(find_sections(raw, "legal_bases"))
        or _sentences(find_sections(raw, "legal_bases")),
        recipients=list_items(find_sections(raw, "recipients"))
        or _inline_list(find_sections(raw, "recipients")),
        retention=_section_text(find_sections(raw, "retention")),
        rights=_rights(raw),
        complaints=_section_text(find_sections(raw, "complaints")) or _complaint_sentences(raw),
    )
