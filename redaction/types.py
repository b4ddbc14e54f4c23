"""Plain data shared by detection, policy and removal. No Flask, no database.

Rules cited as "rule N" are the numbered rules in docs/uk-school-sar-rules.md
(a copy of the reference the product is built against).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .errors import InputError


class Role(StrEnum):
    """Who a person is to the school, as the MIS roster says."""

    PUPIL = "pupil"
    PARENT = "parent"
    STAFF = "staff"
    OTHER = "other"  # a professional outside the school, or anyone else the MIS records


class Action(StrEnum):
    KEEP = "keep"
    REDACT = "redact"
    REVIEW = "review"  # kept in the draft, flagged for the DPO's decision (rule 10, context)
    # a REDACT or REVIEW suggestion a reviewer kept (redaction/decided.py); the finding keeps
    # the machine's reason, so the schedule can say what was overruled
    KEPT_BY_REVIEWER = "kept-by-reviewer"


class Reason(StrEnum):
    """Why a finding was kept or removed; the value names the rule it applies."""

    SUBJECT = "subject-own-data"  # Art 15: the pupil's own data
    REQUESTER = "requester-own-data"  # the requester's own data is theirs to see
    PROFESSIONAL = "rule-11-professional-in-role"
    PROFESSIONAL_PRIVATE = "rule-11-professional-private-details"
    THIRD_PARTY = "rule-10-third-party"
    OTHER_PUPIL = "rule-10-other-pupil"
    OTHER_PARENT = "rule-12-parent-not-requester"
    UNKNOWN_PERSON = "rule-10-person-unknown-to-mis"
    IDENTIFYING_CONTEXT = "rule-10-identifying-context"
    REFERRER = "rule-14-safeguarding-referrer"
    IDENTIFIER = "rule-10-third-party-identifier"
    HIDDEN_PLACE = "rule-18-hidden-place-cleared"  # free text in a hidden place, cleared whole
    REVIEWER = "redacted-by-reviewer"  # a reviewer's decision (redaction/decided.py)


def parse_date(value: Any) -> dt.date | None:
    """Read a date written as ISO (2014-03-09) or as UK dd/mm/yyyy (09/03/2014).

    :raises InputError: when the value is neither.
    """
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if m:
        day, month, year = (int(g) for g in m.groups())
        try:
            return dt.date(year, month, day)
        except ValueError as exc:
            raise InputError(f"{text!r} is not a real date ({exc})") from exc
    raise InputError(f"{text!r} is not a date; write it as YYYY-MM-DD or DD/MM/YYYY")


def _opt_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InputError(f"{key!r} must be text, not {type(value).__name__}")
    return value.strip()


@dataclass(frozen=True)
class Person:
    """One person the MIS knows: an entry in ROSTER.json."""

    name: str
    role: Role
    id: str | None = None
    aliases: tuple[str, ...] = ()
    upn: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    date_of_birth: dt.date | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Person:
        name = _opt_str(data, "name")
        if not name:
            raise InputError("every roster entry needs a 'name'")
        try:
            role = Role(str(data.get("role", "other")).lower())
        except ValueError as exc:
            raise InputError(
                f"roster entry {name!r}: role must be pupil, parent, staff or other"
            ) from exc
        return cls(
            name=name,
            role=role,
            id=_opt_str(data, "id"),
            aliases=tuple(str(a) for a in data.get("aliases") or ()),
            upn=_opt_str(data, "upn"),
            email=_opt_str(data, "email"),
            phone=_opt_str(data, "phone"),
            address=_opt_str(data, "address"),
            date_of_birth=parse_date(data.get("date_of_birth")),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role.value,
            "id": self.id,
            "aliases": list(self.aliases),
            "upn": self.upn,
            "email": self.email,
            "phone": self.phone,
            "address": self.address,
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else None,
        }


@dataclass(frozen=True)
class Requester:
    """Who asked. Their own data in the records is theirs to see (it is kept)."""

    name: str
    relationship: str | None = None  # "mother", "father", "carer", "self"...
    email: str | None = None
    phone: str | None = None
    address: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Requester:
        name = _opt_str(data, "name")
        if not name:
            raise InputError("'requester' needs a 'name'")
        return cls(
            name=name,
            relationship=_opt_str(data, "relationship"),
            email=_opt_str(data, "email"),
            phone=_opt_str(data, "phone"),
            address=_opt_str(data, "address"),
        )


@dataclass(frozen=True)
class Subject:
    """The pupil whose data is asked for: SUBJECT.json."""

    id: str
    name: str
    preferred_name: str | None = None
    aliases: tuple[str, ...] = ()
    date_of_birth: dt.date | None = None
    upn: str | None = None
    address: str | None = None
    email: str | None = None
    phone: str | None = None
    requester: Requester | None = None

    @property
    def all_names(self) -> tuple[str, ...]:
        names = [self.name, *self.aliases]
        if self.preferred_name:
            names.append(self.preferred_name)
        return tuple(dict.fromkeys(n for n in names if n))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Subject:
        name = _opt_str(data, "name")
        if not name:
            raise InputError("SUBJECT needs a 'name'")
        requester = data.get("requester")
        return cls(
            id=str(data.get("id") or name),
            name=name,
            preferred_name=_opt_str(data, "preferred_name"),
            aliases=tuple(str(a) for a in data.get("aliases") or ()),
            date_of_birth=parse_date(data.get("date_of_birth")),
            upn=_opt_str(data, "upn"),
            address=_opt_str(data, "address"),
            email=_opt_str(data, "email"),
            phone=_opt_str(data, "phone"),
            requester=Requester.from_dict(requester) if requester else None,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "preferred_name": self.preferred_name,
            "aliases": list(self.aliases),
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else None,
            "upn": self.upn,
            "address": self.address,
            "email": self.email,
            "phone": self.phone,
            "requester": None
            if self.requester is None
            else {
                "name": self.requester.name,
                "relationship": self.requester.relationship,
                "email": self.requester.email,
                "phone": self.requester.phone,
                "address": self.requester.address,
            },
        }


@dataclass(frozen=True)
class Finding:
    """One piece of personal data found in a text, and what the policy decided for it.

    ``start``/``end`` are character offsets into the analysed text.
    """

    start: int
    end: int
    text: str
    entity_type: str  # PERSON, UK_UPN, PHONE_NUMBER, EMAIL_ADDRESS, LOCATION, ...
    score: float
    detector: str  # which recognizer found it: "roster", "spacy", "UkUpnRecognizer", ...
    action: Action
    reason: Reason
    person: str | None = None  # the roster person it was attributed to, when known


@dataclass(frozen=True)
class Policy:
    """What to keep and what to remove. The default follows rules 10 to 12."""

    name: str = "default"
    keep_professionals: bool = True  # rule 11: staff acting in their role
    keep_requester: bool = True
    flag_identifying_context: bool = True  # rule 10: "her dad, who drives the blue taxi"
    label: str = "Third party"  # printed on every redaction box
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def named(cls, name: str) -> Policy:
        """``default`` (rules 10-12) or ``strict`` (staff names removed too)."""
        if name == "default":
            return cls()
        if name == "strict":
            return cls(name="strict", keep_professionals=False)
        raise InputError(f"unknown policy {name!r}; use 'default', 'strict' or a JSON file")
