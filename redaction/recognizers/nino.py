"""National Insurance number: two prefix letters, six digits, suffix A-D (HMRC NIM39110)."""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer

from .gate import GatedPattern

#: Prefixes HMRC never issues.
INVALID_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
_SHAPE = re.compile(r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]")


def is_valid_nino(value: str) -> bool:
    """True for a well-formed NI number with an issued prefix (no D, F, I, Q, U, V; no O second)."""
    compact = re.sub(r"[\s-]", "", value).upper()
    return bool(_SHAPE.fullmatch(compact)) and compact[:2] not in INVALID_PREFIXES


class NationalInsuranceNumberRecognizer(PatternRecognizer):
    """NI numbers written together or in pairs (QQ 12 34 56 C)."""

    PATTERNS: list[Pattern] = [
        GatedPattern(
            "NINO",
            r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
            r"[ -]?[0-9]{2}[ -]?[0-9]{2}[ -]?[0-9]{2}[ -]?[A-D]\b",
            0.5,
            r"[0-9]{2}[ -]?[0-9]{2}[ -]?[0-9]{2}",  # gate: the six digits
        )
    ]
    CONTEXT = ["national", "insurance", "ni", "nino"]

    def __init__(self, supported_entity: str = "UK_NINO") -> None:
        super().__init__(
            supported_entity=supported_entity,
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            name="NationalInsuranceNumberRecognizer",
        )

    def validate_result(self, pattern_text: str) -> bool:
        return is_valid_nino(pattern_text)
