"""One entry point for every document type: dispatch, limits, the leak check, atomic writes.

``redact_document`` never returns a document that fails the leak check (rule 18): it
raises :class:`LeakCheckFailed` naming the kinds of identifiers that leaked, not the
data. Output formats with ``as_pdf=False``: PDF -> PDF, text/Markdown/CSV -> the same,
EML -> a minimal redacted EML, DOCX -> DOCX, PNG/JPEG -> the same format. With
``as_pdf=True`` (what the pack assembles) every output is a PDF.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import leakcheck, limits
from .decided import decided_detector, term_results
from .decisions import Decisions
from .errors import (
    CorruptDocument,
    DocumentError,
    DocumentTooLarge,
    LeakCheckFailed,
    UnsupportedDocument,
)
from .files import write_atomic
from .formats import docx, email, image, pdf, text
from .report import (
    DEFAULT_LABEL,
    DecisionPlace,
    DecisionResult,
    DetectorLike,
    Outcome,
    RedactionRecord,
)

__all__ = [
    "DecisionPlace",
    "DecisionResult",
    "Decisions",
    "RedactedDocument",
    "RedactionRecord",
    "redact_document",
    "redact_file",
]

KINDS = {
    ".txt": "text",
    ".md": "text",
    ".csv": "text",
    ".eml": "eml",
    ".docx": "docx",
    ".pdf": "pdf",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
}
_OFFICE_HINT = {
    ".doc": "an old Word (.doc) file; save it as .docx or PDF",
    ".xls": "a spreadsheet; export it as PDF or CSV",
    ".xlsx": "a spreadsheet; export it as PDF or CSV",
    ".ppt": "a presentation; export it as PDF",
    ".pptx": "a presentation; export it as PDF",
    ".msg": "an Outlook .msg file; save the email as .eml",
}
# Attachments inside attachments inside...: deeper than this is refused, not followed.
MAX_DEPTH = 5
MAX_BYTES = 50 * 1024 * 1024
Nested = tuple[bytes, str, Outcome]


class OutputError(DocumentError):
    """The redacted output could not be written (a full disk, a missing permission)."""

    code = "output-error"


@dataclass
class RedactedDocument:
    """A redacted document that passed the leak check."""

    filename: str  # the output name: same stem, extension of the output format
    content: bytes
    media_type: str
    records: list[RedactionRecord]  # every removal
    review: list[RedactionRecord]  # passages flagged for the DPO (identifying context)
    warnings: list[str]  # shown to the DPO, e.g. that OCR was unavailable
    pages: int
    # suggestions a reviewer's "keep" overruled: schedule rows with action "keep"
    kept: list[RedactionRecord] = field(default_factory=list)
    # each reviewer decision naming this file (or no file) that took effect, with its places
    decisions_applied: list[DecisionResult] = field(default_factory=list)
    # each that matched nothing here, with the reason in ``note``
    decisions_unmatched: list[DecisionResult] = field(default_factory=list)


def sniff(data: bytes, filename: str) -> str:
    """The document kind, from the extension, checked against the bytes."""
    ext = Path(filename).suffix.lower()
    if ext in _OFFICE_HINT:
        raise UnsupportedDocument(f"{filename} is {_OFFICE_HINT[ext]}")
    kind = KINDS.get(ext)
    if kind is None:
        supported = ", ".join(sorted(KINDS))
        raise UnsupportedDocument(
            f"{filename}: {ext or 'files without an extension'} not supported ({supported})"
        )
    head = data[:1024]
    if kind == "pdf" and b"%PDF-" not in head:
        raise CorruptDocument(f"{filename} is not a PDF (no PDF header)")
    if kind == "docx" and not head.startswith((b"PK", docx.CFB_MAGIC)):
        raise CorruptDocument(f"{filename} is not a Word .docx file")
    if kind == "image" and not head.startswith((b"\x89PNG", b"\xff\xd8\xff")):
        raise CorruptDocument(f"{filename} is not a PNG or JPEG image")
    # UTF-16 text is half zero bytes; anything else with zeros in it is not text.
    binary = b"\x00" in data[:8192]
    if kind == "text" and binary and text.text_encoding(data) is None:
        raise CorruptDocument(f"{filename} holds binary data, not text")
    if kind == "eml" and binary:
        raise CorruptDocument(f"{filename} holds binary data, not an email")
    return kind


def resolve_label(detector: DetectorLike, label: str | None) -> str:
    policy = getattr(detector, "policy", None)
    return label or getattr(policy, "label", None) or DEFAULT_LABEL


def redact_document(
    data: bytes,
    filename: str,
    detector: DetectorLike,
    *,
    as_pdf: bool = False,
    title: str | None = None,
    max_bytes: int = MAX_BYTES,
    label: str | None = None,
    decisions: Decisions | None = None,
) -> RedactedDocument:
    """Redact one document and leak-check the output.

    :param label: text on each redaction box; defaults to the policy's label.
    :param decisions: a reviewer's decisions (keep, redact, boxes, withheld pages); those
        naming this ``filename`` (by its base name) or no file apply. Always give the
        original document: decisions are applied in the same pass as detection, never to
        an already redacted copy. The result lists each as applied (with its places) or
        unmatched (with why).
    :raises DocumentError: a subclass with a plain-English ``reason`` (corrupt,
        encrypted, unsupported, too large, over its time budget, or the leak check failed).
    """
    label = resolve_label(detector, label)
    mine = (decisions or Decisions()).for_file(Path(filename).name)
    # keep and redact act through detection (and so through the leak check); boxes and
    # withheld pages through the format that has pages
    used = decided_detector(detector, mine, label)
    with limits.budget(Path(filename).name or "document"):
        return _redact(
            data, filename, used, as_pdf, title, max_bytes, label, depth=0, decisions=mine
        )


def _redact(
    data: bytes,
    filename: str,
    detector: DetectorLike,
    as_pdf: bool,
    title: str | None,
    max_bytes: int,
    label: str,
    depth: int,
    decisions: Decisions | None = None,
) -> RedactedDocument:
    name = Path(filename).name or "document"
    decisions = decisions or Decisions()
    if len(data) > max_bytes:
        raise DocumentTooLarge(
            f"{name} is {len(data) / 2**20:.1f} MB, over the {max_bytes / 2**20:.0f} MB limit"
        )
    if depth > MAX_DEPTH:
        raise UnsupportedDocument(f"{name} is nested more than {MAX_DEPTH} attachments deep")
    kind = sniff(data, name)

    def nested(
        inner: bytes, inner_name: str, inner_pdf: bool = False
    ) -> tuple[bytes, str, Outcome]:
        doc = _redact(inner, inner_name, detector, inner_pdf, None, max_bytes, label, depth + 1)
        outcome = Outcome(doc.content, doc.media_type, "", doc.records, doc.review, doc.warnings)
        outcome.kept = doc.kept
        return doc.content, doc.filename, outcome

    outcome = _dispatch(kind, data, name, detector, label, as_pdf, title, nested, decisions)
    if as_pdf and outcome.extension != ".pdf":
        outcome = _to_pdf(kind, outcome, name, title)
    if kind != "pdf" and outcome.extension == ".pdf":
        # the reviewer's boxes and pages of a laid-out document are those of this PDF
        paged = decisions if kind != "image" else Decisions()
        _settle(outcome, name, detector, label, title, nested, paged)
    out_kind = "pdf" if outcome.extension == ".pdf" else kind
    if out_kind == "pdf":
        outcome.pages = pdf.page_count(outcome.content)
    limits.check_time()
    removed = leakcheck.removed_terms(r.text for r in outcome.records)
    problems = check_output(outcome.content, out_kind, name, detector, label, removed)
    if problems:
        raise LeakCheckFailed(
            f"{name}: the redacted output still holds third-party data, so it was not "
            f"released: {'; '.join(problems[:6])}"
        )
    suffix = outcome.extension or Path(name).suffix
    applied, unmatched = decision_results(decisions, outcome, suffix)
    return RedactedDocument(
        filename=Path(name).stem + suffix,
        content=outcome.content,
        media_type=outcome.media_type,
        records=outcome.records,
        review=outcome.review,
        warnings=outcome.warnings,
        pages=outcome.pages,
        kept=outcome.kept,
        decisions_applied=applied,
        decisions_unmatched=unmatched,
    )


def decision_results(
    decisions: Decisions, outcome: Outcome, suffix: str
) -> tuple[list[DecisionResult], list[DecisionResult]]:
    """Every decision for this document, split into applied and unmatched, in
    DECISIONS.json order. A box or withheld page the format did not handle was for an
    output without pages."""
    done = {id(r.decision): r for r in outcome.decided}
    terms = {id(r.decision): r for r in term_results(decisions, outcome.records, outcome.kept)}
    no_pages = (
        f"boxes and withheld pages apply to PDF and image documents and to their PDF "
        f"rendering; this {suffix or 'text'} output has no pages"
    )
    results = [
        terms.get(id(d)) or done.get(id(d)) or DecisionResult(d, (), no_pages)
        for d in decisions.every()
    ]
    return [r for r in results if r.applied], [r for r in results if not r.applied]


def _dispatch(
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
        return _pdf_pass(data, name, detector, label, title, nested, decisions)
    if kind == "docx":
        return docx.redact_docx(data, name, detector, label, as_pdf=as_pdf, title=title)
    if kind == "eml":
        return email.redact_eml(data, name, detector, label, nested, as_pdf=as_pdf, title=title)
    if kind == "image":
        return image.redact_image(
            data, name, detector, label, boxes=decisions.boxes, withhold=decisions.withhold_pages
        )
    return text.redact_text(data, name, detector, label, rounds=1 if as_pdf else text.MAX_ROUNDS)


def _settle(
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
    again = _pdf_pass(
        outcome.content, name, detector, label, title, nested, decisions or Decisions()
    )
    outcome.content = again.content
    # passages to review and kept suggestions were found on the first pass
    outcome.records += again.records
    outcome.decided += again.decided
    outcome.warnings += [w for w in again.warnings if w not in outcome.warnings]


def _pdf_pass(
    data: bytes,
    name: str,
    detector: DetectorLike,
    label: str,
    title: str | None,
    nested: Any,
    decisions: Decisions,
) -> Outcome:
    """One removal pass over a PDF, with the reviewer's boxes and withheld pages."""
    return pdf.redact_pdf(
        data,
        name,
        detector,
        label,
        lambda d, n: nested(d, n, False),
        title=title,
        boxes=decisions.boxes,
        withhold=decisions.withhold_pages,
    )


