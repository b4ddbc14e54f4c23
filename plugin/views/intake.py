"""Requests that did not come through a signed-in account: the DPO logs a request received
by post, phone, email or in person (rule 2: the clock starts from the day it was received, once
identity is settled), offering only the rights that apply at the DPO's school (rule 4)."""

from __future__ import annotations

import uuid
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy.orm import Session

from pupil_privacy.worker import lifecycle
from pupil_privacy.worker.mis import MISUser, PersonSearch, PupilDetails, PupilLink, UserRole
from pupil_privacy.worker.models import RightsRequest
from pupil_privacy.worker.runtime import Settings
from pupil_privacy.worker.states import RightType

from ..auth import requires, same_school
from ..auth import signed_in_user as user_now
from ..blueprint import bp
from ..enqueue import enqueue_processing
from ..forms import LogRequestForm, choice
from ..runtime import db, runtime_for, settings, today


@bp.route("/dpo/requests/log", methods=["GET", "POST"])
@requires(UserRole.DPO)
def dpo_log_request() -> Any:
    """Record a request that did not come through a signed-in account.

    The people are found with the adapter's optional person search; someone the system does
    not know is typed in. The request is kept whatever the MIS says about the person (a
    no-contact or court-order flag records the reason and drafts the refusal letter).
    """
    user = user_now()
    query = (request.values.get("q") or "").strip()
    found, search_note = _search(query, user.school_id)
    form = LogRequestForm()
    form.requester_user_id.choices = [choice("", "Not in the system: type their name below")] + [
        choice(p.id, f"{p.name} ({p.role.value})") for p in found if p.role is not UserRole.PUPIL
    ]
    pupils = _pupils_of(found, user.school_id)
    form.pupil_id.choices = [choice(p.id, p.name) for p in pupils]
    form.right.choices = [
        choice(r.value, r.label) for r in logged_rights(settings().for_school(user.school_id))
    ]
    if request.method == "GET" and form.received_on.data is None:
        form.received_on.data = today()
    if form.validate_on_submit():
        req = _log(user, form)
        if req is not None:
            return redirect(url_for(".dpo_request", request_id=req.id))
    return render_template(
        "pupil_privacy/dpo_log_request.html",
        user=user,
        form=form,
        query=query,
        found=found,
        search_note=search_note,
    )


def logged_rights(school: Settings) -> list[RightType]:
    """The rights the DPO may log at this school: the parents' right to the educational
    record only at a maintained school (rule 4: ``PUPIL_PRIVACY_EDUCATIONAL_RECORD_RIGHT``).
    Who asked is only known once the form is sent; :func:`_log` refuses the rest then."""
    return [
        right
        for right in RightType
        if right is not RightType.EDUCATIONAL_RECORD or school.educational_record_right
    ]


def _search(query: str, school_id: str | None) -> tuple[list[MISUser], str]:
    """People matching ``query`` through the adapter's ``find_people``, and a note to show."""
    if not query:
        return [], ""
    mis = runtime_for().mis
    if not isinstance(mis, PersonSearch):
        return [], (
            "This school's system does not offer a person search (the adapter has no "
            "find_people method): type the requester's name below and give the pupil's id."
        )
    found = list(mis.find_people(query, school_id))
    return found, "" if found else f"Nobody in the school's system matches {query!r}."


def _pupils_of(found: list[MISUser], school_id: str | None) -> list[PupilDetails]:
    """The pupils a search turned up: pupils themselves, and the children of parents found."""
    mis = runtime_for().mis
    ids: list[str] = []
    for person in found:
        if person.pupil_id:
            ids.append(person.pupil_id)
        ids.extend(link.pupil_id for link in mis.pupils_for(person.id) if link.pupil_id)
    wanted = request.values.get("pupil_id")
    if wanted:
        ids.append(wanted)
    pupils = [mis.pupil(pid) for pid in dict.fromkeys(ids)]
    return [
        p
        for p in pupils
        if p is not None and (school_id is None or p.school_id in (None, school_id))
    ]


def _log(dpo: MISUser, form: LogRequestForm) -> RightsRequest | None:
    """Store the logged request; identity evidence seen starts the clock from receipt."""
    mis = runtime_for().mis
    pupil = mis.pupil(form.pupil_id.data or "")
    if pupil is None or not same_school(dpo, pupil.school_id):
        form.pupil_id.errors.append("Find the pupil first (search above).")
        return None
    relationship = (form.relationship.data or "parent").strip()
    requester, link = _requester(form, pupil, relationship)
    if requester is None:
        form.requester_name.errors.append("Choose who asked, or type their name.")
        return None
    school = settings().for_school(pupil.school_id)
    session = db()
    try:
        req = _create(session, dpo, form, pupil, requester, link, school)
    except lifecycle.RequestNotAllowed as exc:
        # a right that does not apply to this person or school: said on the form, nothing kept
        session.rollback()
        form.right.errors.append(str(exc))
        return None
    start = _identity_from_evidence(req, dpo, (form.identity_evidence.data or "").strip(), school)
    session.commit()
    if start:
        enqueue_processing(req.id)
    flash(f"Request {req.reference} recorded as received on {req.received_on:%d %B %Y}.")
    return req


def _create(
    session: Session,
    dpo: MISUser,
    form: LogRequestForm,
    pupil: PupilDetails,
    requester: MISUser,
    link: PupilLink,
    school: Settings,
) -> RightsRequest:
    return lifecycle.create_request(
        session,
        right=RightType(form.right.data),
        pupil=pupil,
        requester=requester,
        link=link,
        details=form.details.data or "",
        received_on=form.received_on.data or today(),
        settings=school,
        channel=form.channel.data or "post",
        acting_role=UserRole.PUPIL if link.relationship == "self" else UserRole.PARENT,
        logged_by=dpo.id,
        requester_contact=(form.requester_contact.data or "").strip() or None,
    )


def _requester(
    form: LogRequestForm, pupil: PupilDetails, relationship: str
) -> tuple[MISUser | None, PupilLink]:
    """The person who asked, and what the MIS says about them and this pupil. Someone the
    system does not know gets an id of their own and no assumed parental responsibility."""
    mis = runtime_for().mis
    chosen = mis.user(form.requester_user_id.data) if form.requester_user_id.data else None
    if chosen is not None:
        link = next((lk for lk in mis.pupils_for(chosen.id) if lk.pupil_id == pupil.id), None)
        return chosen, link or PupilLink(pupil.id, relationship)
    name = (form.requester_name.data or "").strip()
    if not name:
        return None, PupilLink(pupil.id, relationship)
    typed = MISUser(
        id=f"unlisted-{uuid.uuid4().hex[:12]}",
        name=name,
        role=UserRole.PUPIL if relationship == "self" else UserRole.PARENT,
        pupil_id=pupil.id if relationship == "self" else None,
        school_id=pupil.school_id,
    )
    return typed, PupilLink(pupil.id, relationship)


def _identity_from_evidence(
    req: RightsRequest, dpo: MISUser, evidence: str, school: Settings
) -> bool:
    """Record the evidence; when nothing else waits for the DPO, identity is settled and the
    clock starts from the day the request was received (rule 2)."""
    if not evidence:
        return False
    req.identity_evidence = evidence
    blocked = req.may_not_act_reason or (req.extra_fields or {}).get(lifecycle.PR_KEY)
    if blocked:
        return False
    return lifecycle.record_identity(
        db(),
        req,
        on=req.received_on,
        method=f"Checked by {dpo.name} when the request arrived: {evidence}",
        actor_id=dpo.id,
        settings=school,
    )
