"""Helpers the demo tests share (a module of its own: ``from conftest import`` is ambiguous
once several test folders have a conftest)."""

from __future__ import annotations

import datetime as dt
import re

from flask.testing import FlaskClient

# A fixed day keeps ages and dates stable across runs; one test uses the real today.
SEED_DAY = dt.date(2026, 3, 16)


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match is not None, "the page has no CSRF token"
    return match.group(1)


def sign_in(client: FlaskClient, username: str, password: str = "riverside") -> None:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 302, f"could not sign in as {username}"
