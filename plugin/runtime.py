"""The extension's per-app state and the small helpers every view reaches it through.

Views import this module; it imports no view, so the plugin's modules form no import cycle.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Flask, abort, current_app
from flask_sqlalchemy import SQLAlchemy
from jinja2 import Template
from sqlalchemy.orm import Session

from pupil_privacy.worker.models import RightsRequest
from pupil_privacy.worker.runtime import EXTENSION_KEY, ConfigError, Runtime, Settings


@dataclass
class PluginRuntime(Runtime):
    """The worker's :class:`Runtime` plus what only the web side needs."""

    db: SQLAlchemy | None = None
    login_endpoint: str | None = None
    base_template: str = "pupil_privacy/standalone_base.html"
    due_soon_days: int = 7
    #: The compiled bridge to the host's base template (see ``blueprint.pp_base_template``).
    bridge: Template | None = None
    dpo_users: frozenset[str] = frozenset()
    dsl_users: frozenset[str] = frozenset()


def runtime_for(app: Flask | None = None) -> PluginRuntime:
    """The extension's per-app state (the current app's by default).

    :raises ConfigError: the extension is not mounted on the app.
    """
    app = app or current_app
    runtime = app.extensions.get(EXTENSION_KEY)
    if not isinstance(runtime, PluginRuntime):
        raise ConfigError("pupil-privacy is not mounted on this app: call PupilPrivacy.init_app")
    return runtime


def db() -> Session:
    """The current app's database session."""
    return runtime_for().session


def settings() -> Settings:
    """The current app's settings."""
    return runtime_for().settings


def today() -> dt.date:
    """Today's date (one place, so every view counts the statutory clock from the same day)."""
    return dt.date.today()


def request_or_404(request_id: int) -> RightsRequest:
    """The request with this id, or a 404 page."""
    req = db().get(RightsRequest, request_id)
    if req is None:
        abort(404, "There is no such request.")
    return req
