"""A bare Flask app carrying a pupil-privacy Runtime (no plugin), for the worker tests and the
worker subprocess of the SIGKILL test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import redis as redis_lib
from alembic.config import Config
from flask import Flask
from sqlalchemy import create_engine, delete
from sqlalchemy.engine import Connection
from sqlalchemy.orm import scoped_session, sessionmaker

from pupil_privacy.worker.mis import InMemoryMIS
from pupil_privacy.worker.models import Base, RightsRequest
from pupil_privacy.worker.runtime import EXTENSION_KEY, Runtime, Settings
from pupil_privacy.worker.states import RightType, Status

from .detector import LiteralRedactor
from .school import MOTHER, PUPIL


def make_settings(storage_dir: Path, key: bytes, **fields: Any) -> Settings:
    """Test settings: fast retries and leases, the literal redactor unless ``fields`` say."""
    fields = {
        "retry_intervals": (0,),
        "lease_seconds": 1.5,
        "redactor": LiteralRedactor(),
        "job_retries": 1,
        "job_timeout_seconds": 120,
        **fields,
    }
    return Settings(
        school_name="Fenland Primary School",
        pack_key=key,
        storage_dir=storage_dir,
        queue_name="pp-test",
        dpo_name="Dana Officer",
        dpo_contact="dpo@fenland.example",
        max_document_bytes=2 * 2**20,
        **fields,
    )


def make_app(database_url: str, redis_url: str, settings: Settings, mis: InMemoryMIS) -> Flask:
    engine = create_engine(database_url)
    Base.metadata.create_all(engine)
    session = scoped_session(sessionmaker(engine, expire_on_commit=False))
    runtime = Runtime(
        settings=settings,
        mis=mis,
        session_factory=lambda: session,
        redis_factory=lambda: redis_lib.Redis.from_url(redis_url),
    )
    app = Flask("pp-worker-tests")
    app.extensions[EXTENSION_KEY] = runtime
    app.extensions["pp_test_engine"] = engine
    return app


def clear_tables(app: Flask) -> None:
    """Delete our rows (the PostgreSQL database is shared by every helper's tests)."""
    runtime: Runtime = app.extensions[EXTENSION_KEY]
    session = runtime.session
    for table in reversed(Base.metadata.sorted_tables):
        if table.name.startswith("pp_"):
            session.execute(delete(table))
    session.commit()


def new_request(app: Flask, reference: str = "SAR-2026-0001") -> int:
    """A subject access request from Amelia's mother, committed and IN_PROGRESS."""
    runtime: Runtime = app.extensions[EXTENSION_KEY]
    session = runtime.session
    req = RightsRequest(
        reference=reference,
        right=RightType.ACCESS,
        status=Status.IN_PROGRESS,
        pupil_id=PUPIL,
        requester_user_id=MOTHER,
        requester_name="Claire Hart",
        requester_relationship="mother",
        received_on=dt.date(2026, 10, 1),
        clock_started_on=dt.date(2026, 10, 1),
        due_on=dt.date(2026, 11, 2),
        docs_total=0,
        docs_done=0,
    )
    session.add(req)
    session.commit()
    return req.id


def migrations_config(connection: Connection) -> Config:
    """An Alembic config running the installed ``pupil_privacy.migrations`` on ``connection``
    (the same migrations the plugin's ``upgrade_database`` runs)."""
    import pupil_privacy.migrations as migrations

    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    config.attributes["connection"] = connection
    return config
