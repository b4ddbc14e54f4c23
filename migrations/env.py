"""Alembic environment for pupil-privacy's own tables.

Run through ``flask pupil-privacy db upgrade`` or :func:`pupil_privacy.plugin.upgrade_database`,
which pass an open connection in ``config.attributes["connection"]``. Only ``pp_`` tables are
considered, and the version is kept in ``pp_alembic_version``, so the host MIS's own tables and
its own Alembic history are never touched.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import create_engine

from pupil_privacy.worker.models import TABLE_PREFIX, Base

VERSION_TABLE = "pp_alembic_version"

config = context.config
target_metadata = Base.metadata


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Look only at our tables: the host's live in the same database."""
    if type_ == "table":
        return bool(name) and str(name).startswith(TABLE_PREFIX)
    return True


def _configure(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table=VERSION_TABLE,
        include_name=include_name,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        version_table=VERSION_TABLE,
        include_name=include_name,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
