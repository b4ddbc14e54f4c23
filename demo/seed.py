"""Build the demo school deterministically: the same seed gives the same people and records.

Faker (en_GB, seeded) supplies phone numbers, e-mail domains and the people the MIS does not
know; the hand-built pools in :mod:`.names` supply the school's names, so families from many
origins are in the class lists. Dates are counted back from ``today`` so ages stay true.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace

from faker import Faker

from pupil_privacy.worker.mis import UserRole

from . import media
from . import record_files as files
from . import records as texts
from .cast import Cast, Pronouns, cast_for
from .identifiers import make_upn
from .names import POOLS
from .school import (
    DemoAccount,
    DemoRecord,
    Facts,
    Family,
    Guardian,
    GuardianLink,
    Professional,
    Pupil,
    School,
    SchoolClass,
    StaffMember,
)

DEFAULT_SEED = 2026
SCHOOL_NAME = "Riverside Academy"
SCHOOL_DOMAIN = "riverside-academy.example"
TOWN = "Westmoor"
POSTCODE_AREA = "WF"
LA_CODE = "384"  # three digits of the local authority in the UPN
DFE_NUMBER = "4012"

_STREETS = (
    "Alder Close",
    "Station Road",
    "Mill Lane",
    "Chapel Street",
    "Victoria Terrace",
    "Beechwood Avenue",
    "Canal Side",
    "Hawthorn Rise",
    "Church View",
    "Moorland Drive",
    "Quarry Hill",
    "Wharf Street",
    "Larch Grove",
    "Prospect Place",
    "Tanner's Row",
)
_OTHER_TOWNS = ("Castleford", "Ossett", "Horbury", "Normanton")
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters Royal Mail uses in the inward code
_PREFERRED = {"Oluwaseun": "Seun", "Babatunde": "Tunde", "Mohamed": "Mo", "Magdalena": "Magda"}


@dataclass(frozen=True)
class _GuardianSpec:
    relationship: str
    sex: str
    origin: str | None = None  # None: the family's origin
    own_surname: bool = False  # e.g. a mother who went back to her own name
    parental_responsibility: bool = True
    court_order: bool = False
    no_contact: bool = False
    lives_apart: bool = False
    username: str | None = None


@dataclass(frozen=True)
class _FamilySpec:
    key: str
    shape: str
    origin: str
    ages: tuple[int, ...]
    guardians: tuple[_GuardianSpec, ...]


# The families are fixed stories; only the names, numbers and addresses come from the seed.
_FAMILY_SPECS = (
    _FamilySpec(
        "f1",
        "two parents",
        "nigerian",
        (14, 9),
        (_GuardianSpec("mother", "F", username="parent"), _GuardianSpec("father", "M")),
    ),
    _FamilySpec(
        "f2",
        "separated",
        "english",
        (12, 8),
        (
            _GuardianSpec("mother", "F", "irish_scottish", own_surname=True, username="separated"),
            _GuardianSpec(
                "father",
                "M",
                court_order=True,
                no_contact=True,
                lives_apart=True,
                username="nocontact",
            ),
        ),
    ),
    _FamilySpec(
        "f3",
        "special guardian",
        "indian",
        (16, 11),
        (_GuardianSpec("grandmother (special guardian)", "F", username="carer"),),
    ),
    _FamilySpec(
        "f4",
        "step-parent",
        "vietnamese",
        (15,),
        (
            _GuardianSpec("mother", "F"),
            _GuardianSpec(
                "step-father",
                "M",
                "caribbean",
                own_surname=True,
                parental_responsibility=False,
                username="stepparent",
            ),
        ),
    ),
    _FamilySpec(
        "f5",
        "two parents",
        "pakistani",
        (17, 10),
        (_GuardianSpec("mother", "F"), _GuardianSpec("father", "M")),
    ),
    _FamilySpec("f6", "single parent", "polish", (13,), (_GuardianSpec("father", "M"),)),
)

# (job, role, fixed username or None)
_STAFF_JOBS = (
    ("Head teacher", UserRole.STAFF, "head"),
    ("Deputy head and designated safeguarding lead", UserRole.DSL, "dsl"),
    ("Data protection officer and business manager", UserRole.DPO, "dpo"),
    ("SENCO", UserRole.STAFF, "senco"),
    ("School nurse", UserRole.STAFF, "nurse"),
    ("Office manager", UserRole.ADMIN, "admin"),
    ("Receptionist", UserRole.STAFF, "reception"),
)
_STAFF_ORIGINS = (
    "english",
    "welsh",
    "ghanaian",
    "irish_scottish",
    "chinese",
    "turkish_kurdish",
    "somali",
    "english",
    "caribbean",
    "romanian",
    "indian",
    "welsh",
    "english",
    "nigerian",
    "pakistani",
    "polish",
    "english",
)


class _Namer:
    """Draws unused names from the pools so nobody in the school shares a full name."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used_first: set[str] = set()
        self.used_full: set[str] = set()

    def first(self, origin: str, sex: str) -> str:
        pool = POOLS[origin]
        names = [n for n in (pool.female if sex == "F" else pool.male) if n not in self.used_first]
        name = self.rng.choice(names)
        self.used_first.add(name)
        return name

    def surname(self, origin: str) -> str:
        free = [s for s in POOLS[origin].surnames if s not in self.used_full]
        name = self.rng.choice(free)
        self.used_full.add(name)
        return name


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in folded.lower() if c.isalnum() or c == ".")


