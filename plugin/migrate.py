"""Our Alembic migrations, run programmatically against the host app's database."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from alembic import command
from alembic.config import Config

from pupil_privacy.worker.models import TABLE_PREFIX

from .runtime import runtime_for

if TYPE_CHECKING:
    from flask import Flask
    from sqlalchemy.engine import Connection


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for the installed ``pupil_privacy.migrations`` package.

    :param connection: an open connection the migrations run on (its transaction is used).
    """
    import pupil_privacy.migrations as migrations

    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_database(app: Flask, revision: str = "head") -> None:
    """Bring pupil-privacy's ``pp_`` tables up to ``revision`` on the app's database.

    Works on SQLite and PostgreSQL; the version is kept in ``pp_alembic_version``.
    """
    runtime = runtime_for(app)
    assert runtime.db is not None
    with app.app_context():
        engine = runtime.db.engine
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)


def current_revision(app: Flask) -> str | None:
    """The revision the database is at, or None before the first upgrade."""
    from alembic.runtime.migration import MigrationContext

    runtime = runtime_for(app)
    assert runtime.db is not None
    with app.app_context(), runtime.db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"version_table": "pp_alembic_version"}
        )
        return context.get_current_revision()


def include_object(
    object: Any,  # noqa: A002 - Alembic's own parameter name
    name: str | None,
    type_: str,
    reflected: bool,
    compare_to: Any,
) -> bool:
    """For the host's Alembic ``env.py``: leave pupil-privacy's ``pp_`` tables alone.

    Our tables are migrated by ``flask pupil-privacy db upgrade``, with their own history in
    ``pp_alembic_version``. Without this, the host's ``flask db migrate`` sees them as unknown
    and proposes dropping them all::

        from pupil_privacy.plugin import include_object
        context.configure(..., include_object=include_object)
    """
    table = name if type_ == "table" else getattr(getattr(object, "table", None), "name", None)
    return not (table or "").startswith(TABLE_PREFIX)


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """The same filter for ``include_name`` (Alembic 1.5+): our tables are not even reflected."""
    return not (type_ == "table" and (name or "").startswith(TABLE_PREFIX))
