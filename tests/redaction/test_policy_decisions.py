"""Policy decisions, one per reason code (rules 10-12), on roster matches (no spaCy)."""

from __future__ import annotations

import pytest

from pupil_privacy.redaction import policy as rules
from pupil_privacy.redaction.roster import RosterIndex, RosterMatch
from pupil_privacy.redaction.types import Action, Person, Policy, Reason, Subject


@pytest.fixture(scope="module")
def index(subject: Subject, roster: list[Person]) -> RosterIndex:
    return RosterIndex(subject, roster)


def match(index: RosterIndex, text: str, found: str) -> RosterMatch:
    return next(m for m in index.find(text) if m.text == found)


def decide(
    index: RosterIndex, text: str, found: str, policy: Policy | None = None
) -> tuple[Action, Reason]:
    matches = index.find(text)
    present = {m.entries[0].party.index for m in matches
               if len(m.parties) == 1 and m.kind.value == "full-name"}  # fmt: skip
    action, reason, _ = rules.decide_match(
        match(index, text, found), policy or Policy(), present=present
    )
    return action, reason


@pytest.mark.parametrize(
    "text, found, action, reason",
    [
        # The pupil's own data (Art 15)
        ("Jake Smith was upset", "Jake Smith", Action.KEEP, Reason.SUBJECT),
        ("Jakey was upset", "Jakey", Action.KEEP, Reason.SUBJECT),
        ("UPN A801200100001", "A801200100001", Action.KEEP, Reason.SUBJECT),
        ("DOB 9 March 2014", "9 March 2014", Action.KEEP, Reason.SUBJECT),
        ("home: 12 Acacia Avenue, Cambridge, CB1 2AB", "12 Acacia Avenue, Cambridge, CB1 2AB",
         Action.KEEP, Reason.SUBJECT),
        # The requester's own data
        ("Sarah Smith phoned", "Sarah Smith", Action.KEEP, Reason.REQUESTER),
        ("from 07700 900111", "07700 900111", Action.KEEP, Reason.REQUESTER),
        ("Mrs Smith phoned", "Mrs Smith", Action.KEEP, Reason.REQUESTER),
        # Rule 11: staff in role kept, private details removed
        ("Helen Gollan taught", "Helen Gollan", Action.KEEP, Reason.PROFESSIONAL),
        ("Mrs Gollan taught", "Mrs Gollan", Action.KEEP, Reason.PROFESSIONAL),
        ("email h.gollan@oakfield.sch.uk", "h.gollan@oakfield.sch.uk", Action.KEEP,
         Reason.PROFESSIONAL),
        ("switchboard 01223 000000", "01223 000000", Action.KEEP, Reason.PROFESSIONAL),
        ("Ms Burns's mobile 07700 900444", "07700 900444", Action.REDACT,
         Reason.PROFESSIONAL_PRIVATE),
        ("rachel.burns@gmail.com", "rachel.burns@gmail.com", Action.REDACT,
         Reason.PROFESSIONAL_PRIVATE),
        ("9 Elm Close, Histon, CB24 9AA", "9 Elm Close, Histon, CB24 9AA", Action.REDACT,
         Reason.PROFESSIONAL_PRIVATE),
        ("Dr Shah saw Jake", "Dr Shah", Action.KEEP, Reason.PROFESSIONAL),
        # Rule 10: other pupils
        ("Tom O'Neill hit Jake", "Tom O'Neill", Action.REDACT, Reason.OTHER_PUPIL),
        ("tom hit jake", "tom", Action.REDACT, Reason.OTHER_PUPIL),
        ("Tom's UPN B801200100002", "B801200100002", Action.REDACT, Reason.OTHER_PUPIL),
        # Rule 12: a parent who is not the requester
        ("David Smith came to the gate", "David Smith", Action.REDACT, Reason.OTHER_PARENT),
        ("Aisha Okonkwo rang", "Aisha Okonkwo", Action.REDACT, Reason.OTHER_PARENT),
        ("he lives at 7 High Street, Ely, CB7 4AA", "7 High Street, Ely, CB7 4AA",
         Action.REDACT, Reason.OTHER_PARENT),
        ("Mrs Okonkwo came in", "Mrs Okonkwo", Action.REDACT, Reason.OTHER_PARENT),
        # Role.OTHER without title or professional context: a third party
        ("Mark Evans waited outside", "Mark Evans", Action.REDACT, Reason.THIRD_PARTY),
    ],
)  # fmt: skip
def test_each_reason(
    index: RosterIndex, text: str, found: str, action: Action, reason: Reason
) -> None:
    assert decide(index, text, found) == (action, reason)


