"""A person's decisions on a document's redactions: the DPO's (or the DSL's) word over the
machine's.

One shape serves the command line (``pupil-privacy redact --decisions DECISIONS.json``) and
the web workbench (which stores each decision as a row and builds these objects from them), so
both call the same removal code (rule 18: every redaction is a real removal; rule 19: every
decision goes into the redaction schedule).

DECISIONS.json::

    {"keep":   [{"text": "Severe", "file": "plan.pdf"}],
     "redact": [{"text": "Edit Major"}],
     "boxes":  [{"file": "letter.pdf", "page": 1, "rect": [72, 60, 300, 90]}],
     "withhold_pages": [{"file": "note.pdf", "page": 2, "reason": "rule-13-serious-harm"}],
     "keep_boxes": [{"file": "class.jpg", "rect": [120, 40, 180, 110]}]}

``file`` is optional on ``keep`` and ``redact`` (all files when absent) and required on
``boxes``, ``withhold_pages`` and ``keep_boxes``. A ``keep_boxes`` entry keeps a face
(issue 13): its ``rect`` is in the picture's own pixels, as a face's schedule row gives its
``box``; ``page`` (default 1) is the page the picture is on in a PDF. ``page`` counts
from 1. A box's ``rect`` is ``[x0, y0, x1, y1]`` in PDF points from the top-left of the page
(pixels for an image). Every entry may carry an
``id`` (the workbench's row id), echoed in the results so a caller can tell which of its
decisions applied where (:class:`.report.DecisionResult`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from pathlib import PurePath
from typing import Any, TypeVar

from .errors import InputError

Rect = tuple[float, float, float, float]


class DecisionKind(StrEnum):
    """The four things a person can decide about a document's redactions."""

    KEEP = "keep"
    REDACT = "redact"
    BOX = "box"
    WITHHOLD_PAGE = "withhold-page"
    KEEP_BOX = "keep-box"


@dataclass(frozen=True)
class Keep:
    """No occurrence of ``text`` is removed by detection (a DPO's "keep", rule 10/11)."""

    text: str
    file: str | None = None
    reason: str = ""
    id: str | None = None  # the caller's own reference, echoed in the results

    kind = DecisionKind.KEEP


@dataclass(frozen=True)
class Redact:
    """Every occurrence of ``text`` is removed, in any case and across line breaks."""

    text: str
    file: str | None = None
    reason: str = ""
    id: str | None = None

    kind = DecisionKind.REDACT


TermT = TypeVar("TermT", Keep, Redact)


@dataclass(frozen=True)
class Box:
    """Everything under ``rect`` on ``page`` of ``file`` is removed: text, pixels, drawings."""

    file: str
    page: int
    rect: Rect
    reason: str = ""
    id: str | None = None

    kind = DecisionKind.BOX


@dataclass(frozen=True)
class WithholdPage:
    """``page`` of ``file`` is replaced by a page that says it was withheld and why."""

    file: str
    page: int
    reason: str
    id: str | None = None

    kind = DecisionKind.WITHHOLD_PAGE


@dataclass(frozen=True)
class KeepBox:
    """A face whose box lies mostly inside ``rect`` is not removed (the DPO marked the
    pupil's face, issue 13). ``rect`` is in the picture's pixels; in a video it applies to
    every frame of a face track that starts inside it."""

    file: str
    rect: Rect
    page: int = 1
    reason: str = ""
    id: str | None = None

    kind = DecisionKind.KEEP_BOX


Decision = Keep | Redact | Box | WithholdPage | KeepBox

#: What a withheld page says in place of its content, per exemption code (rules 13, 14).
#: Only these fixed words reach the output: a reviewer's free-text reason could name
#: the very person the page is withheld to protect, so it goes into the schedule only.
#: Rule 14 pages do not say "child abuse": telling a parent that abuse data exists
#: can tip them off, so they name no exemption (ICO: an exemption need not be
#: disclosed where saying so would prejudice its purpose). No rule numbers: they are ours,
#: for the DPO's views and the schedule, not the family's (issue 12).
WITHHELD_WORDS = {
    "rule-13-serious-harm": "Withheld: serious harm",
    "rule-14-child-abuse": "Withheld under an exemption in data protection law",
    "rule-14-referrer": "Withheld under an exemption in data protection law",
}
WITHHELD_DEFAULT = "Withheld under an exemption in data protection law"


def withheld_words(reason: str) -> str:
    """The words printed on a page withheld for ``reason`` (an exemption code)."""
    return WITHHELD_WORDS.get(reason.strip().lower(), WITHHELD_DEFAULT)


