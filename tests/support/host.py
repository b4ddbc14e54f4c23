"""The test host MIS: a minimal Flask app with a login route and the extension mounted on the
shared fake school; requests stored as the intake form stores them, and packs built by the
real worker (a ``SimpleWorker`` burst on the test Redis, with the spaCy-free detector)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from flask import Flask, g, session

from pupil_privacy.plugin import PupilPrivacy, runtime_for
from pupil_privacy.worker import lifecycle
from pupil_privacy.worker.mis import InMemoryMIS
from pupil_privacy.worker.states import RightType

from .detector import LiteralRedactor
from .school import TODAY, school, without_safeguarding

#: Every app made, so the database fixture can close their connections before dropping its schema.
CREATED_APPS: list[Flask] = []


def dispose_apps() -> None:
    """Close every pooled connection the test apps opened."""
    while CREATED_APPS:
        app = CREATED_APPS.pop()
        runtime = app.extensions.get("pupil_privacy")
        db = getattr(runtime, "db", None) or app.extensions.get("sqlalchemy")
        if db is None:
            continue
        with app.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()


def make_host_app(
    tmp_path: Path,
    redis_url: str,
    database: tuple[str, dict[str, Any]],
    *,
    mis: InMemoryMIS | None = None,
    host_db: bool = False,
    **config: Any,
) -> Flask:
    """A minimal host MIS with a login route and the extension mounted."""
    app = Flask("host_mis", instance_path=str(tmp_path / "instance"))
    url, engine_options = database
    app.config.update(
        SECRET_KEY="test-secret",
        TESTING=True,
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS=engine_options,
        PUPIL_PRIVACY_REDIS_URL=redis_url,
        PUPIL_PRIVACY_PACK_KEY=Fernet.generate_key().decode(),
        PUPIL_PRIVACY_STORAGE_DIR=str(tmp_path / "storage"),
        PUPIL_PRIVACY_SCHOOL_NAME="Fenland Academy",
        PUPIL_PRIVACY_DPO_NAME="Dana Price",
        PUPIL_PRIVACY_DPO_CONTACT="dpo@fenland.example",
    )
    app.config.update(config)

    @app.before_request
    def fresh_csrf_token() -> None:
        # The `db` fixture keeps one app context open across requests, so `g` (where
        # Flask-WTF caches the token) would leak between clients; in production every request
        # has its own app context and `g` starts empty.
        g.pop("csrf_token", None)

    @app.route("/login")
    def login() -> str:
        return "the host's login page"

    @app.route("/test-login/<user_id>")
    def test_login(user_id: str) -> str:
        session["test_user"] = user_id
        return "ok"

    CREATED_APPS.append(app)
    if host_db:
        from flask_sqlalchemy import SQLAlchemy

        SQLAlchemy().init_app(app)
    PupilPrivacy(app, mis=mis or school())
    return app


def stored_request(
    app: Flask,
    *,
    pupil_id: str = "p-amy",
    requester_id: str = "u-mum",
    right: str = "access",
    received_on: dt.date | None = None,
    identity_by_login: bool = True,
) -> int:
    """A request stored and admitted through the lifecycle, as the intake form does."""
    with app.app_context():
        runtime = runtime_for(app)
        session = runtime.session
        user = runtime.mis.user(requester_id)
        assert user is not None
        link = next(lk for lk in runtime.mis.pupils_for(user.id) if lk.pupil_id == pupil_id)
        pupil = runtime.mis.pupil(pupil_id)
        assert pupil is not None
        req = lifecycle.create_request(
            session,
            right=RightType(right),
            pupil=pupil,
            requester=user,
            link=link,
            details="test request",
            received_on=received_on or TODAY,
            settings=runtime.settings,
        )
        lifecycle.admit(
            session, req, settings=runtime.settings, identity_by_login=identity_by_login
        )
        session.commit()
        return req.id


def built_pack(app: Flask, request_id: int, *, safeguarding: bool = True) -> None:
    """Build a stored request's pack the way production does: enqueue it and let a real RQ
    worker collect, redact and assemble Amy Okafor's records (a report naming a classmate, an
    encrypted scan that cannot be processed and, unless ``safeguarding`` is False, a
    safeguarding note that waits for the DSL)."""
    from pupil_privacy.worker import queueing
    from pupil_privacy.worker.runner import make_worker

    runtime = runtime_for(app)
    if not safeguarding:
        without_safeguarding(runtime.mis, "p-amy")  # type: ignore[arg-type]
    # The spaCy-free detector, and no waiting between retries: what the worker tests use.
    runtime.settings = dataclasses.replace(
        runtime.settings, redactor=LiteralRedactor(), retry_intervals=(0,), lease_seconds=1.5
    )
    with app.app_context():
        queueing.enqueue_request(request_id)
        make_worker(runtime, simple=True).work(burst=True, with_scheduler=False)
        runtime.session.remove()


def run_queued_jobs(app: Flask) -> None:
    """Run whatever the web side queued (e.g. assembly after the DSL's last decision)."""
    from pupil_privacy.worker.runner import make_worker

    runtime = runtime_for(app)
    with app.app_context():
        make_worker(runtime, simple=True).work(burst=True, with_scheduler=False)
        runtime.session.remove()
