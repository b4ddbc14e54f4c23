"""Fixtures for the Privacy tab's tests.

Each test gets its own database (a SQLite file, or a fresh PostgreSQL schema when DATABASE_URL
is set) built by our Alembic migrations, so tests never see each other's rows.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session
from support.browser import live_server
from support.host import dispose_apps, make_host_app
from support.school import school

from pupil_privacy.plugin import runtime_for, upgrade_database
from pupil_privacy.plugin.migrate import alembic_config
from pupil_privacy.worker.mis import InMemoryMIS


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file our migrations built once; each test gets a copy (migrating takes ~0.7 s)."""
    path = tmp_path_factory.mktemp("migrated") / "pp.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    engine.dispose()
    return path


@pytest.fixture
def plugin_database(
    database_url: str, tmp_path: Path, migrated_sqlite: Path
) -> Iterator[tuple[str, dict[str, Any]]]:
    """A database of our own: a copy of the migrated SQLite file, or a fresh schema on
    DATABASE_URL (migrated by the ``app`` fixture)."""
    if database_url.startswith("sqlite"):
        path = tmp_path / "pp.sqlite"
        shutil.copyfile(migrated_sqlite, path)
        yield f"sqlite:///{path}", {}
        dispose_apps()
        return
    schema = f"pp_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(database_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield database_url, {"connect_args": {"options": f"-csearch_path={schema}"}}
    finally:
        dispose_apps()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def mis() -> InMemoryMIS:
    return school()


@pytest.fixture
def app(
    tmp_path: Path,
    redis_url: str,
    plugin_database: tuple[str, dict[str, Any]],
    mis: InMemoryMIS,
) -> Flask:
    app = make_host_app(tmp_path, redis_url, plugin_database, mis=mis)
    upgrade_database(app)
    return app


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """The app's session, inside an app context (for arranging and asserting rows)."""
    with app.app_context():
        yield runtime_for(app).session


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def sign_in(app: Flask) -> Callable[[str], FlaskClient]:
    """A fresh test client signed in to the host MIS as ``user_id``."""

    def sign(user_id: str) -> FlaskClient:
        c = app.test_client()
        assert c.get(f"/test-login/{user_id}").status_code == 200
        return c

    return sign


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    """The host app served on a loopback port for a browser: its base URL."""
    with live_server(app) as url:
        yield url
