"""The pack as a PDF reader and a screen reader see it (issue 12): a title in its metadata,
its language in the catalog (/Lang), bookmarks to every document; the DPO's copy keeps them."""

from __future__ import annotations

import datetime as dt

import pymupdf

from pupil_privacy.worker.pack.layout import (
    PACK_LANGUAGE,
    PackDocument,
    PackInfo,
    build_dpo_pack,
    build_pack,
    pack_title,
)

INFO = PackInfo(
    reference="SAR-2026-0042",
    school_name="Riverside Academy",
    subject_name="Amelia Okafor",
    release_date=dt.date(2026, 12, 3),
    cover_sections=[("Your request", "You asked for a copy of Amelia's data.")],
)


def _letter() -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 100), "Behaviour note for Amelia Okafor.", fontsize=11)
    return doc.tobytes()


def _pack() -> bytes:
    note = PackDocument(
        title="Behaviour note",
        category="behaviour",
        status="done",
        created=dt.date(2026, 10, 1),
        load=_letter,
        ref="1",
    )
    return build_pack(INFO, [note]).data


def _lang(doc: pymupdf.Document) -> tuple[str, str]:
    return doc.xref_get_key(doc.pdf_catalog(), "Lang")


def test_the_pack_has_a_title_a_language_and_bookmarks():
    with pymupdf.open(stream=_pack(), filetype="pdf") as doc:
        assert doc.metadata["title"] == pack_title(INFO)
        assert "SAR-2026-0042" in doc.metadata["title"]
        assert "Amelia" not in doc.metadata["title"]  # the title names the request only
        assert _lang(doc) == ("string", PACK_LANGUAGE)
        titles = [title for _, title, _ in doc.get_toc()]
    assert "Behaviour note" in titles and "Contents" in titles


def test_the_dpo_copy_keeps_title_language_and_bookmarks():
    requester = _pack()
    data, _ = build_dpo_pack(requester, INFO, 1, [], [])
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        assert doc.metadata["title"] == pack_title(INFO)
        assert _lang(doc) == ("string", PACK_LANGUAGE)
        titles = [title for _, title, _ in doc.get_toc()]
    assert "Behaviour note" in titles
    assert "DPO: review flags and redaction schedule" in titles
