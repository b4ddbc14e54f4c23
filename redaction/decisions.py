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
     "withhold_pages": [{"file": "note.pdf", "page": 2, "reason": "rule-13-serious-harm"}]}

``file`` is optional on ``keep`` and ``redact`` (all files when absent) and required on
``boxes`` and ``withhold_pages``. ``page`` counts from 1. ``rect`` is ``[x0, y0, x1, y1]`` in
PDF points from the top-left of the page (pixels for an image).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

from .errors import InputError

Rect = tuple[float, float, float, float]


@dataclass(frozen=True)
class Keep:
    """No occurrence of ``text`` is removed by detection (a DPO's "keep", rule 10/11)."""

    text: str
    file: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class Redact:
    """Every occurrence of ``text`` is removed, in any case and across line breaks."""

    text: str
    file: str | None = None
    reason: str = ""


TermT = TypeVar("TermT", Keep, Redact)


@dataclass(frozen=True)
class Box:
    """Everything under ``rect`` on ``page`` of ``file`` is removed: text, pixels, drawings."""

    file: str
    page: int
    rect: Rect
    reason: str = ""


@dataclass(frozen=True)
class WithholdPage:
    """``page`` of ``file`` is replaced by a page that says it was withheld and why."""

    file: str
    page: int
    reason: str


@dataclass(frozen=True)
class Decisions:
    """Every decision for one run (a request, or one CLI call)."""

    keep: tuple[Keep, ...] = ()
    redact: tuple[Redact, ...] = ()
    boxes: tuple[Box, ...] = ()
    withhold_pages: tuple[WithholdPage, ...] = ()
    #: where each decision came from, for the report: "DECISIONS.json", a user id...
    source: str = field(default="", compare=False)

    def __bool__(self) -> bool:
        return bool(self.keep or self.redact or self.boxes or self.withhold_pages)

    def for_file(self, filename: str) -> Decisions:
        """The decisions that apply to ``filename`` (those naming no file apply to all)."""

        def applies(item: Any) -> bool:
            return item.file is None or item.file == filename

        return Decisions(
            keep=tuple(filter(applies, self.keep)),
            redact=tuple(filter(applies, self.redact)),
            boxes=tuple(filter(applies, self.boxes)),
            withhold_pages=tuple(filter(applies, self.withhold_pages)),
            source=self.source,
        )

    @classmethod
    def from_json(cls, data: Mapping[str, Any], source: str = "") -> Decisions:
        """Read the DECISIONS.json shape.

        :raises InputError: naming the entry that is wrong, in plain words.
        """
        if not isinstance(data, Mapping):
            raise InputError("decisions must be a JSON object with keep, redact, boxes ...")
        unknown = set(data) - {"keep", "redact", "boxes", "withhold_pages"}
        if unknown:
            raise InputError(f"unknown decision kinds: {', '.join(sorted(unknown))}")
        return cls(
            keep=tuple(_terms(Keep, data.get("keep", ()), "keep")),
            redact=tuple(_terms(Redact, data.get("redact", ()), "redact")),
            boxes=tuple(_boxes(data.get("boxes", ()))),
            withhold_pages=tuple(_pages(data.get("withhold_pages", ()))),
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
        )


def _boxes(raw: Any) -> Iterable[Box]:
    for n, item in _entries(raw, "boxes"):
        where = f"boxes entry {n}"
        rect = item.get("rect")
        if (
            not isinstance(rect, Sequence)
            or len(rect) != 4
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in rect)
        ):
            raise InputError(f"{where}: 'rect' must be [x0, y0, x1, y1] in points")
        x0, y0, x1, y1 = (float(v) for v in rect)
        if x1 <= x0 or y1 <= y0 or min(x0, y0) < 0:
            raise InputError(f"{where}: 'rect' must have x1 > x0 >= 0 and y1 > y0 >= 0")
        yield Box(
            file=_text(item, "file", where),
            page=_page(item, where),
            rect=(x0, y0, x1, y1),
            reason=str(item.get("reason") or ""),
        )


def _pages(raw: Any) -> Iterable[WithholdPage]:
    for n, item in _entries(raw, "withhold_pages"):
        where = f"withhold_pages entry {n}"
        yield WithholdPage(
            file=_text(item, "file", where),
            page=_page(item, where),
            reason=_text(item, "reason", where),
        )
