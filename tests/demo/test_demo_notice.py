"""The demo publishes its own trust's corrected notice as version 1, never the shipped
template with another organisation's details (issue 12)."""

from __future__ import annotations

from cryptography.fernet import Fernet

from pupil_privacy.demo.app import create_app
from pupil_privacy.demo.cli import demo_notice, prepare_database
from pupil_privacy.demo.models import db
from pupil_privacy.plugin import notice_store
from pupil_privacy.worker.notice import default_notice_text, lint_notice


def test_the_demo_s_first_notice_is_its_own_and_clean(tmp_path, redis_url):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "demo-notice",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'mis.sqlite'}",
            "PUPIL_PRIVACY_REDIS_URL": redis_url,
            "PUPIL_PRIVACY_PACK_KEY": Fernet.generate_key().decode(),
            "PUPIL_PRIVACY_STORAGE_DIR": str(tmp_path / "packs"),
        }
    )
    with app.app_context():
        prepare_database()
        first = notice_store.current_notice(db.session)
        assert first.version == 1
        assert first.body == demo_notice("parents") != default_notice_text()
        assert "Westmoor Valley Learning Trust" in first.body
        assert lint_notice(first.body, school_type="academy") == []
        prepare_database()  # a second start publishes nothing new
        assert [v.version for v in notice_store.versions(db.session)] == [1]
        db.engine.dispose()
