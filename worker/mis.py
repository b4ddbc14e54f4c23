"""The seam with the school's MIS: a small typed Protocol, plus an in-memory implementation
that the tests and the demo use.

An MIS integrator implements :class:`MISAdapter` once (usually a thin layer over their own
models) and passes it to ``PupilPrivacy(app, mis=...)``. The web app calls
:meth:`MISAdapter.current_user` inside a request; RQ workers call the record methods in
their own processes, so an adapter must not depend on request state for those.
"""

from __future__ import annotations

import datetime as dt
import os
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
    FEES = "fees_finance"
    OTHER = "other"  # anything the host cannot place: shown as "Other records", never dropped

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
    RecordCategory.FEES: "Fees and finance",
    RecordCategory.OTHER: "Other records",
}


#: The roster role (redaction's :class:`Role`) of the person behind each MIS user role: staff,
#: the DPO, the DSL and administrators are all school staff in a record.
ROSTER_ROLE = {
    UserRole.PARENT: Role.PARENT,
    UserRole.PUPIL: Role.PUPIL,
    UserRole.STAFF: Role.STAFF,
    UserRole.DPO: Role.STAFF,
    UserRole.DSL: Role.STAFF,
    UserRole.ADMIN: Role.STAFF,
}


@dataclass(frozen=True)
class MISUser:
    """A signed-in user of the MIS.

    Hosts number users, pupils and staff separately, so an id means nothing without its kind:
    user "3" and pupil "3" are different people. The plugin always pairs an id with a role
    (see :meth:`person_key`) and never matches a person by id alone.

    :param role: the main role; :param extra_roles: any others the same person holds (a member
        of staff who is also a parent holds ``STAFF`` and ``PARENT``).
    :param school_id: the school (tenant) the user belongs to, on a host serving several.
    :param person_id: this user's id in the roster (:meth:`MISAdapter.roster`) when it differs
        from the user id (a pupil user's roster entry is the pupil: ``pupil_id``).
    """

    id: str
    name: str
    role: UserRole
    email: str | None = None
    pupil_id: str | None = None  # set when role is PUPIL: which pupil they are
    extra_roles: tuple[UserRole, ...] = ()
    school_id: str | None = None
    person_id: str | None = None

    @property
    def roles(self) -> frozenset[UserRole]:
        """Every role this person holds."""
        return frozenset((self.role, *self.extra_roles))

    def has_role(self, *roles: UserRole | str) -> bool:
        """Whether the person holds any of ``roles`` (``UserRole`` or its value)."""
        return bool(self.roles.intersection(UserRole(r) for r in roles))

    def person_key(self, role: UserRole | None = None) -> tuple[Role, str]:
        """(roster role, roster id) of this user acting as ``role`` (the main one by default).

        A pupil user is the pupil in the roster; everyone else is their own id unless the
        adapter says otherwise with ``person_id``.
        """
        acting = role or self.role
        if acting is UserRole.PUPIL and self.pupil_id:
            return Role.PUPIL, self.pupil_id
        return ROSTER_ROLE[acting], self.person_id or self.id


@dataclass(frozen=True)
class PupilLink:
    """A user's relationship to a pupil they may act for."""

    pupil_id: str
    relationship: str  # "mother", "father", "carer", "self", ...
    #: None means the MIS does not say: the DPO must check before anything is released
    #: (rules 5 and 6 of who may ask). It is never assumed.
    parental_responsibility: bool | None = None
    court_order: bool = False  # a court order restricts this person's access
    no_contact: bool = False  # this person must not be sent the pupil's or family's details


@dataclass(frozen=True)
class PupilDetails:
    """A pupil as the MIS holds them. ``date_of_birth`` may be unknown (None): real MIS data
    often lacks it, and then :meth:`age_on` is None and the DPO records the pupil's age or
    capacity before a parent's request goes on (rule 7).

    ``photo`` (optional) is the pupil's MIS photo, as the image's bytes or a path the
    workers can read: the pupil's own face in photographs and CCTV is recognised from it and
    kept (rule 10 protects the others, not the pupil). Without it every face is removed and
    the DPO marks the pupil's face on the review workbench (docs/media.md).
    """

    id: str
    name: str
    date_of_birth: dt.date | None = None
    preferred_name: str | None = None
    upn: str | None = None
    address: str | None = None
    year_group: str | None = None
    email: str | None = None
    aliases: tuple[str, ...] = ()
    school_id: str | None = None
    photo: bytes | str | os.PathLike[str] | None = field(default=None, repr=False)

    def age_on(self, day: dt.date) -> int | None:
        """Age in whole years on ``day``, or None when the date of birth is unknown."""
        born = self.date_of_birth
        if born is None:
            return None
        before_birthday = (day.month, day.day) < (born.month, born.day)
        return day.year - born.year - int(before_birthday)


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
    #: Exam results: False while the results are not yet published, so the exam marks clock
    #: (rule 5: the earlier of 5 months or 40 days after results day) applies; None for
    #: anything that is not a result.
    results_published: bool | None = None
    results_date: dt.date | None = None  # the day they are (or were) announced

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


@runtime_checkable
class PersonSearch(Protocol):
    """Optional: lets the DPO find the people behind a request received by post, phone, email
    or in person. Without it the DPO types the requester's details in by hand."""

    def find_people(self, query: str, school_id: str | None = None) -> Sequence[MISUser]:
        """Users whose name, email or id contains ``query`` (case-insensitive), in
        ``school_id`` when given. Parents without an account may be returned as users too."""


@runtime_checkable
class UserDirectory(Protocol):
    """Optional: lists the users holding a role, so the DPO sees who has not read their
    audience's privacy notice. Without it the DPO sees how many have read it."""

    def users_with_role(self, role: UserRole, school_id: str | None = None) -> Sequence[MISUser]:
        """Every user whose main role is ``role`` (in ``school_id`` when given)."""


def search_people(
    users: Iterable[MISUser], query: str, school_id: str | None = None
) -> list[MISUser]:
    """The plain search most adapters need: name, email or id contains ``query``."""
    needle = query.strip().casefold()
    if not needle:
        return []
    return [
        u
        for u in users
        if (school_id is None or u.school_id in (None, school_id))
        and any(needle in (v or "").casefold() for v in (u.name, u.email, u.id))
    ]


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

    def find_people(self, query: str, school_id: str | None = None) -> Sequence[MISUser]:
        return search_people(self.users.values(), query, school_id)

    def users_with_role(self, role: UserRole, school_id: str | None = None) -> Sequence[MISUser]:
        return [
            u
            for u in self.users.values()
            if u.role is role and (school_id is None or u.school_id in (None, school_id))
        ]

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
    "PersonSearch",
    "PupilDetails",
    "PupilLink",
    "RecordCategory",
    "Role",
    "UserDirectory",
    "UserRole",
    "search_people",
]
