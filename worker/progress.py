"""The database side of a pack build every step shares: the request row, document counts,
and marking a document or the whole request failed (with the reason: nothing is dropped)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pupil_privacy.redaction.errors import PupilPrivacyError

from .lifecycle import set_progress, transition
from .models import RequestDocument, RightsRequest, utcnow
from .states import TERMINAL, BuildStage, DocumentStatus, Status

#: Requests the worker acts on.
WORKING = (Status.IN_PROGRESS, Status.SAFEGUARDING_REVIEW)


def get_request(session: Session, request_id: int) -> RightsRequest:
    req = session.get(RightsRequest, request_id)
    if req is None:
        raise PupilPrivacyError(f"there is no request {request_id}")
    return req


def rowcount(result: Any) -> int:
    """Rows an UPDATE matched: how a compare-and-set knows it won."""
    return int(getattr(result, "rowcount", 0) or 0)


def refresh_progress(session: Session, request_id: int) -> int:
    """Recount finished documents in one UPDATE (never read-modify-write, workers race)."""
    finished = (
        select(func.count())
        .select_from(RequestDocument)
        .where(RequestDocument.request_id == request_id, RequestDocument.status.in_(TERMINAL))
        .scalar_subquery()
    )
    session.execute(
        update(RightsRequest).where(RightsRequest.id == request_id).values(docs_done=finished)
    )
    remaining = session.scalar(
        select(func.count())
        .select_from(RequestDocument)
        .where(RequestDocument.request_id == request_id, RequestDocument.status.not_in(TERMINAL))
    )
    return int(remaining or 0)


# -- step 2: one document ----------------------------------------------------------------------


def mark_failed(session: Session, document_id: int, reason: str) -> None:
    session.execute(
        update(RequestDocument)
        .where(RequestDocument.id == document_id)
        .values(status=DocumentStatus.FAILED, error=reason[:2000], updated_at=utcnow())
    )
    session.commit()


def fail_request(session: Session, request_id: int, why: str) -> None:
    req = session.get(RightsRequest, request_id)
    if req is None or req.status not in WORKING:
        return
    if req.status == Status.SAFEGUARDING_REVIEW:
        # The state machine fails a request only from IN_PROGRESS: pass through it.
        transition(session, req, Status.IN_PROGRESS, detail="pack build resumed to fail")
    transition(session, req, Status.FAILED, detail=why)
    set_progress(req, stage=BuildStage.FAILED)
    session.commit()
