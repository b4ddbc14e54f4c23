"""Fixtures for the demo MIS: the seeded school (built once), and the demo app on its own
database (a fresh PostgreSQL database when DATABASE_URL is set, else SQLite)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url
from support.demo_host import SEED_DAY

from pupil_privacy.demo.app import create_app
from pupil_privacy.demo.models import db
from pupil_privacy.demo.school import School
from pupil_privacy.demo.seed import DEFAULT_SEED, build_school
from pupil_privacy.demo.store import load_school
from pupil_privacy.plugin import upgrade_database


@pytest.fixture(scope="session")
def demo_school() -> School:
    return build_school(seed=DEFAULT_SEED, today=SEED_DAY)


@pytest.fixture(scope="session")
def demo_database_url(database_url: str) -> Iterator[str]:
    """The shared test database is for the extension's tests: the demo gets its own."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        assert url.database
        yield str(url.set(database=url.database.replace(".sqlite", "-demo.sqlite")))
        return
    import psycopg

    name = f"{url.database}_demo"
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(drivername="postgresql+psycopg", database=name).render_as_string(
            hide_password=False
        )
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def demo_app(
    demo_school: School,
    demo_database_url: str,
    redis_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "demo-tests",
            "SQLALCHEMY_DATABASE_URI": demo_database_url,
            "PUPIL_PRIVACY_REDIS_URL": redis_url,
            "PUPIL_PRIVACY_PACK_KEY": Fernet.generate_key().decode(),
            "PUPIL_PRIVACY_STORAGE_DIR": str(tmp_path_factory.mktemp("packs")),
        }
    )
    with app.app_context():
        db.create_all()
        upgrade_database(app)
        load_school(db.session, demo_school)
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()  # before the database is dropped under open connections


@pytest.fixture
def demo_client(demo_app: Flask) -> FlaskClient:
    return demo_app.test_client()
