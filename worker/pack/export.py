"""The machine-readable copy: JSON and CSV of the pupil's records (Art 20 portability, and
the "commonly used electronic form" for requests made electronically; rules 16 and 17).

The text of each record is read back from its redacted PDF, so the export holds exactly what
the requester's pack shows: third parties' data is already replaced by the redaction label.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .layout import UNNAMED, BuiltPack, PackDocument, category_label

if TYPE_CHECKING:
    from ..mis import MISAdapter
    from ..models import RequestDocument, RightsRequest

FORMAT = "pupil-privacy/export-v1"
CSV_COLUMNS = [
    "record_id",
    "category",
    "category_label",
    "title",
    "date",
    "source",
    "status",
    "reason",
    "text",
]


def export_records(
    documents: Sequence[tuple[str, PackDocument]], texts: dict[str, str]
) -> list[dict[str, Any]]:
    """One entry per record; ``documents`` pairs the MIS record id with its pack entry."""
    rows = []
    for record_id, doc in documents:
        rows.append(
            {
                "record_id": record_id,
                "category": doc.category,
                "category_label": category_label(doc.category),
                "title": doc.title,
                "date": doc.created.isoformat() if doc.created else None,
                "source": doc.source,
                "status": {"done": "included"}.get(doc.status, doc.status),
                "reason": doc.reason if doc.status != "done" else None,
                "text": texts.get(doc.ref, "").strip() if doc.status == "done" else None,
            }
        )
    return rows


def export_document(
    *,
    reference: str,
    school_name: str,
    subject: dict[str, Any],
    records: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "reference": reference,
        "school": school_name,
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "subject": subject,
        "records": records,
    }


#: What a spreadsheet reads as the start of a formula (or, for tab and CR, shifts a cell so the
#: next character starts one): OWASP's list for CSV injection.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: object) -> object:
    """A CSV cell a spreadsheet shows as text, never runs as a formula (CSV injection).

    A leading apostrophe is what Excel and LibreOffice themselves use to mean "text": the
    reader still sees every character of the original after it.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(records: Sequence[dict[str, Any]]) -> bytes:
    """The CSV export, every cell :func:`formula_safe`."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in records:
        writer.writerow(
            {k: "" if row.get(k) is None else formula_safe(row[k]) for k in CSV_COLUMNS}
        )
    # utf-8-sig: Excel, which most schools and families open a CSV with, then reads accents.
    return out.getvalue().encode("utf-8-sig")


def json_bytes(document: dict[str, Any]) -> bytes:
    """The JSON export. Values are kept exactly: JSON is read by programs, which do not
    evaluate formulas, and a changed value would alter the pupil's own data."""
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_json(path: Path, document: dict[str, Any]) -> Path:
    path.write_bytes(json_bytes(document))
    return path


def subject_summary(mis: MISAdapter, pupil_id: str) -> dict[str, Any]:
    """The pupil's own core details, as the MIS holds them (their data: nothing removed)."""
    pupil = mis.pupil(pupil_id)
    if pupil is None:
        return {"id": pupil_id}
    return {
        "id": pupil.id,
        "name": pupil.name,
        "preferred_name": pupil.preferred_name,
        "date_of_birth": pupil.date_of_birth.isoformat() if pupil.date_of_birth else None,
        "upn": pupil.upn,
        "address": pupil.address,
        "email": pupil.email,
        "year_group": pupil.year_group,
    }


def build_exports(
    mis: MISAdapter,
    req: RightsRequest,
    documents: Sequence[tuple[RequestDocument, PackDocument]],
    built: BuiltPack,
    school_name: str,
    media: dict[str, dict[str, Any]] | None = None,
) -> tuple[bytes, bytes]:
    """The JSON and CSV exports of a request, in memory (titles in ``documents`` are already
    cleared of third parties); nothing unencrypted is written to disk.

    ``media``: a video clip's entry by record id (``pack.clips.export_clips``), added to its
    JSON record as ``media`` (the CSV names the clip's file in the download instead)."""
    # a record withheld unnamed (rule 14) keeps no MIS id: the id could say what it is
    records = export_records(
        [(d.record_id if p.category != UNNAMED else "", p) for d, p in documents], built.texts
    )
    for row in records:
        clip = (media or {}).get(row["record_id"])
        if clip:
            row["media"] = clip
            row["text"] = f"{row['text'] or ''}\n[video clip: {clip['file']}]".strip()
    document = export_document(
        reference=req.reference,
        school_name=school_name,
        subject=subject_summary(mis, req.pupil_id),
        records=records,
    )
    return json_bytes(document), csv_bytes(records)
