"""Intake: who may ask for what (rules 4, 7, 9), the new request, identity (rules 2, 8) and
the pupil's consent (rule 7), until the clock starts."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..mis import MISUser, PupilDetails, PupilLink, UserRole
from ..models import (
    PupilConsent,
    RightsRequest,
    utcnow,
)
from ..runtime import Settings
from ..states import (
    ActorRole,
    ConsentDecision,
    RightType,
    Status,
)
from .deadlines import start_clock
from .decisions import refuse
from .events import RequestNotAllowed, record_event, transition
from .wording import DISCLOSES_PUPIL_DATA, PUPIL_REFUSED_COPY, channel_words

log = logging.getLogger(__name__)


#: Age from which a pupil's own agreement is needed for a parent's request (rule 7).
CONSENT_AGE = 12


#: Age from which the youth support limit applies, and from which the pupil decides (rule 9).
YOUTH_SUPPORT_AGE = 13


YOUTH_SUPPORT_SELF_AGE = 16


#: Rights that are the parent's own, not exercised on the child's behalf: no pupil consent.
PARENTS_OWN_RIGHTS = frozenset(
    {RightType.EDUCATIONAL_RECORD, RightType.YOUTH_SUPPORT_LIMIT, RightType.COMPLAINT}
)


REFERENCE_PREFIX = {
    RightType.ACCESS: "SAR",
    RightType.EDUCATIONAL_RECORD: "EDR",
    RightType.EXAM_MARKS: "EXM",
    RightType.PORTABILITY: "POR",
    RightType.RECTIFICATION: "REC",
    RightType.ERASURE: "ERA",
    RightType.RESTRICTION: "RES",
    RightType.OBJECTION: "OBJ",
    RightType.DIRECT_MARKETING: "DMK",
    RightType.AUTOMATED_DECISIONS: "ADM",
    RightType.WITHDRAW_CONSENT: "WCN",
    RightType.YOUTH_SUPPORT_LIMIT: "YSL",
    RightType.COMPLAINT: "CMP",
}


LOGIN_IDENTITY = (
    "Known {relationship} signed in to the school's MIS with their own account: identity and "
    "relationship checked by the MIS login, so no further ID was asked for (rule 8)."
)


def may_not_act(link: PupilLink) -> str | None:
    """Why the MIS says this person may not act for the pupil, or None.

    A request from such a person is still a request: it is recorded with this reason and a
    refusal letter for the DPO to send (:func:`refusal_letter`), never lost. An unknown
    parental responsibility (None) is not a reason: the DPO checks it (see :func:`admit`).
    """
    if link.relationship == "self":
        return None
    if link.court_order:
        return "a court order restricts their access to the pupil's information"
    if link.no_contact:
        return "the school holds a no-contact instruction for them"
    if link.parental_responsibility is False:
        return "the school's records say they do not have parental responsibility"
    return None


def check_may_request(
    right: RightType,
    pupil: PupilDetails,
    requester: MISUser,
    link: PupilLink,
    received_on: dt.date,
    settings: Settings,
) -> None:
    """Refuse, with a message the requester can act on, requests they may not make.

    Who may act for the pupil is not checked here: see :func:`may_not_act`. An unknown date of
    birth never refuses: the DPO records the pupil's age before the request goes on.

    :raises RequestNotAllowed: rights that do not apply to this pupil's age (rule 9) or this
        school (rule 4); the message is the requester's, so it cites no rule.
    """
    is_self = link.relationship == "self"
    age = pupil.age_on(received_on)
    if right is RightType.EDUCATIONAL_RECORD:
        if is_self or requester.role is UserRole.PUPIL:
            raise RequestNotAllowed(
                "The right to see the educational record belongs to parents; as a pupil, "
                "make a subject access request instead."
            )
        if not settings.educational_record_right:
            raise RequestNotAllowed(
                "This school is an academy: the parents' right to the educational record "
                "does not apply here. Make a subject access request instead."
            )
    if right is RightType.YOUTH_SUPPORT_LIMIT and age is not None:
        if age < YOUTH_SUPPORT_AGE:
            raise RequestNotAllowed(
                f"{pupil.name} is under {YOUTH_SUPPORT_AGE}: nothing is passed to youth "
                "support services yet, so there is nothing to limit."
            )
        if age >= YOUTH_SUPPORT_SELF_AGE and not is_self:
            raise RequestNotAllowed(
                f"{pupil.name} is {YOUTH_SUPPORT_SELF_AGE} or over, so only they can ask to "
                "limit what is passed to youth support services."
            )
        if age < YOUTH_SUPPORT_SELF_AGE and is_self:
            raise RequestNotAllowed(
                f"Until you are {YOUTH_SUPPORT_SELF_AGE}, your parent or carer makes this "
                "choice. Talk to them, or to the data protection officer."
            )


def needs_pupil_consent(
    right: RightType, pupil: PupilDetails, link: PupilLink, received_on: dt.date
) -> bool:
    """A parent's request about a pupil aged 12+ on the day it arrives needs the pupil's
    agreement or the DPO's recorded decision that they lack capacity (rule 7). The parent's
    own rights (educational record, youth support limit, complaints) do not.

    An unknown date of birth counts as "may be 12 or over": the request waits for the DPO to
    record the pupil's answer, or their age or capacity, rather than going ahead unasked.
    """
    if link.relationship == "self" or right in PARENTS_OWN_RIGHTS:
        return False
    age = pupil.age_on(received_on)
    return age is None or age >= CONSENT_AGE


#: The ``extra_fields`` key that marks a request whose requester's parental responsibility the
#: MIS did not state: the DPO checks it before the request goes on.
PR_KEY = "parental_responsibility"

#: ``extra_fields[ABOUT_KEY] == ABOUT_REQUESTER``: the requester asks about their own data,
#: not a pupil's (pupil id ""). No pack is built: the DPO gathers it and answers.
ABOUT_KEY = "about"
ABOUT_REQUESTER = "requester"

#: What the DPO records for a request that did not come through a signed-in account.
CHANNELS = ("post", "phone", "email", "in person", "electronic")


def create_request(
    session: Session,
    *,
    right: RightType,
    pupil: PupilDetails,
    requester: MISUser,
    link: PupilLink,
    details: str,
    received_on: dt.date | None = None,
    settings: Settings,
    channel: str = "electronic",
    extra_fields: Mapping[str, str] | None = None,
    acting_role: UserRole | None = None,
    logged_by: str | None = None,
    requester_contact: str | None = None,
) -> RightsRequest:
    """Store a new request (status RECEIVED) with a unique reference such as ``SAR-2026-0007``.

    The reference comes from the row's primary key, so two requests stored at the same moment
    can never share one. Call :func:`admit` next, then commit, then enqueue. A request from
    someone the MIS says may not act for the pupil is stored all the same, with the reason
    (:func:`may_not_act`); :func:`admit` leaves it for the DPO.

    :param acting_role: the role the requester asks in (a member of staff asking as a parent);
        their main role by default. Stored with their id: the two together name one person.
    :param logged_by: the DPO who typed in a request received by post, phone, email or in
        person (``channel`` says which; ``received_on`` is the day it arrived, rule 2).
    :raises RequestNotAllowed: see :func:`check_may_request`.
    """
    received_on = received_on or dt.date.today()
    check_may_request(right, pupil, requester, link, received_on, settings)
    role = acting_role or requester.role
    extra = dict(extra_fields or {})
    if link.relationship != "self" and link.parental_responsibility is None:
        extra[PR_KEY] = "unknown"
    req = RightsRequest(
        reference=f"NEW-{uuid.uuid4().hex[:32]}",
        right=right,
        status=Status.RECEIVED,
        school_id=pupil.school_id or requester.school_id,
        pupil_id=pupil.id,
        requester_user_id=requester.id,
        requester_role=role.value,
        requester_name=requester.name,
        requester_relationship=link.relationship,
        requester_contact=requester_contact or requester.email,
        channel=channel,
        logged_by=logged_by,
        may_not_act_reason=may_not_act(link),
        details=details,
        received_on=received_on,
        consent_required=needs_pupil_consent(right, pupil, link, received_on),
        extra_fields=extra or None,
        docs_total=0,
        docs_done=0,
    )
    session.add(req)
    session.flush()
    req.reference = f"{REFERENCE_PREFIX[right]}-{received_on.year}-{req.id:04d}"
    record_event(
        session,
        req,
        "received",
        actor_id=logged_by or requester.id,
        actor_role=ActorRole.DPO if logged_by else role.value,
        detail=f"{right.label}, made by {requester.name} ({link.relationship}) "
        + channel_words(channel),
        to_status=Status.RECEIVED.value,
    )
    for note in _intake_notes(req, pupil, link):
        record_event(session, req, "intake_check", actor_role=ActorRole.SYSTEM, detail=note)
    return req


def _intake_notes(req: RightsRequest, pupil: PupilDetails, link: PupilLink) -> list[str]:
    """What the DPO must settle before the request goes on, in the register's own words."""
    notes = []
    if req.may_not_act_reason:
        notes.append(
            f"The school's system says {req.requester_name} may not act for {pupil.name}: "
            f"{req.may_not_act_reason}. The request is recorded and must be answered: send "
            "the refusal letter, or record identity once you have checked otherwise."
        )
    elif link.relationship != "self" and link.parental_responsibility is None:
        notes.append(
            f"The school's system does not say whether {req.requester_name} has parental "
            f"responsibility for {pupil.name}: check it, then record identity (rule 8)."
        )
    if pupil.date_of_birth is None and pupil.id:
        notes.append(
            f"The school's system has no date of birth for {pupil.name}: record their age, "
            "or their answer or capacity, before a parent's request goes on (rules 7 and 9)."
        )
    return notes


