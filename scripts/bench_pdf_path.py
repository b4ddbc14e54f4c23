"""The PDF path's own CPU seconds on ``make bench``'s file, detection set aside.

Redacts the bench's PDFs twice with one ``Detector`` in this process: the first pass is the
whole cost; in the second every text was analysed before, so detection is answered from the
detector's cache and what is left is the PDF path (reading, removal, labels, hidden places,
saving) and the leak check. Prints one JSON line: CPU seconds of each pass, the machine's
load, and whether both passes gave the same outputs (page text and schedule).

    cd scripts && ../.venv/bin/python -c "import bench_redaction as b, corpus; \
b.build_file(300, corpus.DEFAULT_SEED, b.WORK)"
    PUPIL_PRIVACY_NER_PROCESSES=1 nice taskset -c 1 .venv/bin/python scripts/bench_pdf_path.py
"""

from __future__ import annotations

import argparse
import json
import os
import resource
from pathlib import Path
from typing import Any

import pymupdf

from pupil_privacy.redaction.detect import Detector
from pupil_privacy.redaction.document import NeedsReview, redact_document
from pupil_privacy.redaction.engine import get_analyzer
from pupil_privacy.redaction.types import Person, Subject

WORK = Path(__file__).resolve().parent.parent / ".eval" / "bench"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _one_pass(folder: Path, names: list[str], detector: Detector) -> dict[str, Any]:
    """Each PDF redacted: its output bytes and schedule rows."""
    out: dict[str, Any] = {}
    for name in names:
        try:
            result = redact_document((folder / name).read_bytes(), name, detector)
        except NeedsReview as held:
            result = held.document
        rows = [(r.page, r.offset, r.text, r.entity_type, r.action) for r in result.records]
        out[name] = (result.content, rows)
    return out


def _readable(done: dict[str, Any]) -> dict[str, Any]:
    """Outputs as their page text (the bytes carry a random document id)."""
    text = {}
    for name, (content, rows) in done.items():
        with pymupdf.open(stream=content, filetype="pdf") as doc:
            text[name] = ([page.get_text() for page in doc], rows)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--input", type=Path, default=WORK, help="a folder made by make bench")
    args = parser.parse_args()
    manifest = json.loads((args.input / "manifest.json").read_text(encoding="utf-8"))
    get_analyzer()
    detector = Detector(
        Subject.from_dict(manifest["subject"]), [Person.from_dict(p) for p in manifest["roster"]]
    )
    names = [f["name"] for f in manifest["files"] if f["name"].endswith(".pdf")]
    start = _cpu()
    first = _one_pass(args.input, names, detector)
    middle = _cpu()
    second = _one_pass(args.input, names, detector)
    end = _cpu()
    result = {
        "pdfs": len(names),
        "first_pass_cpu": round(middle - start, 2),
        "cached_detection_pass_cpu": round(end - middle, 2),
        "same_outputs": _readable(first) == _readable(second),
        "load": os.getloadavg(),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
