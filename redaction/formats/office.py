"""Word documents laid out as PDF by LibreOffice (headless, Debian's ``libreoffice-writer-nogui``).

The pack shows a Word document as the school wrote it: tables in columns, headings, headers
and footers, page breaks. LibreOffice only ever sees the *redacted* DOCX (true removal has
already happened in every XML part, :mod:`.docx`), and the PDF it writes is then redacted
again as a PDF and leak-checked like any other (rule 18). Where LibreOffice is not installed,
or fails on a document, the plain rendering of :func:`.text.render_pdf` is used instead and
the document's warnings say which layout it got.

Each conversion runs in a private temporary directory (mode 0700, removed afterwards) with
its own LibreOffice user profile, so parallel workers never share a profile lock, and within
a time limit; on timeout the whole process group is killed (``soffice`` starts
``soffice.bin`` as a child).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .. import limits
from ..errors import DocumentError

#: Names the LibreOffice binary; set to an empty string to turn LibreOffice off.
SOFFICE_ENV = "PUPIL_PRIVACY_SOFFICE"
#: Seconds one conversion may take (less when the document's own budget has less left).
TIMEOUT = 120.0

LAID_OUT = "Word layout: laid out by LibreOffice (tables, headers and page layout kept)"
ABSENT = (
    "Word layout: plain text rendering (LibreOffice is not installed; "
    "tables are shown as text with | between cells)"
)


class ConversionFailed(DocumentError):
    """LibreOffice could not lay a document out; the reason says why, in plain words."""

    code = "conversion"


def soffice() -> str | None:
    """The LibreOffice binary to use, or ``None`` when there is none (or it is turned off)."""
    configured = os.environ.get(SOFFICE_ENV)
    if configured is not None:
        return shutil.which(configured) if configured.strip() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def failed_warning(reason: str) -> str:
    return f"Word layout: plain text rendering (LibreOffice failed: {reason})"


def convert_to_pdf(
    data: bytes, binary: str, *, suffix: str = ".docx", timeout: float | None = None
) -> bytes:
    """Lay ``data`` (an already redacted document) out as PDF with LibreOffice.

    :raises ConversionFailed: on timeout, a non-zero exit or no PDF written.
    """
    limit = TIMEOUT if timeout is None else timeout
    left = limits.remaining()
    if left is not None:
        limit = min(limit, left)
    with tempfile.TemporaryDirectory(prefix="pupil-privacy-soffice-") as tmp:
        work = Path(tmp)
        source = work / f"document{suffix}"
        source.write_bytes(data)
        command = [
            binary,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        _run(command, work, limit)
        result = work / "out" / "document.pdf"
        if not result.is_file() or result.stat().st_size == 0:
            raise ConversionFailed("LibreOffice wrote no PDF")
        return result.read_bytes()


def _run(command: list[str], home: Path, limit: float) -> None:
    env = {
        "HOME": str(home),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "TMPDIR": str(home),
    }
    try:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=home,
            start_new_session=True,
        )
    except OSError as exc:
        raise ConversionFailed(f"LibreOffice could not start ({exc.strerror})") from None
    try:
        output, _ = proc.communicate(timeout=max(limit, 1.0))
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise ConversionFailed(f"LibreOffice took longer than {limit:.0f} s") from None
    finally:
        _kill_leftovers(proc.pid)
    if proc.returncode != 0:
        tail = output.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise ConversionFailed(f"LibreOffice exited with code {proc.returncode}: {tail[0]}")


def _kill_leftovers(group: int) -> None:
    """``soffice`` can leave ``soffice.bin`` behind in its group; none may outlive the call."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)


def append_pdf(first: bytes, second: bytes) -> bytes:
    """``second``'s pages after ``first``'s (comments after the laid-out document)."""
    import pymupdf

    with (
        pymupdf.open(stream=first, filetype="pdf") as out,
        pymupdf.open(stream=second, filetype="pdf") as more,
    ):
        out.insert_pdf(more)
        return bytes(out.tobytes(garbage=3, deflate=True))
