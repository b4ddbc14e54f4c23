"""Re-run issue 11's table of hostile inputs against ``pupil-privacy redact``.

Each row builds one hostile input (or a batch), runs the real console script on it as a
subprocess, and prints the outcome, the exit code and the peak memory of that run (the
command's ``ru_maxrss`` from ``os.wait4``, which includes what it waited for, such as
tesseract). A row passes when it ends in a clean per-file error or a correct output (no
third party left in it), with no traceback and a peak under 500 MB.

    .venv/bin/python scripts/hostile_table.py [--only NAME] [--mutants 200] [--keep DIR]

Exits 1 when any row fails. Inputs are made fresh each run (seeded), nothing is downloaded.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pymupdf

_TESTS = Path(__file__).resolve().parent.parent / "tests" / "redaction"
sys.path[:0] = [str(_TESTS), str(_TESTS / "hardening")]
import docfactory  # noqa: E402  (the tests' document builders: one source of samples)
import hostile  # noqa: E402

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


# --- hostile inputs (built by tests/redaction/hardening/hostile.py) -----------------------


def _write(name: str, data: bytes) -> Callable[[Path], list[Path]]:
    def build(folder: Path) -> list[Path]:
        path = folder / name
        path.write_bytes(data)
        return [path]

    return build


def _lazy(name: str, make: Callable[[], bytes]) -> Callable[[Path], list[Path]]:
    return lambda folder: _write(name, make())(folder)


def _mutants(folder: Path, count: int) -> list[Path]:
    """``count`` PDFs made by flipping random bytes of one valid redacted output."""
    source = folder / "valid" / "note.pdf"
    source.parent.mkdir()
    source.write_bytes(hostile.valid_pdf())
    out = folder / "valid-out"
    result = _run([source], out, folder / "valid-report.json")
    if result.code != 0:
        raise SystemExit(f"could not make the valid output to mutate: {result.stderr[-500:]}")
    paths = []
    for n, data in enumerate(hostile.byte_flips((out / "note.pdf").read_bytes(), count, 11)):
        paths.append(folder / f"mutant-{n:03d}.pdf")
        paths[-1].write_bytes(data)
    return paths


def _symlink(folder: Path) -> list[Path]:
    link = folder / "passwd.txt"
    link.symlink_to("/etc/passwd")
    return [link]


def _utf16(folder: Path) -> list[Path]:
    return _write("utf16-bom.txt", hostile.utf16_text(True))(folder) + _write(
        "utf16-le.txt", hostile.utf16_text(False)
    )(folder)


ROWS = [
    Row("docx-zip-lies-small (1 GB document.xml, headers say 10 kB)",
        _lazy("lies-small.docx", lambda: hostile.lying_docx(10_000, 1 << 30)), expect_ok=False),
    Row("docx-zip-lies-plausible (1 GB document.xml, headers say 150 MB)",
        _lazy("lies-150mb.docx", lambda: hostile.lying_docx(150 << 20, 1 << 30)),
        expect_ok=False),
    Row("eml-from-empty (From: <>)", _lazy("empty-from.eml", hostile.empty_from_eml),
        expect_ok=True),
    Row("scanned-page-8000pt", _lazy("scan-8000.pdf", lambda: hostile.scanned_page_pdf(8000))),
    Row("scanned-page-14400pt",
        _lazy("scan-14400.pdf", lambda: hostile.scanned_page_pdf(14400))),
    Row("truncated-pdf (cut before its xref)",
        _lazy("truncated-xref.pdf", lambda: hostile.truncated_pdf("xref"))),
    Row("truncated-pdf (cut at two thirds)",
        _lazy("truncated-middle.pdf", lambda: hostile.truncated_pdf("middle"))),
    Row("utf16-text (BOM and no BOM)", _utf16, expect_ok=True),
    Row("symlink-to-/etc/passwd", _symlink, expect_ok=False),
    Row("out-names-existing-file", _lazy("note.txt", lambda: hostile.utf16_text(True)),
        out_is_file=True, expect_ok=False),
    Row("eml-150-attachments",
        _lazy("150-attachments.eml", lambda: hostile.many_attachments_eml(150)),
        expect_ok=False),
    Row("eml-nested-9-deep", _lazy("nested-9.eml", lambda: hostile.nested_eml(9))),
    Row("pdf-3000-pages", _lazy("3000-pages.pdf", lambda: hostile.many_pages_pdf(3000)),
        expect_ok=False),
]  # fmt: skip


# --- running ------------------------------------------------------------------------------


@dataclass
class Run:
    code: int
    peak_mb: float
    seconds: float
    stderr: str
    report: dict[str, object] | None


# Linux carries a process's peak RSS across fork and exec, so a command started straight
# from this (large) script would report this script's peak as its own. A small, fresh
# interpreter starts the command instead and reports what ``os.wait4`` says about it.
_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


def _run(files: list[Path], out: Path, report: Path) -> Run:
    """Run the console script; its peak RSS covers the children it waited for (tesseract)."""
    folder = report.parent
    for name, data in (("subject.json", SUBJECT), ("roster.json", ROSTER)):
        (folder / name).write_text(json.dumps(data))
    command = [
        str(SCRIPT), "redact", "--subject", str(folder / "subject.json"),
        "--roster", str(folder / "roster.json"), "--out", str(out), "--report", str(report),
        *map(str, files),
    ]  # fmt: skip
    measured = folder / "rusage.txt"
    with tempfile.TemporaryFile() as err:
        start = time.monotonic()
        subprocess.run(
            [sys.executable, "-S", "-c", _LAUNCHER, str(measured), *command],
            stdout=subprocess.DEVNULL, stderr=err, check=True,
        )  # fmt: skip
        seconds = time.monotonic() - start
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    code, peak_kb = map(int, measured.read_text().split())
    loaded = json.loads(report.read_text()) if report.exists() else None
    return Run(code, peak_kb / 1024, seconds, stderr, loaded)


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
