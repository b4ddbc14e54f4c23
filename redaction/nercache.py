"""The NER run once per paragraph: repeated text is not read by spaCy again.

A pupil's file repeats itself: running headers and footers, signatures, and email threads
that quote every earlier message, often laid out again with other line breaks. The NER
reads each text (already unwrapped, see :func:`.context.unwrap`) paragraph by paragraph,
without quote markers ("> ", "> > "), and remembers each paragraph's entities (a bounded
cache per detector). So a quoted message is the same paragraphs as the message it quotes,
and is answered from their first reading. Offsets are mapped back to the text as given.

Quote markers are not words: without them a quoted line reads as its message did
("Dear Ms O'Connor," rather than "> Dear Ms O'Connor"), as email bodies are already read
(:mod:`.formats.email`). A paragraph alone reads as it does in its text but at its edges:
on the labelled development sets (``scripts/eval_redaction.py --skip-pdf``) one name read
as an organisation above the next paragraph ("Continuation of statement of Chance
Wells", then "Page 2 of 2") is read as a person alone, and removed; nothing else changed.
The bench's 300 redacted pages read the same as before, quoted replies included.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable

from .context import unwrap
from .engine import Spans

#: Paragraphs whose entities are remembered (least recently used dropped first).
CACHE_SIZE = 8192
_QUOTE = re.compile(r"^(?:[ \t]*>)+[ \t]?", re.MULTILINE)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")

Ner = Callable[[list[str]], list[Spans]]


class NerCache:
    """Entities per paragraph, for one detector (see the module docstring)."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._spans: OrderedDict[str, Spans] = OrderedDict()

    def spans(self, texts: list[str], ner: Ner) -> list[Spans]:
        """Entities of each text (offsets into it; read unwrapped, as :func:`.context.unwrap`
        gives it), with ``ner`` run over the paragraphs not read before, in one batch."""
        plans = [_plan(text) for text in texts]
        every = (piece for _, pieces in plans for _, piece in pieces)
        todo = list(dict.fromkeys(p for p in every if p not in self._spans))
        found = dict(zip(todo, ner(todo), strict=True)) if todo else {}
        out: list[Spans] = []
        for shifts, pieces in plans:
            spans: Spans = []
            for offset, piece in pieces:
                local = found.get(piece)
                if local is None:
                    local = self._spans[piece]
                    self._spans.move_to_end(piece)
                else:
                    self._remember(piece, local)
                spans += [
                    (_back(shifts, offset + s), _back(shifts, offset + e - 1) + 1, label)
                    for s, e, label in local
                ]
            out.append(spans)
        return out

    def _remember(self, piece: str, spans: Spans) -> None:
        self._spans[piece] = spans
        while len(self._spans) > self.size:
            self._spans.popitem(last=False)


def _plan(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, str]]]:
    """``text`` without quote markers, as its paragraphs with their offsets, and where each
    line starts in it with the characters taken out before that line.

    Paragraphs end at blank lines, and where a quote opens after its attribution line
    ("On 2 May, Mrs Nasser wrote:"), so the quote's first paragraph reads as in its message.
    """
    shifts: list[tuple[int, int]] = []
    cuts: list[tuple[int, int]] = []
    if _QUOTE.search(text):
        lines: list[str] = []
        pos = taken = depth = 0
        for line in text.split("\n"):
            marker = _QUOTE.match(line)
            cut = marker.end() if marker else 0
            deeper = marker.group().count(">") if marker else 0
            if deeper > depth and lines and lines[-1].rstrip().endswith(":"):
                cuts.append((pos - taken - 1, pos - taken))
            depth = deeper
            shifts.append((pos - taken, taken + cut))
            lines.append(line[cut:])
            pos += len(line) + 1
            taken += cut
        text = "\n".join(lines)
    text = unwrap(text)  # same length: wrapped lines joined as the detector reads them
    cuts += [brk.span() for brk in _PARAGRAPH_BREAK.finditer(text)]
    pieces, start = [], 0
    for cut_start, cut_end in [*sorted(cuts), (len(text), len(text))]:
        if cut_start >= start and text[start:cut_start].strip():
            pieces.append((start, text[start:cut_start]))
        start = max(start, cut_end)
    return shifts, pieces


def _back(shifts: list[tuple[int, int]], offset: int) -> int:
    """An offset into the text without markers, as an offset into the text as given."""
    if not shifts:
        return offset
    line = bisect_right(shifts, (offset, float("inf"))) - 1
    return offset + shifts[max(line, 0)][1]
