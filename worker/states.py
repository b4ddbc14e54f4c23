"""Request kinds, statuses and the one place where status transitions are checked.

A status change is always recorded as a :class:`~pupil_privacy.worker.models.RequestEvent`
with who made it and when (rule 20: the register of requests).
"""

from __future__ import annotations

from enum import StrEnum

from pupil_privacy.redaction.errors import PupilPrivacyError


class RightType(StrEnum):
    """Every right the default privacy notice promises, plus the statutory extras."""

    ACCESS = "access"  # subject access request, UK GDPR Art 15 (rule 1, 16)
    EDUCATIONAL_RECORD = "educational_record"  # parents' right, maintained schools (rule 4)
    EXAM_MARKS = "exam_marks"  # marks before results day (rule 5)
    PORTABILITY = "portability"  # Art 20 (rule 17)
    RECTIFICATION = "rectification"
    ERASURE = "erasure"
    RESTRICTION = "restriction"
    OBJECTION = "objection"  # Art 21: grounds relating to their particular situation
    DIRECT_MARKETING = "direct_marketing"
    AUTOMATED_DECISIONS = "automated_decisions"
    WITHDRAW_CONSENT = "withdraw_consent"
    YOUTH_SUPPORT_LIMIT = "youth_support_limit"  # rule 9
    COMPLAINT = "complaint"  # DPA 2018 s.164A (rule 6)

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def produces_pack(self) -> bool:
        """Whether answering it means collecting and redacting the pupil's records."""
        return self in (RightType.ACCESS, RightType.EDUCATIONAL_RECORD, RightType.PORTABILITY)


_LABELS = {
    RightType.ACCESS: "See a copy of the data held (subject access request)",
    RightType.EDUCATIONAL_RECORD: "See the educational record (parents)",
    RightType.EXAM_MARKS: "Exam marks before results are published",
    RightType.PORTABILITY: "Have data sent to another organisation (portability)",
    RightType.RECTIFICATION: "Correct inaccurate data",
    RightType.ERASURE: "Have data deleted",
    RightType.RESTRICTION: "Restrict how data is used",
    RightType.OBJECTION: "Object to how data is used",
    RightType.DIRECT_MARKETING: "Stop direct marketing",
    RightType.AUTOMATED_DECISIONS: "Object to decisions made by automated means",
    RightType.WITHDRAW_CONSENT: "Withdraw consent",
    RightType.YOUTH_SUPPORT_LIMIT: "Limit what is passed to youth support services",
    RightType.COMPLAINT: "Complain about how data is handled",
}


class Status(StrEnum):
    RECEIVED = "received"  # stored; identity, consent and scope checks pending
    AWAITING_ID = "awaiting_id"  # identity evidence asked for: clock not started (rule 2)
    AWAITING_CONSENT = (
        "awaiting_consent"  # pupil 12+ must agree, or DPO records lack of capacity (rule 7)
    )
    CLARIFICATION = "clarification"  # clock paused (rule 2)
    IN_PROGRESS = "in_progress"  # clock running, records being collected and redacted
    SAFEGUARDING_REVIEW = "safeguarding_review"  # DSL reviews safeguarding records (rule 14)
    READY_FOR_REVIEW = "ready_for_review"  # pack built; the DPO reviews it
    APPROVED = "approved"  # DPO approved; released to the requester
    COMPLETED = "completed"  # non-pack rights: answered
    REFUSED = "refused"  # with reasons and the routes to the ICO and courts (rule 15)
    WITHDRAWN = "withdrawn"
    FAILED = "failed"  # processing failed; shown to the DPO, who can retry

    @property
    def clock_running(self) -> bool:
        return self in _CLOCK_RUNNING

    @property
    def is_open(self) -> bool:
        return self not in _FINAL


