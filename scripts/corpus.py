"""A labelled corpus of school-like records, for measuring redaction (issue 3).

Every document is generated from a seed, so two runs (and the tests) see the same text.
Each identifier in a document is a labelled :class:`Span` saying whose it is:

- ``subject``: the pupil the request is about (kept: UK GDPR Art 15);
- ``requester``: the parent who asked (kept: their own data);
- ``staff``: staff and outside professionals acting in their role (kept: rule 11);
- ``third-party-known``: other pupils, their parents, the separated parent who is not
  the requester (removed: rules 10 and 12), and a teacher's private mobile (rule 11);
- ``third-party-unknown``: people the MIS does not know, a neighbour, a cousin, mum's new
  partner (removed: rule 10);
- ``identifying-context``: a passage that still identifies someone once the name is gone
  ("her dad, who drives the blue taxi"): flagged for the DPO's review (rule 10);
- ``ordinary-word``: a name that is also a word, used as a word ("the summer term"):
  must be kept;
- ``neutral``: the school's own address and switchboard; scored neither way.

Every other word is an ordinary word and must be kept.

The generator lives here, in ``scripts/``, and ``make eval`` / ``make bench`` import it
from beside them. Tests import it by putting ``scripts/`` on ``sys.path`` in their own
module (see tests/redaction/test_corpus_labels.py); there is exactly one copy.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from faker import Faker

from pupil_privacy.redaction.types import Person, Requester, Role, Subject

DEFAULT_SEED = 20261128
SCHOOL = "Oakfield Primary School"
SCHOOL_ADDRESS = "Oakfield Primary School, 1 School Lane, Northfield, NF1 2AB"
SCHOOL_PHONE = "0113 496 0000"
SCHOOL_DOMAIN = "oakfield.sch.uk"


class Owner(StrEnum):
    SUBJECT = "subject"
    REQUESTER = "requester"
    STAFF = "staff"
    KNOWN = "third-party-known"
    UNKNOWN = "third-party-unknown"
    CONTEXT = "identifying-context"
    WORD = "ordinary-word"
    NEUTRAL = "neutral"


THIRD_PARTY = frozenset({Owner.KNOWN, Owner.UNKNOWN})
#: Span kinds that are identifiers, not a person's name (the rest are names, in any form).
IDENTIFIER_KINDS = frozenset({
    "upn", "uln", "nhs-number", "ni-number", "phone", "mobile", "staff-private-phone",
    "email", "address", "addr", "pobox", "postcode", "date-of-birth", "school",
    "word-name-as-word", "identifying-context",
})  # fmt: skip


def is_person(span: Span) -> bool:
    """The span is a person's name (full, initials, title + surname, ...), not an identifier."""
    return span.kind.split(":")[0] not in IDENTIFIER_KINDS


KEPT = frozenset({Owner.SUBJECT, Owner.STAFF})

# Titles before a labelled surname, and the labels of identifier fields ("DOB: ..."), are not
# identifying; removing them with what they label is harmless, so they are scored neither way.
TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "dob", "upn", "uln"})
# Honorifics of other countries and peers' titles (scripts/devset.py), scored the same way.
TITLES |= frozenset(
    "kyria kyrios sra sr pani pan wro ato doamna domnul mevr dhr khanom agha mme m lord "  # noqa: SIM905
    "baroness sheikh".split()
)
# ... and those of scripts/devset_new.py.
TITLES |= frozenset(
    "fru herr sig ra zonja zoti xatun kak janab bibi sardar gospozha gospodin frau ibu "  # noqa: SIM905
    "bapak begum".split()
)


@dataclass(frozen=True)
class Span:
    """One labelled piece of a document: ``text == doc.text[start:end]``."""

    start: int
    end: int
    owner: Owner
    kind: str  # full-name, first-name, title-surname, possessive, upn, phone, ...
    text: str
    person: str = ""  # the identity key in its case (S, R, X, P1, U2, ...)
    origin: str = ""  # where the name comes from (british, polish, somali, ...)


@dataclass(frozen=True)
class Doc:
    """One generated record with its labels and the MIS knowledge it was written against."""

    doc_id: str
    kind: str
    text: str
    spans: tuple[Span, ...]
    subject: Subject
    roster: tuple[Person, ...]


