"""The pack's data at rest (issue 11): exports a spreadsheet cannot run as formulas (the JSON
keeps the pupil's values exactly), no plaintext pack written to disk while assembling, and the
redaction schedule's removed third-party text encrypted with the pack key and purged with the
pack."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from flask import Flask
from pp_worker_app import OTHER_PUPIL, new_request
from sqlalchemy import select, text
from support.worker_flow import finish, pack_text, release_safeguarding, session

from pupil_privacy.worker import queueing
from pupil_privacy.worker.models import Pack, Redaction
from pupil_privacy.worker.pack.export import FORMULA_STARTS, formula_safe
from pupil_privacy.worker.pack.retention import purge_expired
from pupil_privacy.worker.pack.storage import read_pack
from pupil_privacy.worker.runtime import get_runtime

Work = Callable[..., None]


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_a_cell_starting_a_formula_is_shown_as_text(start: str) -> None:
    assert formula_safe(f"{start}SUM(A1:A9)") == f"'{start}SUM(A1:A9)"


@pytest.mark.parametrize("value", ["Amelia Hart", "34 out of 40", "", " =not first", 12, None])
def test_other_cells_are_left_exactly_as_they_are(value: Any) -> None:
    assert formula_safe(value) == value


def _export(kind: str, request_id: int) -> bytes:
    runtime = get_runtime()
    pack = runtime.session.scalars(
        select(Pack).where(Pack.request_id == request_id, Pack.kind == kind)
    ).one()
    return read_pack(runtime, pack)


def test_the_csv_export_cannot_run_formulas_and_the_json_keeps_every_value(
    app: Flask, work: Work
) -> None:
    mis = get_runtime().mis
    records = mis.pupil_records["P1"]  # type: ignore[attr-defined]
    titles = {"r-assess": '=HYPERLINK("http://x.example","Maths")', "r-behav": "@Lunchtime"}
    for i, record in enumerate(records):
        if record.id in titles:
            records[i] = replace(record, title=titles[record.id])
    rid = new_request(app)
    queueing.enqueue_request(rid)
    finish(rid, work)

    rows = list(csv.DictReader(io.StringIO(_export("export_csv", rid).decode("utf-8-sig"))))
    by_id = {row["record_id"]: row for row in rows}
    assert by_id["r-assess"]["title"] == "'" + titles["r-assess"]
    assert by_id["r-behav"]["title"] == "'@Lunchtime"
    # The text of a text record starts with its title: neutralised too.
    assert by_id["r-assess"]["text"].startswith("'=HYPERLINK")
    for row in rows:
        for value in row.values():
            assert not value.startswith(FORMULA_STARTS), value
    # Nothing else changed: Amelia's own data is all there.
    assert "34 out of 40" in by_id["r-assess"]["text"]

    data = json.loads(_export("export_json", rid))
    exported = {r["record_id"]: r for r in data["records"]}
    assert exported["r-assess"]["title"] == titles["r-assess"]  # exactly as the school holds it
    assert exported["r-behav"]["title"] == "@Lunchtime"


def test_assembly_writes_no_plaintext_pack_to_disk(
    app: Flask, work: Work, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    rid = new_request(app)
    queueing.enqueue_request(rid)
    work()
    release_safeguarding(rid)  # assembly is queued; watch it alone

    storage = get_runtime().settings.storage_dir.resolve()
    written: list[str] = []

    def on_open(event: str, args: tuple[Any, ...]) -> None:
        if event == "open" and watching and isinstance(args[0], (str, bytes, Path)):
            mode = args[1] or "r"
            flags = args[2] if len(args) > 2 else 0
            if any(c in str(mode) for c in "wax+") or (isinstance(flags, int) and flags & 0o3):
                written.append(str(args[0]))

    save = pymupdf.Document.save

    def save_to_memory_only(doc: pymupdf.Document, target: Any, *args: Any, **kw: Any) -> Any:
        if isinstance(target, (str, bytes, Path)):
            raise AssertionError(f"a PDF was saved to the file {target}")
        return save(doc, target, *args, **kw)  # tobytes(): into a BytesIO

    watching = False
    sys.addaudithook(on_open)  # hooks cannot be removed: this one only records while watching
    # PyMuPDF writes files in C, unseen by the audit hook: saving to a path is refused.
    monkeypatch.setattr(pymupdf.Document, "save", save_to_memory_only)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "watched-tmp"))
    (tmp_path / "watched-tmp").mkdir()
    watching = True
    try:
        work()
    finally:
        watching = False
    assert list((tmp_path / "watched-tmp").iterdir()) == []
    outside = [p for p in written if not Path(p).resolve().is_relative_to(storage)]
    assert outside == []
    assert written, "the audit hook saw the encrypted packs being written"
    for path in storage.rglob("*"):
        if path.is_file():
            head = path.read_bytes()[:8]
            assert head.startswith(b"gAAAAA"), (path, head)  # a Fernet token, not %PDF or JSON
    assert "minibus" in pack_text("requester", rid)


def test_the_schedules_removed_text_is_encrypted_and_purged_with_the_pack(
    app: Flask, work: Work
) -> None:
    rid = new_request(app)
    queueing.enqueue_request(rid)
    finish(rid, work)
    engine = app.extensions["pp_test_engine"]

    with engine.connect() as conn:
        raw = [row[0] for row in conn.execute(text("SELECT text FROM pp_redaction"))]
    assert raw and all(value.startswith("fernet:") for value in raw)
    assert not any(OTHER_PUPIL in value or "Baxter" in value for value in raw)
    # The DPO still reads it: on their copy's schedule, and through the model.
    removed = session().scalars(select(Redaction.text)).all()
    assert OTHER_PUPIL in removed
    assert OTHER_PUPIL in pack_text("dpo", rid)

    purged = purge_expired(get_runtime(), today=dt.date.today() + dt.timedelta(days=400))
    assert purged == 4
    with engine.connect() as conn:
        raw = [row[0] for row in conn.execute(text("SELECT text FROM pp_redaction"))]
    assert raw and set(raw) == {""}  # the rows stay (what, which rule, who), the text is gone
    rows = session().scalars(select(Redaction)).all()
    assert len(rows) == len(raw) and all(r.entity_type and r.reason for r in rows)
