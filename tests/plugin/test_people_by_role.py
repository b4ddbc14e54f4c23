"""People are identified by (role, id): hosts number users and pupils separately, so user "3"
and pupil "3" are two different people (issue 10, item 1).

Matching the requester in the roster by id alone once attached another pupil's phone and
address to a parent as "the requester's own data", kept unredacted in the pack (rule 10).
These tests prove both directions with the real detector: the other pupil's details are
removed, and the requester's own details (their data to see) are kept.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pupil_privacy.redaction.detect import Detector
from pupil_privacy.redaction.types import Action, Person, Role
from pupil_privacy.worker.mis import InMemoryMIS, MISUser, PupilDetails, PupilLink, UserRole
from pupil_privacy.worker.models import RightsRequest
from pupil_privacy.worker.redacting import subject_for

#: Pupil "3" is not the requester's child: a different family entirely.
OTHER_PUPIL_PHONE = "07700 900333"
OTHER_PUPIL_ADDRESS = "12 Elm Row, Ely, CB7 4DL"
REQUESTER_PHONE = "07700 900003"
REQUESTER_ADDRESS = "3 Station Road, March, PE15 8AA"


def clashing_school() -> InMemoryMIS:
    """User "3" (a parent) asks about pupil "7"; pupil "3" is someone else's child."""
    mis = InMemoryMIS()
    mis.users["3"] = MISUser("3", "Dave Brook", UserRole.PARENT, email="dave@example.org")
    mis.links["3"] = [PupilLink("7", "father", parental_responsibility=True)]
    mis.pupils["7"] = PupilDetails("7", "Ella Brook", dt.date(2016, 4, 2))
    mis.pupils["3"] = PupilDetails("3", "Zara Quinn", dt.date(2016, 1, 9))
    mis.people = [
        Person("Ella Brook", Role.PUPIL, id="7"),
        # Listed first: an id-only match picks her.
        Person(
            "Zara Quinn", Role.PUPIL, id="3", phone=OTHER_PUPIL_PHONE, address=OTHER_PUPIL_ADDRESS
        ),
        Person("Dave Brook", Role.PARENT, id="3", phone=REQUESTER_PHONE, address=REQUESTER_ADDRESS),
    ]
    return mis


def request_from(user_id: str, role: str | None) -> RightsRequest:
    return RightsRequest(
        reference="SAR-2026-0003",
        pupil_id="7",
        requester_user_id=user_id,
        requester_role=role,
        requester_name="Dave Brook",
        requester_relationship="father",
    )


@pytest.mark.parametrize("stored_role", ["parent", None])
def test_the_requester_is_matched_by_role_and_id(stored_role: str | None) -> None:
    subject, _ = subject_for(clashing_school(), request_from("3", stored_role))
    assert subject.requester is not None
    assert subject.requester.phone == REQUESTER_PHONE
    assert subject.requester.address == REQUESTER_ADDRESS
    assert OTHER_PUPIL_PHONE not in (subject.requester.phone or "")


def test_no_roster_entry_of_the_right_role_attaches_nothing() -> None:
    mis = clashing_school()
    mis.people = [p for p in mis.people if p.role is not Role.PARENT]
    subject, _ = subject_for(mis, request_from("3", "parent"))
    assert subject.requester is not None
    assert subject.requester.phone is None and subject.requester.address is None
    assert subject.requester.email == "dave@example.org"  # from the MIS user, not the roster


def test_a_pupil_user_is_the_pupil_in_the_roster() -> None:
    mis = clashing_school()
    mis.users["u9"] = MISUser("u9", "Ella Brook", UserRole.PUPIL, pupil_id="7")
    user = mis.users["u9"]
    assert user.person_key() == (Role.PUPIL, "7")
    assert mis.users["3"].person_key() == (Role.PARENT, "3")


@pytest.fixture(scope="module")
def real_detector() -> Detector:
    mis = clashing_school()
    subject, roster = subject_for(mis, request_from("3", "parent"))
    return Detector(subject, roster)


def _actions(detector: Detector, text: str) -> dict[str, Action]:
    return {f.text: f.action for f in detector.analyse(text)}


def test_the_other_pupils_details_are_removed_by_the_real_detector(
    real_detector: Detector,
) -> None:
    text = (
        f"Ella went home with Zara Quinn. Zara's mother can be reached on {OTHER_PUPIL_PHONE} "
        f"at {OTHER_PUPIL_ADDRESS}."
    )
    found = _actions(real_detector, text)
    phone = next(k for k in found if "900333" in k)
    assert found[phone] is Action.REDACT
    assert any(found[k] is Action.REDACT for k in found if "Elm Row" in k)


def test_the_requesters_own_details_are_kept_by_the_real_detector(
    real_detector: Detector,
) -> None:
    text = f"Mr Brook asked us to call him on {REQUESTER_PHONE} about Ella's reading."
    found = _actions(real_detector, text)
    phones = [k for k in found if "900003" in k]
    # Found and kept (the requester's own data), or not flagged at all: never removed.
    assert all(found[k] is Action.KEEP for k in phones)