# --- names --------------------------------------------------------------------------------
# (female first names, male first names, surnames) per origin; hand-built so the corpus
# covers the families a school in England actually has, not just Faker's en_GB list.
NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "british": (
        ("Olivia", "Amelia", "Isla", "Sophie", "Chloe", "Megan", "Lucy", "Ellie", "Freya"),
        ("Oliver", "Harry", "George", "Jack", "Thomas", "Alfie", "Callum", "Kieran", "Lewis"),
        (
            "Smith",
            "Taylor",
            "Davies",
            "Robinson",
            "Wright",
            "Thompson",
            "Hughes",
            "Gollan",
            "Pemberton",
            "Ashworth",
            "Whitfield",
            "Barraclough",
        ),
    ),
    "south-asian": (
        ("Aisha", "Priya", "Ananya", "Zara", "Fatima", "Simran", "Harleen", "Nadia", "Sana"),
        ("Arjun", "Rohan", "Mohammed", "Aryan", "Harjit", "Imran", "Vikram", "Zain", "Bilal"),
        (
            "Patel",
            "Khan",
            "Singh",
            "Hussain",
            "Begum",
            "Ahmed",
            "Sharma",
            "Chaudhry",
            "Iqbal",
            "Rahman",
            "Gill",
            "Mistry",
            "Banerjee",
        ),
    ),
    "polish": (
        ("Zofia", "Zuzanna", "Maja", "Oliwia", "Agnieszka", "Małgorzata", "Katarzyna"),
        ("Jakub", "Kacper", "Szymon", "Mateusz", "Wojciech", "Piotr", "Krzysztof", "Łukasz"),
        (
            "Nowak",
            "Kowalski",
            "Wiśniewski",
            "Wójcik",
            "Kowalczyk",
            "Kamiński",
            "Lewandowski",
            "Zieliński",
            "Woźniak",
            "Dąbrowski",
            "Grzybowski",
        ),
    ),
    "nigerian": (
        ("Chiamaka", "Adaeze", "Ngozi", "Folake", "Oluwaseun", "Temitope", "Ifeoma"),
        ("Chukwuemeka", "Oluwatobi", "Adebayo", "Emeka", "Tunde", "Obinna", "Ikenna"),
        (
            "Okafor",
            "Adeyemi",
            "Okonkwo",
            "Balogun",
            "Eze",
            "Nwosu",
            "Ogunleye",
            "Afolabi",
            "Oyelaran",
            "Chukwu",
        ),
    ),
    "somali": (
        ("Hodan", "Ayaan", "Faduma", "Hibo", "Sagal", "Ikran", "Nimco", "Hamdi"),
        ("Abdirahman", "Mahad", "Liban", "Abdullahi", "Guled", "Yusuf", "Abdiqani"),
        ("Warsame", "Jama", "Farah", "Osman", "Duale", "Egal", "Hersi", "Abdulle"),
    ),
    "chinese": (
        ("Mei", "Xinyi", "Yuting", "Jiayi", "Wen", "Xiu", "Ying", "Lihua"),
        ("Wei", "Jun", "Hao", "Zihan", "Yichen", "Haoran", "Ming", "Jian"),
        ("Wang", "Zhang", "Chen", "Liu", "Huang", "Zhou", "Lin", "Xu", "Guo"),
    ),
    "arabic": (
        ("Layla", "Mariam", "Noor", "Yasmin", "Huda", "Rania", "Salma", "Amira"),
        ("Omar", "Khalid", "Tariq", "Hamza", "Karim", "Samir", "Ibrahim", "Bilal"),
        (
            "Al-Sayed",
            "Haddad",
            "Mansour",
            "Nasser",
            "Al-Masri",
            "Khalil",
            "Saleh",
            "Abboud",
            "El-Amin",
            "Darwish",
        ),
    ),
    "irish": (
        ("Siobhán", "Aoife", "Niamh", "Ciara", "Róisín", "Saoirse", "Orla", "Gráinne"),
        ("Cian", "Oisín", "Pádraig", "Darragh", "Eoin", "Ciarán", "Seamus", "Tadhg"),
        (
            "O'Brien",
            "O'Connor",
            "O'Sullivan",
            "O'Neill",
            "McCarthy",
            "Murphy",
            "O'Donnell",
            "Byrne",
            "O'Reilly",
            "Ó Briain",
        ),
    ),
}
# First names that are also English words: the detector must judge them by context.
WORD_NAMES_F = ("Grace", "Summer", "Rose", "Hope", "Amber", "Faith")
WORD_NAMES_M = ("Will", "Mark", "Miles", "Frank")
PREFERRED = {"Oluwatobi": "Tobi", "Oluwaseun": "Seun", "Katarzyna": "Kasia",
             "Chukwuemeka": "Emeka", "Abdirahman": "Abdi", "Małgorzata": "Gosia",
             "Mohammed": "Mo", "Alexander": "Alex", "Krzysztof": "Krzyś"}  # fmt: skip
STREETS = ("Mill Lane", "Station Road", "Church Street", "Victoria Road", "Park Avenue",
           "Queens Drive", "Elm Close", "Brook Crescent", "Moor Lane", "Kings Way",
           "Chapel Street", "Hawthorn Grove", "Albert Terrace", "Beech Road")  # fmt: skip
TOWNS = ("Leeds", "Bradford", "Huddersfield", "Halifax", "Wakefield", "Dewsbury", "Batley",
         "Keighley", "Pudsey", "Otley")  # fmt: skip
MAIL_DOMAINS = ("gmail.com", "hotmail.co.uk", "outlook.com", "btinternet.com", "yahoo.co.uk")
TODAY = dt.date(2026, 6, 15)


# --- UK identifiers with real check characters ---------------------------------------------
_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def make_upn(rng: random.Random) -> str:
    """A UPN: check letter, LA code, school number, year, serial (DfE weights 2..13, mod 23)."""
    digits = f"{rng.randint(201, 938)}{rng.randint(2000, 7999)}{rng.randint(10, 24)}"
    digits += f"{rng.randint(1, 999):03d}"
    total = sum(int(d) * w for d, w in zip(digits, range(2, 14), strict=True))
    return _UPN_LETTERS[total % 23] + digits


