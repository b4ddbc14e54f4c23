"""Parents and pupils in the Privacy tab: the notice, requests for every right, who may ask
about whom (rules 7-9, 12), and the pupil's own answer to a parent's request (rule 7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from support.web import csrf_token, dpo_action, post_form, submit_request

from pupil_privacy.worker.models import (
    NoticeAcknowledgement,
    NoticeVersion,
    PupilConsent,
    RequestEvent,
    RightsRequest,
)
from pupil_privacy.worker.states import RightType, Status

SignIn = Callable[[str], FlaskClient]


def _only_request(db: Session) -> RightsRequest:
    db.expire_all()
    return db.scalars(select(RightsRequest)).one()


def test_index_shows_the_notice_and_a_way_to_make_a_request(sign_in: SignIn) -> None:
    html = sign_in("u-mum").get("/privacy/").get_data(as_text=True)
    assert "Hello Grace Okafor" in html
    assert "Privacy notice for parents/carers" in html
    assert "version 1" in html
    assert "I have read version 1" in html
    assert "Make a request" in html


def test_default_notice_is_seeded_once_as_version_1(sign_in: SignIn, db: Session) -> None:
    client = sign_in("u-mum")
    client.get("/privacy/")
    client.get("/privacy/notice")
    versions = db.scalars(select(NoticeVersion)).all()
    assert [v.version for v in versions] == [1]
    assert "Youth support services" in versions[0].body
    html = client.get("/privacy/notice").get_data(as_text=True)
    assert "<h2>Youth support services</h2>" in html
    assert "<strong>subject access request</strong>" in html
    assert 'href="https://ico.org.uk/concerns/"' in html


def test_acknowledging_the_notice_is_recorded_once_per_version(
    sign_in: SignIn, db: Session
) -> None:
    client = sign_in("u-mum")
    token = csrf_token(client)  # the page has no form once acknowledged
    for _ in range(2):
        response = client.post("/privacy/notice/acknowledge", data={"csrf_token": token})
        assert response.status_code == 302
    acks = db.scalars(select(NoticeAcknowledgement)).all()
    assert [(a.user_id, a.notice_version_id) for a in acks] == [("u-mum", 1)]
    assert "You have read this version" in client.get("/privacy/").get_data(as_text=True)


def test_a_post_without_csrf_token_is_refused(sign_in: SignIn, db: Session) -> None:
    client = sign_in("u-mum")
    response = client.post("/privacy/notice/acknowledge", data={})
    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)
    assert db.scalars(select(NoticeAcknowledgement)).all() == []


def test_parent_sar_for_a_child_under_12_starts_at_once(sign_in: SignIn, db: Session) -> None:
    client = sign_in("u-mum")
    response = submit_request(client, "p-amy", "access", details="Everything you hold")
    assert response.status_code == 302
    req = _only_request(db)
    assert req.reference == f"SAR-{dt.date.today().year}-{req.id:04d}"
    assert req.status == Status.IN_PROGRESS
    assert not req.consent_required  # Amy is 9: no consent step (rule 7)
    # Rule 8: a known parent signed in through the MIS; the reason is recorded.
    assert "signed in to the school's MIS" in (req.identity_method or "")
    assert req.clock_started_on == req.received_on == dt.date.today()
    assert req.due_on is not None and req.due_on >= req.received_on + dt.timedelta(days=28)
    page = client.get(response.location).get_data(as_text=True)
    assert req.reference in page and "We will answer by" in page


def test_request_references_are_unique(sign_in: SignIn, db: Session) -> None:
    client = sign_in("u-mum")
    for n, right in enumerate(("access", "portability", "access")):
        assert submit_request(client, "p-amy", right, details=f"part {n}").status_code == 302
    refs = [r.reference for r in db.scalars(select(RightsRequest).order_by(RightsRequest.id))]
    assert len(set(refs)) == 3
    assert refs[1].startswith("POR-")


@pytest.mark.parametrize("right", [r.value for r in RightType])
def test_every_right_in_the_notice_can_be_requested(
    sign_in: SignIn, db: Session, right: str
) -> None:
    client = sign_in("u-mum")
    pupil = "p-ben" if right == RightType.YOUTH_SUPPORT_LIMIT else "p-amy"
    fields = {
        "details": "Please see my request",
        "wrong_data": "Her address is wrong",
        "should_say": "12 Mill Lane",
        "results_date": (dt.date.today() + dt.timedelta(days=60)).isoformat(),
    }
    response = submit_request(client, pupil, right, **fields)
    assert response.status_code == 302, response.get_data(as_text=True)
    req = _only_request(db)
    assert req.right == right
    assert req.due_on is not None


def test_rectification_needs_what_is_wrong_and_what_it_should_say(
    sign_in: SignIn, db: Session
) -> None:
    client = sign_in("u-mum")
    response = submit_request(client, "p-amy", "rectification", wrong_data="Wrong birthday")
    assert response.status_code == 200
    assert "Tell us what it should say." in response.get_data(as_text=True)
    assert db.scalars(select(RightsRequest)).all() == []
    submit_request(
        client, "p-amy", "rectification", wrong_data="Wrong birthday", should_say="3 May"
    )
    assert _only_request(db).extra_fields == {"wrong": "Wrong birthday", "should_say": "3 May"}


def test_exam_marks_due_40_days_after_results_rule_5(sign_in: SignIn, db: Session) -> None:
    results = dt.date.today() + dt.timedelta(days=20)
    submit_request(sign_in("u-mum"), "p-amy", "exam_marks", results_date=results.isoformat())
    assert _only_request(db).due_on == results + dt.timedelta(days=40)


def test_complaint_is_acknowledged_within_30_days_rule_6(sign_in: SignIn, db: Session) -> None:
    client = sign_in("u-mum")
    response = submit_request(client, "p-ben", "complaint", details="You emailed my data")
    req = _only_request(db)
    assert req.reference.startswith("CMP-")
    assert req.due_on == req.received_on + dt.timedelta(days=30)
    assert not req.consent_required  # a complaint is the parent's own (rule 6, not rule 7)
    assert (
        "acknowledge your complaint by" in client.get(response.location).get_data(as_text=True)
        or req.status == Status.IN_PROGRESS
    )


def test_complaint_without_details_is_asked_for_them(sign_in: SignIn, db: Session) -> None:
    response = submit_request(sign_in("u-mum"), "p-amy", "complaint")
    assert "Please tell us what your request is about." in response.get_data(as_text=True)
    assert db.scalars(select(RightsRequest)).all() == []


def test_no_contact_parents_request_is_recorded_with_the_reason_never_lost(
    sign_in: SignIn, db: Session
) -> None:
    client = sign_in("u-dad")
    form = client.get("/privacy/requests/new").get_data(as_text=True)
    assert "cannot be made through this account" not in form
    response = submit_request(client, "p-amy", "access", details="I want Amy's reports")
    assert response.status_code == 302
    req = _only_request(db)
    assert req.details == "I want Amy's reports"  # his own words are kept
    assert req.may_not_act_reason == "the school holds a no-contact instruction for them"
    assert req.status == Status.RECEIVED  # the DPO answers it; nothing was built or sent
    assert req.identity_checked_at is None and req.docs_total == 0
    page = client.get(response.headers["Location"], follow_redirects=True)
    assert "You can always complain, and ask for your own data" in page.get_data(as_text=True)
    # The DPO sees it in the register, with a refusal letter to send.
    dpo = sign_in("u-dpo")
    assert req.reference in dpo.get("/privacy/dpo").get_data(as_text=True)
    detail = dpo.get(f"/privacy/dpo/requests/{req.id}").get_data(as_text=True)
    assert "Dear Tom Okafor" in detail
    assert "ask for your own personal data" in detail
    assert "Wycliffe House" in detail


def test_court_order_parents_request_is_recorded_and_refused_with_the_letter(
    sign_in: SignIn, db: Session
) -> None:
    response = submit_request(sign_in("u-dad"), "p-ben", "access")
    assert response.status_code == 302
    req = _only_request(db)
    assert "court order" in (req.may_not_act_reason or "")
    dpo = sign_in("u-dpo")
    page = dpo.get(f"/privacy/dpo/requests/{req.id}").get_data(as_text=True)
    response = dpo_action(
        dpo,
        req.id,
        "refuse",
        {"reason": "The school's records say a court order restricts their access."},
    )
    assert response.status_code == 302
    db.expire_all()
    assert req.status == Status.REFUSED
    assert "court order" in (req.outcome or "")
    assert "Refuse, with this letter" in page and "Dear Tom Okafor" in page


def test_carer_without_parental_responsibility_is_recorded_not_served(
    sign_in: SignIn, db: Session
) -> None:
    response = submit_request(sign_in("u-stepdad"), "p-eve", "access")
    assert response.status_code == 302
    req = _only_request(db)
    assert req.may_not_act_reason == (
        "the school's records say they do not have parental responsibility"
    )
    assert req.status == Status.RECEIVED and req.clock_started_on is None


def test_a_parent_cannot_request_another_familys_child(sign_in: SignIn, db: Session) -> None:
    response = submit_request(sign_in("u-whitlock"), "p-amy", "access")
    assert response.status_code == 403
    assert "children linked to you" in response.get_data(as_text=True)
    assert db.scalars(select(RightsRequest)).all() == []


def test_a_parent_cannot_see_another_parents_request(sign_in: SignIn, db: Session) -> None:
    submit_request(sign_in("u-mum"), "p-amy", "access")
    req = _only_request(db)
    response = sign_in("u-whitlock").get(f"/privacy/requests/{req.id}")
    assert response.status_code == 404  # the same answer as for no such request (issue 11)


def test_staff_can_ask_about_their_own_data(sign_in: SignIn, db: Session) -> None:
    client = sign_in("u-teacher")
    form = client.get("/privacy/requests/new").get_data(as_text=True)
    assert "Myself (Ms Patel)" in form
    response = submit_request(client, "__own__", "access")
    assert response.status_code == 302
    req = _only_request(db)
    assert req.pupil_id == "" and req.requester_role == "staff"
    assert req.status == Status.RECEIVED  # no pupil pack: the DPO gathers and answers
    assert any("their own data" in (e.detail or "") for e in req.events)
    register = sign_in("u-dpo").get("/privacy/dpo").get_data(as_text=True)
    assert "the requester&#39;s own data" in register or "the requester's own data" in register


def test_youth_support_limit_rule_9(sign_in: SignIn, db: Session) -> None:
    mum = sign_in("u-mum")
    # Amy is 9: nothing is passed on before 13.
    assert submit_request(mum, "p-amy", "youth_support_limit").status_code == 409
    # Cat is 16: only she decides now.
    response = submit_request(mum, "p-cat", "youth_support_limit")
    assert response.status_code == 409
    assert "only they can ask" in response.get_data(as_text=True)
    assert db.scalars(select(RightsRequest)).all() == []
    # Ben is 14: his mother decides, and it is her own right (no consent step).
    assert submit_request(mum, "p-ben", "youth_support_limit").status_code == 302
    req = _only_request(db)
    assert not req.consent_required
    assert "name, address and date of birth" in (req.extra_fields or {})["limit_to"]
    # Cat asks for herself.
    assert submit_request(sign_in("u-cat"), "p-cat", "youth_support_limit").status_code == 302


def test_pupil_makes_their_own_request(sign_in: SignIn, db: Session) -> None:
    client = sign_in("u-ben")
    page = client.get("/privacy/requests/new").get_data(as_text=True)
    assert "Ben Okafor" in page and "Amy Okafor" not in page
    assert submit_request(client, "p-ben", "access").status_code == 302
    req = _only_request(db)
    assert req.requester_relationship == "self"
    assert not req.consent_required
    assert req.status == Status.IN_PROGRESS
    # A pupil cannot ask about their sister.
    assert submit_request(client, "p-amy", "access").status_code == 403


# -- consent (rule 7) --------------------------------------------------------------------------


def test_parent_request_about_a_pupil_of_12_waits_for_the_pupils_answer(
    sign_in: SignIn, db: Session
) -> None:
    mum = sign_in("u-mum")
    response = submit_request(mum, "p-ben", "access", details="his whole file")
    req = _only_request(db)
    assert req.consent_required and req.status == Status.AWAITING_CONSENT
    assert "we have asked them to agree" in mum.get(response.location).get_data(as_text=True)

    ben = sign_in("u-ben")
    index = ben.get("/privacy/").get_data(as_text=True)
    assert "Requests waiting for your answer" in index and req.reference in index
    page = ben.get(f"/privacy/consent/{req.id}").get_data(as_text=True)
    assert "Grace Okafor has asked for your data" in page and "his whole file" in page
    response = post_form(
        ben,
        f"/privacy/consent/{req.id}",
        {"decision": "agreed", "comment": "fine by me"},
        page=f"/privacy/consent/{req.id}",
    )
    assert response.status_code == 302
    req = _only_request(db)
    assert req.status == Status.IN_PROGRESS
    consent = db.scalars(select(PupilConsent)).one()
    assert (consent.decision, consent.decided_by, consent.comment) == (
        "agreed",
        "u-ben",
        "fine by me",
    )


def test_pupil_refusal_refuses_the_request_and_keeps_their_views_private(
    sign_in: SignIn, db: Session
) -> None:
    mum = sign_in("u-mum")
    submit_request(mum, "p-ben", "access")
    req = _only_request(db)
    ben = sign_in("u-ben")
    post_form(
        ben,
        f"/privacy/consent/{req.id}",
        {"decision": "refused", "comment": "my counselling notes are private"},
        page=f"/privacy/consent/{req.id}",
    )
    req = _only_request(db)
    assert req.status == Status.REFUSED
    assert "did not agree" in (req.outcome or "")
    assert "Information Commissioner" in (req.outcome or "")  # rule 15 routes
    parent_view = mum.get(f"/privacy/requests/{req.id}").get_data(as_text=True)
    assert "did not agree" in parent_view
    assert "counselling" not in parent_view  # confidentiality owed to the pupil
    consent = db.scalars(select(PupilConsent)).one()
    assert consent.comment == "my counselling notes are private"


def test_only_the_pupil_concerned_can_answer(sign_in: SignIn, db: Session) -> None:
    submit_request(sign_in("u-mum"), "p-ben", "access")
    req = _only_request(db)
    assert sign_in("u-cat").get(f"/privacy/consent/{req.id}").status_code == 404  # issue 11
    assert sign_in("u-mum").get(f"/privacy/consent/{req.id}").status_code == 403


def test_consent_answer_needs_a_choice(sign_in: SignIn, db: Session) -> None:
    submit_request(sign_in("u-mum"), "p-ben", "access")
    req = _only_request(db)
    ben = sign_in("u-ben")
    response = post_form(ben, f"/privacy/consent/{req.id}", {}, page=f"/privacy/consent/{req.id}")
    assert response.status_code == 200
    assert "Choose yes or no" in response.get_data(as_text=True)
    assert _only_request(db).status == Status.AWAITING_CONSENT


def test_educational_record_is_the_parents_own_right_no_consent_rule_4(
    sign_in: SignIn, db: Session
) -> None:
    submit_request(sign_in("u-mum"), "p-ben", "educational_record")
    req = _only_request(db)
    assert not req.consent_required
    assert req.status == Status.IN_PROGRESS


def test_withdrawing_a_request(sign_in: SignIn, db: Session) -> None:
    client = sign_in("u-mum")
    submit_request(client, "p-amy", "erasure", details="old photos")
    req = _only_request(db)
    response = post_form(
        client, f"/privacy/requests/{req.id}/withdraw", {}, page=f"/privacy/requests/{req.id}"
    )
    assert response.status_code == 302
    assert _only_request(db).status == Status.WITHDRAWN
    kinds = [e.kind for e in db.scalars(select(RequestEvent).order_by(RequestEvent.id))]
    assert kinds[0] == "received" and kinds[-1] == "status"


def test_a_double_click_does_not_make_two_requests(sign_in: SignIn, db: Session) -> None:
    client = sign_in("u-mum")
    first = submit_request(client, "p-amy", "access", details="everything")
    second = submit_request(client, "p-amy", "access", details="everything")
    assert first.location == second.location
    assert len(db.scalars(select(RightsRequest)).all()) == 1
    # A different request is a new one.
    submit_request(client, "p-amy", "access", details="only 2025")
    assert len(db.scalars(select(RightsRequest)).all()) == 2
