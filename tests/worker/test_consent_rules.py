"""Who decides a consent at which age, and whether it holds (rules 21 and 22), and who may
limit youth support sharing at which age (rule 9): the worker's rules without a database."""

from __future__ import annotations

import datetime as dt

import pytest

from pupil_privacy.worker import youth_support
from pupil_privacy.worker.consent_purposes import DEFAULT_CONSENT_PURPOSES, Decider
from pupil_privacy.worker.consents import ConsentChoice, consent_state, purpose_by_key, refusal
from pupil_privacy.worker.mis import MISUser, PupilDetails, PupilLink, UserRole
from pupil_privacy.worker.models import ConsentDecision

DAY = dt.date(2026, 11, 2)
PHOTOS = purpose_by_key(DEFAULT_CONSENT_PURPOSES, "photos_publicity")
BIOMETRICS = purpose_by_key(DEFAULT_CONSENT_PURPOSES, "biometrics")
MUM = MISUser("u-mum", "Grace Okafor", UserRole.PARENT)
DAD = MISUser("u-dad", "Tom Okafor", UserRole.PARENT)
MOTHER = PupilLink("p", "mother", parental_responsibility=True)
SELF = PupilLink("p", "self")


def pupil(age: int | None) -> PupilDetails:
    born = None if age is None else DAY.replace(year=DAY.year - age) - dt.timedelta(days=10)
    return PupilDetails("p", "Ben Okafor", born, preferred_name="Ben")


def decision(
    who: str, role: UserRole, choice: ConsentChoice, minute: int, purpose: str = ""
) -> ConsentDecision:
    return ConsentDecision(
        id=minute,
        pupil_id="p",
        purpose=purpose or PHOTOS.key,
        choice=choice.value,
        decided_by=who,
        decided_role=role.value,
        decided_by_name={"u-mum": "Grace Okafor", "u-dad": "Tom Okafor"}.get(who, "Ben Okafor"),
        relationship="self" if role is UserRole.PUPIL else "parent",
        decided_at=dt.datetime(2026, 11, 1, 9, minute),
    )


GIVEN, WITHDRAWN = ConsentChoice.GIVEN, ConsentChoice.WITHDRAWN
PARENT, PUPIL = UserRole.PARENT, UserRole.PUPIL


def test_a_parent_decides_photographs_for_a_child_under_12_and_may_withdraw_at_any_time() -> None:
    rows = [decision("u-mum", PARENT, GIVEN, 1)]
    assert consent_state(PHOTOS, pupil(9), rows, DAY).holds
    rows.append(decision("u-mum", PARENT, WITHDRAWN, 2))
    state = consent_state(PHOTOS, pupil(9), rows, DAY)
    assert not state.holds and state.why == "Grace Okafor said no."
    # The history answers for an earlier day: before the withdrawal it held.
    assert not consent_state(PHOTOS, pupil(9), rows, dt.date(2026, 10, 31)).holds


def test_one_parents_withdrawal_outweighs_the_other_parents_consent() -> None:
    rows = [decision("u-mum", PARENT, GIVEN, 1), decision("u-dad", PARENT, WITHDRAWN, 2)]
    assert not consent_state(PHOTOS, pupil(9), rows, DAY).holds


def test_from_12_the_pupil_decides_and_a_parents_consent_does_not_count() -> None:
    parent_only = [decision("u-mum", PARENT, GIVEN, 1)]
    state = consent_state(PHOTOS, pupil(12), parent_only, DAY)
    assert state.decider is Decider.PUPIL and not state.holds
    assert consent_state(
        PHOTOS, pupil(12), [*parent_only, decision("p", PUPIL, GIVEN, 2)], DAY
    ).holds
    # and the pupil saying no wins over the parent's yes
    assert not consent_state(
        PHOTOS, pupil(14), [decision("p", PUPIL, WITHDRAWN, 3), *parent_only], DAY
    ).holds


def test_biometrics_needs_a_parent_and_the_pupils_objection_overrides_at_any_age() -> None:
    """PoFA 2012 s.26(3) and s.26(5) (rule 22): a 9-year-old's objection overrides."""
    bio = BIOMETRICS.key
    given = [decision("u-mum", PARENT, GIVEN, 1, bio)]
    assert consent_state(BIOMETRICS, pupil(9), given, DAY).holds
    objected = [*given, decision("p", PUPIL, WITHDRAWN, 2, bio)]
    state = consent_state(BIOMETRICS, pupil(9), objected, DAY)
    assert not state.holds and "overrides" in state.why
    assert not consent_state(
        BIOMETRICS, pupil(15), [*given, decision("u-dad", PARENT, WITHDRAWN, 3, bio)], DAY
    ).holds
    assert not consent_state(BIOMETRICS, pupil(9), [], DAY).holds


@pytest.mark.parametrize(
    ("age", "link", "user", "allowed"),
    [
        (9, MOTHER, MUM, True),
        (11, SELF, MUM, False),  # under 12: the parent decides photographs
        (12, SELF, MUM, True),
        (12, MOTHER, MUM, False),  # 12+: the pupil decides
        (9, PupilLink("p", "step-father", parental_responsibility=False), DAD, False),
        (9, PupilLink("p", "father", parental_responsibility=None), DAD, False),  # unknown PR
        (9, PupilLink("p", "father", parental_responsibility=True, court_order=True), DAD, False),
    ],
)
def test_who_may_decide_photographs(
    age: int, link: PupilLink, user: MISUser, allowed: bool
) -> None:
    assert (refusal(PHOTOS, user, link, pupil(age), DAY) is None) is allowed


def test_a_pupil_of_any_age_may_object_to_biometrics_and_parents_keep_deciding() -> None:
    assert refusal(BIOMETRICS, MUM, SELF, pupil(8), DAY) is None
    assert refusal(BIOMETRICS, MUM, MOTHER, pupil(15), DAY) is None


@pytest.mark.parametrize(
    ("age", "link", "allowed"),
    [
        (12, MOTHER, False),  # nothing is shared before 13
        (12, SELF, False),
        (13, MOTHER, True),
        (14, MOTHER, True),
        (15, MOTHER, True),
        (14, SELF, False),  # under 16: the parent decides
        (16, MOTHER, False),  # 16+: only the pupil
        (16, SELF, True),
        (17, SELF, True),
        (14, PupilLink("p", "step-father", parental_responsibility=False), False),
        (14, PupilLink("p", "father", parental_responsibility=True, no_contact=True), False),
        (None, MOTHER, False),  # no date of birth: the DPO checks first
    ],
)
def test_who_may_limit_youth_support_sharing_at_which_age(
    age: int | None, link: PupilLink, allowed: bool
) -> None:
    """Rule 9 (Education and Skills Act 2008 s.14): parent 13-15, pupil 16+."""
    reason = youth_support.refusal(MUM, link, pupil(age), DAY)
    assert (reason is None) is allowed, reason


def test_the_youth_support_csv_quotes_cells_a_spreadsheet_would_run() -> None:
    row = youth_support.LimitedPupil(
        '=HYPERLINK("http://x")', dt.date(2012, 1, 2), "1 Road", "", "", DAY, "parent"
    )
    text = youth_support.limited_list_csv([row])
    assert text.splitlines()[0] == ",".join(youth_support.CSV_HEADER)
    assert "'=HYPERLINK" in text and "2012-01-02" in text
