"""The main flows on a host unlike ours (issue 10): ids counted separately for users and
pupils, its own Flask-Migrate history and error pages, two schools, pupils without a date of
birth. And ``check-adapter``: clean on the demo, flagging what it should on this host."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from cryptography.fernet import Fernet
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from support.files import pdf_text
from support.web import dpo_action, submit_request

from pupil_privacy.plugin import runtime_for
from pupil_privacy.worker.models import Pack, RightsRequest
from pupil_privacy.worker.pack.storage import read_pack
from pupil_privacy.worker.states import Status

from .conftest import build_packs
from .second_host.app import (
    AUNT,
    BARRED,
    CARER,
    ELLA,
    FIN,
    NORTH_DPO,
    NORTH_DSL,
    SAM,
    SOUTH_CARER,
    SOUTH_DPO,
    TEACHER_PARENT,
    ZARA_ADDRESS,
    ZARA_PHONE,
)
from .second_host.models import db

SignedIn = Callable[[int], FlaskClient]


def _requests(app: Flask) -> list[RightsRequest]:
    with app.app_context():
        session = runtime_for(app).session
        return list(session.scalars(select(RightsRequest).order_by(RightsRequest.id)))


def test_the_hosts_autogenerate_proposes_no_pp_operation(second_app: Flask) -> None:
    result = second_app.test_cli_runner().invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output
    # The control: without include_object, the same comparison proposes dropping our tables.
    with second_app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(context, db.metadata)
    dropped = {d[1].name for d in diffs if d[0] == "remove_table"}
    assert "pp_request" in dropped and all(name.startswith("pp_") for name in dropped)


def test_a_parents_pack_keeps_nothing_of_the_pupil_who_shares_his_id(
    second_app: Flask, signed_in: SignedIn
) -> None:
    # Account 3 (Dave Brook) asks about learner 1; learner 3 is Zara, another family's child.
    response = submit_request(signed_in(CARER), str(ELLA), "access")
    assert response.status_code == 302, response.get_data(as_text=True)
    build_packs(second_app)
    (req,) = _requests(second_app)
    assert req.school_id == "north" and req.requester_role == "parent"
    assert req.status == Status.READY_FOR_REVIEW, req.status
    with second_app.app_context():
        runtime = runtime_for(second_app)
        pack = runtime.session.scalars(
            select(Pack).where(Pack.request_id == req.id, Pack.kind == "requester")
        ).one()
        text = " ".join(pdf_text(read_pack(runtime, pack)).split())
        systems = list(req.systems_searched or [])
    assert ZARA_PHONE not in text and "Elm Row" not in text and ZARA_ADDRESS not in text
    assert "Ella" in text and "07700 900003" in text  # the requester's own number is his
    assert "Nia North" in text and "North Fen Primary" in text  # the school's own settings
    assert "Data Protection Officer, Data Protection Officer" not in text
    assert "Fees and finance" in text and "Other records" in text
    assert "could not be processed" in text  # the missing scan is listed, not dropped
    assert "Second MIS" in systems


def test_each_school_sees_only_its_own_requests(second_app: Flask, signed_in: SignedIn) -> None:
    assert submit_request(signed_in(CARER), str(ELLA), "access").status_code == 302
    assert submit_request(signed_in(SOUTH_CARER), str(SAM), "access").status_code == 302
    north, south = _requests(second_app)
    assert (north.school_id, south.school_id) == ("north", "south")
    north_dpo, south_dpo = signed_in(NORTH_DPO), signed_in(SOUTH_DPO)
    register = north_dpo.get("/privacy/dpo").get_data(as_text=True)
    assert north.reference in register and south.reference not in register
    csv = north_dpo.get("/privacy/dpo/register.csv").get_data(as_text=True)
    assert south.reference not in csv
    other = north_dpo.get(f"/privacy/dpo/requests/{south.id}")
    assert other.status_code == 404
    assert "There is no such request." in other.get_data(as_text=True)
    assert south_dpo.get(f"/privacy/dpo/requests/{south.id}").status_code == 200
    assert "South Fen Primary" in south_dpo.get("/privacy/").get_data(as_text=True)
    assert north_dpo.get("/privacy/dsl").status_code == 403
    assert signed_in(NORTH_DSL).get("/privacy/dsl").status_code == 200


def test_our_messages_show_in_the_hosts_layout_despite_its_error_handlers(
    second_app: Flask, signed_in: SignedIn
) -> None:
    anonymous = second_app.test_client().get("/privacy/")
    page = anonymous.get_data(as_text=True)
    assert anonymous.status_code == 401
    assert "Please sign in to the school" in page and "Second MIS error" not in page
    assert 'class="second-nav"' in page  # inside the host's own layout
    carer = signed_in(CARER)
    response = submit_request(carer, str(SAM), "access")  # another school's child
    page = response.get_data(as_text=True)
    assert response.status_code == 403 and "children linked to you" in page
    assert "<title>Not allowed" in page  # our title in the host's head_title block
    assert 'class="second-heading">Privacy' in page  # the host's heading block
    assert 'class="pp-button second-btn"' in page or "second-btn" in carer.get(
        "/privacy/requests/new"
    ).get_data(as_text=True)
    # Outside the tab the host's own handlers still answer.
    assert "Second MIS error 404" in carer.get("/nowhere").get_data(as_text=True)


def test_the_nav_helper_links_the_tab_for_users_it_applies_to(
    second_app: Flask, signed_in: SignedIn
) -> None:
    home = signed_in(CARER).get("/").get_data(as_text=True)
    assert 'href="/privacy/"' in home and "Data rights" in home
    assert "Data rights" not in second_app.test_client().get("/").get_data(as_text=True)


def test_no_date_of_birth_and_unstated_responsibility_on_the_second_host(
    second_app: Flask, signed_in: SignedIn
) -> None:
    # A teacher who is also Fin's mother asks as his mother; Fin has no date of birth.
    teacher = signed_in(TEACHER_PARENT)
    assert submit_request(teacher, str(FIN), "access").status_code == 302
    assert submit_request(signed_in(AUNT), str(FIN), "access").status_code == 302
    assert submit_request(signed_in(BARRED), str(ELLA), "access").status_code == 302
    mother, aunt, barred = _requests(second_app)
    assert mother.requester_role == "parent" and mother.status == Status.AWAITING_CONSENT
    assert aunt.status == Status.RECEIVED and aunt.clock_started_on is None
    assert barred.may_not_act_reason and barred.status == Status.RECEIVED
    dpo = signed_in(NORTH_DPO)
    timeline = dpo.get(f"/privacy/dpo/requests/{mother.id}").get_data(as_text=True)
    assert "Tess Marsh" in timeline  # names, not ids
    response = dpo_action(
        dpo,
        barred.id,
        "refuse",
        {"reason": "The school's records say they hold a no-contact instruction."},
    )
    assert response.status_code == 302
    assert _requests(second_app)[2].status == Status.REFUSED


def test_check_adapter_flags_what_would_go_wrong_on_the_second_host(second_app: Flask) -> None:
    users = [arg for n in range(1, 9) for arg in ("--user", str(n))]
    result = second_app.test_cli_runner().invoke(args=["pupil-privacy", "check-adapter", *users])
    out = result.output
    assert result.exit_code == 1, out
    assert "ERROR    record_content('1', '4') raised FileNotFoundError" in out
    assert "pupil Fin Marsh ('2') has no date of birth" in out
    assert "does not say whether they have parental responsibility" in out
    assert "the roster has ids shared by people of different kinds ('1', '2', '3', '4')" in out
    assert "the adapter has no find_people" in out
    assert "timing   records:" in out
    assert out.count("WARNING") == 4  # each problem once, not once per pupil


def test_check_adapter_on_the_demo_is_clean(tmp_path: Path, redis_url: str) -> None:
    from pupil_privacy.demo.app import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "check",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'demo.sqlite'}",
            "PUPIL_PRIVACY_REDIS_URL": redis_url,
            "PUPIL_PRIVACY_PACK_KEY": Fernet.generate_key().decode(),
            "PUPIL_PRIVACY_STORAGE_DIR": str(tmp_path / "packs"),
        }
    )
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "init"]).exit_code == 0
    # A generous --slow: on a loaded shared machine a first query can pass 1 s; the slow-call
    # report itself is tested in tests/plugin/test_check_adapter.py.
    result = runner.invoke(args=["pupil-privacy", "check-adapter", "--slow", "10"])
    assert result.exit_code == 0, result.output
    assert "All clear" in result.output and "WARNING" not in result.output
    assert "Checked 34 user(s), 10 pupil(s)" in result.output
    with app.app_context():
        from pupil_privacy.demo.models import db as demo_db

        demo_db.engine.dispose()


def test_an_unexpected_error_in_the_tab_is_our_page_in_the_hosts_layout(
    second_app: Flask, signed_in: SignedIn
) -> None:
    mis = runtime_for(second_app).mis

    def broken(user_id: str) -> list[object]:
        raise RuntimeError("the MIS database went away")

    mis.pupils_for = broken  # type: ignore[method-assign]
    response = signed_in(CARER).get("/privacy/requests/new")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Nothing you sent was lost" in page and 'class="second-nav"' in page
    assert "Second MIS error" not in page and "the MIS database went away" not in page