_CLOCK_RUNNING = frozenset(
    {Status.IN_PROGRESS, Status.SAFEGUARDING_REVIEW, Status.READY_FOR_REVIEW, Status.FAILED}
)
_FINAL = frozenset({Status.APPROVED, Status.COMPLETED, Status.REFUSED, Status.WITHDRAWN})

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.RECEIVED: frozenset(
        {
            Status.AWAITING_ID,
            Status.AWAITING_CONSENT,
            Status.CLARIFICATION,
            Status.IN_PROGRESS,
            Status.COMPLETED,
            Status.REFUSED,
            Status.WITHDRAWN,
        }
    ),
    Status.AWAITING_ID: frozenset(
        {Status.AWAITING_CONSENT, Status.IN_PROGRESS, Status.REFUSED, Status.WITHDRAWN}
    ),
    Status.AWAITING_CONSENT: frozenset(
        {Status.AWAITING_ID, Status.IN_PROGRESS, Status.REFUSED, Status.WITHDRAWN}
    ),
    Status.CLARIFICATION: frozenset({Status.IN_PROGRESS, Status.REFUSED, Status.WITHDRAWN}),
    Status.IN_PROGRESS: frozenset(
        {
            Status.CLARIFICATION,
            Status.SAFEGUARDING_REVIEW,
            Status.READY_FOR_REVIEW,
            Status.COMPLETED,
            Status.FAILED,
            Status.REFUSED,
            Status.WITHDRAWN,
        }
    ),
    Status.SAFEGUARDING_REVIEW: frozenset(
        {Status.READY_FOR_REVIEW, Status.IN_PROGRESS, Status.WITHDRAWN}
    ),
    Status.READY_FOR_REVIEW: frozenset(
        {Status.APPROVED, Status.IN_PROGRESS, Status.REFUSED, Status.WITHDRAWN}
    ),
    Status.FAILED: frozenset({Status.IN_PROGRESS, Status.REFUSED, Status.WITHDRAWN}),
    Status.APPROVED: frozenset(),
    Status.COMPLETED: frozenset(),
    Status.REFUSED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}


class InvalidTransition(PupilPrivacyError):
    def __init__(self, current: Status, new: Status) -> None:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[current])) or "none (it is closed)"
        super().__init__(
            f"a request that is {current.value!r} cannot become {new.value!r}; allowed: {allowed}"
        )
        self.current = current
        self.new = new


def check_transition(current: Status, new: Status) -> None:
    """Raise :class:`InvalidTransition` unless ``current -> new`` is allowed."""
    if new not in TRANSITIONS[current]:
        raise InvalidTransition(current, new)


class DocumentStatus(StrEnum):
    """Where one collected record is on its way into the pack (``RequestDocument.status``)."""

    PENDING = "pending"  # waiting for (another) redaction job
    PROCESSING = "processing"  # a job is redacting it
    DONE = "done"  # redacted and stored
    FAILED = "failed"  # could not be processed: listed with the reason, never silently dropped
    WITHHELD = "withheld"  # left out under an exemption (rule 13, 14)


#: A document ends in one of these; the pack is assembled when every document has.
TERMINAL = (DocumentStatus.DONE, DocumentStatus.FAILED, DocumentStatus.WITHHELD)


class BuildStage(StrEnum):
    """The pack build stage shown to the DPO beside the progress bar (``RightsRequest.stage``)."""

    QUEUED = "queued"
    COLLECTING = "collecting"
    REDACTING = "redacting"
    ASSEMBLING = "assembling"  # also the claim: one assembly at a time per request
    READY = "ready"
    DSL_REVIEW = "safeguarding_review"
    FAILED = "failed"


class DslDecision(StrEnum):
    """The designated safeguarding lead's decision on one safeguarding record (rule 14)."""

    RELEASE = "release"
    WITHHOLD = "withhold"


class PackKind(StrEnum):
    """The files stored for one request (``Pack.kind``)."""

    REQUESTER = "requester"  # the redacted copy released to the requester
    DPO = "dpo"  # the DPO's copy with the redaction schedule: never released
    EXPORT_JSON = "export_json"  # portability export (rule 17)
    EXPORT_CSV = "export_csv"


class ConsentDecision(StrEnum):
    """The pupil's answer when a pupil aged 12+ is asked to agree (rule 7)."""

    AGREED = "agreed"
    REFUSED = "refused"
    LACKS_CAPACITY = "lacks_capacity"  # recorded by the DPO, with the reasons


class ActorRole(StrEnum):
    """Who made a change recorded in the register (``RequestEvent.actor_role``): the
    :class:`~.mis.UserRole` values a person acts in, or ``system`` for automatic steps."""

    DPO = "dpo"
    DSL = "dsl"
    PARENT = "parent"
    PUPIL = "pupil"
    SYSTEM = "system"  # an automatic step (checks passed on intake)


class ReviewKind(StrEnum):
    """What a DPO's or DSL's decision on the review workbench does (``ReviewDecision.kind``)."""

    KEEP = "keep"  # a suggestion is not removed (the pupil's own data, a professional...)
    REDACT = "redact"  # a term removed (a suggestion confirmed, or text the machine missed)
    BOX = "box"  # everything under a rectangle removed (signature, handwriting, a face)
    WITHHOLD_PAGE = "withhold_page"  # a page replaced by one saying it was withheld (13, 14)
    WITHHOLD_DOCUMENT = "withhold_document"  # a whole document withheld (rules 13, 14)
    WITHHOLD_PASSAGE = "withhold_passage"  # the DSL removes a passage under rule 14
