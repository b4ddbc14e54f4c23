"""Re-run issue 11's table of hostile inputs against ``pupil-privacy redact``.

Each row builds one hostile input (or a batch), runs the real console script on it as a
subprocess, and prints the outcome, the exit code and the peak memory of that run (the
child's ``ru_maxrss`` from ``os.wait4``, which includes what it waited for, such as
tesseract). A row passes when it ends in a clean per-file error or a correct output (no
third party left in it), with no traceback and a peak under 500 MB.

    .venv/bin/python scripts/hostile_table.py [--only NAME] [--mutants 200] [--keep DIR]

Exits 1 when any row fails. Inputs are made fresh each run (seeded), nothing is downloaded.
"""

from __future__ import annotations

import argparse
import email.policy
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pymupdf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "redaction"))
import docfactory  # noqa: E402  (the tests' document builders: one source of samples)

SCRIPT = Path(sys.executable).with_name("pupil-privacy")
PEAK_LIMIT_MB = 500
THIRD = docfactory.THIRD.split()[-1]  # "Whitfield": must not survive in any output
SUBJECT = {
    "id": "p1",
    "name": "Amelia Okafor",
    "upn": "A123456789012",
    "requester": {"name": "Grace Okafor", "relationship": "mother",
                  "email": "grace.okafor@example.org"},
}  # fmt: skip
ROSTER = [
    {"name": "Amelia Okafor", "role": "pupil", "upn": "A123456789012"},
    {"name": docfactory.THIRD, "role": "pupil", "email": docfactory.THIRD_EMAIL,
     "phone": docfactory.THIRD_PHONE},
    {"name": "Helen Price", "role": "staff", "email": "h.price@school.example"},
]  # fmt: skip


@dataclass
class Row:
    name: str
    build: Callable[[Path], list[Path]]  # writes the input(s) into a folder, returns them
    out_is_file: bool = False  # --out names an existing file (the last row of the issue)
    expect_ok: bool | None = None  # None: a clean error or a correct output both pass
    own_kept: bool = True  # an ok output must still show the pupil's own name


# --- hostile inputs ---------------------------------------------------------------------


def _lying_docx(folder: Path, declared: int, actual: int, name: str) -> list[Path]:
    """A DOCX whose document.xml inflates to ``actual`` bytes while both zip headers say
    ``declared``: the deflate stream is written by hand, a chunk at a time."""
    path = folder / name
    member = b"word/document.xml"
    head = (
        b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
    )
    crc, packed = 0, bytearray()
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    crc = zlib.crc32(head, crc)
    packed += squeeze.compress(head)
    block = b"A" * (1 << 20)
    for _ in range((actual - len(head)) // len(block)):
        crc = zlib.crc32(block, crc)
        packed += squeeze.compress(block)
    packed += squeeze.flush()
    local = struct.pack(
        "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(packed), declared,
        len(member), 0,
    )  # fmt: skip
    central = struct.pack(
        "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(packed), declared,
        len(member), 0, 0, 0, 0, 0, 0,
    )  # fmt: skip
    end = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(central) + len(member),
        len(local) + len(member) + len(packed), 0,
    )  # fmt: skip
    path.write_bytes(local + member + bytes(packed) + central + member + end)
    return [path]


