"""A small school and a bare Flask app with a pupil-privacy Runtime, for the worker tests.

Importable on its own so a real worker subprocess (the SIGKILL test) builds exactly the same
app as the test: same MIS records, database, Redis and storage.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
import pymupdf
import redis as redis_lib
from alembic.config import Config
from flask import Flask
from sqlalchemy import create_engine, delete
from sqlalchemy.engine import Connection
from sqlalchemy.orm import scoped_session, sessionmaker

from pupil_privacy.redaction.types import Action, Finding, Person, Policy, Reason, Role, Subject
from pupil_privacy.worker.mis import (
    InMemoryMIS,
    MISRecord,
    MISUser,
    PupilDetails,
    PupilLink,
    RecordCategory,
    UserRole,
)
from pupil_privacy.worker.models import Base, RightsRequest
from pupil_privacy.worker.runtime import EXTENSION_KEY, Runtime, Settings
from pupil_privacy.worker.states import RightType, Status

PUPIL = "P1"
MOTHER = "U-MUM"
#: Names the pack must never show (rules 10 and 12), and the pupil's own data it must show.
OTHER_PUPIL, OTHER_PARENT, FATHER = "Tom Baxter", "Dean Baxter", "Gary Hart"
TEACHER = "Priya Patel"


@dataclass
class SlowMIS(InMemoryMIS):
    """Reading the content of a record listed in ``slow`` takes that many seconds."""

    slow: dict[str, float] = field(default_factory=dict)

    def record_content(self, pupil_id: str, record_id: str) -> bytes:
        if record_id in self.slow:
            time.sleep(self.slow[record_id])
        return super().record_content(pupil_id, record_id)


class LiteralDetector:
    """A stand-in for the Presidio detector with exact, predictable detection: every known
    third party's name, alias, email, phone and UPN as the roster writes them (the pupil, the
    requester and staff acting in role are kept, rules 10-12). Removal, PDF output and the
    leak check stay the real ones from ``pupil_privacy.redaction.document``."""

    def __init__(self, subject: Subject, roster: list[Person], policy: Policy | None = None):
        self.policy = policy or Policy()
        keep = {subject.name, *(subject.requester.name for _ in [0] if subject.requester)}
        terms: list[str] = []
        for person in roster:
            if person.name in keep or person.role is Role.STAFF:
                continue
            terms += [person.name, *person.aliases]
            terms += [t for t in (person.email, person.phone, person.upn, person.address) if t]
        self.terms = sorted(set(terms), key=len, reverse=True)

    def analyse_many(self, texts: list[str]) -> list[list[Finding]]:
        return [self._find(text) for text in texts]

    def _find(self, text: str) -> list[Finding]:
        found: list[Finding] = []
        lowered = text.lower()
        for term in self.terms:
            start = lowered.find(term.lower())
            while start >= 0:
                end = start + len(term)
                if not any(f.start < end and start < f.end for f in found):
                    found.append(
                        Finding(
                            start,
                            end,
                            text[start:end],
                            "PERSON",
                            1.0,
                            "roster",
                            Action.REDACT,
                            Reason.THIRD_PARTY,
                        )
                    )
                start = lowered.find(term.lower(), end)
        return sorted(found, key=lambda f: f.start)

    def third_party_terms(self) -> list[str]:
        return list(self.terms)


class LiteralRedactor:
    """The worker's redaction seam with :class:`LiteralDetector` and the real removal."""

    def detector(self, subject: Subject, roster: Any, model: str | None) -> LiteralDetector:
        return LiteralDetector(subject, list(roster))

    def redact(self, data: bytes, filename: str, detector: Any, *, max_bytes: int) -> Any:
        from pupil_privacy.redaction.document import redact_document

        return redact_document(data, filename, detector, as_pdf=True, max_bytes=max_bytes)


def pdf_bytes(text: str) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_textbox(pymupdf.Rect(60, 60, 540, 780), text, fontsize=11)
    data = doc.tobytes()
    doc.close()
    return bytes(data)


def encrypted_pdf_bytes(text: str) -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), text)
    data = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="o", user_pw="secret")
    doc.close()
    return bytes(data)


