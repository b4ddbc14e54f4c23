"""Video clips in the pack (issue 13): listed in the contents with their duration and what
was removed, delivered beside the PDF (a ZIP of the PDF and the clips) and in the JSON export.

A clip's document has a one-page PDF in the pack (written by :mod:`..media`); the redacted
MP4 is stored encrypted under :func:`..media.clip_key`. Only clips whose document is in the
requester's copy are delivered: a clip withheld or left out under rule 14 is not.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import zipfile
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..media import clip_facts, clip_key, clip_name, is_clip
from ..models import Redaction, RequestDocument, RightsRequest
from ..runtime import Runtime
from ..states import DocumentStatus, DslDecision
from .contents import hidden_from_requester
from .layout import PackDocument
from .storage import storage_for


def delivered(doc: RequestDocument) -> bool:
    """Whether this document's clip goes to the requester."""
    return (
        is_clip(doc.filename)
        and doc.status == DocumentStatus.DONE
        and doc.dsl_decision != DslDecision.WITHHOLD
        and not hidden_from_requester(doc)
    )


def request_clips(req: RightsRequest) -> list[RequestDocument]:
    return [d for d in req.documents if delivered(d)]


def read_clip(runtime: Runtime, doc: RequestDocument) -> bytes:
    """The decrypted redacted MP4 of a clip's document."""
    return storage_for(runtime).read(clip_key(doc.request_id, doc.id))


def faces_removed(session: Session, document_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Redaction)
            .where(
                Redaction.document_id == document_id,
                Redaction.entity_type == "FACE",
                Redaction.action == "redact",
            )
        )
        or 0
    )


def clip_note(runtime: Runtime, session: Session, doc: RequestDocument) -> str:
    """The contents line of a clip: where it is, how long it runs, what was removed."""
    facts = clip_facts(read_clip(runtime, doc))
    faces = faces_removed(session, doc.id)
    return (
        f"Video clip, {facts.duration} long, in the download beside this PDF as "
        f"{clip_name(doc.id)}; {faces} face(s) of other people removed, sound not included"
    )


def with_clip_notes(
    runtime: Runtime,
    session: Session,
    documents: Sequence[tuple[RequestDocument, PackDocument]],
) -> list[tuple[RequestDocument, PackDocument]]:
    """``documents`` with each delivered clip's contents entry carrying its note."""
    return [
        (doc, dataclasses.replace(packed, note=clip_note(runtime, session, doc)))
        if packed.status == DocumentStatus.DONE and delivered(doc)
        else (doc, packed)
        for doc, packed in documents
    ]


def pack_zip(runtime: Runtime, req: RightsRequest, pdf: bytes, pdf_name: str) -> bytes:
    """The download when the request has clips: the PDF and each clip, in memory (the
    decrypted copies never touch the disk). MP4 is compressed already: stored as it is."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(pdf_name, pdf)
        for doc in request_clips(req):
            archive.writestr(clip_name(doc.id), read_clip(runtime, doc))
    return buffer.getvalue()


def export_clips(
    runtime: Runtime, session: Session, documents: Sequence[RequestDocument]
) -> dict[str, dict[str, object]]:
    """The JSON export's entry for each delivered clip, by MIS record id: its name in the
    download, duration, faces removed and the MP4 itself (base64), so the export stands
    alone (Art 20: the data in a commonly used, machine-readable form)."""
    out: dict[str, dict[str, object]] = {}
    for doc in documents:
        if not delivered(doc):
            continue
        data = read_clip(runtime, doc)
        facts = clip_facts(data)
        out[doc.record_id] = {
            "file": clip_name(doc.id),
            "media_type": "video/mp4",
            "duration_seconds": round(facts.seconds, 2),
            "frames": facts.frames,
            "frames_per_second": round(facts.fps, 3),
            "faces_removed": faces_removed(session, doc.id),
            "content_base64": base64.b64encode(data).decode("ascii"),
        }
    return out
