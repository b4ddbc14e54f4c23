"""The review workbench's school and worker runs: Amy Okafor's records plus a letter the
machine gets partly wrong (a missed name, two passages it can only flag, a signature drawn in
vector strokes, the pupil's own allergy), built into a pack by a real ``SimpleWorker`` burst
with a spaCy-free detector that flags the two passages as identifying context (rule 10)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pymupdf
from flask import Flask
from flask.testing import FlaskClient
from support.detector import LiteralDetector, LiteralRedactor
from support.school import school

from pupil_privacy.plugin import runtime_for
from pupil_privacy.redaction.document import NeedsReview
from pupil_privacy.redaction.report import UnsettledFinding
from pupil_privacy.redaction.types import Action, Finding, Reason
from pupil_privacy.worker.mis import InMemoryMIS, MISRecord, RecordCategory

#: Passages only a person can judge: they identify someone without naming them (rule 10).
FLAGGED = ("who drives the blue taxi", "lives above the chip shop")
#: A third party's name the roster does not know, so the machine misses it.
MISSED = "Edit Major"
#: The pupil's own data the machine wrongly treats as a third party's (issue 8).
OWN_DATA = "Severe peanut allergy"
#: Where the signature is drawn on the letter, in points from the page's top-left.
SIGNATURE = (72.0, 400.0, 260.0, 450.0)
LETTER = "Letter home"


def letter_pdf() -> bytes:
    """A one-page letter with text and a signature drawn as vector strokes (no text in it)."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_textbox(
        pymupdf.Rect(60, 60, 540, 380),
        "Dear Mrs Okafor,\n"
        f"Amy has a {OWN_DATA} and carries her own pen.\n"
        f"Jake Smith's dad, who drives the blue taxi, collects both girls.\n"
        f"{MISSED} from the office will call you about the trip.\n"
        "Yours sincerely,",
        fontsize=11,
    )
    x0, y0, x1, y1 = SIGNATURE
    shape = page.new_shape()
    shape.draw_bezier((x0 + 5, y1 - 10), (x0 + 60, y0), (x0 + 120, y1), (x1 - 5, y0 + 10))
    shape.draw_line((x0 + 10, y1 - 5), (x1 - 10, y1 - 5))
    shape.finish(color=(0, 0, 0.4), width=2)
    shape.commit()
    page.insert_text((72, 480), "Head of Year 5", fontsize=11)
    data = doc.tobytes()
    doc.close()
    return bytes(data)


def review_school() -> InMemoryMIS:
    """The shared school, with Amy's letter and a report holding the second flagged passage."""
    mis = school()
    day = dt.date(2026, 9, 20)
    data = letter_pdf()
    mis.add_record(
        "p-amy",
        MISRecord(
            "amy-letter",
            RecordCategory.DOCUMENTS,
            LETTER,
            day,
            source="Letters",
            filename="letter.pdf",
            size=len(data),
        ),
        data,
    )
    mis.add_record(
        "p-amy",
        MISRecord(
            "amy-note",
            RecordCategory.BEHAVIOUR,
            "Playground note",
            day,
            source="Behaviour log",
            text=f"Amy Okafor and a boy who lives above the chip shop fell out. {OWN_DATA} noted.",
        ),
    )
    return mis


#: A third party only the leak check knows (detection misses them): a record whose output
#: still names them is held for review at the name's place, as ``redact_document``'s own
#: check holds what it cannot settle (rule 18, issue 8).
UNRESOLVED = "Zed Quill"


class FlaggingDetector(LiteralDetector):
    """The literal roster detector, plus: the pupil's allergy wrongly removed as a third
    party's (a keep to decide) and the :data:`FLAGGED` passages flagged for review."""

    def _find(self, text: str) -> list[Finding]:
        found = super()._find(text)
        lowered = text.lower()
        for phrase, action, reason in [
            *((p, Action.REVIEW, Reason.IDENTIFYING_CONTEXT) for p in FLAGGED),
            (OWN_DATA, Action.REDACT, Reason.THIRD_PARTY),
        ]:
            start = lowered.find(phrase.lower())
            while start >= 0:
                end = start + len(phrase)
                if not any(f.start < end and start < f.end for f in found):
                    detector = "context" if action is Action.REVIEW else "ner"
                    found.append(
                        Finding(
                            start, end, text[start:end], "CONTEXT", 0.6, detector, action, reason
                        )
                    )
                start = lowered.find(phrase.lower(), end)
        return sorted(found, key=lambda f: f.start)


class FlaggingRedactor(LiteralRedactor):
    """:class:`FlaggingDetector` with the real removal (and the reviewers' decisions), and a
    leak check that also knows :data:`UNRESOLVED`."""

    def detector(self, subject: Any, roster: Any, model: str | None) -> FlaggingDetector:
        return FlaggingDetector(subject, list(roster))

    def redact(
        self, data: bytes, filename: str, detector: Any, *, max_bytes: int, decisions: Any = None
    ) -> Any:
        result = super().redact(data, filename, detector, max_bytes=max_bytes, decisions=decisions)
        unsettled = _unresolved_on_pages(result.content, filename)
        if unsettled:
            # As the engine's own check holds a copy it cannot settle: the copy so far, with
            # each finding at its place (PDF points from the top-left), for the DPO.
            raise NeedsReview(
                f"{filename}: the redacted output still holds third-party data the leak check "
                "could not settle, so it was not released; it needs the DPO's review: page 1: "
                "a known third party's name is still present",
                dataclasses.replace(result, unsettled=unsettled),
            )
        return result


def _unresolved_on_pages(data: bytes, filename: str) -> list[UnsettledFinding]:
    found = []
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        for number, page in enumerate(pdf, start=1):
            rects = tuple(tuple(r) for r in page.search_for(UNRESOLVED))
            found += [
                UnsettledFinding(
                    file=filename,
                    where=f"page {number}",
                    page=number,
                    rects=(rect,),  # type: ignore[arg-type]
                    offset=page.get_text().find(UNRESOLVED),
                    text=UNRESOLVED,
                    kind="name",
                    source="known-term",
                    why="a known third party's name is still present after 3 removal passes",
                )
                for rect in rects
            ]
    return found


def run_worker(app: Flask) -> None:
    """Run every queued job in a real ``SimpleWorker`` burst (the spaCy-free detector)."""
    from pupil_privacy.worker.runner import make_worker

    runtime = runtime_for(app)
    runtime.settings = dataclasses.replace(
        runtime.settings, redactor=FlaggingRedactor(), retry_intervals=(0,), lease_seconds=1.5
    )
    with app.app_context():
        make_worker(runtime, simple=True).work(burst=True, with_scheduler=False)
        runtime.session.remove()


def build(app: Flask, request_id: int) -> None:
    """Collect, redact and assemble the request's pack with the real worker."""
    from pupil_privacy.worker import queueing

    with app.app_context():
        queueing.enqueue_request(request_id)
    run_worker(app)


def add_minutes(app: Flask) -> None:
    """Add a meeting note naming :data:`UNRESOLVED`, which the leak check refuses."""
    runtime_for(app).mis.add_record(  # type: ignore[attr-defined]
        "p-amy",
        MISRecord(
            "amy-minutes",
            RecordCategory.BEHAVIOUR,
            "Meeting minutes",
            dt.date(2026, 9, 21),
            source="Behaviour log",
            text=f"Amy Okafor met {UNRESOLVED} from the youth club about the trip.",
        ),
    )


SignIn = Callable[[str], FlaskClient]
