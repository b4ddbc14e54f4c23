"""The one fake school every test uses (plugin, worker; the e2e and demo tests use the
product's own demo school through the demo MIS).

Two families the web tests need (the Okafors, one separated with a no-contact father; the
Whitlocks; a step-father without parental responsibility), and the Harts, whose records in
five categories the worker tests redact; staff, a DPO, a DSL and an admin. Names in
:data:`THIRD_PARTIES` must never reach a requester's pack (rules 10 and 12).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from flask import has_request_context, session

from pupil_privacy.redaction.types import Person, Role
from pupil_privacy.worker.mis import (
    InMemoryMIS,
    MISRecord,
    MISUser,
    PupilDetails,
    PupilLink,
    RecordCategory,
    UserRole,
)

from . import media
from .files import docx_bytes, encrypted_pdf_bytes, pdf_bytes, zip_bomb_docx

PUPIL = "P1"
MOTHER = "U-MUM"
#: Names the pack must never show (rules 10 and 12), and the pupil's own data it must show.
OTHER_PUPIL, OTHER_PARENT, FATHER = "Tom Baxter", "Dean Baxter", "Gary Hart"
TEACHER = "Priya Patel"
#: A classmate named in Amy Okafor's records: removed from her family's pack (rule 10).
CLASSMATE = "Jake Smith"

TODAY = dt.date.today()


def born(years: int, days_after_birthday: int = 30) -> dt.date:
    """A date of birth making a pupil ``years`` old today (a month past their birthday)."""
    day = TODAY - dt.timedelta(days=days_after_birthday)
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return (day - dt.timedelta(days=1)).replace(year=day.year - years)


@dataclass
class SlowMIS(InMemoryMIS):
    """Reading the content of a record listed in ``slow`` takes that many seconds."""

    slow: dict[str, float] = field(default_factory=dict)

    def record_content(self, pupil_id: str, record_id: str) -> bytes:
        if record_id in self.slow:
            time.sleep(self.slow[record_id])
        return super().record_content(pupil_id, record_id)


def school(*, failures: bool = False, slow: dict[str, float] | None = None) -> SlowMIS:
    """The school: every family, the staff, and the records of Amelia Hart and Amy Okafor.

    Amelia Hart (Year 6): her mother Claire (the requester), her separated father, another
    pupil and his father, and a teacher; records in five categories. ``failures`` adds one
    document of each kind that cannot be processed. ``slow`` makes reading the named records
    take that many seconds.
    """
    mis = SlowMIS(slow=dict(slow or {}))
    _okafors_and_neighbours(mis)
    _amy_okafor_records(mis)
    mis.users[MOTHER] = MISUser(MOTHER, "Claire Hart", UserRole.PARENT, email="claire@example.org")
    mis.links[MOTHER] = [PupilLink(PUPIL, "mother", parental_responsibility=True)]
    mis.pupils[PUPIL] = PupilDetails(
        PUPIL,
        "Amelia Hart",
        dt.date(2015, 4, 2),
        upn="A123456789012",
        address="4 Mill Lane, Ely",
        photo=media.mis_photo(),  # her face is kept in photos and clips (issue 13)
    )
    mis.people += [
        Person("Amelia Hart", Role.PUPIL, id=PUPIL, upn="A123456789012"),
        Person("Claire Hart", Role.PARENT, id=MOTHER, email="claire@example.org"),
        Person(FATHER, Role.PARENT, id="U-DAD", phone="07700 900222", address="9 Fen Road, March"),
        Person(OTHER_PUPIL, Role.PUPIL, id="P2", upn="B987654321098"),
        Person(OTHER_PARENT, Role.PARENT, id="U-DB", email="dean.baxter@example.com"),
        Person(TEACHER, Role.STAFF, id="S1", aliases=("Mrs Patel",)),
    ]
    day = dt.date(2026, 9, 14)

    def add(
        rid: str,
        cat: RecordCategory,
        title: str,
        *,
        text: str | None = None,
        filename: str | None = None,
        content: bytes | None = None,
    ) -> None:
        record = MISRecord(
            rid,
            cat,
            title,
            day,
            source=f"{cat.label} system",
            text=text,
            filename=filename,
            size=len(content) if content else None,
        )
        mis.add_record(PUPIL, record, content)

    add(
        "r-assess",
        RecordCategory.ASSESSMENT,
        "Maths assessment",
        text="Amelia Hart scored 34 out of 40 in the autumn maths test. Teacher: Priya Patel.",
    )
    add(
        "r-behav",
        RecordCategory.BEHAVIOUR,
        "Lunchtime incident",
        text=f"Amelia Hart and {OTHER_PUPIL} argued at lunch. {TEACHER} spoke to both pupils.",
    )
    add(
        "r-letter",
        RecordCategory.DOCUMENTS,
        "Letter about the trip",
        filename="trip.pdf",
        content=pdf_bytes(
            f"Dear Claire Hart,\nAmelia Hart may join the trip. {OTHER_PARENT} "
            "(dean.baxter@example.com) will drive the minibus.\nPriya Patel"
        ),
    )
    add(
        "r-plan",
        RecordCategory.SEN,
        "Support plan",
        filename="plan.docx",
        content=docx_bytes(
            ["Support plan for Amelia Hart.", f"Amelia sits next to {OTHER_PUPIL} in class."]
        ),
    )
    add(
        "r-safe",
        RecordCategory.SAFEGUARDING,
        "Welfare note",
        text=f"{FATHER} phoned about Amelia Hart on 07700 900222.",
    )
    if failures:
        add(
            "f-corrupt",
            RecordCategory.DOCUMENTS,
            "Scanned form",
            filename="form.pdf",
            content=b"%PDF-1.7\n this is not really a PDF at all \x00\x01",
        )
        add(
            "f-encrypted",
            RecordCategory.DOCUMENTS,
            "Locked report",
            filename="locked.pdf",
            content=encrypted_pdf_bytes("Amelia Hart report"),
        )
        add(
            "f-unsupported",
            RecordCategory.DOCUMENTS,
            "Spreadsheet",
            filename="marks.xls",
            content=b"\xd0\xcf\x11\xe0 old excel",
        )
        add(
            "f-large",
            RecordCategory.DOCUMENTS,
            "Huge scan",
            filename="huge.pdf",
            content=b"%PDF-1.4\n" + b"0" * (3 * 2**20),
        )
        add(
            "f-bomb",
            RecordCategory.DOCUMENTS,
            "Bomb",
            filename="bomb.docx",
            content=zip_bomb_docx(),
        )
    return mis


def _signed_in_user() -> str | None:
    """Who the test host's login route signed in (web requests only; workers have none)."""
    return session.get("test_user") if has_request_context() else None


