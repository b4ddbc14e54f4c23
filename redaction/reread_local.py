"""Re-reading changed text around its changes only, the rest from the first analysis.

Removal only takes words out of a text: a PDF loses the characters (a space or a line
break is left), a text unit gets a label such as ``[Third party]`` in their place. The
re-check rounds and the leak check then read the changed text again without the NER
(:func:`.report.reread`). Most of that text did not change: this module finds the text it
came from among those the detector analysed (by their lines), checks that the new text
is that text with spans removed, and re-analyses only windows around the changed lines;
findings everywhere else are taken from the earlier analysis, offsets mapped.

What a re-read must catch, and why the windows do (rule 18: removal must not leave what
identifies a third party):

- what removal newly exposes sits next to a gap: a title left before it ("Mrs  said"),
  a relation beside it ("her cousin [Third party]"), a list whose other names are now
  read again. The window is each changed line with the whole line before and after it,
  so a sentence wrapped over lines and the line above a letterhead line are read as in
  the whole text;
- a name newly found propagates through the whole text (lone first names, "Mr Jama",
  initials, list neighbours), and a removed party named in full elsewhere changes how
  a shared first name is decided (``present``). So a window that finds anything to
  remove, or an earlier finding to remove outside the windows (a removal that did not
  happen), sends the whole text to the full re-read: every finding to remove is then
  found exactly as before. Among the bench's 1277 re-read texts, 2 found anything to
  remove;
- with nothing to remove anywhere, the rest of the text is what it was: the same words
  beside the same kept people (removal never takes out a kept person, so every party
  that was present still is), so its findings (kept data, passages for review) are the
  earlier ones. Only findings to remove matter in a re-read: the rounds and the leak
  check act on those alone.

A text whose changes cannot be shown to be removals, or whose windows cover most of
it, is re-read in full.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from .types import Action, Finding

#: Lines shorter than this (stripped) do not name the text they came from.
ANCHOR_CHARS = 16
#: Lines read on each side of a changed line.
CONTEXT_LINES = 1
#: A text whose windows hold more than this share of it is re-read whole.
MAX_WINDOW_SHARE = 0.8
#: What removal may leave in place of a span besides white space: a label in brackets.
_LABEL = re.compile(r"\[[^\[\]\n]{1,60}\]")

Analyse = Callable[[str], Sequence[Finding]]


@dataclass(frozen=True)
class _Window:
    start: int  # offset of the window in the new text
    text: str
    core: tuple[int, int]  # the changed lines, offsets into the window


def anchors(text: str) -> list[str]:
    """The lines of ``text`` that name it as the text a changed one came from."""
    return [line for line in text.split("\n") if len(line.strip()) >= ANCHOR_CHARS]


def removed_from(origin: str, text: str) -> bool:
    """``text`` is ``origin`` with spans taken out: its words, labels and white space
    aside, are found in ``origin`` in the same order."""
    return _only_removed(origin, text)


def reread_near(
    text: str, origin: str, earlier: Sequence[Finding], analyse: Analyse
) -> list[Finding] | None:
    """The findings of ``text`` from ``origin``'s (``earlier``) and an analysis of the
    windows around its changed lines, or ``None`` when ``text`` must be read whole (see
    the module docstring)."""
    old, new = origin.split("\n"), text.split("\n")
    old_at, new_at = _starts(old), _starts(new)
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    ops = matcher.get_opcodes()
    changed: set[int] = set()
    moved: list[tuple[int, int, int]] = []  # unchanged origin lines, and their shift
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            moved.append((i1, i2, old_at[i1] - new_at[j1]))
            continue
        before = "\n".join(old[i1:i2])
        after = "\n".join(new[j1:j2])
        if not _only_removed(before, after):
            return None
        # a line taken out whole leaves its neighbours changed
        changed.update(range(j1, j2) if j2 > j1 else (j - 1 for j in (j1, j1 + 1)))
    changed = {j for j in changed if 0 <= j < len(new)}
    if not changed:
        return None
    windows = _windows(new, new_at, sorted(changed))
    if sum(len(w.text) for w in windows) > MAX_WINDOW_SHARE * len(text):
        return None
    kept: list[Finding] = []  # the origin's findings outside the windows' changed lines
    for f in earlier:
        mapped = _mapped(f, moved, old_at)  # None: on a changed line
        if (
            f.action is Action.REDACT
            and f.end > f.start
            and (mapped is not None or not _in_changed(f, ops, old_at))
        ):
            return None  # still there after removal: read whole, decide as before
        if mapped is not None:
            kept.append(mapped)
    found: list[Finding] = []
    for window in windows:
        local = analyse(window.text)
        if any(f.action is Action.REDACT for f in local):
            return None
        lo, hi = window.core
        found += [_shift(f, window.start) for f in local if f.start < hi and lo < f.end]
    found += [f for f in kept if not any(g.start < f.end and f.start < g.end for g in found)]
    return sorted(found, key=lambda f: (f.start, f.end))


def _starts(lines: list[str]) -> list[int]:
    out, pos = [], 0
    for line in lines:
        out.append(pos)
        pos += len(line) + 1
    return [*out, pos]


def _only_removed(before: str, after: str) -> bool:
    """``after`` is ``before`` with spans taken out: its words, labels and white space
    aside, are found in ``before`` in the same order."""
    pos = 0
    for word in _LABEL.sub(" ", after).split():
        pos = before.find(word, pos)
        if pos < 0:
            return False
        pos += len(word)
    return True


def _windows(new: list[str], new_at: list[int], changed: list[int]) -> list[_Window]:
    """Each run of changed lines with :data:`CONTEXT_LINES` lines either side, merged."""
    runs: list[list[int]] = []  # [first line, last line + 1, first core, last core + 1]
    for j in changed:
        lo, hi = max(0, j - CONTEXT_LINES), min(len(new), j + 1 + CONTEXT_LINES)
        if runs and lo <= runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], hi)
            runs[-1][3] = j + 1
        else:
            runs.append([lo, hi, j, j + 1])
    out = []
    for lo, hi, c1, c2 in runs:
        start = new_at[lo]
        text = "\n".join(new[lo:hi])
        core = (new_at[c1] - start, new_at[c2] - 1 - start)
        out.append(_Window(start, text, core))
    return out


def _shift(f: Finding, by: int) -> Finding:
    return replace(f, start=f.start + by, end=f.end + by) if by else f


def _line_of(at: list[int], offset: int) -> int:
    lo, hi = 0, len(at) - 2
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if at[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _mapped(f: Finding, moved: list[tuple[int, int, int]], old_at: list[int]) -> Finding | None:
    """``f`` (offsets into the origin) at its place in the new text, when every line it
    covers is unchanged and moved together; else ``None``."""
    first, last = _line_of(old_at, f.start), _line_of(old_at, max(f.start, f.end - 1))
    for i1, i2, shift in moved:
        if i1 <= first and last < i2:
            return _shift(f, -shift)
    return None


def _in_changed(
    f: Finding, ops: Sequence[tuple[str, int, int, int, int]], old_at: list[int]
) -> bool:
    """``f`` lies in (or across) lines of the origin that changed."""
    first, last = _line_of(old_at, f.start), _line_of(old_at, max(f.start, f.end - 1))
    return any(
        tag != "equal" and i1 <= last and first < max(i2, i1 + 1) for tag, i1, i2, _, _ in ops
    )
