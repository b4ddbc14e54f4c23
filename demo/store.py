"""Copy the seeded :class:`~.school.School` into the demo's tables (once, on first start)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, scoped_session
from werkzeug.security import generate_password_hash

from . import models as m
from .school import Guardian, Pupil, School, StaffMember

AnySession = Session | scoped_session[Any]


def is_seeded(session: AnySession) -> bool:
    return bool(session.scalar(select(func.count()).select_from(m.User)))


def _users(school: School) -> list[m.User]:
    # One hash for everyone: they share the demo password, and hashing is slow on purpose.
    password_hash = generate_password_hash(school.password)
    people: list[StaffMember | Guardian | Pupil] = [
        *school.staff,
        *school.guardians,
        *school.pupils,
    ]
    usernames = {p.id: p.username for p in people}
    return [
        m.User(
            id=user.id,
            username=usernames[user.id],
            password_hash=password_hash,
            name=user.name,
            role=user.role.value,
            email=user.email,
            pupil_id=user.pupil_id,
        )
        for user in school.users()
    ]


def _people(school: School) -> list[list[object]]:
    """Rows in foreign-key order, one group per table (the models declare no relationships,
    so the session cannot order the inserts by itself)."""
    groups: list[list[object]] = []
    groups.append(
        [
            m.Staff(
                id=s.id,
                title=s.title,
                first_name=s.first_name,
                last_name=s.last_name,
                job=s.job,
                email=s.email,
                phone=s.phone,
            )
            for s in school.staff
        ]
    )
    groups.append(
        [
            m.SchoolClass(id=c.id, name=c.name, year_group=c.year_group, teacher_id=c.teacher_id)
            for c in school.classes
        ]
    )
    groups.append(
        [
            m.Pupil(
                id=p.id,
                first_name=p.first_name,
                last_name=p.last_name,
                preferred_name=p.preferred_name,
                date_of_birth=p.date_of_birth,
                upn=p.upn,
                address=p.address,
                email=p.email,
                year_group=p.year_group,
                class_id=p.class_id,
                sen_status=p.sen_status,
                medical=p.medical,
            )
            for p in school.pupils
        ]
    )
    groups.append(
        [
            m.Guardian(
                id=g.id,
                title=g.title,
                first_name=g.first_name,
                last_name=g.last_name,
                email=g.email,
                phone=g.phone,
                address=g.address,
            )
            for g in school.guardians
        ]
    )
    groups.append(
        [
            m.Guardianship(
                guardian_id=k.guardian_id,
                pupil_id=k.pupil_id,
                relationship=k.relationship,
                parental_responsibility=k.parental_responsibility,
                court_order=k.court_order,
                no_contact=k.no_contact,
            )
            for k in school.links
        ]
    )
    groups.append(
        [
            m.Professional(
                id=p.id,
                title=p.title,
                name=p.name,
                job=p.job,
                organisation=p.organisation,
                email=p.email,
                phone=p.phone,
            )
            for p in school.professionals
        ]
    )
    return groups


def load_school(session: AnySession, school: School) -> int:
    """Insert every person, class, link and record of ``school``; returns the record count.

    Pupils go in before users and records (foreign keys); the caller commits.
    """
    for group in _people(school):
        session.add_all(group)
        session.flush()
    session.add_all(_users(school))
    session.add_all(m.PupilPhoto(pupil_id=k, image=v) for k, v in school.photos.items())
    for r in school.records:
        session.add(
            m.Record(
                id=r.id,
                pupil_id=r.pupil_id,
                category=r.category.value,
                title=r.title,
                created=r.created,
                source=r.source,
                author=r.author,
                text=r.text,
                filename=r.filename,
                size=len(r.content) if r.content is not None else None,
                content=r.content,
            )
        )
    session.flush()
    return len(school.records)
