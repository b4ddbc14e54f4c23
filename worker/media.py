"""Photographs and CCTV in a pack build (issue 13, rule 10).

- The pupil's MIS photo (:attr:`PupilDetails.photo <.mis.PupilDetails.photo>`, bytes or a
  path) is handed to face recognition as ``Subject.photo``, so the pupil's own face is kept
  in photos and clips; every other face is removed. Bytes are written to the job's scratch
  folder (a private temporary folder, deleted when the job ends).
- A video clip is streamed from the scratch folder through
  :func:`pupil_privacy.redaction.document.redact_file` (never held whole by the redactor),
  its progress shown beside the DPO's progress bar, and the redacted MP4 stored encrypted
  beside the document's PDF (:func:`clip_key`). The document's PDF is one page saying what
  the clip is, where it is in the download, how long it runs and what was removed.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.orm import Session

from pupil_privacy.redaction.decisions import Decisions
from pupil_privacy.redaction.errors import CorruptDocument, DocumentError
from pupil_privacy.redaction.report import DecisionResult, DetectorLike, RedactionRecord

from .models import RequestDocument, RightsRequest
from .states import BuildStage

#: What the redaction library streams as video (``redaction.formats.video.EXTENSIONS``).
CLIP_EXTENSIONS = (".mp4", ".mov", ".avi", ".mkv", ".m4v")
#: How often (in percent of a clip) its progress is written to the request.
PROGRESS_STEP = 10


def is_clip(filename: str | None) -> bool:
    """Whether a record's file is a video clip (by its extension)."""
    return bool(filename) and Path(str(filename)).suffix.lower() in CLIP_EXTENSIONS


def clip_key(request_id: int, document_id: int) -> str:
    """Where a document's redacted clip is stored (encrypted), beside its PDF."""
    return f"requests/{request_id}/documents/{document_id}.mp4.enc"


def clip_name(document_id: int) -> str:
    """The clip's name in the download and the export: never the MIS file name, which may
    name a third party (as ``redacting.safe_filename``)."""
    return f"clips/record-{document_id}.mp4"


@contextmanager
def scratch() -> Iterator[Path]:
    """A private folder (mode 0700) for one job's media files, removed when the job ends."""
    with tempfile.TemporaryDirectory(prefix="pp-media-") as folder:
        yield Path(folder)


def photo_path(photo: bytes | str | os.PathLike[str] | None, folder: Path | None) -> str | None:
    """The MIS photo as a path face recognition can read, or None without one.

    Bytes are written to ``folder`` (a scratch folder); without a folder they are not used
    (the assembly's leak check needs no photo). A path is used as it is.
    """
    if photo is None or photo == b"" or photo == "":
        return None
    if isinstance(photo, bytes):
        if folder is None:
            return None
        path = folder / "mis-photo"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(photo)
        return str(path)
    return os.fspath(photo)


@dataclass(frozen=True)
class ClipFacts:
    """What the pack says about a redacted clip."""

    seconds: float
    frames: int
    fps: float
    width: int
    height: int

    @property
    def duration(self) -> str:
        minutes, seconds = divmod(round(self.seconds), 60)
        return f"{minutes}:{seconds:02d}"


def clip_facts(data: bytes | Path) -> ClipFacts:
    """Duration, frames and size of an MP4 (read from the container, not decoded)."""
    import av

    source = str(data) if isinstance(data, Path) else io.BytesIO(data)
    try:
        with av.open(source, "r") as container:
            stream = container.streams.video[0]
            fps = float(stream.average_rate or stream.guessed_rate or 0)
            frames = int(stream.frames or 0)
            if stream.duration is not None and stream.time_base is not None:
                seconds = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                seconds = container.duration / 1_000_000
            else:
                seconds = frames / fps if fps else 0.0
            if not frames and fps:
                frames = round(seconds * fps)
            return ClipFacts(seconds, frames, fps, stream.width, stream.height)
    except (av.error.FFmpegError, IndexError) as exc:
        raise CorruptDocument("the redacted clip cannot be read back") from exc


def describe_face(row: RedactionRecord) -> str:
    """A face's schedule text: where it was (box, frames), never anything of the face."""
    if not row.box:
        return ""
    x0, y0, x1, y1 = row.box
    where = f"face at x {x0}-{x1}, y {y0}-{y1}"
    if row.frames:
        where += f", frames {row.frames[0]}-{row.frames[1]}"
    return where


#: Why a "keep" on a removed face needs its document: a face's place is in one picture.
FACE_KEEP_NEEDS_DOCUMENT = (
    "a face is kept in the one picture it is in: keep it from that document's review page"
)
# A kept face's box grows by this share of its size on each side: the re-render runs the
# detector on the original again, and a DPO's keep must not hang on the box's last pixel.
KEEP_MARGIN = 0.15
_FACE_PLACE = re.compile(r"face at x (\d+)-(\d+), y (\d+)-(\d+)")


def face_keep_rect(text: str | None) -> list[float] | None:
    """The keep box (pixels) for a face's schedule text (:func:`describe_face`), or ``None``
    when the text is not a face's place. For a clip it is the union of the track's boxes."""
    found = _FACE_PLACE.match(text or "")
    if found is None:
        return None
    x0, x1, y0, y1 = (float(v) for v in found.groups())
    dx, dy = (x1 - x0) * KEEP_MARGIN, (y1 - y0) * KEEP_MARGIN
    return [max(0.0, x0 - dx), max(0.0, y0 - dy), x1 + dx, y1 + dy]


