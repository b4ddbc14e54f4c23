"""The demo MIS: a small Flask app with its own database, login and pages, and the Privacy
tab mounted the way any school's system would mount it::

    app.config["PUPIL_PRIVACY_BASE_TEMPLATE"] = "demo/base.html"  # the tab looks native
    db.init_app(app)                                 # the host's Flask-SQLAlchemy
    privacy.init_app(app, mis=DemoMIS())             # the adapter over the host's tables

Run it with ``make demo`` (see ``__main__``), or ``flask --app pupil_privacy.demo.app run``
after ``flask --app pupil_privacy.demo.app demo init``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, render_template, url_for
from flask_wtf import CSRFProtect
from werkzeug.exceptions import HTTPException

from pupil_privacy.plugin import PupilPrivacy, pupil_privacy_tab

from .adapter import DemoMIS
from .auth import LogoutForm, is_staff, load_user, role_of
from .cli import demo_cli
from .models import db
from .seed import SCHOOL_DOMAIN, SCHOOL_NAME
from .views import bp

csrf = CSRFProtect()
privacy = PupilPrivacy()

ROLE_LABELS = {
    "parent": "Parent/carer",
    "pupil": "Pupil",
    "staff": "Staff",
    "dpo": "Data protection officer",
    "dsl": "Safeguarding lead",
    "admin": "Administrator",
}


def var_dir() -> Path:
    """Where the demo keeps its SQLite file, packs and keys (``var/demo`` by default)."""
    return Path(os.environ.get("DEMO_VAR_DIR") or Path.cwd() / "var" / "demo").resolve()


def database_url(url: str | None, directory: Path) -> str:
    """``DATABASE_URL`` as SQLAlchemy wants it (psycopg 3 for PostgreSQL), else SQLite."""
    if not url:
        return f"sqlite:///{directory / 'mis.sqlite'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _demo_secrets(directory: Path) -> dict[str, str]:
    """Keys made on first start and kept, so sessions and encrypted packs survive restarts."""
    from cryptography.fernet import Fernet

    path = directory / "secrets.json"
    if path.exists():
        return dict(json.loads(path.read_text()))
    directory.mkdir(parents=True, exist_ok=True)
    made = {"secret_key": secrets.token_hex(32), "pack_key": Fernet.generate_key().decode()}
    path.write_text(json.dumps(made))
    path.chmod(0o600)
    return made


def _fill_defaults(config: MutableMapping[str, Any]) -> None:
    """Everything not given explicitly comes from the environment or ``var/demo``."""
    directory = var_dir()
    config.setdefault(
        "SQLALCHEMY_DATABASE_URI", database_url(os.environ.get("DATABASE_URL"), directory)
    )
    config.setdefault("PUPIL_PRIVACY_REDIS_URL", os.environ.get("REDIS_URL", "redis://127.0.0.1"))
    config.setdefault("PUPIL_PRIVACY_STORAGE_DIR", str(directory / "packs"))
    if not config.get("SECRET_KEY") or not config.get("PUPIL_PRIVACY_PACK_KEY"):
        keys = _demo_secrets(directory)
        config.setdefault("PUPIL_PRIVACY_PACK_KEY", keys["pack_key"])
        if not config.get("SECRET_KEY"):
            config["SECRET_KEY"] = keys["secret_key"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The demo MIS with the Privacy tab mounted.

    :param config: overrides; anything missing comes from ``DATABASE_URL``, ``REDIS_URL``
        and keys kept in ``var/demo`` (``DEMO_VAR_DIR``).
    """
    app = Flask(__name__)
    app.config.update(
        PUPIL_PRIVACY_URL_PREFIX="/privacy",
        PUPIL_PRIVACY_BASE_TEMPLATE="demo/base.html",
        PUPIL_PRIVACY_LOGIN_ENDPOINT="demo.login",
        PUPIL_PRIVACY_HOST_SHOWS_FLASHES=True,  # demo/base.html shows them
        PUPIL_PRIVACY_SCHOOL_NAME=SCHOOL_NAME,
        PUPIL_PRIVACY_DPO_NAME="The Data Protection Officer",
        PUPIL_PRIVACY_DPO_CONTACT=f"dpo@{SCHOOL_DOMAIN}",
        # Riverside is an academy: the parents' right to the educational record (rule 4)
        # applies only at maintained schools, so it is neither offered nor accepted.
        PUPIL_PRIVACY_EDUCATIONAL_RECORD_RIGHT=False,
        # The tab takes the MIS's own look: its buttons, cards and tables (demo.css) ...
        PUPIL_PRIVACY_CLASSES={"button": "button", "card": "card", "table": "table"},
        PUPIL_PRIVACY_MIS_NAME=f"{SCHOOL_NAME} MIS",
        DEMO_SEED=2026,
        # The session cookie: not sent on cross-site posts, not readable by scripts, and
        # HTTPS-only when the demo is served over HTTPS (DEMO_SECURE_COOKIES=1).
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=os.environ.get("DEMO_SECURE_COOKIES") == "1",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=8),
    )
    app.config.update(config or {})
    _fill_defaults(app.config)

    db.init_app(app)
    csrf.init_app(app)
    app.register_blueprint(bp)
    app.cli.add_command(demo_cli)
    app.before_request(load_user)
    app.context_processor(_navigation)
    for code in (400, 401, 403, 404, 405):
        app.register_error_handler(code, _error_page)

    privacy.init_app(app, mis=DemoMIS())
    return app


def _navigation() -> dict[str, Any]:
    """The top bar: the Privacy tab appears like any other tab of the MIS."""
    user = g.get("user")
    items = [("Home", url_for("demo.home"), "demo.home")]
    if user is not None:
        pupils_label = "Pupils" if is_staff(user) else "My children"
        if role_of(user).value == "pupil":
            pupils_label = "My record"
        items.append((pupils_label, url_for("demo.pupils"), "demo.pupil"))
        items.append(("Timetable", url_for("demo.timetable"), "demo.timetable"))
        if "pupil_privacy" in current_app.blueprints:
            # The plugin's helper: the tab's URL and whether it applies to this user.
            tab = pupil_privacy_tab()
            if tab.applies:
                items.append((tab.label, tab.url, tab.endpoint_prefix))
    return {
        "nav_items": items,
        "current_user": user,
        "role_label": ROLE_LABELS.get(user.role, user.role) if user is not None else "",
        "logout_form": LogoutForm() if user is not None else None,
        "school_name": SCHOOL_NAME,
    }


def _error_page(error: HTTPException) -> tuple[str, int]:
    return render_template("demo/error.html", error=error), error.code or 500
