"""The request lifecycle: the ONE place a rights request changes status.

Web views and RQ jobs both call these functions; none of them commits, so the caller decides
the transaction (a view commits before it enqueues work; a job commits after its step). Every
change is recorded as a :class:`RequestEvent` with who made it and when (rule 20: the register
of requests), and every clock decision cites its rule in ``docs/uk-school-sar-rules.md``.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from pupil_privacy.redaction.errors import PupilPrivacyError

from .clock import (
    Pause,
    TermDates,
    add_school_days,
    complaint_acknowledgement_due,
    exam_marks_due,
    extension_notice_deadline,
    next_working_day,
    sar_due_date,
)
from .mis import MISUser, PupilDetails, PupilLink, UserRole
from .models import (
    ClockPause,
    PupilConsent,
    RequestDocument,
    RequestEvent,
    RightsRequest,
    utcnow,
)
from .runtime import Settings
from .states import RightType, Status, check_transition

log = logging.getLogger(__name__)

#: Age from which a pupil's own agreement is needed for a parent's request (rule 7).
CONSENT_AGE = 12
#: Age from which the youth support limit applies, and from which the pupil decides (rule 9).
YOUTH_SUPPORT_AGE = 13
YOUTH_SUPPORT_SELF_AGE = 16
#: School days for a parent's request to see the educational record (rule 4).
EDUCATIONAL_RECORD_SCHOOL_DAYS = 15

#: Rights that are the parent's own, not exercised on the child's behalf: no pupil consent.
PARENTS_OWN_RIGHTS = frozenset(
    {RightType.EDUCATIONAL_RECORD, RightType.YOUTH_SUPPORT_LIMIT, RightType.COMPLAINT}
)
#: Rights answered within one calendar month, extendable by two (rules 1-3, Art 12(3)).
ONE_MONTH_RIGHTS = frozenset(RightType) - {
    RightType.EDUCATIONAL_RECORD,
    RightType.EXAM_MARKS,
    RightType.COMPLAINT,
}

REFERENCE_PREFIX = {
    RightType.ACCESS: "SAR",
    RightType.EDUCATIONAL_RECORD: "EDR",
    RightType.EXAM_MARKS: "EXM",
    RightType.PORTABILITY: "POR",
    RightType.RECTIFICATION: "REC",
    RightType.ERASURE: "ERA",
    RightType.RESTRICTION: "RES",
    RightType.OBJECTION: "OBJ",
    RightType.DIRECT_MARKETING: "DMK",
    RightType.AUTOMATED_DECISIONS: "ADM",
    RightType.WITHDRAW_CONSENT: "WCN",
    RightType.YOUTH_SUPPORT_LIMIT: "YSL",
    RightType.COMPLAINT: "CMP",
}

#: Told to every requester whose request is refused (rule 15).
REFUSAL_ROUTES = (
    "You can complain to the Information Commissioner's Office (ico.org.uk/concerns, "
    "0303 123 1113), or apply to a court for an order that the school comply "
    "(UK GDPR Art 12(4); DPA 2018 s.167)."
)

LOGIN_IDENTITY = (
    "Known {relationship} signed in to the school's MIS with their own account: identity and "
    "relationship checked by the MIS login, so no further ID was asked for (rule 8)."
)


class RequestNotAllowed(PupilPrivacyError):
    """This person may not make this request, or the request cannot take this step now."""


# -- recording ---------------------------------------------------------------------------------


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


# -- intake ------------------------------------------------------------------------------------


def check_may_request(
    right: RightType,
    pupil: PupilDetails,
    requester: MISUser,
    link: PupilLink,
    received_on: dt.date,
    settings: Settings,
) -> None:
    """Refuse, with a message the requester can act on, requests they may not make.

    :raises RequestNotAllowed: for court-order or no-contact links, links without parental
        responsibility, rights that do not apply to this pupil's age (rule 9) or this school
        (rule 4).
    """
    is_self = link.relationship == "self"
    if not is_self and (link.court_order or link.no_contact or not link.parental_responsibility):
        raise RequestNotAllowed(
            f"Requests about {pupil.name} cannot be made through this account. Please contact "
            f"the school's data protection officer ({settings.dpo_name}"
            + (f", {settings.dpo_contact}" if settings.dpo_contact else "")
            + ") who will help you."
        )
    age = pupil.age_on(received_on)
    if right is RightType.EDUCATIONAL_RECORD:
        if is_self or requester.role is UserRole.PUPIL:
            raise RequestNotAllowed(
                "The right to see the educational record belongs to parents; as a pupil, "
                "make a subject access request instead."
            )
        if not settings.extra.get("educational_record_right", True):
            raise RequestNotAllowed(
                "This school is an academy: the parents' right to the educational record "
                "(rule 4) does not apply here. Make a subject access request instead."
            )
    if right is RightType.YOUTH_SUPPORT_LIMIT:
        if age < YOUTH_SUPPORT_AGE:
            raise RequestNotAllowed(
                f"{pupil.name} is under {YOUTH_SUPPORT_AGE}: nothing is passed to youth "
                "support services yet, so there is nothing to limit (rule 9)."
            )
        if age >= YOUTH_SUPPORT_SELF_AGE and not is_self:
            raise RequestNotAllowed(
                f"{pupil.name} is {YOUTH_SUPPORT_SELF_AGE} or over, so only they can ask to "
                "limit what is passed to youth support services (rule 9)."
            )
        if age < YOUTH_SUPPORT_SELF_AGE and is_self:
            raise RequestNotAllowed(
                f"Until you are {YOUTH_SUPPORT_SELF_AGE}, your parent or carer makes this "
                "choice (rule 9). Talk to them, or to the data protection officer."
            )


def needs_pupil_consent(
    right: RightType, pupil: PupilDetails, link: PupilLink, received_on: dt.date
) -> bool:
    """A parent's request about a pupil aged 12+ on the day it arrives needs the pupil's
    agreement or the DPO's recorded decision that they lack capacity (rule 7). The parent's
    own rights (educational record, youth support limit, complaints) do not."""
    if link.relationship == "self" or right in PARENTS_OWN_RIGHTS:
        return False
    return pupil.age_on(received_on) >= CONSENT_AGE


def create_request(
    session: Session,
    *,
    right: RightType,
    pupil: PupilDetails,
    requester: MISUser,
    link: PupilLink,
    details: str,
    received_on: dt.date | None = None,
    settings: Settings,
    channel: str = "electronic",
    extra_fields: Mapping[str, str] | None = None,
) -> RightsRequest:
    """Store a new request (status RECEIVED) with a unique reference such as ``SAR-2026-0007``.

    The reference comes from the row's primary key, so two requests stored at the same moment
    can never share one. Call :func:`admit` next, then commit, then enqueue.

    :raises RequestNotAllowed: see :func:`check_may_request`.
    """
    received_on = received_on or dt.date.today()
    check_may_request(right, pupil, requester, link, received_on, settings)
    req = RightsRequest(
        reference=f"NEW-{uuid.uuid4().hex[:32]}",
        right=right,
        status=Status.RECEIVED,
        pupil_id=pupil.id,
        requester_user_id=requester.id,
        requester_name=requester.name,
        requester_relationship=link.relationship,
        channel=channel,
        details=details,
        received_on=received_on,
        consent_required=needs_pupil_consent(right, pupil, link, received_on),
        extra_fields=dict(extra_fields) if extra_fields else None,
        docs_total=0,
        docs_done=0,
    )
    session.add(req)
    session.flush()
    req.reference = f"{REFERENCE_PREFIX[right]}-{received_on.year}-{req.id:04d}"
    record_event(
        session,
        req,
        "received",
        actor_id=requester.id,
        actor_role=requester.role.value,
        detail=f"{right.label}, made by {requester.name} ({link.relationship}) via {channel}",
        to_status=Status.RECEIVED.value,
    )
    return req


def admit(
    session: Session,
    req: RightsRequest,
    *,
    settings: Settings,
    identity_by_login: bool = True,
) -> bool:
    """Take a freshly received request as far as it can go on its own.

    A known parent or pupil signed in through the MIS is identity-checked by that login; the
    reason is recorded and the clock starts on receipt (rules 2 and 8). A school that prefers
    its DPO to check identity first sets ``PUPIL_PRIVACY_TRUST_MIS_LOGIN = False``: the request
    then waits in RECEIVED. A parent's request about a pupil aged 12+ waits for the pupil
    (rule 7).

    :returns: True when the caller should enqueue processing (after committing).
    """
    if identity_by_login and settings.extra.get("trust_mis_login", True):
        record_identity(
            session,
            req,
            on=req.received_on,
            method=LOGIN_IDENTITY.format(
                relationship="pupil"
                if req.requester_relationship == "self"
                else req.requester_relationship
            ),
            actor_id=None,
            actor_role="system",
            settings=settings,
            advance=False,
        )
    return _advance_after_checks(session, req, actor_id=None, actor_role="system")


def _advance_after_checks(
    session: Session, req: RightsRequest, *, actor_id: str | None, actor_role: str
) -> bool:
    """Move on once identity (and consent, when needed) are settled; True means enqueue."""
    if req.identity_checked_at is None:
        return False
    if req.consent_required and consent_decision(session, req) is None:
        if req.status != Status.AWAITING_CONSENT:
            transition(
                session,
                req,
                Status.AWAITING_CONSENT,
                actor_id=actor_id,
                actor_role=actor_role,
                detail="The pupil is 12 or over: their agreement, or the DPO's recorded "
                "decision that they lack capacity, is needed first (rule 7).",
            )
        return False
    transition(session, req, Status.IN_PROGRESS, actor_id=actor_id, actor_role=actor_role)
    return RightType(req.right).produces_pack


# -- identity and clock ------------------------------------------------------------------------


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
    """15 school days from the school's term dates (rule 4). Without term dates, or when they
    run out, count working days instead: never later than the school-day answer."""
    region = settings.bank_holiday_region
    terms = settings.extra.get("term_dates")
    if isinstance(terms, TermDates):
        try:
            return add_school_days(start, EDUCATIONAL_RECORD_SCHOOL_DAYS, terms, region)
        except ValueError:
            log.warning(
                "term dates end before 15 school days from %s: counting working days", start
            )
    return _add_working_days(start, EDUCATIONAL_RECORD_SCHOOL_DAYS, region)


def _add_working_days(start: dt.date, count: int, region: str) -> dt.date:
    day = start
    for _ in range(count):
        day = next_working_day(day + dt.timedelta(days=1), region)
    return day


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


def ask_for_id(
    session: Session, req: RightsRequest, *, reason: str, actor_id: str, settings: Settings
) -> None:
    """The DPO asks for identity evidence: the clock has not started until it arrives (rule 2)."""
    transition(session, req, Status.AWAITING_ID, actor_id=actor_id, actor_role="dpo", detail=reason)
    req.identity_checked_at = None
    req.identity_checked_by = None
    req.identity_method = None
    req.clock_started_on = None
    req.due_on = None
    record_event(
        session,
        req,
        "id_requested",
        actor_id=actor_id,
        actor_role="dpo",
        detail=f"Identity evidence asked for: {reason}. The clock starts when it arrives (rule 2).",
    )


def record_identity(
    session: Session,
    req: RightsRequest,
    *,
    on: dt.date,
    method: str,
    actor_id: str | None,
    actor_role: str = "dpo",
    settings: Settings,
    advance: bool = True,
) -> bool:
    """Record how identity and parental responsibility were checked (rule 8) and start the
    clock that day (rule 2).

    :param advance: move the request on (to consent or processing) afterwards.
    :returns: True when the caller should enqueue processing.
    """
    if not method.strip():
        raise RequestNotAllowed("Say how identity was checked, or why no ID was asked for (rule 8)")
    if req.status not in (Status.RECEIVED, Status.AWAITING_ID):
        raise RequestNotAllowed(f"{req.reference} is {req.status}: identity is already settled")
    req.identity_checked_at = utcnow()
    req.identity_checked_by = actor_id or "mis-login"
    req.identity_method = method.strip()
    record_event(
        session,
        req,
        "identity",
        actor_id=actor_id,
        actor_role=actor_role,
        detail=req.identity_method,
    )
    start_clock(session, req, on, settings=settings, actor_id=actor_id, actor_role=actor_role)
    if not advance:
        return False
    return _advance_after_checks(session, req, actor_id=actor_id, actor_role=actor_role)


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
    transition(session, req, Status.CLARIFICATION, actor_id=actor_id, actor_role="dpo")
    pause = ClockPause(request=req, paused_on=on, reason=reason.strip(), paused_by=actor_id)
    session.add(pause)
    record_event(
        session, req, "clock_paused", actor_id=actor_id, actor_role="dpo", detail=reason.strip()
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
    transition(session, req, Status.IN_PROGRESS, actor_id=actor_id, actor_role="dpo")
    record_event(
        session,
        req,
        "clock_resumed",
        actor_id=actor_id,
        actor_role="dpo",
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
        actor_role="dpo",
        detail=f"Extended to {req.due_on}: {reason.strip()} (rule 3)",
    )


# -- consent (rule 7) --------------------------------------------------------------------------


def consent_decision(session: Session, req: RightsRequest) -> PupilConsent | None:
    """The latest recorded decision on the pupil's consent, if any."""
    return session.scalars(
        select(PupilConsent)
        .where(PupilConsent.request_id == req.id)
        .order_by(PupilConsent.id.desc())
        .limit(1)
    ).first()


