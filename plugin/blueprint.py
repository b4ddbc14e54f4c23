"""The Privacy tab's blueprint: its error pages and template filters.

The routes live in :mod:`pupil_privacy.plugin.views`, one module per kind of user; they attach
themselves to :data:`bp` when that package is imported (the extension does it once). This
module imports no view. Every error a user can cause is shown as a message page, never a
traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, current_app, has_request_context, render_template, request, url_for
from jinja2 import Template
from werkzeug.exceptions import HTTPException, InternalServerError, default_exceptions

from pupil_privacy.redaction.errors import PupilPrivacyError
from pupil_privacy.worker.states import BuildStage, DocumentStatus, PackKind, RightType, Status

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


def _http_error(error: HTTPException) -> Any:
    if error.response is not None:  # abort(redirect(...)) to the host's login page
        return error.response
    return message_page(error.code or 500, error.description or "")


# Flask looks for a handler by status code (the blueprint's, then the app's) before it looks
# by exception class: a host's own @app.errorhandler(404) would beat a blueprint's
# HTTPException handler and replace our message with its generic card. So ours is
# registered per code, for every code werkzeug knows; it applies inside the tab only.
bp.register_error_handler(HTTPException, _http_error)
for _code in sorted(default_exceptions):
    bp.register_error_handler(_code, _http_error)


def _server_error(error: Exception) -> Any:
    """An unexpected error inside the tab: our page in the tab's layout, nothing half-done
    kept (the host's own 500 page would lose the tab's navigation)."""
    runtime_for().session.rollback()
    return message_page(
        500,
        "Something went wrong on our side. Nothing you sent was lost: try again, or tell the "
        "school's data protection officer.",
    )


bp.register_error_handler(InternalServerError, _server_error)


#: Our class hooks; ``PUPIL_PRIVACY_CLASSES`` adds the host's own classes to each, so a
#: button looks like the host's buttons: ``{"button": "btn btn-primary", "card": "card"}``.
CLASS_HOOKS = ("button", "card", "table")


@bp.app_template_global("pp_class")
def pp_class(kind: str) -> str:
    """``pp-<kind>`` plus the host's classes for it (from ``PUPIL_PRIVACY_CLASSES``)."""
    extra = current_app.config.get("PUPIL_PRIVACY_CLASSES", {}).get(kind, "")
    return f"pp-{kind} {extra}".strip()


@bp.app_template_global("pp_base_template")
def pp_base_template() -> Template:
    """The bridge between our pages and the host's base template: it fills the host's own
    block names (``PUPIL_PRIVACY_TITLE_BLOCK``, ``_HEADING_BLOCK``, ``_CONTENT_BLOCK``) with
    ours, so a host whose base calls them ``head_title`` and ``main`` needs no patching."""
    runtime = runtime_for()
    if runtime.bridge is None:
        config = current_app.config
        blocks = [
            (config["PUPIL_PRIVACY_TITLE_BLOCK"], "pp_title"),
            (config["PUPIL_PRIVACY_HEADING_BLOCK"], "pp_heading"),
            (config["PUPIL_PRIVACY_CONTENT_BLOCK"], "pp_content"),
        ]
        source = (
            "{% extends "
            + repr(runtime.base_template)
            + " %}"
            + "".join(
                f"{{% block {host} %}}{{% block {ours} %}}{{% endblock %}}{{% endblock %}}"
                for host, ours in blocks
                if host
            )
        )
        runtime.bridge = current_app.jinja_env.from_string(source)
    return runtime.bridge


@dataclass(frozen=True)
class NavLink:
    """The host's navigation entry for the tab: ``{% set tab = pupil_privacy_tab() %}``."""

    label: str
    url: str
    endpoint_prefix: str
    #: False for a user the MIS does not know (signed out): the host may hide the link.
    applies: bool
    #: The tab is the page being shown (for the host's "active" style).
    active: bool


@bp.app_template_global("pupil_privacy_tab")
def pupil_privacy_tab(label: str = "Privacy") -> NavLink:
    """The Privacy tab's link for the host's own navigation, and whether it applies to the
    signed-in user (anyone the MIS knows may ask about their own data)."""
    from .auth import current_user  # auth imports the runtime only; no view is imported

    endpoint = request.endpoint or ""
    return NavLink(
        label=label,
        url=url_for("pupil_privacy.index"),
        endpoint_prefix="pupil_privacy.",
        applies=has_request_context() and current_user() is not None,
        active=endpoint.startswith("pupil_privacy."),
    )


