"""UK postcodes (Royal Mail PAF format rules), written in capitals as addresses are."""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer

from .gate import GatedPattern

POSTCODE_REGEX = (
    r"\b(?:GIR ?0AA"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]? ?[0-9][ABD-HJLNP-UW-Z]{2}"
    r"|[A-PR-UWYZ][0-9]{2} ?[0-9][ABD-HJLNP-UW-Z]{2}"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]? ?[0-9][ABD-HJLNP-UW-Z]{2}"
    r"|[A-PR-UWYZ][A-HK-Y][0-9]{2} ?[0-9][ABD-HJLNP-UW-Z]{2})\b"
)


def normalise_postcode(value: str) -> str:
    """``cb12ab`` -> ``CB1 2AB`` (outward and inward code split by one space)."""
    compact = re.sub(r"\s", "", value).upper()
    return f"{compact[:-3]} {compact[-3:]}"


class PostcodeRecognizer(PatternRecognizer):
    """Postcodes. Case-sensitive: lower-case look-alikes are ordinary words and numbers."""

    # Gate: every inward code is a digit and two capitals ("2AB", "0AA").
    PATTERNS: list[Pattern] = [GatedPattern("UK postcode", POSTCODE_REGEX, 0.5, r"[0-9][A-Z]{2}")]
    CONTEXT = ["postcode", "post", "address", "live", "lives", "living"]

    def __init__(self, supported_entity: str = "UK_POSTCODE") -> None:
        super().__init__(
            supported_entity=supported_entity,
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            name="PostcodeRecognizer",
            global_regex_flags=re.MULTILINE,
        )
