"""The youth support limit (rule 9; Education and Skills Act 2008 s.14).

From 13 the school passes pupils' details to the local authority's youth support services.
The parent (for a pupil of 13 to 15) or the pupil (from 16) can limit that to the pupil's
name, address and date of birth, and the parent's name and address. Each choice is a
:class:`~.models.YouthSupportChoice` row; the newest counts. The school sends the local
authority the list of limited pupils: :func:`limited_list_csv`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pupil_privacy.redaction.errors import PupilPrivacyError
from pupil_privacy.redaction.types import Role

from .consents import who_decided
from .lifecycle.intake import YOUTH_SUPPORT_AGE, YOUTH_SUPPORT_SELF_AGE
from .mis import MISAdapter, MISUser, PupilDetails, PupilLink, UserRole
from .models import YouthSupportChoice


class YouthSupportNotAllowed(PupilPrivacyError):
    """This person may not make the youth support choice for this pupil now (rule 9)."""


def refusal(user: MISUser, link: PupilLink, pupil: PupilDetails, day: dt.date) -> str | None:
    """Why ``user`` may not limit (or un-limit) youth support sharing for ``pupil`` on
    ``day``, or None when they may: the parent for 13 to 15, the pupil from 16 (rule 9)."""
    age = pupil.age_on(day)
    name = pupil.preferred_name or pupil.name.split()[0]
    is_self = link.relationship == "self"
    if age is None:
        return (
            "The school's records do not have a date of birth, so we cannot tell who decides. "
            "Please contact the data protection officer."
        )
    if age < YOUTH_SUPPORT_AGE:
        you = "you are" if is_self else f"{name} is"
        return f"Nothing is passed to youth support services until {you} {YOUTH_SUPPORT_AGE}."
    if age >= YOUTH_SUPPORT_SELF_AGE and not is_self:
        return f"{name} is {YOUTH_SUPPORT_SELF_AGE} or over, so only {name} can make this choice."
    if age < YOUTH_SUPPORT_SELF_AGE and is_self:
        return f"Until you are {YOUTH_SUPPORT_SELF_AGE}, your parent or carer makes this choice."
    if not is_self and (link.court_order or link.no_contact):
        return f"Please contact the school office about {name}."
    if not is_self and link.parental_responsibility is not True:
        return (
            "Only a parent or carer with parental responsibility can make this choice. Please "
            "contact the school office."
        )
    return None


def record_choice(
    session: Session,
    *,
    limited: bool,
    user: MISUser,
    link: PupilLink,
    pupil: PupilDetails,
    day: dt.date,
) -> YouthSupportChoice:
    """Record the choice after checking who may make it (the caller commits).

    :raises YouthSupportNotAllowed: with who may make it instead.
    """
    reason = refusal(user, link, pupil, day)
    if reason is not None:
        raise YouthSupportNotAllowed(reason)
    row = YouthSupportChoice(limited=limited, **who_decided(user, link, pupil))
    session.add(row)
    session.flush()
    return row


def history(session: Session, pupil_id: str) -> list[YouthSupportChoice]:
    """Every choice about ``pupil_id``, oldest first."""
    query = select(YouthSupportChoice).where(YouthSupportChoice.pupil_id == pupil_id)
    return list(
        session.scalars(query.order_by(YouthSupportChoice.decided_at, YouthSupportChoice.id))
    )


def is_limited(session: Session, pupil_id: str) -> bool:
    rows = history(session, pupil_id)
    return bool(rows) and rows[-1].limited


@dataclass(frozen=True)
class LimitedPupil:
    """One line of the list the school sends the local authority: only what rule 9 allows."""

    pupil_name: str
    date_of_birth: dt.date | None
    address: str
    parent_name: str
    parent_address: str
    limited_since: dt.date
    chosen_by: str  # "parent" or "pupil"


def limited_pupils(
    session: Session, mis: MISAdapter, school_id: str | None = None
) -> list[LimitedPupil]:
    """Pupils whose newest choice limits sharing, in ``school_id`` when given, by name."""
    query = select(YouthSupportChoice).order_by(
        YouthSupportChoice.decided_at, YouthSupportChoice.id
    )
    if school_id is not None:
        query = query.where(YouthSupportChoice.school_id == school_id)
    newest: dict[str, YouthSupportChoice] = {}
    for row in session.scalars(query):
        newest[row.pupil_id] = row
    out = []
    for pupil_id, row in newest.items():
        pupil = mis.pupil(pupil_id)
        if not row.limited or pupil is None:
            continue
        parent_name, parent_address = _parent(mis, row)
        out.append(
            LimitedPupil(
                pupil_name=pupil.name,
                date_of_birth=pupil.date_of_birth,
                address=pupil.address or "",
                parent_name=parent_name,
                parent_address=parent_address,
                limited_since=row.decided_at.date(),
                chosen_by=row.decided_role,
            )
        )
    return sorted(out, key=lambda p: p.pupil_name)


def _parent(mis: MISAdapter, row: YouthSupportChoice) -> tuple[str, str]:
    """The name and address of the parent who chose (from the roster); blank for a pupil's
    own choice, where the MIS does not say which parent the authority may write to."""
    if row.decided_role != UserRole.PARENT:
        return "", ""
    for person in mis.roster(row.pupil_id):
        if person.role is Role.PARENT and person.id == row.decided_by:
            return person.name, person.address or ""
    return row.decided_by_name, ""


CSV_HEADER = (
    "Pupil name",
    "Date of birth",
    "Pupil address",
    "Parent or carer name",
    "Parent or carer address",
    "Limited since",
    "Chosen by",
)


def limited_list_csv(rows: Sequence[LimitedPupil]) -> str:
    """The list as CSV. A cell that a spreadsheet would run as a formula is quoted with a
    leading apostrophe (OWASP CSV injection)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for r in rows:
        writer.writerow(
            _safe(cell)
            for cell in (
                r.pupil_name,
                r.date_of_birth.isoformat() if r.date_of_birth else "",
                r.address,
                r.parent_name,
                r.parent_address,
                r.limited_since.isoformat(),
                r.chosen_by,
            )
        )
    return buffer.getvalue()


def _safe(cell: str) -> str:
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


__all__ = [
    "CSV_HEADER",
    "LimitedPupil",
    "YouthSupportNotAllowed",
    "history",
    "is_limited",
    "limited_list_csv",
    "limited_pupils",
    "record_choice",
    "refusal",
]
