"""``flask pupil-privacy ...``: database migrations and the RQ worker, with the host app loaded."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

cli_group = AppGroup("pupil-privacy", help="Pupil privacy: migrations and background workers.")


@cli_group.group("db")
def db_group() -> None:
    """Pupil-privacy's own tables (pp_*), versioned in pp_alembic_version."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Create or upgrade the pp_ tables to REVISION (default: head)."""
    from .migrate import current_revision, upgrade_database

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    upgrade_database(app, revision)
    click.echo(f"pupil-privacy database at revision {current_revision(app)}")


@cli_group.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@click.option(
    "--queue", "queues", multiple=True, help="Queue to listen on (repeatable); default the app's."
)
def worker(burst: bool, queues: tuple[str, ...]) -> None:
    """Run an RQ worker with this app's context pushed, so jobs find the runtime."""
    # Imported here: the web app never loads the worker's heavier modules.
    from pupil_privacy.worker.runner import run_worker

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    run_worker(app, burst=burst, queues=list(queues) or None)
