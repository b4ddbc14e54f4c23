"""The leak check converges instead of refusing (rule 18).

What it finds in an output is removed in further passes (at most :data:`SETTLE_PASSES`),
each followed by the check again. What is still there after that comes back as
:class:`~.report.UnsettledFinding` rows at their places (page, boxes, offset), for the DPO to
decide; :mod:`.document` then raises :class:`~.document.NeedsReview` with the written document.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from . import leakcheck
from .formats import docx, email, image, text
from .formats.dispatch import redact_kind
from .formats.pdf.findings import PageFinding, Rect, locate_findings, remove_findings
from .formats.pdf.readback import place_page, readback
from .report import DetectorLike, Outcome, RedactionRecord, UnsettledFinding, record
from .types import Action, Finding, Reason

#: Removal passes over what the leak check finds in an output, each checked again. Every
#: pass removes what the one before found, so more passes only help with text that a
#: removal exposes anew (a name next to a fresh label); two were enough on every file seen.
SETTLE_PASSES = 3


def settle(
    outcome: Outcome,
    kind: str,
    name: str,
    detector: DetectorLike,
    label: str,
    nested: Any,
    title: str | None = None,
) -> list[UnsettledFinding]:
    """Leak-check the output; remove what is found and check again, up to
    :data:`SETTLE_PASSES` times (rule 18). ``outcome`` is updated in place.

    A known third party still present is removed like any other finding. A PDF or text
    output loses exactly the characters found; DOCX, EML and images are redacted once
    more as a whole (their text lives in structures only their module rewrites).
    :returns: what is still found at the end, at its place, for the DPO's review.
    """
    for passes in range(SETTLE_PASSES + 1):
        removed = leakcheck.removed_terms(r.text for r in outcome.records)
        places, leaks = output_leaks(outcome.content, kind, name, detector, label, removed)
        if not leaks or passes == SETTLE_PASSES:
            break
        if kind == "pdf":
            found = [pf for leak in leaks if (pf := _page_finding(places, leak))]
            content, records = remove_findings(outcome.content, name, label, found)
        elif kind == "text":
            content, records = _remove_text_leaks(outcome.content, name, label, leaks)
        else:
            again = redact_kind(kind, outcome.content, name, detector, label, False, title, nested)
            # A rewritten zip or message differs in its bytes even when nothing was removed.
            content = again.content if again.records else outcome.content
            records = again.records
        if content == outcome.content:
            break  # nothing more could be taken out: the rest is for the DPO
        outcome.content = content
        outcome.records += records
    return _unsettled(outcome.content, kind, name, places, leaks, passes)


def _page_finding(places: list[tuple[str, str]], leak: leakcheck.Leak) -> PageFinding | None:
    """A leak in a PDF page's text or links, as the PDF module removes and locates it."""
    if leak.place is None:
        return None
    for links in (False, True):
        page = place_page(leak.where, links=links)
        if page is not None:
            return PageFinding(page, places[leak.place][1], leak.finding, links=links)
    return None


def _remove_text_leaks(
    data: bytes, name: str, label: str, leaks: list[leakcheck.Leak]
) -> tuple[bytes, list[RedactionRecord]]:
    """Take each leak out of its paragraph (the places of a text output are its units)."""
    by_unit: dict[int, list[tuple[int, int]]] = {}
    for leak in leaks:
        if leak.place is not None:
            by_unit.setdefault(leak.place, []).append((leak.finding.start, leak.finding.end))
    parts = []
    for index, (unit, sep) in enumerate(text.split_units(text.decode_text(data))):
        spans = by_unit.get(index)
        parts.append((text.apply_spans(unit, spans, label) if spans else unit) + sep)
    # Offsets are into text already redacted once: None, as for re-check rounds.
    records = [record(leak.finding, name) for leak in leaks if leak.place is not None]
    return "".join(parts).encode("utf-8"), [replace(r, offset=None) for r in records]


def _unsettled(
    data: bytes,
    kind: str,
    name: str,
    places: list[tuple[str, str]],
    leaks: list[leakcheck.Leak],
    passes: int,
) -> list[UnsettledFinding]:
    """Each leak left at the end, at its place (page, boxes, offset) for the DPO."""
    where: dict[int, tuple[tuple[Rect, ...], int | None]] = {}
    if kind == "pdf" and leaks:
        pairs = [(i, pf) for i, leak in enumerate(leaks) if (pf := _page_finding(places, leak))]
        located = locate_findings(data, name, [pf for _, pf in pairs])
        where = {i: loc for (i, _), loc in zip(pairs, located, strict=True)}
    elif kind == "text" and leaks:
        bases, base = [], 0
        for unit, sep in text.split_units(text.decode_text(data)):
            bases.append(base)
            base += len(unit) + len(sep)
        where = {i: ((), bases[leak.place] + leak.finding.start)
                 for i, leak in enumerate(leaks) if leak.place is not None}  # fmt: skip
    after = f"after {passes} removal pass{'es' if passes != 1 else ''}"
    out = []
    for i, leak in enumerate(leaks):
        rects, offset = where.get(i, ((), None))
        out.append(
            UnsettledFinding(
                file=name,
                where=leak.where,
                page=_page_number(leak.where),
                rects=rects,
                offset=offset,
                text=leak.text,
                kind=leak.kind,
                source=leak.source.value,
                why=f"{leak.problem()} {after}",
            )
        )
    return out


def _page_number(where: str) -> int | None:
    index = place_page(where)
    if index is None:
        index = place_page(where, links=True)
    return None if index is None else index + 1


def output_leaks(
    data: bytes,
    kind: str,
    name: str,
    detector: DetectorLike,
    label: str,
    removed: leakcheck.TermIndex | None = None,
) -> tuple[list[tuple[str, str]], list[leakcheck.Leak]]:
    """Read an output back and find what still identifies a third party (rule 18).

    :param removed: what removal took out (see :func:`.leakcheck.find_leaks`).
    :returns: the places read (``(where, text)``; a leak's ``place`` indexes them) and
        the leaks.
    """
    terms = leakcheck.terms_for(detector)
    raw: list[leakcheck.Leak] = []
    if kind == "pdf":
        places, expanded = readback(data, name, label)
        raw = leakcheck.raw_leaks(expanded, terms)
    elif kind == "docx":
        places, blob = docx.readback(data, name)
        raw = leakcheck.raw_leaks(blob, terms)
        places += [
            (f"image {n}", image.readback_text(b)) for n, b in docx.media(data, name).items()
        ]
    elif kind == "eml":
        places = email.readback(data)
    elif kind == "image":
        places = [("image text", image.readback_text(data))]
        raw += _faces_left(data, detector)
    elif kind == "video":
        places = []  # no text; every frame's faces were handled by the tracker
    else:  # every unit, blank ones too, so a leak's place is its unit's index
        places = [("text", unit) for unit, _ in text.split_units(text.decode_text(data))]
    leaks = leakcheck.find_leaks(places, detector, label=label, terms=terms, removed=removed)
    return places, leaks + raw


def _faces_left(data: bytes, detector: DetectorLike) -> list[leakcheck.Leak]:
    """A picture's faces that are not the pupil's, still visible: one leak for them all."""
    left = image.faces_left(data, detector)
    if not left:
        return []
    finding = Finding(0, 0, "", "FACE", 1.0, "face-check", Action.REDACT, Reason.FACE)
    return [leakcheck.Leak("picture", None, "face", leakcheck.LeakSource.DETECTION, finding)]
