"""Who is signed in (the MIS decides) and what they may do: by role, and by relationship."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort, redirect, request, url_for

from pupil_privacy.worker.mis import MISUser, PupilDetails, PupilLink, UserRole
from pupil_privacy.worker.models import RightsRequest

from .runtime import runtime_for

F = TypeVar("F", bound=Callable[..., Any])

_USER_KEY = "pupil_privacy.user"
FAMILY_ROLES = frozenset({UserRole.PARENT, UserRole.PUPIL})
ROLE_NAMES = {
    UserRole.PARENT: "parents and carers",
    UserRole.PUPIL: "pupils",
    UserRole.STAFF: "staff",
    UserRole.DPO: "data protection officer",
    UserRole.DSL: "designated safeguarding lead",
    UserRole.ADMIN: "system administrators",
}


def current_user() -> MISUser | None:
    """The MIS's signed-in user for this web request (asked once per request).

    Cached in the WSGI environ, not ``g``: an app context can outlive one request.
    """
    if _USER_KEY not in request.environ:
        request.environ[_USER_KEY] = runtime_for().mis.current_user()
    return cast("MISUser | None", request.environ[_USER_KEY])


def signed_in_user() -> MISUser:
    """The signed-in user; otherwise the host's login page, or a 401 page."""
    user = current_user()
    if user is None:
        endpoint = runtime_for().login_endpoint
        if endpoint:
            abort(redirect(url_for(endpoint, next=request.full_path)))
        abort(401, "Please sign in to the school's system to use the Privacy tab.")
    return user


def requires(*roles: UserRole) -> Callable[[F], F]:
    """Allow the view to users holding one of ``roles`` (any signed-in user when empty)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = signed_in_user()
            if roles and user.role not in roles:
                names = " or ".join(ROLE_NAMES[r] for r in roles)
                abort(403, f"This page is for {names} only.")
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorator


def links_for(user: MISUser) -> list[PupilLink]:
    return list(runtime_for().mis.pupils_for(user.id))


def link_to(user: MISUser, pupil_id: str) -> PupilLink:
    """The user's link to this pupil; 403 when there is none (someone else's child)."""
    for link in links_for(user):
        if link.pupil_id == pupil_id:
            return link
    abort(403, "You can only make requests for yourself or for children linked to you.")


def pupil_or_404(pupil_id: str) -> PupilDetails:
    pupil = runtime_for().mis.pupil(pupil_id)
    if pupil is None:
        abort(404, "The school's system has no such pupil.")
    return pupil


def may_see_request(user: MISUser, req: RightsRequest) -> bool:
    """Requesters see their own requests; the DPO sees all of them. Nobody else does."""
    return user.role is UserRole.DPO or req.requester_user_id == user.id