def refusal_letter(req: RightsRequest, settings: Settings, pupil_name: str) -> str:
    """The letter the DPO sends someone the MIS says may not act for the pupil.

    It gives the reason, and says what they can always do: complain, and ask for their own
    data (rule 15: reasons and the routes to the regulator and the courts).
    """
    contact = settings.dpo_name + (f" ({settings.dpo_contact})" if settings.dpo_contact else "")
    return (
        f"Dear {req.requester_name},\n\n"
        f"Your request {req.reference} about {pupil_name}, received on "
        f"{req.received_on:%d %B %Y}, has been recorded. We cannot answer it by giving you "
        f"{pupil_name}'s information, because {req.may_not_act_reason}.\n\n"
        "You can still ask for your own personal data that the school holds, and you can "
        f"complain to the school about this decision: write to {contact}.\n\n"
        f"You can also complain to the regulator ({settings.regulator}), or apply to a court "
        "for an order that the school comply (UK GDPR Art 12(4); DPA 2018 s.167).\n\n"
        f"Yours sincerely,\n{settings.dpo_name}\n{settings.dpo_title}, {settings.school_name}"
    )


def admit(
    session: Session,
    req: RightsRequest,
    *,
    settings: Settings,
    identity_by_login: bool = True,
) -> bool:
    """Take a freshly received request as far as it can go on its own.

    A known parent or pupil signed in through the MIS is identity-checked by that login; the
    reason is recorded and the clock starts on receipt (rules 2 and 8). A school that prefers
    its DPO to check identity first sets ``PUPIL_PRIVACY_TRUST_MIS_LOGIN = False``: the request
    then waits in RECEIVED. A parent's request about a pupil aged 12+ waits for the pupil
    (rule 7).

    :returns: True when the caller should enqueue processing (after committing).
    """
    if (req.extra_fields or {}).get(ABOUT_KEY) == ABOUT_REQUESTER:
        record_event(
            session,
            req,
            "intake_check",
            actor_role=ActorRole.SYSTEM,
            detail=f"{req.requester_name} asks about their own data, not a pupil's: check "
            "identity, gather what the school holds about them, and answer.",
        )
        return False
    if req.may_not_act_reason or _pr_unknown(session, req):
        # The DPO decides: refuse with the letter, or record identity after checking.
        return False
    if identity_by_login and settings.trust_mis_login:
        record_identity(
            session,
            req,
            on=req.received_on,
            method=LOGIN_IDENTITY.format(
                relationship="pupil"
                if req.requester_relationship == "self"
                else req.requester_relationship
            ),
            actor_id=None,
            actor_role=ActorRole.SYSTEM,
            settings=settings,
            advance=False,
        )
    return _advance_after_checks(session, req, actor_id=None, actor_role=ActorRole.SYSTEM)


