"""The DPO's console: the register of requests (rule 20), each request's timeline and actions,
live progress, approval of the redacted pack, failed jobs, and publishing the notice."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from flask import (
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf import FlaskForm
from sqlalchemy import select

from pupil_privacy.worker import lifecycle
from pupil_privacy.worker.mis import UserRole
from pupil_privacy.worker.models import PupilConsent, RightsRequest
from pupil_privacy.worker.pack.export import formula_safe
from pupil_privacy.worker.states import TRANSITIONS, DocumentStatus, RightType, Status

from ..auth import requires, school_filter, scoped_request
from ..auth import signed_in_user as user_now
from ..blueprint import bp, document_words, stage_words
from ..enqueue import enqueue_processing, retry_processing
from ..forms import (
    ConfirmForm,
    IdentityForm,
    PupilAnswerForm,
    ReasonForm,
)
from ..runtime import db, runtime_for, settings, today


@bp.route("/dpo")
@requires(UserRole.DPO)
def dpo_register() -> Any:
    """Every request with its due date; overdue and due-soon ones highlighted (rule 20)."""
    wanted = request.args.get("status", "open")
    query = select(RightsRequest).order_by(RightsRequest.due_on.is_(None), RightsRequest.due_on)
    if wanted == "open":
        query = query.where(RightsRequest.status.in_([s for s in Status if s.is_open]))
    elif wanted in {s.value for s in Status}:
        query = query.where(RightsRequest.status == wanted)
    requests = list(db().scalars(query.where(*school_filter(user_now()))))
    soon = today() + dt.timedelta(days=runtime_for().due_soon_days)
    rows = [(req, _urgency(req, soon)) for req in requests]
    mis = runtime_for().mis
    pupils = {req.pupil_id: mis.pupil(req.pupil_id) for req in requests}
    return render_template(
        "pupil_privacy/dpo_register.html",
        user=user_now(),
        rows=rows,
        pupils=pupils,
        wanted=wanted,
        statuses=list(Status),
    )


REGISTER_COLUMNS = (
    "reference",
    "right",
    "pupil",
    "requester",
    "relationship",
    "channel",
    "received",
    "identity",
    "clock_started",
    "pauses",
    "extended",
    "due",
    "status",
    "answered",
    "systems_searched",
    "documents_disclosed",
    "documents_withheld",
    "documents_failed",
    "outcome",
)


@bp.route("/dpo/register.csv")
@requires(UserRole.DPO)
def dpo_register_csv() -> Any:
    """The whole register as CSV, for the school's accountability records (rule 20)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(REGISTER_COLUMNS)
    mis = runtime_for().mis
    query = select(RightsRequest).where(*school_filter(user_now())).order_by(RightsRequest.id)
    for req in db().scalars(query):
        pupil = mis.pupil(req.pupil_id)
        row = _register_row(req, pupil.name if pupil else req.pupil_id)
        writer.writerow([formula_safe(value) for value in row])
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=register-of-requests.csv"},
    )


def _register_row(req: RightsRequest, pupil_name: str) -> tuple[object, ...]:
    """One line of the register, in :data:`REGISTER_COLUMNS` order."""
    statuses = [d.status for d in req.documents]
    pauses = "; ".join(f"{p.paused_on} to {p.resumed_on or 'open'}: {p.reason}" for p in req.pauses)
    return (
        req.reference,
        RightType(req.right).label,
        pupil_name,
        req.requester_name,
        req.requester_relationship,
        req.channel,
        req.received_on.isoformat(),
        req.identity_method or "",
        req.clock_started_on.isoformat() if req.clock_started_on else "",
        pauses,
        req.extension_reason or "",
        req.due_on.isoformat() if req.due_on else "",
        req.status,
        req.answered_on.isoformat() if req.answered_on else "",
        "; ".join(req.systems_searched or ()),
        statuses.count("done"),
        statuses.count("withheld"),
        statuses.count("failed"),
        req.outcome or "",
    )


def _urgency(req: RightsRequest, soon: dt.date) -> str:
    if not Status(req.status).is_open or req.due_on is None:
        return ""
    if req.due_on < today():
        return "overdue"
    if req.due_on <= soon:
        return "due-soon"
    return ""


