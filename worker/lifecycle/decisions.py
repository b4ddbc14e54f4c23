"""Outcomes: refusal (rule 15), answering, withdrawal, the safeguarding lead's review (rule 14)
and the DPO's approval of the pack."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.orm import Session

from ..models import (
    RequestDocument,
    RightsRequest,
    utcnow,
)
from ..states import (
    ActorRole,
    DocumentStatus,
    DslDecision,
    PackKind,
    Status,
)
from .events import RequestNotAllowed, record_event, transition

log = logging.getLogger(__name__)


#: Told to every requester whose request is refused (rule 15).
REFUSAL_ROUTES = (
    "You can complain to the Information Commissioner's Office (ico.org.uk/concerns, "
    "0303 123 1113), or apply to a court for an order that the school comply "
    "(UK GDPR Art 12(4); DPA 2018 s.167)."
)


def refuse(
    session: Session,
    req: RightsRequest,
    *,
    reasons: str,
    actor_id: str | None,
    actor_role: str = ActorRole.DPO,
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
    transition(session, req, Status.COMPLETED, actor_id=actor_id, actor_role=ActorRole.DPO)
    req.outcome = outcome.strip()
    req.answered_on = today
    record_event(
        session, req, "answered", actor_id=actor_id, actor_role=ActorRole.DPO, detail=outcome
    )


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
        if d.needs_dsl_review and d.dsl_decision is None and d.status == DocumentStatus.DONE
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
    if decision not in set(DslDecision):
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
    if decision == DslDecision.WITHHOLD:
        doc.status = "withheld"
    req = doc.request
    record_event(
        session,
        req,
        f"dsl_{decision}",
        actor_id=actor_id,
        actor_role=ActorRole.DSL,
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
    if not any(p.kind == PackKind.REQUESTER and p.storage_key for p in req.packs):
        raise RequestNotAllowed(f"{req.reference} has no requester pack to release")
    # Imported here: the review module records its decisions through this package's events.
    from ..review import ReviewError, check_approvable

    try:
        check_approvable(session, req)  # flagged passages and refused documents decided
    except ReviewError as exc:
        raise RequestNotAllowed(str(exc)) from exc
    now = utcnow()
    count = 0
    for doc in req.documents:
        for red in doc.redactions:
            if red.confirmed_by is None:
                red.confirmed_by = actor_id
                red.confirmed_at = now
                count += 1
    transition(session, req, Status.APPROVED, actor_id=actor_id, actor_role=ActorRole.DPO)
    req.answered_on = today
    record_event(
        session,
        req,
        "approved",
        actor_id=actor_id,
        actor_role=ActorRole.DPO,
        detail=f"Pack approved and released; {count} redaction(s) confirmed (rule 19)",
    )