def _pr_unknown(session: Session, req: RightsRequest) -> bool:
    """The MIS did not say whether this requester has parental responsibility."""
    return (req.extra_fields or {}).get(PR_KEY) == "unknown"


def _advance_after_checks(
    session: Session, req: RightsRequest, *, actor_id: str | None, actor_role: str
) -> bool:
    """Move on once identity (and consent, when needed) are settled; True means enqueue."""
    if req.identity_checked_at is None:
        return False
    if req.consent_required and consent_decision(session, req) is None:
        if req.status != Status.AWAITING_CONSENT:
            transition(
                session,
                req,
                Status.AWAITING_CONSENT,
                actor_id=actor_id,
                actor_role=actor_role,
                detail="The pupil is 12 or over: their agreement, or the DPO's recorded "
                "decision that they lack capacity, is needed first (rule 7).",
            )
        return False
    transition(session, req, Status.IN_PROGRESS, actor_id=actor_id, actor_role=actor_role)
    return RightType(req.right).produces_pack


def ask_for_id(
    session: Session, req: RightsRequest, *, reason: str, actor_id: str, settings: Settings
) -> None:
    """The DPO asks for identity evidence: the clock has not started until it arrives (rule 2)."""
    transition(
        session, req, Status.AWAITING_ID, actor_id=actor_id, actor_role=ActorRole.DPO, detail=reason
    )
    req.identity_checked_at = None
    req.identity_checked_by = None
    req.identity_method = None
    req.clock_started_on = None
    req.due_on = None
    record_event(
        session,
        req,
        "id_requested",
        actor_id=actor_id,
        actor_role=ActorRole.DPO,
        detail=f"Identity evidence asked for: {reason}. The clock starts when it arrives (rule 2).",
    )


