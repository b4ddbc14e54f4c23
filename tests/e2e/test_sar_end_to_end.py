"""Issue 2's path, for real: a parent asks for their child's data in the Privacy tab; an RQ
worker on real Redis collects, redacts and assembles the pack; the DPO approves it; the parent
downloads it. Asserts on the pack's text in both directions: the child's own data is there
(Art 15), other people's is not (rules 10 and 12)."""

from __future__ import annotations

import re

import pymupdf
import pytest
from flask import Flask
from support.demo_host import (
    dsl_releases_everything,
    login,
    run_worker,
    subject_and_others,
    submit_form,
)

from pupil_privacy.demo.seed import build_school
from pupil_privacy.worker.runtime import get_runtime

pytestmark = pytest.mark.slow


def test_parent_sar_end_to_end(demo_app: Flask) -> None:
    school = build_school(seed=demo_app.config["DEMO_SEED"])
    child_id, child_name, other_pupils, new_address = subject_and_others(school)
    assert other_pupils, "the demo child's records should mention other pupils"

    parent = demo_app.test_client()
    login(parent, "separated")
    tab = parent.get("/privacy/")
    assert tab.status_code == 200 and "Privacy" in tab.text
    notice = parent.get("/privacy/notice")
    assert "Privacy notice" in notice.text or "privacy notice" in notice.text.lower()
    submit_form(parent, "/privacy/notice", "/privacy/notice/acknowledge", {})
    page = submit_form(
        parent,
        "/privacy/requests/new",
        "/privacy/requests/new",
        {"pupil_id": child_id, "right": "access", "details": "Everything you hold, please."},
    )
    reference = re.search(r"SAR-\d{4}-\d{4}", page)
    assert reference, page
    with demo_app.app_context():
        from pupil_privacy.worker.models import RightsRequest

        session = get_runtime().session
        req = session.query(RightsRequest).filter_by(reference=reference.group(0)).one()
        request_id, due_on = req.id, req.due_on
        assert req.status == "in_progress" and due_on is not None

    run_worker(demo_app)

    dpo = demo_app.test_client()
    login(dpo, "dpo")
    register = dpo.get("/privacy/dpo")
    assert reference.group(0) in register.text
    assert due_on.strftime("%d %b %Y").lstrip("0") in register.text or str(due_on) in register.text
    with demo_app.app_context():
        req = get_runtime().session.get(RightsRequest, request_id)
        assert req is not None
        status = req.status
    if status == "safeguarding_review":
        dsl_releases_everything(demo_app, request_id)
    detail = submit_form(
        dpo,
        f"/privacy/dpo/requests/{request_id}",
        f"/privacy/dpo/requests/{request_id}/approve",
        {},
    )
    assert "approved" in detail.lower()

    pdf_bytes = _download(parent, request_id)
    text = "\n".join(page.get_text() for page in pymupdf.open(stream=pdf_bytes, filetype="pdf"))
    flat = " ".join(text.split())
    assert child_name in flat or child_name.split()[0] in flat  # the child's own data (Art 15)
    for name in other_pupils:
        assert name not in flat, f"another pupil's name leaked into the pack: {name}"
    street = new_address.split(",")[0]
    assert street not in flat, "the no-contact parent's new address leaked (rule 12)"


def _download(client: object, request_id: int) -> bytes:
    from flask.testing import FlaskClient

    assert isinstance(client, FlaskClient)
    page = submit_form(
        client,
        f"/privacy/requests/{request_id}",
        f"/privacy/requests/{request_id}/download-link/requester",
        {},
    )
    link = re.search(r'href="(/privacy/download/[^"]+)"', page)
    assert link, page
    response = client.get(link.group(1))
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    return response.data


def test_flashed_message_shown_once_in_the_host_layout(demo_app: Flask) -> None:
    # The demo's base template shows flashes itself (PUPIL_PRIVACY_HOST_SHOWS_FLASHES).
    parent = demo_app.test_client()
    login(parent, "separated")
    page = submit_form(parent, "/privacy/notice", "/privacy/notice/acknowledge", {})
    messages = re.findall(r'role="status">([^<]+)<', page)
    assert messages, page
    assert len(messages) == len(set(messages)), messages