@bp.app_template_global("pp_school_name")
def pp_school_name() -> str:
    """The signed-in user's school's name (a host may serve several)."""
    from .auth import current_user

    user = current_user() if has_request_context() else None
    return runtime_for().settings.for_school(user.school_id if user else None).school_name


@bp.app_template_global("pp_name")
def person_name(user_id: str | None) -> str:
    """A user's name from the MIS, for timelines and decisions (the id only when the MIS no
    longer knows them). Asked once per id per web request."""
    if not user_id:
        return ""
    if user_id == "mis-login":
        return "the school's system (MIS sign-in)"
    from flask import g

    cache: dict[str, str] = g.setdefault("pp_names", {})
    if user_id not in cache:
        user = runtime_for().mis.user(user_id)
        cache[user_id] = user.name if user is not None else f"user {user_id}"
    return cache[user_id]


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


# The word tables are keyed by string enums, which hash as their plain values: a status read
# from the database looks its words up directly.


@bp.app_template_filter("pp_requester_status")
def _requester_status(value: str | None) -> str:
    """A status as the requester sees it."""
    return REQUESTER_STATUS.get(value or "", "")  # type: ignore[call-overload]


#: The pack build stage beside the DPO's progress bar, in words.
STAGE_WORDS = {
    BuildStage.QUEUED: "Waiting to start",
    BuildStage.COLLECTING: "Collecting records",
    BuildStage.REDACTING: "Redacting",
    BuildStage.ASSEMBLING: "Putting the pack together",
    BuildStage.READY: "Pack built",
    BuildStage.DSL_REVIEW: "Waiting for the safeguarding lead",
    BuildStage.FAILED: "Stopped: something failed",
}


@bp.app_template_filter("pp_stage")
def stage_words(value: str | None) -> str:
    """A build stage as words ("waiting" before the build starts)."""
    return STAGE_WORDS.get(value or "", "Waiting to start")  # type: ignore[call-overload]


#: What each stored file is, for the download buttons.
PACK_WORDS = {
    PackKind.REQUESTER: "the requester's copy (PDF)",
    PackKind.DPO: "your working copy with the redaction schedule (PDF, never released)",
    PackKind.EXPORT_JSON: "the data export (JSON)",
    PackKind.EXPORT_CSV: "the data export (CSV)",
}


#: The same files as the requester sees them.
YOUR_FILE_WORDS = {
    PackKind.REQUESTER: "your copy (PDF)",
    PackKind.EXPORT_CSV: "the data as a spreadsheet (CSV)",
    PackKind.EXPORT_JSON: "the data as a file for another organisation (JSON)",
}


@bp.app_template_filter("pp_your_file")
def _your_file_words(value: str) -> str:
    return YOUR_FILE_WORDS.get(value, value.replace("_", " "))  # type: ignore[call-overload]


@bp.app_template_filter("pp_pack")
def _pack_words(value: str) -> str:
    return PACK_WORDS.get(value, value.replace("_", " "))  # type: ignore[call-overload]


#: One document's status in the DPO's table; the progress bar counts the last three as done.
DOCUMENT_WORDS = {
    DocumentStatus.PENDING: "waiting to be redacted",
    DocumentStatus.PROCESSING: "being redacted",
    DocumentStatus.DONE: "redacted",
    DocumentStatus.WITHHELD: "withheld",
    DocumentStatus.FAILED: "could not be processed",
}


@bp.app_template_filter("pp_doc_status")
def document_words(doc: Any) -> str:
    """A document's status as the table and the live progress endpoint both show it."""
    words: str = DOCUMENT_WORDS.get(doc.status, str(doc.status))
    if doc.status == DocumentStatus.FAILED and doc.error:
        words += f": {doc.error}"
    return words


@bp.app_template_filter("pp_channel")
def _channel(value: str) -> str:
    """How a request arrived, in words (never the stored code "electronic")."""
    from pupil_privacy.worker.lifecycle.wording import channel_words

    return channel_words(value or "")


@bp.app_template_global("pp_outcome_guide")
def _outcome_guide(right: str) -> str:
    """What the DPO's answer to this right usually says (empty when there is no guide)."""
    from pupil_privacy.worker.lifecycle.wording import OUTCOME_GUIDE

    return OUTCOME_GUIDE.get(right, "")  # type: ignore[call-overload]
