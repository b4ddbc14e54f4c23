"""The demo's sessions (issue 11): signing out ends the session on the server, so a copy of
the old cookie replayed afterwards signs nobody in (not the MIS, not the Privacy tab); the
cookie is SameSite=Lax and HttpOnly, and Secure when the demo is served over HTTPS."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from support.demo_host import login as sign_in
from support.web import csrf_token_in as csrf_token

from pupil_privacy.demo.app import create_app


def test_a_cookie_replayed_after_sign_out_signs_nobody_in(demo_app: Flask) -> None:
    client = demo_app.test_client()
    sign_in(client, "dpo")
    stolen = client.get_cookie("session")
    assert stolen is not None
    assert client.get("/privacy/dpo").status_code == 200

    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").text)})

    attacker = demo_app.test_client()
    attacker.set_cookie("session", stolen.value)
    assert attacker.get("/").status_code == 302  # to the login page
    tab = attacker.get("/privacy/dpo")
    assert tab.status_code == 302 and tab.headers["Location"].startswith("/login")
    # Someone still signed in elsewhere is not affected by another's sign-out.
    other = demo_app.test_client()
    sign_in(other, "dpo")
    assert other.get("/privacy/dpo").status_code == 200


def test_the_session_cookie_is_lax_and_httponly(demo_app: Flask) -> None:
    client = demo_app.test_client()
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"username": "parent", "password": "riverside", "csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 302
    cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("session="))
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie
    assert "Secure" not in cookie  # plain http in the demo, unless configured


def test_secure_cookies_when_configured(
    monkeypatch: pytest.MonkeyPatch, redis_url: str, tmp_path
) -> None:
    monkeypatch.setenv("DEMO_SECURE_COOKIES", "1")
    app = create_app(
        {
            "SECRET_KEY": "demo-tests",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'mis.sqlite'}",
            "PUPIL_PRIVACY_REDIS_URL": redis_url,
            "PUPIL_PRIVACY_PACK_KEY": Fernet.generate_key().decode(),
            "PUPIL_PRIVACY_STORAGE_DIR": str(tmp_path / "packs"),
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