def username_for(first: str, last: str) -> str:
    return _ascii(f"{first}.{last}")


class _Builder:
    """Holds the seeded random sources while the school is put together."""

    def __init__(self, seed: int, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)
        self.today = today
        self.names = _Namer(self.rng)
        self.streets = list(_STREETS)
        self.rng.shuffle(self.streets)

    def postcode(self) -> str:
        letters = "".join(self.rng.choice(_INWARD_LETTERS) for _ in range(2))
        return f"{POSTCODE_AREA}{self.rng.randint(1, 14)} {self.rng.randint(1, 9)}{letters}"

    def address(self, town: str = TOWN) -> str:
        street = self.streets.pop()
        return f"{self.rng.randint(2, 98)} {street}, {town}, {self.postcode()}"

    def mobile(self) -> str:
        return str(self.fake.cellphone_number())

    def school_phone(self) -> str:
        return f"01632 960{self.rng.randint(100, 999)}"

    def date_of_birth(self, age: int) -> dt.date:
        try:
            birthday = self.today.replace(year=self.today.year - age)
        except ValueError:  # 29 February
            birthday = self.today.replace(year=self.today.year - age, day=28)
        return birthday - dt.timedelta(days=self.rng.randint(1, 360))

    def year_group(self, dob: dt.date) -> int:
        start = self.today.year if self.today.month >= 9 else self.today.year - 1
        cutoff = dt.date(start, 8, 31)
        age = cutoff.year - dob.year - int((cutoff.month, cutoff.day) < (dob.month, dob.day))
        return age - 4  # five on 1 September: Year 1


def _guardian(
    b: _Builder, spec: _GuardianSpec, family: _FamilySpec, index: int, surname: str, address: str
) -> Guardian:
    origin = spec.origin or family.origin
    first = b.names.first(origin, spec.sex)
    last = b.names.surname(origin) if spec.own_surname else surname
    if spec.sex == "M":
        title = "Mr"
    else:
        title = "Mrs" if "grand" in spec.relationship else b.rng.choice(("Mrs", "Ms", "Miss"))
    domain = b.fake.free_email_domain()
    return Guardian(
        id=f"guardian-{family.key}-{index}",
        title=title,
        first_name=first,
        last_name=last,
        sex=spec.sex,
        email=f"{_ascii(first)}.{_ascii(last)}{b.rng.randint(1, 99)}@{domain}",
        phone=b.mobile(),
        address=b.address(b.rng.choice(_OTHER_TOWNS)) if spec.lives_apart else address,
        username=spec.username or username_for(first, last),
        family_id=family.key,
    )


