"""Unique Learner Number (ULN): 10 digits, the last a check digit (ESFA ULN specification)."""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from .gate import GatedPattern


def is_valid_uln(value: str) -> bool:
    """True for 10 digits whose last equals 10 - (sum of digit x (10..2)) mod 11.

    A remainder of 0 would need the check "digit" 10, so such numbers are not ULNs.
    """
    digits = "".join(c for c in value if c.isdigit())
    if len(digits) != 10 or digits[0] == "0":
        return False
    total = sum(int(c) * weight for c, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    remainder = total % 11
    return remainder != 0 and 10 - remainder == int(digits[9])


class UkUlnRecognizer(PatternRecognizer):
    """ULNs in free text, kept only when the check digit is right."""

    PATTERNS: list[Pattern] = [GatedPattern("ULN", r"\b[1-9][0-9]{9}\b", 0.3, r"[0-9]{10}")]
    CONTEXT = ["uln", "learner", "unique"]

    def __init__(self, supported_entity: str = "UK_ULN") -> None:
        super().__init__(
            supported_entity=supported_entity,
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            name="UkUlnRecognizer",
        )

    def validate_result(self, pattern_text: str) -> bool:
        return is_valid_uln(pattern_text)
