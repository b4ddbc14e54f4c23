"""Driving the product's demo MIS (the host the e2e and demo tests use): signing in, posting
its forms, running its worker, and the facts of its seeded school."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask.testing import FlaskClient
from rq import SimpleWorker
from rq.serializers import JSONSerializer

from pupil_privacy.demo.school import DEMO_PASSWORD, School
from pupil_privacy.worker.runtime import get_runtime

from .web import csrf_token_in

#: A fixed day keeps the seeded school's ages and dates stable across runs.
SEED_DAY = dt.date(2026, 3, 16)


def login(client: FlaskClient, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in to the demo MIS through its login form."""
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_token_in(page.text)},
    )
    assert response.status_code == 302, response.text


def submit_form(client: FlaskClient, page_url: str, action: str, data: dict[str, str]) -> str:
    """GET ``page_url`` for a fresh CSRF token, POST ``data`` to ``action``, follow redirects."""
    page = client.get(page_url)
    assert page.status_code == 200, page.text
    response = client.post(
        action, data={**data, "csrf_token": csrf_token_in(page.text)}, follow_redirects=True
    )
    assert response.status_code == 200, response.text
    return response.text


def run_worker(app: Flask) -> None:
    """Run every queued job with a real RQ worker in this process, until the queue is empty."""
    with app.app_context():
        runtime = get_runtime()
        worker = SimpleWorker(
            [runtime.queue()], connection=runtime.redis, serializer=JSONSerializer
        )
        worker.work(burst=True)


def subject_and_others(school: School) -> tuple[str, str, list[str], str]:
    """The separated mother's youngest child (under 12: no consent step), other pupils named in
    that child's records, and the no-contact father's new address (in one of them)."""
    assert school.facts is not None
    family = next(f for f in school.families if f.id == school.facts.separated_family_id)
    pupils = sorted((school.pupil(p) for p in family.pupil_ids), key=lambda p: p.date_of_birth)
    child = next(p for p in reversed(pupils) if p.age_on(school.today) < 12)
    texts = " ".join(
        (r.text or "") + " " + (r.content or b"").decode("latin-1")
        for r in school.records
        if r.pupil_id == child.id
    )
    others = [p.name for p in school.pupils if p.family_id != child.family_id and p.name in texts]
    return child.id, child.name, others, school.facts.no_contact_new_address


def _run_worker(app: Flask) -> None:
    with app.app_context():
        runtime = get_runtime()
        worker = SimpleWorker(
            [runtime.queue()], connection=runtime.redis, serializer=JSONSerializer
        )
        worker.work(burst=True)


def dsl_releases_everything(app: Flask, request_id: int) -> None:
    """The DSL releases every record waiting for review; the worker then assembles the pack."""
    dsl = app.test_client()
    login(dsl, "dsl")
    with app.app_context():
        from pupil_privacy.worker.models import RequestDocument

        docs = (
            get_runtime()
            .session.query(RequestDocument)
            .filter_by(request_id=request_id, needs_dsl_review=True)
            .all()
        )
        ids = [d.id for d in docs]
    for doc_id in ids:
        submit_form(
            dsl,
            "/privacy/dsl",
            f"/privacy/dsl/documents/{doc_id}",
            {"decision": "release", "reason": "Reviewed: nothing identifies a referrer (rule 14)."},
        )
    run_worker(app)
