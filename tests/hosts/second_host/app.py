"""The second host app: its own login, error pages, base template and Flask-Migrate history,
two schools, and the Privacy tab mounted without editing any of it (config only)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from flask import Flask, render_template, session
from flask_migrate import Migrate
from werkzeug.exceptions import HTTPException

from pupil_privacy.plugin import PupilPrivacy

from .adapter import FILES, SecondHostMIS
from .models import Account, Contact, Learner, Note, School, db

HERE = Path(__file__).parent
MIGRATIONS = HERE / "migrations"

#: Account ids (numbered from 1, like the learners: account 3 and learner 3 both exist).
NORTH_DPO, NORTH_DSL, CARER, TEACHER_PARENT, AUNT, BARRED, SOUTH_DPO, SOUTH_CARER = range(1, 9)
#: Learner ids.
ELLA, FIN, ZARA, SAM = 1, 2, 3, 4
ZARA_PHONE = "07700 900333"
ZARA_ADDRESS = "12 Elm Row, Ely"


def create_app(database_url: str, redis_url: str, folder: Path, **config: Any) -> Flask:
    app = Flask("second_host", template_folder=str(HERE / "templates"))
    app.config.update(
        SECRET_KEY="second-host-secret",
        SQLALCHEMY_DATABASE_URI=database_url,
        WTF_CSRF_ENABLED=True,
        PUPIL_PRIVACY_REDIS_URL=redis_url,
        PUPIL_PRIVACY_PACK_KEY=Fernet.generate_key().decode(),
        PUPIL_PRIVACY_STORAGE_DIR=str(folder / "packs"),
        PUPIL_PRIVACY_BASE_TEMPLATE="second/layout.html",
        PUPIL_PRIVACY_TITLE_BLOCK="head_title",
        PUPIL_PRIVACY_HEADING_BLOCK="page_heading",
        PUPIL_PRIVACY_CONTENT_BLOCK="main",
        PUPIL_PRIVACY_CLASSES={"button": "second-btn", "card": "second-card"},
        # This MIS has no DPO or DSL role: they are named here, one DPO per school.
        PUPIL_PRIVACY_DPO_USERS=[str(NORTH_DPO), str(SOUTH_DPO)],
        PUPIL_PRIVACY_DSL_USERS=[str(NORTH_DSL)],
        PUPIL_PRIVACY_SCHOOLS={
            "north": {"school_name": "North Fen Primary", "dpo_name": "Nia North"},
            "south": {"school_name": "South Fen Primary", "dpo_name": "Sol South"},
        },
        PUPIL_PRIVACY_MIS_NAME="Second MIS",
    )
    app.config.update(config)
    db.init_app(app)
    Migrate(app, db, directory=str(MIGRATIONS))

    @app.route("/")
    def home() -> str:
        return render_template("second/layout.html")

    @app.route("/signin/<int:account_id>")
    def signin(account_id: int) -> str:
        session["sh_account"] = account_id
        return "signed in"

    def error_card(error: HTTPException) -> tuple[str, int]:
        return render_template("second/error.html", code=error.code), error.code or 500

    # The host's own error pages, as real MIS apps have (they used to hide our messages).
    for code in (400, 401, 403, 404, 409, 500):
        app.register_error_handler(code, error_card)

    PupilPrivacy(app, mis=SecondHostMIS())
    return app


def seed() -> None:
    """Two schools; account ids and learner ids both counted from 1."""
    db.session.add_all(
        [
            School(id=1, code="north", name="North Fen Primary"),
            School(id=2, code="south", name="South Fen Primary"),
        ]
    )
    db.session.add_all(
        [
            Learner(id=ELLA, school_id=1, full_name="Ella Brook", born=dt.date(2016, 4, 2)),
            Learner(id=FIN, school_id=1, full_name="Fin Marsh", born=None),
            Learner(
                id=ZARA,
                school_id=1,
                full_name="Zara Quinn",
                born=None,
                phone=ZARA_PHONE,
                address=ZARA_ADDRESS,
            ),
            Learner(id=SAM, school_id=2, full_name="Sam Southey", born=dt.date(2015, 9, 9)),
        ]
    )
    db.session.add_all(
        [
            Account(id=NORTH_DPO, school_id=1, full_name="Nia North", kind="office"),
            Account(id=NORTH_DSL, school_id=1, full_name="Dev Lead", kind="teacher"),
            Account(
                id=CARER,
                school_id=1,
                full_name="Dave Brook",
                kind="carer",
                email="dave@example.org",
                phone="07700 900003",
            ),
            Account(
                id=TEACHER_PARENT,
                school_id=1,
                full_name="Tess Marsh",
                kind="teacher",
                also_carer=True,
            ),
            Account(id=AUNT, school_id=1, full_name="Kim Marsh", kind="carer"),
            Account(id=BARRED, school_id=1, full_name="Ray Brook", kind="carer"),
            Account(id=SOUTH_DPO, school_id=2, full_name="Sol South", kind="office"),
            Account(id=SOUTH_CARER, school_id=2, full_name="Sue Southey", kind="carer"),
        ]
    )
    db.session.add_all(
        [
            Contact(account_id=CARER, learner_id=ELLA, relation="father", responsibility=True),
            Contact(
                account_id=TEACHER_PARENT, learner_id=FIN, relation="mother", responsibility=True
            ),
            Contact(account_id=AUNT, learner_id=FIN, relation="aunt", responsibility=None),
            Contact(
                account_id=BARRED,
                learner_id=ELLA,
                relation="uncle",
                responsibility=True,
                barred=True,
            ),
            Contact(account_id=SOUTH_CARER, learner_id=SAM, relation="mother", responsibility=True),
        ]
    )
    day = dt.date(2026, 10, 1)
    db.session.add_all(
        [
            Note(
                id=1,
                learner_id=ELLA,
                area="behaviour",
                title="Playground",
                written=day,
                body=f"Ella and Zara Quinn argued. Zara's family ({ZARA_PHONE}, {ZARA_ADDRESS}) "
                "were told. Dave Brook was called on 07700 900003.",
            ),
            Note(
                id=2,
                learner_id=ELLA,
                area="fees",
                title="Trip payment",
                written=day,
                body="Paid £12.",
            ),
            Note(
                id=3, learner_id=ELLA, area="clubs", title="Chess club", written=day, body="Joined."
            ),
            Note(
                id=4,
                learner_id=ELLA,
                area="attendance",
                title="Scanned letter",
                written=day,
                attachment="scan-0004.pdf",
            ),
            Note(
                id=5,
                learner_id=SAM,
                area="attendance",
                title="Late",
                written=day,
                body="Late twice.",
            ),
        ]
    )
    db.session.commit()
    FILES.clear()  # scan-0004.pdf is named by the note but was never stored: unreadable
