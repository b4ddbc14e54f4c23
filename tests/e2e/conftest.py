"""The demo MIS as a host for end-to-end tests, on a database of its own."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from support.browser import live_server

from pupil_privacy.demo.app import create_app
from pupil_privacy.demo.cli import prepare_database


@pytest.fixture
def own_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A database for this test alone: a new PostgreSQL database, or a SQLite file."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'e2e.sqlite'}"
        return
    url = make_url(database_url)
    name = f"pp_e2e_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def demo_app(
    own_database_url: str, redis_url: str, redis: object, tmp_path: Path
) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "e2e-secret",
            "SQLALCHEMY_DATABASE_URI": own_database_url,
            "PUPIL_PRIVACY_REDIS_URL": redis_url,
            "PUPIL_PRIVACY_STORAGE_DIR": str(tmp_path / "packs"),
            "PUPIL_PRIVACY_PACK_KEY": Fernet.generate_key().decode(),
        }
    )
    with app.app_context():
        prepare_database()
    yield app
    with app.app_context():
        from pupil_privacy.demo.models import db

        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def served(demo_app: Flask) -> Iterator[str]:
    """The demo app served on a loopback port for a browser: its base URL."""
    with live_server(demo_app) as url:
        yield url


@pytest.fixture
def artefacts(
    request: pytest.FixtureRequest, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Path:
    """Where a browser test keeps its screenshots and downloads: ``$PP_ARTEFACTS/<test>`` when
    ``PP_ARTEFACTS`` is set (``.ci/run`` sets it, so CI's are in one known folder), else the
    test's tmp folder. Emptied first, so nothing from an earlier run passes for this one's;
    the folder is printed even without ``-s``."""
    root = os.environ.get("PP_ARTEFACTS")
    folder = Path(root) / request.node.name.removeprefix("test_") if root else tmp_path / "shots"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with capsys.disabled():
        print(f"\n{request.node.name}: screenshots in {folder}")
    return folder