def record_consent(
    session: Session,
    req: RightsRequest,
    *,
    decision: str,
    decided_by: str,
    comment: str | None,
    actor_role: str,
) -> bool:
    """Record the pupil's answer ("agreed" or "refused") or the DPO's "lacks_capacity"
    decision (rule 7). A refusal refuses the parent's request.

    :returns: True when the caller should enqueue processing.
    """
    if req.status != Status.AWAITING_CONSENT:
        raise RequestNotAllowed(f"{req.reference} is not waiting for the pupil's agreement")
    if decision not in ("agreed", "refused", "lacks_capacity"):
        raise RequestNotAllowed(f"unknown consent decision {decision!r}")
    if decision == "lacks_capacity" and not (comment or "").strip():
        raise RequestNotAllowed("Record the reasons the pupil lacks capacity (rule 7)")
    session.add(
        PupilConsent(
            request_id=req.id,
            pupil_id=req.pupil_id,
            decision=decision,
            decided_by=decided_by,
            comment=(comment or "").strip() or None,
            decided_at=utcnow(),
        )
    )
    record_event(
        session,
        req,
        f"consent_{decision}",
        actor_id=decided_by,
        actor_role=actor_role,
        detail=(comment or "").strip() or None,
    )
    session.flush()
    if decision == "refused":
        # The pupil's own words stay in the DPO's record: confidentiality is owed to them.
        refuse(
            session,
            req,
            reasons="The pupil is 12 or over and did not agree to this request for their "
            "data (rule 7). Their data belongs to them, so the school cannot release it.",
            actor_id=decided_by,
            actor_role=actor_role,
            today=dt.date.today(),
        )
        return False
    return _advance_after_checks(session, req, actor_id=decided_by, actor_role=actor_role)


