"""The demo school as plain Python data: no Flask, no database.

:func:`pupil_privacy.demo.seed.build_school` fills a :class:`School`; the web app copies it
into its tables, and tests use it directly (``school.to_mis()`` gives an ``InMemoryMIS``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pupil_privacy.redaction.types import Person, Role
from pupil_privacy.worker.mis import (
    InMemoryMIS,
    MISRecord,
    MISUser,
    PupilDetails,
    PupilLink,
    RecordCategory,
    UserRole,
)

DEMO_PASSWORD = "riverside"


@dataclass(frozen=True)
class StaffMember:
    id: str
    title: str
    first_name: str
    last_name: str
    job: str
    role: UserRole
    email: str
    phone: str
    username: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def formal(self) -> str:
        """How pupils and parents write it: "Mrs Gollan"."""
        return f"{self.title} {self.last_name}"


@dataclass(frozen=True)
class Guardian:
    """A parent or carer."""

    id: str
    title: str
    first_name: str
    last_name: str
    sex: str  # "F" or "M": pronouns in the generated records
    email: str
    phone: str
    address: str
    username: str
    family_id: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def formal(self) -> str:
        return f"{self.title} {self.last_name}"


@dataclass(frozen=True)
class GuardianLink:
    guardian_id: str
    pupil_id: str
    relationship: str  # "mother", "father", "grandmother (special guardian)", "step-father"
    parental_responsibility: bool = True
    court_order: bool = False
    no_contact: bool = False


@dataclass(frozen=True)
class Pupil:
    id: str
    first_name: str
    last_name: str
    sex: str
    date_of_birth: dt.date
    upn: str
    address: str
    year_group: int
    family_id: str
    preferred_name: str | None = None
    email: str | None = None
    username: str | None = None  # pupils in Year 7 and up can sign in
    class_id: str = ""
    sen_status: str = "none"  # "none", "SEN support", "EHC plan"
    medical: str = ""

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def called(self) -> str:
        """The name staff use day to day."""
        return self.preferred_name or self.first_name

    def age_on(self, day: dt.date) -> int:
        before_birthday = (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day)
        return day.year - self.date_of_birth.year - int(before_birthday)


@dataclass(frozen=True)
class SchoolClass:
    id: str
    name: str  # "5W": year 5, Mr Wilson's class
    year_group: int
    teacher_id: str


@dataclass(frozen=True)
class Family:
    id: str
    shape: str  # "two parents", "separated", "special guardian", "step-parent", "single parent"
    address: str
    pupil_ids: tuple[str, ...]
    guardian_ids: tuple[str, ...]


@dataclass(frozen=True)
class Professional:
    """Someone outside the school whom the MIS records (GP, social worker...)."""

    id: str
    title: str  # "Dr" or ""
    name: str
    job: str
    organisation: str
    email: str
    phone: str

    @property
    def formal(self) -> str:
        return f"{self.title} {self.name}".strip()


@dataclass(frozen=True)
class UnknownPerson:
    """Someone the records mention but the MIS does not know: redaction must still find them."""

    name: str
    description: str  # "neighbour of the Brennan family"
    pupil_id: str  # whose records mention them


@dataclass
class DemoRecord:
    """A record as the demo stores it; ``content`` is set for file records."""

    id: str
    pupil_id: str
    category: RecordCategory
    title: str
    created: dt.date
    source: str
    author: str | None = None
    text: str | None = None
    filename: str | None = None
    content: bytes | None = None

    def to_mis_record(self) -> MISRecord:
        return MISRecord(
            id=self.id,
            category=self.category,
            title=self.title,
            created=self.created,
            source=self.source,
            text=self.text,
            filename=self.filename,
            author=self.author,
            size=len(self.content) if self.content is not None else None,
        )


@dataclass(frozen=True)
class DemoAccount:
    """A login printed by ``make demo``."""

    username: str
    user_id: str
    description: str


@dataclass(frozen=True)
class Facts:
    """The hard cases planted in the records, so tests can assert on them without guessing."""

    separated_family_id: str
    resident_parent_id: str  # the separated family's parent the children live with
    no_contact_parent_id: str  # court order, no contact, different address
    no_contact_new_address: str  # written into one record: withheld from the other parent
    identifying_context: str  # "her dad, who drives the blue taxi": flag, do not pretend
    identifying_context_pupil_id: str  # whose records hold it
    unknown_people: tuple[UnknownPerson, ...]
    split_name: str  # another pupil's name broken by a line break in a record
    split_name_pupil_id: str  # whose records hold it


@dataclass
class School:
    name: str
    urn: str
    address: str
    phone: str
    email_domain: str
    today: dt.date
    staff: list[StaffMember] = field(default_factory=list)
    guardians: list[Guardian] = field(default_factory=list)
    pupils: list[Pupil] = field(default_factory=list)
    links: list[GuardianLink] = field(default_factory=list)
    classes: list[SchoolClass] = field(default_factory=list)
    families: list[Family] = field(default_factory=list)
    professionals: list[Professional] = field(default_factory=list)
    records: list[DemoRecord] = field(default_factory=list)
    accounts: list[DemoAccount] = field(default_factory=list)
    photos: dict[str, bytes] = field(default_factory=dict)  # MIS photos by pupil id
    facts: Facts | None = None
    password: str = DEMO_PASSWORD

    def pupil(self, pupil_id: str) -> Pupil:
        return next(p for p in self.pupils if p.id == pupil_id)

    def guardian(self, guardian_id: str) -> Guardian:
        return next(g for g in self.guardians if g.id == guardian_id)

    def staff_member(self, staff_id: str) -> StaffMember:
        return next(s for s in self.staff if s.id == staff_id)

    def staff_with_role(self, role: UserRole) -> StaffMember:
        return next(s for s in self.staff if s.role is role)

    def staff_with_job(self, job: str) -> StaffMember:
        return next(s for s in self.staff if s.job == job)

    def school_class(self, class_id: str) -> SchoolClass:
        return next(c for c in self.classes if c.id == class_id)

    def account(self, username: str) -> DemoAccount:
        return next(a for a in self.accounts if a.username == username)

    def records_for(self, pupil_id: str) -> list[DemoRecord]:
        return [r for r in self.records if r.pupil_id == pupil_id]

    def links_for_guardian(self, guardian_id: str) -> list[GuardianLink]:
        return [link for link in self.links if link.guardian_id == guardian_id]

    def links_for_pupil(self, pupil_id: str) -> list[GuardianLink]:
        return [link for link in self.links if link.pupil_id == pupil_id]

    def users(self) -> list[MISUser]:
        """Everyone who can sign in, as the MIS Protocol describes them."""
        users = [MISUser(s.id, s.name, s.role, s.email) for s in self.staff]
        users += [MISUser(g.id, g.name, UserRole.PARENT, g.email) for g in self.guardians]
        users += [
            MISUser(p.id, p.name, UserRole.PUPIL, p.email, pupil_id=p.id)
            for p in self.pupils
            if p.username
        ]
        return users

    def pupil_details(self, pupil: Pupil) -> PupilDetails:
        return PupilDetails(
            id=pupil.id,
            name=pupil.name,
            date_of_birth=pupil.date_of_birth,
            preferred_name=pupil.preferred_name,
            upn=pupil.upn,
            address=pupil.address,
            year_group=f"Year {pupil.year_group}",
            email=pupil.email,
        )

    def roster(self) -> list[Person]:
        """Everyone the MIS knows, with their identifiers (the same for every pupil)."""
        people = [
            Person(
                name=p.name,
                role=Role.PUPIL,
                id=p.id,
                aliases=(p.preferred_name,) if p.preferred_name else (),
                upn=p.upn,
                email=p.email,
                address=p.address,
                date_of_birth=p.date_of_birth,
            )
            for p in self.pupils
        ]
        people += [
            Person(g.name, Role.PARENT, id=g.id, email=g.email, phone=g.phone, address=g.address)
            for g in self.guardians
        ]
        people += [
            Person(s.name, Role.STAFF, id=s.id, email=s.email, phone=s.phone) for s in self.staff
        ]
        people += [
            Person(p.name, Role.OTHER, id=p.id, email=p.email, phone=p.phone)
            for p in self.professionals
        ]
        return people

    def to_mis(self) -> InMemoryMIS:
        """The whole school as an :class:`InMemoryMIS`, for unit tests of other packages."""
        mis = InMemoryMIS(
            users={u.id: u for u in self.users()},
            pupils={p.id: self.pupil_details(p) for p in self.pupils},
            people=self.roster(),
        )
        for link in self.links:
            mis.links.setdefault(link.guardian_id, []).append(
                PupilLink(
                    pupil_id=link.pupil_id,
                    relationship=link.relationship,
                    parental_responsibility=link.parental_responsibility,
                    court_order=link.court_order,
                    no_contact=link.no_contact,
                )
            )
        for record in self.records:
            mis.add_record(record.pupil_id, record.to_mis_record(), record.content)
        return mis
