"""What a job needs at run time: settings, the MIS adapter, a database session and Redis.

The Flask extension builds one :class:`Runtime` per app in ``init_app`` and stores it in
``app.extensions["pupil_privacy"]``. The worker command (``flask pupil-privacy worker``)
creates the host app once and pushes its app context, so jobs find the runtime with
:func:`get_runtime` without importing the plugin (dependencies point plugin -> worker).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pupil_privacy.redaction.errors import PupilPrivacyError

from .clock import TermDates
from .consent_purposes import DEFAULT_CONSENT_PURPOSES, ConsentPurpose
from .mis import MISAdapter, RecordCategory

if TYPE_CHECKING:
    from redis import Redis
    from rq import Queue
    from sqlalchemy.orm import Session

    from .redactor import Redactor

EXTENSION_KEY = "pupil_privacy"

# How long each category is kept (rule 16: retention or the criteria for it). Based on the
# IRMS toolkit for schools the default notice cites; every school sets its own.
DEFAULT_RETENTION: dict[str, str] = {
    RecordCategory.CONTACT: "While the pupil attends, then passed to the next school",
    RecordCategory.ASSESSMENT: "Current year + 6 years",
    RecordCategory.ATTENDANCE: "Current year + 6 years (attendance register: 6 years)",
    RecordCategory.BEHAVIOUR: "Until the pupil is 25 (exclusions: date of birth + 25 years)",
    RecordCategory.SAFEGUARDING: "Date of birth + 25 years; longer where an allegation requires",
    RecordCategory.MEDICAL: "Date of birth + 25 years",
    RecordCategory.SEN: "Date of birth + 31 years",
    RecordCategory.SUPPORT: "Date of birth + 25 years",
    RecordCategory.PHOTOGRAPHS: "While the consent given for them stands, or the pupil attends",
    RecordCategory.DOCUMENTS: "Current year + 6 years, unless part of the pupil record",
    RecordCategory.FEES: "Current year + 6 years (financial records)",
    RecordCategory.OTHER: "As the school's retention schedule sets for the record",
}


#: The regulator's details, in cover and refusal letters (rules 15 and 16).
DEFAULT_REGULATOR = (
    "Information Commissioner's Office, Wycliffe House, Water Lane, Wilmslow, Cheshire "
    "SK9 5AF; telephone 0303 123 1113; online at https://ico.org.uk/make-a-complaint/"
)


class ConfigError(PupilPrivacyError):
    """A setting is missing or wrong; the message names the key."""


@dataclass(frozen=True)
class Settings:
    """Everything a job reads from the host app's ``PUPIL_PRIVACY_*`` config."""

    school_name: str
    pack_key: bytes  # a Fernet key: packs and redacted documents are encrypted at rest
    storage_dir: Path
    queue_name: str = "pupil-privacy"
    dpo_name: str = "The Data Protection Officer"
    #: Never third-party data in the school's own records (the review's school list, issue 8).
    school_address: str = ""
    dpo_contact: str = ""
    #: The DPO's title under their name in letters ("Data Protection Officer", "Data
    #: Protection Lead", or the firm that provides the service).
    dpo_title: str = "Data Protection Officer"
    #: The regulator's name and address in letters (rules 15 and 16).
    regulator: str = DEFAULT_REGULATOR
    #: Rule 14: how the requester's contents show a record withheld without naming it (the
    #: DSL's withheld safeguarding records, a document the DPO withheld under rule 14). Empty:
    #: not listed at all, and every letter says the law allows that (the DPO's choice where
    #: saying anything could tip off). Otherwise the DPO's own words, listed once per record
    #: under "Records not included", with no title, date or category.
    withheld_listing: str = ""
    spacy_model: str | None = None
    pack_retention_days: int = 90
    download_link_seconds: int = 600
    job_timeout_seconds: int = 1800
    #: A CCTV clip costs ~10 CPU minutes per minute of 720p video, all in one job: a
    #: clip's document job gets this timeout instead (4 hours: a ~20-minute clip).
    clip_job_timeout_seconds: int = 4 * 3600
    max_document_bytes: int = 50 * 1024 * 1024
    #: How long the NER's findings per sentence are kept in Redis for the request's other
    #: documents and re-renders (:mod:`.nerstore`); 0: each document reads all its sentences.
    ner_share_seconds: int = 3 * 24 * 3600
    job_retries: int = 3
    bank_holiday_region: str = "ENG"
    retention_schedule: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_RETENTION))
    #: Rule 4: parents' educational record right applies to maintained schools only, so it is
    #: off unless the school says it is maintained.
    educational_record_right: bool = False
    #: The school's term dates: the educational record's 15 school days count on them (rule 4).
    term_dates: TermDates | None = None
    #: A family member signed in through the MIS counts as identified (rule 2).
    trust_mis_login: bool = True
    #: The name of the MIS in the register's "systems searched" (rule 20).
    mis_name: str = "School MIS"
    #: The purposes that rest on consent, listed per pupil with their state (rule 21).
    consent_purposes: tuple[ConsentPurpose, ...] = DEFAULT_CONSENT_PURPOSES
    #: A running job's lease without a heartbeat: a SIGKILLed worker is noticed this late.
    lease_seconds: float = 30.0
    #: Seconds between RQ's retries of a job that raised (the first ``job_retries`` are used).
    retry_intervals: tuple[int, ...] = (15, 60, 240)
    #: Dispatches of one document before it is marked failed; None means ``job_retries + 2``.
    max_attempts: int | None = None
    #: The redaction seam (:class:`~.redactor.Redactor`); None means the real Presidio one.
    #: Tests swap in a controlled leak or a slow document here.
    redactor: Redactor | None = None
    #: Per-school overrides of any field above (``{school_id: {"school_name": ...}}``) on a
    #: host serving several schools; see :meth:`for_school`.
    schools: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def for_school(self, school_id: str | None) -> Settings:
        """These settings with the school's own values (name, DPO, term dates...) applied."""
        overrides = self.schools.get(school_id or "", {})
        return replace(self, **overrides) if overrides else self


@dataclass
class Runtime:
    """Per-app state: built by the Flask extension, read by jobs."""

    settings: Settings
    mis: MISAdapter
    session_factory: Callable[[], Session]  # the current session (Flask-SQLAlchemy's db.session)
    redis_factory: Callable[[], Redis]
    _redis: Redis | None = None

    @property
    def session(self) -> Session:
        return self.session_factory()

    @property
    def redis(self) -> Redis:
        if self._redis is None:
            self._redis = self.redis_factory()
        return self._redis

    def queue(self, name: str | None = None) -> Queue:
        from rq import Queue
        from rq.serializers import JSONSerializer

        return Queue(
            name or self.settings.queue_name,
            connection=self.redis,
            serializer=JSONSerializer,
            default_timeout=self.settings.job_timeout_seconds,
        )


def get_runtime() -> Runtime:
    """The runtime of the current Flask app context.

    :raises ConfigError: outside an app context, or when the extension is not mounted.
    """
    from flask import current_app, has_app_context

    if not has_app_context():
        raise ConfigError(
            "no app context: run jobs with `flask pupil-privacy worker` (it creates the app "
            "and pushes its context) or inside `with app.app_context():`"
        )
    runtime = current_app.extensions.get(EXTENSION_KEY)
    if not isinstance(runtime, Runtime):
        raise ConfigError("pupil-privacy is not mounted on this app: call PupilPrivacy.init_app")
    return runtime
