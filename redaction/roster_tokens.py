"""Which runs of words in a text may be a known person's name or address.

The roster matches names on word tokens (:func:`word_tokens`), never one regex per name.
These rules say when a run of tokens counts: name tokens are separated by white space only,
a lone token that is also a word needs a capital and a likely position, a one-letter token is
an initial only before a capitalised word, a note typed without capitals has name slots, and
an address goes on over the town and postcode that follow it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .engine import lexicon
from .recognizers.postcode import POSTCODE_REGEX
from .roster_identity import Entry, Kind, fold

TOKEN_RE = re.compile(r"[^\W_]+(?:['’‘`\-‐‑][^\W_]+)*")
POSTCODE_RE = re.compile(POSTCODE_REGEX, re.IGNORECASE)
_STREET_ABBREVIATIONS = {
    "road": "rd", "street": "st", "avenue": "ave", "lane": "ln", "drive": "dr",
    "crescent": "cres", "court": "ct", "place": "pl", "gardens": "gdns", "square": "sq",
}  # fmt: skip
_SENTENCE_OPENERS = frozenset(
    "you we i they he she it the a an to that this there be not all your our".split()  # noqa: SIM905
)


@dataclass(slots=True)
class Token:
    start: int
    end: int
    raw: str
    norm: str
    bare_end: int  # end without a possessive 's
    bare: str


INITIALS_RE = re.compile(
    r"(?<![\w.])(?:[A-Z]\.[ ]?[A-Z]\.(?:[ ]?[A-Z]\.)?|[A-Z]\.[A-Z](?![\w.])|[A-Z]{2,3})(?![\w])"
)


def initial_ok(text: str, tokens: list[Token], i: int) -> bool:
    """A one-letter token starts a name only as a capital initial before a capitalised
    word: "J. Smith", "J Smith"; never "a smith" or "I Smith"."""
    token = tokens[i]
    if not token.raw.isupper() or i + 1 >= len(tokens):
        return False
    gap = text[token.end : tokens[i + 1].start]
    if token.raw == "I" and not gap.startswith("."):
        return False  # "I Smith" is not a name; "I. Smith" is
    return tokens[i + 1].raw[:1].isupper() and bool(re.fullmatch(r"\.?[ \t]*", gap))


def word_tokens(text: str) -> list[Token]:
    out = []
    for m in TOKEN_RE.finditer(text):
        raw = m.group()
        norm = fold(raw)
        bare, bare_end = norm, m.end()
        if len(norm) > 3 and norm.endswith("'s"):
            bare, bare_end = norm[:-2], m.end() - 2
        out.append(Token(m.start(), m.end(), raw, norm, bare_end, bare))
    return out


def run_key(run: list[Token], possessive: bool) -> str:
    last = run[-1].bare if possessive else run[-1].norm
    return " ".join([t.norm for t in run[:-1]] + [last])


def gaps_ok(text: str, run: list[Token], kind: Kind) -> bool:
    """Name tokens are separated by white space only; addresses also by commas and dots."""
    pattern = r"[\s,.]+" if kind is Kind.ADDRESS else r"\s+|,\s*"
    for left, right in zip(run, run[1:], strict=False):
        gap = text[left.end : right.start]
        if len(left.raw) == 1 and kind is Kind.FULL_NAME and re.fullmatch(r"\.[ \t]*", gap):
            continue  # "J. Smith"
        if not re.fullmatch(pattern, gap):
            return False
        if "," in gap and kind is not Kind.FULL_NAME and kind is not Kind.ADDRESS:
            return False
    return True


def single_token_ok(text: str, tokens: list[Token], i: int, entry: Entry, lower_note: bool) -> bool:
    """A lone name token: words that are also names need a capital and a likely position.

    In a lower-case typed note ("said mark and omar left"), such a word counts as a name only
    in a name slot: right after "said", "and", "with"..., or right before "and", "said"...
    """
    token = tokens[i]
    word = token.bare
    capitalised = token.raw[:1].isupper()
    words = lexicon()
    if entry.kind is Kind.ADDRESS:
        return False
    if entry.kind is Kind.SURNAME:
        # A surname alone only when written as a name (Gollan, GOLLAN), never an ordinary word.
        return capitalised and word not in words["word_names"] and len(word) >= 3
    if len(word) <= 2 or word in words["word_names"]:
        if not capitalised:
            return (
                lower_note
                and len(word) > 2
                and (_in_name_slot(tokens, i) or _chat_speaker(text, token))
            )
        nxt = tokens[i + 1].norm if i + 1 < len(tokens) else ""
        return not (_sentence_start(text, token.start) and nxt in _SENTENCE_OPENERS)
    return True


def _in_name_slot(tokens: list[Token], i: int) -> bool:
    words = lexicon()
    before = tokens[i - 1].norm if i > 0 else ""
    after = tokens[i + 1].norm if i + 1 < len(tokens) else ""
    return before in words["name_slot_before"] or after in words["name_slot_after"]


def _chat_speaker(text: str, token: Token) -> bool:
    """The token opens its line and a colon follows: a chat turn's speaker ("earl: ok")."""
    line_start = text.rfind("\n", 0, token.start) + 1
    opens_line = not text[line_start : token.start].strip(" \t>")
    return opens_line and text[token.end : token.end + 1] == ":"


def is_lower_note(tokens: list[Token]) -> bool:
    """A note typed without capitals: hardly any word starts with one."""
    words = [t.raw for t in tokens if t.raw[:1].isalpha() and not t.raw.isupper()]
    if len(words) < 8:
        return False
    return sum(w[:1].isupper() for w in words) < 0.05 * len(words)


_PLACE_WORD = r"[A-Z][\w'’\-]*"
_TAIL_PART_RE = re.compile(
    rf"(?:,[ \t]*|[ \t]*\n[ \t]*|[ \t]+)"
    rf"(?:{POSTCODE_REGEX}|{_PLACE_WORD}(?:[ \t]+{_PLACE_WORD}){{0,2}})"
)


def address_tail(text: str, end: int) -> int:
    """Extend an address over the town and postcode that follow it (", Otley, LS21 1AA").

    A following line counts only when it is short and all capitalised words (an address
    block), so "12 Mill Lane\nStaff were told" never swallows the next sentence.
    """
    for _ in range(3):
        m = _TAIL_PART_RE.match(text, end)
        if m is None:
            break
        part = m.group()
        if "," not in part and "\n" not in part and not POSTCODE_RE.fullmatch(part.strip()):
            break
        if "\n" in part:
            line_end = text.find("\n", m.end())
            rest = text[m.end() : len(text) if line_end == -1 else line_end]
            if rest.strip(" ,") or len(part.strip()) > 30:
                break
        end = m.end()
    return end


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'(“‘")
    return not before or before[-1] in ".!?:\n"


def main_kind(entries: list[Entry]) -> Kind:
    kinds = {e.kind for e in entries}
    for kind in (Kind.FULL_NAME, Kind.ADDRESS, Kind.FIRST_NAME, Kind.SURNAME):
        if kind in kinds:
            return kind
    return entries[0].kind


def street_variants(tokens: list[str]) -> list[list[str]]:
    variants = [tokens]
    for i, token in enumerate(tokens):
        for long, short in _STREET_ABBREVIATIONS.items():
            swap = {long: short, short: long}.get(token)
            if swap:
                variants.append(tokens[:i] + [swap] + tokens[i + 1 :])
    return variants
