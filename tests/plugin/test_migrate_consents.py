"""Migration 0004_consents on a database that already holds notice versions: they stay the
parents' versions, and another audience may then number its own from 1 (issue 12)."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from flask import Flask
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from pupil_privacy.plugin import runtime_for
from pupil_privacy.plugin.migrate import alembic_config


def _insert(conn: Connection, version: int, audience: str | None = None) -> None:
    """A published version as a row (before 0004 the table has no audience column)."""
    columns = "version, title, body, sha256, published_at" + (", audience" if audience else "")
    values = ":version, 'Notice', 'text', 'x', :at" + (", :audience" if audience else "")
    conn.execute(
        text(f"INSERT INTO pp_notice_version ({columns}) VALUES ({values})"),
        {"version": version, "at": dt.datetime(2026, 9, 1), "audience": audience},
    )


def test_existing_notice_versions_become_the_parents_and_versions_count_per_audience(
    app: Flask,
) -> None:
    with app.app_context():
        engine = runtime_for(app).db.engine  # type: ignore[union-attr]
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0003_schools")
        with engine.begin() as conn:
            _insert(conn, 1)
            _insert(conn, 2)
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
        with engine.begin() as conn:
            rows = conn.execute(
                text("SELECT audience, version FROM pp_notice_version ORDER BY version")
            ).all()
            assert [tuple(r) for r in rows] == [("parents", 1), ("parents", 2)]
            _insert(conn, 1, "pupils")  # the pupils' version 1 beside the parents' version 1
        with pytest.raises(IntegrityError), engine.begin() as conn:
            _insert(conn, 2, "parents")  # still one version 2 per audience
