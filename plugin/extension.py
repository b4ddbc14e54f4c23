"""The ``PupilPrivacy`` Flask extension: config, database, Redis and the Privacy tab's blueprint.

Mount it in a school's MIS with::

    privacy = PupilPrivacy()
    privacy.init_app(app, mis=MyMISAdapter())

The app is never stored on the extension; everything per-app lives in
``app.extensions["pupil_privacy"]`` (a :class:`PluginRuntime`), so one extension object can
serve several apps (tests, app factories).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, cast

from flask import Flask, current_app
from flask_sqlalchemy import SQLAlchemy

from pupil_privacy.worker import consents
from pupil_privacy.worker.mis import MISAdapter
from pupil_privacy.worker.runtime import EXTENSION_KEY, ConfigError

from . import security, views  # noqa: F401  (importing them attaches their hooks and routes)
from .blueprint import bp
from .cli import cli_group
from .config import apply_defaults, build_settings
from .runtime import PluginRuntime, runtime_for

if TYPE_CHECKING:
    from redis import Redis
    from sqlalchemy.orm import Session


class PupilPrivacy:
    """The Privacy tab: rights requests, the notice, the DPO console and the DSL's review.

    :param app: a Flask app to mount on now (or call :meth:`init_app` later).
    :param mis: the school's :class:`~pupil_privacy.worker.mis.MISAdapter`.
    :param db: the host's Flask-SQLAlchemy instance, when it is not registered on the app yet.
    """

    def __init__(
        self,
        app: Flask | None = None,
        *,
        mis: MISAdapter | None = None,
        db: SQLAlchemy | None = None,
    ) -> None:
        self._mis = mis
        self._db = db
        if app is not None:
            self.init_app(app, mis=mis, db=db)

    def init_app(
        self, app: Flask, *, mis: MISAdapter | None = None, db: SQLAlchemy | None = None
    ) -> None:
        """Check the config, connect the database, and register the blueprint and CLI.

        :raises ConfigError: mounted twice, no MIS adapter, or a required key missing or wrong.
        """
        if EXTENSION_KEY in app.extensions:
            raise ConfigError(
                "pupil-privacy is already mounted on this app: call init_app once per app "
                "(use a new Flask app, or reuse the runtime in app.extensions['pupil_privacy'])"
            )
        mis = mis or self._mis
        if mis is None:
            raise ConfigError(
                "pupil-privacy needs the school's MIS adapter: PupilPrivacy(app, mis=...) "
                "or init_app(app, mis=...)"
            )
        _check_adapter(mis)
        apply_defaults(app)
        settings = build_settings(app.config)
        database = _connect_database(app, db or self._db)
        redis_url = app.config["PUPIL_PRIVACY_REDIS_URL"]
        app.extensions[EXTENSION_KEY] = PluginRuntime(
            settings=settings,
            mis=mis,
            # The scoped session itself (one Session per app context), so the worker can
            # ``remove()`` it between jobs.
            session_factory=lambda: cast("Session", database.session),
            redis_factory=lambda: _redis_from_url(redis_url),
            db=database,
            login_endpoint=app.config["PUPIL_PRIVACY_LOGIN_ENDPOINT"],
            base_template=app.config["PUPIL_PRIVACY_BASE_TEMPLATE"],
            due_soon_days=int(app.config["PUPIL_PRIVACY_DUE_SOON_DAYS"]),
            dpo_users=frozenset(map(str, app.config["PUPIL_PRIVACY_DPO_USERS"])),
            dsl_users=frozenset(map(str, app.config["PUPIL_PRIVACY_DSL_USERS"])),
        )
        app.register_blueprint(bp, url_prefix=app.config["PUPIL_PRIVACY_URL_PREFIX"])
        if "pupil-privacy" not in app.cli.commands:
            app.cli.add_command(cli_group)

    def consent_holds(self, pupil_id: str, purpose: str, on: dt.date | None = None) -> bool:
        """Whether consent for ``purpose`` holds for the pupil on ``on`` (today by default),
        for the host MIS to ask before it uses a photograph, a fingerprint or medical
        details (rules 21 and 22). Call it inside the app's context.

        :raises ConsentNotAllowed: the school has no such purpose (a typo is not "no").
        :raises LookupError: the MIS has no such pupil.
        """
        runtime = runtime_for(current_app)
        pupil = runtime.mis.pupil(pupil_id)
        if pupil is None:
            raise LookupError(f"the MIS has no pupil {pupil_id!r}")
        purposes = runtime.settings.for_school(pupil.school_id).consent_purposes
        return consents.consent_holds(runtime.session, purposes, pupil, purpose, on)


#: What an adapter must offer: the Protocol's own methods, in the order it declares them.
ADAPTER_METHODS = tuple(name for name in vars(MISAdapter) if not name.startswith("_"))


def _check_adapter(mis: object) -> None:
    """Name the methods an adapter lacks, now rather than on the first request."""
    missing = [name for name in ADAPTER_METHODS if not callable(getattr(mis, name, None))]
    if missing:
        raise ConfigError(
            f"the MIS adapter {type(mis).__name__} lacks {', '.join(missing)}: implement "
            "pupil_privacy.worker.mis.MISAdapter (see docs/plugin.md)"
        )


def _redis_from_url(url: str) -> Redis:
    from redis import Redis

    return Redis.from_url(url)


def _connect_database(app: Flask, db: SQLAlchemy | None) -> SQLAlchemy:
    """Use the host's Flask-SQLAlchemy when it has one, else our own.

    Our tables live on ``worker.models.Base`` with their own MetaData and no bind key, so the
    host's ``db.session`` sends them to its default engine; ``db.create_all()`` leaves them to
    our migrations.
    """
    if db is None:
        db = app.extensions.get("sqlalchemy")
    if db is not None:
        if "sqlalchemy" not in app.extensions:
            raise ConfigError(
                "the Flask-SQLAlchemy instance passed as db= is not initialised on this app: "
                "call db.init_app(app) before PupilPrivacy.init_app"
            )
        return db
    url = app.config["PUPIL_PRIVACY_DATABASE_URL"] or app.config.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{Path(app.instance_path) / 'pupil_privacy.sqlite'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    own = SQLAlchemy()
    own.init_app(app)
    return own