# -- outcomes ----------------------------------------------------------------------------------


def refuse(
    session: Session,
    req: RightsRequest,
    *,
    reasons: str,
    actor_id: str | None,
    actor_role: str = "dpo",
    today: dt.date,
) -> None:
    """Refuse with reasons and the routes to the ICO and the courts (rule 15)."""
    if not reasons.strip():
        raise RequestNotAllowed("A refusal needs reasons; the requester is told them (rule 15)")
    transition(session, req, Status.REFUSED, actor_id=actor_id, actor_role=actor_role)
    req.outcome = f"{reasons.strip()}\n\n{REFUSAL_ROUTES}"
    req.answered_on = today
    record_event(session, req, "refused", actor_id=actor_id, actor_role=actor_role, detail=reasons)


def complete(
    session: Session, req: RightsRequest, *, outcome: str, actor_id: str, today: dt.date
) -> None:
    """Answer a request that needs no pack (rectification, erasure, a complaint...)."""
    if not outcome.strip():
        raise RequestNotAllowed("Say what was done: the requester is told")
    transition(session, req, Status.COMPLETED, actor_id=actor_id, actor_role="dpo")
    req.outcome = outcome.strip()
    req.answered_on = today
    record_event(session, req, "answered", actor_id=actor_id, actor_role="dpo", detail=outcome)


