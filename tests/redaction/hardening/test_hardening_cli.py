"""``pupil-privacy redact`` on hostile inputs: per-file errors, exit codes, REPORT.json always.

Exit codes (docs/redaction.md): 0 all done, 1 some files failed, 2 unusable input
(SUBJECT, ROSTER, POLICY, --out, --report), 3 the tool crashed on a file (a bug).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hostile import OWN, empty_from_eml, lying_docx, truncated_pdf, utf16_text

from pupil_privacy.redaction import cli, document

SCRIPT = Path(sys.executable).with_name("pupil-privacy")
SUBJECT = {
    "id": "p1",
    "name": OWN,
    "upn": "A123456789012",
    "requester": {"name": "Grace Okafor", "relationship": "mother"},
}
ROSTER = [
    {"name": OWN, "role": "pupil", "upn": "A123456789012"},
    {"name": "Jake Whitfield", "role": "pupil", "email": "jake.whitfield@example.com"},
]


def _inputs(tmp: Path) -> tuple[Path, Path]:
    (tmp / "subject.json").write_text(json.dumps(SUBJECT))
    (tmp / "roster.json").write_text(json.dumps(ROSTER))
    return tmp / "subject.json", tmp / "roster.json"


def _cli(tmp: Path, out: Path, files: list[Path]) -> subprocess.CompletedProcess[str]:
    subject, roster = _inputs(tmp)
    return subprocess.run(
        [str(SCRIPT), "redact", "--subject", str(subject), "--roster", str(roster),
         "--out", str(out), "--report", str(tmp / "report.json"), *map(str, files)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    files = {
        "lies.docx": lying_docx(declared=10_000, actual=32 << 20),
        "bounce.eml": empty_from_eml(),
        "cut.pdf": truncated_pdf("xref"),
        "lost.pdf": truncated_pdf("middle"),
        "windows.txt": utf16_text(bom=False),
    }
    paths = []
    for name, data in files.items():
        paths.append(tmp / name)
        paths[-1].write_bytes(data)
    link = tmp / "passwd.txt"
    link.symlink_to("/etc/passwd")
    (tmp / "out").mkdir()
    (tmp / "out" / "lost.pdf").write_bytes(b"an earlier run's output")
    result = _cli(tmp, tmp / "out", [*paths, link])
    return tmp, result, json.loads((tmp / "report.json").read_text())


def test_hostile_batch_exits_1_with_one_clear_line_per_failing_file(hostile_run):
    tmp, result, _ = hostile_run
    assert result.returncode == cli.EXIT_FAILED_FILES
    assert "Traceback" not in result.stderr and "MuPDF error" not in result.stderr
    failing = sorted(
        line.split(": ", 1)[0] for line in result.stderr.splitlines() if ": warning: " not in line
    )
    assert failing == [str(tmp / n) for n in ("lies.docx", "lost.pdf", "passwd.txt")]


def test_hostile_batch_report_has_every_file_and_its_reason(hostile_run):
    tmp, _, report = hostile_run
    by_name = {Path(f["file"]).name: f for f in report["files"]}
    assert {n: f["status"] for n, f in by_name.items()} == {
        "lies.docx": "failed", "bounce.eml": "ok", "cut.pdf": "ok", "lost.pdf": "failed",
        "windows.txt": "ok", "passwd.txt": "failed",
    }  # fmt: skip
    assert by_name["lies.docx"]["error"] == "corrupt"
    assert by_name["passwd.txt"]["error"] == "unsupported"
    assert "symbolic link" in by_name["passwd.txt"]["reason"]
    assert any("repaired" in w for w in by_name["cut.pdf"]["warnings"])


def test_hostile_batch_outputs_are_correct_and_failures_leave_nothing(hostile_run):
    tmp, _, _ = hostile_run
    out = tmp / "out"
    assert sorted(p.name for p in out.iterdir()) == ["bounce.eml", "cut.pdf", "windows.txt"]
    windows = (out / "windows.txt").read_text(encoding="utf-8")
    assert "Whitfield" not in windows and OWN in windows
    bounce = (out / "bounce.eml").read_text()
    assert "Whitfield" not in bounce and OWN in bounce
    assert "root:" not in "".join(p.read_text(errors="replace") for p in out.iterdir())


def test_out_naming_an_existing_file_says_what_to_do(tmp_path: Path):
    note = tmp_path / "note.txt"
    note.write_text(f"{OWN} is fine.")
    (tmp_path / "out").write_text("a file, not a folder")
    result = _cli(tmp_path, tmp_path / "out", [note])
    assert result.returncode == cli.EXIT_BAD_INPUT
    assert "is an existing file, not a folder: give a folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "out").read_text() == "a file, not a folder"


def _args(tmp: Path, files: list[Path]) -> argparse.Namespace:
    """The arguments as the real command line parses them (every option at its default)."""
    from pupil_privacy.worker.cli import build_parser

    subject, roster = _inputs(tmp)
    argv = ["redact", "--subject", str(subject), "--roster", str(roster), "--out",
            str(tmp / "out"), "--report", str(tmp / "report.json")]  # fmt: skip
    return build_parser().parse_args([*argv, *map(str, files)])


def _notes(tmp: Path, *names: str) -> list[Path]:
    paths = []
    for name in names:
        paths.append(tmp / name)
        paths[-1].write_text(f"{OWN} met Jake Whitfield.\n")
    return paths


def test_a_crash_in_one_file_is_exit_3_and_the_batch_goes_on(tmp_path, monkeypatch, capsys):
    # Fault injection: a bug in our code on one file (no parser crash is left to use).
    real = document.redact_file

    def buggy(path: Path, out_dir: Path, detector: object, **kw: object):
        if path.name == "b.txt":
            raise KeyError("a bug")
        return real(path, out_dir, detector, **kw)

    monkeypatch.setattr(document, "redact_file", buggy)
    files = _notes(tmp_path, "a.txt", "b.txt", "c.txt")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "b.txt").write_text("stale, unchecked output of an earlier run")
    assert cli.run(_args(tmp_path, files)) == cli.EXIT_CRASHED
    err = capsys.readouterr().err
    assert "b.txt: the tool crashed on this file" in err and "KeyError" in err  # not hidden
    report = json.loads((tmp_path / "report.json").read_text())
    assert [f["status"] for f in report["files"]] == ["ok", "crashed", "ok"]
    assert report["files"][1]["error"] == "internal-error" and not report["ok"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.txt", "c.txt"]


def test_an_interrupted_run_still_writes_the_report(tmp_path, monkeypatch):
    real = document.redact_file

    def interrupted(path: Path, out_dir: Path, detector: object, **kw: object):
        if path.name == "b.txt":
            raise KeyboardInterrupt
        return real(path, out_dir, detector, **kw)

    monkeypatch.setattr(document, "redact_file", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cli.run(_args(tmp_path, _notes(tmp_path, "a.txt", "b.txt", "c.txt")))
    report = json.loads((tmp_path / "report.json").read_text())
    assert [f["status"] for f in report["files"]] == ["ok", "skipped", "skipped"]
    assert report["files"][2]["reason"].startswith("not processed")
