"""The statutory clock: when an answer is due, pausing, resuming and extending it (rules 1-4)."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.orm import Session

from ..clock import (
    Pause,
    TermDates,
    complaint_acknowledgement_due,
    educational_record_due,
    exam_marks_due,
    extension_notice_deadline,
    sar_due_date,
)
from ..models import (
    ClockPause,
    RightsRequest,
)
from ..runtime import Settings
from ..states import (
    ActorRole,
    RightType,
    Status,
)
from .events import RequestNotAllowed, record_event, transition

log = logging.getLogger(__name__)


#: Rights answered within one calendar month, extendable by two (rules 1-3, Art 12(3)).
ONE_MONTH_RIGHTS = frozenset(RightType) - {
    RightType.EDUCATIONAL_RECORD,
    RightType.EXAM_MARKS,
    RightType.COMPLAINT,
}


def due_date(req: RightsRequest, settings: Settings, *, today: dt.date | None = None) -> dt.date:
    """The statutory deadline for ``req`` from its clock start, pauses and extension.

    One calendar month (three when extended) for rights under Arts 15-22 (rules 1-3); 15 school
    days for the educational record at a maintained school (rule 4); the exam-marks rule
    (rule 5); 30 days to acknowledge a complaint (rule 6).
    """
    if req.clock_started_on is None:
        raise RequestNotAllowed(f"{req.reference}: the clock has not started yet")
    start = req.clock_started_on
    region = settings.bank_holiday_region
    pauses = [Pause(p.paused_on, p.resumed_on) for p in req.pauses]
    paused_days = sum(p.days(today or dt.date.today()) for p in pauses)
    right = RightType(req.right)
    if right is RightType.EDUCATIONAL_RECORD:
        return _educational_record_due(start, settings) + dt.timedelta(days=paused_days)
    if right is RightType.EXAM_MARKS:
        results = (req.extra_fields or {}).get("results_date")
        results_on = dt.date.fromisoformat(results) if results else None
        # Rule 5 is for marks asked for before results day; afterwards it is an ordinary SAR.
        if results_on is None or results_on > start:
            return exam_marks_due(start, results_on) + dt.timedelta(days=paused_days)
    if right is RightType.COMPLAINT:
        return complaint_acknowledgement_due(start) + dt.timedelta(days=paused_days)
    return sar_due_date(
        start, pauses=pauses, extended=bool(req.extended), today=today, subdivision=region
    )


def _educational_record_due(start: dt.date, settings: Settings) -> dt.date:
    terms = settings.term_dates if isinstance(settings.term_dates, TermDates) else None
    return educational_record_due(start, terms, settings.bank_holiday_region)


def start_clock(
    session: Session,
    req: RightsRequest,
    started_on: dt.date,
    *,
    settings: Settings,
    actor_id: str | None = None,
    actor_role: str = "system",
) -> None:
    """Start the clock on ``started_on`` and compute the due date (rule 2: the latest of
    receipt, identity evidence asked for, and any fee)."""
    req.clock_started_on = max(started_on, req.received_on)
    req.due_on = due_date(req, settings)
    record_event(
        session,
        req,
        "clock_started",
        actor_id=actor_id,
        actor_role=actor_role,
        detail=f"Clock started {req.clock_started_on.isoformat()}; "
        f"due {req.due_on.isoformat()} (rules 1-2)",
    )


def recompute_due(
    session: Session, req: RightsRequest, *, settings: Settings, today: dt.date | None = None
) -> None:
    """Refresh ``due_on`` after a pause, resumption or extension."""
    if req.clock_started_on is not None:
        req.due_on = due_date(req, settings, today=today)


def pause_clock(
    session: Session,
    req: RightsRequest,
    *,
    on: dt.date,
    reason: str,
    actor_id: str,
    settings: Settings,
) -> ClockPause:
    """Ask the requester to clarify: the clock stops until they reply (rule 2)."""
    if req.clock_started_on is None:
        raise RequestNotAllowed("The clock has not started, so there is nothing to pause")
    if not reason.strip():
        raise RequestNotAllowed("Say what needs clarifying: the requester is told (rule 2)")
    transition(session, req, Status.CLARIFICATION, actor_id=actor_id, actor_role=ActorRole.DPO)
    pause = ClockPause(request=req, paused_on=on, reason=reason.strip(), paused_by=actor_id)
    session.add(pause)
    record_event(
        session,
        req,
        "clock_paused",
        actor_id=actor_id,
        actor_role=ActorRole.DPO,
        detail=reason.strip(),
    )
    return pause


def resume_clock(
    session: Session, req: RightsRequest, *, on: dt.date, actor_id: str, settings: Settings
) -> bool:
    """The requester replied: the clock runs again and the due date moves on by the days paused
    (rule 2).

    :returns: True when the caller should enqueue processing.
    """
    open_pauses = [p for p in req.pauses if p.resumed_on is None]
    if req.status != Status.CLARIFICATION or not open_pauses:
        raise RequestNotAllowed(f"{req.reference} is not waiting for clarification")
    for pause in open_pauses:
        pause.resumed_on = max(on, pause.paused_on)
    session.flush()
    recompute_due(session, req, settings=settings, today=on)
    transition(session, req, Status.IN_PROGRESS, actor_id=actor_id, actor_role=ActorRole.DPO)
    record_event(
        session,
        req,
        "clock_resumed",
        actor_id=actor_id,
        actor_role=ActorRole.DPO,
        detail=f"Clarification received {on.isoformat()}; now due {req.due_on} (rule 2)",
    )
    return RightType(req.right).produces_pack


def extend(
    session: Session,
    req: RightsRequest,
    *,
    reason: str,
    today: dt.date,
    actor_id: str,
    settings: Settings,
) -> None:
    """Extend by two further months for a complex or numerous request (rule 3): only with
    reasons, and only inside the first month."""
    if RightType(req.right) not in ONE_MONTH_RIGHTS:
        raise RequestNotAllowed(f"{RightType(req.right).label}: this deadline cannot be extended")
    if req.clock_started_on is None:
        raise RequestNotAllowed("The clock has not started, so there is nothing to extend")
    if req.extended:
        raise RequestNotAllowed(f"{req.reference} has already been extended")
    if not Status(req.status).is_open:
        raise RequestNotAllowed(f"{req.reference} is closed")
    if not reason.strip():
        raise RequestNotAllowed("An extension needs reasons; the requester is told them (rule 3)")
    # The first month, moved on by any clarification pauses: the deadline not yet extended.
    deadline = req.due_on or extension_notice_deadline(
        req.clock_started_on, settings.bank_holiday_region
    )
    if today > deadline:
        raise RequestNotAllowed(
            f"The first month ended on {deadline.isoformat()}: an extension must be notified "
            "inside it (rule 3)"
        )
    req.extended = True
    req.extension_reason = reason.strip()
    recompute_due(session, req, settings=settings, today=today)
    record_event(
        session,
        req,
        "extended",
        actor_id=actor_id,
        actor_role=ActorRole.DPO,
        detail=f"Extended to {req.due_on}: {reason.strip()} (rule 3)",
    )
