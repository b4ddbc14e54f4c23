"""NHS number: 10 digits, modulus 11 check digit (NHS Data Dictionary)."""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from .gate import GatedPattern


def is_valid_nhs_number(value: str) -> bool:
    """True when the 10 digits' weighted sum (10..1) is divisible by 11.

    That is the NHS rule "check = 11 - (sum of digit x (10..2)) mod 11, 11 -> 0, 10 invalid"
    written as one sum.
    """
    digits = "".join(c for c in value if c.isdigit())
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    return sum(int(c) * w for c, w in zip(digits, range(10, 0, -1), strict=True)) % 11 == 0


class UkNhsRecognizer(PatternRecognizer):
    """NHS numbers written 10 digits together or 3-3-4 with spaces or hyphens."""

    _DIGITS = r"[0-9]{3}[- ]?[0-9]{3}[- ]?[0-9]{4}"
    PATTERNS: list[Pattern] = [GatedPattern("NHS", rf"\b{_DIGITS}\b", 0.4, _DIGITS)]
    CONTEXT = ["nhs", "health", "gp", "hospital", "patient"]

    def __init__(self, supported_entity: str = "UK_NHS") -> None:
        super().__init__(
            supported_entity=supported_entity,
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            name="UkNhsRecognizer",
        )

    def validate_result(self, pattern_text: str) -> bool:
        return is_valid_nhs_number(pattern_text)
