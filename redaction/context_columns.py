"""Names in the columns of a pasted export: CSV, tab-separated or "|" tables (issue 9).

MIS and spreadsheet exports are pasted into records as text ("Contact Surname,Contact
Forename,Relationship" above one row per contact). A header cell that names a person's name
("Surname", "Forename", "First name", "Name", "Caller", "Visitor") says what the cells under
it are, so those cells are names whatever they look like; rule 10 (uk-school-sar-rules.md)
removes them when the MIS does not know them (the roster keeps the pupil's and the
requester's). A cell is taken only when it looks like a name: one to four words, each
capitalised or in capitals, no digits; a note in brackets after it is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .context_words import FUNCTION_WORDS, PLACE_WORDS, STOP_WORD_SET, ContextHit, union
from .engine import lexicon

_NAME_HEADER_RE = re.compile(
    r"(?i:^(?:[a-z]+[ _])?(?:surname|forename|forenames|first[ _]?name|last[ _]?name|"
    r"given[ _]?names?|family[ _]?name|full[ _]?name|name|caller|visitor|contact)$)"
)
_CELL_NAME_RE = re.compile(
    r"(?P<name>[A-Z][^\W\d_]*(?:['’\-][^\W\d_]+)*(?:,?[ ][A-Z][^\W\d_]*(?:['’\-][^\W\d_]+)*)"
    r"{0,3})[ ]*(?:\([^()]*\))?[ ]*"
)


def column_names(text: str) -> Iterator[ContextHit]:
    """Cells under a name header, in every block of lines split the same way. Read on the
    text as written: joining wrapped lines would run the rows together."""
    words = lexicon()
    skip = union(words["not_names"], words["common_words"], words["relations"], PLACE_WORDS,
                 FUNCTION_WORDS, STOP_WORD_SET)  # fmt: skip
    lines = list(re.finditer(r"[^\n]+", text))
    for sep in (",", "\t", "|"):
        header: list[bool] | None = None
        for line in lines:
            cells = _cells(line.group(), sep)
            if len(cells) < 3:
                header = None
                continue
            values = [c.strip() for _, c in cells]
            if header is None or len(cells) != len(header):
                named = [bool(_NAME_HEADER_RE.match(v)) for v in values]
                header = named if any(named) else None
                continue
            for (offset, cell), is_name in zip(cells, header, strict=True):
                if is_name:
                    yield from _cell(text, line.start() + offset, cell, skip)


def _cells(line: str, sep: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for part in line.split(sep):
        out.append((pos, part))
        pos += len(part) + 1
    return out


def _cell(text: str, start: int, cell: str, skip: frozenset[str]) -> Iterator[ContextHit]:
    lead = len(cell) - len(cell.lstrip())
    m = _CELL_NAME_RE.fullmatch(cell.strip())
    if m is None:
        return
    name = m.group("name")
    if any(w.strip(",").lower() in skip for w in name.split()):
        return
    begin = start + lead
    yield ContextHit(begin, begin + len(name), name, "PERSON", 0.7, "context-column")
