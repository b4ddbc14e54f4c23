"""The privacy notices: each audience (parents, pupils, staff) reads and acknowledges its own;
the DPO checks and publishes versions, sees who has not read the current one, and what changed
between versions."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for

from pupil_privacy.worker.mis import UserRole
from pupil_privacy.worker.notice.audience import Audience, audience_of
from pupil_privacy.worker.notice.readability import LONG_SENTENCE_WORDS, Readability, readability

from .. import notice_store
from ..auth import requires
from ..auth import signed_in_user as user_now
from ..blueprint import bp
from ..forms import ConfirmForm, NoticeForm
from ..runtime import db, runtime_for, settings

MAX_NOTICE_BYTES = 512 * 1024


def _audience_arg(default: Audience) -> Audience:
    value = request.args.get("audience") or request.form.get("audience")
    if not value:
        return default
    try:
        return Audience(value)
    except ValueError:
        abort(404, "There is no such privacy notice.")


@bp.route("/notice")
@bp.route("/notice/<int:version>")
@requires()
def notice(version: int | None = None) -> Any:
    """The signed-in user's own notice (``?audience=`` shows another audience's to read)."""
    user = user_now()
    session = db()
    own = audience_of(user)
    audience = _audience_arg(own)
    current = notice_store.current_for(session, audience)
    shown = current
    if version is not None:
        shown = notice_store.version_of(session, audience, version)
        if shown is None:
            abort(404, f"There is no version {version} of the privacy notice.")
    return render_template(
        "pupil_privacy/notice.html",
        user=user,
        audience=audience,
        own=audience is own,
        notice=shown,
        current=current,
        html=notice_store.render_notice(shown.body) if shown else "",
        acknowledged=current is not None
        and notice_store.has_acknowledged(session, user.id, current),
        history=notice_store.versions(session, audience),
        others=[a for a in Audience if a is not audience],
        ack_form=ConfirmForm(),
    )


@bp.route("/notice/acknowledge", methods=["POST"])
@requires()
def acknowledge_notice() -> Any:
    """Acknowledge the current version of the user's own audience's notice."""
    user = user_now()
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400, "The form expired. Please go back, reload the page and try again.")
    session = db()
    current = notice_store.current_for(session, audience_of(user))
    if current is None:
        abort(409, "The school has not published a privacy notice for you yet.")
    notice_store.acknowledge(session, user.id, current)
    session.commit()
    flash(f"Thank you: you have read version {current.version} of the privacy notice.")
    return redirect(url_for(".index"))


# -- the DPO's side --------------------------------------------------------------------------


@bp.route("/dpo/notice", methods=["GET", "POST"])
@requires(UserRole.DPO)
def dpo_notice() -> Any:
    """Publish a new version for one audience; the checker's findings are shown first."""
    user = user_now()
    session = db()
    audience = _audience_arg(Audience.PARENTS)
    current = notice_store.current_for(session, audience)
    form = NoticeForm()
    if request.method == "GET":
        form.title.data = current.title if current else audience.default_title
        form.body.data = current.body if current else ""
    findings: list[notice_store.LintFinding] = []
    reading: Readability | None = None
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
            # Written for children (UK GDPR Art 12(1)): how hard it reads, before publishing.
            reading = readability(body) if audience is Audience.PUPILS else None
            if form.publish.data and not (form.change_summary.data or "").strip():
                form.change_summary.errors = [*form.change_summary.errors, "Say what changed"]
            elif form.publish.data:
                version = notice_store.publish_notice(
                    session,
                    body=body,
                    title=form.title.data or audience.default_title,
                    published_by=user.id,
                    change_summary=form.change_summary.data or "",
                    audience=audience,
                )
                session.commit()
                flash(
                    f"Version {version.version} of the notice for {audience.label} published; "
                    "they are asked to read it again."
                )
                return redirect(url_for(".notice", audience=audience.value))
    return render_template(
        "pupil_privacy/dpo_notice.html",
        user=user,
        form=form,
        audience=audience,
        audiences=list(Audience),
        current=current,
        findings=findings,
        reading=reading,
        long_words=LONG_SENTENCE_WORDS,
        linted=linted,
        checked=request.method == "POST",
    )


@bp.route("/dpo/notice/coverage")
@requires(UserRole.DPO)
def dpo_notice_coverage() -> Any:
    """Per audience: the current version, how many have read it, and who has not."""
    user = user_now()
    session = db()
    mis = runtime_for().mis
    return render_template(
        "pupil_privacy/dpo_notice_coverage.html",
        user=user,
        coverages=[notice_store.coverage(session, mis, a, user.school_id) for a in Audience],
    )


@bp.route("/dpo/notice/changes")
@requires(UserRole.DPO)
def dpo_notice_changes() -> Any:
    """What changed between two versions of an audience's notice (by default the current
    version and the one before it)."""
    user = user_now()
    session = db()
    audience = _audience_arg(Audience.PARENTS)
    history = notice_store.versions(session, audience)
    if not history:
        abort(404, f"Nothing is published for {audience.label} yet.")
    new_number = request.args.get("to", type=int) or history[0].version
    old_number = request.args.get("from", type=int) or max(new_number - 1, 1)
    old = notice_store.version_of(session, audience, old_number)
    new = notice_store.version_of(session, audience, new_number)
    if old is None or new is None:
        abort(404, "There is no such version of the privacy notice.")
    lines = notice_store.diff_versions(old.body, new.body)
    return render_template(
        "pupil_privacy/dpo_notice_changes.html",
        user=user,
        audience=audience,
        old=old,
        new=new,
        lines=lines,
        changed=notice_store.changed_lines(lines),
        history=history,
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
