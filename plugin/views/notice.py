"""The privacy notice: everyone reads and acknowledges it; the DPO checks and publishes versions."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from pupil_privacy.worker.mis import UserRole
from pupil_privacy.worker.models import NoticeVersion

from .. import notice_store
from ..auth import requires
from ..auth import signed_in_user as user_now
from ..blueprint import bp
from ..forms import ConfirmForm, NoticeForm
from ..runtime import db, settings

MAX_NOTICE_BYTES = 512 * 1024


@bp.route("/notice")
@bp.route("/notice/<int:version>")
@requires()
def notice(version: int | None = None) -> Any:
    user = user_now()
    session = db()
    current = notice_store.current_notice(session)
    shown: NoticeVersion | None = current
    if version is not None:
        shown = session.scalars(
            select(NoticeVersion).where(NoticeVersion.version == version)
        ).first()
    if shown is None:
        abort(404, f"There is no version {version} of the privacy notice.")
    return render_template(
        "pupil_privacy/notice.html",
        user=user,
        notice=shown,
        current=current,
        html=notice_store.render_notice(shown.body),
        acknowledged=notice_store.has_acknowledged(session, user.id, current),
        history=notice_store.versions(session),
        ack_form=ConfirmForm(),
    )


@bp.route("/notice/acknowledge", methods=["POST"])
@requires()
def acknowledge_notice() -> Any:
    user = user_now()
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400, "The form expired. Please go back, reload the page and try again.")
    session = db()
    current = notice_store.current_notice(session)
    notice_store.acknowledge(session, user.id, current)
    session.commit()
    flash(f"Thank you: you have read version {current.version} of the privacy notice.")
    return redirect(url_for(".index"))


# -- the DPO's side --------------------------------------------------------------------------


@bp.route("/dpo/notice", methods=["GET", "POST"])
@requires(UserRole.DPO)
def dpo_notice() -> Any:
    """Publish a new version; the linter's findings are shown first (issue 4's Art 15 items)."""
    user = user_now()
    session = db()
    current = notice_store.current_notice(session)
    form = NoticeForm()
    if request.method == "GET":
        form.title.data = current.title
        form.body.data = current.body
    findings: list[notice_store.LintFinding] = []
    linted = False
    if form.validate_on_submit():
        body = _notice_body(form)
        if body is None:
            form.body.errors = [*form.body.errors, "Paste the notice text or upload a file."]
        else:
            form.body.data = body
            findings = notice_store.lint(
                body, maintained_school=settings().educational_record_right
            )
            linted = True
            if form.publish.data and not (form.change_summary.data or "").strip():
                form.change_summary.errors = [*form.change_summary.errors, "Say what changed"]
            elif form.publish.data:
                version = notice_store.publish_notice(
                    session,
                    body=body,
                    title=form.title.data or current.title,
                    published_by=user.id,
                    change_summary=form.change_summary.data or "",
                )
                session.commit()
                flash(f"Version {version.version} published; everyone is asked to read it again.")
                return redirect(url_for(".notice"))
    return render_template(
        "pupil_privacy/dpo_notice.html",
        user=user,
        form=form,
        current=current,
        findings=findings,
        linted=linted,
        checked=request.method == "POST",
    )


def _notice_body(form: NoticeForm) -> str | None:
    upload = form.upload.data
    if upload is not None and getattr(upload, "filename", None):
        raw = upload.read(MAX_NOTICE_BYTES + 1)
        if len(raw) > MAX_NOTICE_BYTES:
            abort(400, "That file is too large for a privacy notice (over 512 KB).")
        try:
            return raw.decode("utf-8").replace("\r\n", "\n")
        except UnicodeDecodeError:
            abort(400, "Upload the notice as a UTF-8 text or Markdown file.")
    body = (form.body.data or "").replace("\r\n", "\n").strip()
    return body or None
