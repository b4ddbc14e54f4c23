"""The demo MIS's own sign-in: a username and password form (CSRF via Flask-WTF), the
signed-in user in the Flask session (revoked on the server at sign-out), and a
``login_required`` decorator.

Nothing here knows about the Privacy tab: it reads the same session key through
:class:`~.adapter.DemoMIS`, which is how it would work in a real school system.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import current_app, g, redirect, request, session, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.security import check_password_hash
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from pupil_privacy.plugin import runtime_for
from pupil_privacy.worker.mis import UserRole

from . import models as m
from .adapter import SESSION_KEY
from .models import db

F = TypeVar("F", bound=Callable[..., Any])
STAFF_ROLES = frozenset({UserRole.STAFF, UserRole.DPO, UserRole.DSL, UserRole.ADMIN})


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired()])
    password = PasswordField("Password", validators=[DataRequired()])


class LogoutForm(FlaskForm):
    """Signing out is a POST with a CSRF token, so another site cannot sign you out."""


def authenticate(username: str, password: str) -> m.User | None:
    user = db.session.scalars(select(m.User).filter_by(username=username.strip())).first()
    if user is None or not check_password_hash(user.password_hash, password):
        return None
    return cast(m.User, user)


#: Where a live session's id is kept on the server; signing out deletes it.
SESSION_ID_KEY = "demo_session_id"


def _live_key(session_id: str) -> str:
    return f"demo:session:{session_id}"


def sign_in(user: m.User) -> None:
    """A fresh session (no fixation of an earlier one) whose id the server also holds.

    Flask's session is a signed cookie: clearing it on sign-out does not stop a copy of the
    old cookie working. The session id kept in Redis until sign-out (or the session's
    lifetime) is what makes a session revocable.
    """
    session.clear()
    session_id = secrets.token_urlsafe(32)
    lifetime = int(current_app.permanent_session_lifetime.total_seconds())
    runtime_for().redis.set(_live_key(session_id), user.id, ex=lifetime)
    session[SESSION_KEY] = user.id
    session[SESSION_ID_KEY] = session_id


def sign_out() -> None:
    """End the session on the server too: a replayed copy of the cookie signs nobody in."""
    session_id = session.get(SESSION_ID_KEY)
    if session_id:
        runtime_for().redis.delete(_live_key(session_id))
    session.clear()


def load_user() -> None:
    """``before_request``: the signed-in user (or None) as ``g.user``. A session the server
    no longer holds (signed out, expired) is cleared, so the Privacy tab's adapter, which
    reads the same session, sees nobody either."""
    user_id = session.get(SESSION_KEY)
    if user_id and not _live(user_id, session.get(SESSION_ID_KEY)):
        session.clear()
        user_id = None
    g.user = db.session.get(m.User, user_id) if user_id else None


def _live(user_id: str, session_id: str | None) -> bool:
    if not session_id:
        return False
    held = runtime_for().redis.get(_live_key(session_id))
    return isinstance(held, bytes) and held.decode() == user_id


def role_of(user: m.User) -> UserRole:
    return UserRole(user.role)


def is_staff(user: m.User) -> bool:
    return role_of(user) in STAFF_ROLES


def safe_next(target: str | None) -> str:
    """Only same-site paths after sign-in: ``next`` must not send people elsewhere."""
    if not target:
        return url_for("demo.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("demo.home")
    return target


def login_required(view: F) -> F:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.get("user") is None:
            return redirect(url_for("demo.login", next=request.full_path))
        return view(*args, **kwargs)

    return cast(F, wrapped)
