"""The demo MIS's pages: sign-in, home, pupils, a pupil's page, records and a timetable.

Staff see pupils' records (safeguarding only for the DSL and the DPO); parents and pupils
see a short profile and are pointed to the Privacy tab for a copy of everything.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import func, select

from pupil_privacy.worker.mis import RecordCategory, UserRole

from . import models as m
from .auth import (
    LoginForm,
    LogoutForm,
    authenticate,
    is_staff,
    login_required,
    role_of,
    safe_next,
    sign_in,
    sign_out,
)
from .models import db

bp = Blueprint("demo", __name__)

SAFEGUARDING_READERS = frozenset({UserRole.DSL, UserRole.DPO})
# What the parent portal shows: figures only. Free-text records name other pupils and
# adults, and only a reviewed copy may go to a family (the Privacy tab's job, rule 10).
FAMILY_VISIBLE = ("Attendance summary",)
_MIMETYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "eml": "message/rfc822",
    "png": "image/png",
    "jpg": "image/jpeg",
    "mp4": "video/mp4",
    "txt": "text/plain",
}


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.username.data or "", form.password.data or "")
        if user is not None:
            sign_in(user)
            return redirect(safe_next(request.args.get("next")))
        flash("That username and password do not match.", "error")
    return render_template("demo/login.html", form=form), 200 if request.method == "GET" else 400


@bp.post("/logout")
def logout() -> Any:
    if LogoutForm().validate_on_submit():
        sign_out()
    return redirect(url_for("demo.login"))


def _links(user: m.User) -> list[tuple[m.Guardianship, m.Pupil]]:
    query = (
        select(m.Guardianship, m.Pupil)
        .join(m.Pupil, m.Pupil.id == m.Guardianship.pupil_id)
        .filter(m.Guardianship.guardian_id == user.id)
        .order_by(m.Pupil.date_of_birth)
    )
    return [(link, pupil) for link, pupil in db.session.execute(query)]


@bp.get("/")
@login_required
def home() -> str:
    user = g.user
    classes = {c.id: c for c in db.session.scalars(select(m.SchoolClass))}
    pupil_count = db.session.scalar(select(func.count()).select_from(m.Pupil))
    return render_template(
        "demo/home.html",
        children=_links(user) if role_of(user) is UserRole.PARENT else [],
        own=db.session.get(m.Pupil, user.pupil_id) if user.pupil_id else None,
        classes=classes,
        pupil_count=pupil_count,
        today=dt.date.today(),
    )


@bp.get("/pupils")
@login_required
def pupils() -> Any:
    user = g.user
    if role_of(user) is UserRole.PUPIL:
        return redirect(url_for("demo.pupil", pupil_id=user.pupil_id))
    if not is_staff(user):
        return render_template("demo/children.html", children=_links(user))
    by_class: dict[m.SchoolClass, list[m.Pupil]] = defaultdict(list)
    query = select(m.Pupil, m.SchoolClass).join(m.SchoolClass).order_by(m.SchoolClass.year_group)
    for pupil, klass in db.session.execute(query):
        by_class[klass].append(pupil)
    teachers = {t.id: t for t in db.session.scalars(select(m.Staff))}
    return render_template("demo/pupils.html", by_class=by_class, teachers=teachers)


def _family_access(user: m.User, pupil_id: str) -> m.Guardianship | None:
    """The user's link to this pupil, when they are a parent or the pupil; 403 otherwise."""
    if role_of(user) is UserRole.PUPIL:
        if user.pupil_id != pupil_id:
            abort(403, "Pupils can only see their own page.")
        return None
    link = db.session.scalars(
        select(m.Guardianship).filter_by(guardian_id=user.id, pupil_id=pupil_id)
    ).first()
    if link is None:
        abort(403, "This pupil is not linked to your account.")
    if link.no_contact:
        abort(403, "Access to this pupil's information is restricted. Please contact the office.")
    return link


@bp.get("/pupils/<pupil_id>")
@login_required
def pupil(pupil_id: str) -> str:
    user = g.user
    row = db.get_or_404(m.Pupil, pupil_id)
    staff = is_staff(user)
    if not staff:
        _family_access(user, pupil_id)
    records = db.session.scalars(
        select(m.Record).filter_by(pupil_id=pupil_id).order_by(m.Record.created.desc())
    ).all()
    if not staff:
        records = [r for r in records if r.title in FAMILY_VISIBLE]
    by_category: dict[RecordCategory, list[m.Record]] = defaultdict(list)
    for record in records:
        by_category[RecordCategory(record.category)].append(record)
    contacts = db.session.execute(
        select(m.Guardianship, m.Guardian)
        .join(m.Guardian)
        .filter(m.Guardianship.pupil_id == pupil_id)
    ).all()
    return render_template(
        "demo/pupil.html",
        pupil=row,
        klass=db.session.get(m.SchoolClass, row.class_id),
        contacts=contacts if staff else [],
        by_category=[(c, by_category[c]) for c in RecordCategory if by_category[c]],
        staff=staff,
        may_read_safeguarding=role_of(user) in SAFEGUARDING_READERS,
        age=_age(row.date_of_birth, dt.date.today()),
    )


def _age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - int((today.month, today.day) < (born.month, born.day))


def _readable_record(record_id: str) -> m.Record:
    """Staff only; safeguarding records only for the DSL and the DPO."""
    user = g.user
    if not is_staff(user):
        abort(403, "Records are for school staff. Use the Privacy tab to ask for a copy.")
    record = db.get_or_404(m.Record, record_id)
    if record.category == RecordCategory.SAFEGUARDING and role_of(user) not in SAFEGUARDING_READERS:
        abort(403, "Safeguarding records are for the designated safeguarding lead.")
    return record


@bp.get("/records/<record_id>")
@login_required
def record(record_id: str) -> str:
    row = _readable_record(record_id)
    return render_template(
        "demo/record.html", record=row, pupil=db.session.get(m.Pupil, row.pupil_id)
    )


@bp.get("/records/<record_id>/file")
@login_required
def record_file(record_id: str) -> Response:
    row = _readable_record(record_id)
    if row.filename is None or row.content is None:
        abort(404, "This record has no file.")
    extension = row.filename.rsplit(".", 1)[-1].lower()
    return Response(
        row.content,
        mimetype=_MIMETYPES.get(extension, "application/octet-stream"),
        headers={"Content-Disposition": f'attachment; filename="{row.filename}"'},
    )


@bp.get("/timetable")
@login_required
def timetable() -> str:
    periods = ("08:40 Registration", "09:00", "10:00", "11:20", "12:20", "14:00")
    lessons = ("English", "Maths", "Science", "History", "Art", "PE", "Music", "Geography")
    days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
    grid = [
        [lessons[(d * 3 + p) % len(lessons)] if p else "Tutor time" for d in range(len(days))]
        for p in range(len(periods))
    ]
    return render_template("demo/timetable.html", periods=periods, days=days, grid=grid)
