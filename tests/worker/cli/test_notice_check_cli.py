"""``pupil-privacy notice check`` prints the defects of the real seed notice and passes a
corrected one (issue 12; the checker's rules are in worker/notice/rules/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pupil_privacy.worker.cli import main

HERE = Path(__file__).resolve().parent
CORRECTED = HERE.parent / "notice" / "test_notice_corrected.txt"
ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "worker" / "notices" / "default.txt"
DEMO_NOTICES = ROOT / "demo" / "notices"


def test_the_seed_notice_fails_with_its_defects_one_line_each(capsys):
    assert main(["notice", "check", str(SEED)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    findings, summary = lines[:-1], lines[-1]
    assert any(
        line.startswith("ERROR dpo-name-inconsistent") and "two spellings" in line
        for line in findings
    )
    assert any(line.startswith("ERROR placeholder-link") for line in findings)
    assert all(line.split()[0] in {"ERROR", "WARNING", "INFO"} for line in findings)
    errors = sum(line.startswith("ERROR") for line in findings)
    assert summary.startswith(f"{errors} error") and errors > 0


def test_a_corrected_notice_passes(capsys):
    assert main(["notice", "check", str(CORRECTED)]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("0 error")


@pytest.mark.parametrize("audience", ["parents", "pupils"])
def test_the_demo_trusts_notices_pass_with_nothing_to_say(audience, capsys):
    """The demo ships a corrected, fictional trust's notices (parents', and a child-friendly
    one for pupils): our own checker finds nothing in them."""
    path = DEMO_NOTICES / f"{audience}.txt"
    assert main(["notice", "check", str(path)]) == 0
    assert capsys.readouterr().out.strip().splitlines() == ["0 error, 0 warning, 0 info"]


def test_school_type_changes_what_applies(tmp_path, capsys):
    """Rule 4: offering the educational record is wrong at an academy, right when maintained."""
    text = CORRECTED.read_text(encoding="utf-8")
    notice = tmp_path / "notice.txt"
    notice.write_text(
        text + "\nParents may ask to see their child's educational record within 15 school "
        "days, under the Education (Pupil Information) (England) Regulations 2005.\n",
        encoding="utf-8",
    )
    academy = main(["notice", "check", str(notice), "--school-type", "academy"])
    academy_out = capsys.readouterr().out
    maintained = main(["notice", "check", str(notice), "--school-type", "maintained"])
    maintained_out = capsys.readouterr().out
    assert academy_out != maintained_out
    assert (academy, maintained) != (0, 1)


@pytest.mark.parametrize("content", [None, b"\xff\xfe\x00bad"])
def test_an_unreadable_file_is_a_clear_error(tmp_path, capsys, content):
    path = tmp_path / "notice.txt"
    if content is not None:
        path.write_bytes(content)
    assert main(["notice", "check", str(path)]) == 2
    assert str(path) in capsys.readouterr().err