def _mod11_number(rng: random.Random, check: Callable[[int], int | None]) -> str:
    while True:
        body = [rng.randint(0, 9) for _ in range(9)]
        if body[0] == 0:
            continue
        total = sum(d * w for d, w in zip(body, range(10, 1, -1), strict=True))
        digit = check(total % 11)
        if digit is not None:
            return "".join(map(str, body)) + str(digit)


def make_nhs(rng: random.Random) -> str:
    """An NHS number, written 3-3-4 (mod 11; a check of 10 is never issued)."""
    raw = _mod11_number(rng, lambda r: None if r == 1 else (0 if r == 0 else 11 - r))
    return f"{raw[:3]} {raw[3:6]} {raw[6:]}"


def make_uln(rng: random.Random) -> str:
    """A ULN: 10 digits, the last = 10 - (weighted sum mod 11), weights 10..2."""
    return _mod11_number(rng, lambda r: None if r == 0 else 10 - r)


def make_nino(rng: random.Random) -> str:
    """A National Insurance number with a prefix HMRC allocates, written with spaces."""
    first = "ABCEGHJKLMNOPRSTWXYZ"
    second = "ABCEGHJKLMNPRSTWXYZ"
    while True:
        prefix = rng.choice(first) + rng.choice(second)
        if prefix not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
            break
    nums = f"{rng.randint(0, 999999):06d}"
    return f"{prefix} {nums[:2]} {nums[2:4]} {nums[4:]} {rng.choice('ABCD')}"


def make_phone(rng: random.Random, mobile: bool) -> str:
    """A UK number from Ofcom's drama ranges, in one of the forms people write."""
    if mobile:
        tail = f"{rng.randint(0, 999):03d}"
        forms = (f"07700 900{tail}", f"07700900{tail}", f"+44 7700 900{tail}",
                 f"+44 (0)7700 900{tail}", f"07700-900-{tail}")  # fmt: skip
    else:
        tail = f"{rng.randint(1, 999):03d}"
        forms = (f"0113 496 0{tail}", f"(0161) 496 0{tail}", f"020 7946 0{tail}",
                 f"01632 960{tail}", f"0161 4960{tail}")  # fmt: skip
    return rng.choice(forms)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return re.sub(r"[^a-z]", "", folded.encode("ascii", "ignore").decode().lower())


# --- identities ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Identity:
    key: str
    owner: Owner
    first: str
    last: str
    title: str
    origin: str
    role: Role | None  # None: unknown to the MIS
    relation: str = ""
    preferred: str | None = None
    phone: str = ""
    mobile: str = ""  # a staff member's private number (rule 11)
    email: str = ""
    street: str = ""
    town: str = ""
    postcode: str = ""
    dob: dt.date | None = None
    upn: str = ""
    uln: str = ""
    nhs: str = ""
    nino: str = ""

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def address(self) -> str:
        return f"{self.street}, {self.town}"

    def person(self) -> Person:
        assert self.role is not None
        return Person(
            name=self.full,
            role=self.role,
            id=self.key,
            aliases=(self.preferred,) if self.preferred else (),
            upn=self.upn or None,
            email=self.email or None,
            phone=(self.mobile or self.phone) or None,
            address=f"{self.address}, {self.postcode}" if self.street else None,
            date_of_birth=self.dob,
        )


@dataclass
class _Namer:
    """Draws names without repeating a first name or surname inside one case."""

    rng: random.Random
    used_first: set[str] = field(default_factory=set)
    used_last: set[str] = field(default_factory=set)

    def origin(self) -> str:
        return self.rng.choice(list(NAMES))

    def first(self, origin: str, female: bool, word_name: bool = False) -> str:
        pool: tuple[str, ...] = WORD_NAMES_F if female else WORD_NAMES_M
        if not word_name:
            pool = NAMES[origin][0 if female else 1]
        choices = [n for n in pool if n not in self.used_first] or list(pool)
        name = self.rng.choice(choices)
        self.used_first.add(name)
        return name

    def last(self, origin: str, female: bool) -> str:
        pool = [n for n in NAMES[origin][2] if n not in self.used_last] or list(NAMES[origin][2])
        name = self.rng.choice(pool)
        if self.rng.random() < 0.12:  # a double-barrelled family name
            other = self.rng.choice(NAMES[self.origin()][2])
            if "-" not in name + other and " " not in name + other and other != name:
                name = f"{name}-{other}"
        self.used_last.add(name)
        return name


def gendered(surname: str, female: bool) -> str:
    """The form of a family name a man or a woman bears (Kowalski / Kowalska, Ó / Ní)."""
    if surname == "Ó Briain":
        return "Ní Bhriain" if female else surname
    parts = surname.split("-")
    if female:
        parts = [p[:-1] + "a" if p.endswith(("ski", "cki")) else p for p in parts]
    return "-".join(parts)


def _dob(rng: random.Random, age_from: int, age_to: int) -> dt.date:
    year = TODAY.year - rng.randint(age_from, age_to)
    return dt.date(year, rng.randint(1, 12), rng.randint(1, 28))


