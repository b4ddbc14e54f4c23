"""``DemoMIS``: the :class:`~pupil_privacy.worker.mis.MISAdapter` over the demo's tables.

This is the part a school's integrator writes for their own MIS: a thin, read-only layer
that answers "who is signed in", "whom may they act for", "who does the school know" and
"what records does it hold about this pupil". Only :meth:`current_user` needs a web
request; RQ workers call the rest with just an app context.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from flask import has_request_context, session
from sqlalchemy import select
from sqlalchemy.orm import undefer

from pupil_privacy.redaction.types import Person, Role
from pupil_privacy.worker.mis import (
    MISRecord,
    MISUser,
    PupilDetails,
    PupilLink,
    RecordCategory,
    UserRole,
)

from . import models as m
from .models import db

SESSION_KEY = "demo_user_id"


class DemoMIS:
    """Reads the demo MIS's ``demo_`` tables through the app's Flask-SQLAlchemy session."""

    def current_user(self) -> MISUser | None:
        user_id = session.get(SESSION_KEY) if has_request_context() else None
        return self.user(user_id) if user_id else None

    def user(self, user_id: str) -> MISUser | None:
        row = db.session.get(m.User, user_id)
        return self._user(row) if row is not None else None

    @staticmethod
    def _user(row: m.User) -> MISUser:
        return MISUser(row.id, row.name, UserRole(row.role), row.email, pupil_id=row.pupil_id)

    def find_people(self, query: str, school_id: str | None = None) -> Sequence[MISUser]:
        """The DPO's person search (requests by post, phone, email or in person): users whose
        name, email or id contains ``query``. The demo is one school, so ``school_id`` is
        not used."""
        needle = f"%{query.strip()}%"
        if needle == "%%":
            return []
        rows = db.session.scalars(
            select(m.User)
            .where(m.User.name.ilike(needle) | m.User.email.ilike(needle) | m.User.id.ilike(needle))
            .order_by(m.User.name)
            .limit(50)
        )
        return [self._user(row) for row in rows]

    def users_with_role(self, role: UserRole, school_id: str | None = None) -> Sequence[MISUser]:
        """Everyone whose notice is the one for ``role`` (the DPO's coverage of a notice)."""
        rows = db.session.scalars(select(m.User).filter_by(role=role.value).order_by(m.User.name))
        return [self._user(row) for row in rows]

    def pupils_for(self, user_id: str) -> Sequence[PupilLink]:
        user = db.session.get(m.User, user_id)
        if user is not None and user.role == UserRole.PUPIL and user.pupil_id:
            return [PupilLink(pupil_id=user.pupil_id, relationship="self")]
        rows = db.session.scalars(select(m.Guardianship).filter_by(guardian_id=user_id))
        return [
            PupilLink(
                pupil_id=row.pupil_id,
                relationship=row.relationship,
                parental_responsibility=row.parental_responsibility,
                court_order=row.court_order,
                no_contact=row.no_contact,
            )
            for row in rows
        ]

    def pupil(self, pupil_id: str) -> PupilDetails | None:
        row = db.session.get(m.Pupil, pupil_id)
        if row is None:
            return None
        return PupilDetails(
            id=row.id,
            name=row.name,
            date_of_birth=row.date_of_birth,
            preferred_name=row.preferred_name,
            upn=row.upn,
            address=row.address,
            year_group=f"Year {row.year_group}",
            email=row.email,
            photo=self._photo(pupil_id),
        )

    @staticmethod
    def _photo(pupil_id: str) -> bytes | None:
        """The pupil's MIS photo, when the school holds one (issue 13)."""
        photo = db.session.get(m.PupilPhoto, pupil_id)
        return photo.image if photo is not None else None

    def roster(self, pupil_id: str) -> Sequence[Person]:
        """Everyone the school knows; the same list whichever pupil is asked about."""
        s = db.session
        people = [
            Person(
                p.name,
                Role.PUPIL,
                id=p.id,
                upn=p.upn,
                email=p.email,
                address=p.address,
                date_of_birth=p.date_of_birth,
                aliases=(p.preferred_name,) if p.preferred_name else (),
            )
            for p in s.scalars(select(m.Pupil))
        ]
        people += [
            Person(g.name, Role.PARENT, id=g.id, email=g.email, phone=g.phone, address=g.address)
            for g in s.scalars(select(m.Guardian))
        ]
        people += [
            Person(t.name, Role.STAFF, id=t.id, email=t.email, phone=t.phone)
            for t in s.scalars(select(m.Staff))
        ]
        people += [
            Person(o.name, Role.OTHER, id=o.id, email=o.email, phone=o.phone)
            for o in s.scalars(select(m.Professional))
        ]
        return people

    def records(self, pupil_id: str) -> Iterable[MISRecord]:
        query = select(m.Record).filter_by(pupil_id=pupil_id).order_by(m.Record.created)
        return [
            MISRecord(
                id=r.id,
                category=RecordCategory(r.category),
                title=r.title,
                created=r.created,
                source=r.source,
                text=r.text,
                filename=r.filename,
                author=r.author,
                size=r.size,
            )
            for r in db.session.scalars(query)
        ]

    def record_content(self, pupil_id: str, record_id: str) -> bytes:
        query = select(m.Record).filter_by(id=record_id, pupil_id=pupil_id)
        row = db.session.scalars(query.options(undefer(m.Record.content))).first()
        if row is None or row.content is None:
            raise KeyError(f"no file for record {record_id!r} of pupil {pupil_id!r}")
        return row.content
