"""Pages for parents, carers and pupils: the tab's landing page, the notice, making a request,
following it, and (for pupils aged 12+) answering a parent's request for their data (rule 7)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from pupil_privacy.worker import lifecycle
from pupil_privacy.worker.clock import complaint_acknowledgement_due
from pupil_privacy.worker.lifecycle.wording import (
    DISCLOSES_PUPIL_DATA,
    RIGHT_HELP,
    after_pupil_answer,
    pupil_question,
)
from pupil_privacy.worker.mis import MISUser, PupilDetails, PupilLink, UserRole
from pupil_privacy.worker.models import (
    PupilConsent,
    RequestDocument,
    RequestEvent,
    RightsRequest,
    utcnow,
)
from pupil_privacy.worker.notice.audience import audience_of
from pupil_privacy.worker.runtime import Settings
from pupil_privacy.worker.states import (
    ConsentDecision,
    DocumentStatus,
    RightType,
    Status,
)

from .. import notice_store
from ..auth import (
    is_requester,
    link_to,
    links_for,
    may_see_request,
    pupil_or_404,
    requires,
    school_filter,
    visible_request_or_404,
)
from ..auth import signed_in_user as user_now
from ..blueprint import REQUESTER_STATUS, bp
from ..enqueue import enqueue_processing
from ..forms import ConfirmForm, ConsentForm, RequestForm, choice
from ..runtime import NO_SUCH_REQUEST, db, request_or_404, runtime_for, settings, today
from .downloads import ready_downloads

#: Rights where "tell us more" may be left empty: the right itself says what is wanted.
DETAILS_OPTIONAL = frozenset(
    {
        RightType.ACCESS,
        RightType.EDUCATIONAL_RECORD,
        RightType.PORTABILITY,
        RightType.DIRECT_MARKETING,
        RightType.YOUTH_SUPPORT_LIMIT,
        RightType.EXAM_MARKS,
    }
)
YOUTH_SUPPORT_LIMIT_TEXT = (
    "Pass only the pupil's name, address and date of birth (and the parent's name and "
    "address) to the local authority's youth support services"
)

#: How the request page names the per-right answers stored in ``extra_fields``; keys not
#: listed (the DPO's intake markers) are not shown to the requester.
EXTRA_LABELS = {
    "wrong": "What is wrong",
    "should_say": "What it should say",
    "results_date": "Results day",
    "limit_to": "What may be passed on",
}


@bp.route("/")
@requires()
def index() -> Any:
    user = user_now()
    session = db()
    # Each audience reads its own notice (pupils a child-friendly one); None: not published.
    notice = notice_store.current_for(session, audience_of(user))
    context: dict[str, Any] = {
        "user": user,
        "notice": notice,
        "acknowledged": notice is not None
        and notice_store.has_acknowledged(session, user.id, notice),
        "notice_summary": notice_store.summary(notice.body) if notice else [],
        "ack_form": ConfirmForm(),
    }
    # Everyone may ask: about a child linked to them, or about themselves.
    context["my_requests"] = list(
        session.scalars(
            select(RightsRequest)
            .where(RightsRequest.requester_user_id == user.id)
            .order_by(RightsRequest.id.desc())
            .limit(200)
        )
    )
    context["consent_asks"] = consent_asks(user)
    context["my_answers"] = my_answers(user)
    context["pupils"] = _pupil_choices(user)
    context["pupil_names"] = pupil_names(context["my_requests"])
    context["downloads"] = {req.id: ready_downloads(user, req) for req in context["my_requests"]}
    if user.has_role(UserRole.DPO):
        context["open_count"] = session.scalar(
            select(func.count(RightsRequest.id)).where(
                RightsRequest.status.not_in(
                    [Status.APPROVED, Status.COMPLETED, Status.REFUSED, Status.WITHDRAWN]
                ),
                *school_filter(user),
            )
        )
    if user.has_role(UserRole.DSL):
        context["dsl_pending"] = session.scalar(
            select(func.count(RequestDocument.id))
            .join(RightsRequest, RequestDocument.request_id == RightsRequest.id)
            .where(
                RequestDocument.needs_dsl_review.is_(True),
                RequestDocument.dsl_decision.is_(None),
                RequestDocument.status == DocumentStatus.DONE,
                RightsRequest.status.in_([Status.IN_PROGRESS, Status.SAFEGUARDING_REVIEW]),
                *school_filter(user),
            )
        )
    return render_template("pupil_privacy/index.html", **context)


def consent_asks(user: MISUser) -> list[RightsRequest]:
    """Parents' requests about this pupil that wait for the pupil's answer (rule 7)."""
    if not user.has_role(UserRole.PUPIL) or not user.pupil_id:
        return []
    return list(
        db().scalars(
            select(RightsRequest).where(
                RightsRequest.pupil_id == user.pupil_id,
                RightsRequest.status == Status.AWAITING_CONSENT,
                RightsRequest.requester_user_id != user.id,
            )
        )
    )


def my_answers(user: MISUser) -> list[tuple[RightsRequest, PupilConsent]]:
    """The pupil's own answers to parents' requests about them, newest first: what they agreed
    (or did not agree) to stays in sight."""
    if not user.has_role(UserRole.PUPIL) or not user.pupil_id:
        return []
    rows = db().execute(
        select(RightsRequest, PupilConsent)
        .join(PupilConsent, PupilConsent.request_id == RightsRequest.id)
        .where(PupilConsent.decided_by == user.id, RightsRequest.pupil_id == user.pupil_id)
        .order_by(PupilConsent.id.desc())
    )
    return [(req, answer) for req, answer in rows]


def pupil_names(requests: list[RightsRequest]) -> dict[str, str]:
    """Each pupil's name as the school's system gives it: one name per person on every page."""
    mis = runtime_for().mis
    names = {}
    for pupil_id in {r.pupil_id for r in requests if r.pupil_id}:
        pupil = mis.pupil(pupil_id)
        names[pupil_id] = pupil.name if pupil else "a pupil"
    return names


def offered_rights(user: MISUser, school: Settings) -> list[RightType]:
    """The rights this person may use here: the parents' right to the educational record only
    at a maintained school and only for someone with a child linked to them (rule 4)."""
    parent = any(link.relationship != "self" for link in links_for(user))
    return [
        right
        for right in RightType
        if right is not RightType.EDUCATIONAL_RECORD
        or (school.educational_record_right and parent and user.role is not UserRole.PUPIL)
    ]


def _pupil_choices(user: MISUser) -> list[tuple[PupilLink, PupilDetails]]:
    mis = runtime_for().mis
    out = []
    for link in links_for(user):
        pupil = mis.pupil(link.pupil_id)
        if pupil is not None:
            out.append((link, pupil))
    return out


# -- making a request --------------------------------------------------------------------------


#: The form's choice for "my own data": anyone may ask about themselves (not only about a
#: pupil); the DPO gathers what the school holds about them and answers.
OWN_DATA = "__own__"


@bp.route("/requests/new", methods=["GET", "POST"])
@requires()
def new_request() -> Any:
    user = user_now()
    choices = _pupil_choices(user)
    form = RequestForm()
    rights = offered_rights(user, settings().for_school(user.school_id))
    form.right.choices = [choice(r.value, r.label) for r in rights]
    form.pupil_id.choices = [choice(p.id, p.name) for _, p in choices] + [
        choice(OWN_DATA, f"Myself ({user.name})")
    ]
    if request.method == "GET" and request.args.get("right") in RightType.__members__.values():
        form.right.data = request.args["right"]
    if form.validate_on_submit():
        about_me = form.pupil_id.data == OWN_DATA
        link = own_link() if about_me else link_to(user, form.pupil_id.data or "")
        pupil = about_requester(user) if about_me else pupil_or_404(link.pupil_id)
        right = RightType(form.right.data)
        extra, problem = _right_fields(right, form)
        if about_me:
            extra[lifecycle.ABOUT_KEY] = lifecycle.ABOUT_REQUESTER
        if problem:
            getattr(form, problem[0]).errors.append(problem[1])
        else:
            req = _store_request(user, link, pupil, right, form.details.data or "", extra)
            return redirect(url_for(".request_detail", request_id=req.id))
    blocked = [(link, p) for link, p in choices if lifecycle.may_not_act(link)]
    return render_template(
        "pupil_privacy/request_new.html",
        user=user,
        form=form,
        blocked=blocked,
        help=[(r, RIGHT_HELP[r]) for r in rights],
        asked=[p for link, p in choices if _will_be_asked(link, p)],
    )


def _will_be_asked(link: PupilLink, pupil: PupilDetails) -> bool:
    """A child this parent may ask about who is 12 or over: they are asked first (rule 7)."""
    age = pupil.age_on(today())
    return link.relationship != "self" and (age is None or age >= lifecycle.CONSENT_AGE)


def own_link() -> PupilLink:
    """The requester asking about themselves."""
    return PupilLink(pupil_id="", relationship="self", parental_responsibility=True)


def about_requester(user: MISUser) -> PupilDetails:
    """A request about the requester's own data is filed under no pupil (pupil id "")."""
    return PupilDetails(id="", name=user.name, school_id=user.school_id)


