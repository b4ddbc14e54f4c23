"""The second host's adapter: what its IT person would write (no person search)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from flask import has_request_context, session
from sqlalchemy import select

from pupil_privacy.plugin import (
    MISRecord,
    MISUser,
    Person,
    PupilDetails,
    PupilLink,
    RecordCategory,
    Role,
    UserRole,
)

from .models import Account, Contact, Learner, Note, School, db

KINDS = {
    "teacher": UserRole.STAFF,
    "office": UserRole.STAFF,
    "carer": UserRole.PARENT,
    "learner": UserRole.PUPIL,
}
AREAS = {
    "attendance": RecordCategory.ATTENDANCE,
    "behaviour": RecordCategory.BEHAVIOUR,
    "welfare": RecordCategory.SAFEGUARDING,
    "fees": RecordCategory.FEES,
}
#: The files this host holds (anything else named by a note is missing on disk).
FILES: dict[str, bytes] = {}


def _school_code(school_id: int) -> str:
    code = db.session.get(School, school_id)
    assert code is not None
    return str(code.code)


class SecondHostMIS:
    def current_user(self) -> MISUser | None:
        account_id = session.get("sh_account") if has_request_context() else None
        return self.user(str(account_id)) if account_id else None

    def user(self, user_id: str) -> MISUser | None:
        row = db.session.get(Account, int(user_id)) if user_id.isdigit() else None
        if row is None:
            return None
        return MISUser(
            str(row.id),
            row.full_name,
            KINDS[row.kind],
            row.email,
            pupil_id=str(row.learner_id) if row.learner_id else None,
            extra_roles=(UserRole.PARENT,) if row.also_carer else (),
            school_id=_school_code(row.school_id),
        )

    def pupils_for(self, user_id: str) -> Sequence[PupilLink]:
        row = db.session.get(Account, int(user_id)) if user_id.isdigit() else None
        if row is None:
            return []
        if row.kind == "learner" and row.learner_id:
            return [PupilLink(str(row.learner_id), "self")]
        return [
            PupilLink(
                str(c.learner_id),
                c.relation,
                parental_responsibility=c.responsibility,
                no_contact=c.barred,
            )
            for c in db.session.scalars(select(Contact).filter_by(account_id=row.id))
        ]

    def pupil(self, pupil_id: str) -> PupilDetails | None:
        row = db.session.get(Learner, int(pupil_id)) if pupil_id.isdigit() else None
        if row is None:
            return None
        return PupilDetails(
            str(row.id),
            row.full_name,
            row.born,
            address=row.address,
            school_id=_school_code(row.school_id),
        )

    def roster(self, pupil_id: str) -> Sequence[Person]:
        people = [
            Person(p.full_name, Role.PUPIL, id=str(p.id), phone=p.phone, address=p.address)
            for p in db.session.scalars(select(Learner))
        ]
        for a in db.session.scalars(select(Account).where(Account.kind != "learner")):
            role = Role.PARENT if a.kind == "carer" else Role.STAFF
            people.append(
                Person(
                    a.full_name, role, id=str(a.id), email=a.email, phone=a.phone, address=a.address
                )
            )
        return people

    def records(self, pupil_id: str) -> Iterable[MISRecord]:
        notes = db.session.scalars(select(Note).filter_by(learner_id=int(pupil_id)))
        return [
            MISRecord(
                str(n.id),
                AREAS.get(n.area, RecordCategory.OTHER),
                n.title,
                n.written,
                "Second MIS notes",
                text=n.body,
                filename=n.attachment,
            )
            for n in notes
        ]

    def record_content(self, pupil_id: str, record_id: str) -> bytes:
        note = db.session.get(Note, int(record_id))
        if note is None or note.attachment is None:
            raise KeyError(f"no file for note {record_id}")
        try:
            return FILES[note.attachment]
        except KeyError:
            raise FileNotFoundError(f"{note.attachment} is not in the document store") from None
