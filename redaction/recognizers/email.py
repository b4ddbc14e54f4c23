"""Email addresses, without presidio's online public-suffix look-up (no network at run time)."""

from __future__ import annotations

from presidio_analyzer import Pattern, PatternRecognizer

from .gate import GatedPattern

EMAIL_REGEX = (
    r"(?<![\w.%+'-])[A-Za-z0-9](?:[A-Za-z0-9._%+'-]{0,62}[A-Za-z0-9_%+-])?"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}\b"
)


class EmailAddressRecognizer(PatternRecognizer):
    """Email addresses; a dot-dot local part is not an address."""

    PATTERNS: list[Pattern] = [GatedPattern("Email", EMAIL_REGEX, 0.9, "@")]
    CONTEXT = ["email", "e-mail", "mail", "from", "to", "cc"]

    def __init__(self, supported_entity: str = "EMAIL_ADDRESS") -> None:
        super().__init__(
            supported_entity=supported_entity,
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            name="EmailAddressRecognizer",
        )

    def validate_result(self, pattern_text: str) -> bool:
        local = pattern_text.split("@", 1)[0]
        return ".." not in local
