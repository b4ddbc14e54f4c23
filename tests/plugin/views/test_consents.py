"""Consents and the youth support limit through the Privacy tab: families give and withdraw
(rules 21 and 22), the history is kept, the DPO sees it and downloads the local authority's
list (rule 9), and the host MIS asks whether a consent holds today (JSON and the extension)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from support.web import post_form

from pupil_privacy.worker.models import ConsentDecision, YouthSupportChoice

SignIn = Callable[[str], FlaskClient]
PAGE = "/privacy/consents"
#: A page with a form for every signed-in user (its CSRF token serves every form).
TOKEN_PAGE = "/privacy/requests/new"


def choose(client: FlaskClient, pupil_id: str, purpose: str, choice: str) -> str:
    response = post_form(
        client, f"{PAGE}/{pupil_id}/{purpose}", {"choice": choice}, page=TOKEN_PAGE
    )
    assert response.status_code in (302, 409), response.text
    return client.get(PAGE).get_data(as_text=True) if response.status_code == 302 else response.text


def limit(client: FlaskClient, pupil_id: str, limited: str) -> tuple[int, str]:
    response = post_form(
        client, f"{PAGE}/{pupil_id}/youth-support", {"limited": limited}, page=TOKEN_PAGE
    )
    return response.status_code, response.get_data(as_text=True)


def holds(client: FlaskClient, pupil_id: str, purpose: str) -> bool:
    response = client.get(f"/privacy/api/consents/{pupil_id}?purpose={purpose}")
    assert response.status_code == 200, response.text
    return bool(response.get_json()["consents"][purpose]["holds"])


def test_a_parent_gives_then_withdraws_photo_consent_and_the_history_is_kept(
    sign_in: SignIn, db: Session
) -> None:
    mum, teacher = sign_in("u-mum"), sign_in("u-teacher")
    page = mum.get(PAGE).get_data(as_text=True)
    assert "Amy Okafor" in page and "Photographs in publicity" in page
    assert not holds(teacher, "p-amy", "photos_publicity")  # nobody has agreed yet

    choose(mum, "p-amy", "photos_publicity", "given")
    assert holds(teacher, "p-amy", "photos_publicity")
    page = choose(mum, "p-amy", "photos_publicity", "withdrawn")
    assert not holds(teacher, "p-amy", "photos_publicity")
    assert "Grace Okafor said no." in page

    rows = db.scalars(select(ConsentDecision).order_by(ConsentDecision.id)).all()
    assert [(r.pupil_id, r.choice, r.decided_by, r.relationship) for r in rows] == [
        ("p-amy", "given", "u-mum", "mother"),
        ("p-amy", "withdrawn", "u-mum", "mother"),
    ]
    assert "Withdrew consent: Photographs in publicity" in page


def test_a_14_year_old_decides_photographs_and_his_mother_may_not(
    sign_in: SignIn, db: Session
) -> None:
    mum, ben, teacher = sign_in("u-mum"), sign_in("u-ben"), sign_in("u-teacher")
    refused = choose(mum, "p-ben", "photos_publicity", "given")
    assert "old enough to decide this for themselves" in refused
    assert db.scalars(select(ConsentDecision)).all() == []
    choose(ben, "p-ben", "photos_publicity", "given")
    assert holds(teacher, "p-ben", "photos_publicity")


def test_a_pupils_objection_to_biometrics_overrides_his_mothers_consent(sign_in: SignIn) -> None:
    """Protection of Freedoms Act 2012 s.26(5) (rule 22)."""
    mum, ben, teacher = sign_in("u-mum"), sign_in("u-ben"), sign_in("u-teacher")
    choose(mum, "p-ben", "biometrics", "given")
    assert holds(teacher, "p-ben", "biometrics")
    page = choose(ben, "p-ben", "biometrics", "withdrawn")
    assert not holds(teacher, "p-ben", "biometrics")
    assert "overrides a parent" in page


def test_nobody_decides_for_a_child_who_is_not_theirs(sign_in: SignIn, db: Session) -> None:
    stranger = sign_in("u-whitlock")
    response = post_form(
        stranger, f"{PAGE}/p-amy/photos_publicity", {"choice": "given"}, page=TOKEN_PAGE
    )
    assert response.status_code == 403
    stepdad = sign_in("u-stepdad")  # no parental responsibility for Eve
    assert "parental responsibility" in choose(stepdad, "p-eve", "trip_medical", "given")
    assert db.scalars(select(ConsentDecision)).all() == []


def test_the_mother_of_a_14_year_old_limits_youth_support_sharing(
    sign_in: SignIn, db: Session
) -> None:
    """Rule 9: the parent decides for 13 to 15, the pupil from 16."""
    mum, ben, cat = sign_in("u-mum"), sign_in("u-ben"), sign_in("u-cat")
    assert limit(mum, "p-ben", "yes")[0] == 302
    status, text = limit(ben, "p-ben", "no")
    assert status == 409 and "Until you are 16" in text
    status, text = limit(mum, "p-cat", "yes")
    assert status == 409 and "so only Cat can make this choice" in text
    assert limit(cat, "p-cat", "yes")[0] == 302
    status, text = limit(mum, "p-amy", "yes")
    assert status == 409 and "until Amy is 13" in text
    rows = db.scalars(select(YouthSupportChoice).order_by(YouthSupportChoice.id)).all()
    assert [(r.pupil_id, r.decided_by, r.limited) for r in rows] == [
        ("p-ben", "u-mum", True),
        ("p-cat", "u-cat", True),
    ]


def test_the_dpo_sees_decisions_and_downloads_the_local_authoritys_list(
    sign_in: SignIn, app: Flask, tmp_path: Path
) -> None:
    mum, dpo = sign_in("u-mum"), sign_in("u-dpo")
    choose(mum, "p-amy", "trip_medical", "given")
    limit(mum, "p-ben", "yes")
    limit(mum, "p-ben", "no")  # changed her mind: off the list
    cat = sign_in("u-cat")
    limit(cat, "p-cat", "yes")

    page = dpo.get("/privacy/dpo/consents").get_data(as_text=True)
    assert "Amy Okafor" in page and "Medical details shared for trips" in page
    one = dpo.get("/privacy/dpo/consents?pupil=p-amy").get_data(as_text=True)
    assert "Grace Okafor agreed." in one

    response = dpo.get("/privacy/dpo/youth-support.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][0] == "Pupil name"
    assert [r[0] for r in rows[1:]] == ["Cat Okafor"]  # Ben's limit was lifted
    assert rows[1][6] == "pupil"
    assert mum.get("/privacy/dpo/youth-support.csv").status_code == 403

    out = tmp_path / "list.csv"
    result = app.test_cli_runner().invoke(
        args=["pupil-privacy", "youth-support-list", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == response.get_data()


def test_the_host_asks_whether_a_consent_holds_and_families_cannot_use_the_api(
    sign_in: SignIn, app: Flask
) -> None:
    from pupil_privacy.plugin import PupilPrivacy
    from pupil_privacy.worker.consents import ConsentNotAllowed

    mum = sign_in("u-mum")
    choose(mum, "p-amy", "photos_publicity", "given")
    with app.app_context():
        assert PupilPrivacy().consent_holds("p-amy", "photos_publicity") is True
        assert PupilPrivacy().consent_holds("p-amy", "biometrics") is False
        try:
            PupilPrivacy().consent_holds("p-amy", "photo_publicity")
        except ConsentNotAllowed as error:
            assert "photos_publicity" in str(error)
        else:
            raise AssertionError("a misspelt purpose must not read as 'no consent'")
    assert mum.get("/privacy/api/consents/p-amy").status_code == 403
    teacher = sign_in("u-teacher")
    assert teacher.get("/privacy/api/consents/p-amy?purpose=nope").status_code == 404
    assert teacher.get("/privacy/api/consents/p-amy?on=yesterday").status_code == 400


def test_a_parent_under_a_court_order_sees_neither_choices_nor_who_made_them(
    sign_in: SignIn,
) -> None:
    """Rules 10 and 12: the other parent's name and decisions are not his to read."""
    mum, dad = sign_in("u-mum"), sign_in("u-dad")  # dad: no contact (Amy), court order (Ben)
    choose(mum, "p-amy", "photos_publicity", "given")
    limit(mum, "p-ben", "yes")
    page = dad.get(PAGE).get_data(as_text=True)
    assert "Amy Okafor" in page and "Ben Okafor" in page
    assert "Please contact the school office about Amy Okafor" in page
    for leaked in ("Grace Okafor", "consent given", "Limited.", "Give consent", "History"):
        assert leaked not in page
    assert "contact the school office" in choose(dad, "p-amy", "photos_publicity", "withdrawn")
