"""The designated safeguarding lead's review of safeguarding records before release (rule 14)."""

from __future__ import annotations

import io
from typing import Any

from flask import abort, flash, redirect, render_template, send_file, url_for
from sqlalchemy import select

from pupil_privacy.worker import lifecycle
from pupil_privacy.worker.mis import UserRole
from pupil_privacy.worker.models import RequestDocument, RightsRequest
from pupil_privacy.worker.states import DocumentStatus, Status

from ..auth import requires, same_school, school_filter
from ..auth import signed_in_user as user_now
from ..blueprint import bp
from ..enqueue import enqueue_assembly
from ..forms import DSLDecisionForm
from ..runtime import db, runtime_for

#: Requests whose safeguarding records the DSL can still decide on: being built or waiting.
REVIEWABLE = (Status.IN_PROGRESS, Status.SAFEGUARDING_REVIEW)


@bp.route("/dsl")
@requires(UserRole.DSL)
def dsl_queue() -> Any:
    """Safeguarding documents waiting for a decision, then the ones already decided."""
    docs = list(
        db().scalars(
            select(RequestDocument)
            .join(RightsRequest, RequestDocument.request_id == RightsRequest.id)
            .where(
                RequestDocument.needs_dsl_review.is_(True),
                RightsRequest.status.in_(REVIEWABLE),
                *school_filter(user_now()),
            )
            .order_by(RequestDocument.dsl_decision.is_not(None), RequestDocument.id)
        )
    )
    mis = runtime_for().mis
    pupils = {d.request.pupil_id: mis.pupil(d.request.pupil_id) for d in docs}
    return render_template(
        "pupil_privacy/dsl_queue.html",
        user=user_now(),
        pending=[d for d in docs if d.dsl_decision is None and d.status == DocumentStatus.DONE],
        decided=[d for d in docs if d.dsl_decision is not None],
        pupils=pupils,
        form=DSLDecisionForm(),
    )


@bp.route("/dsl/documents/<int:document_id>", methods=["POST"])
@requires(UserRole.DSL)
def dsl_decide(document_id: int) -> Any:
    doc = db().get(RequestDocument, document_id)
    if (
        doc is None
        or not doc.needs_dsl_review
        or not same_school(user_now(), doc.request.school_id)
    ):
        abort(404, "There is no such safeguarding document waiting for review.")
    form = DSLDecisionForm()
    if not form.validate_on_submit():
        errors = "; ".join(e for field in form.errors.values() for e in field)
        flash(errors or "The form expired. Please reload the page and try again.", "error")
        return redirect(url_for(".dsl_queue"))
    if doc.dsl_decision is not None:
        abort(409, f"{doc.title!r} was already decided: {doc.dsl_decision}.")
    assemble = lifecycle.dsl_decide(
        db(),
        doc,
        decision=form.decision.data or "",
        reason=form.reason.data or "",
        actor_id=user_now().id,
    )
    db().commit()
    if assemble:
        enqueue_assembly(doc.request_id)
    flash(f"{doc.title}: {'released' if doc.dsl_decision == 'release' else 'withheld'}.")
    return redirect(url_for(".dsl_queue"))


@bp.route("/documents/<int:document_id>.pdf")
@requires(UserRole.DSL, UserRole.DPO)
def view_document(document_id: int) -> Any:
    """The redacted copy of one document, for the DSL's and DPO's review (audited)."""
    doc = db().get(RequestDocument, document_id)
    if doc is None or doc.output_key is None:
        abort(404, "There is no redacted copy of this document.")
    user = user_now()
    from pupil_privacy.worker.pack.storage import read_document

    data = read_document(runtime_for(), doc)
    lifecycle.record_event(
        db(),
        doc.request,
        "document_viewed",
        actor_id=user.id,
        actor_role=user.role.value,
        detail=doc.title,
    )
    db().commit()
    return send_file(
        io.BytesIO(data),
        mimetype="application/pdf",
        download_name=f"{doc.request.reference}-document-{doc.id}.pdf",
        max_age=0,
    )
