"""The real detector on docfactory's cast, shared by the review-decision tests."""

from __future__ import annotations

import pytest
from docfactory import ROSTER, SUBJECT

from pupil_privacy.redaction.detect import Detector


@pytest.fixture(scope="session")
def cast_detector(analyzer: object) -> Detector:
    """Detector for Amelia Okafor's request (spaCy loaded once by ``analyzer``)."""
    return Detector(SUBJECT, ROSTER)
