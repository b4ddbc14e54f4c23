"""The test host MIS: a minimal Flask app with a login route and an InMemoryMIS of two families
(one separated, with a no-contact father), staff, a DPO and a DSL. Shared by the plugin tests."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from flask import Flask, g, session
from flask.testing import FlaskClient

from pupil_privacy.plugin import PupilPrivacy
from pupil_privacy.redaction.types import Person, Role
from pupil_privacy.worker.mis import (
    InMemoryMIS,
    MISUser,
    PupilDetails,
    PupilLink,
    UserRole,
)

TODAY = dt.date.today()


def born(years: int, days_after_birthday: int = 30) -> dt.date:
    """A date of birth making a pupil ``years`` old today (a month past their birthday)."""
    day = TODAY - dt.timedelta(days=days_after_birthday)
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return (day - dt.timedelta(days=1)).replace(year=day.year - years)


def build_mis() -> InMemoryMIS:
    mis = InMemoryMIS()
    pupils = [
        PupilDetails("p-amy", "Amy Okafor", born(9), preferred_name="Amy", upn="A123456789012"),
        PupilDetails("p-ben", "Ben Okafor", born(14), preferred_name="Ben"),
        PupilDetails("p-cat", "Cat Okafor", born(16)),
        PupilDetails("p-dan", "Dan Whitlock", born(10)),
        PupilDetails("p-eve", "Eve Lindqvist", born(13)),
    ]
    mis.pupils = {p.id: p for p in pupils}
    users = [
        MISUser("u-mum", "Grace Okafor", UserRole.PARENT, email="grace@example.org"),
        MISUser("u-dad", "Tom Okafor", UserRole.PARENT),
        MISUser("u-whitlock", "Sam Whitlock", UserRole.PARENT),
        MISUser("u-stepdad", "Lee Lindqvist", UserRole.PARENT),
        MISUser("u-ben", "Ben Okafor", UserRole.PUPIL, pupil_id="p-ben"),
        MISUser("u-cat", "Cat Okafor", UserRole.PUPIL, pupil_id="p-cat"),
        MISUser("u-teacher", "Ms Patel", UserRole.STAFF),
        MISUser("u-dpo", "Dana Price", UserRole.DPO),
        MISUser("u-dsl", "Sue Lowe", UserRole.DSL),
        MISUser("u-admin", "Alex Admin", UserRole.ADMIN),
    ]
    mis.users = {u.id: u for u in users}
    mis.links = {
        "u-mum": [
            PupilLink("p-amy", "mother"),
            PupilLink("p-ben", "mother"),
            PupilLink("p-cat", "mother"),
        ],
        # A separated father under a no-contact order (rule 12 and the brief's family).
        "u-dad": [
            PupilLink("p-amy", "father", no_contact=True),
            PupilLink("p-ben", "father", court_order=True),
        ],
        "u-whitlock": [PupilLink("p-dan", "father")],
        "u-stepdad": [PupilLink("p-eve", "step-father", parental_responsibility=False)],
    }
    mis.people = [
        Person(name=p.name, role=Role.PUPIL) for p in pupils
    ]  # the roster (the worker's concern; here only for completeness)
    mis.current_user_getter = lambda: session.get("test_user")
    return mis


#: Every app made, so the database fixture can close their connections before dropping its schema.
CREATED_APPS: list[Flask] = []


def dispose_apps() -> None:
    """Close every pooled connection the test apps opened."""
    while CREATED_APPS:
        app = CREATED_APPS.pop()
        runtime = app.extensions.get("pupil_privacy")
        db = getattr(runtime, "db", None) or app.extensions.get("sqlalchemy")
        if db is None:
            continue
        with app.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()


def make_host_app(
    tmp_path: Path,
    redis_url: str,
    database: tuple[str, dict[str, Any]],
    *,
    mis: InMemoryMIS | None = None,
    host_db: bool = False,
    **config: Any,
) -> Flask:
    """A minimal host MIS with a login route and the extension mounted."""
    app = Flask("host_mis", instance_path=str(tmp_path / "instance"))
    url, engine_options = database
    app.config.update(
        SECRET_KEY="test-secret",
        TESTING=True,
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS=engine_options,
        PUPIL_PRIVACY_REDIS_URL=redis_url,
        PUPIL_PRIVACY_PACK_KEY=Fernet.generate_key().decode(),
        PUPIL_PRIVACY_STORAGE_DIR=str(tmp_path / "storage"),
        PUPIL_PRIVACY_SCHOOL_NAME="Fenland Academy",
        PUPIL_PRIVACY_DPO_NAME="Dana Price",
        PUPIL_PRIVACY_DPO_CONTACT="dpo@fenland.example",
    )
    app.config.update(config)

    @app.before_request
    def fresh_csrf_token() -> None:
        # The `db` fixture keeps one app context open across requests, so `g` (where
        # Flask-WTF caches the token) would leak between clients; in production every request
        # has its own app context and `g` starts empty.
        g.pop("csrf_token", None)

    @app.route("/login")
    def login() -> str:
        return "the host's login page"

    @app.route("/test-login/<user_id>")
    def test_login(user_id: str) -> str:
        session["test_user"] = user_id
        return "ok"

    CREATED_APPS.append(app)
    if host_db:
        from flask_sqlalchemy import SQLAlchemy

        SQLAlchemy().init_app(app)
    PupilPrivacy(app, mis=mis or build_mis())
    return app


_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client: FlaskClient, page: str = "/privacy/") -> str:
    """The CSRF token from a form on ``page`` (the same for every form in this session)."""
    html = client.get(page).get_data(as_text=True)
    match = _CSRF.search(html)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


def post_form(client: FlaskClient, url: str, data: dict[str, Any], page: str = "/privacy/") -> Any:
    """POST a form the way a browser does: with the CSRF token from a page."""
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data})


def submit_request(client: FlaskClient, pupil_id: str, right: str, **fields: Any) -> Any:
    """Make a request through the tab's form, as a parent or pupil would."""
    data = {"pupil_id": pupil_id, "right": right, "details": "", **fields}
    return post_form(client, "/privacy/requests/new", data, page="/privacy/requests/new")


