"""Size limits (issue 11): a request body over ``PUPIL_PRIVACY_MAX_CONTENT_LENGTH`` and typed
reasons or comments over ``TEXT_LIMIT`` are refused with a clear message and nothing stored;
a comment at the limit is stored whole (the pupil's own words are never cut short); ids beyond
the database's integer range are "not found", not a server error."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session
from support.host import built_pack, stored_request
from support.web import csrf_token, post_form, submit_request

from pupil_privacy.worker import lifecycle
from pupil_privacy.worker.models import (
    TEXT_LIMIT,
    PupilConsent,
    RequestDocument,
    RightsRequest,
    TextTooLong,
)
from pupil_privacy.worker.states import Status

SignIn = Callable[[str], FlaskClient]


def _awaiting_bens_answer(sign_in: SignIn, db: Session) -> int:
    """Ben (14) is asked to agree to his mother's request for his data (rule 7)."""
    submit_request(sign_in("u-mum"), "p-ben", "access", details="his whole file")
    req = db.scalars(select(RightsRequest)).one()
    assert req.status == Status.AWAITING_CONSENT
    return req.id


def test_a_body_over_the_limit_is_refused_with_a_message_and_nothing_stored(
    sign_in: SignIn, db: Session
) -> None:
    request_id = _awaiting_bens_answer(sign_in, db)
    ben = sign_in("u-ben")
    url = f"/privacy/consent/{request_id}"
    token = csrf_token(ben, url)
    response = ben.post(
        url, data={"csrf_token": token, "decision": "agreed", "comment": "x" * (3 * 2**20)}
    )
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "too large" in page and "2.0 MB" in page
    db.expire_all()
    assert db.scalars(select(PupilConsent)).all() == []
    assert db.get(RightsRequest, request_id).status == Status.AWAITING_CONSENT


def test_the_limit_applies_to_our_routes_only(app: Flask) -> None:
    """The host's own routes keep the host's limits (none here)."""

    @app.route("/host-upload", methods=["POST"])
    def host_upload() -> str:
        from flask import request

        return str(len(request.get_data()))

    response = app.test_client().post("/host-upload", data=b"x" * (3 * 2**20))
    assert response.status_code == 200 and response.get_data(as_text=True) == str(3 * 2**20)


def test_a_comment_over_the_cap_is_refused_and_one_at_the_cap_kept_whole(
    sign_in: SignIn, db: Session
) -> None:
    request_id = _awaiting_bens_answer(sign_in, db)
    ben = sign_in("u-ben")
    url = f"/privacy/consent/{request_id}"
    response = post_form(
        ben, url, {"decision": "agreed", "comment": "y" * (TEXT_LIMIT + 1)}, page=url
    )
    assert response.status_code == 200  # the form again, with the message
    assert f"keep this to {TEXT_LIMIT:,} characters" in response.get_data(as_text=True)
    db.expire_all()
    assert db.scalars(select(PupilConsent)).all() == []

    words = "I want my mum to see my reports but not my diary. " * 40
    comment = words[:TEXT_LIMIT].rstrip() + "!"
    assert len(comment) <= TEXT_LIMIT
    response = post_form(ben, url, {"decision": "agreed", "comment": comment}, page=url)
    assert response.status_code == 302
    db.expire_all()
    assert db.scalars(select(PupilConsent)).one().comment == comment  # nothing cut


def test_a_dsl_reason_over_the_cap_is_refused(
    app: Flask, sign_in: SignIn, db: Session, redis: Redis
) -> None:
    # ``redis``: an empty queue, so no job another test left behind runs against this one.
    request_id = stored_request(app)
    built_pack(app, request_id)
    doc = db.scalars(select(RequestDocument).where(RequestDocument.needs_dsl_review)).one()
    dsl = sign_in("u-dsl")
    response = post_form(
        dsl,
        f"/privacy/dsl/documents/{doc.id}",
        {"decision": "release", "reason": "r" * (TEXT_LIMIT + 1)},
        page="/privacy/dsl",
    )
    assert response.status_code == 302
    assert f"keep this to {TEXT_LIMIT:,} characters" in dsl.get("/privacy/dsl").get_data(
        as_text=True
    )
    db.expire_all()
    assert db.get(RequestDocument, doc.id).dsl_decision is None


def test_the_models_refuse_over_long_text_whoever_writes_it(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    """A caller that bypasses the forms (another view, a script) is refused too, with the
    field named, rather than the text being stored or cut short."""
    request_id = _awaiting_bens_answer(sign_in, db)
    req = db.get(RightsRequest, request_id)
    with pytest.raises(TextTooLong, match="comment is 2,001 characters"):
        lifecycle.record_consent(
            db,
            req,
            decision="agreed",
            decided_by="u-ben",
            comment="z" * (TEXT_LIMIT + 1),
            actor_role="pupil",
        )
    db.rollback()
    doc = RequestDocument()
    with pytest.raises(TextTooLong, match="safeguarding lead's reason"):
        doc.dsl_reason = "w" * (TEXT_LIMIT + 1)
    doc.dsl_reason = "w" * TEXT_LIMIT
    assert len(doc.dsl_reason) == TEXT_LIMIT


@pytest.mark.parametrize(
    "path",
    [
        "/privacy/requests/{big}",
        "/privacy/consent/{big}",
        "/privacy/documents/{big}.pdf",
        "/privacy/dpo/requests/{big}",
        "/privacy/notice/{big}",
    ],
)
def test_ids_beyond_the_integer_range_are_not_found(sign_in: SignIn, path: str) -> None:
    for user in ("u-dpo", "u-ben", "u-dsl"):
        client = sign_in(user)
        for big in (2**31, 2**63, 10**30):
            response = client.get(path.format(big=big))
            assert response.status_code == 404, (user, path, big)
    # The largest id in range is looked up as usual (and does not exist).
    assert sign_in("u-dpo").get(f"/privacy/dpo/requests/{2**31 - 1}").status_code == 404
