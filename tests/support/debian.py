"""Debian tools the tests run for real (pdftoppm, pdftotext, soffice...)."""

from __future__ import annotations

import os
import shutil

import pytest


def need(tool: str, path: str | None = None) -> str:
    """The path of a Debian tool (``path`` when the caller found it its own way); a test
    without it fails under CI=true and skips elsewhere."""
    found = path or shutil.which(tool)
    if found is None:
        message = f"{tool} is not installed (scripts/system-deps.sh installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found