def _contact(rng: random.Random, fake: Faker, first: str, last: str) -> dict[str, Any]:
    sep = rng.choice((".", "_", ""))
    return {
        "phone": make_phone(rng, mobile=rng.random() < 0.75),
        "email": f"{_ascii(first)}{sep}{_ascii(last)}{rng.randint(1, 99)}@"
        + rng.choice(MAIL_DOMAINS),
        "street": f"{rng.randint(1, 240)} {rng.choice(STREETS)}",
        "town": rng.choice(TOWNS),
        "postcode": fake.postcode(),
    }


@dataclass(frozen=True)
class Case:
    """One pupil's family, classmates and staff: everything a document draws on."""

    number: int
    people: dict[str, Identity]
    subject: Subject
    roster: tuple[Person, ...]


def make_case(number: int, rng: random.Random, fake: Faker) -> Case:
    """One pupil's world: family (one separated parent), classmates, staff, and strangers."""
    namer = _Namer(rng)
    people: dict[str, Identity] = {}
    origin = namer.origin()
    family = namer.last(origin, False)
    _family(people, namer, origin, family, rng, fake)
    p1_family = ""
    for key in ("P1", "P2", "P3"):
        o, fem = namer.origin(), rng.random() < 0.5
        first = namer.first(o, fem, word_name=rng.random() < 0.25)
        base = namer.last(o, fem)
        p1_family = p1_family or base
        people[key] = Identity(
            key, Owner.KNOWN, first, gendered(base, fem), "", o, Role.PUPIL, "pupil",
            dob=_dob(rng, 6, 15), upn=make_upn(rng), nhs=make_nhs(rng),
        )  # fmt: skip
    p1 = people["P1"]
    people["Q1"] = Identity(
        "Q1", Owner.KNOWN, namer.first(p1.origin, True), gendered(p1_family, True), "Mrs",
        p1.origin, Role.PARENT, "mother", phone=make_phone(rng, True),
    )  # fmt: skip
    for key, title in (("T1", "Mrs"), ("T2", "Mr"), ("T3", "Ms"), ("D1", "Dr")):
        o, fem = namer.origin(), title != "Mr" and (title != "Dr" or rng.random() < 0.5)
        first, last = namer.first(o, fem), gendered(namer.last(o, fem), fem)
        staff = key != "D1"  # D1: the GP or paediatrician, a professional outside school
        people[key] = Identity(
            key, Owner.STAFF, first, last, title, o, Role.STAFF if staff else Role.OTHER,
            "staff" if staff else "doctor",
            email=f"{_ascii(first)[0]}.{_ascii(last)}@{SCHOOL_DOMAIN}" if staff else "",
            mobile=make_phone(rng, True) if key == "T1" else "",
        )  # fmt: skip
    for key, relation in (("U1", "neighbour"), ("U2", "cousin"), ("U3", "partner")):
        o, fem = namer.origin(), relation == "neighbour" and rng.random() < 0.5
        first = namer.first(o, fem, word_name=rng.random() < 0.15)
        last = gendered(namer.last(o, fem), fem)
        people[key] = Identity(
            key, Owner.UNKNOWN, first, last, "Mrs" if fem else "Mr", o, None, relation,
            **_contact(rng, fake, first, last),
        )  # fmt: skip
    roster = tuple(p.person() for p in people.values() if p.role is not None)
    return Case(number, people, _subject(people), roster)


def _family(
    people: dict[str, Identity],
    namer: _Namer,
    origin: str,
    family: str,
    rng: random.Random,
    fake: Faker,
) -> None:
    """The pupil, the mother who asks, and the separated father (a third party, rule 12)."""
    home = _contact(rng, fake, "x", "x")
    s_female = rng.random() < 0.5
    s_first = namer.first(origin, s_female, word_name=rng.random() < 0.2)
    people["S"] = Identity(
        "S", Owner.SUBJECT, s_first, gendered(family, s_female), "", origin, Role.PUPIL,
        "pupil", preferred=PREFERRED.get(s_first), street=home["street"], town=home["town"],
        postcode=home["postcode"], dob=_dob(rng, 6, 15), upn=make_upn(rng), uln=make_uln(rng),
        nhs=make_nhs(rng),
    )  # fmt: skip
    first = namer.first(origin, True)
    people["R"] = Identity(
        "R", Owner.REQUESTER, first, gendered(family, True), rng.choice(("Mrs", "Ms", "Miss")),
        origin, Role.PARENT, "mother", phone=make_phone(rng, True),
        email=_contact(rng, fake, first, family)["email"], street=home["street"],
        town=home["town"], postcode=home["postcode"], nino=make_nino(rng),
    )  # fmt: skip
    first = namer.first(origin, False)
    last = family if rng.random() < 0.5 else namer.last(origin, False)
    people["X"] = Identity(
        "X", Owner.KNOWN, first, last, "Mr", origin, Role.PARENT, "father",
        **_contact(rng, fake, first, last), nino=make_nino(rng),
    )  # fmt: skip


def _subject(people: dict[str, Identity]) -> Subject:
    s, r = people["S"], people["R"]
    return Subject(
        id=s.key,
        name=s.full,
        preferred_name=s.preferred,
        date_of_birth=s.dob,
        upn=s.upn,
        address=f"{s.address}, {s.postcode}",
        requester=Requester(r.full, "mother", r.email, r.phone, f"{r.address}, {r.postcode}"),
    )


# --- rendering -----------------------------------------------------------------------------
_PLACEHOLDER = re.compile(r"\{(\w+)(?:\.(\w+))?(?::([^{}]*))?\}")


