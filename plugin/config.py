"""The ``PUPIL_PRIVACY_*`` config keys: their defaults in one place, and the start-up check
that turns them into the worker's :class:`~pupil_privacy.worker.runtime.Settings`.

See docs/plugin.md for what each key means.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from pupil_privacy.worker.clock import TermDates
from pupil_privacy.worker.consent_purposes import ConsentPurpose, purposes_from_config
from pupil_privacy.worker.runtime import (
    DEFAULT_REGULATOR,
    DEFAULT_RETENTION,
    ConfigError,
    Settings,
)

#: Our pages need nothing from elsewhere: our JS and CSS are files of this blueprint, and no
#: template has an inline script, handler or style attribute.
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

REQUIRED_KEYS = ("PUPIL_PRIVACY_REDIS_URL", "PUPIL_PRIVACY_PACK_KEY")


def defaults(app: Flask) -> dict[str, Any]:
    """Every optional key with its default (some depend on the app, e.g. its instance path)."""
    return {
        "PUPIL_PRIVACY_URL_PREFIX": "/privacy",
        "PUPIL_PRIVACY_BASE_TEMPLATE": "pupil_privacy/standalone_base.html",
        "PUPIL_PRIVACY_LOGIN_ENDPOINT": None,
        "PUPIL_PRIVACY_STORAGE_DIR": str(Path(app.instance_path) / "pupil_privacy"),
        "PUPIL_PRIVACY_SCHOOL_NAME": "Our school",
        "PUPIL_PRIVACY_SCHOOL_ADDRESS": "",
        "PUPIL_PRIVACY_DPO_NAME": "The Data Protection Officer",
        "PUPIL_PRIVACY_DPO_CONTACT": "",
        "PUPIL_PRIVACY_QUEUE": "pupil-privacy",
        "PUPIL_PRIVACY_SPACY_MODEL": None,
        "PUPIL_PRIVACY_PACK_RETENTION_DAYS": 90,
        "PUPIL_PRIVACY_DOWNLOAD_LINK_SECONDS": 600,
        "PUPIL_PRIVACY_JOB_TIMEOUT": 1800,
        "PUPIL_PRIVACY_CLIP_JOB_TIMEOUT": 4 * 3600,
        "PUPIL_PRIVACY_JOB_RETRIES": 3,
        # The NER's findings per sentence kept for a request's other documents (worker/nerstore.py).
        "PUPIL_PRIVACY_NER_SHARE_SECONDS": 3 * 24 * 3600,
        "PUPIL_PRIVACY_MAX_DOCUMENT_BYTES": 50 * 1024 * 1024,
        "PUPIL_PRIVACY_RETENTION_SCHEDULE": dict(DEFAULT_RETENTION),
        "PUPIL_PRIVACY_BANK_HOLIDAY_REGION": "ENG",
        "PUPIL_PRIVACY_EDUCATIONAL_RECORD_RIGHT": True,
        "PUPIL_PRIVACY_TERM_DATES": None,
        "PUPIL_PRIVACY_TRUST_MIS_LOGIN": True,
        "PUPIL_PRIVACY_DUE_SOON_DAYS": 7,
        "PUPIL_PRIVACY_HOST_SHOWS_FLASHES": False,
        "PUPIL_PRIVACY_DATABASE_URL": None,
        # Who is DPO and DSL, by user id, for hosts whose own roles do not say (issue 10).
        "PUPIL_PRIVACY_DPO_USERS": (),
        "PUPIL_PRIVACY_DSL_USERS": (),
        # {school_id: {"school_name": ..., "dpo_name": ..., ...}} for a host of several schools.
        "PUPIL_PRIVACY_SCHOOLS": {},
        "PUPIL_PRIVACY_DPO_TITLE": "Data Protection Officer",
        "PUPIL_PRIVACY_MIS_NAME": "School MIS",
        "PUPIL_PRIVACY_REGULATOR": DEFAULT_REGULATOR,
        # Rule 14: the words listing a record withheld unnamed; empty: not listed (see docs).
        "PUPIL_PRIVACY_WITHHELD_LISTING": "",
        # The host base template's block names: the page title, a heading, the body.
        "PUPIL_PRIVACY_TITLE_BLOCK": "title",
        "PUPIL_PRIVACY_HEADING_BLOCK": None,
        "PUPIL_PRIVACY_CONTENT_BLOCK": "content",
        # Extra classes on our buttons, cards and tables, so they take the host's own look.
        "PUPIL_PRIVACY_CLASSES": {},
        "PUPIL_PRIVACY_MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "PUPIL_PRIVACY_CONTENT_SECURITY_POLICY": DEFAULT_CSP,
        # The purposes resting on consent (rule 21); None: photographs in publicity,
        # biometrics and trip medical sharing (worker/consent_purposes.py).
        "PUPIL_PRIVACY_CONSENT_PURPOSES": None,
    }


def apply_defaults(app: Flask) -> None:
    """Fill in every key the host did not set (``setdefault``: the host's value wins)."""
    for key, value in defaults(app).items():
        app.config.setdefault(key, value)


def _require(config: Mapping[str, Any], key: str) -> Any:
    value = config.get(key)
    if value in (None, ""):
        raise ConfigError(f"pupil-privacy: set {key} in the app config (see docs/plugin.md)")
    return value


def build_settings(config: Mapping[str, Any]) -> Settings:
    """Turn ``PUPIL_PRIVACY_*`` config into :class:`Settings`, naming any key that is wrong.

    :raises ConfigError: a required key is missing or a value cannot be used.
    """
    for key in REQUIRED_KEYS:
        _require(config, key)
    if not config.get("SECRET_KEY"):
        raise ConfigError(
            "pupil-privacy: set SECRET_KEY in the app config: forms are CSRF-protected and "
            "download links are signed with it"
        )
    pack_key = _fernet_key(config["PUPIL_PRIVACY_PACK_KEY"])
    _int(config, "PUPIL_PRIVACY_MAX_CONTENT_LENGTH")  # read per request by plugin/security.py
    return Settings(
        school_name=str(config["PUPIL_PRIVACY_SCHOOL_NAME"]),
        school_address=str(config["PUPIL_PRIVACY_SCHOOL_ADDRESS"] or ""),
        pack_key=pack_key,
        storage_dir=Path(config["PUPIL_PRIVACY_STORAGE_DIR"]),
        queue_name=str(config["PUPIL_PRIVACY_QUEUE"]),
        dpo_name=str(config["PUPIL_PRIVACY_DPO_NAME"]),
        dpo_contact=str(config["PUPIL_PRIVACY_DPO_CONTACT"] or ""),
        spacy_model=config["PUPIL_PRIVACY_SPACY_MODEL"],
        pack_retention_days=_int(config, "PUPIL_PRIVACY_PACK_RETENTION_DAYS"),
        download_link_seconds=_int(config, "PUPIL_PRIVACY_DOWNLOAD_LINK_SECONDS"),
        job_timeout_seconds=_int(config, "PUPIL_PRIVACY_JOB_TIMEOUT"),
        clip_job_timeout_seconds=_int(config, "PUPIL_PRIVACY_CLIP_JOB_TIMEOUT"),
        max_document_bytes=_int(config, "PUPIL_PRIVACY_MAX_DOCUMENT_BYTES"),
        job_retries=_int(config, "PUPIL_PRIVACY_JOB_RETRIES"),
        ner_share_seconds=_int(config, "PUPIL_PRIVACY_NER_SHARE_SECONDS", zero=True),
        bank_holiday_region=str(config["PUPIL_PRIVACY_BANK_HOLIDAY_REGION"]),
        retention_schedule=dict(config["PUPIL_PRIVACY_RETENTION_SCHEDULE"]),
        educational_record_right=bool(config["PUPIL_PRIVACY_EDUCATIONAL_RECORD_RIGHT"]),
        term_dates=_term_dates(config["PUPIL_PRIVACY_TERM_DATES"]),
        trust_mis_login=bool(config["PUPIL_PRIVACY_TRUST_MIS_LOGIN"]),
        dpo_title=str(config["PUPIL_PRIVACY_DPO_TITLE"]),
        mis_name=str(config["PUPIL_PRIVACY_MIS_NAME"]),
        regulator=str(config["PUPIL_PRIVACY_REGULATOR"]),
        withheld_listing=str(config["PUPIL_PRIVACY_WITHHELD_LISTING"] or "").strip(),
        schools=_schools(config["PUPIL_PRIVACY_SCHOOLS"]),
        consent_purposes=_consent_purposes(config["PUPIL_PRIVACY_CONSENT_PURPOSES"]),
    )


#: What a school may set for itself in ``PUPIL_PRIVACY_SCHOOLS``.
PER_SCHOOL = frozenset(
    {
        "school_name",
        "dpo_name",
        "dpo_contact",
        "dpo_title",
        "educational_record_right",
        "term_dates",
        "trust_mis_login",
        "retention_schedule",
        "bank_holiday_region",
        "mis_name",
        "regulator",
        "withheld_listing",
        "consent_purposes",
    }
)


def _schools(value: Any) -> dict[str, dict[str, Any]]:
    """Check ``PUPIL_PRIVACY_SCHOOLS``: each school's overrides, by Settings field name."""
    if not isinstance(value, Mapping):
        raise ConfigError(
            "pupil-privacy: PUPIL_PRIVACY_SCHOOLS must map a school id to its settings, e.g. "
            "{'north': {'school_name': 'North Primary', 'dpo_name': 'A. Person'}}"
        )
    out: dict[str, dict[str, Any]] = {}
    for school_id, overrides in value.items():
        unknown = set(overrides) - PER_SCHOOL
        if unknown:
            raise ConfigError(
                f"pupil-privacy: PUPIL_PRIVACY_SCHOOLS[{school_id!r}] sets {sorted(unknown)}; a "
                f"school may set {sorted(PER_SCHOOL)}"
            )
        school = dict(overrides)
        if "term_dates" in school:
            school["term_dates"] = _term_dates(school["term_dates"])
        if "consent_purposes" in school:
            school["consent_purposes"] = _consent_purposes(school["consent_purposes"])
        out[str(school_id)] = school
    return out


def _consent_purposes(value: Any) -> tuple[ConsentPurpose, ...]:
    try:
        return purposes_from_config(value)
    except (TypeError, ValueError):
        raise ConfigError(
            "pupil-privacy: PUPIL_PRIVACY_CONSENT_PURPOSES must list purposes, each with a "
            "unique key and a label, e.g. [{'key': 'swimming', 'label': 'Swimming lessons', "
            "'description': '...', 'pupil_decides_from': 12}]"
        ) from None


def _int(config: Mapping[str, Any], key: str, *, zero: bool = False) -> int:
    """A positive whole number (or 0 too, where ``zero`` says 0 turns the thing off)."""
    try:
        value = int(config[key])
    except (TypeError, ValueError):
        raise ConfigError(f"pupil-privacy: {key} must be a whole number") from None
    if value < 0 or (value == 0 and not zero):
        least = "0 or more" if zero else "greater than 0"
        raise ConfigError(f"pupil-privacy: {key} must be {least}")
    return value


def _fernet_key(value: str | bytes) -> bytes:
    from cryptography.fernet import Fernet

    key = value.encode() if isinstance(value, str) else bytes(value)
    try:
        Fernet(key)
    except (ValueError, TypeError):
        raise ConfigError(
            "pupil-privacy: PUPIL_PRIVACY_PACK_KEY must be a Fernet key (make one with "
            "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key())'`)"
        ) from None
    return key


def _term_dates(value: Any) -> TermDates | None:
    """Accept a :class:`TermDates`, or a list of (first day, last day) pairs as dates or ISO
    strings (rule 4 counts school days from them)."""
    if value is None or isinstance(value, TermDates):
        return value
    try:
        terms = [(_as_date(first), _as_date(last)) for first, last in value]
    except (TypeError, ValueError):
        raise ConfigError(
            "pupil-privacy: PUPIL_PRIVACY_TERM_DATES must be a list of (first day, last day) "
            "pairs, e.g. [('2026-09-03', '2026-10-23'), ...]"
        ) from None
    return TermDates(terms=terms)


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
