"""Who is signed in (the MIS decides) and what they may do: by role, and by relationship."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort, redirect, request, url_for

from pupil_privacy.worker.mis import MISUser, PupilDetails, PupilLink, UserRole
from pupil_privacy.worker.models import RightsRequest

from .runtime import request_or_404, runtime_for

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
        user = runtime_for().mis.current_user()
        request.environ[_USER_KEY] = with_roles(user) if user is not None else None
    return cast("MISUser | None", request.environ[_USER_KEY])


def with_roles(user: MISUser) -> MISUser:
    """The user with every role they hold: their own, those the app config names
    (``PUPIL_PRIVACY_DPO_USERS`` / ``PUPIL_PRIVACY_DSL_USERS``), and those the adapter's
    optional ``roles_for(user)`` returns. A host without a DSL role names its DSL here."""
    runtime = runtime_for()
    extra: set[UserRole] = set(user.extra_roles)
    if user.id in runtime.dpo_users:
        extra.add(UserRole.DPO)
    if user.id in runtime.dsl_users:
        extra.add(UserRole.DSL)
    hook = getattr(runtime.mis, "roles_for", None)
    if callable(hook):
        extra.update(UserRole(r) for r in cast("Iterable[str]", hook(user)))
    extra.discard(user.role)
    if extra == set(user.extra_roles):
        return user
    return dataclasses.replace(user, extra_roles=tuple(sorted(extra)))


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
            if roles and not user.has_role(*roles):
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


def same_school(user: MISUser, school_id: str | None) -> bool:
    """A user of one school sees nothing of another's (a user with no school, on a
    single-school host, sees everything)."""
    return user.school_id is None or school_id is None or user.school_id == school_id


def scoped_request(request_id: int) -> RightsRequest:
    """The request, if the signed-in user's school holds it; otherwise the same 404 as for a
    request that does not exist (another school's register is not even hinted at)."""
    req = request_or_404(request_id)
    if not same_school(signed_in_user(), req.school_id):
        abort(404, "There is no such request.")
    return req


def school_filter(user: MISUser) -> list[Any]:
    """SQL conditions that keep a query to the user's school (none for a user of no school)."""
    if user.school_id is None:
        return []
    return [RightsRequest.school_id == user.school_id]


def is_requester(user: MISUser, req: RightsRequest) -> bool:
    """The person who made the request: the same id AND the same kind of person (hosts
    number users and pupils separately). Requests from before roles were stored match on
    the id alone, as they were made."""
    if req.requester_user_id != user.id:
        return False
    return req.requester_role is None or user.has_role(UserRole(req.requester_role))


def may_see_request(user: MISUser, req: RightsRequest) -> bool:
    """Requesters see their own requests; the DPO sees all of their school's. Nobody else."""
    if user.has_role(UserRole.DPO) and same_school(user, req.school_id):
        return True
    return is_requester(user, req)
