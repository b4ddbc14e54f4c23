"""The Privacy tab's blueprint: its error pages and template filters.

The routes live in :mod:`pupil_privacy.plugin.views`, one module per kind of user; they attach
themselves to :data:`bp` when that package is imported (the extension does it once). This
module imports no view. Every error a user can cause is shown as a message page, never a
traceback.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from werkzeug.exceptions import HTTPException

from pupil_privacy.redaction.errors import PupilPrivacyError
from pupil_privacy.worker.states import RightType, Status

from .runtime import runtime_for

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
    """A page that tells the user what went wrong, with the HTTP status ``code``."""
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
