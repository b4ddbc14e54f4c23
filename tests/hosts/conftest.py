"""The second host, migrated the way its IT person would: its own ``flask db upgrade``, then
``flask pupil-privacy db upgrade``, on one SQLite file per test."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from pupil_privacy.plugin import runtime_for

from .second_host.app import create_app, seed
from .second_host.models import db


@pytest.fixture
def second_app(tmp_path: Path, redis_url: str) -> Iterator[Flask]:
    app = create_app(f"sqlite:///{tmp_path / 'second.sqlite'}", redis_url, tmp_path)
    runner = app.test_cli_runner()
    for args in (["db", "upgrade"], ["pupil-privacy", "db", "upgrade"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    with app.app_context():
        seed()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def signed_in(second_app: Flask):  # type: ignore[no-untyped-def]
    def client(account_id: int) -> FlaskClient:
        c = second_app.test_client()
        c.get(f"/signin/{account_id}")
        return c

    return client


def build_packs(app: Flask) -> None:
    """Run the real worker over whatever the web side queued, with the real redactor."""
    from pupil_privacy.worker.runner import make_worker

    runtime = runtime_for(app)
    runtime.settings = dataclasses.replace(runtime.settings, retry_intervals=(0,))
    with app.app_context():
        make_worker(runtime, simple=True).work(burst=True, with_scheduler=False)
        runtime.session.remove()
