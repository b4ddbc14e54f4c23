"""Our Alembic migrations build exactly the models' schema, on SQLite and on PostgreSQL (CI sets
DATABASE_URL), in their own version table, without touching the host MIS's tables."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import Column, Integer, MetaData, String, Table, inspect

from pupil_privacy.plugin import runtime_for
from pupil_privacy.plugin.migrate import alembic_config, current_revision, upgrade_database
from pupil_privacy.worker.models import TABLE_PREFIX, Base

#: The newest revision, read from the scripts (branches' migrations get re-chained).
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


def _ours(name: str | None, type_: str, parent_names: Any) -> bool:
    return type_ != "table" or bool(name and name.startswith(TABLE_PREFIX))


def _diff(app: Flask) -> list[Any]:
    engine = runtime_for(app).db.engine  # type: ignore[union-attr]
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "include_name": _ours,
                "compare_type": True,
                "version_table": "pp_alembic_version",
            },
        )
        return list(compare_metadata(context, Base.metadata))


def _host_table(app: Flask) -> None:
    """The host MIS's own table, in the same database."""
    meta = MetaData()
    Table("pupils", meta, Column("id", Integer, primary_key=True), Column("name", String(80)))
    meta.create_all(runtime_for(app).db.engine)  # type: ignore[union-attr]


def test_migrations_produce_exactly_the_models_schema(app: Flask) -> None:
    # The app fixture has already run upgrade_database.
    with app.app_context():
        assert _diff(app) == []
        names = set(inspect(runtime_for(app).db.engine).get_table_names())  # type: ignore[union-attr]
    assert set(Base.metadata.tables) <= names
    assert "pp_alembic_version" in names
    assert "alembic_version" not in names  # the host's own Alembic history is never touched
    assert current_revision(app) == HEAD


def test_downgrade_removes_only_our_tables(app: Flask) -> None:
    with app.app_context():
        _host_table(app)
        engine = runtime_for(app).db.engine  # type: ignore[union-attr]
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "base")
        left = set(inspect(engine).get_table_names())
    assert "pupils" in left
    assert not [t for t in left if t.startswith(TABLE_PREFIX) and t != "pp_alembic_version"]
    assert current_revision(app) is None
    upgrade_database(app)
    with app.app_context():
        assert _diff(app) == []
    assert current_revision(app) == HEAD


def test_the_review_and_schools_migrations_are_in_the_chain() -> None:
    revisions = {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    assert {"0002_review", "0003_schools"} <= revisions


def test_upgrade_is_idempotent(app: Flask) -> None:
    upgrade_database(app)
    upgrade_database(app)
    assert current_revision(app) == HEAD
