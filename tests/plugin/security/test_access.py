"""Who reaches what (issue 11): one 404 for a request that is not yours and one that does not
exist (no enumeration); the DSL opens only safeguarding documents awaiting their decision;
decrypted downloads are never cached."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session
from support.files import pdf_text
from support.host import built_pack, stored_request
from support.school import AMY_WELFARE
from support.web import post_form

from pupil_privacy.worker.models import RequestDocument
from pupil_privacy.worker.states import DocumentStatus

SignIn = Callable[[str], FlaskClient]


def _body(response: object) -> str:
    return response.get_data(as_text=True)  # type: ignore[attr-defined, no-any-return]


def test_someone_elses_request_and_a_missing_one_get_the_same_404(
    app: Flask, sign_in: SignIn
) -> None:
    mums = stored_request(app)  # Grace Okafor's request about Amy
    missing = mums + 1000
    stranger = sign_in("u-whitlock")  # another school parent
    pairs = [
        (stranger.get(f"/privacy/requests/{mums}"), stranger.get(f"/privacy/requests/{missing}")),
        (
            post_form(stranger, f"/privacy/requests/{mums}/download-link/requester", {}),
            post_form(stranger, f"/privacy/requests/{missing}/download-link/requester", {}),
        ),
        (
            post_form(stranger, f"/privacy/requests/{mums}/withdraw", {}),
            post_form(stranger, f"/privacy/requests/{missing}/withdraw", {}),
        ),
    ]
    ben = sign_in("u-ben")  # a pupil; the request is about his sister
    pairs.append((ben.get(f"/privacy/consent/{mums}"), ben.get(f"/privacy/consent/{missing}")))
    for theirs, nobodys in pairs:
        assert theirs.status_code == nobodys.status_code == 404
        assert _body(theirs) == _body(nobodys)
        assert "There is no such request." in _body(theirs)
    # The owner still sees it.
    assert sign_in("u-mum").get(f"/privacy/requests/{mums}").status_code == 200


def test_the_dsl_opens_only_safeguarding_documents_awaiting_them(
    app: Flask, sign_in: SignIn, db: Session, redis: Redis
) -> None:
    request_id = stored_request(app)
    built_pack(app, request_id)  # Amy's welfare note waits for the DSL (rule 14)
    docs = db.scalars(select(RequestDocument).where(RequestDocument.request_id == request_id)).all()
    welfare = next(d for d in docs if d.needs_dsl_review)
    report = next(d for d in docs if not d.needs_dsl_review and d.status == DocumentStatus.DONE)
    dsl, dpo = sign_in("u-dsl"), sign_in("u-dpo")

    opened = dsl.get(f"/privacy/documents/{welfare.id}.pdf")
    assert opened.status_code == 200
    assert "Amy Okafor" in pdf_text(opened.data)
    # Not a safeguarding record: the DSL has no business reading it.
    assert dsl.get(f"/privacy/documents/{report.id}.pdf").status_code == 404
    assert dpo.get(f"/privacy/documents/{report.id}.pdf").status_code == 200

    response = post_form(
        dsl,
        f"/privacy/dsl/documents/{welfare.id}",
        {"decision": "release", "reason": "Nothing in it harms Amy"},
        page="/privacy/dsl",
    )
    assert response.status_code == 302
    # Decided: no longer awaiting the DSL, so no longer theirs to open; the DPO still can.
    assert dsl.get(f"/privacy/documents/{welfare.id}.pdf").status_code == 404
    assert dpo.get(f"/privacy/documents/{welfare.id}.pdf").status_code == 200
    assert AMY_WELFARE in _body(dsl.get("/privacy/dsl"))  # listed as decided, not opened


def test_decrypted_files_are_sent_no_store_private(
    app: Flask, sign_in: SignIn, db: Session, redis: Redis
) -> None:
    request_id = stored_request(app)
    built_pack(app, request_id, safeguarding=False)
    dpo = sign_in("u-dpo")
    docs = db.scalars(select(RequestDocument).where(RequestDocument.request_id == request_id)).all()
    doc = next((d for d in docs if d.output_key), None)
    assert doc is not None, [(d.record_id, d.status, d.error, d.output_key) for d in docs]
    document = dpo.get(f"/privacy/documents/{doc.id}.pdf")
    assert document.status_code == 200
    page = f"/privacy/dpo/requests/{request_id}"
    link = post_form(dpo, f"/privacy/requests/{request_id}/download-link/dpo", {}, page=page)
    match = re.search(r'href="(/privacy/download/[^"]+)"', _body(link))
    assert match
    pack = dpo.get(match.group(1))
    assert pack.status_code == 200 and pack.data.startswith(b"%PDF")
    for response in (document, pack):
        assert response.headers["Cache-Control"] == "no-store, private"
        assert response.headers["Pragma"] == "no-cache"
