"""The demo MIS's own tables (prefix ``demo_``), as any school system would have them.

They live on their own declarative base, so ``db.create_all()`` builds only these; the
Privacy tab's ``pp_`` tables come from its own migrations.
"""

from __future__ import annotations

import datetime as dt

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class User(db.Model):  # type: ignore[name-defined]
    """A login. ``id`` is the person's id (staff, guardian or pupil), so the MIS and the
    roster agree on who is who."""

    __tablename__ = "demo_users"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))  # a worker.mis.UserRole value
    email: Mapped[str | None] = mapped_column(String(200))
    pupil_id: Mapped[str | None] = mapped_column(ForeignKey("demo_pupils.id"))


class Staff(db.Model):  # type: ignore[name-defined]
    __tablename__ = "demo_staff"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(10))
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    job: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40))

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class SchoolClass(db.Model):  # type: ignore[name-defined]
    __tablename__ = "demo_classes"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(20))
    year_group: Mapped[int] = mapped_column(Integer)
    teacher_id: Mapped[str] = mapped_column(ForeignKey("demo_staff.id"))


class Pupil(db.Model):  # type: ignore[name-defined]
    __tablename__ = "demo_pupils"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    preferred_name: Mapped[str | None] = mapped_column(String(80))
    date_of_birth: Mapped[dt.date] = mapped_column(Date)
    upn: Mapped[str] = mapped_column(String(13), unique=True)
    address: Mapped[str] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(200))
    year_group: Mapped[int] = mapped_column(Integer)
    class_id: Mapped[str] = mapped_column(ForeignKey("demo_classes.id"))
    sen_status: Mapped[str] = mapped_column(String(20), default="none")
    medical: Mapped[str] = mapped_column(String(300), default="")

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def called(self) -> str:
        return self.preferred_name or self.first_name


class PupilPhoto(db.Model):  # type: ignore[name-defined]
    """A pupil's MIS photo (issue 13): their own face is recognised from it and kept.

    A table of its own, so a demo database seeded before photos existed gains it from
    ``db.create_all()`` (which adds tables, never columns) and simply has no photos."""

    __tablename__ = "demo_pupil_photos"

    pupil_id: Mapped[str] = mapped_column(ForeignKey("demo_pupils.id"), primary_key=True)
    image: Mapped[bytes] = mapped_column(LargeBinary)


class Guardian(db.Model):  # type: ignore[name-defined]
    """A parent or carer."""

    __tablename__ = "demo_guardians"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(10))
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    email: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(300))

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Guardianship(db.Model):  # type: ignore[name-defined]
    """Who may act for which pupil, and on what footing."""

    __tablename__ = "demo_guardianships"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guardian_id: Mapped[str] = mapped_column(ForeignKey("demo_guardians.id"), index=True)
    pupil_id: Mapped[str] = mapped_column(ForeignKey("demo_pupils.id"), index=True)
    relationship: Mapped[str] = mapped_column(String(60))
    parental_responsibility: Mapped[bool] = mapped_column(Boolean, default=True)
    court_order: Mapped[bool] = mapped_column(Boolean, default=False)
    no_contact: Mapped[bool] = mapped_column(Boolean, default=False)


class Professional(db.Model):  # type: ignore[name-defined]
    """People outside the school the MIS records: GP, social worker, psychologist."""

    __tablename__ = "demo_professionals"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(120))
    job: Mapped[str] = mapped_column(String(120))
    organisation: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40))


class Record(db.Model):  # type: ignore[name-defined]
    """One record about a pupil: text, or a file kept in the database."""

    __tablename__ = "demo_records"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    pupil_id: Mapped[str] = mapped_column(ForeignKey("demo_pupils.id"), index=True)
    category: Mapped[str] = mapped_column(String(40))  # a worker.mis.RecordCategory value
    title: Mapped[str] = mapped_column(String(200))
    created: Mapped[dt.date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(80))
    author: Mapped[str | None] = mapped_column(String(120))
    text: Mapped[str | None] = mapped_column(Text)
    filename: Mapped[str | None] = mapped_column(String(200))
    size: Mapped[int | None] = mapped_column(Integer)
    # Deferred: listing a pupil's records must not pull every file into memory.
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
