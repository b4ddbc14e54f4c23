"""The Privacy tab's forms. Every POST carries a CSRF token (Flask-WTF)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from pupil_privacy.worker.states import RightType

try:  # WTForms 3.3 deprecates (value, label) tuples in favour of SelectChoice
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover - WTForms before 3.3
    SelectChoice = None


def choice(value: str, label: str) -> Any:
    """One option of a select or radio field, in the form this WTForms prefers."""
    return SelectChoice(value, label) if SelectChoice is not None else (value, label)


RIGHT_CHOICES = [choice(right.value, right.label) for right in RightType]


class ConfirmForm(FlaskForm):
    """A button that only needs the CSRF token (acknowledge, approve, rebuild, retry...)."""

    submit = SubmitField("Confirm")


class RequestForm(FlaskForm):
    """One form for every right the notice promises; the extra fields apply per right."""

    pupil_id = SelectField("Whose data is this about?", validate_choice=False)
    right = SelectField("What would you like to do?", choices=RIGHT_CHOICES)
    details = TextAreaField("Tell us more", validators=[Length(max=5000)])
    wrong_data = TextAreaField("What is wrong?", validators=[Length(max=2000)])
    should_say = TextAreaField("What should it say?", validators=[Length(max=2000)])
    results_date = DateField("When are the results published?", validators=[Optional()])
    submit = SubmitField("Send request")


CHANNEL_CHOICES = [
    choice("post", "By post"),
    choice("phone", "By phone"),
    choice("email", "By email"),
    choice("in person", "In person"),
]


class LogRequestForm(FlaskForm):
    """The DPO records a request received by post, phone, email or in person (rule 2: the
    clock starts from the day it was received, once identity is settled)."""

    requester_user_id = SelectField(
        "Who asked? (found in the school's system)", validate_choice=False
    )
    requester_name = StringField(
        "...or their name, if the system does not know them", validators=[Length(max=200)]
    )
    relationship = StringField(
        "Their relationship to the pupil", validators=[Length(max=40)], default="parent"
    )
    requester_contact = TextAreaField(
        "Where to send the answer (address, email or phone)", validators=[Length(max=1000)]
    )
    pupil_id = SelectField("Which pupil is it about?", validate_choice=False)
    right = SelectField("What did they ask for?", choices=RIGHT_CHOICES)
    channel = SelectField("How did it arrive?", choices=CHANNEL_CHOICES)
    received_on = DateField("Received on", validators=[DataRequired("Say when it arrived")])
    details = TextAreaField("What they asked, in their words", validators=[Length(max=5000)])
    identity_evidence = TextAreaField(
        "Identity evidence seen (leave empty if you still need to ask for it)",
        validators=[Length(max=2000)],
    )
    submit = SubmitField("Record the request")


class ConsentForm(FlaskForm):
    """A pupil aged 12+ answers a parent's request for their data (rule 7)."""

    decision = RadioField(
        "Do you agree?",
        choices=[choice("agreed", "Yes, I agree"), choice("refused", "No, I do not agree")],
        validators=[DataRequired("Choose yes or no")],
    )
    comment = TextAreaField("Anything you want the school to know (optional)")
    submit = SubmitField("Send my answer")


class ReasonForm(FlaskForm):
    """A DPO or DSL action that must be recorded with a reason."""

    reason = TextAreaField("Reason", validators=[DataRequired("A reason is required")])
    on = DateField("Date", validators=[Optional()])
    submit = SubmitField("Record")


class IdentityForm(FlaskForm):
    """How identity and parental responsibility were checked (rule 8)."""

    method = TextAreaField(
        "How was identity checked, or why was no ID asked for?",
        validators=[DataRequired("Say how identity was checked (rule 8)")],
    )
    on = DateField("Evidence received on", validators=[Optional()])
    submit = SubmitField("Record identity")


class DSLDecisionForm(FlaskForm):
    """The DSL releases or withholds one safeguarding document (rule 14)."""

    decision = RadioField(
        "Decision",
        choices=[choice("release", "Release (redacted)"), choice("withhold", "Withhold")],
        validators=[DataRequired("Choose release or withhold")],
    )
    reason = TextAreaField("Reason", validators=[DataRequired("A reason is required (rule 14)")])
    submit = SubmitField("Record decision")


class NoticeForm(FlaskForm):
    """The DPO publishes a new version of the privacy notice."""

    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    body = TextAreaField("Notice text")
    upload = FileField("...or upload a .txt or .md file")
    # Needed to publish, not to check: the view asks for it then.
    change_summary = StringField("What changed", validators=[Length(max=500)])
    check = SubmitField("Check")
    publish = SubmitField("Publish")


class PupilAnswerForm(FlaskForm):
    """The pupil's answer given in person or on paper, recorded by the DPO (rule 7)."""

    decision = RadioField(
        "The pupil",
        choices=[choice("agreed", "agreed"), choice("refused", "did not agree")],
        validators=[DataRequired("Choose what the pupil said")],
    )
    reason = TextAreaField(
        "How and when they answered, and their views",
        validators=[DataRequired("Record how the pupil answered (rule 7)")],
    )
    submit = SubmitField("Record the pupil's answer")