def _right_fields(
    right: RightType, form: RequestForm
) -> tuple[dict[str, str], tuple[str, str] | None]:
    """The per-right answers, or the (field, message) of the first one missing."""
    details = (form.details.data or "").strip()
    if right not in DETAILS_OPTIONAL and not details and right is not RightType.RECTIFICATION:
        return {}, ("details", "Please tell us what your request is about.")
    if right is RightType.RECTIFICATION:
        wrong, should = (form.wrong_data.data or "").strip(), (form.should_say.data or "").strip()
        if not wrong:
            return {}, ("wrong_data", "Tell us which data is wrong.")
        if not should:
            return {}, ("should_say", "Tell us what it should say.")
        return {"wrong": wrong, "should_say": should}, None
    if right is RightType.EXAM_MARKS:
        results_on = form.results_date.data or _unpublished_results_day(form.pupil_id.data)
        return ({"results_date": results_on.isoformat()} if results_on else {}), None
    if right is RightType.YOUTH_SUPPORT_LIMIT:
        return {"limit_to": YOUTH_SUPPORT_LIMIT_TEXT}, None
    return {}, None


def _unpublished_results_day(pupil_id: str | None) -> dt.date | None:
    """The earliest results day of the pupil's results the MIS marks as not yet published:
    the exam marks clock counts from it (rule 5) when the requester did not give one."""
    if not pupil_id:
        return None
    days = [
        r.results_date
        for r in runtime_for().mis.records(pupil_id)
        if r.results_published is False and r.results_date is not None
    ]
    return min(days, default=None)


