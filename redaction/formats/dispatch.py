"""One removal pass over a document, by kind: the format module that redacts it, and the
PDF rendering of what is not a PDF (the pack assembles PDFs).
"""

from __future__ import annotations

from typing import Any

from ..decisions import Decisions
from ..report import DEFAULT_LABEL, DetectorLike, Outcome
from . import docx, email, image, text, video
from .pdf.compose import render_image_pdf
from .pdf.redact import redact_pdf


def redact_kind(
    kind: str,
    data: bytes,
    name: str,
    detector: DetectorLike,
    label: str,
    as_pdf: bool,
    title: str | None,
    nested: Any,
    decisions: Decisions | None = None,
) -> Outcome:
    """Redact by kind; boxes and withheld pages apply to PDFs and images (first pass only:
    later passes over an output leave ``decisions`` out)."""
    decisions = decisions or Decisions()
    if kind == "pdf":
        return pdf_pass(data, name, detector, label, title, nested, decisions)
    if kind == "docx":
        return docx.redact_docx(data, name, detector, label, as_pdf=as_pdf, title=title)
    if kind == "eml":
        return email.redact_eml(data, name, detector, label, nested, as_pdf=as_pdf, title=title)
    if kind == "image":
        return image.redact_image(
            data, name, detector, label, boxes=decisions.boxes, withhold=decisions.withhold_pages
        )
    if kind == "video":
        return video.redact_video(data, name, detector)
    return text.redact_text(data, name, detector, label, rounds=1 if as_pdf else text.MAX_ROUNDS)


def redact_laid_out_pdf(
    outcome: Outcome,
    name: str,
    detector: DetectorLike,
    label: str,
    title: str | None,
    nested: Any,
    decisions: Decisions | None = None,
) -> None:
    """Redact a PDF we laid out ourselves once more, as a PDF.

    Laying text out re-flows it, and detection sees the new lines differently (a word
    at the start of a line may now look like a name). The leak check reads the PDF, so
    the last removal pass reads it too; its blocks are then cache hits for the check.
    A reviewer's boxes and withheld pages apply here, to the pages of the laid-out PDF.
    """
    again = pdf_pass(
        outcome.content, name, detector, label, title, nested, decisions or Decisions()
    )
    outcome.content = again.content
    # passages to review and kept suggestions were found on the first pass
    outcome.records += again.records
    outcome.decided += again.decided
    outcome.warnings += [w for w in again.warnings if w not in outcome.warnings]


def pdf_pass(
    data: bytes,
    name: str,
    detector: DetectorLike,
    label: str,
    title: str | None,
    nested: Any,
    decisions: Decisions,
) -> Outcome:
    """One removal pass over a PDF, with the reviewer's boxes and withheld pages."""
    return redact_pdf(
        data,
        name,
        detector,
        label,
        lambda d, n: nested(d, n, False),
        title=title,
        boxes=decisions.boxes,
        withhold=decisions.withhold_pages,
    )


def to_pdf(
    kind: str, outcome: Outcome, name: str, title: str | None, label: str = DEFAULT_LABEL
) -> Outcome:
    if kind == "image":
        outcome.content = render_image_pdf(outcome.content, title, outcome.regions, label)
    else:
        outcome.content = text.render_pdf([("", text.decode_text(outcome.content))], title=title)
    outcome.media_type, outcome.extension = "application/pdf", ".pdf"
    return outcome