def _to_pdf(kind: str, outcome: Outcome, name: str, title: str | None) -> Outcome:
    if kind == "image":
        outcome.content = pdf.render_image_pdf(outcome.content, title=title)
    else:
        outcome.content = text.render_pdf([("", text.decode_text(outcome.content))], title=title)
    outcome.media_type, outcome.extension = "application/pdf", ".pdf"
    return outcome


def check_output(
    data: bytes,
    kind: str,
    name: str,
    detector: DetectorLike,
    label: str,
    removed: leakcheck.TermIndex | None = None,
) -> list[str]:
    """Read an output back and list what still identifies a third party (rule 18).

    :param removed: what removal took out (see :func:`.leakcheck.check_texts`).
    """
    terms = leakcheck.terms_for(detector)
    raw_hits: list[str] = []
    if kind == "pdf":
        places, expanded = pdf.readback(data, name)
        raw_hits = leakcheck.raw_term_hits(expanded, terms)
    elif kind == "docx":
        places, blob = docx.readback(data, name)
        raw_hits = leakcheck.raw_term_hits(blob, terms)
        places += [
            (f"image {n}", image.readback_text(b)) for n, b in docx.media(data, name).items()
        ]
    elif kind == "eml":
        places = email.readback(data)
    elif kind == "image":
        places = [("image text", image.readback_text(data))]
    else:
        places = [("text", unit) for unit, _ in text.split_units(text.decode_text(data))]
    places = [p for p in places if p[1].strip()]
    problems = leakcheck.check_texts(places, detector, label=label, terms=terms, removed=removed)
    problems += [f"file contents: a known third party's {hit} is still present" for hit in raw_hits]
    return list(dict.fromkeys(problems))  # one line per place and kind


