"""The school's lists on the review workbench (issue 8): terms never removed here and terms
always removed, each with who added it and why, used on every later request."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField

from pupil_privacy.worker import review
from pupil_privacy.worker.mis import UserRole

from ..auth import requires
from ..auth import signed_in_user as user_now
from ..blueprint import bp
from ..forms import choice
from ..runtime import db, runtime_for
from .review import reviewer_of


class SchoolTermForm(FlaskForm):
    which = SelectField(
        "List", choices=[choice("keep", "Never removed here"), choice("redact", "Always removed")]
    )
    term = StringField("Term")
    reason = StringField("Why")


@bp.route("/dpo/school-lists", methods=["GET", "POST"])
@requires(UserRole.DPO)
def review_school_lists() -> Any:
    """Terms never removed here and terms always removed, on every later request."""
    user = user_now()
    form = SchoolTermForm()
    if form.validate_on_submit():
        review.add_school_term(
            db(),
            which=form.which.data or "",
            term=form.term.data or "",
            reason=form.reason.data or "",
            reviewer=reviewer_of(user),
        )
        db().commit()
        flash("Added to the school's list.")
        return redirect(url_for(".review_school_lists"))
    settings = runtime_for().settings
    return render_template(
        "pupil_privacy/review_school_lists.html",
        user=user,
        form=form,
        keep=review.school_terms(db(), "keep"),
        redact=review.school_terms(db(), "redact"),
        configured=review.configured_keeps(settings.school_name, settings.school_address),
    )
