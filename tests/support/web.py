"""Driving a Flask app's forms through the test client, CSRF tokens included (the test host
and the demo MIS render the token the same way)."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

_CSRF = (
    re.compile(r'name="csrf_token"[^>]*value="([^"]+)"'),
    re.compile(r'value="([^"]+)"[^>]*name="csrf_token"'),
)


def csrf_token_in(html: str) -> str:
    """The CSRF token of the first form in ``html``."""
    for pattern in _CSRF:
        if match := pattern.search(html):
            return match.group(1)
    raise AssertionError("the page has no CSRF token")


def csrf_token(client: FlaskClient, page: str = "/privacy/") -> str:
    """The CSRF token from a form on ``page`` (the same for every form in this session)."""
    return csrf_token_in(client.get(page).get_data(as_text=True))


def post_form(client: FlaskClient, url: str, data: dict[str, Any], page: str = "/privacy/") -> Any:
    """POST a form the way a browser does: with the CSRF token from a page."""
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data})


def submit_request(client: FlaskClient, pupil_id: str, right: str, **fields: Any) -> Any:
    """Make a request through the tab's form, as a parent or pupil would."""
    data = {"pupil_id": pupil_id, "right": right, "details": "", **fields}
    return post_form(client, "/privacy/requests/new", data, page="/privacy/requests/new")


def dpo_action(client: FlaskClient, request_id: int, action: str, data: dict[str, Any]) -> Any:
    """One of the DPO's recorded actions on a request (``refuse``, ``identity``, ...), posted
    from the request's own page as the console does."""
    page = f"/privacy/dpo/requests/{request_id}"
    return post_form(client, f"{page}/{action}", data, page=page)