def redact_file(path: Path, out_dir: Path, detector: DetectorLike, **kw: Any) -> RedactedDocument:
    """Redact ``path`` into ``out_dir`` (same stem). The output appears whole or not at all.

    :raises UnsupportedDocument: ``path`` is a symbolic link or not a regular file.
    """
    max_bytes = kw.get("max_bytes", MAX_BYTES)
    data = read_regular_file(path, max_bytes)
    doc = redact_document(data, path.name, detector, **kw)
    try:
        write_atomic(out_dir / doc.filename, doc.content)
    except OSError as exc:
        raise OutputError(f"cannot write {out_dir / doc.filename}: {exc.strerror or exc}") from exc
    return doc


def read_regular_file(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """Read an input that must be a regular file, not a link to one.

    A symbolic link can point anywhere (``/etc/shadow``, another pupil's folder); the
    link is refused rather than followed, and the file is opened with ``O_NOFOLLOW`` and
    checked on the open descriptor, so it cannot be swapped for a link in between.

    :raises UnsupportedDocument: a symbolic link, a folder, a device or a pipe.
    :raises CorruptDocument: the file cannot be read.
    :raises DocumentTooLarge: over ``max_bytes``.
    """
    try:
        if path.is_symlink():
            raise UnsupportedDocument(
                f"{path.name} is a symbolic link; give the file itself, not a link to it"
            )
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK)
    except OSError as exc:
        raise CorruptDocument(f"{path.name} cannot be read ({exc.strerror})") from exc
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UnsupportedDocument(f"{path.name} is not a regular file")
        if info.st_size > max_bytes:
            raise DocumentTooLarge(
                f"{path.name} is {info.st_size / 2**20:.1f} MB, over the "
                f"{max_bytes / 2**20:.0f} MB limit"
            )
        try:
            return handle.read(max_bytes + 1)
        except OSError as exc:
            raise CorruptDocument(f"{path.name} cannot be read ({exc.strerror})") from exc
