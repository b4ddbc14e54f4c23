"""Text records: what staff type into the MIS about a pupil, one category at a time.

Written the way school records are: full names in formal entries, first names and
lower case in quick notes, other pupils and their parents mentioned in passing, phone
numbers copied from calls. :mod:`.record_files` writes the file records.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from pupil_privacy.worker.mis import RecordCategory

from .cast import Cast, Pronouns
from .school import DemoRecord, UnknownPerson

BLUE_TAXI = "dad, who drives the blue taxi"


@dataclass
class RecordContext:
    """Shared state while one school's records are written."""

    rng: random.Random
    today: dt.date
    unknown: list[UnknownPerson]
    faker_names: list[str]  # people the MIS does not know, drawn from Faker en_GB
    named: dict[str, str] = field(default_factory=dict)  # strangers met in several records

    def day(self, days_ago: int) -> dt.date:
        """A school day ``days_ago`` days back (weekends move to the Friday before)."""
        day = self.today - dt.timedelta(days=max(days_ago, 1))
        while day.weekday() >= 5:
            day -= dt.timedelta(days=1)
        return day

    def stranger(
        self, description: str, pupil_id: str, first_only: bool = False, key: str | None = None
    ) -> str:
        """A person unknown to the MIS; ``key`` reuses the same person in another record."""
        if key is not None and key in self.named:
            name = self.named[key]
        else:
            name = self.faker_names.pop()
            name = name.split()[0] if first_only else name
            if key is not None:
                self.named[key] = name
        self.unknown.append(UnknownPerson(name, description, pupil_id))
        return name


