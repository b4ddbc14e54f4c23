"""Whom a privacy notice is written for. Each audience reads, and acknowledges, its own notice:
pupils get a child-friendly one (UK GDPR Art 12(1): "in particular for any information
addressed specifically to a child"), staff theirs, parents and carers theirs."""

from __future__ import annotations

from enum import StrEnum

from ..mis import MISUser, UserRole


class Audience(StrEnum):
    PARENTS = "parents"
    PUPILS = "pupils"
    STAFF = "staff"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def default_title(self) -> str:
        return f"Privacy notice for {self.label}"


_LABELS = {
    Audience.PARENTS: "parents and carers",
    Audience.PUPILS: "pupils",
    Audience.STAFF: "staff",
}


def audience_of(user: MISUser) -> Audience:
    """The notice a user is asked to read: by their main role (a teacher who is also a parent
    reads the staff notice here, and may read the parents' too)."""
    if user.role is UserRole.PUPIL:
        return Audience.PUPILS
    if user.role is UserRole.PARENT:
        return Audience.PARENTS
    return Audience.STAFF


__all__ = ["Audience", "audience_of"]