class Named(Protocol):
    """Whoever a span belongs to: an :class:`Identity` here, a ``devset.Who`` there."""

    @property
    def key(self) -> str: ...

    @property
    def origin(self) -> str: ...


class Builder:
    """A document's text written piece by piece, with a :class:`Span` for each labelled one."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[Span] = []
        self.pos = 0

    def text(self, value: str) -> None:
        self.parts.append(value)
        self.pos += len(value)

    def span(self, value: str, owner: Owner, kind: str, who: Named | None = None) -> None:
        person, origin = (who.key, who.origin) if who else ("", "")
        self.spans.append(Span(self.pos, self.pos + len(value), owner, kind, value, person, origin))
        self.text(value)


def _date(d: dt.date, long: bool) -> str:
    return f"{d.day} {d.strftime('%B %Y')}" if long else d.strftime("%d/%m/%Y")


def _identity_field(b: Builder, who: Identity, attr: str) -> None:
    """Write one attribute of a person, labelling the identifying part only."""
    own = who.owner
    if attr == "full":
        b.span(who.full, own, "full-name", who)
    elif attr in ("first", "pref"):
        name = (who.preferred or who.first) if attr == "pref" else who.first
        b.span(name, own, "preferred-name" if name != who.first else "first-name", who)
    elif attr == "last":
        b.span(who.last, own, "surname", who)
    elif attr in ("title", "tposs"):
        b.text(f"{who.title} ")
        b.span(who.last, own, "title-surname", who)
        if attr == "tposs":
            b.text("'s")
    elif attr == "titlefull":
        b.text(f"{who.title} ")
        b.span(who.full, own, "title-full-name", who)
    elif attr == "poss":
        b.span(who.preferred or who.first, own, "possessive", who)
        b.text("'s")
    elif attr == "upper":
        b.span(who.full.upper(), own, "upper-case", who)
    elif attr == "split":
        b.span(f"{who.first}\n{who.last}", own, "split-name", who)
    elif attr == "mobile":  # a teacher's own phone is private (rule 11)
        b.span(who.mobile, Owner.KNOWN, "staff-private-phone", who)
    elif attr == "addr":
        b.span(who.address, own, "address", who)
    elif attr in ("dob", "dobtext"):
        assert who.dob is not None
        b.span(_date(who.dob, attr == "dobtext"), own, "date-of-birth", who)
    else:
        value = getattr(who, {"ni": "nino"}.get(attr, attr))
        kinds = {"ni": "ni-number", "nhs": "nhs-number"}
        b.span(value, own, kinds.get(attr, attr), who)


def fill(
    template: str, write: Callable[[Builder, str, str | None, str | None], None]
) -> tuple[str, list[Span]]:
    """The template's text with each ``{key.attr:literal}`` placeholder written by ``write``."""
    b = Builder()
    last = 0
    for m in _PLACEHOLDER.finditer(template):
        b.text(template[last : m.start()])
        last = m.end()
        write(b, m.group(1), m.group(2), m.group(3))
    b.text(template[last:])
    return "".join(b.parts), b.spans


def render(template: str, case: Case, rng: random.Random) -> tuple[str, list[Span]]:
    """Fill a template; ``{P1.full}`` names a person's attribute, ``{word:summer}`` a
    name-like word used as a word, ``{ctx:...}`` identifying context, ``{date}`` a record date.
    """
    return fill(template, functools.partial(_placeholder, case, rng))


def _placeholder(
    case: Case, rng: random.Random, b: Builder, key: str, attr: str | None, literal: str | None
) -> None:
    if key == "word":
        b.span(literal or "", Owner.WORD, "word-name-as-word")
    elif key == "ctx":
        b.span(literal or "", Owner.CONTEXT, "identifying-context")
    elif key == "school":
        b.span(SCHOOL_ADDRESS if attr == "addr" else SCHOOL_PHONE, Owner.NEUTRAL, "school")
    elif key == "date":
        day = dt.date(2025, 9, 3) + dt.timedelta(days=rng.randint(0, 280))
        b.text(_date(day, rng.random() < 0.3))
    else:
        _identity_field(b, case.people[key], attr or "full")


# --- document kinds ------------------------------------------------------------------------
# Each kind is a list of slots; each slot a list of alternative lines, one drawn per doc.
# "she" / "he" agreement is kept neutral ("they") so one line fits every pupil.
TRAPS = (
    "Targets for the {word:summer} term were agreed with the class.",
    "We {word:hope} the new seating plan helps everyone settle.",
    "Attendance {word:rose} to 96% after the meeting.",
    "The decision was accepted with good {word:grace}.",
    "{word:Will} you let us know if anything changes at home?",
    "The {word:mark} scheme for the spelling test was shared with families.",
    "An {word:amber} card was given under the behaviour policy.",
    "The class walked two {word:miles} for the sponsored walk.",
    "Staff were {word:frank} with the family about the concerns.",
    "Year 2 led {word:Grace} before lunch.",
    "The {word:Rose} Room is used for small-group reading.",
    "The {word:faith} assembly is on Thursday afternoon.",
)
CONTEXTS = (
    "{ctx:her dad, who drives the blue taxi on the school run}",
    "{ctx:the lady who runs the corner shop opposite the school gates}",
    "{ctx:his uncle, the PCSO who covers the estate}",
    "{ctx:the only girl in Year 6 who plays for the county under-12s}",
    "{ctx:mum's new partner, who works at the tyre garage by the bus station}",
    "{ctx:the dinner lady whose son was excluded last year}",
)

