"""The Privacy tab's blueprint, its error pages and what every view needs.

The views live in one module per kind of user: ``family`` (parents and pupils), ``dpo`` (the
console), ``dsl`` (safeguarding review) and ``downloads``. Every error a user can cause is
shown as a message page, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from flask import Blueprint, abort, render_template
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from pupil_privacy.redaction.errors import PupilPrivacyError
from pupil_privacy.worker.models import RightsRequest
from pupil_privacy.worker.runtime import Settings
from pupil_privacy.worker.states import RightType, Status

from .extension import runtime_for

bp = Blueprint(
    "pupil_privacy",
    "pupil_privacy.plugin",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)

_TITLES = {
    400: "That did not work",
    401: "Please sign in",
    403: "Not allowed",
    404: "Not found",
    409: "Not possible now",
    410: "Link expired",
}


def message_page(code: int, message: str, title: str | None = None) -> tuple[str, int]:
    return (
        render_template(
            "pupil_privacy/message.html",
            code=code,
            title=title or _TITLES.get(code, "Something went wrong"),
            message=message,
        ),
        code,
    )


@bp.errorhandler(PupilPrivacyError)
def _domain_error(error: PupilPrivacyError) -> Any:
    # The unit of work failed part-way: drop it so nothing half-done is committed later.
    runtime_for().session.rollback()
    return message_page(409, str(error))


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Any:
    if error.response is not None:  # abort(redirect(...)) to the host's login page
        return error.response
    return message_page(error.code or 500, error.description or "")


log = logging.getLogger(__name__)


def db() -> Session:
    return runtime_for().session


def settings() -> Settings:
    return runtime_for().settings


def today() -> dt.date:
    return dt.date.today()


def request_or_404(request_id: int) -> RightsRequest:
    req = db().get(RightsRequest, request_id)
    if req is None:
        abort(404, "There is no such request.")
    return req


def _call_jobs(name: str, request_id: int) -> bool:
    """Call one of the worker's enqueue functions for a committed request.

    The request is already stored, so a failure here loses nothing: the reconciler re-enqueues
    work that never reached Redis (issue 4). Returns whether the job was queued now.
    """
    try:
        from pupil_privacy.worker import collection, queueing
    except ImportError:
        log.warning("worker jobs are not installed; request %s waits", request_id)
        return False
    try:
        getattr(collection if name == "retry_request" else queueing, name)(request_id)
    except Exception:  # Redis down, or anything else: the database stays the source of truth
        log.exception("%s(%s) failed; the reconciler will catch up", name, request_id)
        return False
    return True


def enqueue_processing(request_id: int) -> bool:
    """Start collecting and redacting a request's records."""
    return _call_jobs("enqueue_request", request_id)


def enqueue_assembly(request_id: int) -> bool:
    """Assemble the pack after the DSL's last decision (rule 14)."""
    return _call_jobs("enqueue_assemble", request_id)


def retry_processing(request_id: int) -> bool:
    """Retry failed documents and rebuild the pack (the DPO's "retry")."""
    return _call_jobs("retry_request", request_id)


@bp.app_template_filter("pp_right")
def _right_label(value: str) -> str:
    """The plain-English label of a right, for tables."""
    try:
        return RightType(value).label
    except ValueError:
        return value


#: What a requester is told about their request's status. Internal steps stay internal: in
#: particular nobody outside the school learns that safeguarding records exist (rule 14).
REQUESTER_STATUS = {
    Status.RECEIVED: "received",
    Status.AWAITING_ID: "waiting for proof of identity",
    Status.AWAITING_CONSENT: "waiting for the pupil's agreement",
    Status.CLARIFICATION: "waiting for your clarification",
    Status.IN_PROGRESS: "in progress",
    Status.SAFEGUARDING_REVIEW: "in progress",
    Status.FAILED: "in progress",
    Status.READY_FOR_REVIEW: "being checked by the data protection officer",
    Status.APPROVED: "answered",
    Status.COMPLETED: "answered",
    Status.REFUSED: "refused",
    Status.WITHDRAWN: "withdrawn",
}


@bp.app_template_filter("pp_requester_status")
def _requester_status(value: str | None) -> str:
    """A status as the requester sees it."""
    try:
        return REQUESTER_STATUS[Status(value or "")]
    except ValueError:
        return ""


def create_blueprint() -> Blueprint:
    """The blueprint with every view attached (imported here so routes register once)."""
    from . import downloads, dpo, dsl, family  # noqa: F401

    return bp
