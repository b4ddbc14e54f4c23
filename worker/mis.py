"""The seam with the school's MIS: a small typed Protocol, plus an in-memory implementation
that the tests and the demo use.

An MIS integrator implements :class:`MISAdapter` once (usually a thin layer over their own
models) and passes it to ``PupilPrivacy(app, mis=...)``. The web app calls
:meth:`MISAdapter.current_user` inside a request; RQ workers call the record methods in
their own processes, so an adapter must not depend on request state for those.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol, runtime_checkable

from pupil_privacy.redaction.types import Person, Role


class UserRole(StrEnum):
    PARENT = "parent"
    PUPIL = "pupil"
    STAFF = "staff"
    DPO = "dpo"
    DSL = "dsl"  # designated safeguarding lead
    ADMIN = "admin"


class RecordCategory(StrEnum):
    """The categories of pupil data the default privacy notice names."""

    CONTACT = "contact_details"
    ASSESSMENT = "assessments"
    ATTENDANCE = "attendance"
    BEHAVIOUR = "behaviour_exclusions"
    SAFEGUARDING = "safeguarding"
    MEDICAL = "medical"
    SEN = "sen"
    SUPPORT = "support_care_plans"
    PHOTOGRAPHS = "photographs"
    DOCUMENTS = "documents_emails"

    @property
    def label(self) -> str:
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS = {
    RecordCategory.CONTACT: "Contact details",
    RecordCategory.ASSESSMENT: "Assessments and results",
    RecordCategory.ATTENDANCE: "Attendance",
    RecordCategory.BEHAVIOUR: "Behaviour and exclusions",
    RecordCategory.SAFEGUARDING: "Safeguarding",
    RecordCategory.MEDICAL: "Medical",
    RecordCategory.SEN: "Special educational needs",
    RecordCategory.SUPPORT: "Support and care plans",
    RecordCategory.PHOTOGRAPHS: "Photographs",
    RecordCategory.DOCUMENTS: "Documents and emails",
}


@dataclass(frozen=True)
class MISUser:
    """A signed-in user of the MIS."""

    id: str
    name: str
    role: UserRole
    email: str | None = None
    pupil_id: str | None = None  # set when role is PUPIL: which pupil they are


@dataclass(frozen=True)
class PupilLink:
    """A user's relationship to a pupil they may act for."""

    pupil_id: str
    relationship: str  # "mother", "father", "carer", "self", ...
    parental_responsibility: bool = True
    court_order: bool = False  # a court order restricts this person's access
    no_contact: bool = False  # this person must not be sent the pupil's or family's details


@dataclass(frozen=True)
class PupilDetails:
    id: str
    name: str
    date_of_birth: dt.date
    preferred_name: str | None = None
    upn: str | None = None
    address: str | None = None
    year_group: str | None = None
    email: str | None = None
    aliases: tuple[str, ...] = ()

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.date_of_birth.year
        before_birthday = (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return years - int(before_birthday)


@dataclass(frozen=True)
class MISRecord:
    """One record of a pupil: either text (``text``) or a file (``filename``, fetched through
    :meth:`MISAdapter.record_content`)."""

    id: str
    category: RecordCategory
    title: str
    created: dt.date
    source: str  # the system or team it came from: "Behaviour log", "Email archive", ...
    text: str | None = None
    filename: str | None = None  # with extension: .pdf .docx .eml .png .jpg .txt
    author: str | None = None
    size: int | None = None

    @property
    def is_file(self) -> bool:
        return self.filename is not None


@runtime_checkable
class MISAdapter(Protocol):
    """What pupil-privacy needs from a school's MIS."""

    def current_user(self) -> MISUser | None:
        """The signed-in user of the current web request, or None."""

    def user(self, user_id: str) -> MISUser | None:
        """Any user by id (for names in the register and the audit trail)."""

    def pupils_for(self, user_id: str) -> Sequence[PupilLink]:
        """The pupils this user may act for; a pupil user gets a single ``self`` link."""

    def pupil(self, pupil_id: str) -> PupilDetails | None: ...

    def roster(self, pupil_id: str) -> Sequence[Person]:
        """Everyone the MIS knows who may appear in this pupil's records: pupils,
        parents/carers (including this pupil's own), staff and other professionals."""

    def records(self, pupil_id: str) -> Iterable[MISRecord]:
        """Every record held about the pupil, across every system the MIS reaches."""

    def record_content(self, pupil_id: str, record_id: str) -> bytes:
        """The bytes of a file record."""


@dataclass
class InMemoryMIS:
    """A complete :class:`MISAdapter` held in memory: the tests' and the demo's MIS.

    ``current_user_getter`` lets a web app say who is signed in (the demo reads its session).
    """

    users: dict[str, MISUser] = field(default_factory=dict)
    links: dict[str, list[PupilLink]] = field(default_factory=dict)
    pupils: dict[str, PupilDetails] = field(default_factory=dict)
    people: list[Person] = field(default_factory=list)
    pupil_records: dict[str, list[MISRecord]] = field(default_factory=dict)
    files: dict[tuple[str, str], bytes] = field(default_factory=dict)
    current_user_getter: Callable[[], str | None] = lambda: None

    def current_user(self) -> MISUser | None:
        user_id = self.current_user_getter()
        return self.users.get(user_id) if user_id else None

    def user(self, user_id: str) -> MISUser | None:
        return self.users.get(user_id)

    def pupils_for(self, user_id: str) -> Sequence[PupilLink]:
        user = self.users.get(user_id)
        if user is not None and user.role is UserRole.PUPIL and user.pupil_id:
            return [PupilLink(pupil_id=user.pupil_id, relationship="self")]
        return list(self.links.get(user_id, ()))

    def pupil(self, pupil_id: str) -> PupilDetails | None:
        return self.pupils.get(pupil_id)

    def roster(self, pupil_id: str) -> Sequence[Person]:
        return list(self.people)

    def records(self, pupil_id: str) -> Iterable[MISRecord]:
        return list(self.pupil_records.get(pupil_id, ()))

    def record_content(self, pupil_id: str, record_id: str) -> bytes:
        try:
            return self.files[(pupil_id, record_id)]
        except KeyError:
            raise KeyError(f"no file for record {record_id!r} of pupil {pupil_id!r}") from None

    def add_record(self, pupil_id: str, record: MISRecord, content: bytes | None = None) -> None:
        self.pupil_records.setdefault(pupil_id, []).append(record)
        if content is not None:
            self.files[(pupil_id, record.id)] = content


__all__ = [
    "InMemoryMIS",
    "MISAdapter",
    "MISRecord",
    "MISUser",
    "Person",
    "PupilDetails",
    "PupilLink",
    "RecordCategory",
    "Role",
    "UserRole",
]