KINDS: dict[str, list[list[str]]] = {
    "behaviour-log": [
        ["Behaviour log: {S.full} (Year 5)\nDate: {date}  Logged by: {T1.title}\n\n"],
        [
            "At lunch {S.pref} and {P1.full} argued over a football; {P1.first} pushed "
            "{S.pref} and {S.pref} hit back. ",
            "During PE {P1.full} called {S.pref} names and {S.pref} threw a bean bag at "
            "{P1.first}. ",
        ],
        [
            "{T2.title} separated them and spoke to both pupils. ",
            "{T2.full} took both pupils to the reflection room. ",
        ],
        [
            "{P1.poss} mum, {Q1.title}, was phoned on {Q1.phone}. ",
            "{Q1.full} was told at pick-up and was unhappy. ",
        ],
        [
            "Witness: {P2.full}, who said {P2.first} had seen it from the bench. ",
            "Witness: {P2.full} (UPN {P2.upn}), who was on the bench. ",
            "{P2.full} and {P3.first} said {P1.first} started it. ",
        ],
        [
            "Sanction: reflection time with {T1.title}. {R.title} informed by phone on {R.phone}.",
            "Parent informed: {R.titlefull} ({R.email}).",
        ],
    ],
    "safeguarding-chronology": [
        [
            "SAFEGUARDING CHRONOLOGY - CONFIDENTIAL\nPupil: {S.full}  DOB: {S.dob}  UPN: {S.upn}\n"
            "DSL: {T1.full}\n\n"
        ],
        [
            "{date}: {S.pref} told {T2.title} that {U3.first}, mum's new partner, shouted and "
            "threw a mug. {U3.full} is not known to school.\n",
            "{date}: {S.pref} said {U3.full} has moved in with them. {U3.first} collects "
            "{S.pref} on Fridays.\n",
        ],
        [
            "{date}: Call from the neighbour, {U1.titlefull}, of {U1.addr}, {U1.postcode}, "
            "who heard shouting late at night. Number given: {U1.phone}.\n",
            "{date}: The neighbour {U1.full} ({U1.phone}) rang to say {S.pref} was outside "
            "alone at 9pm.\n",
        ],
        [
            "{date}: {X.full} (father, no-contact order) seen at the gate; his address on "
            "file is {X.addr}, {X.postcode}. {T1.title} informed police.\n",
            "{date}: {X.title} phoned from {X.phone} asking to collect {S.pref}; refused under "
            "the court order. He lives at {X.addr}.\n",
            "{date}: ALERT - {X.upper} MUST NOT COLLECT {S.upper}. Photo at reception.\n",
        ],
        ["{date}: {S.pref} said that " + c + ", had given them a lift home.\n" for c in CONTEXTS],
        [
            "{date}: Referral to MASH by {T1.full}. NHS number {S.nhs} shared with the "
            "school nurse.\n",
            "{date}: Cousin {U2.full} (aged 17) is now staying at the house; {U2.first} "
            "has been waiting at the gate.\n",
        ],
    ],
    "teacher-report": [
        ["END OF YEAR REPORT\nPupil: {S.full}\nClass teacher: {T1.full}\n\n"],
        [
            "{S.pref} has worked hard this year and will move to Year 6 with confidence. ",
            "{S.pref} has made steady progress and will keep building on it next year. ",
        ],
        [
            "In group tasks {S.pref} works well with {P1.first} and {P2.first}. ",
            "{S.pref} and {P2.full} wrote a fine play together. ",
            "{S.pref} sometimes finds it hard to sit near {P3.full}. ",
        ],
        [
            "Reading: {S.poss} reading age is now above the expected level. ",
            "Maths: {S.pref} knows the times tables to 12. ",
        ],
        ["Signed: {T1.title} (class teacher), {T3.title} (headteacher)."],
    ],
    "sen-review": [
        [
            "ANNUAL REVIEW OF EHC PLAN\nPupil: {S.full}  UPN: {S.upn}  ULN: {S.uln}\n"
            "Present: {R.full} (mother), {T3.full} (SENCo), {D1.titlefull} (community "
            "paediatrician)\n\n"
        ],
        [
            "- {S.pref} has made progress with phonics and now reads simple books.\n",
            "- {S.pref} uses a visual timetable and a calm box in class.\n",
        ],
        [
            "- {R.first} said {S.poss} half-brother {U2.full} stays at weekends.\n",
            "- {R.title} asked that {X.full} is not sent copies; his email is {X.email}.\n",
        ],
        [
            "- {P3.full} is {S.poss} reading buddy; {P3.poss} patience has helped.\n",
            "- {S.pref} was upset by {P1.full}, who sits on the same table.\n",
        ],
        [
            "- Contact for the review: {R.email}, {R.phone}. Mother's NI number for the DLA "
            "form: {R.ni}.\n",
            "- Father's NI number on the old DLA form ({X.ni}) to be removed from file.\n",
        ],
    ],
    "parent-email": [
        [
            "From: {R.full} <{R.email}>\nTo: {T1.email}\nSubject: {S.pref} and the trip\n\n"
            "Dear {T1.title},\n\n"
        ],
        [
            "{S.pref} came home upset because {P1.full} told everyone about our family. ",
            "{S.pref} says {P2.first} keeps taking their lunch. ",
        ],
        [
            "Please note {X.first} is not allowed to collect; his new number is {X.phone}. ",
            "My neighbour {U1.first} will pick {S.pref} up on Friday. ",
            "My partner {U3.full} will come to parents' evening with me. ",
        ],
        ["\n\nKind regards\n{R.first}\n{R.phone}\n\n"],
        [
            "On {date}, {T1.full} <{T1.email}> wrote:\n> Dear {R.title},\n> I will speak to "
            "{P1.first} and {P1.poss} mum, {Q1.full}, tomorrow.\n> {T1.full}\n"
            "> Class teacher, " + SCHOOL + "\n> Mobile (term time only): {T1.mobile}\n",
            "On {date}, {T1.full} wrote:\n> Thank you, {R.first}. I have noted that "
            "{X.full} must not collect.\n> {T1.title}\n",
        ],
    ],
    "medical-note": [
        [
            "MEDICAL NOTE\nPupil: {S.full}  DOB: {S.dobtext}  NHS no: {S.nhs}\n"
            "GP: {D1.titlefull}\n\n"
        ],
        [
            "{S.pref} has asthma; the inhaler is kept in the medical room. ",
            "{S.pref} has a peanut allergy; two adrenaline pens are in the office. ",
        ],
        [
            "{date}: given Calpol after a headache, with consent from {R.full} ({R.phone}). ",
            "{date}: first aid by {T2.full} after a fall in the playground. ",
        ],
        [
            "{P2.first} was seen after the same game; {P2.poss} NHS number {P2.nhs} was "
            "noted here in error. ",
            "{P3.full} (DOB {P3.dob}) was also sent home with the same symptoms. ",
        ],
    ],
    "attendance-letter": [
        [
            "{school.addr}\nTel: {school.phone}\n\n{R.titlefull}\n{S.addr}\n{S.postcode}\n\n"
            "Dear {R.title},\n\n"
        ],
        ["Re: {S.full}, date of birth {S.dobtext}\n\n"],
        [
            "{S.poss} attendance this term is 88%, below the 95% we expect. ",
            "{S.pref} has missed eleven sessions this half term. ",
        ],
        [
            "Please contact {T2.full}, our attendance officer, to arrange a meeting. ",
            "{T2.title} will call you to arrange a meeting. ",
        ],
        [
            "\n\nYours sincerely\n{T3.full}\nHeadteacher\n\ncc: {X.titlefull}, {X.addr}, "
            "{X.postcode}",
            "\n\nYours sincerely\n{T3.title}\nHeadteacher",
        ],
    ],
    "typed-note": [
        ["note {date} - "],
        [
            "{S.pref} and {P1.full} fighting at lunch again, {T2.title} split them up. ",
            "{S.pref} upset, said {P1.first} and {P2.first} left them out at break. ",
        ],
        [
            "{P1.first} says {S.poss} dad was at the gate shouting. ",
            "{S.pref} said {U2.first} (cousin) showed them a video. ",
        ],
        ["told {R.title} at pick up. ", "rang {Q1.title} on {Q1.phone}, no answer. "],
    ],
    "wrapped-note": [
        ["Incident note, {date}. "],
        [
            "{S.pref} told {T1.title} that {P1.split} had taken their phone and shown "
            "messages from {U1.split}, a neighbour, to the class. ",
            "{T2.full} saw {P2.split} and {S.pref} arguing near the gate where {U3.split} "
            "was waiting in a van. ",
        ],
        [
            "{Q1.full} was informed on {Q1.phone}. ",
            "{R.titlefull} was informed. ",
            "{X.full} rang from {X.phone} to ask about it. ",
        ],
    ],
}


