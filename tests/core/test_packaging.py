"""The package installs under one import root (STYLE.md): bare names must never import."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("bare", ["plugin", "worker", "redaction", "migrations", "demo"])
def test_bare_top_level_names_do_not_import(bare: str, tmp_path: Path) -> None:
    # From a neutral directory, only what is installed in site-packages is importable.
    result = subprocess.run(
        [sys.executable, "-c", f"import {bare}"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode != 0, f"bare package {bare!r} is importable from site-packages"
    assert "ModuleNotFoundError" in result.stderr
    # In this process pytest puts tests/ on sys.path, so tests/<bare>/ may show up as a
    # namespace package; what must never be found is the repo's top-level source folder.
    spec = importlib.util.find_spec(bare)
    locations = [Path(p) for p in (spec.submodule_search_locations or [])] if spec else []
    assert REPO / bare not in locations


@pytest.mark.parametrize(
    "name",
    [
        "pupil_privacy.plugin",
        "pupil_privacy.worker",
        "pupil_privacy.redaction",
        "pupil_privacy.migrations",
        "pupil_privacy.demo",
    ],
)
def test_namespaced_packages_import(name: str) -> None:
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.origin is not None


def test_console_script_help() -> None:
    exe = Path(sys.executable).with_name("pupil-privacy")
    result = subprocess.run([str(exe), "--help"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "redact" in result.stdout and "pack" in result.stdout


def test_redaction_does_not_import_flask() -> None:
    # redaction/ is usable on its own (STYLE.md): importing it must not pull Flask in.
    code = (
        "import sys, pkgutil, importlib, pupil_privacy.redaction as r\n"
        "for m in pkgutil.walk_packages(r.__path__, r.__name__ + '.'):\n"
        "    importlib.import_module(m.name)\n"
        "print('flask' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.slow
def test_wheel_ships_every_module_and_data_file(tmp_path: Path) -> None:
    """A sub-package or data file missing from setup.cfg imports in the editable install but is
    silently left out of the wheel (STYLE.md): build the wheel and compare."""
    import zipfile

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("pupil_privacy-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    folders = {
        "plugin": "plugin",
        "worker": "worker",
        "redaction": "redaction",
        "migrations": "migrations",
        "demo": "demo",
    }
    wanted = set()
    for package, folder in folders.items():
        for path in (REPO / folder).rglob("*"):
            if "__pycache__" in path.parts or path.is_dir():
                continue
            if path.suffix in {".py", ".html", ".css", ".js", ".yaml", ".txt", ".mako", ".typed"}:
                wanted.add(f"pupil_privacy/{package}/{path.relative_to(REPO / folder)}")
    missing = sorted(wanted - shipped)
    assert not missing, f"left out of the wheel (add to setup.cfg): {missing}"
