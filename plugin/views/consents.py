"""Consents and the youth support limit: families give and withdraw them; the DPO sees them
and downloads the list for the local authority; staff systems ask whether a consent holds.

The rules (who decides at which age; rules 9, 21 and 22) are the worker's
(:mod:`pupil_privacy.worker.consents`, :mod:`pupil_privacy.worker.youth_support`); these
views only collect the decision and show the state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from sqlalchemy import select

from pupil_privacy.worker import consents, youth_support
from pupil_privacy.worker.consent_purposes import ConsentPurpose
from pupil_privacy.worker.lifecycle.intake import YOUTH_SUPPORT_AGE
from pupil_privacy.worker.mis import MISUser, PupilDetails, PupilLink, UserRole
from pupil_privacy.worker.models import ConsentDecision, YouthSupportChoice

from ..auth import FAMILY_ROLES, link_to, links_for, pupil_or_404, requires, same_school
from ..auth import signed_in_user as user_now
from ..blueprint import bp
from ..forms import ConfirmForm
from ..runtime import db, runtime_for, today

STAFF_ROLES = (UserRole.STAFF, UserRole.DPO, UserRole.DSL, UserRole.ADMIN)


@dataclass(frozen=True)
class ConsentRow:
    """One purpose as a family member sees it: its state and whether they may change it."""

    state: consents.ConsentState
    #: None: this user may give or withdraw it; text: why not, shown instead of the button;
    #: "": nothing to say (the DPO's read-only view).
    refusal: str | None


@dataclass(frozen=True)
class PupilConsents:
    """Everything the consents page shows about one pupil."""

    pupil: PupilDetails
    link: PupilLink | None
    rows: list[ConsentRow]
    history: list[ConsentDecision]
    youth_applies: bool
    youth_limited: bool
    youth_refusal: str | None
    youth_history: list[YouthSupportChoice]


def _purposes(user: MISUser) -> tuple[ConsentPurpose, ...]:
    return runtime_for().settings.for_school(user.school_id).consent_purposes


@bp.app_template_filter("pp_consent_label")
def _consent_label(key: str) -> str:
    """A purpose's label for the history (the key of a purpose the school no longer lists)."""
    for purpose in runtime_for().settings.consent_purposes:
        if purpose.key == key:
            return purpose.label
    return key


def _pupil_consents(user: MISUser, pupil: PupilDetails, link: PupilLink | None) -> PupilConsents:
    session, day = db(), today()
    states = consents.states_for(session, _purposes(user), pupil, day)
    age = pupil.age_on(day)
    return PupilConsents(
        pupil=pupil,
        link=link,
        rows=[
            ConsentRow(s, consents.refusal(s.purpose, user, link, pupil, day) if link else "")
            for s in states
        ],
        history=consents.decisions_for(session, pupil.id),
        youth_applies=age is None or age >= YOUTH_SUPPORT_AGE,
        youth_limited=youth_support.is_limited(session, pupil.id),
        youth_refusal=youth_support.refusal(user, link, pupil, day) if link else "",
        youth_history=youth_support.history(session, pupil.id),
    )


@bp.route("/consents")
@requires(*FAMILY_ROLES)
def family_consents() -> Any:
    """A parent's children, or a pupil themselves: each consent with its state."""
    user = user_now()
    pupils, withheld = [], []
    for link in links_for(user):
        pupil = pupil_or_404(link.pupil_id)
        if _may_see_choices(link):
            pupils.append(_pupil_consents(user, pupil, link))
        else:
            withheld.append(pupil)
    return render_template(
        "pupil_privacy/consents.html",
        user=user,
        pupils=pupils,
        withheld=withheld,
        form=ConfirmForm(),
    )


def _may_see_choices(link: PupilLink) -> bool:
    """The pupil, and parents with parental responsibility and no court order or no-contact
    flag. Anyone else would read other people's decisions (a separated parent's name and
    choices), which the school must not pass on (rules 10 and 12)."""
    if link.relationship == "self":
        return True
    return link.parental_responsibility is True and not (link.court_order or link.no_contact)


def _family_member(pupil_id: str) -> tuple[MISUser, PupilLink, PupilDetails]:
    user = user_now()
    if not user.has_role(*FAMILY_ROLES):
        abort(403, "Only the pupil and their parents or carers can make this choice.")
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400, "The form expired. Please go back, reload the page and try again.")
    return user, link_to(user, pupil_id), pupil_or_404(pupil_id)