def _draw_template(kind: str, rng: random.Random) -> str:
    lines = [rng.choice(slot) for slot in KINDS[kind]]
    lines.insert(rng.randint(1, len(lines) - 1), rng.choice(TRAPS) + " ")
    if kind in ("behaviour-log", "teacher-report", "sen-review") and rng.random() < 0.5:
        context = "{S.pref} is worried about " + rng.choice(CONTEXTS) + ". "
        lines.insert(len(lines) - 1, context)
    return "".join(lines)


def _wrap(text: str, width: int) -> str:
    """Hard-wrap by turning spaces into newlines: offsets (and labels) stay valid."""
    out = list(text)
    col = 0
    for i, ch in enumerate(text):
        col = 0 if ch == "\n" else col + 1
        if ch == " " and col > width:
            out[i] = "\n"
            col = 0
    return "".join(out)


def make_doc(case: Case, kind: str, rng: random.Random) -> Doc:
    text, spans = render(_draw_template(kind, rng), case, rng)
    if kind == "typed-note":
        lowered = text.lower()
        assert len(lowered) == len(text)
        spans = [Span(s.start, s.end, s.owner, s.kind + ":lower", lowered[s.start : s.end],
                      s.person, s.origin) for s in spans]  # fmt: skip
        text = lowered
    elif kind == "wrapped-note":
        text = _wrap(text, rng.randint(28, 50))
        spans = [Span(s.start, s.end, s.owner, s.kind, text[s.start : s.end], s.person,
                      s.origin) for s in spans]  # fmt: skip
    doc_id = f"case{case.number:03d}-{kind}"
    return Doc(doc_id, kind, text, tuple(spans), case.subject, case.roster)