@dataclass(frozen=True)
class Decisions:
    """Every decision for one run (a request, or one CLI call)."""

    keep: tuple[Keep, ...] = ()
    redact: tuple[Redact, ...] = ()
    boxes: tuple[Box, ...] = ()
    withhold_pages: tuple[WithholdPage, ...] = ()
    keep_boxes: tuple[KeepBox, ...] = ()
    #: where each decision came from, for the report: "DECISIONS.json", a user id...
    source: str = field(default="", compare=False)

    def __bool__(self) -> bool:
        return bool(
            self.keep or self.redact or self.boxes or self.withhold_pages or self.keep_boxes
        )

    def every(self) -> tuple[Decision, ...]:
        """Every decision, kind by kind in the order of DECISIONS.json."""
        return (*self.keep, *self.redact, *self.boxes, *self.withhold_pages, *self.keep_boxes)

    def for_file(self, filename: str) -> Decisions:
        """The decisions that apply to ``filename`` (those naming no file apply to all).

        Files are compared by base name: "in/plan.pdf" and "plan.pdf" are the same file.
        """
        name = PurePath(filename).name

        def applies(item: Any) -> bool:
            return item.file is None or PurePath(item.file).name == name

        return Decisions(
            keep=tuple(filter(applies, self.keep)),
            redact=tuple(filter(applies, self.redact)),
            boxes=tuple(filter(applies, self.boxes)),
            withhold_pages=tuple(filter(applies, self.withhold_pages)),
            keep_boxes=tuple(filter(applies, self.keep_boxes)),
            source=self.source,
        )

    @classmethod
    def from_json(cls, data: Mapping[str, Any], source: str = "") -> Decisions:
        """Read the DECISIONS.json shape.

        :raises InputError: naming the entry that is wrong, in plain words.
        """
        if not isinstance(data, Mapping):
            raise InputError("decisions must be a JSON object with keep, redact, boxes ...")
        unknown = set(data) - {"keep", "redact", "boxes", "withhold_pages", "keep_boxes"}
        if unknown:
            raise InputError(f"unknown decision kinds: {', '.join(sorted(unknown))}")
        return cls(
            keep=tuple(_terms(Keep, data.get("keep", ()), "keep")),
            redact=tuple(_terms(Redact, data.get("redact", ()), "redact")),
            boxes=tuple(_boxes(data.get("boxes", ()))),
            withhold_pages=tuple(_pages(data.get("withhold_pages", ()))),
            keep_boxes=tuple(_keep_boxes(data.get("keep_boxes", ()))),
            source=source,
        )

    def to_json(self) -> dict[str, list[dict[str, Any]]]:
        """The DECISIONS.json shape (fields left at their default are left out)."""

        def entry(item: Any) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for f in fields(item):
                value = getattr(item, f.name)
                if value not in (None, ""):
                    out[f.name] = list(value) if f.name == "rect" else value
            return out

        return {
            "keep": [entry(k) for k in self.keep],
            "redact": [entry(r) for r in self.redact],
            "boxes": [entry(b) for b in self.boxes],
            "withhold_pages": [entry(w) for w in self.withhold_pages],
            "keep_boxes": [entry(k) for k in self.keep_boxes],
        }


def _entries(raw: Any, kind: str) -> Iterable[tuple[int, Mapping[str, Any]]]:
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise InputError(f"'{kind}' must be a list")
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, Mapping):
            raise InputError(f"{kind} entry {n} must be an object")
        yield n, item


def _text(item: Mapping[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where}: '{key}' must be non-empty text")
    return value


def _optional(item: Mapping[str, Any], key: str, where: str) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    return _text(item, key, where)


def _page(item: Mapping[str, Any], where: str) -> int:
    page = item.get("page")
    if not isinstance(page, int) or isinstance(page, bool) or page < 1:
        raise InputError(f"{where}: 'page' must be a whole number from 1")
    return page


def _terms(cls: type[TermT], raw: Any, kind: str) -> Iterable[TermT]:
    for n, item in _entries(raw, kind):
        where = f"{kind} entry {n}"
        yield cls(
            text=_text(item, "text", where),
            file=_optional(item, "file", where),
            reason=str(item.get("reason") or ""),
            id=_ref(item, where),
        )


def _ref(item: Mapping[str, Any], where: str) -> str | None:
    value = item.get("id")
    if value is None or isinstance(value, str | int) and not isinstance(value, bool):
        return None if value is None else str(value)
    raise InputError(f"{where}: 'id' must be text or a number")


def _rect(item: Mapping[str, Any], where: str, unit: str) -> Rect:
    rect = item.get("rect")
    if (
        not isinstance(rect, Sequence)
        or len(rect) != 4
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in rect)
    ):
        raise InputError(f"{where}: 'rect' must be [x0, y0, x1, y1] in {unit}")
    x0, y0, x1, y1 = (float(v) for v in rect)
    if x1 <= x0 or y1 <= y0 or min(x0, y0) < 0:
        raise InputError(f"{where}: 'rect' must have x1 > x0 >= 0 and y1 > y0 >= 0")
    return (x0, y0, x1, y1)


def _boxes(raw: Any) -> Iterable[Box]:
    for n, item in _entries(raw, "boxes"):
        where = f"boxes entry {n}"
        yield Box(
            file=_text(item, "file", where),
            page=_page(item, where),
            rect=_rect(item, where, "points"),
            reason=str(item.get("reason") or ""),
            id=_ref(item, where),
        )


def _pages(raw: Any) -> Iterable[WithholdPage]:
    for n, item in _entries(raw, "withhold_pages"):
        where = f"withhold_pages entry {n}"
        yield WithholdPage(
            file=_text(item, "file", where),
            page=_page(item, where),
            reason=_text(item, "reason", where),
            id=_ref(item, where),
        )


def _keep_boxes(raw: Any) -> Iterable[KeepBox]:
    for n, item in _entries(raw, "keep_boxes"):
        where = f"keep_boxes entry {n}"
        yield KeepBox(
            file=_text(item, "file", where),
            rect=_rect(item, where, "the picture's pixels"),
            page=_page(item, where) if "page" in item else 1,
            reason=str(item.get("reason") or ""),
            id=_ref(item, where),
        )