def is_face_place(text: str | None) -> bool:
    """Whether a schedule row's text is a face's place (:func:`describe_face`), not words."""
    return bool(text) and str(text).startswith("face at x ")


def faces_removed(records: list[RedactionRecord]) -> list[RedactionRecord]:
    return [r for r in records if r.entity_type == "FACE" and r.action == "redact"]


def summary_pdf(document_id: int, facts: ClipFacts, removed: list[RedactionRecord]) -> bytes:
    """The clip's page in the pack: what it is, where to find it, what was removed."""
    import pymupdf

    lines = [
        "Video clip (CCTV or recording)",
        "",
        f"The clip is delivered beside this PDF as {clip_name(document_id)}",
        "(an MP4 file: it plays in any browser or media player).",
        "",
        f"Duration {facts.duration} ({facts.frames} frames at {facts.fps:g} frames a second,",
        f"{facts.width} x {facts.height} pixels). Sound is not included.",
        "",
        f"Faces removed: {len(removed)}. Each face that is not the pupil's was covered with",
        "a solid grey box in every frame it appears in (rule 10).",
    ]
    for row in removed[:40]:
        if row.frames:
            first, last = row.frames
            lines.append(
                f"  - a face from {_at(first, facts.fps)} to {_at(last, facts.fps)} "
                f"(frames {first}-{last})"
            )
    if len(removed) > 40:
        lines.append(f"  ... and {len(removed) - 40} more")
    pdf = pymupdf.open()
    page = pdf.new_page()
    page.insert_text((60, 80), "\n".join(lines), fontsize=10.5, fontname="helv")
    data: bytes = pdf.tobytes(garbage=3, deflate=True)
    pdf.close()
    return data


def _at(frame: int, fps: float) -> str:
    seconds = frame / fps if fps else 0.0
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


def progress_writer(session: Session, request_id: int) -> Callable[[int, int], None]:
    """``progress(done, total)`` for a clip: the request's stage reads "redacting video: N%"
    every :data:`PROGRESS_STEP` percent (the DPO's progress bar shows the stage)."""
    shown = [-PROGRESS_STEP]

    def progress(done: int, total: int) -> None:
        if total <= 0:
            return
        percent = min(100, 100 * done // total)
        if percent - shown[0] < PROGRESS_STEP and percent < 100:
            return
        shown[0] = percent
        _set_stage(session, request_id, f"redacting video: {percent}%")

    return progress


def _set_stage(session: Session, request_id: int, stage: str) -> None:
    # Only while documents are being redacted: never over the assembly's claim.
    session.execute(
        update(RightsRequest)
        .where(RightsRequest.id == request_id, RightsRequest.stage != BuildStage.ASSEMBLING)
        .values(stage=stage)
    )
    session.commit()


@dataclass
class RedactedClip:
    """What the pipeline reads from a redacted clip (as ``redactor.RedactedLike``)."""

    content: bytes  # the clip's one-page PDF for the pack
    records: list[RedactionRecord]
    review: list[RedactionRecord]
    warnings: list[str]
    pages: int
    clip: bytes  # the redacted MP4
    decisions_applied: list[DecisionResult] = field(default_factory=list)


def redact_clip(
    session: Session,
    doc: RequestDocument,
    data: bytes,
    name: str,
    detector: DetectorLike,
    folder: Path,
    decisions: Decisions | None = None,
) -> RedactedClip:
    """Redact one clip from ``folder``: faces removed frame by frame, sound dropped.

    :param decisions: the reviewers' decisions; a clip honours their keep boxes (a face
        the DPO kept, issue 13) and nothing else (it has no text).

    :raises DocumentError: the clip is damaged, not a video, or cannot be re-encoded.
    """
    from pupil_privacy.redaction.document import redact_file

    source = folder / name
    source.write_bytes(data)
    del data
    out = folder / "out"
    try:
        result = redact_file(
            source,
            out,
            detector,
            progress=progress_writer(session, doc.request_id),
            decisions=decisions,
        )
    finally:
        source.unlink(missing_ok=True)
        _set_stage(session, doc.request_id, BuildStage.REDACTING)
    path = out / result.filename
    facts = clip_facts(path)
    if facts.frames == 0:
        raise DocumentError("the clip has no frames after redaction")
    removed = faces_removed(result.records)
    return RedactedClip(
        content=summary_pdf(doc.id, facts, removed),
        records=result.records,
        review=list(result.review),
        warnings=list(result.warnings),
        pages=1,
        clip=path.read_bytes(),
        decisions_applied=list(result.decisions_applied),
    )


__all__ = [
    "CLIP_EXTENSIONS",
    "FACE_KEEP_NEEDS_DOCUMENT",
    "ClipFacts",
    "RedactedClip",
    "clip_facts",
    "clip_key",
    "clip_name",
    "describe_face",
    "face_keep_rect",
    "is_clip",
    "is_face_place",
    "photo_path",
    "redact_clip",
    "scratch",
]
