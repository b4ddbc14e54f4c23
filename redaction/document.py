"""One entry point for every document type: limits, nested attachments, the reviewer's
decisions, the leak check, atomic writes.

Output formats with ``as_pdf=False``: PDF -> PDF, text/Markdown/CSV -> the same, EML -> a
minimal redacted EML, DOCX -> DOCX, PNG/JPEG -> the same format. With ``as_pdf=True`` (what
the pack assembles) every output is a PDF. The kind of a file is read in
:mod:`.formats.kinds`, one removal pass by kind is :mod:`.formats.dispatch`, and the leak
check's further passes are :mod:`.settle`. What is still found after them is never returned
silently (rule 18): :class:`NeedsReview` (a :class:`LeakCheckFailed`, so a caller that only
knows refusals still withholds the document) carries the written document and each unsettled
finding at its place, for the DPO to decide.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import limits
from .decided import decided_detector, term_results
from .decisions import Decisions, KeepBox
from .errors import (
    CorruptDocument,
    DocumentError,
    DocumentTooLarge,
    LeakCheckFailed,
    UnsupportedDocument,
)
from .files import write_atomic
from .formats import video
from .formats.dispatch import redact_kind, redact_laid_out_pdf, to_pdf
from .formats.kinds import KINDS, sniff
from .formats.pdf.reading import page_count
from .report import (
    DEFAULT_LABEL,
    DecisionPlace,
    DecisionResult,
    DetectorLike,
    Outcome,
    RedactionRecord,
    UnsettledFinding,
)
from .settle import settle

__all__ = [
    "DecisionPlace",
    "DecisionResult",
    "Decisions",
    "NeedsReview",
    "RedactedDocument",
    "RedactionRecord",
    "UnsettledFinding",
    "redact_document",
    "redact_file",
]

# Attachments inside attachments inside...: deeper than this is refused, not followed.
MAX_DEPTH = 5
MAX_BYTES = 50 * 1024 * 1024


class OutputError(DocumentError):
    """The redacted output could not be written (a full disk, a missing permission)."""

    code = "output-error"


@dataclass
class RedactedDocument:
    """A redacted document; it passed the leak check unless ``unsettled`` lists findings."""

    filename: str  # the output name: same stem, extension of the output format
    content: bytes
    media_type: str
    records: list[RedactionRecord]  # every removal
    review: list[RedactionRecord]  # passages flagged for the DPO (identifying context)
    warnings: list[str]  # shown to the DPO, e.g. that OCR was unavailable
    pages: int
    # what the leak check still finds after every pass: the DPO must decide before release
    unsettled: list[UnsettledFinding] = field(default_factory=list)
    # suggestions a reviewer's "keep" overruled: schedule rows with action "keep"
    kept: list[RedactionRecord] = field(default_factory=list)
    # each reviewer decision naming this file (or no file) that took effect, with its places
    decisions_applied: list[DecisionResult] = field(default_factory=list)
    # each that matched nothing here, with the reason in ``note``
    decisions_unmatched: list[DecisionResult] = field(default_factory=list)

    @property
    def needs_review(self) -> bool:
        return bool(self.unsettled)


class NeedsReview(LeakCheckFailed):
    """The output still holds data the leak check finds after every removal pass.

    A :class:`LeakCheckFailed`, so a caller that does not know about review withholds the
    document as before. A caller that does (the worker, the CLI) takes ``document``, whose
    ``unsettled`` findings carry their places, and holds it for the DPO's decision instead
    of failing it. ``reason`` names places and kinds, never the data.
    """

    code = "needs-review"

    def __init__(self, reason: str, document: RedactedDocument) -> None:
        super().__init__(reason)
        self.document = document


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

    outcome = redact_kind(kind, data, name, detector, label, as_pdf, title, nested, decisions)
    if as_pdf and outcome.extension != ".pdf" and kind != "video":  # clips go beside the PDF
        outcome = to_pdf(kind, outcome, name, title, label)
    if kind != "pdf" and outcome.extension == ".pdf":
        # the reviewer's boxes and pages of a laid-out document are those of this PDF
        paged = decisions if kind != "image" else Decisions()
        redact_laid_out_pdf(outcome, name, detector, label, title, nested, paged)
    out_kind = "pdf" if outcome.extension == ".pdf" else kind
    unsettled = settle(outcome, out_kind, name, detector, label, nested, title)
    if out_kind == "pdf":
        outcome.pages = page_count(outcome.content)
    limits.check_time()
    suffix = outcome.extension or Path(name).suffix
    applied, unmatched = decision_results(decisions, outcome, suffix)
    doc = RedactedDocument(
        filename=Path(name).stem + suffix,
        content=outcome.content,
        media_type=outcome.media_type,
        records=outcome.records,
        review=outcome.review,
        warnings=outcome.warnings,
        pages=outcome.pages,
        unsettled=unsettled,
        kept=outcome.kept,
        decisions_applied=applied,
        decisions_unmatched=unmatched,
    )
    if unsettled:
        why = list(dict.fromkeys(u.why for u in unsettled))  # places and kinds, no data
        raise NeedsReview(
            f"{name}: the redacted output still holds third-party data the leak check could "
            f"not settle, so it was not released; it needs the DPO's review: "
            f"{'; '.join(why[:6])}{'; ...' if len(why) > 6 else ''}",
            doc,
        )
    return doc


def decision_results(
    decisions: Decisions, outcome: Outcome, suffix: str
) -> tuple[list[DecisionResult], list[DecisionResult]]:
    """Every decision for this document, split into applied and unmatched, in
    DECISIONS.json order. A box or withheld page the format did not handle was for an
    output without pages."""
    done: dict[int, DecisionResult] = {}
    for r in outcome.decided:  # a keep box is tried on every picture: one that applied wins
        if r.applied or id(r.decision) not in done:
            done[id(r.decision)] = r
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


def redact_file(path: Path, out_dir: Path, detector: DetectorLike, **kw: Any) -> RedactedDocument:
    """Redact ``path`` into ``out_dir`` (same stem). The output appears whole or not at all.

    A video is streamed from ``path`` to a temporary file beside the output, never held
    in memory; ``keep_audio`` and ``progress`` apply to it (see :mod:`.formats.video`).

    :raises UnsupportedDocument: ``path`` is a symbolic link or not a regular file.
    :raises NeedsReview: after writing the output, when it holds unsettled findings.
    """
    if KINDS.get(path.suffix.lower()) == "video":
        keep = (kw.get("decisions") or Decisions()).for_file(path.name).keep_boxes
        return _redact_video_file(
            path, out_dir, detector, kw.get("keep_audio", False), kw.get("progress"), keep
        )
    kw.pop("keep_audio", None)
    kw.pop("progress", None)
    max_bytes = kw.get("max_bytes", MAX_BYTES)
    data = read_regular_file(path, max_bytes)
    try:
        doc = redact_document(data, path.name, detector, **kw)
    except NeedsReview as held:
        _write(out_dir, held.document)
        raise
    _write(out_dir, doc)
    return doc


def _write(out_dir: Path, doc: RedactedDocument) -> None:
    try:
        write_atomic(out_dir / doc.filename, doc.content)
    except OSError as exc:
        raise OutputError(f"cannot write {out_dir / doc.filename}: {exc.strerror or exc}") from exc


# A clip is streamed frame by frame, so only the disk bounds its size; this stops a
# mistaken multi-hour recording from tying up a worker for the day.
MAX_VIDEO_BYTES = 4 * 2**30


def _redact_video_file(
    path: Path,
    out_dir: Path,
    detector: DetectorLike,
    keep_audio: bool,
    progress: video.Progress | None,
    keep: Sequence[KeepBox] = (),
) -> RedactedDocument:
    import os
    import tempfile

    if path.is_symlink():  # as read_regular_file: a link can point anywhere
        raise UnsupportedDocument(f"{path.name} is a symbolic link; give the file itself")
    if not path.is_file():
        raise UnsupportedDocument(f"{path.name} is not a regular file")
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise CorruptDocument(f"{path.name} cannot be read ({exc.strerror})") from exc
    if size > MAX_VIDEO_BYTES:
        raise DocumentTooLarge(f"{path.name} is {size / 2**30:.1f} GB, over the 4 GB video limit")
    sniff(head, path.name)
    name = path.stem + ".mp4"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".part")
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"cannot write in {out_dir}: {exc.strerror or exc}") from exc
    try:
        result = video.redact_stream(
            path,
            Path(temp),
            detector,
            path.name,
            keep_audio=keep_audio,
            progress=progress,
            keep=[k.rect for k in keep],
        )
        os.replace(temp, out_dir / name)
    except OSError as exc:
        raise OutputError(f"cannot write {out_dir / name}: {exc.strerror or exc}") from exc
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    decided = video.keep_results(keep, result, path.name)
    return RedactedDocument(
        filename=name,
        content=b"",  # on disk only: a clip is not held in memory
        media_type="video/mp4",
        records=result.records,
        review=[],
        warnings=result.warnings,
        pages=0,
        decisions_applied=[r for r in decided if r.applied],
        decisions_unmatched=[r for r in decided if not r.applied],
    )


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
