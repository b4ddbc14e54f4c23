"""The NER run once per sentence, not once per text (issue 9's speed).

A pupil's file says the same things again and again: every reply in an email thread
quotes the messages before it, letters are written from the same paragraphs, headers and
footers repeat on every page, and a record copied into three reports is three texts. The
NER is most of the cost of reading a text, so it runs on each distinct sentence once per
detector and every other occurrence reuses its entities (offsets moved to where it is).

Sentences are cut where a reader would cut them, and never inside a name:
- at a real line break (the text reaching here has had its wrapped lines joined,
  :func:`.context.unwrap`, so what is left is a field, a heading, a list item...);
- after ``.``, ``!`` or ``?`` followed by a space and a capital letter, a digit or an
  opening quote or bracket, except after a title ("Mr.", "Dr.") or an initial ("J."),
  where the next word is the rest of a name.
The NER's window is a few words either side, so a sentence read alone gives the entities
it gives in its text; ``scripts/eval_redaction.py`` compares the two.

A request's documents say the same things to each other too (a reply in one file quotes a
letter in another), but each document is redacted in its own job, by a fresh detector in a
freshly forked work horse. A :class:`SentenceStore` carries the sentences' entities from one
document to the next: the worker keeps one per request in Redis
(:mod:`pupil_privacy.worker.nerstore`; the offline pack needs none, its one detector reads
every file). What a store answers is what the NER gave for that sentence alone, so
a sentence's entities are the same whichever document read it first.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

Spans = list[tuple[int, int, str]]

#: Entries kept per detector: bounded, so memory stays flat on a long file.
CACHE_SIZE = 50_000

_BREAK_RE = re.compile(r"\n|(?<=[.!?])[ \t]+(?=[\"'“‘(\[]?[A-Z0-9])")
#: The word before a full stop that does not end a sentence: a title or an initial.
_NOT_AN_END_RE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Rev|Revd|St|Sr|Jr|Cllr|Hon|Sgt|Insp|PC|DC|"
    r"No|Nos|Ref|approx|e\.g|i\.e|etc|vs?)|\b[A-Z])\.$"
)


#: What opens a line without being part of its sentence: indentation and the quote
#: markers of an email reply ("> ", ">> "), so a quoted message reads as the original.
_LEAD_RE = re.compile(r"(?:[ \t]*>)*[ \t]*")


def sentences(text: str) -> list[tuple[int, str]]:
    """``text`` cut into sentences, with their offsets; blank pieces are left out."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in _BREAK_RE.finditer(text):
        if m.group() != "\n" and _NOT_AN_END_RE.search(text, max(0, m.start() - 8), m.start()):
            continue
        _add(out, text, start, m.start())
        start = m.end()
    _add(out, text, start, len(text))
    return out


def _add(out: list[tuple[int, str]], text: str, start: int, end: int) -> None:
    lead = _LEAD_RE.match(text, start, end)
    start = lead.end() if lead else start
    if text[start:end].strip():
        out.append((start, text[start:end]))


class SentenceStore(Protocol):
    """The NER's entities per sentence, kept beyond one detector (one model's, one request's).

    Both methods must not raise for a store that is unavailable: a store is a shortcut, and
    the NER reads whatever it does not answer.
    """

    def get_many(self, sentences: Sequence[str]) -> dict[str, Spans]:
        """The entities of those ``sentences`` the store knows (offsets the sentence's)."""
        ...

    def put_many(self, found: Mapping[str, Spans]) -> None:
        """Keep the entities the NER found in these sentences."""
        ...


def cached_spans(
    texts: Sequence[str],
    run: Callable[[list[str]], list[Spans]],
    cache: OrderedDict[str, Spans],
    store: SentenceStore | None = None,
) -> list[Spans]:
    """The NER's entities for each text: each distinct sentence in neither ``cache`` nor
    ``store`` goes through ``run`` (one batch) and into both; offsets are the text's."""
    pieces = [sentences(text) for text in texts]
    todo = list(dict.fromkeys(s for found in pieces for _, s in found if s not in cache))
    shared = store.get_many(todo) if store is not None and todo else {}
    todo = [s for s in todo if s not in shared]
    fresh = dict(zip(todo, run(todo), strict=True)) if todo else {}
    if store is not None and fresh:
        store.put_many(fresh)
    fresh.update(shared)
    out: list[Spans] = []
    for found in pieces:
        spans: Spans = []
        for offset, sentence in found:
            if sentence in fresh:
                known = fresh[sentence]
            else:
                known = cache[sentence]
                cache.move_to_end(sentence)
            spans.extend((offset + s, offset + e, label) for s, e, label in known)
        out.append(spans)
    cache.update(fresh)
    while len(cache) > CACHE_SIZE:
        cache.popitem(last=False)
    return out
