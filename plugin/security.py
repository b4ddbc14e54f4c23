"""What every response of the Privacy tab carries, and what every request to it may be.

Registered on the blueprint, so they apply to our routes only: the host's own pages keep
their headers and limits (docs/security.md says what the host should set for its sessions).

- Security headers: our pages cannot be framed (the one-click "Approve and release" must not
  be clickjacked), content types are not sniffed, scripts and styles come from our own files
  only (a CSP our templates satisfy: no inline script or style), and the full URL (with a
  request id) is not sent to other sites.
- A request size limit (``PUPIL_PRIVACY_MAX_CONTENT_LENGTH``): our forms are small, so a
  10 MB post is refused before Werkzeug reads it, with a message, not stored twice.
- Downloads (packs, documents) are ``Cache-Control: no-store, private``: no browser or proxy
  keeps a copy of a pupil's data after the download.
- Ids in URLs beyond the database's integer range are "not found", not a database error.
"""

from __future__ import annotations

import io
from typing import Any

from flask import Response, abort, current_app, request, send_file
from werkzeug.exceptions import RequestEntityTooLarge

from .blueprint import bp, message_page

#: Every response of ours; the CSP comes from ``PUPIL_PRIVACY_CONTENT_SECURITY_POLICY``.
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",  # browsers without CSP frame-ancestors
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
#: The largest id PostgreSQL's ``integer`` (and our primary keys) can hold.
MAX_DB_ID = 2**31 - 1


@bp.after_request
def _security_headers(response: Response) -> Response:
    # setdefault: a view (or the host, for its own reasons) that set a header wins.
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    csp = current_app.config.get("PUPIL_PRIVACY_CONTENT_SECURITY_POLICY")
    if csp:
        response.headers.setdefault("Content-Security-Policy", csp)
    return response


@bp.before_request
def _limit_request_size() -> None:
    limit = int(current_app.config["PUPIL_PRIVACY_MAX_CONTENT_LENGTH"])
    # Werkzeug then stops reading a body (chunked ones too) past the limit with a 413.
    request.max_content_length = limit
    if request.content_length is not None and request.content_length > limit:
        abort(413, too_large_message(limit))


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error: RequestEntityTooLarge) -> Any:
    # Werkzeug's own wording ("exceeds the capacity limit") does not say what to do.
    limit = int(current_app.config["PUPIL_PRIVACY_MAX_CONTENT_LENGTH"])
    return message_page(413, too_large_message(limit), "Too large")


def too_large_message(limit: int) -> str:
    """What a person is told when what they sent is over the limit."""
    return (
        f"What you sent is too large (the limit is {limit / 2**20:.1f} MB). Please shorten "
        "the text, or send a long document to the data protection officer separately."
    )


@bp.url_value_preprocessor
def _ids_in_range(endpoint: str | None, values: dict[str, Any] | None) -> None:
    # Every int in our URLs is looked up in an integer column: PostgreSQL raises on a value
    # beyond its range (a 500), SQLite would silently overflow.
    for value in (values or {}).values():
        if isinstance(value, int) and value > MAX_DB_ID:
            abort(404, "There is no such item.")


def private_file(data: bytes, mimetype: str, name: str, *, as_attachment: bool) -> Response:
    """Send decrypted personal data that no cache may keep (browser, proxy or disk)."""
    response = send_file(
        io.BytesIO(data), mimetype=mimetype, as_attachment=as_attachment, download_name=name
    )
    response.headers["Cache-Control"] = "no-store, private"
    response.headers["Pragma"] = "no-cache"  # HTTP/1.0 caches
    return response
