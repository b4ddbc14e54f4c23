"""The second host's own tables (``sh_``), with integer ids counted per table."""

from __future__ import annotations

import datetime as dt

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class School(db.Model):  # type: ignore[name-defined]
    __tablename__ = "sh_school"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))


class Account(db.Model):  # type: ignore[name-defined]
    """A login: staff, parents and pupils alike. ``kind`` is the host's own word for it."""

    __tablename__ = "sh_account"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("sh_school.id"))
    full_name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))  # teacher | carer | learner | office
    also_carer: Mapped[bool] = mapped_column(Boolean, default=False)
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(Text)
    learner_id: Mapped[int | None] = mapped_column(ForeignKey("sh_learner.id"))


class Learner(db.Model):  # type: ignore[name-defined]
    __tablename__ = "sh_learner"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("sh_school.id"))
    full_name: Mapped[str] = mapped_column(String(120))
    born: Mapped[dt.date | None] = mapped_column(Date)  # often missing in this MIS
    phone: Mapped[str | None] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(Text)


class Contact(db.Model):  # type: ignore[name-defined]
    __tablename__ = "sh_contact"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("sh_account.id"))
    learner_id: Mapped[int] = mapped_column(ForeignKey("sh_learner.id"))
    relation: Mapped[str] = mapped_column(String(40))
    responsibility: Mapped[bool | None] = mapped_column(Boolean)  # None: not recorded
    barred: Mapped[bool] = mapped_column(Boolean, default=False)  # no contact


class Note(db.Model):  # type: ignore[name-defined]
    __tablename__ = "sh_note"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("sh_learner.id"))
    area: Mapped[str] = mapped_column(String(40))  # the host's own category names
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(Text)
    attachment: Mapped[str | None] = mapped_column(String(200))  # a file name, maybe missing
    written: Mapped[dt.date] = mapped_column(Date)
