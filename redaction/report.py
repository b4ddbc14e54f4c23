"""The redaction schedule (rule 19): one record per removal, and the JSON report of a run.

The format modules (text, email, DOCX, PDF, image) all return an :class:`Outcome`;
:mod:`.document` turns it into the public ``RedactedDocument``.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from .decisions import Decision, DecisionKind, Rect
from .types import Action, Finding

DEFAULT_LABEL = "Third party"


class DetectorLike(Protocol):
    """What removal needs from :class:`pupil_privacy.redaction.detect.Detector`."""

    def analyse_many(self, texts: Sequence[str]) -> list[list[Finding]]: ...

    def third_party_terms(self) -> list[str]: ...


def reread(detector: DetectorLike, texts: Sequence[str]) -> list[list[Finding]]:
    """Analyse text that removal has changed, without the NER when the detector allows it.

    Every piece of kept text was analysed with the NER, in its full original context,
    before anything was removed; removal only takes words out (a label or a gap in their
    place). So the re-check rounds and the leak check re-read changed text with the
    roster, the identifier recognizers, the context rules and the policy, which is what
    removal can newly expose (a title left before a gap, "her cousin" next to a label),
    and skip the NER, most of the cost. Text that did not change is answered from the
    full analysis (the detector's cache); changed text is read again only around its
    changed lines, the rest answered from the analysis of the text it came from (see
    :mod:`.reread_local` for what a re-read must catch). Where a string removal took out
    is still present, the leak check runs the full detection (see
    :func:`.leakcheck.find_leaks`).
    A detector without the option (a test double) analyses in full.
    """
    many = detector.analyse_many
    try:
        quick = "ner" in inspect.signature(many).parameters
    except (TypeError, ValueError):
        quick = False
    result: list[list[Finding]] = many(texts, ner=False) if quick else many(texts)  # type: ignore[call-arg]
    return result


@dataclass(frozen=True)
class RedactionRecord:
    """One row of the redaction schedule (rule 19).

    ``page`` is 1-based for paged outputs; ``offset`` is a character offset into the
    text unit the finding came from (page text, paragraph, header...), ``None`` when the
    removal was found on a re-check of already redacted text.
    """

    file: str
    page: int | None
    offset: int | None
    text: str
    entity_type: str
    reason: str
    detector: str
    score: float
    action: str  # "redact" or "review" ("keep" for a suggestion a reviewer kept)
    box: tuple[int, int, int, int] | None = None  # a removed face: x0, y0, x1, y1 in pixels
    frames: tuple[int, int] | None = None  # a removed face in video: first and last frame

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# How a finding's action reads in the schedule: kept suggestions say "keep".
_ACTIONS = {Action.REVIEW: Action.REVIEW, Action.KEPT_BY_REVIEWER: Action.KEEP}


def record(
    finding: Finding, file: str, *, page: int | None = None, offset: int | None = None
) -> RedactionRecord:
    """Build a schedule row from a finding; ``offset`` defaults to the finding's start."""
    return RedactionRecord(
        file=file,
        page=page,
        offset=finding.start if offset is None else offset,
        text=finding.text,
        entity_type=finding.entity_type,
        reason=str(finding.reason.value if hasattr(finding.reason, "value") else finding.reason),
        detector=finding.detector,
        score=round(float(finding.score), 3),
        action=_ACTIONS.get(finding.action, Action.REDACT).value,
    )


@dataclass(frozen=True)
class UnsettledFinding:
    """Third-party data the leak check still finds after every removal pass: the document is
    written but held as "needs review" until the DPO decides (issues 8 and 9).

    Shaped for the review workbench, which outlines it at its place on the page.

    :param where: the place as a reader names it: "page 3", "metadata", "text", "file contents".
    :param page: 1-based page of a paged output, else ``None``.
    :param rects: boxes in PDF points from the page's top-left corner (empty when the place
        has no page geometry: text files, metadata, raw file contents).
    :param offset: character offset into the place's text unit (the page's text for PDFs,
        blocks joined by blank lines, as in :class:`RedactionRecord`), else ``None``.
    :param text: what is still there: third-party data, for the DPO only (never logged).
    :param kind: "name", "phone number"... (known terms) or the entity type (detection).
    :param source: which net found it: ``known-term``, ``detection`` or ``file-contents``.
    :param why: in plain English without the data, why it is still there.
    """

    file: str
    where: str
    page: int | None
    rects: tuple[Rect, ...]
    offset: int | None
    text: str
    kind: str
    source: str
    why: str

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rects"] = [list(r) for r in self.rects]
        return data


@dataclass
class Outcome:
    """What a format module produced for one document, before the leak check."""

    content: bytes
    media_type: str
    extension: str  # with the dot: ".pdf"
    records: list[RedactionRecord] = field(default_factory=list)
    review: list[RedactionRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pages: int = 1
    # suggestions a reviewer's "keep" overruled (action "keep", the machine's reason)
    kept: list[RedactionRecord] = field(default_factory=list)
    # boxes and withheld pages, as the format applied them
    decided: list[DecisionResult] = field(default_factory=list)
    # a still image's removed regions (pixels from its top-left: faces, boxes, words) and
    # what each says ("" for the label), labelled where the image is placed on a page
    regions: list[tuple[tuple[float, float, float, float], str]] = field(default_factory=list)

    def absorb(self, other: Outcome) -> None:
        """Take over a nested document's schedule rows and warnings (an attachment)."""
        self.records.extend(other.records)
        self.review.extend(other.review)
        self.warnings.extend(other.warnings)
        self.kept.extend(other.kept)


def file_entry(
    source: str,
    *,
    output: str | None,
    status: str,
    reason: str | None = None,
    code: str | None = None,
    warnings: Iterable[str] = (),
    records: Sequence[RedactionRecord] = (),
    review: Sequence[RedactionRecord] = (),
    pages: int | None = None,
    kept: Sequence[RedactionRecord] = (),
    decisions: Sequence[DecisionResult] = (),
    unsettled: Sequence[UnsettledFinding] = (),
) -> dict[str, Any]:
    """One file's entry in REPORT.json.

    :param kept: suggestions a reviewer kept; :param decisions: every reviewer decision
        for this file, applied (with places) or not (with why).
    """
    return {
        "file": source,
        "output": output,
        "status": status,
        "reason": reason,
        "error": code,
        "pages": pages,
        "warnings": list(warnings),
        "redactions": [r.to_dict() for r in records],
        "review": [r.to_dict() for r in review],
        "kept": [r.to_dict() for r in kept],
        "decisions_applied": [d.to_dict() for d in decisions if d.applied],
        "decisions_unmatched": [d.to_dict() for d in decisions if not d.applied],
        "unsettled": [u.to_dict() for u in unsettled],
    }


def build_report(
    entries: Sequence[dict[str, Any]],
    *,
    policy: str,
    ocr: bool,
    unmatched: Sequence[DecisionResult] = (),
) -> dict[str, Any]:
    """The whole REPORT.json: per-file entries plus a flat list of every redaction.

    :param unmatched: reviewer decisions that matched nothing in any file of the run.
    """
    return {
        "policy": policy,
        "ocr_available": ocr,
        "ok": all(e["status"] == "ok" for e in entries),
        "files": list(entries),
        "redactions": [r for e in entries for r in e["redactions"]],
        "review": [r for e in entries for r in e["review"]],
        "decisions_applied": [
            {"file": e["file"], **d} for e in entries for d in e.get("decisions_applied", ())
        ],
        "decisions_unmatched": [d.to_dict() for d in unmatched],
        "unsettled": [u for e in entries for u in e["unsettled"]],
    }


def dumps(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class DecisionPlace:
    """Where a decision took effect.

    :param page: 1-based page (PDF, or the PDF rendering), ``None`` for unpaged outputs.
    :param offset: character offset into the text unit, as in :class:`RedactionRecord`;
        ``None`` for boxes, withheld pages and spans found on a re-check.
    :param text: the text kept or removed (for a box: the text that was under it).
    :param rect: for a box, the rectangle removed (points from the page's top-left;
        pixels on images).
    :param detector: for a keep, the detector whose suggestion was overruled; otherwise
        ``"reviewer"``.
    :param reason: for a keep, the reason code the machine would have removed it under;
        otherwise the reviewer's reason code.
    """

    file: str
    page: int | None
    offset: int | None
    text: str
    rect: Rect | None = None
    detector: str = "reviewer"
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["rect"] = list(self.rect) if self.rect else None
        return data


@dataclass(frozen=True)
class DecisionResult:
    """One decision on one document: where it applied, or why it matched nothing.

    ``note`` is the schedule's wording (rule 19): "kept: the pupil's own data",
    "redacted by reviewer", "box drawn by reviewer", "page withheld: rule-13-serious-harm";
    for a decision that matched nothing, why ("no occurrence of the text").
    """

    decision: Decision
    places: tuple[DecisionPlace, ...]
    note: str

    @property
    def kind(self) -> DecisionKind:
        return self.decision.kind

    @property
    def applied(self) -> bool:
        return bool(self.places)

    def to_dict(self) -> dict[str, Any]:
        decision = asdict(self.decision)
        if "rect" in decision:
            decision["rect"] = list(decision["rect"])
        return {
            "kind": self.kind.value,
            "decision": {k: v for k, v in decision.items() if v not in (None, "")},
            "applied": self.applied,
            "note": self.note,
            "places": [p.to_dict() for p in self.places],
        }
