"""Each audience reads and acknowledges its own privacy notice (issue 12): pupils are never
asked to acknowledge the parents' notice; the DPO publishes per audience, sees who has not
read the current version, and what changed between versions."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from support.web import post_form

from pupil_privacy.worker.models import NoticeAcknowledgement, NoticeVersion

SignIn = Callable[[str], FlaskClient]
PUPILS_NOTICE = (
    "Privacy notice for pupils\n\n"
    "This notice is for you.\n\n"
    "What we keep\n\n"
    "We keep your name and your marks.\n"
)


def publish(dpo: FlaskClient, audience: str, body: str, summary: str) -> None:
    page = f"/privacy/dpo/notice?audience={audience}"
    data = {"title": f"Notice for {audience}", "body": body, "change_summary": summary}
    response = post_form(dpo, page, {**data, "publish": "Publish"}, page=page)
    assert response.status_code == 302, response.get_data(as_text=True)


def acknowledge(client: FlaskClient) -> None:
    response = post_form(client, "/privacy/notice/acknowledge", {}, page="/privacy/notice")
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_pupil_is_not_asked_to_acknowledge_the_parents_notice(sign_in: SignIn) -> None:
    ben = sign_in("u-ben")
    home = ben.get("/privacy/").get_data(as_text=True)
    assert "I have read version" not in home
    assert "has not published a privacy notice for you yet" in home
    page = ben.get("/privacy/notice").get_data(as_text=True)
    assert "Privacy notice for pupils" in page and "I have read" not in page
    # He may still read the parents' notice, without being asked to acknowledge it.
    parents = ben.get("/privacy/notice?audience=parents").get_data(as_text=True)
    assert "Youth support services" in parents and "I have read" not in parents
    response = post_form(ben, "/privacy/notice/acknowledge", {}, page="/privacy/requests/new")
    assert response.status_code == 409


def test_each_audience_acknowledges_its_own_notice_and_the_dpo_sees_coverage(
    sign_in: SignIn, db: Session
) -> None:
    dpo, ben, mum = sign_in("u-dpo"), sign_in("u-ben"), sign_in("u-mum")
    publish(dpo, "pupils", PUPILS_NOTICE, "First pupils' notice")
    page = ben.get("/privacy/notice").get_data(as_text=True)
    assert "We keep your name and your marks." in page
    assert "I have read version 1" in page
    acknowledge(ben)
    acknowledge(mum)

    acks = {
        (a.user_id, v.audience, v.version)
        for a, v in db.execute(
            select(NoticeAcknowledgement, NoticeVersion).join(
                NoticeVersion, NoticeAcknowledgement.notice_version_id == NoticeVersion.id
            )
        )
    }
    assert acks == {("u-ben", "pupils", 1), ("u-mum", "parents", 1)}

    coverage = dpo.get("/privacy/dpo/notice/coverage").get_data(as_text=True)
    parents, pupils, staff = coverage.split("<h2>Notice for ")[1:]
    assert "1 of 5 have read it" in parents and "Tom Okafor" in parents
    assert "Grace Okafor" not in parents  # she has read it
    assert "1 of 2 have read it" in pupils and "Cat Okafor" in pupils
    assert "Ben Okafor" not in pupils
    assert "Nothing is published for staff yet" in staff


def test_the_dpo_sees_what_changed_between_versions(sign_in: SignIn) -> None:
    dpo = sign_in("u-dpo")
    publish(dpo, "pupils", PUPILS_NOTICE, "First")
    changed = PUPILS_NOTICE.replace("your name and your marks", "your name, marks and photos")
    publish(dpo, "pupils", changed, "Photos added")
    page = dpo.get("/privacy/dpo/notice/changes?audience=pupils").get_data(as_text=True)
    assert "version 1 to version 2" in page and "Photos added" in page
    assert "<del>- We keep your name and your marks.</del>" in page
    assert "<ins>+ We keep your name, marks and photos.</ins>" in page
    assert "2 lines changed" in page
    # Parents' versions are counted apart: the parents' notice is still at version 1.
    assert (
        "version 1," in dpo.get("/privacy/notice?audience=parents").get_data(as_text=True).lower()
    )
    assert sign_in("u-mum").get("/privacy/dpo/notice/changes").status_code == 403


def test_the_dpo_sees_how_hard_a_pupils_notice_reads_before_publishing(sign_in: SignIn) -> None:
    dpo = sign_in("u-dpo")
    page = "/privacy/dpo/notice?audience=pupils"
    wordy = PUPILS_NOTICE + (
        "\nWe may also process information where it is necessary for the performance of a "
        "task carried out in the public interest or in the exercise of official authority "
        "vested in the controller, as explained in the legislation.\n"
    )
    checked = post_form(dpo, page, {"title": "Pupils", "body": wordy, "check": "Check"}, page=page)
    html = checked.get_data(as_text=True)
    assert "How easy it is to read" in html
    assert "These sentences are long" in html and "official authority" in html
    short = post_form(
        dpo, page, {"title": "Pupils", "body": PUPILS_NOTICE, "check": "Check"}, page=page
    ).get_data(as_text=True)
    assert "How easy it is to read" in short and "These sentences are long" not in short
