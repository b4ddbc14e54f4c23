"""The demo MIS as a host: its login (with CSRF), its pages and access rules, the Privacy
tab in its navigation, and DemoMIS, the adapter a school's integrator would write."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from support.demo_host import login as sign_in
from support.web import csrf_token_in as csrf_token

from pupil_privacy.demo.adapter import DemoMIS
from pupil_privacy.demo.school import School
from pupil_privacy.worker.mis import MISAdapter, RecordCategory, UserRole


def test_demo_mis_satisfies_the_protocol() -> None:
    assert isinstance(DemoMIS(), MISAdapter)


def test_adapter_reads_users_links_and_pupils(demo_app: Flask, demo_school: School) -> None:
    mis = DemoMIS()
    facts = demo_school.facts
    assert facts is not None
    with demo_app.app_context():
        assert mis.current_user() is None  # no request: nobody is signed in
        dpo = mis.user(demo_school.account("dpo").user_id)
        assert dpo is not None and dpo.role is UserRole.DPO
        absent = mis.pupils_for(facts.no_contact_parent_id)
        assert absent and all(k.no_contact and k.court_order for k in absent)
        me = demo_school.account("pupil").user_id
        assert [(k.pupil_id, k.relationship) for k in mis.pupils_for(me)] == [(me, "self")]
        seeded = demo_school.pupils[0]
        details = mis.pupil(seeded.id)
        assert details is not None
        assert (details.name, details.upn, details.date_of_birth) == (
            seeded.name,
            seeded.upn,
            seeded.date_of_birth,
        )
        assert mis.pupil("nobody") is None
        roster = mis.roster(seeded.id)
        assert {p.name for p in roster} == {p.name for p in demo_school.roster()}


def test_adapter_records_work_with_only_an_app_context(
    demo_app: Flask, demo_school: School
) -> None:
    """What an RQ worker does: no request, just the app context the worker pushes."""
    mis = DemoMIS()
    pupil = demo_school.pupils[2]
    seeded = {r.id: r for r in demo_school.records_for(pupil.id)}
    with demo_app.app_context():
        records = list(mis.records(pupil.id))
        assert {r.id for r in records} == set(seeded)
        assert {r.category for r in records} == set(RecordCategory)
        for record in records:
            if record.is_file:
                assert mis.record_content(pupil.id, record.id) == seeded[record.id].content
            else:
                assert record.text == seeded[record.id].text
        with pytest.raises(KeyError):
            mis.record_content(demo_school.pupils[0].id, records[0].id)  # another pupil's


def test_login_needs_the_csrf_token(demo_client: FlaskClient) -> None:
    response = demo_client.post("/login", data={"username": "parent", "password": "riverside"})
    assert response.status_code == 400
    assert demo_client.get("/").status_code == 302  # still signed out


def test_wrong_password_is_refused(demo_client: FlaskClient) -> None:
    token = csrf_token(demo_client.get("/login").text)
    response = demo_client.post(
        "/login", data={"username": "parent", "password": "wrong", "csrf_token": token}
    )
    assert response.status_code == 400 and "do not match" in response.text
    assert demo_client.get("/").headers["Location"].startswith("/login")


def test_parent_signs_in_and_sees_the_privacy_tab(
    demo_client: FlaskClient, demo_school: School
) -> None:
    sign_in(demo_client, "parent")
    home = demo_client.get("/")
    assert home.status_code == 200
    parent = demo_school.guardian(demo_school.account("parent").user_id)
    assert parent.name in home.text
    assert '<a href="/privacy/">Privacy</a>' in home.text or 'href="/privacy/"' in home.text
    for child in demo_school.pupils[:2]:
        assert child.called in home.text


def test_current_user_follows_the_session(demo_app: Flask, demo_school: School) -> None:
    client = demo_app.test_client()
    sign_in(client, "dsl")
    with client:
        client.get("/")
        user = DemoMIS().current_user()
        assert user is not None and user.role is UserRole.DSL
        assert user.id == demo_school.account("dsl").user_id


def test_privacy_tab_renders_inside_the_demo_layout(demo_client: FlaskClient) -> None:
    sign_in(demo_client, "parent")
    page = demo_client.get("/privacy/")
    assert page.status_code == 200
    assert "Riverside Academy" in page.text and 'class="topbar"' in page.text
    assert 'aria-current="page">Privacy<' in page.text


def test_sign_out_is_a_post_with_csrf(demo_client: FlaskClient) -> None:
    sign_in(demo_client, "teacher")
    assert demo_client.post("/logout").status_code == 400  # no token: refused
    assert demo_client.get("/").status_code == 200  # and still signed in
    token = csrf_token(demo_client.get("/").text)
    demo_client.post("/logout", data={"csrf_token": token})
    assert demo_client.get("/").status_code == 302


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_next_never_leaves_the_site(demo_client: FlaskClient, target: str) -> None:
    token = csrf_token(demo_client.get("/login").text)
    response = demo_client.post(
        "/login",
        query_string={"next": target},
        data={"username": "parent", "password": "riverside", "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_parents_see_their_children_only(demo_client: FlaskClient, demo_school: School) -> None:
    sign_in(demo_client, "parent")
    own, other = demo_school.pupils[0], demo_school.pupils[-1]
    page = demo_client.get(f"/pupils/{own.id}")
    assert page.status_code == 200 and own.name in page.text
    assert "Attendance summary" in page.text and "Privacy" in page.text
    # the portal shows no free text, so no other family's names (rule 10)
    others = [p for p in demo_school.pupils if p.family_id != own.family_id]
    assert not [p.name for p in others if p.first_name in page.text or p.last_name in page.text]
    assert demo_client.get(f"/pupils/{other.id}").status_code == 403
    assert demo_client.get(f"/records/{own.id}-contacts").status_code == 403


def test_the_no_contact_parent_is_kept_out(demo_client: FlaskClient, demo_school: School) -> None:
    facts = demo_school.facts
    assert facts is not None
    sign_in(demo_client, "nocontact")
    for pupil_id in demo_school.families[1].pupil_ids:
        page = demo_client.get(f"/pupils/{pupil_id}")
        assert page.status_code == 403
        assert demo_school.pupil(pupil_id).address not in page.text
    listing = demo_client.get("/pupils")
    assert "restricted" in listing.text


def test_pupil_sees_their_own_page(demo_client: FlaskClient, demo_school: School) -> None:
    sign_in(demo_client, "pupil")
    me = demo_school.pupil(demo_school.account("pupil").user_id)
    response = demo_client.get("/pupils")
    assert response.status_code == 302 and response.headers["Location"].endswith(me.id)
    assert demo_client.get(f"/pupils/{demo_school.pupils[1].id}").status_code == 403


def test_safeguarding_records_are_for_the_dsl(demo_app: Flask, demo_school: School) -> None:
    pupil = demo_school.pupils[2]  # the separated family's eldest
    chronology = next(r for r in demo_school.records_for(pupil.id) if r.title.startswith("Safeg"))
    teacher, dsl = demo_app.test_client(), demo_app.test_client()
    sign_in(teacher, "teacher")
    sign_in(dsl, "dsl")
    assert teacher.get(f"/records/{chronology.id}").status_code == 403
    assert dsl.get(f"/records/{chronology.id}").status_code == 200
    download = dsl.get(f"/records/{chronology.id}/file")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert download.data == chronology.content


def test_staff_pages_render(demo_client: FlaskClient, demo_school: School) -> None:
    sign_in(demo_client, "dpo")
    pupils = demo_client.get("/pupils")
    assert all(p.upn in pupils.text for p in demo_school.pupils)
    pupil = demo_school.pupils[0]
    page = demo_client.get(f"/pupils/{pupil.id}")
    assert all(c.label in page.text for c in RecordCategory)
    note = demo_client.get(f"/records/{pupil.id}-behaviour")
    assert note.status_code == 200 and "Behaviour log" in note.text
    assert demo_client.get("/timetable").status_code == 200
    assert demo_client.get("/records/nope").status_code == 404
