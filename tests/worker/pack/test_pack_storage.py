"""Packs at rest: encrypted with the configured Fernet key, written atomically, and purged at
the end of their retention period with the purge recorded (issue 4)."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.fernet import Fernet
from pp_worker_app import OTHER_PUPIL, new_request
from sqlalchemy import select
from support.worker_flow import release_safeguarding

from pupil_privacy.worker import queueing
from pupil_privacy.worker.models import Pack, RequestEvent
from pupil_privacy.worker.pack import retention
from pupil_privacy.worker.pack.storage import (
    PackPurged,
    Storage,
    StorageError,
    read_document,
    read_pack,
)
from pupil_privacy.worker.runtime import get_runtime


def test_storage_round_trip_is_encrypted_and_atomic(tmp_path):
    key = Fernet.generate_key()
    store = Storage(tmp_path, key)
    store.write("requests/1/packs/requester.pdf.enc", b"%PDF-1.7 Amelia Hart")
    raw = (tmp_path / "requests/1/packs/requester.pdf.enc").read_bytes()
    assert b"Amelia" not in raw and b"%PDF" not in raw
    assert store.read("requests/1/packs/requester.pdf.enc") == b"%PDF-1.7 Amelia Hart"
    assert not list(tmp_path.rglob("*.part"))  # no temporary file left behind
    with pytest.raises(StorageError, match="cannot be decrypted"):
        Storage(tmp_path, Fernet.generate_key()).read("requests/1/packs/requester.pdf.enc")
    with pytest.raises(StorageError, match="not a storage key"):
        store.path("../../etc/passwd")
    with pytest.raises(StorageError, match="Fernet key"):
        Storage(tmp_path, b"not a key")


def test_built_packs_are_encrypted_on_disk_and_purged_after_retention(app, work):
    runtime = get_runtime()
    rid = new_request(app)
    queueing.enqueue_request(rid)
    work()
    release_safeguarding(rid)
    work()
    session = runtime.session
    packs = session.scalars(select(Pack).where(Pack.request_id == rid)).all()
    assert len(packs) == 4
    for pack in packs:
        raw = (runtime.settings.storage_dir / pack.storage_key).read_bytes()
        assert b"Amelia" not in raw and b"%PDF" not in raw  # encrypted at rest
        assert pack.purge_after == dt.date.today() + dt.timedelta(days=90)
    docs = [d for d in packs[0].request.documents if d.output_key]
    assert read_document(runtime, docs[0]).startswith(b"%PDF")

    assert retention.purge_expired(runtime) == 0  # nothing is due yet
    later = dt.date.today() + dt.timedelta(days=91)
    assert retention.purge_expired(runtime, today=later) == 4
    session.expire_all()
    for pack in session.scalars(select(Pack).where(Pack.request_id == rid)):
        assert pack.storage_key is None and pack.purged_at is not None
        with pytest.raises(PackPurged, match="retention period"):
            read_pack(runtime, pack)
    assert not [p for p in runtime.settings.storage_dir.rglob("*.enc")]  # documents too
    events = session.scalars(select(RequestEvent.kind).where(RequestEvent.request_id == rid)).all()
    assert events.count("pack_purged") == 4


def test_the_dpo_copy_alone_holds_the_removed_text(app, work):
    runtime = get_runtime()
    rid = new_request(app)
    queueing.enqueue_request(rid)
    work()
    release_safeguarding(rid)
    work()
    packs = {
        p.kind: read_pack(runtime, p)
        for p in runtime.session.scalars(select(Pack).where(Pack.request_id == rid))
    }
    import pymupdf

    def text(data: bytes) -> str:
        with pymupdf.open(stream=data, filetype="pdf") as doc:
            return "".join(doc[i].get_text() for i in range(doc.page_count))

    assert OTHER_PUPIL in text(packs["dpo"])
    assert OTHER_PUPIL not in text(packs["requester"])
    assert OTHER_PUPIL.encode() not in packs["export_json"]
