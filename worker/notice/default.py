"""The privacy notice pupil-privacy ships."""

from __future__ import annotations

from importlib import resources

DEFAULT_NOTICE_RESOURCE = "notices/default.txt"


def default_notice_text() -> str:
    """The notice pupil-privacy ships (the school's real one, defects and all: the lint
    shows what to fix), read from the worker package's data so it works from a wheel too."""
    return (resources.files("pupil_privacy.worker") / DEFAULT_NOTICE_RESOURCE).read_text(
        encoding="utf-8"
    )
