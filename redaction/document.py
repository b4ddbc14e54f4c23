"""One entry point for every document type: dispatch, limits, the leak check, atomic writes.

The leak check converges instead of refusing: what it finds in the output is removed in
further passes (at most :data:`SETTLE_PASSES`), each followed by the check again. What is
still there after that is never returned silently (rule 18): :class:`NeedsReview` (a
:class:`LeakCheckFailed`, so a caller that only knows refusals still withholds the
document) carries the written document and each unsettled finding at its place, for the
DPO to decide. Output formats with ``as_pdf=False``: PDF -> PDF, text/Markdown/CSV -> the same,
EML -> a minimal redacted EML, DOCX -> DOCX, PNG/JPEG -> the same format. With
``as_pdf=True`` (what the pack assembles) every output is a PDF.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field, replace
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
from .formats import docx, email, image, pdf, text, video
from .report import (
    DEFAULT_LABEL,
    DecisionPlace,
    DecisionResult,
    DetectorLike,
    Outcome,
    RedactionRecord,
    UnsettledFinding,
    record,
)
from .types import Action, Finding, Reason

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
    ".heic": "image",
    ".heif": "image",
    **{ext: "video" for ext in video.EXTENSIONS},
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
#: Removal passes over what the leak check finds in an output, each checked again. Every
#: pass removes what the one before found, so more passes only help with text that a
#: removal exposes anew (a name next to a fresh label); two were enough on every file seen.
SETTLE_PASSES = 3


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
    if kind == "image" and not (head.startswith((b"\x89PNG", b"\xff\xd8\xff")) or _heif(head)):
        raise CorruptDocument(f"{filename} is not a PNG, JPEG or HEIC image")
    if kind == "video" and not head.startswith(_VIDEO_MAGIC) and head[4:8] != b"ftyp":
        raise CorruptDocument(f"{filename} is not a video (no MP4, MOV, AVI or MKV header)")
    # UTF-16 text is half zero bytes; anything else with zeros in it is not text.
    binary = b"\x00" in data[:8192]
    if kind == "text" and binary and text.text_encoding(data) is None:
        raise CorruptDocument(f"{filename} holds binary data, not text")
    if kind == "eml" and binary:
        raise CorruptDocument(f"{filename} holds binary data, not an email")
    return kind


# RIFF (AVI) and EBML (MKV/WebM); MP4 and MOV carry "ftyp" at byte 4.
_VIDEO_MAGIC = (b"RIFF", b"\x1a\x45\xdf\xa3")


def _heif(head: bytes) -> bool:
    return head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heim")


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
    if as_pdf and outcome.extension != ".pdf" and kind != "video":  # clips go beside the PDF
        outcome = _to_pdf(kind, outcome, name, title)
    if kind != "pdf" and outcome.extension == ".pdf":
        # the reviewer's boxes and pages of a laid-out document are those of this PDF
        paged = decisions if kind != "image" else Decisions()
        _settle(outcome, name, detector, label, title, nested, paged)
    out_kind = "pdf" if outcome.extension == ".pdf" else kind
    unsettled = settle(outcome, out_kind, name, detector, label, nested, title)
    if out_kind == "pdf":
        outcome.pages = pdf.page_count(outcome.content)
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
    if kind == "video":
        return video.redact_video(data, name, detector)
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
            content, records = pdf.remove_findings(outcome.content, name, label, found)
        elif kind == "text":
            content, records = _remove_text_leaks(outcome.content, name, label, leaks)
        else:
            again = _dispatch(kind, outcome.content, name, detector, label, False, title, nested)
            # A rewritten zip or message differs in its bytes even when nothing was removed.
            content = again.content if again.records else outcome.content
            records = again.records
        if content == outcome.content:
            break  # nothing more could be taken out: the rest is for the DPO
        outcome.content = content
        outcome.records += records
    return _unsettled(outcome.content, kind, name, places, leaks, passes)


def _page_finding(places: list[tuple[str, str]], leak: leakcheck.Leak) -> pdf.PageFinding | None:
    """A leak in a PDF page's text or links, as the PDF module removes and locates it."""
    if leak.place is None:
        return None
    for links in (False, True):
        page = pdf.place_page(leak.where, links=links)
        if page is not None:
            return pdf.PageFinding(page, places[leak.place][1], leak.finding, links=links)
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
    where: dict[int, tuple[tuple[pdf.Rect, ...], int | None]] = {}
    if kind == "pdf" and leaks:
        pairs = [(i, pf) for i, leak in enumerate(leaks) if (pf := _page_finding(places, leak))]
        located = pdf.locate_findings(data, name, [pf for _, pf in pairs])
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
    index = pdf.place_page(where)
    if index is None:
        index = pdf.place_page(where, links=True)
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
        places, expanded = pdf.readback(data, name)
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


def redact_file(path: Path, out_dir: Path, detector: DetectorLike, **kw: Any) -> RedactedDocument:
    """Redact ``path`` into ``out_dir`` (same stem). The output appears whole or not at all.

    A video is streamed from ``path`` to a temporary file beside the output, never held
    in memory; ``keep_audio`` and ``progress`` apply to it (see :mod:`.formats.video`).

    :raises UnsupportedDocument: ``path`` is a symbolic link or not a regular file.
    :raises NeedsReview: after writing the output, when it holds unsettled findings.
    """
    if KINDS.get(path.suffix.lower()) == "video":
        return _redact_video_file(
            path, out_dir, detector, kw.get("keep_audio", False), kw.get("progress")
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
            path, Path(temp), detector, path.name, keep_audio=keep_audio, progress=progress
        )
        os.replace(temp, out_dir / name)
    except OSError as exc:
        raise OutputError(f"cannot write {out_dir / name}: {exc.strerror or exc}") from exc
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    return RedactedDocument(
        filename=name,
        content=b"",  # on disk only: a clip is not held in memory
        media_type="video/mp4",
        records=result.records,
        review=[],
        warnings=result.warnings,
        pages=0,
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
