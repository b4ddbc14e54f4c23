"""Who each person the MIS knows is to this request, and the forms their identity is written in.

The subject, the requester and every roster entry become one :class:`Identity` each (a
roster entry that is the subject or the requester is merged into theirs), with a
:class:`Standing`: subject, requester, professional, other pupil, other parent. The subject
is an adult (rule 12) at 18 or when asking for their own records; a requester's relationship
gives their gender. :class:`Kind` names the forms of an identity a match can be (full name,
initials, email...) and :class:`Entry` one such form of one :class:`Party`. What to do about
each standing is :mod:`.policy`'s job; :mod:`.roster` indexes the forms and finds them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from .engine import lexicon
from .types import Person, Requester, Role, Subject


class Standing(StrEnum):
    """Who a known person is to this request."""

    SUBJECT = "subject"
    REQUESTER = "requester"
    PROFESSIONAL = "professional"  # Role.STAFF, or Role.OTHER named with a professional title
    OTHER = "other"  # Role.OTHER without a title: a professional only with context (rule 11)
    OTHER_PUPIL = "other-pupil"
    OTHER_PARENT = "other-parent"


class Kind(StrEnum):
    """Which form of a person's identity a match is."""

    FULL_NAME = "full-name"
    FIRST_NAME = "first-name"
    TITLE_SURNAME = "title-surname"
    SURNAME = "surname"
    INITIALS = "initials"  # "K.A." or, for someone named in the same text, "KA"
    EMAIL = "email"
    PHONE = "phone"
    ADDRESS = "address"
    POSTCODE = "postcode"
    UPN = "upn"
    DOB = "date-of-birth"


