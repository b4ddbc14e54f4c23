"""Purposes that rest on consent: who decides, and whether consent holds on a given day.

A school lists its purposes (photographs in publicity, biometrics, trip medical sharing, and
any of its own) as :class:`ConsentPurpose` settings. Every decision is a
:class:`~.models.ConsentDecision` row, never edited; the newest decision of each person counts
and the rows are the history (rule 21). No Flask here: the plugin's pages and the host MIS's
question "does this consent hold today?" both call :func:`consent_holds`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pupil_privacy.redaction.errors import PupilPrivacyError

from .consent_purposes import (
    DEFAULT_CONSENT_PURPOSES,
    ConsentPurpose,
    Decider,
    purposes_from_config,
)
from .mis import MISUser, PupilDetails, PupilLink, UserRole
from .models import ConsentDecision, utcnow


class ConsentChoice(StrEnum):
    GIVEN = "given"
    WITHDRAWN = "withdrawn"  # or refused, or (biometrics) objected: the same for the school


class ConsentNotAllowed(PupilPrivacyError):
    """This person may not give or withdraw this consent; the message says who may."""


@dataclass(frozen=True)
class ConsentState:
    """Whether consent for ``purpose`` holds on ``day``, why, and each person's newest
    decision (what the family and the DPO see)."""

    purpose: ConsentPurpose
    holds: bool
    why: str
    decider: Decider
    latest: tuple[ConsentDecision, ...]
    day: dt.date


def latest_per_person(decisions: Iterable[ConsentDecision]) -> list[ConsentDecision]:
    """Each person's newest decision (by time, then by id), oldest person first."""
    newest: dict[tuple[str, str], ConsentDecision] = {}
    for row in sorted(decisions, key=lambda d: (d.decided_at, d.id or 0)):
        newest[(row.decided_role, row.decided_by)] = row
    return list(newest.values())


def consent_state(
    purpose: ConsentPurpose,
    pupil: PupilDetails,
    decisions: Iterable[ConsentDecision],
    day: dt.date,
) -> ConsentState:
    """The state of ``purpose`` for ``pupil`` on ``day``, from its decisions so far.

    Parents decide: it holds when a parent has given consent and no parent has withdrawn it
    (one parent's withdrawal is respected, Art 7(3)). The pupil decides (from the purpose's
    age, rule 21): their own newest decision. Biometrics (rule 22): a parent's consent, no
    parent objecting (PoFA 2012 s.26(3)), and no objection from the pupil, whose objection
    overrides any parent's consent (s.26(5)).
    """
    rows = latest_per_person(
        d for d in decisions if d.purpose == purpose.key and d.decided_at.date() <= day
    )
    decider = purpose.decider(pupil.age_on(day))
    name = pupil.preferred_name or pupil.name.split()[0]
    own = [r for r in rows if r.decided_role == UserRole.PUPIL]
    parents = [r for r in rows if r.decided_role == UserRole.PARENT]

    def state(holds: bool, why: str) -> ConsentState:
        return ConsentState(purpose, holds, why, decider, tuple(rows), day)

    if decider is Decider.PUPIL:
        if not own:
            return state(False, f"{name} has not said yet. {name} decides this.")
        given = own[-1].choice == ConsentChoice.GIVEN
        return state(given, f"{name} {'agreed' if given else 'said no'}. {name} decides this.")
    if decider is Decider.PARENTS_AND_PUPIL and own and own[-1].choice == ConsentChoice.WITHDRAWN:
        return state(False, f"{name} has said no, and that overrides a parent's consent.")
    withdrawn = [r for r in parents if r.choice == ConsentChoice.WITHDRAWN]
    if withdrawn:
        return state(False, f"{withdrawn[-1].decided_by_name} said no.")
    given_by = [r for r in parents if r.choice == ConsentChoice.GIVEN]
    if given_by:
        return state(True, f"{given_by[-1].decided_by_name} agreed.")
    return state(False, "No parent or carer has agreed yet.")


