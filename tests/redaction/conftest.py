"""Shared fixtures for the redaction tests: spaCy loads once per session.

``analyzer`` is the process-wide presidio analyzer; ``make_detector(subject, roster,
policy=None)`` builds a :class:`Detector` on it (cheap: the model is already loaded).
``subject``/``roster`` are a small school: the subject Jake Smith, his mother (the requester),
his separated father, other pupils, staff and an outside professional.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from presidio_analyzer import AnalyzerEngine

from pupil_privacy.redaction.detect import Detector
from pupil_privacy.redaction.engine import get_analyzer
from pupil_privacy.redaction.types import Person, Policy, Subject

MakeDetector = Callable[..., Detector]


@pytest.fixture(scope="session")
def analyzer() -> AnalyzerEngine:
    return get_analyzer()


@pytest.fixture(scope="session")
def make_detector(analyzer: AnalyzerEngine) -> MakeDetector:
    def make(subject: Subject, roster: Sequence[Person], policy: Policy | None = None) -> Detector:
        return Detector(subject, roster, policy)

    return make


@pytest.fixture(scope="session")
def subject() -> Subject:
    return Subject.from_dict(
        {
            "id": "P001",
            "name": "Jake Smith",
            "preferred_name": "Jakey",
            "date_of_birth": "09/03/2014",
            "upn": "A801200100001",
            "address": "12 Acacia Avenue, Cambridge, CB1 2AB",
            "requester": {
                "name": "Sarah Smith",
                "relationship": "mother",
                "email": "sarah.smith@gmail.com",
                "phone": "07700 900111",
                "address": "12 Acacia Avenue, Cambridge, CB1 2AB",
            },
        }
    )


@pytest.fixture(scope="session")
def roster() -> list[Person]:
    people = [
        {"name": "Jake Smith", "role": "pupil", "id": "P001", "upn": "A801200100001"},
        {"name": "Sarah Smith", "role": "parent", "email": "sarah.smith@gmail.com"},
        {"name": "David Smith", "role": "parent", "phone": "07700 900222",
         "address": "7 High Street, Ely, CB7 4AA", "email": "dave.smith@hotmail.co.uk"},
        {"name": "Tom O'Neill", "role": "pupil", "upn": "B801200100002",
         "address": "4 Mill Lane, Cambridge, CB2 3XY", "date_of_birth": "2014-05-01"},
        {"name": "Grace Smith-Jones", "role": "pupil"},
        {"name": "Jake Williams", "role": "pupil"},
        {"name": "Chidi Okonkwo", "role": "pupil"},
        {"name": "Zoë Nguyen", "role": "pupil"},
        {"name": "Will Turner", "role": "pupil"},
        {"name": "Aisha Okonkwo", "role": "parent", "phone": "07700 900333"},
        {"name": "Helen Gollan", "role": "staff", "email": "h.gollan@oakfield.sch.uk",
         "phone": "01223 000000"},
        {"name": "Amir Okafor", "role": "staff", "email": "a.okafor@oakfield.sch.uk",
         "phone": "01223 000000"},
        {"name": "Rachel Burns", "role": "staff", "phone": "07700 900444",
         "address": "9 Elm Close, Histon, CB24 9AA", "email": "rachel.burns@gmail.com"},
        {"name": "Dr Priya Shah", "role": "other", "phone": "01223 555000"},
        {"name": "Mark Evans", "role": "other"},
    ]  # fmt: skip
    return [Person.from_dict(p) for p in people]


@pytest.fixture(scope="session")
def detector(make_detector: MakeDetector, subject: Subject, roster: list[Person]) -> Detector:
    return make_detector(subject, roster)


@pytest.fixture
def no_sweep(monkeypatch: pytest.MonkeyPatch) -> None:
    """Removal without the roster sweep, so a known third party that detection misses really
    reaches the output (for the leak check's tests)."""
    for module in ("text", "pdf.removal"):
        monkeypatch.setattr(f"pupil_privacy.redaction.formats.{module}.sweep", lambda *a: [])
