"""Unique Pupil Number (UPN): 13 characters, a check letter first (DfE UPN guidance)."""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from .gate import GatedPattern

#: The 23 letters the DfE uses for check letters and temporary-UPN serials (no I, O, S).
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_check_letter(body: str) -> str | None:
    """The check letter for the 12 characters after it, or ``None`` when they are malformed.

    Characters 2-13 are weighted by their position (2..13); the sum modulo 23 indexes
    :data:`UPN_LETTERS`. A temporary UPN ends in a letter, valued by its index there.
    """
    if len(body) != 12 or not body[:11].isdigit():
        return None
    last = body[11]
    if last.isdigit():
        last_value = int(last)
    elif last in UPN_LETTERS:
        last_value = UPN_LETTERS.index(last)
    else:
        return None
    total = sum(int(c) * weight for c, weight in zip(body[:11], range(2, 13), strict=True))
    total += last_value * 13
    return UPN_LETTERS[total % 23]


def is_valid_upn(value: str) -> bool:
    """True when ``value`` is 13 characters with a correct check letter."""
    value = value.strip().upper()
    return len(value) == 13 and upn_check_letter(value[1:]) == value[0]


class UkUpnRecognizer(PatternRecognizer):
    """UPNs in free text, kept only when the check letter is right."""

    # Gate: the eleven digits.
    PATTERNS: list[Pattern] = [
        GatedPattern("UPN", r"\b[A-HJ-NP-RT-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]\b", 0.4, r"[0-9]{11}")
    ]
    CONTEXT = ["upn", "unique", "pupil", "number"]

    def __init__(self, supported_entity: str = "UK_UPN") -> None:
        super().__init__(
            supported_entity=supported_entity,
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            name="UkUpnRecognizer",
        )

    def validate_result(self, pattern_text: str) -> bool:
        return is_valid_upn(pattern_text)