def _pupil(
    b: _Builder, family: _FamilySpec, index: int, age: int, surname: str, address: str
) -> Pupil:
    sex = b.rng.choice("FM")
    first = b.names.first(family.origin, sex)
    dob = b.date_of_birth(age)
    year = b.year_group(dob)
    username = username_for(first, surname) if year >= 7 else None
    return Pupil(
        id=f"pupil-{family.key}-{index}",
        first_name=first,
        last_name=surname,
        sex=sex,
        date_of_birth=dob,
        upn=make_upn(b.rng, LA_CODE, DFE_NUMBER, b.today.year - age + 4),
        address=address,
        year_group=year,
        family_id=family.key,
        preferred_name=_PREFERRED.get(first),
        email=f"{username_for(first, surname)}@pupils.{SCHOOL_DOMAIN}" if username else None,
        username=username,
    )


def _families(
    b: _Builder,
) -> Iterator[tuple[Family, list[Guardian], list[GuardianLink], list[Pupil]]]:
    for spec in _FAMILY_SPECS:
        surname = b.names.surname(spec.origin)
        address = b.address()
        guardians = [
            _guardian(b, g, spec, i, surname, address) for i, g in enumerate(spec.guardians, 1)
        ]
        pupils = [_pupil(b, spec, i, age, surname, address) for i, age in enumerate(spec.ages, 1)]
        links = [
            GuardianLink(
                guardian_id=guardian.id,
                pupil_id=pupil.id,
                relationship=g.relationship,
                parental_responsibility=g.parental_responsibility,
                court_order=g.court_order,
                no_contact=g.no_contact,
            )
            for guardian, g in zip(guardians, spec.guardians, strict=True)
            for pupil in pupils
        ]
        family = Family(
            id=spec.key,
            shape=spec.shape,
            address=address,
            pupil_ids=tuple(p.id for p in pupils),
            guardian_ids=tuple(g.id for g in guardians),
        )
        yield family, guardians, links, pupils


def _staff_member(
    b: _Builder, index: int, job: str, role: UserRole, username: str | None
) -> StaffMember:
    origin = _STAFF_ORIGINS[index % len(_STAFF_ORIGINS)]
    sex = b.rng.choice("FM")
    first = b.names.first(origin, sex)
    last = b.names.surname(origin)
    if job == "School nurse" or (job == "Head teacher" and b.rng.random() < 0.5):
        title = "Dr" if job == "Head teacher" else ("Mrs" if sex == "F" else "Mr")
    else:
        title = "Mr" if sex == "M" else b.rng.choice(("Mrs", "Ms", "Miss"))
    return StaffMember(
        id=f"staff-{index + 1}",
        title=title,
        first_name=first,
        last_name=last,
        job=job,
        role=role,
        email=f"{_ascii(first[0])}.{_ascii(last)}@{SCHOOL_DOMAIN}",
        phone=b.school_phone(),
        username=username or username_for(first, last),
    )


def _classes_and_teachers(
    b: _Builder, pupils: list[Pupil], first_index: int, teacher_of: int
) -> tuple[list[SchoolClass], list[StaffMember]]:
    """One class per year group present; ``teacher_of`` names whose teacher signs in as
    ``teacher``."""
    classes, teachers = [], []
    for n, year in enumerate(sorted({p.year_group for p in pupils})):
        primary = year <= 6
        placeholder = "Class teacher" if primary else "Form tutor"
        teacher = _staff_member(
            b,
            first_index + n,
            placeholder,
            UserRole.STAFF,
            "teacher" if year == teacher_of else None,
        )
        name = f"{year}{teacher.last_name[0]}"
        job = f"Class teacher, {name}" if primary else f"Form tutor, {name}"
        teachers.append(replace(teacher, job=job))
        classes.append(SchoolClass(f"class-{name}", name, year, teacher.id))
    return classes, teachers