def generate(cases: int = 30, seed: int = DEFAULT_SEED) -> list[Doc]:
    """Every document kind for each of ``cases`` pupils; the same seed gives the same corpus."""
    return list(iter_docs(cases, seed))


def iter_docs(cases: int, seed: int = DEFAULT_SEED) -> Iterator[Doc]:
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    for number in range(cases):
        case = make_case(number, rng, fake)
        for kind in KINDS:
            yield make_doc(case, kind, rng)


def ordinary_words(doc: Doc) -> list[tuple[int, int]]:
    """Offsets of every word outside a labelled span: these must all be kept.

    Titles before a surname, and the "s" of a possessive, are scored neither way.
    """
    covered = bytearray(len(doc.text))
    for s in doc.spans:
        end = s.end
        if doc.text[end : end + 1] in ("'", "\u2019"):
            end += 2  # the "s" of "Jake's"
        covered[s.start : end] = b"\x01" * (end - s.start)
    words = []
    for m in re.finditer(r"[^\W_]+", doc.text):
        if any(covered[m.start() : m.end()]) or m.group().lower() in TITLES:
            continue
        words.append((m.start(), m.end()))
    return words


def spans_by_owner(docs: Sequence[Doc], owners: frozenset[Owner]) -> Iterator[tuple[Doc, Span]]:
    for doc in docs:
        for span in doc.spans:
            if span.owner in owners:
                yield doc, span


# --- scoring -------------------------------------------------------------------------------
Marks = tuple[Sequence[tuple[int, int]], Sequence[tuple[int, int]]]  # (removed, flagged)


def _mask(length: int, ranges: Sequence[tuple[int, int]]) -> bytearray:
    mask = bytearray(length)
    for start, end in ranges:
        start, end = max(0, start), min(length, end)
        if end > start:
            mask[start:end] = b"\x01" * (end - start)
    return mask


def fully_covered(text: str, mask: bytearray, start: int, end: int) -> bool:
    """A span is removed when every one of its non-space characters is removed."""
    return all(mask[i] or text[i].isspace() for i in range(start, end))


@dataclass
class Tally:
    """Counts for one contender over a set of documents."""

    third_total: int = 0
    third_removed: int = 0
    unknown_total: int = 0  # the part of the above the MIS does not know (rule 10)
    unknown_removed: int = 0
    person_total: int = 0  # the part of the above that names a person (issue 9's recall)
    person_removed: int = 0
    kept_total: int = 0  # the pupil's and staff identifiers
    kept_ok: int = 0
    requester_total: int = 0
    requester_ok: int = 0
    words_total: int = 0  # ordinary words, name-like words used as words included
    words_ok: int = 0
    traps_total: int = 0
    traps_ok: int = 0
    context_total: int = 0
    context_flagged: int = 0
    missed: list[tuple[Doc, Span]] = field(default_factory=list)  # third party left in
    destroyed: list[tuple[Doc, Span]] = field(default_factory=list)  # kept data removed
    words_lost: list[tuple[Doc, int, int]] = field(default_factory=list)
    unflagged: list[tuple[Doc, Span]] = field(default_factory=list)  # context not flagged

    def add(self, doc: Doc, marks: Marks) -> None:
        removed = _mask(len(doc.text), marks[0])
        flagged = _mask(len(doc.text), [*marks[0], *marks[1]])
        for span in doc.spans:
            touched = any(removed[span.start : span.end])
            if span.owner in THIRD_PARTY:
                self.third_total += 1
                self.unknown_total += span.owner == Owner.UNKNOWN
                self.person_total += is_person(span)
                if fully_covered(doc.text, removed, span.start, span.end):
                    self.third_removed += 1
                    self.unknown_removed += span.owner == Owner.UNKNOWN
                    self.person_removed += is_person(span)
                else:
                    self.missed.append((doc, span))
            elif span.owner in KEPT or span.owner == Owner.REQUESTER:
                if span.owner == Owner.REQUESTER:
                    self.requester_total += 1
                    self.requester_ok += not touched
                else:
                    self.kept_total += 1
                    self.kept_ok += not touched
                if touched:
                    self.destroyed.append((doc, span))
            elif span.owner == Owner.WORD:
                self.traps_total += 1
                self.traps_ok += not touched
                self.words_total += 1
                self.words_ok += not touched
                if touched:
                    self.words_lost.append((doc, span.start, span.end))
            elif span.owner == Owner.CONTEXT:
                self.context_total += 1
                if any(flagged[span.start : span.end]):
                    self.context_flagged += 1
                else:
                    self.unflagged.append((doc, span))
        for start, end in ordinary_words(doc):
            self.words_total += 1
            if any(removed[start:end]):
                self.words_lost.append((doc, start, end))
            else:
                self.words_ok += 1

    @staticmethod
    def share(part: int, total: int) -> float:
        return part / total if total else 1.0