def uk(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def term_of(day: dt.date) -> str:
    return "autumn" if day.month >= 9 else ("spring" if day.month <= 4 else "summer")


def record(
    c: Cast,
    slug: str,
    category: RecordCategory,
    title: str,
    created: dt.date,
    source: str,
    author: str,
    text: str | None,
    *,
    filename: str | None = None,
    content: bytes | None = None,
) -> DemoRecord:
    """A record of the pupil in ``c``: text, or a file (``filename`` and ``content``)."""
    return DemoRecord(
        id=f"{c.pupil.id}-{slug}",
        pupil_id=c.pupil.id,
        category=category,
        title=title,
        created=created,
        source=source,
        author=author,
        text=text,
        filename=filename,
        content=content,
    )


def contact_details(c: Cast, ctx: RecordContext) -> list[DemoRecord]:
    p = c.pupil
    lines = [
        f"Pupil: {p.name}" + (f" (known as {p.preferred_name})" if p.preferred_name else ""),
        f"Date of birth: {uk(p.date_of_birth)}",
        f"UPN: {p.upn}",
        f"Home address: {p.address}",
        f"Year {p.year_group}, class {c.school.school_class(p.class_id).name} ({c.teacher.formal})",
    ]
    if p.email:
        lines.append(f"School email: {p.email}")
    for n, (g, link) in enumerate([(c.main, c.main_link), *c.others], 1):
        pr = "yes" if link.parental_responsibility else "no"
        lines += [
            "",
            f"Contact {n}: {g.title} {g.name} ({link.relationship}), parental responsibility: {pr}",
            f"  Mobile: {g.phone}   Email: {g.email}",
            f"  Address: {g.address}",
        ]
        if link.no_contact:
            lines.append(
                f"  ALERT: court order in place (prohibited steps). NO CONTACT. Do not discuss "
                f"{c.called} with {g.formal}, do not release {c.they.object} to him and do "
                f"not share the home address."
            )
    when = ctx.day(200)
    records = [
        record(
            c,
            "contacts",
            RecordCategory.CONTACT,
            "Contact details",
            when,
            "MIS contacts",
            c.office.name,
            "\n".join(lines),
        ),
    ]
    if c.no_contact is not None:
        records.append(_new_address_note(c, ctx))
    return records


def _new_address_note(c: Cast, ctx: RecordContext) -> DemoRecord:
    """The separated parent's new address, written into a note: withheld from the other
    parent (rule 12)."""
    father = c.no_contact
    assert father is not None
    when = ctx.day(45)
    text = (
        f"{uk(when)} 10:20 {father.name} phoned reception asking for {c.called}'s report to be "
        f"posted to his new address, {father.address}. He gave his number as {father.phone}. "
        f"Nothing given: {c.dsl.formal} confirmed the court order is in force. "
        f"{c.main.formal} told by phone the same day."
    )
    return record(
        c,
        "contact-notes",
        RecordCategory.CONTACT,
        "Contact notes",
        when,
        "MIS contacts",
        c.reception.name,
        text,
    )


def _grades(c: Cast, ctx: RecordContext) -> str:
    if c.pupil.year_group <= 6:
        bands = ("working towards", "expected standard", "greater depth")
        return "  ".join(f"{s}: {ctx.rng.choice(bands)}" for s in ("Reading", "Writing", "Maths"))
    subjects = ("English", "Maths", "Science", "History", "Art")
    return "  ".join(
        f"{s}: {ctx.rng.randint(3, 8)} (target {ctx.rng.randint(5, 8)})" for s in subjects
    )


def assessment_summary(c: Cast, ctx: RecordContext) -> list[DemoRecord]:
    when = ctx.day(ctx.rng.randint(20, 60))
    text = (
        f"{term_of(when).capitalize()} term data drop, Year {c.pupil.year_group}\n"
        f"{_grades(c, ctx)}\n"
        f"Reading age: {c.pupil.age_on(when) + ctx.rng.randint(-1, 2)}y "
        f"{ctx.rng.randint(0, 11)}m (tested {uk(ctx.day(90))})\n"
        f"Comment ({c.teacher.formal}): {c.called} has made steady progress. "
        f"{c.they.subject.capitalize()} works well in a group with {c.friend.called} and "
        f"{c.classmate.name}, and should now aim to answer without prompting."
    )
    return [
        record(
            c,
            "assessment",
            RecordCategory.ASSESSMENT,
            "Assessment summary",
            when,
            "Assessment tracker",
            c.teacher.name,
            text,
        )
    ]


def attendance(c: Cast, ctx: RecordContext) -> list[DemoRecord]:
    possible = ctx.rng.randint(120, 180)
    absent = ctx.rng.randint(2, 14)
    summary = (
        f"Sessions possible: {possible}. Present: {possible - absent} "
        f"({100 * (possible - absent) / possible:.1f}%). Authorised absence: {absent - 1} "
        f"(illness, medical). Unauthorised: 1. Late before registers closed: "
        f"{ctx.rng.randint(0, 5)}."
    )
    records = [
        record(
            c,
            "attendance",
            RecordCategory.ATTENDANCE,
            "Attendance summary",
            ctx.day(3),
            "Register",
            c.office.name,
            summary,
        ),
        record(
            c,
            "attendance-notes",
            RecordCategory.ATTENDANCE,
            "Attendance notes",
            ctx.day(10),
            "Reception log",
            c.reception.name,
            _attendance_notes(c, ctx),
        ),
    ]
    return records


def _attendance_notes(c: Cast, ctx: RecordContext) -> str:
    """Quick notes typed at reception: lower case, abbreviations, numbers copied from calls."""
    me, mum = c.called.lower(), c.main.first_name.lower()
    fp = c.friend_parent
    notes = [
        f"{uk(ctx.day(70))} 08:41 {mum} rang ({c.main.phone}) - {me} off sick, temp. "
        f"back thurs hopefully. said {c.friend.called.lower()} has the same bug",
        f"{uk(ctx.day(41))} late 09:12, dropped off by {fp.first_name.lower()} "
        f"{fp.last_name.lower()} ({c.friend.called.lower()}'s {_parent_word(fp.sex)}) as "
        f"{mum}'s car broke down. fine",
        f"{uk(ctx.day(12))} left 13:30 for dentist, collected by {mum}, signed out",
    ]
    if c.pupil.family_id == "f2" and c.pupil.id.endswith("-2"):
        partner = ctx.stranger("the resident mother's new partner", c.pupil.id, first_only=True)
        notes.append(
            f"{uk(ctx.day(8))} collected by mum's new partner, {partner.lower()} "
            f"- not on contact list. mum confirmed by phone, ok this once"
        )
    if c.pupil.family_id == "f6":
        uncle = ctx.stranger("an uncle who is not on the contact list", c.pupil.id)
        notes.append(
            f"{uk(ctx.day(6))} collected by uncle {uncle.lower()}, not on contact list. "
            f"dad rang to ok it ({c.main.phone})"
        )
    return "\n".join(notes)


def _parent_word(sex: str) -> str:
    return "mum" if sex == "F" else "dad"


def behaviour_log(c: Cast, ctx: RecordContext, blue_taxi: bool) -> list[DemoRecord]:
    f, m, t = c.friend, c.classmate, c.teacher
    fp = Pronouns.of(f.sex)
    entries = [
        f"{uk(ctx.day(95))} Positive (+2): helped {f.name} in maths when {fp.subject} was "
        f"stuck on fractions. ({t.formal})",
        f"{uk(ctx.day(60))} Negative (-1): chatting with {m.called} during the register; "
        f"moved seat. ({t.formal})",
        f"{uk(ctx.day(33))} Incident, lunch on the field: {c.called} and {f.called} argued over "
        f"a football. {f.called}'s shirt was torn. Both spoke to {c.head.formal}; "
        f"{c.friend_parent.formal} phoned by {c.dsl.formal}.",
    ]
    if blue_taxi:
        entries.append(
            f"{uk(ctx.day(31))} Follow-up: {f.called} told staff {fp.possessive} {BLUE_TAXI}, "
            f"would come up to school and sort {c.called} out. {t.formal} informed "
            f"{c.dsl.formal}; no further incident."
        )
    return [
        record(
            c,
            "behaviour",
            RecordCategory.BEHAVIOUR,
            "Behaviour log",
            ctx.day(31),
            "Behaviour log",
            t.name,
            "\n".join(entries),
        )
    ]


def record_of_concern(c: Cast, ctx: RecordContext) -> list[DemoRecord]:
    """A low-level safeguarding note for pupils without a chronology."""
    when = ctx.day(ctx.rng.randint(30, 120))
    m = c.classmate
    if c.pupil.family_id == "f3" and c.pupil.id.endswith("-1"):
        mother = ctx.stranger("the pupil's birth mother, not a contact", c.pupil.id)
        text = (
            f"{uk(when)} {c.called} told {c.teacher.formal} that {mother}, {c.they.possessive} "
            f"birth mother, has been messaging {c.they.object} on Instagram. Special "
            f"guardianship order in place; {c.main.formal} informed. {c.dsl.formal} spoke to "
            f"{c.social_worker.name} (social worker). Kept open."
        )
    else:
        text = (
            # Pasted from an e-mail with a hard line break inside the other pupil's name.
            f"{uk(when)} {c.friend.called} told {c.teacher.formal} that {c.called} was upset by "
            f"messages in a group chat started by {m.first_name}\n{m.last_name}. Spoke with "
            f"{c.called}; screenshots "
            f"seen. {m.called}'s parent ({c.classmate_parent.formal}, {c.classmate_parent.phone}) "
            f"contacted by {c.dsl.formal}. Closed: no further action."
        )
    return [
        record(
            c,
            "concern",
            RecordCategory.SAFEGUARDING,
            "Record of concern",
            when,
            "Safeguarding log",
            c.dsl.name,
            text,
        )
    ]


def medical(c: Cast, ctx: RecordContext) -> list[DemoRecord]:
    p = c.pupil
    condition = p.medical or "No known conditions"
    visit = ctx.day(ctx.rng.randint(5, 50))
    text = (
        f"Conditions: {condition}\n"
        f"Allergies: {'peanuts (severe)' if 'peanut' in p.medical else 'none known'}\n"
        f"GP: {c.gp.formal}, {c.gp.organisation}, {c.gp.phone}\n"
        f"Consent to paracetamol: yes ({c.main.name}, {uk(ctx.day(300))})\n"
        f"{uk(visit)} seen by {c.nurse.formal}: headache after PE; paracetamol 500 mg given "
        f"after {c.main.first_name} agreed by phone. Back to lessons 11:05."
    )
    return [
        record(
            c,
            "medical",
            RecordCategory.MEDICAL,
            "Medical information",
            visit,
            "Medical room",
            c.nurse.name,
            text,
        )
    ]


def sen_register(c: Cast, ctx: RecordContext) -> list[DemoRecord]:
    when = ctx.day(ctx.rng.randint(40, 150))
    text = (
        f"SEN register check {uk(when)}: no special educational needs identified for "
        f"{c.pupil.name}. {c.teacher.formal} reports no concerns about learning. "
        f"Reviewed by {c.senco.formal} (SENCO)."
    )
    return [
        record(
            c,
            "sen",
            RecordCategory.SEN,
            "SEN register check",
            when,
            "SEN register",
            c.senco.name,
            text,
        )
    ]


def pastoral_plan(c: Cast, ctx: RecordContext) -> list[DemoRecord]:
    when = ctx.day(ctx.rng.randint(20, 80))
    early_help = c.no_contact is not None
    title = "Early help plan" if early_help else "Pastoral support plan"
    lead = f"Lead professional: {c.social_worker.name}. " if early_help else ""
    text = (
        f"{title} for {c.pupil.name}, agreed {uk(when)} with {c.main.name}.\n"
        f"{lead}Key adult in school: {c.teacher.formal}; weekly check-in with {c.dsl.formal}.\n"
        f"Targets: 1) arrive by 08:40 on four days out of five; 2) use the time-out card "
        f"instead of leaving lessons; 3) join a lunchtime club with {c.friend.called}.\n"
        f"Review: {uk(when + dt.timedelta(days=42))}."
    )
    return [
        record(
            c, "support", RecordCategory.SUPPORT, title, when, "Pastoral team", c.teacher.name, text
        )
    ]


def fees_account(c: Cast, ctx: RecordContext) -> list[DemoRecord]:
    """Trips and lunches paid for (fees and finance). No random draws: adding it changes
    nothing else the seed makes."""
    when = ctx.day(30)
    text = (
        f"Payments for {c.pupil.name}, autumn term: school trip £12.00 paid {uk(when)} by "
        f"{c.main.name}; lunches £46.00 paid by card. Balance: £0.00."
    )
    return [
        record(c, "fees", RecordCategory.FEES, "Payments account", when, "Finance office",
               "Finance office", text)
    ]  # fmt: skip


def clubs_note(c: Cast, ctx: RecordContext) -> list[DemoRecord]:
    """A record the MIS cannot place in a notice category ("other")."""
    when = ctx.day(45)
    text = f"{c.pupil.called} joined the lunchtime chess club on {uk(when)}."
    return [
        record(c, "clubs", RecordCategory.OTHER, "Clubs and activities", when, "Clubs register",
               c.teacher.name, text)
    ]  # fmt: skip