@bp.route("/dpo/requests/<int:request_id>")
@requires(UserRole.DPO)
def dpo_request(request_id: int) -> Any:
    req = scoped_request(request_id)
    status = Status(req.status)
    consents = list(db().scalars(select(PupilConsent).where(PupilConsent.request_id == req.id)))
    pupil = runtime_for().mis.pupil(req.pupil_id) if req.pupil_id else None
    pupil_name = pupil.name if pupil else "you"
    school = settings().for_school(req.school_id)
    return render_template(
        "pupil_privacy/dpo_request.html",
        user=user_now(),
        req=req,
        status=status,
        right=RightType(req.right),
        allowed=TRANSITIONS[status],
        pupil=pupil,
        consents=consents,
        refusal_letter=lifecycle.refusal_letter(req, school, pupil_name)
        if req.may_not_act_reason
        else "",
        refusal_reason=f"The school's records say {req.may_not_act_reason}."
        if req.may_not_act_reason
        else "",
        pending_dsl=lifecycle.pending_dsl_review(req),
        warnings=[(d, w) for d in req.documents for w in (d.warnings or [])],
        review_flags=[r for d in req.documents for r in d.redactions if r.action == "review"],
        packs={p.kind: p for p in req.packs if p.storage_key},
        extension_deadline=req.due_on if not req.extended else None,
        identity_form=IdentityForm(),
        reason_form=ReasonForm(),
        confirm_form=ConfirmForm(),
        answer_form=PupilAnswerForm(),
    )


@bp.route("/dpo/requests/<int:request_id>/progress.json")
@requires(UserRole.DPO)
def dpo_progress(request_id: int) -> Any:
    """Polled by the console's progress bar."""
    req = scoped_request(request_id)
    total, done = req.docs_total or 0, req.docs_done or 0
    failed = sum(1 for d in req.documents if d.status == DocumentStatus.FAILED)
    return jsonify(
        status=req.status,
        stage=req.stage,
        docs_done=done,
        docs_total=total,
        docs_failed=failed,
        percent=round(100 * done / total) if total else (100 if req.packs else 0),
        stage_words=stage_words(req.stage),
        documents={str(d.id): document_words(d) for d in req.documents},
    )


def _act(
    request_id: int, form: FlaskForm, action: Callable[[RightsRequest], bool | None], done: str
) -> Any:
    """Run one recorded DPO action: validate the form, call the lifecycle, commit, then enqueue
    when the action started processing."""
    req = scoped_request(request_id)
    if not form.validate_on_submit():
        errors = "; ".join(e for field in form.errors.values() for e in field)
        flash(errors or "The form expired. Please reload the page and try again.", "error")
        return redirect(url_for(".dpo_request", request_id=request_id))
    start = action(req)
    db().commit()
    if start:
        enqueue_processing(req.id)
    flash(done)
    return redirect(url_for(".dpo_request", request_id=request_id))


@bp.route("/dpo/requests/<int:request_id>/identity", methods=["POST"])
@requires(UserRole.DPO)
def dpo_identity(request_id: int) -> Any:
    form = IdentityForm()
    user = user_now()
    return _act(
        request_id,
        form,
        lambda req: lifecycle.record_identity(
            db(),
            req,
            on=form.on.data or today(),
            method=form.method.data or "",
            actor_id=user.id,
            settings=settings().for_school(req.school_id),
        ),
        "Identity recorded; the clock has started (rules 2 and 8).",
    )


@bp.route("/dpo/requests/<int:request_id>/ask-id", methods=["POST"])
@requires(UserRole.DPO)
def dpo_ask_id(request_id: int) -> Any:
    form = ReasonForm()
    user = user_now()
    return _act(
        request_id,
        form,
        lambda req: lifecycle.ask_for_id(
            db(),
            req,
            reason=form.reason.data or "",
            actor_id=user.id,
            settings=settings().for_school(req.school_id),
        ),
        "Identity evidence asked for: the clock starts when it arrives (rule 2).",
    )


@bp.route("/dpo/requests/<int:request_id>/pause", methods=["POST"])
@requires(UserRole.DPO)
def dpo_pause(request_id: int) -> Any:
    form = ReasonForm()
    user = user_now()

    def pause(req: RightsRequest) -> None:
        lifecycle.pause_clock(
            db(),
            req,
            on=form.on.data or today(),
            reason=form.reason.data or "",
            actor_id=user.id,
            settings=settings().for_school(req.school_id),
        )

    return _act(request_id, form, pause, "Clock paused while the requester clarifies (rule 2).")


@bp.route("/dpo/requests/<int:request_id>/resume", methods=["POST"])
@requires(UserRole.DPO)
def dpo_resume(request_id: int) -> Any:
    form = ConfirmForm()
    user = user_now()
    return _act(
        request_id,
        form,
        lambda req: lifecycle.resume_clock(
            db(), req, on=today(), actor_id=user.id, settings=settings().for_school(req.school_id)
        ),
        "Clarification received: the clock runs again (rule 2).",
    )


