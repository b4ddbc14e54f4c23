"""x-ray (Free Law Project) as an independent reader of our PDFs: it finds bad redactions,
text still in the page under a box drawn over it.

x-ray pins an exact, older PyMuPDF than ours, so ``make install`` puts it in its own venv
(``.venv-xray``) and it runs here as a program; its range is in pyproject.toml
(``[tool.pupil_privacy.test-tools]``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pymupdf

REPO = Path(__file__).resolve().parents[2]
XRAY = shutil.which("xray", path=str(REPO / ".venv-xray" / "bin"))
NO_XRAY = "x-ray is not installed in .venv-xray (make install puts it there)"


def bad_redactions(pdf: bytes, tmp: Path) -> dict[str, list[dict[str, Any]]]:
    """What x-ray finds in ``pdf``: page number -> [{"bbox": ..., "text": ...}], empty when
    every box hides nothing."""
    assert XRAY, NO_XRAY
    path = tmp / "xray-input.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([XRAY, str(path)], capture_output=True, check=True, text=True, timeout=300)
    found: dict[str, list[dict[str, Any]]] = json.loads(out.stdout)
    return found


def found_text(found: dict[str, list[dict[str, Any]]]) -> str:
    """Every text x-ray read under a box, joined."""
    return " ".join(r["text"] for rows in found.values() for r in rows)


def box_over_text(pdf: bytes, words: str) -> bytes:
    """A bad redaction made on purpose: a black box drawn over the first occurrence of
    ``words``, which stay in the text layer underneath."""
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        for page in doc:
            hits = page.search_for(words)
            if hits:
                page.draw_rect(hits[0], color=(0, 0, 0), fill=(0, 0, 0))
                return bytes(doc.tobytes())
    raise AssertionError(f"{words!r} is not in the PDF")
