"""Driving the demo MIS through the Flask test client, forms and CSRF tokens included."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from pupil_privacy.demo.school import DEMO_PASSWORD


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "page has no CSRF token"
    return match.group(1)


def login(client: FlaskClient, username: str) -> None:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"username": username, "password": DEMO_PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 302, response.text


def post_form(client: FlaskClient, page_url: str, action: str, data: dict[str, str]) -> str:
    """GET ``page_url`` for a fresh CSRF token, POST ``data`` to ``action``, follow redirects."""
    page = client.get(page_url)
    assert page.status_code == 200, page.text
    response = client.post(
        action, data={**data, "csrf_token": csrf_token(page.text)}, follow_redirects=True
    )
    assert response.status_code == 200, response.text
    return response.text
