"""The second host's own Alembic env.py (Flask-Migrate), with pupil-privacy's filter: the
host's autogenerate must not propose dropping our pp_ tables."""

from __future__ import annotations

from alembic import context
from flask import current_app

from pupil_privacy.plugin import include_object

config = context.config
target_metadata = current_app.extensions["migrate"].db.metadata


def run_migrations_online() -> None:
    engine = current_app.extensions["migrate"].db.engine
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            include_object=include_object,  # the one line an integrator adds
            **current_app.extensions["migrate"].configure_args,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
