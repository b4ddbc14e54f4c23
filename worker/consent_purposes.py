"""The purposes a school asks consent for, and whose decision counts at which age (rule 21,
rule 22). Settings data only (no database), so the runtime's settings can hold them; the
decisions themselves are in :mod:`.consents`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Decider(StrEnum):
    """Whose decision counts for a purpose and a pupil of a given age."""

    PARENTS = "parents"
    PUPIL = "pupil"
    #: Biometrics (rule 22): a parent's consent, no parent objecting, and no objection from
    #: the pupil at any age.
    PARENTS_AND_PUPIL = "parents_and_pupil"


@dataclass(frozen=True)
class ConsentPurpose:
    """A purpose that rests on consent (rule 21).

    :param key: stable id used by the MIS (``consent_holds(pupil, "photos_publicity")``).
    :param pupil_decides_from: the age from which the pupil decides alone (12 is the usual
        guide to competence, rule 7); None: the parents decide at every age.
    :param biometric: the Protection of Freedoms Act 2012 s.26 rules apply (rule 22).
    """

    key: str
    label: str
    description: str
    pupil_decides_from: int | None = 12
    biometric: bool = False

    def decider(self, age: int | None) -> Decider:
        """Whose decision counts for a pupil of ``age`` (None: unknown)."""
        if self.biometric:
            return Decider.PARENTS_AND_PUPIL
        if self.pupil_decides_from is not None and age is not None:
            return Decider.PUPIL if age >= self.pupil_decides_from else Decider.PARENTS
        # Age unknown: the parents decide, and an objection from the pupil still counts.
        return Decider.PARENTS if self.pupil_decides_from is None else Decider.PARENTS_AND_PUPIL


DEFAULT_CONSENT_PURPOSES: tuple[ConsentPurpose, ...] = (
    ConsentPurpose(
        "photos_publicity",
        "Photographs in publicity",
        "Photographs and videos of the pupil on the school's website, social media, "
        "prospectus and in the local press.",
    ),
    ConsentPurpose(
        "biometrics",
        "Biometrics (fingerprint for the canteen and library)",
        "The pupil's fingerprint is used to pay for lunch and borrow books. Without consent "
        "the pupil uses a card or PIN instead.",
        pupil_decides_from=None,
        biometric=True,
    ),
    ConsentPurpose(
        "trip_medical",
        "Medical details shared for trips",
        "Allergies, medicines and conditions shared with trip leaders and the places a trip "
        "visits (outdoor centres, hosts abroad), so they can keep the pupil safe.",
    ),
)


def purposes_from_config(value: Any) -> tuple[ConsentPurpose, ...]:
    """``PUPIL_PRIVACY_CONSENT_PURPOSES``: :class:`ConsentPurpose` objects or dicts of their
    fields. None means :data:`DEFAULT_CONSENT_PURPOSES`.

    :raises ValueError: a purpose lacks a key or label, or a key is repeated.
    """
    if value is None:
        return DEFAULT_CONSENT_PURPOSES
    purposes = tuple(
        p if isinstance(p, ConsentPurpose) else ConsentPurpose(**dict(p)) for p in value
    )
    keys = [p.key for p in purposes]
    if any(not p.key or not p.label for p in purposes) or len(set(keys)) != len(keys):
        raise ValueError("each consent purpose needs a key and a label, and keys must differ")
    return purposes


__all__ = ["DEFAULT_CONSENT_PURPOSES", "ConsentPurpose", "Decider", "purposes_from_config"]
