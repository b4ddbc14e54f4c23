"""The worker tests' names for the shared fake school (tests/support), and a real worker
process the SIGKILL test starts as ``python pp_worker_app.py ...``: it builds exactly the same
app as the test (same MIS records, database, Redis and storage).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

if __name__ == "__main__":  # pragma: no cover - run as a script: make tests/support importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from support.detector import LiteralDetector, LiteralRedactor
from support.files import docx_bytes, encrypted_pdf_bytes, pdf_bytes, zip_bomb_docx
from support.school import (
    FATHER,
    MOTHER,
    OTHER_PARENT,
    OTHER_PUPIL,
    PUPIL,
    TEACHER,
    SlowMIS,
    school,
)
from support.worker_app import clear_tables, make_app, make_settings, new_request

__all__ = [
    "FATHER",
    "MOTHER",
    "OTHER_PARENT",
    "OTHER_PUPIL",
    "PUPIL",
    "TEACHER",
    "LiteralDetector",
    "LiteralRedactor",
    "SlowMIS",
    "clear_tables",
    "docx_bytes",
    "encrypted_pdf_bytes",
    "make_app",
    "make_settings",
    "new_request",
    "pdf_bytes",
    "school",
    "zip_bomb_docx",
]


def main(argv: list[str]) -> None:  # pragma: no cover - runs in the worker subprocess
    """``python pp_worker_app.py DB REDIS STORAGE KEY SLOW_SECONDS``: a real worker."""
    from pupil_privacy.worker.runner import run_worker

    database_url, redis_url, storage, key, slow = argv
    mis = school(slow={"r-letter": float(slow)})
    app = make_app(database_url, redis_url, make_settings(Path(storage), key.encode()), mis)
    run_worker(app, burst=False, simple=True, reconcile_every=3600)


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main(sys.argv[1:])
