"""Identifiers the demo needs to look real: UPNs with a valid DfE check letter.

The DfE algorithm (Unique Pupil Numbers, a guide for schools and local authorities): a UPN is
13 characters; characters 2-13 are the local authority number (3), the school's DfE number
(4), the year of allocation (2) and a serial (3); character 1 is a check letter. Multiply
character *n* (n = 2..13) by the weight *n*, sum, take the remainder mod 23 and look it up
in the 23 letters below (I, O and S are left out so they are never misread as 1, 0 and 5).
"""

from __future__ import annotations

import random

CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_check_letter(body: str) -> str:
    """The check letter for the 12 digits that follow it.

    :param body: characters 2-13 of the UPN, all digits.
    :raises ValueError: when ``body`` is not 12 digits.
    """
    if len(body) != 12 or not body.isdigit():
        raise ValueError(f"a UPN body is 12 digits, not {body!r}")
    total = sum(int(char) * weight for weight, char in enumerate(body, start=2))
    return CHECK_LETTERS[total % 23]


def is_valid_upn(upn: str) -> bool:
    """Whether ``upn`` is a permanent UPN whose check letter matches."""
    upn = upn.strip().upper()
    if len(upn) != 13 or not upn[1:].isdigit():
        return False
    return upn[0] == upn_check_letter(upn[1:])


def make_upn(rng: random.Random, la_code: str, school_number: str, year: int) -> str:
    """A valid UPN allocated by this school in ``year``."""
    serial = f"{rng.randrange(1000):03d}"
    body = f"{la_code}{school_number}{year % 100:02d}{serial}"
    return upn_check_letter(body) + body