def withdraw(session: Session, req: RightsRequest, *, actor_id: str, actor_role: str) -> None:
    """The requester withdraws their request."""
    transition(session, req, Status.WITHDRAWN, actor_id=actor_id, actor_role=actor_role)
    req.answered_on = dt.date.today()


def pending_dsl_review(req: RightsRequest) -> list[RequestDocument]:
    """Safeguarding documents, redacted and waiting for the DSL to release or withhold them
    (rule 14). A document that could not be processed is not in the pack: it waits for
    nobody."""
    return [
        d
        for d in req.documents
        if d.needs_dsl_review and d.dsl_decision is None and d.status == "done"
    ]


def dsl_decide(
    session: Session,
    doc: RequestDocument,
    *,
    decision: str,
    reason: str,
    actor_id: str,
) -> bool:
    """The designated safeguarding lead releases or withholds one safeguarding document
    (rule 14), always with a reason.

    :returns: True when this was the last pending document, so the pack can be assembled
        (the caller commits, then enqueues the assembly).
    """
    if decision not in ("release", "withhold"):
        raise RequestNotAllowed(f"unknown decision {decision!r}: release or withhold")
    if not reason.strip():
        raise RequestNotAllowed("Record the reason for the decision (rule 14)")
    if not doc.needs_dsl_review:
        raise RequestNotAllowed("This document is not waiting for the safeguarding lead")
    if doc.request.status not in (Status.IN_PROGRESS, Status.SAFEGUARDING_REVIEW):
        raise RequestNotAllowed(
            f"{doc.request.reference} is {doc.request.status}: its records are no longer "
            "being prepared for release"
        )
    doc.dsl_decision = decision
    doc.dsl_reason = reason.strip()
    doc.dsl_user_id = actor_id
    if decision == "withhold":
        doc.status = "withheld"
    req = doc.request
    record_event(
        session,
        req,
        f"dsl_{decision}",
        actor_id=actor_id,
        actor_role="dsl",
        detail=f"{doc.title}: {reason.strip()} (rule 14)",
    )
    session.flush()
    # The request stays in SAFEGUARDING_REVIEW: the worker's assembly moves it to
    # READY_FOR_REVIEW once the pack is built without the withheld documents.
    return req.status == Status.SAFEGUARDING_REVIEW and not pending_dsl_review(req)


