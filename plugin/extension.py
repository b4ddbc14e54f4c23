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
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from flask import Flask, current_app
from flask_sqlalchemy import SQLAlchemy

from pupil_privacy.worker.clock import TermDates
from pupil_privacy.worker.mis import MISAdapter
from pupil_privacy.worker.runtime import (
    DEFAULT_RETENTION,
    EXTENSION_KEY,
    ConfigError,
    Runtime,
    Settings,
)

if TYPE_CHECKING:
    from redis import Redis
    from sqlalchemy.orm import Session

REQUIRED_KEYS = ("PUPIL_PRIVACY_REDIS_URL", "PUPIL_PRIVACY_PACK_KEY")


def _defaults(app: Flask) -> dict[str, Any]:
    return {
        "PUPIL_PRIVACY_URL_PREFIX": "/privacy",
        "PUPIL_PRIVACY_BASE_TEMPLATE": "pupil_privacy/standalone_base.html",
        "PUPIL_PRIVACY_LOGIN_ENDPOINT": None,
        "PUPIL_PRIVACY_STORAGE_DIR": str(Path(app.instance_path) / "pupil_privacy"),
        "PUPIL_PRIVACY_SCHOOL_NAME": "Our school",
        "PUPIL_PRIVACY_DPO_NAME": "The Data Protection Officer",
        "PUPIL_PRIVACY_DPO_CONTACT": "",
        "PUPIL_PRIVACY_QUEUE": "pupil-privacy",
        "PUPIL_PRIVACY_SPACY_MODEL": None,
        "PUPIL_PRIVACY_PACK_RETENTION_DAYS": 90,
        "PUPIL_PRIVACY_DOWNLOAD_LINK_SECONDS": 600,
        "PUPIL_PRIVACY_JOB_TIMEOUT": 1800,
        "PUPIL_PRIVACY_JOB_RETRIES": 3,
        "PUPIL_PRIVACY_MAX_DOCUMENT_BYTES": 50 * 1024 * 1024,
        "PUPIL_PRIVACY_RETENTION_SCHEDULE": dict(DEFAULT_RETENTION),
        "PUPIL_PRIVACY_BANK_HOLIDAY_REGION": "ENG",
        "PUPIL_PRIVACY_EDUCATIONAL_RECORD_RIGHT": True,
        "PUPIL_PRIVACY_TERM_DATES": None,
        "PUPIL_PRIVACY_TRUST_MIS_LOGIN": True,
        "PUPIL_PRIVACY_DUE_SOON_DAYS": 7,
        "PUPIL_PRIVACY_HOST_SHOWS_FLASHES": False,
        "PUPIL_PRIVACY_DATABASE_URL": None,
    }


@dataclass
class PluginRuntime(Runtime):
    """The worker's :class:`Runtime` plus what only the web side needs."""

    db: SQLAlchemy | None = None
    login_endpoint: str | None = None
    base_template: str = "pupil_privacy/standalone_base.html"
    due_soon_days: int = 7


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
        for key, value in _defaults(app).items():
            app.config.setdefault(key, value)
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
        )
        from .cli import cli_group
        from .views import create_blueprint

        app.register_blueprint(
            create_blueprint(), url_prefix=app.config["PUPIL_PRIVACY_URL_PREFIX"]
        )
        if "pupil-privacy" not in app.cli.commands:
            app.cli.add_command(cli_group)


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


def _require(config: Mapping[str, Any], key: str) -> Any:
    value = config.get(key)
    if value in (None, ""):
        raise ConfigError(f"pupil-privacy: set {key} in the app config (see docs/plugin.md)")
    return value


