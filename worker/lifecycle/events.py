"""Recording: every status change and step of a request goes into the register (rule 20)."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from pupil_privacy.redaction.errors import PupilPrivacyError

from ..models import (
    RequestEvent,
    RightsRequest,
    utcnow,
)
from ..states import (
    Status,
    check_transition,
)

log = logging.getLogger(__name__)


class RequestNotAllowed(PupilPrivacyError):
    """This person may not make this request, or the request cannot take this step now."""


def record_event(
    session: Session,
    req: RightsRequest,
    kind: str,
    *,
    actor_id: str | None = None,
    actor_role: str = "system",
    detail: str | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
) -> RequestEvent:
    """Add one line to the request's audit trail (rule 20)."""
    event = RequestEvent(
        request=req,
        kind=kind,
        actor_user_id=actor_id,
        actor_role=actor_role,
        detail=detail,
        from_status=from_status,
        to_status=to_status,
        at=utcnow(),
    )
    session.add(event)
    return event


def transition(
    session: Session,
    req: RightsRequest,
    new: Status,
    *,
    actor_id: str | None = None,
    actor_role: str = "system",
    detail: str | None = None,
) -> None:
    """Move ``req`` to ``new`` after checking the move is allowed, and record who did it.

    :raises InvalidTransition: when the move is not in :data:`states.TRANSITIONS`.
    """
    current = Status(req.status)
    check_transition(current, new)
    req.status = new
    record_event(
        session,
        req,
        "status",
        actor_id=actor_id,
        actor_role=actor_role,
        detail=detail,
        from_status=current.value,
        to_status=new.value,
    )


def set_progress(
    req: RightsRequest,
    *,
    stage: str | None = None,
    docs_done: int | None = None,
    docs_total: int | None = None,
) -> None:
    """Update the pack build's progress shown to the DPO as a live bar (no event: too chatty)."""
    if stage is not None:
        req.stage = stage
    if docs_total is not None:
        req.docs_total = docs_total
    if docs_done is not None:
        req.docs_done = docs_done
