"""The review tests run on the shared school plus the letter of :mod:`pp_review_school`."""

from __future__ import annotations

import pytest
from pp_review_school import review_school

from pupil_privacy.worker.mis import InMemoryMIS


@pytest.fixture
def mis() -> InMemoryMIS:
    return review_school()