def refusal(
    purpose: ConsentPurpose, user: MISUser, link: PupilLink, pupil: PupilDetails, day: dt.date
) -> str | None:
    """Why ``user`` may not decide ``purpose`` for ``pupil`` today, or None when they may."""
    decider = purpose.decider(pupil.age_on(day))
    name = pupil.preferred_name or pupil.name.split()[0]
    if link.relationship == "self":
        if decider is Decider.PARENTS:
            return (
                f"Your parent or carer decides this until you are {purpose.pupil_decides_from}. "
                "You can talk to them, or to the data protection officer."
            )
        return None
    if link.court_order or link.no_contact:
        return f"Please contact the school office about {name}'s consents."
    if link.parental_responsibility is not True:
        return (
            "Only a parent or carer with parental responsibility can decide this. Please "
            "contact the school office."
        )
    if decider is Decider.PUPIL:
        return f"{name} is old enough to decide this for themselves."
    return None


def record_decision(
    session: Session,
    *,
    purpose: ConsentPurpose,
    choice: ConsentChoice,
    user: MISUser,
    link: PupilLink,
    pupil: PupilDetails,
    day: dt.date,
) -> ConsentDecision:
    """Record a decision after checking who may make it (the caller commits).

    :raises ConsentNotAllowed: ``user`` may not decide this for ``pupil``.
    """
    reason = refusal(purpose, user, link, pupil, day)
    if reason is not None:
        raise ConsentNotAllowed(reason)
    row = ConsentDecision(
        purpose=purpose.key, choice=ConsentChoice(choice).value, **who_decided(user, link, pupil)
    )
    session.add(row)
    session.flush()
    return row


def who_decided(user: MISUser, link: PupilLink, pupil: PupilDetails) -> dict[str, Any]:
    """The columns every decision row records: whose pupil, who decided, as what, and when
    (the history of rules 9 and 21: who, when, what)."""
    return {
        "school_id": pupil.school_id or user.school_id,
        "pupil_id": pupil.id,
        "decided_by": user.id,
        "decided_role": (UserRole.PUPIL if link.relationship == "self" else UserRole.PARENT).value,
        "decided_by_name": user.name,
        "relationship": link.relationship,
        "decided_at": utcnow(),
    }


def decisions_for(session: Session, pupil_id: str) -> list[ConsentDecision]:
    """Every decision about ``pupil_id``, oldest first: the history."""
    query = select(ConsentDecision).where(ConsentDecision.pupil_id == pupil_id)
    return list(session.scalars(query.order_by(ConsentDecision.decided_at, ConsentDecision.id)))


def states_for(
    session: Session, purposes: Sequence[ConsentPurpose], pupil: PupilDetails, day: dt.date
) -> list[ConsentState]:
    decisions = decisions_for(session, pupil.id)
    return [consent_state(p, pupil, decisions, day) for p in purposes]


def purpose_by_key(purposes: Sequence[ConsentPurpose], key: str) -> ConsentPurpose:
    """:raises ConsentNotAllowed: the school has no such purpose (the message lists them)."""
    found: Mapping[str, ConsentPurpose] = {p.key: p for p in purposes}
    if key not in found:
        raise ConsentNotAllowed(
            f"The school has no consent called {key!r}; it has: {', '.join(found)}."
        )
    return found[key]


def consent_holds(
    session: Session,
    purposes: Sequence[ConsentPurpose],
    pupil: PupilDetails,
    purpose_key: str,
    day: dt.date | None = None,
) -> bool:
    """Whether consent for ``purpose_key`` holds for ``pupil`` on ``day`` (today by default).

    :raises ConsentNotAllowed: no such purpose (a typo must not read as "no consent").
    """
    purpose = purpose_by_key(purposes, purpose_key)
    return consent_state(
        purpose, pupil, decisions_for(session, pupil.id), day or dt.date.today()
    ).holds


__all__ = [
    "DEFAULT_CONSENT_PURPOSES",
    "ConsentChoice",
    "ConsentNotAllowed",
    "ConsentPurpose",
    "ConsentState",
    "Decider",
    "consent_holds",
    "consent_state",
    "decisions_for",
    "latest_per_person",
    "purpose_by_key",
    "purposes_from_config",
    "record_decision",
    "refusal",
    "states_for",
    "who_decided",
]
