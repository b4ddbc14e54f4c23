"""The pack PDF itself (rule 16): every page renders with content, every page carries the
footer with the reference and release date, the contents' page numbers and the bookmarks
(one per category and per document) point at the right pages."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pymupdf
import pytest
from PIL import Image
from pp_worker_app import new_request
from sqlalchemy import select
from support.debian import need
from support.tagged import check_structure
from support.worker_flow import release_safeguarding

from pupil_privacy.worker import queueing
from pupil_privacy.worker.models import Pack
from pupil_privacy.worker.pack.storage import read_pack
from pupil_privacy.worker.runtime import get_runtime


@pytest.fixture
def built_pack(make_worker_app, work, tmp_path) -> dict[str, Path]:
    app = make_worker_app(failures=True)
    rid = new_request(app)
    queueing.enqueue_request(rid)
    work()
    release_safeguarding(rid)
    work()
    runtime = get_runtime()
    out = {}
    for pack in runtime.session.scalars(select(Pack).where(Pack.request_id == rid)):
        if pack.kind in ("requester", "dpo"):
            out[pack.kind] = tmp_path / f"{pack.kind}.pdf"
            out[pack.kind].write_bytes(read_pack(runtime, pack))
    return out


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None and os.environ.get("CI") != "true",
    reason="pdftoppm (Debian poppler-utils) is not installed; `make system-deps` installs it",
)
def test_every_page_renders_with_content(built_pack, tmp_path):
    for kind, path in built_pack.items():
        prefix = tmp_path / kind
        subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(prefix)], check=True)
        images = sorted(tmp_path.glob(f"{kind}-*.png"))
        with pymupdf.open(path) as doc:
            assert len(images) == doc.page_count
        for image in images:
            gray = Image.open(image).convert("L")
            dark = sum(gray.histogram()[:200])  # pixels clearly not white
            assert dark > 200, f"{image.name} looks blank"


def test_the_packs_the_worker_builds_are_tagged_and_pass_qpdf(built_pack):
    """Issue 12 on packs from the real pipeline (redacted records, scans, the withheld
    record): the structure tree holds every page and ``qpdf --check`` finds no error."""
    qpdf = need("qpdf")
    for kind, path in built_pack.items():
        check_structure(path.read_bytes())
        run = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
        assert run.returncode == 0, f"{kind}: {run.stdout}{run.stderr}"


def test_footers_contents_and_bookmarks(built_pack):
    with pymupdf.open(built_pack["requester"]) as doc:
        pages = [doc[i].get_text() for i in range(doc.page_count)]
        toc = doc.get_toc()
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert "SAR-2026-0001" in text and f"Page {number} of {total}" in text
        assert re.search(r"released \d{1,2} \w+ \d{4}", text)

    levels = [(level, title) for level, title, _ in toc]
    assert (1, "Cover letter") in levels and (1, "Contents") in levels
    for category in (
        "Assessments and results",
        "Behaviour and exclusions",
        "Special educational needs",
        "Documents and emails",
        "Safeguarding",
    ):
        assert (1, category) in levels
    docs = [(title, page) for level, title, page in toc if level == 2]
    assert len(docs) == 10  # every document, included or not
    contents = next(t for t in pages if t.lstrip().startswith("Contents"))
    for title, page in docs:
        if "(" in title:  # not included: the bookmark leads to the contents' reason
            assert "Contents" in pages[page - 1]
            continue
        assert title in pages[page - 1]  # the bookmark lands on the document
        assert re.search(rf"{re.escape(title)}\s+\d\d/\d\d/\d{{4}}\s+{page}\b", contents)


def test_dpo_copy_is_marked_on_every_page_and_ends_with_the_schedule(built_pack):
    with pymupdf.open(built_pack["dpo"]) as doc:
        pages = [doc[i].get_text() for i in range(doc.page_count)]
        toc = doc.get_toc()
    assert all("NOT FOR RELEASE" in p for p in pages)
    assert "Redaction schedule" in pages[-1] or "Redaction schedule" in pages[-2]
    assert toc[-1][1] == "DPO: review flags and redaction schedule"