@bp.route("/dpo/requests/<int:request_id>/extend", methods=["POST"])
@requires(UserRole.DPO)
def dpo_extend(request_id: int) -> Any:
    form = ReasonForm()
    user = user_now()

    def extend(req: RightsRequest) -> None:
        lifecycle.extend(
            db(),
            req,
            reason=form.reason.data or "",
            today=today(),
            actor_id=user.id,
            settings=settings().for_school(req.school_id),
        )

    return _act(
        request_id, form, extend, "Extended by two months; tell the requester why (rule 3)."
    )


@bp.route("/dpo/requests/<int:request_id>/refuse", methods=["POST"])
@requires(UserRole.DPO)
def dpo_refuse(request_id: int) -> Any:
    form = ReasonForm()
    user = user_now()

    def refuse(req: RightsRequest) -> None:
        lifecycle.refuse(db(), req, reasons=form.reason.data or "", actor_id=user.id, today=today())

    return _act(
        request_id,
        form,
        refuse,
        "Request refused; the requester is shown the reasons and the routes to the ICO and "
        "the courts (rule 15).",
    )


@bp.route("/dpo/requests/<int:request_id>/complete", methods=["POST"])
@requires(UserRole.DPO)
def dpo_complete(request_id: int) -> Any:
    form = ReasonForm()
    user = user_now()

    def complete(req: RightsRequest) -> None:
        lifecycle.complete(
            db(), req, outcome=form.reason.data or "", actor_id=user.id, today=today()
        )

    return _act(request_id, form, complete, "Request answered.")


@bp.route("/dpo/requests/<int:request_id>/lacks-capacity", methods=["POST"])
@requires(UserRole.DPO)
def dpo_lacks_capacity(request_id: int) -> Any:
    form = ReasonForm()
    user = user_now()
    return _act(
        request_id,
        form,
        lambda req: lifecycle.record_consent(
            db(),
            req,
            decision="lacks_capacity",
            decided_by=user.id,
            comment=form.reason.data,
            actor_role=UserRole.DPO.value,
        ),
        "Recorded that the pupil lacks capacity; the request goes ahead (rule 7).",
    )


@bp.route("/dpo/requests/<int:request_id>/pupil-answer", methods=["POST"])
@requires(UserRole.DPO)
def dpo_pupil_answer(request_id: int) -> Any:
    """A pupil without an MIS login answers in person or on paper; the DPO records it."""
    form = PupilAnswerForm()
    user = user_now()
    return _act(
        request_id,
        form,
        lambda req: lifecycle.record_consent(
            db(),
            req,
            decision=form.decision.data or "",
            decided_by=user.id,
            comment=f"Recorded by the DPO: {form.reason.data}",
            actor_role=UserRole.DPO.value,
        ),
        "The pupil's answer is recorded (rule 7).",
    )


@bp.route("/dpo/requests/<int:request_id>/approve", methods=["POST"])
@requires(UserRole.DPO)
def dpo_approve(request_id: int) -> Any:
    form = ConfirmForm()
    user = user_now()

    def approve(req: RightsRequest) -> None:
        lifecycle.approve(db(), req, actor_id=user.id, today=today())

    return _act(request_id, form, approve, "Pack approved and released to the requester.")


@bp.route("/dpo/requests/<int:request_id>/retry", methods=["POST"])
@requires(UserRole.DPO)
def dpo_retry(request_id: int) -> Any:
    """Rebuild the pack or retry its failed documents: back to IN_PROGRESS, then the workers."""
    req = scoped_request(request_id)
    if not ConfirmForm().validate_on_submit():
        abort(400, "The form expired. Please reload the page and try again.")
    if not RightType(req.right).produces_pack:
        abort(409, "This kind of request has no pack to build.")
    if req.status in (Status.READY_FOR_REVIEW, Status.FAILED):
        lifecycle.transition(
            db(),
            req,
            Status.IN_PROGRESS,
            actor_id=user_now().id,
            actor_role="dpo",
            detail="Rebuild asked for by the DPO",
        )
    elif req.status != Status.IN_PROGRESS:
        abort(409, f"Request {req.reference} is {req.status}: there is nothing to rebuild.")
    db().commit()
    queued = retry_processing(req.id)
    flash("Rebuild queued." if queued else "The workers are not available; try again later.")
    return redirect(url_for(".dpo_request", request_id=request_id))


@bp.route("/dpo/failed-jobs")
@requires(UserRole.DPO, UserRole.ADMIN)
def dpo_failed_jobs() -> Any:
    # Imported here: the web app loads the worker's job modules only when a page needs them.
    from pupil_privacy.worker.failures import failed_jobs

    jobs = list(failed_jobs(runtime_for()))
    columns = sorted({key for job in jobs for key in job})
    return render_template(
        "pupil_privacy/dpo_failed_jobs.html",
        user=user_now(),
        jobs=jobs,
        columns=columns,
    )