def _okafors_and_neighbours(mis: InMemoryMIS) -> None:
    """The families the web tests act as: the Okafors (a mother; a separated father with a
    no-contact order for Amy and a court order for Ben), the Whitlocks, and a step-father
    without parental responsibility; staff, the DPO, the DSL and an admin."""
    pupils = [
        PupilDetails("p-amy", "Amy Okafor", born(9), preferred_name="Amy", upn="A223456789012"),
        PupilDetails("p-ben", "Ben Okafor", born(14), preferred_name="Ben"),
        PupilDetails("p-cat", "Cat Okafor", born(16)),
        PupilDetails("p-dan", "Dan Whitlock", born(10)),
        PupilDetails("p-eve", "Eve Lindqvist", born(13)),
    ]
    mis.pupils.update({p.id: p for p in pupils})
    users = [
        MISUser("u-mum", "Grace Okafor", UserRole.PARENT, email="grace@example.org"),
        MISUser("u-dad", "Tom Okafor", UserRole.PARENT),
        MISUser("u-whitlock", "Sam Whitlock", UserRole.PARENT),
        MISUser("u-stepdad", "Lee Lindqvist", UserRole.PARENT),
        MISUser("u-ben", "Ben Okafor", UserRole.PUPIL, pupil_id="p-ben"),
        MISUser("u-cat", "Cat Okafor", UserRole.PUPIL, pupil_id="p-cat"),
        MISUser("u-teacher", "Ms Patel", UserRole.STAFF),
        MISUser("u-dpo", "Dana Price", UserRole.DPO),
        MISUser("u-dsl", "Sue Lowe", UserRole.DSL),
        MISUser("u-admin", "Alex Admin", UserRole.ADMIN),
    ]
    mis.users.update({u.id: u for u in users})
    mis.links.update(
        {
            "u-mum": [
                PupilLink("p-amy", "mother", parental_responsibility=True),
                PupilLink("p-ben", "mother", parental_responsibility=True),
                PupilLink("p-cat", "mother", parental_responsibility=True),
            ],
            # A separated father under a no-contact order (rule 12 and the brief's family).
            "u-dad": [
                PupilLink("p-amy", "father", parental_responsibility=True, no_contact=True),
                PupilLink("p-ben", "father", parental_responsibility=True, court_order=True),
            ],
            "u-whitlock": [PupilLink("p-dan", "father", parental_responsibility=True)],
            "u-stepdad": [PupilLink("p-eve", "step-father", parental_responsibility=False)],
        }
    )
    mis.people += [Person(p.name, Role.PUPIL, id=p.id, upn=p.upn) for p in pupils]
    mis.people += [
        Person("Grace Okafor", Role.PARENT, id="u-mum", email="grace@example.org"),
        Person("Tom Okafor", Role.PARENT, id="u-dad"),
        Person(CLASSMATE, Role.PUPIL, id="p-jake"),
    ]
    mis.current_user_getter = _signed_in_user