def _store_request(
    user: MISUser,
    link: PupilLink,
    pupil: PupilDetails,
    right: RightType,
    details: str,
    extra: dict[str, str],
) -> RightsRequest:
    """Store first (commit), then enqueue: the database is the source of truth (issue 4)."""
    session = db()
    repeat = _just_made(user, pupil, right, details)
    if repeat is not None:
        flash(f"Request {repeat.reference} was already received; here it is.")
        return repeat
    school_settings = settings().for_school(pupil.school_id or user.school_id)
    req = lifecycle.create_request(
        session,
        right=right,
        pupil=pupil,
        requester=user,
        link=link,
        details=details,
        received_on=today(),
        settings=school_settings,
        extra_fields=extra or None,
        acting_role=_acting_role(user, link),
    )
    start = lifecycle.admit(session, req, settings=school_settings)
    session.commit()
    if start:
        enqueue_processing(req.id)
    flash(_received_message(req, pupil))
    return req


#: A second identical submission inside this window is a double click, not a new request.
REPEAT_WINDOW = dt.timedelta(minutes=2)


def _just_made(
    user: MISUser, pupil: PupilDetails, right: RightType, details: str
) -> RightsRequest | None:
    """The same request from the same person a moment ago, if there is one."""
    return (
        db()
        .scalars(
            select(RightsRequest).where(
                RightsRequest.requester_user_id == user.id,
                RightsRequest.pupil_id == pupil.id,
                RightsRequest.right == right,
                RightsRequest.details == details,
                RightsRequest.created_at >= utcnow() - REPEAT_WINDOW,
            )
        )
        .first()
    )


def _acting_role(user: MISUser, link: PupilLink) -> UserRole:
    """The role a person asks in: a pupil about themselves, a parent about their child (a
    member of staff who is also a parent asks as the parent)."""
    if link.pupil_id and link.relationship == "self" and user.has_role(UserRole.PUPIL):
        return UserRole.PUPIL
    if link.pupil_id and link.relationship != "self" and user.has_role(UserRole.PARENT):
        return UserRole.PARENT
    return user.role


def _received_message(req: RightsRequest, pupil: PupilDetails) -> str:
    """The acknowledgement, in the words of this right (no rule numbers: families read it)."""
    text = f"Request {req.reference} received."
    if req.may_not_act_reason:
        return text + (
            f" The school's records say {req.may_not_act_reason}, so the data protection "
            "officer will write to you about it. You can always complain, and ask for your "
            "own data."
        )
    if req.status == Status.AWAITING_CONSENT:
        text += (
            f" Because {pupil.name} is 12 or over, this is their information: we have asked "
            "them what they think before we go ahead."
        )
    elif req.right == RightType.COMPLAINT:
        text += (
            " We will acknowledge your complaint by "
            f"{complaint_acknowledgement_due(req.received_on):%d %B %Y}, look into it and tell "
            "you the outcome."
        )
    elif req.due_on:
        text += f" We will answer by {req.due_on:%d %B %Y}."
    return text


