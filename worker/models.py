"""The database: source of truth for requests, their documents, packs and the audit trail.

Plain SQLAlchemy 2 declarative models (no Flask), so RQ workers and Alembic use them
directly; the Flask extension hands this ``Base`` to Flask-SQLAlchemy. Every table is
prefixed ``pp_`` so it never collides with the host MIS's tables.
"""

from __future__ import annotations

import datetime as dt

from cryptography.fernet import Fernet
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates
from sqlalchemy.types import TypeDecorator

from pupil_privacy.redaction.errors import PupilPrivacyError

from .runtime import get_runtime
from .states import RightType, Status

TABLE_PREFIX = "pp_"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


#: The most characters a person may type as a reason, a comment or how identity was checked.
#: The forms say so; the models refuse more, so no other caller can store a 10 MB comment that
#: every DPO page would then carry.
TEXT_LIMIT = 2000


class TextTooLong(PupilPrivacyError):
    """A typed reason or comment is over :data:`TEXT_LIMIT`: refused, never cut short."""


def capped_text(label: str, value: str | None) -> str | None:
    """``value`` unchanged, or :class:`TextTooLong` naming the field and the limit."""
    if value is not None and len(value) > TEXT_LIMIT:
        raise TextTooLong(
            f"The {label} is {len(value):,} characters long; please keep it to "
            f"{TEXT_LIMIT:,} (a summary, with any longer document kept in the school's files)."
        )
    return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class NoticeVersion(Base):
    """A published version of the privacy notice for one audience (parents, pupils, staff).
    Versions are never edited, only superseded; each audience counts its own versions."""

    __tablename__ = "pp_notice_version"
    __table_args__ = (UniqueConstraint("audience", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: A :class:`~.notice.audience.Audience` value: whom this notice is written for.
    audience: Mapped[str] = mapped_column(String(20), default="parents", server_default="parents")
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    published_by: Mapped[str | None] = mapped_column(String(100))
    change_summary: Mapped[str | None] = mapped_column(Text)


class NoticeAcknowledgement(Base):
    __tablename__ = "pp_notice_ack"
    __table_args__ = (UniqueConstraint("notice_version_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_version_id: Mapped[int] = mapped_column(ForeignKey("pp_notice_version.id"))
    user_id: Mapped[str] = mapped_column(String(100), index=True)
    acknowledged_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class RightsRequest(Base):
    """One request to exercise a right: the register entry of rule 20."""

    __tablename__ = "pp_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    right: Mapped[RightType] = mapped_column(String(40))
    status: Mapped[Status] = mapped_column(String(40), default=Status.RECEIVED, index=True)
    #: The school (tenant) on a host serving several; None on a single-school host. A DPO and
    #: a DSL see only their own school's requests.
    school_id: Mapped[str | None] = mapped_column(String(100), index=True)
    pupil_id: Mapped[str] = mapped_column(String(100), index=True)
    requester_user_id: Mapped[str] = mapped_column(String(100), index=True)
    #: The requester's role when they asked: with the id it names one person (hosts number
    #: users and pupils separately, so user "3" and pupil "3" are different people).
    requester_role: Mapped[str | None] = mapped_column(String(20))
    requester_name: Mapped[str] = mapped_column(String(200))
    requester_relationship: Mapped[str] = mapped_column(String(40))  # "self", "mother", ...
    #: Where to answer a requester who has no account (a letter, a phone call, in person).
    requester_contact: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(40), default="electronic")
    #: Who typed in a request received by post, phone, email or in person.
    logged_by: Mapped[str | None] = mapped_column(String(100))
    #: Why the MIS says this person may not act for the pupil (no parental responsibility,
    #: court order, no contact): the request is kept, with a refusal letter for the DPO.
    may_not_act_reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[str] = mapped_column(Text, default="")
    received_on: Mapped[dt.date] = mapped_column(Date)
    clock_started_on: Mapped[dt.date | None] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    identity_checked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    identity_checked_by: Mapped[str | None] = mapped_column(String(100))
    identity_method: Mapped[str | None] = mapped_column(Text)  # or why no ID was asked (rule 8)
    #: What was seen: "passport seen at reception", "copy of birth certificate", ...
    identity_evidence: Mapped[str | None] = mapped_column(Text)
    consent_required: Mapped[bool] = mapped_column(Boolean, default=False)
    answered_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(Text)  # refusal reasons, answer summary
    systems_searched: Mapped[list[str] | None] = mapped_column(JSON)
    # Per-right answers from the intake form: rectification's "what is wrong / what it should
    # say", exam marks' results date (rule 5), the youth support limit's choice (rule 9).
    extra_fields: Mapped[dict[str, str] | None] = mapped_column(JSON)
    # Progress of the pack build, shown to the DPO as a live bar.
    stage: Mapped[str | None] = mapped_column(String(40))
    docs_total: Mapped[int] = mapped_column(Integer, default=0)
    docs_done: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    events: Mapped[list[RequestEvent]] = relationship(
        back_populates="request", order_by="RequestEvent.id", cascade="all, delete-orphan"
    )
    pauses: Mapped[list[ClockPause]] = relationship(
        back_populates="request", order_by="ClockPause.id", cascade="all, delete-orphan"
    )
    documents: Mapped[list[RequestDocument]] = relationship(
        back_populates="request", order_by="RequestDocument.id", cascade="all, delete-orphan"
    )
    packs: Mapped[list[Pack]] = relationship(
        back_populates="request", order_by="Pack.id", cascade="all, delete-orphan"
    )

    @validates("extension_reason", "identity_method")
    def _cap(self, key: str, value: str | None) -> str | None:
        return capped_text(key.replace("_", " "), value)


class RequestEvent(Base):
    """Who did what to a request, and when: status changes, clock events, checks, downloads."""

    __tablename__ = "pp_request_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("pp_request.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    actor_user_id: Mapped[str | None] = mapped_column(String(100))
    actor_role: Mapped[str | None] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(40))
    to_status: Mapped[str | None] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(Text)

    request: Mapped[RightsRequest] = relationship(back_populates="events")


class ClockPause(Base):
    """A clarification pause ("stop the clock", rule 2). Every pause is recorded."""

    __tablename__ = "pp_clock_pause"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("pp_request.id"), index=True)
    paused_on: Mapped[dt.date] = mapped_column(Date)
    resumed_on: Mapped[dt.date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    paused_by: Mapped[str | None] = mapped_column(String(100))

    request: Mapped[RightsRequest] = relationship(back_populates="pauses")

    @validates("reason")
    def _cap(self, key: str, value: str) -> str | None:
        return capped_text("reason for pausing", value)


class PupilConsent(Base):
    """A pupil's (aged 12+) answer to a parent's request for their data, or the DPO's recorded
    decision that the pupil lacks capacity (rule 7)."""

    __tablename__ = "pp_pupil_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("pp_request.id"), index=True)
    pupil_id: Mapped[str] = mapped_column(String(100))
    decision: Mapped[str] = mapped_column(String(20))  # agreed | refused | lacks_capacity
    decided_by: Mapped[str] = mapped_column(String(100))  # the pupil's user id, or the DPO's
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    comment: Mapped[str | None] = mapped_column(Text)  # the pupil's views / the DPO's reasons

    @validates("comment")
    def _cap(self, key: str, value: str | None) -> str | None:
        return capped_text("comment", value)


class RequestDocument(Base):
    """One MIS record of the pupil, as it goes through collection and redaction."""

    __tablename__ = "pp_document"
    __table_args__ = (UniqueConstraint("request_id", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("pp_request.id"), index=True)
    record_id: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str | None] = mapped_column(String(300))
    created_on: Mapped[dt.date | None] = mapped_column(Date)
    # pending | processing | done | failed | withheld
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    error: Mapped[str | None] = mapped_column(Text)  # plain-English reason, shown in the pack
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    job_id: Mapped[str | None] = mapped_column(String(100))
    output_key: Mapped[str | None] = mapped_column(String(300))  # encrypted redacted PDF
    pages: Mapped[int | None] = mapped_column(Integer)
    warnings: Mapped[list[str] | None] = mapped_column(JSON)
    needs_dsl_review: Mapped[bool] = mapped_column(Boolean, default=False)
    dsl_decision: Mapped[str | None] = mapped_column(String(20))  # release | withhold
    dsl_reason: Mapped[str | None] = mapped_column(Text)
    dsl_user_id: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    request: Mapped[RightsRequest] = relationship(back_populates="documents")

    @validates("dsl_reason")
    def _cap(self, key: str, value: str | None) -> str | None:
        return capped_text("safeguarding lead's reason", value)

    redactions: Mapped[list[Redaction]] = relationship(
        back_populates="document", order_by="Redaction.id", cascade="all, delete-orphan"
    )


class EncryptedText(TypeDecorator[str]):
    """Text stored as a Fernet token under the pack key (``PUPIL_PRIVACY_PACK_KEY``).

    The redaction schedule keeps the very text removed to protect third parties: in plain
    text, anyone who reads a database backup would read what the pack withheld. Encrypted
    with the pack key, it is as safe as the packs at rest. Values read back are decrypted, so
    every reader (the DPO's page, the DPO copy) sees plain text. Rows written before this
    (no prefix) and purged rows (empty) are returned as they are.
    """

    impl = Text
    cache_ok = True
    PREFIX = "fernet:"

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if not value:
            return value
        return self.PREFIX + _fernet().encrypt(value.encode("utf-8")).decode("ascii")

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if not value or not value.startswith(self.PREFIX):
            return value
        token = value[len(self.PREFIX) :].encode("ascii")
        return _fernet().decrypt(token).decode("utf-8")


def _fernet() -> Fernet:
    """The current app's pack key as a Fernet (needs the app context jobs and views run in)."""
    key = get_runtime().settings.pack_key
    fernet = _FERNETS.get(key)
    if fernet is None:
        fernet = _FERNETS[key] = Fernet(key)
    return fernet


_FERNETS: dict[bytes, Fernet] = {}


class Redaction(Base):
    """One row of the redaction schedule (rule 19)."""

    __tablename__ = "pp_redaction"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("pp_document.id"), index=True)
    page: Mapped[int | None] = mapped_column(Integer)
    offset: Mapped[int | None] = mapped_column(Integer)
    # The withheld text: DPO copy only; encrypted at rest, emptied when the pack is purged.
    text: Mapped[str] = mapped_column(EncryptedText)
    entity_type: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(String(80))
    detector: Mapped[str] = mapped_column(String(80))
    score: Mapped[float] = mapped_column(Float)
    action: Mapped[str] = mapped_column(String(20), default="redact")  # redact | review
    confirmed_by: Mapped[str | None] = mapped_column(String(100))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    document: Mapped[RequestDocument] = relationship(back_populates="redactions")


class Pack(Base):
    """A built answer: the requester's PDF, the DPO's PDF, the JSON and CSV exports."""

    __tablename__ = "pp_pack"
    __table_args__ = (UniqueConstraint("request_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("pp_request.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # requester | dpo | export_json | export_csv
    storage_key: Mapped[str | None] = mapped_column(String(300))  # None once purged
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    purge_after: Mapped[dt.date | None] = mapped_column(Date)
    purged_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    request: Mapped[RightsRequest] = relationship(back_populates="packs")
    downloads: Mapped[list[Download]] = relationship(back_populates="pack")


class Download(Base):
    """Every download of a pack is audited."""

    __tablename__ = "pp_download"

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[int] = mapped_column(ForeignKey("pp_pack.id"), index=True)
    user_id: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    remote_addr: Mapped[str | None] = mapped_column(String(64))

    pack: Mapped[Pack] = relationship(back_populates="downloads")


class ReviewDecision(Base):
    """One decision of the DPO (or the DSL) on a request's redactions, from the review
    workbench (issue 8). Never edited: an undo sets ``undone_at``, so the schedule keeps the
    whole history (rule 19).

    ``document_id`` is ``None`` for a decision on every document of the request (a term kept
    or redacted everywhere). ``kind`` is a :class:`~.states.ReviewKind`; ``text`` is the term
    or passage (keep, redact, withhold_passage), ``page`` and ``rect`` (PDF points from the
    top-left of the page) place a box or a withheld page.
    """

    __tablename__ = "pp_review_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("pp_request.id"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("pp_document.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    text: Mapped[str | None] = mapped_column(Text)  # a third party's words: DPO copy only
    page: Mapped[int | None] = mapped_column(Integer)
    rect: Mapped[list[float] | None] = mapped_column(JSON)
    reason_code: Mapped[str] = mapped_column(String(60))
    reason_text: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(100))
    decided_by_name: Mapped[str] = mapped_column(String(200))
    decided_role: Mapped[str] = mapped_column(String(20))  # dpo | dsl
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    undone_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    undone_by: Mapped[str | None] = mapped_column(String(100))


class SchoolTerm(Base):
    """The school's lists, used on every later request: terms that are never third-party data
    here (``keep``) and terms always removed (``redact``), each with who added it and why."""

    __tablename__ = "pp_school_term"
    __table_args__ = (UniqueConstraint("list", "term"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    list: Mapped[str] = mapped_column(String(10))  # keep | redact
    term: Mapped[str] = mapped_column(String(300))
    reason: Mapped[str] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(String(100))
    added_by_name: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ConsentDecision(Base):
    """One decision on a purpose that rests on consent (rule 21): given or withdrawn, by a
    parent or the pupil. Never edited: the newest decision of each person counts, and the
    rows are the history (who, when, what; UK GDPR Art 7(1))."""

    __tablename__ = "pp_consent_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[str | None] = mapped_column(String(100), index=True)
    pupil_id: Mapped[str] = mapped_column(String(100), index=True)
    purpose: Mapped[str] = mapped_column(String(60))  # a ConsentPurpose key
    choice: Mapped[str] = mapped_column(String(20))  # a ConsentChoice value
    decided_by: Mapped[str] = mapped_column(String(100))  # the MIS user id
    decided_role: Mapped[str] = mapped_column(String(20))  # parent | pupil
    decided_by_name: Mapped[str] = mapped_column(String(200))
    relationship: Mapped[str] = mapped_column(String(40))  # "mother", "self", ...
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class YouthSupportChoice(Base):
    """Whether what goes to youth support services is limited to the basic details (rule 9):
    the parent's choice for a pupil of 13 to 15, the pupil's own from 16. The newest row
    counts; the rows are the history."""

    __tablename__ = "pp_youth_support_choice"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[str | None] = mapped_column(String(100), index=True)
    pupil_id: Mapped[str] = mapped_column(String(100), index=True)
    limited: Mapped[bool] = mapped_column(Boolean)
    decided_by: Mapped[str] = mapped_column(String(100))
    decided_role: Mapped[str] = mapped_column(String(20))  # parent | pupil
    decided_by_name: Mapped[str] = mapped_column(String(200))
    relationship: Mapped[str] = mapped_column(String(40))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


__all__ = [
    "Base",
    "ClockPause",
    "ConsentDecision",
    "Download",
    "NoticeAcknowledgement",
    "NoticeVersion",
    "Pack",
    "PupilConsent",
    "Redaction",
    "RequestDocument",
    "RequestEvent",
    "ReviewDecision",
    "RightsRequest",
    "SchoolTerm",
    "TABLE_PREFIX",
    "YouthSupportChoice",
    "utcnow",
]
