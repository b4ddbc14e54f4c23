"""Fixtures for the worker tests: a bare Flask app carrying a Runtime (no plugin needed), on
the real Redis and database of tests/conftest.py, with the real redaction (spaCy loaded once
per session)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis as redis_lib
from cryptography.fernet import Fernet
from flask import Flask
from presidio_analyzer import AnalyzerEngine
from rq.serializers import JSONSerializer
from support.school import school
from support.worker_app import clear_tables, make_app, make_settings

from pupil_privacy.redaction.engine import get_analyzer
from pupil_privacy.worker.runner import make_worker
from pupil_privacy.worker.runtime import Runtime, get_runtime


@pytest.fixture(scope="session")
def analyzer() -> AnalyzerEngine:
    return get_analyzer()


@pytest.fixture
def pack_key() -> bytes:
    return Fernet.generate_key()


@pytest.fixture
def make_worker_app(
    database_url: str,
    redis_url: str,
    redis: redis_lib.Redis,
    tmp_path: Path,
    pack_key: bytes,
    analyzer: AnalyzerEngine,
) -> Iterator:
    """``make_worker_app(failures=False, slow=None, **settings)`` -> an app whose context is
    pushed; tables are emptied before and after."""
    contexts = []

    def make(
        *, failures: bool = False, slow: dict[str, float] | None = None, **fields: Any
    ) -> Flask:
        settings = make_settings(tmp_path / "store", pack_key, **fields)
        app = make_app(database_url, redis_url, settings, school(failures=failures, slow=slow))
        ctx = app.app_context()
        ctx.push()
        contexts.append((app, ctx))
        clear_tables(app)
        return app

    yield make
    for app, ctx in reversed(contexts):
        runtime: Runtime = get_runtime()
        runtime.session.rollback()
        clear_tables(app)
        runtime.session.remove()
        app.extensions["pp_test_engine"].dispose()
        ctx.pop()


@pytest.fixture
def app(make_worker_app) -> Flask:
    return make_worker_app()


def run_jobs(max_jobs: int | None = None) -> None:
    """Run queued jobs in this process with a real RQ worker until the queue is empty."""
    runtime = get_runtime()
    worker = make_worker(runtime, simple=True)
    assert worker.serializer is JSONSerializer or worker.serializer.__name__ == "JSONSerializer"
    worker.work(burst=True, max_jobs=max_jobs, with_scheduler=False)


@pytest.fixture
def work():
    return run_jobs
