"""The DPO copy's redaction schedule (rule 19) wraps long cells in their columns instead of
cutting them off: every word of every cell is on the page, in its own column, and a row is
never split over two pages (each page repeats the column names)."""

from __future__ import annotations

import datetime as dt

import pymupdf
import pytest

from pupil_privacy.worker.pack.dpo_copy import SCHEDULE_CHARS, build_dpo_pack
from pupil_privacy.worker.pack.layout import (
    MARGIN,
    PackInfo,
    ScheduleRow,
    build_pack,
)

SIZE = 6.4  # the schedule's Courier size: every glyph advances 0.6 em
LONG_REASON = (
    "identifying context: the note names the child's swimming club, the coach's first name "
    "and the day of the week, which together identify another pupil (rule 10)"
)
LONG_TEXT = "Mrs Bernadette Featherstonehaugh-Ramsbottom of 14 Wellington Crescent, Harrogate"


def _rows(count: int) -> list[ScheduleRow]:
    return [
        ScheduleRow(
            document=f"Safeguarding chronology for the autumn term, entry {n}",
            page=n,
            entity_type="PERSON_CONTEXT",
            reason=LONG_REASON,
            detector="context-window-recognizer",
            score=0.85,
            action="redact",
            text=f"{LONG_TEXT} {n}",
            confirmed_by="Ms Adaeze Nwachukwu-Oyelaran (DPO)",
        )
        for n in range(count)
    ]


def _columns(pdf: bytes, first_page: int) -> tuple[list[str], int]:
    """The schedule's words, column by column in reading order, and the pages it spans."""
    starts, at = [], 0
    for width in SCHEDULE_CHARS:
        starts.append(at)
        at += width + 1
    columns: list[list[str]] = [[] for _ in SCHEDULE_CHARS]
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        for index in range(first_page, doc.page_count):
            lines = doc[index].get_text("dict")["blocks"]
            spans = [
                s
                for b in lines
                for line in b.get("lines", [])
                for s in line["spans"]
                if "Cour" in s["font"] or "Mono" in s["font"]
            ]
            words = [
                w
                for w in doc[index].get_text("words", sort=True)
                if any(pymupdf.Rect(w[:4]).intersects(s["bbox"]) for s in spans)
            ]
            for x0, _y0, _x1, _y1, word, *_ in words:
                char = round((x0 - MARGIN) / (0.6 * SIZE))
                column = max(i for i, start in enumerate(starts) if start <= char)
                columns[column].append(word)
        pages = doc.page_count - first_page
    return [" ".join(words) for words in columns], pages


def _squash(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def dpo_copy() -> tuple[bytes, int]:
    info = PackInfo("SAR-7", "Oak School", "Amelia Okafor", dt.date(2026, 3, 1), [("Hi", "x")])
    requester = build_pack(info, [])
    data, _ = build_dpo_pack(requester.data, info, 60, _rows(60), ["One flag"])
    return data, requester.pages


def test_every_word_of_every_long_cell_is_in_its_column(dpo_copy):
    data, first = dpo_copy
    columns, pages = _columns(data, first)
    assert pages >= 2  # the rows overflow one page: the header repeats
    # a word longer than its column is broken across lines: compare without spaces
    document, _page, entity, reason, detector, _score, removed, confirmed = map(_squash, columns)
    for row in _rows(60):
        assert _squash(row.document) in document
        assert _squash(row.reason) in reason  # nothing cut with "..." or "~"
        assert _squash(row.text) in removed
        assert "context-window-recognizer" in detector and "PERSON_CONTEXT" in entity
        assert row.confirmed_by and _squash(row.confirmed_by) in confirmed
    assert "~" not in "".join(columns) and "..." not in "".join(columns)


def test_rows_stay_whole_and_each_page_repeats_the_header(dpo_copy):
    data, first = dpo_copy
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        texts = [doc[i].get_text() for i in range(first, doc.page_count)]
    assert all("Removed text" in text for text in texts)
    for text in texts:
        # each page holds whole rows: as many starts of a row as ends of one
        assert text.count("Safeguarding chronology") == text.count("Harrogate")