@bp.route("/requests/<int:request_id>")
@requires()
def request_detail(request_id: int) -> Any:
    user = user_now()
    req = visible_request_or_404(user, request_id)
    if user.has_role(UserRole.DPO) and not is_requester(user, req) and may_see_request(user, req):
        return redirect(url_for(".dpo_request", request_id=request_id))
    pupil = runtime_for().mis.pupil(req.pupil_id) if req.pupil_id else None
    extra = req.extra_fields or {}
    return render_template(
        "pupil_privacy/request_detail.html",
        user=user,
        req=req,
        pupil=pupil,
        right=RightType(req.right),
        status=Status(req.status),
        timeline=[(e.at, timeline_words(e)) for e in requester_timeline(req)],
        downloads=ready_downloads(user, req),
        wrote=[(label, extra[key]) for key, label in EXTRA_LABELS.items() if extra.get(key)],
        help=RIGHT_HELP.get(RightType(req.right)),
        form=ConfirmForm(),
    )


def timeline_words(event: RequestEvent) -> str:
    """One step of the requester's timeline as a sentence."""
    if event.kind == "received":
        return "We received your request."
    if event.kind == "clock_paused":
        return "We asked you to clarify your request; the time to answer is paused."
    if event.kind == "clock_resumed":
        return "We received your clarification; the time to answer runs again."
    if event.kind == "extended":
        return f"We extended the time to answer: {event.detail}"
    return f"Now {REQUESTER_STATUS[Status(event.to_status or Status.RECEIVED)]}."


#: Timeline entries the requester sees; DPO notes and the pupil's own views stay private.
PUBLIC_EVENTS = frozenset({"received", "status", "clock_paused", "clock_resumed", "extended"})


def requester_timeline(req: RightsRequest) -> list[RequestEvent]:
    """The events a requester may see, with status changes they would not notice (internal
    steps such as the safeguarding review, rule 14) left out."""
    shown: list[RequestEvent] = []
    last_public = ""
    for event in req.events:
        if event.kind not in PUBLIC_EVENTS:
            continue
        if event.kind == "status" and event.to_status:
            public = REQUESTER_STATUS[Status(event.to_status)]
            if public == last_public:
                continue
            last_public = public
        shown.append(event)
    return shown


@bp.route("/requests/<int:request_id>/withdraw", methods=["GET", "POST"])
@requires()
def withdraw_request(request_id: int) -> Any:
    """GET asks "are you sure?"; only the POST from that page withdraws (no script needed)."""
    user = user_now()
    req = request_or_404(request_id)
    if not is_requester(user, req):
        abort(404, NO_SUCH_REQUEST)
    if not Status(req.status).is_open:
        abort(409, f"Request {req.reference} is closed: there is nothing to withdraw.")
    if request.method == "GET":
        return render_template(
            "pupil_privacy/withdraw_confirm.html",
            user=user,
            req=req,
            right=RightType(req.right),
            pupil_name=pupil_names([req]).get(req.pupil_id, ""),
            form=ConfirmForm(),
        )
    if not ConfirmForm().validate_on_submit():
        abort(400, "The form expired. Please go back, reload the page and try again.")
    lifecycle.withdraw(db(), req, actor_id=user.id, actor_role=user.role.value)
    db().commit()
    flash(f"Request {req.reference} withdrawn.")
    return redirect(url_for(".index"))


# -- the pupil's answer (rule 7) ---------------------------------------------------------------


@bp.route("/consent/<int:request_id>", methods=["GET", "POST"])
@requires(UserRole.PUPIL)
def consent(request_id: int) -> Any:
    user = user_now()
    req = request_or_404(request_id)
    if req.pupil_id != user.pupil_id or req.requester_user_id == user.id:
        abort(404, NO_SUCH_REQUEST)
    right = RightType(req.right)
    question = pupil_question(right, req.requester_name)
    if req.status != Status.AWAITING_CONSENT:
        # What they answered stays visible to them; the DPO's notes do not.
        answer = lifecycle.consent_decision(db(), req)
        if answer is None or answer.decided_by != user.id:
            abort(409, f"{req.requester_name}'s request no longer waits for your answer.")
        return render_template(
            "pupil_privacy/consent_answered.html",
            user=user,
            req=req,
            question=question,
            answer=answer,
            after=after_pupil_answer(
                right, answer.decision == ConsentDecision.AGREED, req.requester_name
            ),
        )
    form = ConsentForm()
    if form.validate_on_submit():
        decision = form.decision.data or ""
        start = lifecycle.record_consent(
            db(),
            req,
            decision=decision,
            decided_by=user.id,
            comment=form.comment.data,
            actor_role=UserRole.PUPIL.value,
            pupil_name=user.name,
        )
        db().commit()
        if start:
            enqueue_processing(req.id)
        flash(after_pupil_answer(right, decision == ConsentDecision.AGREED, req.requester_name))
        return redirect(url_for(".index"))
    return render_template(
        "pupil_privacy/consent.html",
        user=user,
        req=req,
        right=right,
        question=question,
        vetoes=right in DISCLOSES_PUPIL_DATA,
        form=form,
    )