def docx_bytes(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for para in paragraphs:
        document.add_paragraph(para)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@functools.cache
def zip_bomb_docx() -> bytes:
    """A .docx whose document.xml inflates to 320 MB from about 1.5 MB: refused, not unpacked.
    (Fast deflate, built once per session: it is the ratio that matters.)"""
    good = zipfile.ZipFile(io.BytesIO(docx_bytes(["placeholder"])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as bomb:
        for item in good.infolist():
            if item.filename == "word/document.xml":
                with bomb.open("word/document.xml", "w", force_zip64=True) as handle:
                    chunk = b" " * (1 << 20)
                    for _ in range(320):
                        handle.write(chunk)
            else:
                bomb.writestr(item, good.read(item.filename))
    return out.getvalue()


def school(*, failures: bool = False, slow: dict[str, float] | None = None) -> SlowMIS:
    """Amelia Hart (Year 6), her mother Claire (the requester), her separated father, another
    pupil and his father, and a teacher. Records in five categories; ``failures`` adds one
    document of each kind that cannot be processed."""
    mis = SlowMIS(slow=dict(slow or {}))
    mis.users[MOTHER] = MISUser(MOTHER, "Claire Hart", UserRole.PARENT, email="claire@example.org")
    mis.links[MOTHER] = [PupilLink(PUPIL, "mother")]
    mis.pupils[PUPIL] = PupilDetails(
        PUPIL, "Amelia Hart", dt.date(2015, 4, 2), upn="A123456789012", address="4 Mill Lane, Ely"
    )
    mis.people = [
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


def make_settings(storage_dir: Path, key: bytes, **fields: Any) -> Settings:
    """Test settings: fast retries and leases, the literal redactor unless ``fields`` say."""
    fields = {
        "retry_intervals": (0,),
        "lease_seconds": 1.5,
        "redactor": LiteralRedactor(),
        **fields,
    }
    return Settings(
        school_name="Fenland Primary School",
        pack_key=key,
        storage_dir=storage_dir,
        queue_name="pp-test",
        dpo_name="Dana Officer",
        dpo_contact="dpo@fenland.example",
        job_retries=1,
        job_timeout_seconds=120,
        max_document_bytes=2 * 2**20,
        **fields,
    )


def make_app(database_url: str, redis_url: str, settings: Settings, mis: InMemoryMIS) -> Flask:
    engine = create_engine(database_url)
    Base.metadata.create_all(engine)
    session = scoped_session(sessionmaker(engine, expire_on_commit=False))
    runtime = Runtime(
        settings=settings,
        mis=mis,
        session_factory=lambda: session,
        redis_factory=lambda: redis_lib.Redis.from_url(redis_url),
    )
    app = Flask("pp-worker-tests")
    app.extensions[EXTENSION_KEY] = runtime
    app.extensions["pp_test_engine"] = engine
    return app


def clear_tables(app: Flask) -> None:
    """Delete our rows (the PostgreSQL database is shared by every helper's tests)."""
    runtime: Runtime = app.extensions[EXTENSION_KEY]
    session = runtime.session
    for table in reversed(Base.metadata.sorted_tables):
        if table.name.startswith("pp_"):
            session.execute(delete(table))
    session.commit()


def new_request(app: Flask, reference: str = "SAR-2026-0001") -> int:
    """A subject access request from Amelia's mother, committed and IN_PROGRESS."""
    runtime: Runtime = app.extensions[EXTENSION_KEY]
    session = runtime.session
    req = RightsRequest(
        reference=reference,
        right=RightType.ACCESS,
        status=Status.IN_PROGRESS,
        pupil_id=PUPIL,
        requester_user_id=MOTHER,
        requester_name="Claire Hart",
        requester_relationship="mother",
        received_on=dt.date(2026, 10, 1),
        clock_started_on=dt.date(2026, 10, 1),
        due_on=dt.date(2026, 11, 2),
        docs_total=0,
        docs_done=0,
    )
    session.add(req)
    session.commit()
    return req.id


def main(argv: list[str]) -> None:  # pragma: no cover - runs in the worker subprocess
    """``python pp_worker_app.py DB REDIS STORAGE KEY SLOW_SECONDS``: a real worker."""
    from pupil_privacy.worker.runner import run_worker

    database_url, redis_url, storage, key, slow = argv
    mis = school(slow={"r-letter": float(slow)})
    app = make_app(database_url, redis_url, make_settings(Path(storage), key.encode()), mis)
    run_worker(app, burst=False, simple=True, reconcile_every=3600)


OnEvent = Callable[[], None]

if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main(sys.argv[1:])


def migrations_config(connection: Connection) -> Config:
    """An Alembic config running the installed ``pupil_privacy.migrations`` on ``connection``
    (the same migrations the plugin's ``upgrade_database`` runs)."""
    import pupil_privacy.migrations as migrations

    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    config.attributes["connection"] = connection
    return config
