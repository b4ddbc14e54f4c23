"""``flask pupil-privacy ...``: database migrations and the RQ worker, with the host app loaded."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

cli_group = AppGroup(
    "pupil-privacy", help="Pupil privacy: migrations, background workers, the adapter check."
)


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


@cli_group.command("check-adapter")
@click.option("--user", "user_ids", multiple=True, help="A user id to check (repeatable).")
@click.option("--pupil", "pupil_ids", multiple=True, help="A pupil id to check (repeatable).")
@click.option(
    "--slow", default=1.0, show_default=True, help="Report calls slower than this (seconds)."
)
def check_adapter_command(
    user_ids: tuple[str, ...], pupil_ids: tuple[str, ...], slow: float
) -> None:
    """Call every MIS adapter method for a sample of users and pupils; say what would go wrong.

    Without --user/--pupil, a sample is found through the adapter's find_people. Exits 1 when
    anything would stop a request.
    """
    from .check import check_adapter
    from .runtime import runtime_for

    report = check_adapter(
        runtime_for().mis, user_ids=user_ids, pupil_ids=pupil_ids, slow_seconds=slow
    )
    for line in report.lines():
        click.echo(line)
    if report.errors:
        raise SystemExit(1)


@cli_group.command("youth-support-list")
@click.option("--school", "school_id", default=None, help="Only this school (a host of several).")
@click.option(
    "--out", type=click.Path(dir_okay=False, writable=True), help="Write to FILE, not stdout."
)
def youth_support_list(school_id: str | None, out: str | None) -> None:
    """The pupils whose youth support sharing is limited (rule 9), as the CSV the school sends
    the local authority."""
    from pupil_privacy.worker.youth_support import limited_list_csv, limited_pupils

    from .runtime import runtime_for

    runtime = runtime_for()
    rows = limited_pupils(runtime.session, runtime.mis, school_id)
    text = limited_list_csv(rows)
    if out:
        with open(out, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        click.echo(f"{len(rows)} pupil(s) written to {out}", err=True)
    else:
        click.echo(text, nl=False)