def build_settings(config: Mapping[str, Any]) -> Settings:
    """Turn ``PUPIL_PRIVACY_*`` config into :class:`Settings`, naming any key that is wrong.

    :raises ConfigError: a required key is missing or a value cannot be used.
    """
    for key in REQUIRED_KEYS:
        _require(config, key)
    if not config.get("SECRET_KEY"):
        raise ConfigError(
            "pupil-privacy: set SECRET_KEY in the app config: forms are CSRF-protected and "
            "download links are signed with it"
        )
    pack_key = _fernet_key(config["PUPIL_PRIVACY_PACK_KEY"])
    return Settings(
        school_name=str(config["PUPIL_PRIVACY_SCHOOL_NAME"]),
        pack_key=pack_key,
        storage_dir=Path(config["PUPIL_PRIVACY_STORAGE_DIR"]),
        queue_name=str(config["PUPIL_PRIVACY_QUEUE"]),
        dpo_name=str(config["PUPIL_PRIVACY_DPO_NAME"]),
        dpo_contact=str(config["PUPIL_PRIVACY_DPO_CONTACT"] or ""),
        spacy_model=config["PUPIL_PRIVACY_SPACY_MODEL"],
        pack_retention_days=_int(config, "PUPIL_PRIVACY_PACK_RETENTION_DAYS"),
        download_link_seconds=_int(config, "PUPIL_PRIVACY_DOWNLOAD_LINK_SECONDS"),
        job_timeout_seconds=_int(config, "PUPIL_PRIVACY_JOB_TIMEOUT"),
        max_document_bytes=_int(config, "PUPIL_PRIVACY_MAX_DOCUMENT_BYTES"),
        job_retries=_int(config, "PUPIL_PRIVACY_JOB_RETRIES"),
        bank_holiday_region=str(config["PUPIL_PRIVACY_BANK_HOLIDAY_REGION"]),
        retention_schedule=dict(config["PUPIL_PRIVACY_RETENTION_SCHEDULE"]),
        educational_record_right=bool(config["PUPIL_PRIVACY_EDUCATIONAL_RECORD_RIGHT"]),
        term_dates=_term_dates(config["PUPIL_PRIVACY_TERM_DATES"]),
        trust_mis_login=bool(config["PUPIL_PRIVACY_TRUST_MIS_LOGIN"]),
    )


def _int(config: Mapping[str, Any], key: str) -> int:
    try:
        value = int(config[key])
    except (TypeError, ValueError):
        raise ConfigError(f"pupil-privacy: {key} must be a whole number") from None
    if value <= 0:
        raise ConfigError(f"pupil-privacy: {key} must be greater than 0")
    return value


def _fernet_key(value: str | bytes) -> bytes:
    from cryptography.fernet import Fernet

    key = value.encode() if isinstance(value, str) else bytes(value)
    try:
        Fernet(key)
    except (ValueError, TypeError):
        raise ConfigError(
            "pupil-privacy: PUPIL_PRIVACY_PACK_KEY must be a Fernet key (make one with "
            "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key())'`)"
        ) from None
    return key


def _term_dates(value: Any) -> TermDates | None:
    """Accept a :class:`TermDates`, or a list of (first day, last day) pairs as dates or ISO
    strings (rule 4 counts school days from them)."""
    if value is None or isinstance(value, TermDates):
        return value
    try:
        terms = [(_as_date(first), _as_date(last)) for first, last in value]
    except (TypeError, ValueError):
        raise ConfigError(
            "pupil-privacy: PUPIL_PRIVACY_TERM_DATES must be a list of (first day, last day) "
            "pairs, e.g. [('2026-09-03', '2026-10-23'), ...]"
        ) from None
    return TermDates(terms=terms)


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def runtime_for(app: Flask | None = None) -> PluginRuntime:
    """The extension's per-app state (the current app's by default)."""
    app = app or current_app
    runtime = app.extensions.get(EXTENSION_KEY)
    if not isinstance(runtime, PluginRuntime):
        raise ConfigError("pupil-privacy is not mounted on this app: call PupilPrivacy.init_app")
    return runtime


def session() -> Session:
    """The current app's database session."""
    return runtime_for().session