def approve(session: Session, req: RightsRequest, *, actor_id: str, today: dt.date) -> None:
    """The DPO approves the redacted pack and releases it (rules 14 and 19): every redaction is
    marked confirmed by them; the request is answered today."""
    if req.status != Status.READY_FOR_REVIEW:
        raise RequestNotAllowed(f"{req.reference} is {req.status}: only a built pack is approved")
    pending = pending_dsl_review(req)
    if pending:
        raise RequestNotAllowed(
            f"{len(pending)} safeguarding document(s) still wait for the designated "
            "safeguarding lead's review (rule 14)"
        )
    if not any(p.kind == "requester" and p.storage_key for p in req.packs):
        raise RequestNotAllowed(f"{req.reference} has no requester pack to release")
    now = utcnow()
    count = 0
    for doc in req.documents:
        for red in doc.redactions:
            if red.confirmed_by is None:
                red.confirmed_by = actor_id
                red.confirmed_at = now
                count += 1
    transition(session, req, Status.APPROVED, actor_id=actor_id, actor_role="dpo")
    req.answered_on = today
    record_event(
        session,
        req,
        "approved",
        actor_id=actor_id,
        actor_role="dpo",
        detail=f"Pack approved and released; {count} redaction(s) confirmed (rule 19)",
    )