def _mutants(folder: Path, count: int) -> list[Path]:
    """``count`` PDFs made by flipping random bytes of one valid redacted output."""
    source = folder / "valid" / "note.pdf"
    source.parent.mkdir()
    source.write_bytes(docfactory.pdf_with_hidden_places())
    out = folder / "valid-out"
    result = _run([source], out, folder / "valid-report.json")
    if result.code != 0:
        raise SystemExit(f"could not make the valid output to mutate: {result.stderr[-500:]}")
    valid = (out / "note.pdf").read_bytes()
    rng = random.Random(11)
    paths = []
    for n in range(count):
        data = bytearray(valid)
        for _ in range(rng.randint(1, 16)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path = folder / f"mutant-{n:03d}.pdf"
        path.write_bytes(bytes(data))
        paths.append(path)
    return paths


def _scanned_page(folder: Path, points: int) -> list[Path]:
    doc = pymupdf.open()
    page = doc.new_page(width=points, height=points)
    png = docfactory.text_png(["Amelia Okafor sat with", f"{docfactory.THIRD} at lunch"])
    page.insert_image(page.rect, stream=png)
    path = folder / f"scan-{points}pt.pdf"
    path.write_bytes(doc.tobytes())
    return [path]


def _truncated_pdf(folder: Path, where: str) -> list[Path]:
    """Cut a six-page PDF: before its index (``xref``: MuPDF repairs it whole) or at
    two thirds (``middle``: pages are lost)."""
    doc = pymupdf.open()
    for number in range(6):
        doc.new_page().insert_text(
            (72, 72), f"Page {number + 1}: Amelia Okafor and {docfactory.THIRD} at break."
        )
    data = doc.tobytes()
    cut = data.rfind(b"xref") if where == "xref" else len(data) * 2 // 3
    path = folder / f"truncated-{where}.pdf"
    path.write_bytes(data[:cut])
    return [path]


def _utf16(folder: Path) -> list[Path]:
    text = f"Amelia Okafor sat with {docfactory.THIRD} ({docfactory.THIRD_PHONE}).\r\n"
    with_bom = folder / "utf16-bom.txt"
    with_bom.write_bytes(text.encode("utf-16"))
    without = folder / "utf16-le.txt"
    without.write_bytes(text.encode("utf-16-le"))
    return [with_bom, without]


def _symlink(folder: Path) -> list[Path]:
    link = folder / "passwd.txt"
    link.symlink_to("/etc/passwd")
    return [link]


def _eml(folder: Path, name: str, message: EmailMessage | bytes) -> list[Path]:
    path = folder / name
    path.write_bytes(message if isinstance(message, bytes) else message.as_bytes())
    return [path]


def _empty_from(folder: Path) -> list[Path]:
    raw = (
        b"From: <>\r\nTo: Mrs Helen Price <h.price@school.example>\r\nSubject: note\r\n\r\n"
        + f"{docfactory.THIRD} spoke to Amelia Okafor.\r\n".encode()
    )
    return _eml(folder, "empty-from.eml", raw)


def _many_attachments(folder: Path) -> list[Path]:
    message = EmailMessage(policy=email.policy.default)
    message["From"] = "Mrs Helen Price <h.price@school.example>"
    message["Subject"] = "many"
    message.set_content("Amelia Okafor's files.")
    for n in range(150):
        message.add_attachment(b"note", maintype="text", subtype="plain", filename=f"n{n}.txt")
    return _eml(folder, "150-attachments.eml", message)


def _deep_nesting(folder: Path) -> list[Path]:
    inner: EmailMessage | None = None
    for depth in range(9):
        message = EmailMessage(policy=email.policy.default)
        message["From"] = "Mrs Helen Price <h.price@school.example>"
        message["Subject"] = f"level {depth}"
        message.set_content(f"Level {depth}: {docfactory.THIRD} and Amelia Okafor.")
        if inner is not None:
            message.add_attachment(inner)
        inner = message
    assert inner is not None
    return _eml(folder, "nested-9-deep.eml", inner)


def _many_pages(folder: Path) -> list[Path]:
    doc = pymupdf.open()
    for _ in range(3000):
        doc.new_page()
    path = folder / "3000-pages.pdf"
    path.write_bytes(doc.tobytes())
    return [path]


def _plain(folder: Path) -> list[Path]:
    path = folder / "note.txt"
    path.write_text(f"Amelia Okafor sat with {docfactory.THIRD}.\n")
    return [path]


ROWS = [
    Row("docx-zip-lies-small (1 GB document.xml, headers say 10 kB)",
        lambda f: _lying_docx(f, 10_000, 1 << 30, "lies-small.docx"), expect_ok=False),
    Row("docx-zip-lies-plausible (1 GB document.xml, headers say 150 MB)",
        lambda f: _lying_docx(f, 150 << 20, 1 << 30, "lies-150mb.docx"), expect_ok=False),
    Row("eml-from-empty (From: <>)", _empty_from, expect_ok=True),
    Row("scanned-page-8000pt", lambda f: _scanned_page(f, 8000)),
    Row("scanned-page-14400pt", lambda f: _scanned_page(f, 14400)),
    Row("truncated-pdf (cut before its xref)", lambda f: _truncated_pdf(f, "xref")),
    Row("truncated-pdf (cut at two thirds)", lambda f: _truncated_pdf(f, "middle")),
    Row("utf16-text (BOM and no BOM)", _utf16, expect_ok=True),
    Row("symlink-to-/etc/passwd", _symlink, expect_ok=False),
    Row("out-names-existing-file", _plain, out_is_file=True, expect_ok=False),
    Row("eml-150-attachments", _many_attachments, expect_ok=False),
    Row("eml-nested-9-deep", _deep_nesting),
    Row("pdf-3000-pages", _many_pages, expect_ok=False),
]  # fmt: skip


# --- running ------------------------------------------------------------------------------


@dataclass
class Run:
    code: int
    peak_mb: float
    seconds: float
    stderr: str
    report: dict[str, object] | None


def _run(files: list[Path], out: Path, report: Path) -> Run:
    """Run the console script; memory from ``os.wait4`` covers the run and its children."""
    folder = report.parent
    for name, data in (("subject.json", SUBJECT), ("roster.json", ROSTER)):
        (folder / name).write_text(json.dumps(data))
    command = [
        str(SCRIPT), "redact", "--subject", str(folder / "subject.json"),
        "--roster", str(folder / "roster.json"), "--out", str(out), "--report", str(report),
        *map(str, files),
    ]  # fmt: skip
    with tempfile.TemporaryFile() as err:
        start = time.monotonic()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - start
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    loaded = json.loads(report.read_text()) if report.exists() else None
    return Run(child.returncode, usage.ru_maxrss / 1024, seconds, stderr, loaded)


def _output_text(path: Path) -> str:
    """What a reader sees in an output; pages without a text layer are OCR'd here, at
    most 16 Mpx a page (independently of the tool's own leak check)."""
    if path.suffix.lower() == ".pdf":
        import pytesseract
        from PIL import Image

        texts = []
        with pymupdf.open(path) as doc:
            for page in doc:
                text = page.get_text()
                if len(text.strip()) < 20 and page.get_images():
                    inches = page.rect.width * page.rect.height / 72**2
                    pix = page.get_pixmap(dpi=int(min(150, (16e6 / inches) ** 0.5)))
                    image = Image.frombytes("RGB", (pix.width, pix.height), pix.samples)
                    text += pytesseract.image_to_string(image)
                texts.append(text)
        return "\n".join(texts)
    if path.suffix.lower() == ".docx":
        return docfactory.docx_xml_text(path.read_bytes())
    return path.read_bytes().decode("utf-8", "replace")


def judge(row: Row, run: Run) -> tuple[bool, str]:
    """Pass or fail, and the outcome in words."""
    problems = []
    if "Traceback" in run.stderr:
        problems.append("TRACEBACK")
    if run.peak_mb >= PEAK_LIMIT_MB:
        problems.append(f"peak {run.peak_mb:.0f} MB >= {PEAK_LIMIT_MB}")
    files = (run.report or {}).get("files", []) if run.report else []
    assert isinstance(files, list)
    counts: dict[str, int] = {}
    for entry in files:
        counts[entry["status"]] = counts.get(entry["status"], 0) + 1
        if entry["status"] == "ok":
            text = _output_text(Path(entry["output"]))
            if THIRD in text:
                problems.append(f"LEAK: {THIRD} in {entry['output']}")
            if row.own_kept and "Okafor" not in text:
                problems.append(f"the pupil's own name is gone from {entry['output']}")
    if run.code not in (0, 1, 2):
        problems.append(f"exit {run.code}")
    if row.expect_ok is True and run.code != 0:
        problems.append("expected a correct output")
    if row.expect_ok is False and run.code == 0:
        problems.append("expected a clean error")
    if run.report is None and not row.out_is_file:
        problems.append("no REPORT.json")
    if files:
        outcome = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        reasons = sorted({str(e.get("reason")) for e in files if e["status"] != "ok"})
        warnings = sorted({w for e in files for w in e.get("warnings", []) if "repair" in w})
        detail = "; ".join(r[:110] for r in reasons[:2]) + "".join(
            f" [warning: {w[:90]}]" for w in warnings[:1]
        )
        outcome += f" ({detail})" if detail else ""
    else:
        last = run.stderr.strip().splitlines()[-1:] or [""]
        outcome = f"no files processed: {last[0][:150]}"
    return not problems, outcome + ("" if not problems else " !! " + "; ".join(problems))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="run only rows whose name contains this")
    parser.add_argument("--mutants", type=int, default=200, help="byte-flipped PDFs (0: skip)")
    parser.add_argument("--keep", type=Path, help="keep inputs and outputs in this folder")
    args = parser.parse_args()
    rows = list(ROWS)
    if args.mutants:
        rows.append(
            Row(f"{args.mutants} byte-flipped copies of a valid output PDF",
                lambda f: _mutants(f, args.mutants), own_kept=False)
        )  # fmt: skip
    if args.only:
        rows = [r for r in rows if args.only in r.name]
    pymupdf.TOOLS.mupdf_display_errors(False)  # reading damaged outputs back is noisy
    base = Path(tempfile.mkdtemp(prefix="hostile-", dir=args.keep))
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (1, 5 min)")
    print(f"{'row':<62} {'exit':>4} {'peak MB':>8} {'s':>6}  outcome")
    failed = 0
    for number, row in enumerate(rows):
        folder = base / f"row{number:02d}"
        folder.mkdir()
        files = row.build(folder)
        out = folder / "out"
        if row.out_is_file:
            out.write_text("not a folder")
        run = _run(files, out, folder / "report.json")
        ok, outcome = judge(row, run)
        failed += not ok
        mark = "ok  " if ok else "FAIL"
        print(f"{row.name:<62} {run.code:>4} {run.peak_mb:>8.0f} {run.seconds:>6.1f}  "
              f"{mark} {outcome}", flush=True)  # fmt: skip
        if row.out_is_file:
            print(f"{'':<62} stderr: {run.stderr.strip()[:200]}")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    print(f"{len(rows) - failed}/{len(rows)} rows pass")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