def _professionals(b: _Builder) -> list[Professional]:
    jobs = (
        ("GP", "Westmoor Health Centre", "nhs.example", "indian"),
        ("Social worker", "Westmoor Children's Services", "westmoor-council.example", "english"),
        ("Educational psychologist", "Westmoor Council", "westmoor-council.example", "welsh"),
        ("Child and adolescent mental health practitioner", "CAMHS", "nhs.example", "ghanaian"),
    )
    people = []
    for i, (job, organisation, domain, origin) in enumerate(jobs, 1):
        first = b.names.first(origin, b.rng.choice("FM"))
        last = b.names.surname(origin)
        people.append(
            Professional(
                id=f"professional-{i}",
                title="Dr" if job in ("GP", "Educational psychologist") else "",
                name=f"{first} {last}",
                job=job,
                organisation=organisation,
                email=f"{_ascii(first)}.{_ascii(last)}@{domain}",
                phone=f"01632 96{b.rng.randint(1000, 9999)}",
            )
        )
    return people


def build_people(seed: int = DEFAULT_SEED, today: dt.date | None = None) -> School:
    """The school's people and classes, without records (see :func:`build_school`)."""
    b = _Builder(seed, today or dt.date.today())
    school = School(
        name=SCHOOL_NAME,
        urn="148213",
        address=f"Riverside Lane, {TOWN}, {POSTCODE_AREA}1 4RA",
        phone="01632 960000",
        email_domain=SCHOOL_DOMAIN,
        today=b.today,
    )
    for family, guardians, links, pupils in _families(b):
        school.families.append(family)
        school.guardians += guardians
        school.links += links
        school.pupils += pupils
    school.staff = [_staff_member(b, i, *job) for i, job in enumerate(_STAFF_JOBS)]
    pupil_14 = school.pupils[0]
    classes, teachers = _classes_and_teachers(
        b, school.pupils, len(school.staff), pupil_14.year_group
    )
    school.classes, school.staff = classes, school.staff + teachers
    class_by_year = {c.year_group: c.id for c in classes}
    school.pupils = [replace(p, class_id=class_by_year[p.year_group]) for p in school.pupils]
    school.pupils[0] = replace(school.pupils[0], username="pupil")  # the pupil aged 14
    school.professionals = _professionals(b)
    _assign_needs(school)
    school.accounts = _accounts(school)
    return school


def _assign_needs(school: School) -> None:
    """SEN and medical needs: a few pupils, so the SEN and medical records differ."""
    needs = {
        0: ("SEN support", ""),
        2: ("SEN support", "Asthma (blue reliever inhaler kept in the office)"),
        3: ("", "Severe peanut allergy: adrenaline auto-injector (two kept in the office)"),
        5: ("EHC plan", ""),
        8: ("", "Type 1 diabetes: insulin pump, carbohydrate counting at lunch"),
    }
    pupils = []
    for i, pupil in enumerate(school.pupils):
        sen, medical = needs.get(i, ("", ""))
        pupils.append(replace(pupil, sen_status=sen or "none", medical=medical))
    school.pupils = pupils


def _accounts(school: School) -> list[DemoAccount]:
    f1, f2, f3, f4 = (school.families[i] for i in range(4))
    kids = {f.id: [school.pupil(p) for p in f.pupil_ids] for f in (f1, f2, f3, f4)}

    def ages(family: Family) -> str:
        return " and ".join(f"{p.called} ({p.age_on(school.today)})" for p in kids[family.id])

    described = (
        ("parent", f"mother of {ages(f1)}; the older one must agree (rule 7)"),
        ("separated", f"separated mother of {ages(f2)}"),
        ("nocontact", f"father of {ages(f2)}: court order, no contact, lives elsewhere"),
        ("carer", f"grandmother and special guardian of {ages(f3)}"),
        ("stepparent", f"step-father of {ages(f4)}, no parental responsibility"),
        ("pupil", f"pupil aged {kids[f1.id][0].age_on(school.today)}, asking for their own data"),
        ("dpo", "data protection officer: the request register and packs"),
        ("dsl", "designated safeguarding lead: reviews safeguarding records"),
        ("admin", "office manager (MIS administrator)"),
        ("teacher", f"form tutor of {kids[f1.id][0].called}"),
        ("senco", "special educational needs co-ordinator"),
    )
    people: list[Guardian | StaffMember | Pupil] = [
        *school.guardians,
        *school.staff,
        *school.pupils,
    ]
    by_username = {p.username: p for p in people if p.username}
    return [
        DemoAccount(name, by_username[name].id, f"{by_username[name].name}, {text}")
        for name, text in described
    ]