NAME_KINDS = frozenset(
    {Kind.FULL_NAME, Kind.FIRST_NAME, Kind.TITLE_SURNAME, Kind.SURNAME, Kind.INITIALS}
)
PARTIAL_NAME_KINDS = frozenset({Kind.FIRST_NAME, Kind.TITLE_SURNAME, Kind.SURNAME, Kind.INITIALS})
ENTITY_TYPES = {
    Kind.EMAIL: "EMAIL_ADDRESS",
    Kind.PHONE: "PHONE_NUMBER",
    Kind.ADDRESS: "STREET_ADDRESS",
    Kind.POSTCODE: "UK_POSTCODE",
    Kind.UPN: "UK_UPN",
    Kind.DOB: "DATE_OF_BIRTH",
}


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "‐": "-", "‑": "-"})


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case-fold, strip accents and unify apostrophes and hyphens: the form names compare in.

    Cached: the same words recur on every page.
    """
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class Party:
    """A person known to this request: a roster entry, the subject or the requester."""

    index: int
    name: str
    standing: Standing
    role: Role | None
    professional_title: bool = False
    gender: str | None = None  # "f" or "m" when known (a requester's relationship says it)
    adult: bool = False  # the subject is 18 or over, or asks for themselves (rule 12 by age)


@dataclass(frozen=True)
class Entry:
    """One way a party can be written, with whether it is a private detail (rule 11)."""

    party: Party
    kind: Kind
    private: bool = False


@dataclass
class Identity:
    """Everything known about one party, gathered from the roster, subject and requester."""

    name: str
    standing: Standing
    role: Role | None
    names: list[str] = field(default_factory=list)
    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    addresses: set[str] = field(default_factory=set)
    upns: set[str] = field(default_factory=set)
    dobs: set[dt.date] = field(default_factory=set)
    gender: str | None = None

    def add(self, p: Person | Subject | Requester) -> None:
        self.names.extend([p.name, *getattr(p, "aliases", ())])
        preferred = getattr(p, "preferred_name", None)
        if preferred:
            self.names.append(preferred)
        for attr, bucket in (("email", self.emails), ("phone", self.phones),
                             ("address", self.addresses), ("upn", self.upns)):  # fmt: skip
            value = getattr(p, attr, None)
            if value:
                bucket.add(value)
        born = getattr(p, "date_of_birth", None)
        if born:
            self.dobs.add(born)


def split_name(name: str) -> tuple[list[str], list[str], bool]:
    """Split a written name into (given names, surname tokens, had a professional title).

    Leading titles are dropped; surname particles (van der, bin, de) stay with the surname.
    """
    words = lexicon()
    tokens = [t for t in re.split(r"[\s,]+", name.strip()) if t]
    titled = False
    while len(tokens) > 1 and fold(tokens[0]).rstrip(".") in words["titles"]:
        titled = titled or fold(tokens[0]).rstrip(".") in words["professional_titles"]
        tokens = tokens[1:]
    if len(tokens) == 1:
        return tokens, [], titled
    cut = len(tokens) - 1
    while cut > 1 and fold(tokens[cut - 1]) in words["particles"]:
        cut -= 1
    return tokens[:cut], tokens[cut:], titled


def gather_identities(subject: Subject, roster: Sequence[Person]) -> list[Identity]:
    """Everyone known to this request, one identity each: roster entries that are the subject
    or the requester are merged into theirs; the others get their :class:`Standing`."""
    subject_names = {fold(n) for n in subject.all_names}
    requester = subject.requester
    me = Identity(subject.name, Standing.SUBJECT, Role.PUPIL)
    me.add(subject)
    identities = [me]
    them = None
    if requester is not None:
        them = Identity(requester.name, Standing.REQUESTER, None)
        them.gender = relationship_gender(requester.relationship)
        them.add(requester)
        identities.append(them)
    for person in roster:
        if _is_subject(person, subject, subject_names):
            me.add(person)
        elif them is not None and requester is not None and _same_person(person, requester):
            them.add(person)
            them.role = person.role
        else:
            identity = Identity(person.name, _standing(person), person.role)
            identity.add(person)
            identities.append(identity)
    return identities


def _is_subject(person: Person, subject: Subject, subject_names: set[str]) -> bool:
    if person.role is not Role.PUPIL:
        return False
    if person.id and person.id == subject.id:
        return True
    if person.upn and subject.upn:
        return fold(person.upn) == fold(subject.upn)
    return fold(person.name) in subject_names


_SELF = frozenset({"self", "subject", "pupil", "student", "former pupil"})


def subject_is_adult(subject: Subject, today: dt.date | None = None) -> bool:
    """18 or over on ``today`` by date of birth, or asking for their own records."""
    requester = subject.requester
    if requester is not None and (
        fold(requester.relationship or "") in _SELF or fold(requester.name) == fold(subject.name)
    ):
        return True
    born = subject.date_of_birth
    if born is None:
        return False
    today = today or dt.date.today()
    return (today.year - born.year - ((today.month, today.day) < (born.month, born.day))) >= 18


def _standing(person: Person) -> Standing:
    if person.role is Role.PUPIL:
        return Standing.OTHER_PUPIL
    if person.role is Role.PARENT:
        return Standing.OTHER_PARENT
    if person.role is Role.STAFF:
        return Standing.PROFESSIONAL
    return Standing.PROFESSIONAL if split_name(person.name)[2] else Standing.OTHER


def _same_person(person: Person, requester: Requester) -> bool:
    if person.role is Role.PUPIL:
        return False
    if person.email and requester.email and person.email.lower() == requester.email.lower():
        return True
    return fold(" ".join(split_name(person.name)[0] + split_name(person.name)[1])) == fold(
        " ".join(split_name(requester.name)[0] + split_name(requester.name)[1])
    )


def relationship_gender(relationship: str | None) -> str | None:
    """ "f" for mother, mum, gran...; "m" for father, dad, uncle...; else ``None``."""
    if not relationship:
        return None
    value = fold(relationship).strip()
    if value in lexicon()["female_relations"]:
        return "f"
    if value in lexicon()["male_relations"]:
        return "m"
    return None
