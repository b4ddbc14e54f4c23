"""Downloads of packs through short-lived signed links; every download is audited."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, render_template, request, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from pupil_privacy.worker.mis import MISUser, UserRole
from pupil_privacy.worker.models import Download, Pack, utcnow
from pupil_privacy.worker.pack.clips import pack_zip, request_clips
from pupil_privacy.worker.states import Status

from ..auth import is_requester, requires, same_school, visible_request_or_404
from ..auth import signed_in_user as user_now
from ..blueprint import bp
from ..forms import ConfirmForm
from ..runtime import db, runtime_for, settings
from ..security import private_file

#: What the requester may download once the pack is approved; the DPO may download every kind.
REQUESTER_KINDS = frozenset({"requester", "export_json", "export_csv"})
MEDIA_TYPES = {
    "requester": ("application/pdf", "pdf"),
    "dpo": ("application/pdf", "pdf"),
    "export_json": ("application/json", "json"),
    "export_csv": ("text/csv", "csv"),
}


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt="pupil-privacy-download")


def _may_download(user: MISUser, pack: Pack) -> bool:
    req = pack.request
    if user.has_role(UserRole.DPO) and same_school(user, req.school_id):
        return True
    return (
        is_requester(user, req) and req.status == Status.APPROVED and pack.kind in REQUESTER_KINDS
    )


def ready_downloads(user: MISUser, req: Any) -> list[tuple[Pack, str]]:
    """The requester's files for an approved request, each with a signed link made for them
    now: one click on the request page (or the list) downloads, no extra step. The link lasts
    ``PUPIL_PRIVACY_DOWNLOAD_LINK_SECONDS``; reloading the page makes a fresh one."""
    if req.status != Status.APPROVED or not is_requester(user, req):
        return []
    order = ["requester", "export_csv", "export_json"]
    packs = sorted(
        (p for p in req.packs if p.kind in REQUESTER_KINDS and p.storage_key),
        key=lambda p: order.index(p.kind),
    )
    return [(p, signed_url(user, p)) for p in packs]


def signed_url(user: MISUser, pack: Pack) -> str:
    """A download link for ``pack``, valid for this user only (see :func:`download`)."""
    return url_for(".download", token=_serializer().dumps({"pack": pack.id, "user": user.id}))


@bp.route("/requests/<int:request_id>/download-link/<kind>", methods=["POST"])
@requires()
def download_link(request_id: int, kind: str) -> Any:
    """Make a link valid for ``PUPIL_PRIVACY_DOWNLOAD_LINK_SECONDS``, bound to this user."""
    user = user_now()
    req = visible_request_or_404(user, request_id)
    if not ConfirmForm().validate_on_submit():
        abort(400, "The form expired. Please go back, reload the page and try again.")
    pack = next((p for p in req.packs if p.kind == kind), None)
    if pack is None or not _may_download(user, pack):
        abort(404, "There is no pack you can download for this request yet.")
    seconds = settings().download_link_seconds
    return render_template(
        "pupil_privacy/download_link.html",
        user=user,
        req=req,
        pack=pack,
        url=signed_url(user, pack),
        minutes=max(1, seconds // 60),
    )


@bp.route("/download/<token>")
@requires()
def download(token: str) -> Any:
    """Send the decrypted pack if the link is fresh and was made for the signed-in user."""
    user = user_now()
    try:
        claims = _serializer().loads(token, max_age=settings().download_link_seconds)
    except SignatureExpired:
        abort(
            410,
            "This download link has expired. Open the request in the Privacy tab for a new one.",
        )
    except BadSignature:
        abort(404, "This download link is not valid.")
    if claims.get("user") != user.id:
        abort(403, "This download link was made for someone else.")
    pack = db().get(Pack, int(claims.get("pack", 0)))
    if pack is None or not _may_download(user, pack):
        abort(404, "This pack is not available to you.")
    from pupil_privacy.worker.pack.storage import read_pack

    data = read_pack(runtime_for(), pack)
    db().add(Download(pack=pack, user_id=user.id, at=utcnow(), remote_addr=request.remote_addr))
    from pupil_privacy.worker.lifecycle import record_event

    record_event(
        db(),
        pack.request,
        "downloaded",
        actor_id=user.id,
        actor_role=user.role.value,
        detail=f"{pack.kind} pack downloaded",
    )
    db().commit()
    media_type, suffix = MEDIA_TYPES.get(pack.kind, ("application/octet-stream", "bin"))
    name = f"{pack.request.reference}-{pack.kind}.{suffix}"
    if suffix == "pdf" and request_clips(pack.request):
        # Video clips go beside the PDF (issue 13): one ZIP of the PDF and the clips.
        data = pack_zip(runtime_for(), pack.request, data, name)
        media_type, name = "application/zip", f"{pack.request.reference}-{pack.kind}.zip"
    return private_file(data, media_type, name, as_attachment=True)