def record_identity(
    session: Session,
    req: RightsRequest,
    *,
    on: dt.date,
    method: str,
    actor_id: str | None,
    actor_role: str = ActorRole.DPO,
    settings: Settings,
    advance: bool = True,
) -> bool:
    """Record how identity and parental responsibility were checked (rule 8) and start the
    clock that day (rule 2).

    :param advance: move the request on (to consent or processing) afterwards.
    :returns: True when the caller should enqueue processing.
    """
    if not method.strip():
        raise RequestNotAllowed("Say how identity was checked, or why no ID was asked for (rule 8)")
    if req.status not in (Status.RECEIVED, Status.AWAITING_ID):
        raise RequestNotAllowed(f"{req.reference} is {req.status}: identity is already settled")
    req.identity_checked_at = utcnow()
    req.identity_checked_by = actor_id or "mis-login"
    req.identity_method = method.strip()
    record_event(
        session,
        req,
        "identity",
        actor_id=actor_id,
        actor_role=actor_role,
        detail=req.identity_method,
    )
    start_clock(session, req, on, settings=settings, actor_id=actor_id, actor_role=actor_role)
    if not advance:
        return False
    return _advance_after_checks(session, req, actor_id=actor_id, actor_role=actor_role)


def consent_decision(session: Session, req: RightsRequest) -> PupilConsent | None:
    """The latest recorded decision on the pupil's consent, if any."""
    return session.scalars(
        select(PupilConsent)
        .where(PupilConsent.request_id == req.id)
        .order_by(PupilConsent.id.desc())
        .limit(1)
    ).first()


def record_consent(
    session: Session,
    req: RightsRequest,
    *,
    decision: str,
    decided_by: str,
    comment: str | None,
    actor_role: str,
    pupil_name: str = "The pupil",
) -> bool:
    """Record the pupil's answer ("agreed" or "refused") or the DPO's "lacks_capacity"
    decision (rule 7).

    A refusal of a request for a copy of the pupil's data (:data:`DISCLOSES_PUPIL_DATA`)
    refuses it: the data is the pupil's. For any other right (erasure, objection...) the
    pupil's "no" is their view, not a veto: the request goes on to the DPO, who weighs it.

    :param pupil_name: how the parent's outcome letter names the pupil.
    :returns: True when the caller should enqueue processing.
    """
    if req.status != Status.AWAITING_CONSENT:
        raise RequestNotAllowed(f"{req.reference} is not waiting for the pupil's agreement")
    if decision not in set(ConsentDecision):
        raise RequestNotAllowed(f"unknown consent decision {decision!r}")
    if decision == ConsentDecision.LACKS_CAPACITY and not (comment or "").strip():
        raise RequestNotAllowed("Record the reasons the pupil lacks capacity (rule 7)")
    session.add(
        PupilConsent(
            request_id=req.id,
            pupil_id=req.pupil_id,
            decision=decision,
            decided_by=decided_by,
            comment=(comment or "").strip() or None,
            decided_at=utcnow(),
        )
    )
    record_event(
        session,
        req,
        f"consent_{decision}",
        actor_id=decided_by,
        actor_role=actor_role,
        detail=(comment or "").strip() or None,
    )
    session.flush()
    right = RightType(req.right)
    if decision == ConsentDecision.REFUSED and right in DISCLOSES_PUPIL_DATA:
        # The pupil's own words stay in the DPO's record: confidentiality is owed to them.
        # The parent reads these reasons, so no rule number (the event above is the DPO's).
        refuse(
            session,
            req,
            reasons=PUPIL_REFUSED_COPY.format(pupil=pupil_name),
            actor_id=decided_by,
            actor_role=actor_role,
            today=dt.date.today(),
        )
        return False
    if decision == ConsentDecision.REFUSED:
        record_event(
            session,
            req,
            "intake_check",
            actor_role=ActorRole.SYSTEM,
            detail=f"The pupil did not agree to this {right.label.lower()} request. It is "
            "not a request for a copy of their data, so their answer is not a veto: weigh "
            "their views, then answer or refuse with reasons (rule 7).",
        )
    return _advance_after_checks(session, req, actor_id=decided_by, actor_role=actor_role)
