"""Retention: packs and the redacted documents are deleted after ``pack_retention_days``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..lifecycle import record_event
from ..models import Pack, Redaction, RequestDocument, RightsRequest, utcnow
from ..runtime import Runtime, get_runtime
from .storage import storage_for


def purge_expired(runtime: Runtime | None = None, today: dt.date | None = None) -> int:
    """Delete packs (and their redacted documents) past their retention date; the rows stay,
    with ``storage_key`` cleared and an event recorded. Returns how many packs were purged."""
    runtime = runtime or get_runtime()
    session = runtime.session
    today = today or dt.date.today()
    storage = storage_for(runtime)
    packs = session.scalars(
        select(Pack).where(Pack.storage_key.is_not(None), Pack.purge_after < today)
    ).all()
    for pack in packs:
        assert pack.storage_key is not None
        storage.delete(pack.storage_key)
        pack.storage_key, pack.purged_at = None, utcnow()
        req = pack.request
        record_event(
            session,
            req,
            "pack_purged",
            detail=f"{pack.kind} pack deleted after its retention period",
        )
        if all(p.storage_key is None for p in req.packs):
            for doc in req.documents:
                if doc.output_key:
                    storage.delete(doc.output_key)
                    doc.output_key = None
            _purge_schedule_text(session, req)
    session.commit()
    return len(packs)


def _purge_schedule_text(session: Session, req: RightsRequest) -> None:
    """The removed third-party text goes with the pack: what was withheld is kept no longer
    than the pack that withheld it. The rows stay (what kind, which rule, who confirmed),
    for the register (rule 20)."""
    session.execute(
        update(Redaction)
        .where(
            Redaction.document_id.in_(
                select(RequestDocument.id).where(RequestDocument.request_id == req.id)
            )
        )
        .values(text="")
        .execution_options(synchronize_session=False)
    )