#: The record Amy's safeguarding file holds; the DSL reviews it before anyone else (rule 14).
AMY_WELFARE = "Welfare concern"


def _amy_okafor_records(mis: InMemoryMIS) -> None:
    """Three records: a report naming a classmate, a scan that is encrypted (so it cannot be
    processed), and a safeguarding note for the DSL."""
    day = dt.date(2026, 9, 14)
    mis.add_record(
        "p-amy",
        MISRecord(
            "amy-report",
            RecordCategory.ASSESSMENT,
            "Spring report",
            day,
            source="Reports",
            text=f"Amy Okafor reads well. She shares a reading book with {CLASSMATE}.",
        ),
    )
    scan = encrypted_pdf_bytes("Amy Okafor old scan")
    mis.add_record(
        "p-amy",
        MISRecord(
            "amy-scan",
            RecordCategory.DOCUMENTS,
            "Old scan",
            day,
            source="Archive",
            filename="scan.pdf",
            size=len(scan),
        ),
        scan,
    )
    mis.add_record(
        "p-amy",
        MISRecord(
            "amy-welfare",
            RecordCategory.SAFEGUARDING,
            AMY_WELFARE,
            day,
            source="CPOMS",
            text="Amy Okafor told Ms Patel she was worried about the walk home.",
        ),
    )


def without_safeguarding(mis: InMemoryMIS, pupil_id: str) -> None:
    """Drop a pupil's safeguarding records (a pack with nothing for the DSL to review)."""
    mis.pupil_records[pupil_id] = [
        r
        for r in mis.pupil_records.get(pupil_id, [])
        if r.category is not RecordCategory.SAFEGUARDING
    ]


def with_media(mis: InMemoryMIS, *, corrupt_clip: bool = True) -> InMemoryMIS:
    """Amelia Hart's photographs and CCTV (issue 13): the class photo (her and six others,
    EXIF naming a third party, GPS), a CCTV clip, and (``corrupt_clip``) a damaged one."""
    day = dt.date(2026, 10, 2)
    media_records = [
        (
            "m-class",
            RecordCategory.PHOTOGRAPHS,
            "Class photo",
            "class-6.jpg",
            media.group_photo_jpeg(),
        ),
        (
            "m-cctv",
            RecordCategory.BEHAVIOUR,
            "CCTV, playground",
            "playground.mp4",
            media.clip_bytes(),
        ),
    ]
    if corrupt_clip:
        media_records.append(
            ("m-cctv-bad", RecordCategory.BEHAVIOUR, "CCTV, gate", "gate.mp4", media.corrupt_clip())
        )
    for rid, category, title, filename, content in media_records:
        record = MISRecord(
            rid,
            category,
            title,
            day,
            source="Site camera system",
            filename=filename,
            size=len(content),
        )
        mis.add_record(PUPIL, record, content)
    return mis
