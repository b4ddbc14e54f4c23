"""Status transitions are checked in one place (worker/states.py)."""

from __future__ import annotations

import pytest

from pupil_privacy.redaction.errors import PupilPrivacyError
from pupil_privacy.worker.states import (
    TRANSITIONS,
    InvalidTransition,
    RightType,
    Status,
    check_transition,
)


def test_every_status_has_a_transition_entry() -> None:
    assert set(TRANSITIONS) == set(Status)


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (Status.RECEIVED, Status.AWAITING_CONSENT),
        (Status.AWAITING_CONSENT, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Status.READY_FOR_REVIEW),
        (Status.IN_PROGRESS, Status.SAFEGUARDING_REVIEW),
        (Status.SAFEGUARDING_REVIEW, Status.READY_FOR_REVIEW),
        (Status.READY_FOR_REVIEW, Status.APPROVED),
        (Status.IN_PROGRESS, Status.CLARIFICATION),
        (Status.CLARIFICATION, Status.IN_PROGRESS),
        (Status.FAILED, Status.IN_PROGRESS),
    ],
)
def test_allowed_transitions(current: Status, new: Status) -> None:
    check_transition(current, new)


@pytest.mark.parametrize(
    ("current", "new"),
    [
        # A pack cannot be released before it has been built and reviewed.
        (Status.RECEIVED, Status.APPROVED),
        (Status.IN_PROGRESS, Status.APPROVED),
        # Safeguarding review must finish before the DPO approves (rule 14).
        (Status.SAFEGUARDING_REVIEW, Status.APPROVED),
        # Closed requests stay closed.
        (Status.APPROVED, Status.IN_PROGRESS),
        (Status.WITHDRAWN, Status.RECEIVED),
    ],
)
def test_forbidden_transitions_raise_a_domain_error(current: Status, new: Status) -> None:
    with pytest.raises(InvalidTransition) as info:
        check_transition(current, new)
    assert isinstance(info.value, PupilPrivacyError)
    assert current.value in str(info.value) and new.value in str(info.value)


def test_final_statuses_are_closed_and_stop_the_clock() -> None:
    for status in (Status.APPROVED, Status.COMPLETED, Status.REFUSED, Status.WITHDRAWN):
        assert not status.is_open and not status.clock_running
        assert TRANSITIONS[status] == frozenset()
    assert Status.IN_PROGRESS.clock_running and not Status.AWAITING_ID.clock_running


def test_every_right_has_a_label_and_only_copy_rights_build_a_pack() -> None:
    assert all(r.label for r in RightType)
    assert {r for r in RightType if r.produces_pack} == {
        RightType.ACCESS,
        RightType.EDUCATIONAL_RECORD,
        RightType.PORTABILITY,
    }