def test_role_other_is_a_professional_with_context(index: RosterIndex) -> None:
    m = match(index, "Mark Evans, the social worker, visited", "Mark Evans")
    party = m.entries[0].party.index
    assert rules.decide_match(m, Policy(), professional_here={party})[:2] == (
        Action.KEEP, Reason.PROFESSIONAL,
    )  # fmt: skip


def test_strict_policy_removes_staff_names(index: RosterIndex) -> None:
    strict = Policy.named("strict")
    assert decide(index, "Mrs Gollan taught", "Mrs Gollan", strict) == (
        Action.REDACT, Reason.THIRD_PARTY,
    )  # fmt: skip
    # ...and never the pupil's own.
    assert decide(index, "Jake Smith", "Jake Smith", strict) == (Action.KEEP, Reason.SUBJECT)


def test_requester_not_kept_when_policy_says_so(index: RosterIndex) -> None:
    policy = Policy(keep_requester=False)
    assert decide(index, "Sarah Smith phoned", "Sarah Smith", policy)[0] is Action.REDACT


class TestSharedFirstName:
    """ "Jake" is both the subject and another pupil (Jake Williams)."""

    def test_lone_name_is_the_subject(self, index: RosterIndex) -> None:
        assert decide(index, "Jake was upset at lunch", "Jake") == (Action.KEEP, Reason.SUBJECT)

    def test_full_name_wins(self, index: RosterIndex) -> None:
        assert decide(index, "Jake Williams was upset", "Jake Williams") == (
            Action.REDACT, Reason.OTHER_PUPIL,
        )  # fmt: skip

    def test_lone_name_next_to_the_other_in_full_is_for_review(self, index: RosterIndex) -> None:
        text = "Jake Williams pushed Jake Smith. Later Jake cried."
        spans = [m for m in index.find(text) if m.text == "Jake"]
        assert spans
        present = {p.index for m in index.find(text) if m.kind.value == "full-name"
                   for p in m.parties}  # fmt: skip
        action, reason, _ = rules.decide_match(spans[0], Policy(), present=present)
        assert action is Action.REVIEW
        assert reason is Reason.OTHER_PUPIL


@pytest.fixture(scope="module")
def terms(index: RosterIndex) -> list[str]:
    return rules.third_party_terms(index, Policy())


class TestThirdPartyTerms:
    def test_known_third_parties_listed(self, terms: list[str]) -> None:
        for term in ("Tom O'Neill", "David Smith", "07700 900222", "B801200100002",
                     "4 Mill Lane, Cambridge, CB2 3XY", "CB7 4AA", "Mr O'Neill",
                     "dave.smith@hotmail.co.uk", "07700 900444", "9 Elm Close"):  # fmt: skip
            assert term in terms

    def test_kept_people_never_listed(self, terms: list[str]) -> None:
        lowered = {t.lower() for t in terms}
        for kept in ("jake smith", "sarah smith", "helen gollan", "mrs gollan", "mrs smith",
                     "mr smith", "a801200100001", "07700 900111", "cb1 2ab",
                     "12 acacia avenue", "h.gollan@oakfield.sch.uk", "01223 000000"):  # fmt: skip
            assert kept not in lowered
