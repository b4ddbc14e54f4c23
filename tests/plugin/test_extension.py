"""Mounting the extension in a host MIS: config, database, blueprint, base template, CLI."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import inspect
from support.host import make_host_app
from support.school import school

from pupil_privacy.plugin import PluginRuntime, PupilPrivacy, runtime_for, upgrade_database
from pupil_privacy.plugin.migrate import alembic_config
from pupil_privacy.worker.runtime import ConfigError, get_runtime


def test_mounting_twice_raises_and_says_what_to_do(app: Flask) -> None:
    with pytest.raises(ConfigError, match="already mounted.*once per app"):
        PupilPrivacy().init_app(app, mis=school())


@pytest.mark.parametrize("missing", ["PUPIL_PRIVACY_REDIS_URL", "PUPIL_PRIVACY_PACK_KEY"])
def test_missing_required_key_is_named(
    tmp_path: Path, redis_url: str, plugin_database: tuple[str, dict[str, Any]], missing: str
) -> None:
    with pytest.raises(ConfigError, match=missing):
        make_host_app(tmp_path, redis_url, plugin_database, **{missing: None})


def test_pack_key_must_be_a_fernet_key(
    tmp_path: Path, redis_url: str, plugin_database: tuple[str, dict[str, Any]]
) -> None:
    with pytest.raises(ConfigError, match="PUPIL_PRIVACY_PACK_KEY must be a Fernet key"):
        make_host_app(tmp_path, redis_url, plugin_database, PUPIL_PRIVACY_PACK_KEY="not-a-key")


def test_a_mis_adapter_is_required(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="MIS adapter"):
        PupilPrivacy().init_app(Flask("host"))


def test_runtime_is_per_app_and_the_extension_keeps_no_app(
    tmp_path: Path, redis_url: str, plugin_database: tuple[str, dict[str, Any]]
) -> None:
    privacy = PupilPrivacy(mis=school())
    apps = []
    for name in ("one", "two"):
        app = Flask(name, instance_path=str(tmp_path / name))
        app.config.update(
            SECRET_KEY="s",
            SQLALCHEMY_DATABASE_URI=plugin_database[0],
            SQLALCHEMY_ENGINE_OPTIONS=plugin_database[1],
            PUPIL_PRIVACY_REDIS_URL=redis_url,
            PUPIL_PRIVACY_PACK_KEY="Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE=",
        )
        privacy.init_app(app)
        apps.append(app)
    assert runtime_for(apps[0]) is not runtime_for(apps[1])
    assert not any(isinstance(v, Flask) for v in vars(privacy).values())
    with apps[0].app_context():
        # The worker side finds the same runtime without importing the plugin.
        assert get_runtime() is runtime_for(apps[0])
        assert isinstance(get_runtime(), PluginRuntime)


def test_config_defaults_and_settings(app: Flask) -> None:
    settings = runtime_for(app).settings
    assert app.config["PUPIL_PRIVACY_URL_PREFIX"] == "/privacy"
    assert settings.school_name == "Fenland Academy"
    assert settings.bank_holiday_region == "ENG"
    assert settings.educational_record_right is True
    assert settings.download_link_seconds == 600
    assert settings.job_timeout_seconds == 1800
    assert settings.clip_job_timeout_seconds == 4 * 3600  # a CCTV clip's job (issue 13)
    assert settings.ner_share_seconds == 3 * 24 * 3600  # worker/nerstore.py (issue 9)


def test_the_clip_job_timeout_is_a_setting(
    tmp_path: Path, redis_url: str, plugin_database: tuple[str, dict[str, Any]]
) -> None:
    app = make_host_app(tmp_path, redis_url, plugin_database, PUPIL_PRIVACY_CLIP_JOB_TIMEOUT="5400")
    assert runtime_for(app).settings.clip_job_timeout_seconds == 5400


def test_sharing_the_ners_findings_is_a_setting(
    tmp_path: Path, redis_url: str, plugin_database: tuple[str, dict[str, Any]]
) -> None:
    app = make_host_app(tmp_path, redis_url, plugin_database, PUPIL_PRIVACY_NER_SHARE_SECONDS="0")
    assert runtime_for(app).settings.ner_share_seconds == 0


def test_prefix_is_configurable(
    tmp_path: Path, redis_url: str, plugin_database: tuple[str, dict[str, Any]]
) -> None:
    app = make_host_app(tmp_path, redis_url, plugin_database, PUPIL_PRIVACY_URL_PREFIX="/my-data")
    upgrade_database(app)
    client = app.test_client()
    client.get("/test-login/u-mum")
    assert client.get("/my-data/").status_code == 200
    assert client.get("/privacy/").status_code == 404


def test_host_base_template_is_used(
    tmp_path: Path, redis_url: str, plugin_database: tuple[str, dict[str, Any]]
) -> None:
    templates = tmp_path / "host_templates"
    templates.mkdir()
    (templates / "mis_base.html").write_text(
        "<html><title>{% block title %}{% endblock %}</title><body>"
        "<header>FENLAND MIS HEADER</header>{% block content %}{% endblock %}</body></html>"
    )
    app = make_host_app(
        tmp_path, redis_url, plugin_database, PUPIL_PRIVACY_BASE_TEMPLATE="mis_base.html"
    )
    app.template_folder = str(templates)
    upgrade_database(app)
    client = app.test_client()
    client.get("/test-login/u-mum")
    html = client.get("/privacy/").get_data(as_text=True)
    assert "FENLAND MIS HEADER" in html
    assert "Privacy · Fenland Academy" in html


def test_school_can_override_any_page(
    tmp_path: Path, redis_url: str, plugin_database: tuple[str, dict[str, Any]]
) -> None:
    templates = tmp_path / "host_templates"
    (templates / "pupil_privacy").mkdir(parents=True)
    (templates / "pupil_privacy" / "notice.html").write_text(
        "OUR OWN NOTICE PAGE v{{ notice.version }}"
    )
    app = make_host_app(tmp_path, redis_url, plugin_database)
    app.template_folder = str(templates)
    upgrade_database(app)
    client = app.test_client()
    client.get("/test-login/u-mum")
    assert client.get("/privacy/notice").get_data(as_text=True) == "OUR OWN NOTICE PAGE v1"


def test_works_with_the_hosts_flask_sqlalchemy(
    tmp_path: Path, redis_url: str, plugin_database: tuple[str, dict[str, Any]]
) -> None:
    app = make_host_app(tmp_path, redis_url, plugin_database, host_db=True)
    host_db = app.extensions["sqlalchemy"]
    assert runtime_for(app).db is host_db
    upgrade_database(app)
    with app.app_context():
        tables = set(inspect(host_db.engine).get_table_names())
        assert {"pp_request", "pp_notice_version", "pp_alembic_version"} <= tables
        assert runtime_for(app).session is host_db.session


def test_db_passed_explicitly_must_be_initialised(
    tmp_path: Path, redis_url: str, plugin_database: tuple[str, dict[str, Any]]
) -> None:
    app = Flask("host", instance_path=str(tmp_path / "i"))
    app.config.update(
        SECRET_KEY="s",
        PUPIL_PRIVACY_REDIS_URL=redis_url,
        PUPIL_PRIVACY_PACK_KEY="Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE=",
    )
    with pytest.raises(ConfigError, match="db.init_app"):
        PupilPrivacy(app, mis=school(), db=SQLAlchemy())


def test_without_a_host_database_we_bring_our_own(
    tmp_path: Path, redis_url: str, plugin_database: tuple[str, dict[str, Any]]
) -> None:
    app = make_host_app(tmp_path, redis_url, plugin_database)
    assert isinstance(runtime_for(app).db, SQLAlchemy)
    assert app.extensions["sqlalchemy"] is runtime_for(app).db


def test_signed_out_user_gets_401_page_or_the_hosts_login(
    tmp_path: Path, redis_url: str, plugin_database: tuple[str, dict[str, Any]], client: Any
) -> None:
    response = client.get("/privacy/")
    assert response.status_code == 401
    assert "Please sign in" in response.get_data(as_text=True)

    app = make_host_app(tmp_path, redis_url, plugin_database, PUPIL_PRIVACY_LOGIN_ENDPOINT="login")
    response = app.test_client().get("/privacy/notice")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


def test_cli_db_upgrade_builds_the_schema(
    tmp_path: Path, redis_url: str, plugin_database: tuple[str, dict[str, Any]]
) -> None:
    app = make_host_app(tmp_path, redis_url, plugin_database)
    result = app.test_cli_runner().invoke(args=["pupil-privacy", "db", "upgrade"])
    assert result.exit_code == 0, result.output
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert f"revision {head}" in result.output
    runtime = runtime_for(app)
    assert runtime.db is not None
    with app.app_context():
        assert "pp_request" in inspect(runtime.db.engine).get_table_names()
    # Running it again is a no-op, not an error.
    again = app.test_cli_runner().invoke(args=["pupil-privacy", "db", "upgrade"])
    assert again.exit_code == 0, again.output


def test_worker_command_is_registered(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["pupil-privacy", "worker", "--help"])
    assert result.exit_code == 0
    assert "--burst" in result.output and "--queue" in result.output


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("PUPIL_PRIVACY_DOWNLOAD_LINK_SECONDS", "ten minutes", "must be a whole number"),
        ("PUPIL_PRIVACY_PACK_RETENTION_DAYS", 0, "must be greater than 0"),
        ("PUPIL_PRIVACY_TERM_DATES", ["2026-09-03"], "list of \\(first day, last day\\)"),
        ("SECRET_KEY", None, "set SECRET_KEY"),
    ],
)
def test_unusable_values_are_named_at_start_up(
    tmp_path: Path,
    redis_url: str,
    plugin_database: tuple[str, dict[str, Any]],
    key: str,
    value: object,
    message: str,
) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        make_host_app(tmp_path, redis_url, plugin_database, **{key: value})
    assert key in str(caught.value)


def test_term_dates_are_read_from_iso_strings(
    tmp_path: Path, redis_url: str, plugin_database: tuple[str, dict[str, Any]]
) -> None:
    app = make_host_app(
        tmp_path,
        redis_url,
        plugin_database,
        PUPIL_PRIVACY_TERM_DATES=[("2026-09-03", "2026-10-23")],
        PUPIL_PRIVACY_EDUCATIONAL_RECORD_RIGHT=False,
    )
    settings = runtime_for(app).settings
    terms = settings.term_dates
    assert terms.is_school_day(dt.date(2026, 9, 3)) and not terms.is_school_day(dt.date(2026, 9, 5))
    assert settings.educational_record_right is False


def test_an_incomplete_adapter_is_named(tmp_path: Path) -> None:
    class HalfAnAdapter:
        def current_user(self) -> None:
            return None

    with pytest.raises(ConfigError, match="HalfAnAdapter lacks user, pupils_for, pupil"):
        PupilPrivacy().init_app(Flask("host"), mis=HalfAnAdapter())  # type: ignore[arg-type]