@bp.route("/consents/<pupil_id>/youth-support", methods=["POST"])
def youth_support_choice(pupil_id: str) -> Any:
    user, link, pupil = _family_member(pupil_id)
    limited = request.form.get("limited")
    if limited not in ("yes", "no"):
        abort(400, "Choose whether to limit what is shared with youth support services.")
    youth_support.record_choice(
        db(), limited=limited == "yes", user=user, link=link, pupil=pupil, day=today()
    )
    db().commit()
    name = pupil.preferred_name or pupil.name
    flash(
        f"Saved: only {name}'s name, address and date of birth will go to youth support services."
        if limited == "yes"
        else f"Saved: {name}'s details will go to youth support services as usual."
    )
    return redirect(url_for(".family_consents", _anchor=f"pupil-{pupil.id}"))


@bp.route("/consents/<pupil_id>/<purpose>", methods=["POST"])
def consent_choice(pupil_id: str, purpose: str) -> Any:
    user, link, pupil = _family_member(pupil_id)
    chosen = consents.purpose_by_key(_purposes(user), purpose)
    try:
        choice = consents.ConsentChoice(request.form.get("choice", ""))
    except ValueError:
        abort(400, "Choose whether you agree or not.")
    consents.record_decision(
        db(), purpose=chosen, choice=choice, user=user, link=link, pupil=pupil, day=today()
    )
    db().commit()
    verb = "given" if choice is consents.ConsentChoice.GIVEN else "withdrawn"
    flash(f"Saved: consent {verb} for {chosen.label.lower()} ({pupil.name}).")
    return redirect(url_for(".family_consents", _anchor=f"pupil-{pupil.id}"))


# -- the DPO's side and the staff API -------------------------------------------------------


def _staff_pupil(user: MISUser, pupil_id: str) -> PupilDetails:
    """The pupil, if the staff member's school holds them (the same 404 otherwise)."""
    pupil = pupil_or_404(pupil_id)
    if not same_school(user, pupil.school_id):
        abort(404, "The school's system has no such pupil.")
    return pupil


@bp.route("/dpo/consents")
@requires(UserRole.DPO)
def dpo_consents() -> Any:
    """The newest decisions of the DPO's school, and one pupil's full state on request."""
    user = user_now()
    session = db()
    recent = select(ConsentDecision).order_by(ConsentDecision.decided_at.desc()).limit(50)
    if user.school_id is not None:
        recent = recent.where(ConsentDecision.school_id == user.school_id)
    pupil_id = (request.args.get("pupil") or "").strip()
    shown = _pupil_consents(user, _staff_pupil(user, pupil_id), None) if pupil_id else None
    mis = runtime_for().mis
    return render_template(
        "pupil_privacy/dpo_consents.html",
        user=user,
        recent=list(session.scalars(recent)),
        pupil_name=lambda pid: getattr(mis.pupil(pid), "name", pid),
        shown=shown,
        limited=youth_support.limited_pupils(session, mis, user.school_id),
    )


@bp.route("/dpo/youth-support.csv")
@requires(UserRole.DPO)
def dpo_youth_support_csv() -> Any:
    """The list of pupils whose youth support sharing is limited, for the local authority."""
    user = user_now()
    rows = youth_support.limited_pupils(db(), runtime_for().mis, user.school_id)
    filename = f"youth-support-limited-{today().isoformat()}.csv"
    return Response(
        youth_support.limited_list_csv(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/api/consents/<pupil_id>")
@requires(*STAFF_ROLES)
def api_consents(pupil_id: str) -> Any:
    """``{"pupil_id", "on", "consents": {key: {"label", "holds", "why"}}}`` for staff systems.

    ``?on=YYYY-MM-DD`` asks about another day; ``?purpose=KEY`` about one purpose only.
    """
    user = user_now()
    pupil = _staff_pupil(user, pupil_id)
    try:
        day = dt.date.fromisoformat(request.args["on"]) if "on" in request.args else today()
    except ValueError:
        abort(400, "Give the day as YYYY-MM-DD.")
    purposes = _purposes(user)
    if "purpose" in request.args:
        try:
            purposes = (consents.purpose_by_key(purposes, request.args["purpose"]),)
        except consents.ConsentNotAllowed as error:
            return jsonify(error=str(error)), 404
    states = consents.states_for(db(), purposes, pupil, day)
    return jsonify(
        pupil_id=pupil.id,
        on=day.isoformat(),
        consents={
            s.purpose.key: {"label": s.purpose.label, "holds": s.holds, "why": s.why}
            for s in states
        },
    )
