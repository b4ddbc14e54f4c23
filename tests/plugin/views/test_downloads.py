"""Downloads of an approved pack: short-lived signed links bound to the user, every download
audited (issue 4), and nobody else's pack ever reachable."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner
from sqlalchemy import select
from sqlalchemy.orm import Session
from support.files import pdf_text
from support.host import built_pack, stored_request
from support.school import CLASSMATE
from support.web import post_form

from pupil_privacy.worker.models import Download, RequestEvent, RightsRequest
from pupil_privacy.worker.states import Status

SignIn = Callable[[str], FlaskClient]


def _approved(app: Flask, sign_in: SignIn) -> int:
    request_id = stored_request(app)
    built_pack(app, request_id, safeguarding=False)
    page = f"/privacy/dpo/requests/{request_id}"
    response = post_form(sign_in("u-dpo"), f"{page}/approve", {}, page=page)
    assert response.status_code == 302
    return request_id


def _link(client: FlaskClient, request_id: int, kind: str = "requester") -> tuple[int, str]:
    url = f"/privacy/requests/{request_id}/download-link/{kind}"
    response = post_form(client, url, {}, page="/privacy/requests/new")  # a form for everyone
    if response.status_code != 200:
        return response.status_code, ""
    match = re.search(r'href="(/privacy/download/[^"]+)"', response.get_data(as_text=True))
    assert match
    return 200, match.group(1)


def test_requester_downloads_the_approved_pack_and_it_is_audited(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    request_id = _approved(app, sign_in)
    mum = sign_in("u-mum")
    page = mum.get(f"/privacy/requests/{request_id}").get_data(as_text=True)
    # One step: the request page itself carries the signed link, made for Grace just now.
    match = re.search(r'href="(/privacy/download/[^"]+)"[^>]*>Download your copy \(PDF\)', page)
    assert match, page
    url = match.group(1)
    response = mum.get(url)
    assert response.status_code == 200
    # Decrypted from storage, and the pack the worker built: Amy's own report is there, the
    # classmate it named is not (rule 10).
    text = pdf_text(response.data)
    assert "Amy Okafor reads well" in text
    assert CLASSMATE not in text
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    download = db.scalars(select(Download)).one()
    assert download.user_id == "u-mum" and download.pack.kind == "requester"
    events = db.scalars(select(RequestEvent).where(RequestEvent.kind == "downloaded")).all()
    assert [e.actor_user_id for e in events] == ["u-mum"]


def test_expired_link_is_refused_with_a_clear_message(
    app: Flask, sign_in: SignIn, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    request_id = _approved(app, sign_in)
    mum = sign_in("u-mum")
    _, url = _link(mum, request_id)
    # Used eleven minutes later (the default lifetime is ten).
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) + 660)
        response = mum.get(url)
    assert response.status_code == 410
    assert "This download link has expired" in response.get_data(as_text=True)
    assert db.scalars(select(Download)).all() == []


def test_a_link_only_works_for_the_user_it_was_made_for(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    request_id = _approved(app, sign_in)
    _, url = _link(sign_in("u-mum"), request_id)
    other = sign_in("u-whitlock")
    response = other.get(url)
    assert response.status_code == 403
    assert not response.data.startswith(b"%PDF") and b"Amy Okafor" not in response.data
    assert _link(other, request_id)[0] == 404  # nor can they make one
    assert sign_in("u-mum").get(url.replace("/download/", "/download/x")).status_code == 404
    assert db.scalars(select(Download)).all() == []


def test_nothing_is_released_before_approval(app: Flask, sign_in: SignIn, db: Session) -> None:
    request_id = stored_request(app)
    built_pack(app, request_id, safeguarding=False)
    mum = sign_in("u-mum")
    page = mum.get(f"/privacy/requests/{request_id}").get_data(as_text=True)
    assert "/privacy/download/" not in page and "Download your copy" not in page
    assert _link(mum, request_id)[0] == 404
    # The DPO reviews both copies before approving.
    dpo = sign_in("u-dpo")
    status, url = _link(dpo, request_id, "dpo")
    assert status == 200
    # The DPO's copy carries the redaction schedule: what was removed, and why (rule 19).
    dpo_text = pdf_text(dpo.get(url).data)
    assert CLASSMATE in dpo_text and "rule-10-third-party" in dpo_text
    db.expire_all()
    assert db.get(RightsRequest, request_id).status == Status.READY_FOR_REVIEW  # type: ignore[union-attr]


def test_requester_never_gets_the_dpo_copy(app: Flask, sign_in: SignIn) -> None:
    request_id = _approved(app, sign_in)
    assert _link(sign_in("u-mum"), request_id, "dpo")[0] == 404


def test_a_pack_with_a_cctv_clip_downloads_as_a_zip_of_the_pdf_and_the_clip(
    app: Flask, sign_in: SignIn
) -> None:
    """Issue 13: a clip goes beside the PDF; its name never the MIS file name."""
    import datetime as dt
    import io
    import zipfile

    from support import media

    from pupil_privacy.plugin.runtime import runtime_for
    from pupil_privacy.worker.mis import MISRecord, RecordCategory

    clip = MISRecord(
        "amy-cctv",
        RecordCategory.PHOTOGRAPHS,
        "CCTV: Jake Smith's fall",
        dt.date(2026, 9, 1),
        source="Site CCTV",
        filename="jake_smith_fall.mp4",
    )
    runtime_for(app).mis.add_record("p-amy", clip, media.clip_bytes())  # type: ignore[attr-defined]
    request_id = _approved(app, sign_in)
    mum = sign_in("u-mum")
    _, url = _link(mum, request_id)
    response = mum.get(url)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "-requester.zip" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    pdf, clip = sorted(archive.namelist())
    assert pdf.endswith("-requester.pdf") and clip.startswith("clips/record-")
    assert "jake" not in clip.lower()  # the MIS file name names a classmate
    text = pdf_text(archive.read(pdf))
    assert f"beside this PDF as {clip}" in text and CLASSMATE not in text
    assert archive.read(clip)[4:8] == b"ftyp"  # an MP4
