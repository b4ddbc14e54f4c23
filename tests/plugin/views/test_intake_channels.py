"""Who may ask, as a real MIS says it (issue 10): several roles per person, the DPO and DSL
named by config, an unknown date of birth, parental responsibility the MIS does not state,
and requests received by post, phone, email or in person."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from support.host import make_host_app
from support.school import school
from support.web import dpo_action, post_form, submit_request

from pupil_privacy.plugin import upgrade_database
from pupil_privacy.plugin.runtime import db as plugin_db
from pupil_privacy.worker.mis import InMemoryMIS, MISUser, PupilDetails, PupilLink, UserRole
from pupil_privacy.worker.models import RightsRequest
from pupil_privacy.worker.states import Status

SignIn = Callable[[str], FlaskClient]


@pytest.fixture
def mis() -> InMemoryMIS:
    """The shared school plus what real MIS data holds: a pupil with no date of birth, a
    carer whose parental responsibility the MIS does not state, and a teacher who is a
    parent too."""
    mis = school()
    mis.pupils["p-fin"] = PupilDetails("p-fin", "Fin Marsh")  # no date of birth
    mis.users["u-marsh"] = MISUser("u-marsh", "Jo Marsh", UserRole.PARENT)
    mis.links["u-marsh"] = [PupilLink("p-fin", "mother", parental_responsibility=True)]
    mis.users["u-aunt"] = MISUser("u-aunt", "Kim Marsh", UserRole.PARENT)
    mis.links["u-aunt"] = [PupilLink("p-fin", "aunt")]  # the MIS says nothing about PR
    mis.users["u-teacher"] = dataclasses.replace(
        mis.users["u-teacher"], extra_roles=(UserRole.PARENT,)
    )
    mis.links["u-teacher"] = [PupilLink("p-dan", "mother", parental_responsibility=True)]
    return mis


def _only(db: Session) -> RightsRequest:
    return db.scalars(select(RightsRequest)).one()


def test_unknown_date_of_birth_waits_for_the_dpo_never_crashes(
    sign_in: SignIn, db: Session
) -> None:
    client = sign_in("u-marsh")
    assert client.get("/privacy/requests/new").status_code == 200
    response = submit_request(client, "p-fin", "access")
    assert response.status_code == 302
    req = _only(db)
    # Could be 12 or over: the pupil's answer, or the DPO's record of age or capacity, first.
    assert req.consent_required and req.status == Status.AWAITING_CONSENT
    assert any("no date of birth" in (e.detail or "") for e in req.events)
    dpo = sign_in("u-dpo")
    page = dpo.get(f"/privacy/dpo/requests/{req.id}").get_data(as_text=True)
    assert "date of birth not in the school" in page
    # The DPO records that Fin is 8 (under 12: presumed not to have capacity): it goes on.
    response = dpo_action(
        dpo,
        req.id,
        "lacks-capacity",
        {"reason": "Fin is 8 (birth certificate seen); too young to decide (rule 7)."},
    )
    assert response.status_code == 302
    db.expire_all()
    assert req.status == Status.IN_PROGRESS


def test_youth_support_limit_with_unknown_age_is_recorded_not_refused(
    sign_in: SignIn, db: Session
) -> None:
    response = submit_request(sign_in("u-marsh"), "p-fin", "youth_support_limit")
    assert response.status_code == 302
    assert _only(db).right == "youth_support_limit"


def test_parental_responsibility_not_stated_is_never_assumed(sign_in: SignIn, db: Session) -> None:
    response = submit_request(sign_in("u-aunt"), "p-fin", "access")
    assert response.status_code == 302
    req = _only(db)
    assert req.status == Status.RECEIVED
    assert req.identity_checked_at is None and req.clock_started_on is None
    assert any("parental responsibility" in (e.detail or "") for e in req.events)
    # Once the DPO has checked, identity is recorded and the request goes on.
    dpo = sign_in("u-dpo")
    response = dpo_action(
        dpo, req.id, "identity", {"method": "Residence order seen: she has parental responsibility"}
    )
    assert response.status_code == 302
    db.expire_all()
    assert req.clock_started_on is not None
    assert req.status == Status.AWAITING_CONSENT  # Fin's age is still unknown (rule 7)


def test_a_teacher_who_is_a_parent_asks_as_the_parent(sign_in: SignIn, db: Session) -> None:
    client = sign_in("u-teacher")
    form = client.get("/privacy/requests/new").get_data(as_text=True)
    assert "Dan Whitlock" in form
    assert submit_request(client, "p-dan", "access").status_code == 302
    req = _only(db)
    assert req.requester_role == "parent" and req.status == Status.IN_PROGRESS
    assert client.get(f"/privacy/requests/{req.id}").status_code == 200


def test_dpo_and_dsl_named_by_config(tmp_path, redis_url, plugin_database, mis) -> None:  # type: ignore[no-untyped-def]
    app = make_host_app(
        tmp_path,
        redis_url,
        plugin_database,
        mis=mis,
        PUPIL_PRIVACY_DPO_USERS=["u-admin"],
        PUPIL_PRIVACY_DSL_USERS=["u-teacher"],
    )
    upgrade_database(app)
    admin, teacher = app.test_client(), app.test_client()
    admin.get("/test-login/u-admin")
    teacher.get("/test-login/u-teacher")
    assert admin.get("/privacy/dpo").status_code == 200
    assert teacher.get("/privacy/dsl").status_code == 200
    assert teacher.get("/privacy/dpo").status_code == 403


def test_the_dpo_logs_a_postal_request_clock_from_the_day_received(
    sign_in: SignIn, db: Session
) -> None:
    dpo = sign_in("u-dpo")
    page = dpo.get("/privacy/dpo/requests/log?q=Okafor").get_data(as_text=True)
    assert "Grace Okafor" in page and "Amy Okafor" in page
    arrived = dt.date.today() - dt.timedelta(days=3)
    response = post_form(
        dpo,
        "/privacy/dpo/requests/log",
        {
            "q": "Okafor",
            "requester_user_id": "u-mum",
            "relationship": "mother",
            "pupil_id": "p-amy",
            "right": "access",
            "channel": "post",
            "received_on": arrived.isoformat(),
            "details": "Letter: please send me everything you hold about Amy.",
            "identity_evidence": "Signature matches the one on the admission form",
        },
        page="/privacy/dpo/requests/log",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    req = _only(db)
    assert req.channel == "post" and req.logged_by == "u-dpo"
    assert req.received_on == arrived and req.clock_started_on == arrived
    assert req.identity_evidence == "Signature matches the one on the admission form"
    assert req.status == Status.IN_PROGRESS


def test_a_typed_in_guardian_without_an_account_is_recorded(sign_in: SignIn, db: Session) -> None:
    dpo = sign_in("u-dpo")
    response = post_form(
        dpo,
        "/privacy/dpo/requests/log?q=Amy",
        {
            "q": "Amy",
            "requester_user_id": "",
            "requester_name": "Pat Okafor",
            "relationship": "grandmother",
            "requester_contact": "1 Fen View, Ely",
            "pupil_id": "p-amy",
            "right": "access",
            "channel": "in person",
            "received_on": dt.date.today().isoformat(),
            "details": "Came to reception.",
        },
        page="/privacy/dpo/requests/log",
    )
    assert response.status_code == 302
    req = _only(db)
    assert req.requester_name == "Pat Okafor" and req.requester_user_id.startswith("unlisted-")
    assert req.requester_contact == "1 Fen View, Ely"
    assert req.status == Status.RECEIVED  # no assumed parental responsibility


def test_the_no_contact_fathers_phoned_request_is_kept_with_a_letter(
    sign_in: SignIn, db: Session
) -> None:
    dpo = sign_in("u-dpo")
    response = post_form(
        dpo,
        "/privacy/dpo/requests/log?q=Tom",
        {
            "q": "Tom",
            "requester_user_id": "u-dad",
            "relationship": "father",
            "pupil_id": "p-amy",
            "right": "access",
            "channel": "phone",
            "received_on": dt.date.today().isoformat(),
            "details": "Wants Amy's school reports.",
            "identity_evidence": "Knew his security answers",
        },
        page="/privacy/dpo/requests/log?q=Tom",
    )
    assert response.status_code == 302
    req = _only(db)
    assert req.may_not_act_reason and req.status == Status.RECEIVED
    assert req.details == "Wants Amy's school reports."
    page = dpo.get(f"/privacy/dpo/requests/{req.id}").get_data(as_text=True)
    assert "Dear Tom Okafor" in page and "complain" in page


def test_without_a_person_search_the_dpo_is_told_plainly(
    tmp_path,
    redis_url,
    plugin_database,  # type: ignore[no-untyped-def]
) -> None:
    class NoSearch(InMemoryMIS):
        find_people = None  # type: ignore[assignment]

    plain = school()
    mis = NoSearch(**{f.name: getattr(plain, f.name) for f in dataclasses.fields(InMemoryMIS)})
    app = make_host_app(tmp_path, redis_url, plugin_database, mis=mis)
    upgrade_database(app)
    client = app.test_client()
    client.get("/test-login/u-dpo")
    page = client.get("/privacy/dpo/requests/log?q=Okafor").get_data(as_text=True)
    assert "does not offer a person search" in page


def test_unpublished_results_set_the_exam_marks_clock(
    sign_in: SignIn, db: Session, mis: InMemoryMIS
) -> None:
    from pupil_privacy.worker.clock import exam_marks_due
    from pupil_privacy.worker.mis import MISRecord, RecordCategory

    results_day = dt.date.today() + dt.timedelta(days=20)
    mis.add_record(
        "p-dan",
        MISRecord(
            "r-gcse",
            RecordCategory.ASSESSMENT,
            "Mock results",
            dt.date.today(),
            "Exams office",
            text="Maths 7",
            results_published=False,
            results_date=results_day,
        ),
    )
    assert submit_request(sign_in("u-whitlock"), "p-dan", "exam_marks").status_code == 302
    req = _only(db)
    assert req.extra_fields and req.extra_fields["results_date"] == results_day.isoformat()
    assert req.due_on == exam_marks_due(req.clock_started_on, results_day)


def test_fees_and_other_categories_have_labels_and_retention() -> None:
    from pupil_privacy.worker.mis import RecordCategory
    from pupil_privacy.worker.runtime import DEFAULT_RETENTION

    assert RecordCategory("fees_finance").label == "Fees and finance"
    assert RecordCategory("other").label == "Other records"
    assert set(RecordCategory) <= set(DEFAULT_RETENTION)


def test_an_adapters_roles_for_hook_names_the_dsl(
    tmp_path,  # type: ignore[no-untyped-def]
    redis_url,
    plugin_database,
) -> None:
    class WithRoles(type(school())):  # type: ignore[misc]
        def roles_for(self, user: MISUser) -> list[str]:
            return ["dsl"] if user.id == "u-admin" else []

    plain = school()
    mis = WithRoles(**{f.name: getattr(plain, f.name) for f in dataclasses.fields(plain)})
    app = make_host_app(tmp_path, redis_url, plugin_database, mis=mis)
    upgrade_database(app)
    admin, teacher = app.test_client(), app.test_client()
    admin.get("/test-login/u-admin")
    teacher.get("/test-login/u-teacher")
    assert admin.get("/privacy/dsl").status_code == 200
    assert teacher.get("/privacy/dsl").status_code == 403


def _log_form(client: FlaskClient, right: str, relationship: str = "mother") -> Any:
    return post_form(
        client,
        "/privacy/dpo/requests/log?q=Okafor",
        {
            "q": "Okafor",
            "requester_user_id": "u-mum" if relationship == "mother" else "",
            "requester_name": "" if relationship == "mother" else "Amy Okafor",
            "relationship": relationship,
            "pupil_id": "p-amy",
            "right": right,
            "channel": "post",
            "received_on": dt.date.today().isoformat(),
        },
        page="/privacy/dpo/requests/log",
    )


def test_an_academy_dpo_is_not_offered_the_educational_record(
    tmp_path,
    redis_url,
    plugin_database,
    mis,  # type: ignore[no-untyped-def]
) -> None:
    """Rule 4: the parents' right to the educational record is a maintained school's only."""
    app = make_host_app(
        tmp_path, redis_url, plugin_database, mis=mis, PUPIL_PRIVACY_EDUCATIONAL_RECORD_RIGHT=False
    )
    upgrade_database(app)
    dpo = app.test_client()
    dpo.get("/test-login/u-dpo")
    page = dpo.get("/privacy/dpo/requests/log?q=Okafor").get_data(as_text=True)
    assert 'value="access"' in page and 'value="educational_record"' not in page
    refused = _log_form(dpo, "educational_record")  # posted anyway: refused, nothing kept
    assert refused.status_code == 200 and "Not a valid choice" in refused.get_data(as_text=True)
    with app.app_context():
        assert plugin_db().scalars(select(RightsRequest)).all() == []
    assert _log_form(dpo, "access").status_code == 302  # the rest of the form still works


def test_a_maintained_school_offers_it_and_refuses_it_to_a_pupil_plainly(
    sign_in: SignIn, db: Session
) -> None:
    dpo = sign_in("u-dpo")
    page = dpo.get("/privacy/dpo/requests/log?q=Okafor").get_data(as_text=True)
    assert 'value="educational_record"' in page
    refused = _log_form(dpo, "educational_record", relationship="self")
    assert refused.status_code == 200
    assert "belongs to parents" in refused.get_data(as_text=True)
    assert db.scalars(select(RightsRequest)).all() == []
    assert _log_form(dpo, "educational_record").status_code == 302
    assert _only(db).right == "educational_record"