def _strangers(seed: int, school: School, count: int = 12) -> list[str]:
    """Names from Faker en_GB that nobody in the MIS shares, first or last."""
    fake = Faker("en_GB")
    fake.seed_instance(seed + 2)
    known = {part for person in school.roster() for part in person.name.split()}
    names: list[str] = []
    while len(names) < count:
        first, last = fake.first_name(), fake.last_name()
        if first not in known and last not in known:
            names.append(f"{first} {last}")
            known.update((first, last))
    return names


def _records_for(c: Cast, ctx: texts.RecordContext, index: int) -> list[DemoRecord]:
    """Every category for every pupil; which documents depends on the pupil's story."""
    pupil = c.pupil
    records = [
        *texts.contact_details(c, ctx),
        *texts.assessment_summary(c, ctx),
        files.report_pdf(c, ctx),
        *texts.attendance(c, ctx),
        *texts.behaviour_log(c, ctx, blue_taxi=index == 0),
        *texts.medical(c, ctx),
        files.medical_scan(c, ctx, png=index % 2 == 1),
        files.photo_record(c, ctx, png=index % 2 == 0),
        files.email_thread(c, ctx),
        files.letter_pdf(c, ctx, suspension=pupil.family_id == "f4"),
    ]
    if c.no_contact is not None:
        records += [files.chronology_pdf(c, ctx), files.court_order_scan(c, ctx)]
    else:
        records += texts.record_of_concern(c, ctx)
    if pupil.sen_status != "none":
        records.append(files.sen_plan_docx(c, ctx))
    else:
        records += texts.sen_register(c, ctx)
    if pupil.medical:
        records.append(files.healthcare_plan_docx(c, ctx))
    else:
        records += texts.pastoral_plan(c, ctx)
    # Last, and drawing nothing at random: the records above stay as the seed made them.
    records += [*texts.fees_account(c, ctx), *texts.clubs_note(c, ctx)]
    return records


def build_school(seed: int = DEFAULT_SEED, today: dt.date | None = None) -> School:
    """The whole demo school: people, classes and every pupil's records, files included.

    :param seed: the same seed gives the same names, numbers and documents.
    :param today: the day ages and record dates are counted back from (default: today).
    """
    school = build_people(seed, today)
    ctx = texts.RecordContext(
        rng=random.Random(seed + 1),
        today=school.today,
        unknown=[],
        faker_names=_strangers(seed, school),
    )
    casts = [cast_for(school, pupil) for pupil in school.pupils]
    for index, cast in enumerate(casts):
        school.records += _records_for(cast, ctx, index)
    # The featured pupil's class photo and CCTV clip, and her MIS photo (issue 13).
    school.records += media.media_records(casts[0], ctx)
    school.photos[casts[0].pupil.id] = media.mis_photo()
    separated = next(f for f in school.families if f.shape == "separated")
    no_contact = next(k for k in school.links if k.no_contact and k.pupil_id in separated.pupil_ids)
    resident = next(
        k for k in school.links if k.pupil_id == no_contact.pupil_id and not k.no_contact
    )
    school.facts = Facts(
        separated_family_id=separated.id,
        resident_parent_id=resident.guardian_id,
        no_contact_parent_id=no_contact.guardian_id,
        no_contact_new_address=school.guardian(no_contact.guardian_id).address,
        identifying_context=f"{Pronouns.of(casts[0].friend.sex).possessive} {texts.BLUE_TAXI}",
        identifying_context_pupil_id=casts[0].pupil.id,
        unknown_people=tuple(ctx.unknown),
        split_name=casts[0].classmate.name,
        split_name_pupil_id=casts[0].pupil.id,
    )
    return school
