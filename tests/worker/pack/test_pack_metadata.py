"""The pack PDF says what it is (issue 12): a title shown instead of the file name, the
language in the catalog for screen readers, and its bookmarks kept and shown on opening,
in the requester's copy and the DPO's."""

from __future__ import annotations

import datetime as dt

import pymupdf
import pytest

from pupil_privacy.worker.pack.dpo_copy import build_dpo_pack
from pupil_privacy.worker.pack.layout import (
    PackDocument,
    PackInfo,
    build_pack,
)


def _letter() -> bytes:
    with pymupdf.open() as doc:
        doc.new_page().insert_text((72, 72), "Amelia's attendance letter")
        return bytes(doc.tobytes())


@pytest.fixture(scope="module")
def packs() -> dict[str, bytes]:
    info = PackInfo("SAR-9", "Oak School", "Amelia Okafor", dt.date(2026, 3, 1), [("Hi", "x")])
    docs = [PackDocument("Attendance letter", "attendance", "done", load=_letter, ref="1")]
    requester = build_pack(info, docs)
    dpo, _ = build_dpo_pack(requester.data, info, 0, [], [])
    return {"requester": requester.data, "dpo": dpo}


@pytest.mark.parametrize(
    ("kind", "title"),
    [
        ("requester", "Subject access request SAR-9 - Oak School"),
        ("dpo", "DPO copy, not for release - subject access request SAR-9"),
    ],
)
def test_title_language_and_bookmarks(packs, kind, title):
    with pymupdf.open(stream=packs[kind], filetype="pdf") as doc:
        catalog = doc.pdf_catalog()
        assert doc.metadata["title"] == title
        assert "Amelia" not in doc.metadata["title"]  # previews show it: the request, not a person
        assert doc.xref_get_key(catalog, "Lang") == ("string", "en-GB")
        assert doc.xref_get_key(catalog, "PageMode") == ("name", "/UseOutlines")
        assert "DisplayDocTitle true" in doc.xref_get_key(catalog, "ViewerPreferences")[1]
        toc = [entry[1] for entry in doc.get_toc()]
    assert toc[:4] == ["Cover letter", "Contents", "Attendance", "Attendance letter"]
    assert ("DPO: review flags and redaction schedule" in toc) == (kind == "dpo")