def stored_request(
    app: Flask,
    *,
    pupil_id: str = "p-amy",
    requester_id: str = "u-mum",
    right: str = "access",
    received_on: dt.date | None = None,
    identity_by_login: bool = True,
) -> int:
    """A request stored and admitted through the lifecycle, as the intake form does."""
    from pupil_privacy.plugin import runtime_for
    from pupil_privacy.worker import lifecycle
    from pupil_privacy.worker.states import RightType

    with app.app_context():
        runtime = runtime_for(app)
        session = runtime.session
        user = runtime.mis.user(requester_id)
        assert user is not None
        link = next(lk for lk in runtime.mis.pupils_for(user.id) if lk.pupil_id == pupil_id)
        pupil = runtime.mis.pupil(pupil_id)
        assert pupil is not None
        req = lifecycle.create_request(
            session,
            right=RightType(right),
            pupil=pupil,
            requester=user,
            link=link,
            details="test request",
            received_on=received_on or TODAY,
            settings=runtime.settings,
        )
        lifecycle.admit(
            session, req, settings=runtime.settings, identity_by_login=identity_by_login
        )
        session.commit()
        return req.id


REQUESTER_PDF = b"%PDF-1.7 requester copy of Amy's records"
DPO_PDF = b"%PDF-1.7 DPO copy with the redaction schedule"


def built_pack(app: Flask, request_id: int, *, safeguarding: bool = True) -> None:
    """Leave a request as the worker does after building its pack: documents (one done, one
    that could not be processed, optionally one safeguarding record for the DSL), redaction
    schedule rows, and encrypted requester and DPO packs in storage."""
    import hashlib

    from pupil_privacy.plugin import runtime_for
    from pupil_privacy.worker import lifecycle
    from pupil_privacy.worker.models import Pack, Redaction, RequestDocument, RightsRequest
    from pupil_privacy.worker.states import Status
    from pupil_privacy.worker.storage import document_key, pack_key, storage_for

    with app.app_context():
        runtime = runtime_for(app)
        session = runtime.session
        req = session.get(RightsRequest, request_id)
        assert req is not None and req.status == Status.IN_PROGRESS
        report = RequestDocument(
            record_id="r1",
            category="assessments",
            title="Spring report",
            source="Reports",
            status="done",
            pages=2,
            warnings=["OCR unavailable: scanned page not searched"],
        )
        report.redactions = [
            Redaction(
                text="Jake Smith",
                entity_type="PERSON",
                reason="rule-10-third-party",
                detector="roster",
                score=0.99,
                page=1,
            ),
            Redaction(
                text="her dad, who drives the blue taxi",
                entity_type="CONTEXT",
                reason="rule-10-context",
                detector="context",
                score=0.6,
                action="review",
                page=2,
            ),
        ]
        broken = RequestDocument(
            record_id="r2",
            category="documents_emails",
            title="Old scan",
            source="Archive",
            status="failed",
            error="the PDF is encrypted",
        )
        docs = [report, broken]
        if safeguarding:
            docs.append(
                RequestDocument(
                    record_id="r3",
                    category="safeguarding",
                    title="Welfare concern",
                    source="CPOMS",
                    status="done",
                    needs_dsl_review=True,
                    pages=1,
                )
            )
        req.documents.extend(docs)
        session.flush()
        storage = storage_for(runtime)
        for doc in docs:
            if doc.status == "done":
                doc.output_key = document_key(req.id, doc.id)
                storage.write(doc.output_key, b"%PDF-1.7 redacted " + doc.title.encode())
        for kind, data in (("requester", REQUESTER_PDF), ("dpo", DPO_PDF)):
            key = pack_key(req.id, kind)
            storage.write(key, data)
            req.packs.append(
                Pack(
                    kind=kind,
                    storage_key=key,
                    size=len(data),
                    pages=3,
                    sha256=hashlib.sha256(data).hexdigest(),
                )
            )
        lifecycle.set_progress(req, stage="ready", docs_done=3, docs_total=3)
        next_status = Status.SAFEGUARDING_REVIEW if safeguarding else Status.READY_FOR_REVIEW
        lifecycle.transition(session, req, next_status, detail="Pack built (test)")
        session.commit()


def to_ready_for_review(app: Flask, request_id: int) -> None:
    """What the worker's assembly does once the DSL has decided (rule 14)."""
    from pupil_privacy.plugin import runtime_for
    from pupil_privacy.worker import lifecycle
    from pupil_privacy.worker.models import RightsRequest
    from pupil_privacy.worker.states import Status

    with app.app_context():
        session = runtime_for(app).session
        req = session.get(RightsRequest, request_id)
        assert req is not None
        lifecycle.transition(session, req, Status.READY_FOR_REVIEW, detail="Pack rebuilt")
        session.commit()
