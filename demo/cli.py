"""``flask --app pupil_privacy.demo.app demo ...``: build the schema, seed, list the logins."""

from __future__ import annotations

from importlib import resources

import click
from flask import current_app
from flask.cli import AppGroup

from .models import db
from .school import School
from .seed import build_people, build_school
from .store import is_seeded, load_school

demo_cli = AppGroup("demo", help="The demo MIS: schema, seed data and logins.")


def prepare_database(reset: bool = False) -> School | None:
    """Create the demo's tables and the Privacy tab's (its migrations), then seed once.

    Needs an app context. Returns the school that was loaded, or None if already seeded.
    """
    from pupil_privacy.plugin import upgrade_database
    from pupil_privacy.plugin.notice_store import seed_notice
    from pupil_privacy.worker.notice.audience import Audience

    if reset:
        db.drop_all()
    db.create_all()
    upgrade_database(current_app._get_current_object())  # type: ignore[attr-defined]
    # The demo trust's own corrected notice is version 1, not the shipped template (issue 12).
    seed_notice(db.session(), demo_notice("parents"))
    # ... and the pupils read their own, child-friendly one (reading age 9-11).
    seed_notice(db.session(), demo_notice("pupils"), audience=Audience.PUPILS)
    if is_seeded(db.session):
        return None
    school = build_school(seed=int(current_app.config["DEMO_SEED"]))
    load_school(db.session, school)
    db.session.commit()
    return school


def demo_notice(audience: str) -> str:
    """The fictional Westmoor Valley Learning Trust's notice for ``parents`` or ``pupils``."""
    return (
        resources.files("pupil_privacy.demo")
        .joinpath(f"notices/{audience}.txt")
        .read_text(encoding="utf-8")
    )


def accounts_text(school: School) -> str:
    width = max(len(a.username) for a in school.accounts)
    lines = [f"  {a.username.ljust(width)}  {a.description}" for a in school.accounts]
    return "\n".join(["Demo logins (every password is " + repr(school.password) + "):", *lines])


@demo_cli.command("init")
@click.option("--reset", is_flag=True, help="Drop the demo's tables and seed again.")
def init_command(reset: bool) -> None:
    """Create every table (demo_ and pp_) and load the seeded school if it is empty."""
    school = prepare_database(reset=reset)
    if school is None:
        click.echo("Database ready (already seeded).")
    else:
        click.echo(f"Seeded {len(school.pupils)} pupils and {len(school.records)} records.")


@demo_cli.command("seed")
def seed_command() -> None:
    """Same as ``init``: kept for the name people expect."""
    init_command.callback(reset=False)  # type: ignore[misc]


@demo_cli.command("accounts")
def accounts_command() -> None:
    """Print the demo logins."""
    click.echo(accounts_text(build_people(seed=int(current_app.config["DEMO_SEED"]))))
