"""Street addresses: a house number, a capitalised street name and a street suffix, optionally
followed (after a comma or line break) by a locality, a town and a postcode."""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer

from .gate import GatedPattern
from .postcode import POSTCODE_REGEX

STREET_SUFFIXES = (
    "Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Crescent|Cres|Court|Ct|Place|Pl|"
    "Gardens|Gdns|Terrace|Grove|Hill|Park|Row|Walk|Square|Sq|Mews|View|Rise|Green|Parade|Vale|"
    "Gate|Meadow|Meadows|Fields|Wharf|Yard|End|Chase|Croft|Bank|Quay|Path|Circus|Broadway|"
    "Boulevard|Heights|Approach|Causeway|Glade|Grange|Mount|Orchard|Paddock|Ridge|Wynd|Brow|"
    "Common|Embankment|Esplanade|Promenade|Villas|Cottages|Estate"
)
ROAD_SUFFIXES = (
    "Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Crescent|Cres|Terrace|Grove|Mews|Way|"
    "Gardens|Gdns|Boulevard|Place"
)
_WORD = r"[A-Z][A-Za-z'’]*[a-z][A-Za-z'’]*"
_UNIT = r"(?:Flat|Apartment|Apt\.?|Unit|Suite)[ \t]+[0-9]+[A-Za-z]?"
_STREET = (
    rf"(?:{_UNIT},?\s+)?"
    rf"[0-9]{{1,4}}[A-Za-z]?,?[ \t]+(?:{_WORD}[ \t-]){{1,3}}(?:{STREET_SUFFIXES})\b\.?"
    rf"(?:,?[ \t]*\n?[ \t]*{_UNIT})?"
)
_PLACE = rf"(?:,[ \t]*|[ \t]*\n[ \t]*){_WORD}(?:[ \t-]{_WORD}){{0,2}}"
ADDRESS_REGEX = rf"{_STREET}(?:{_PLACE}){{0,2}}(?:,?\s*{POSTCODE_REGEX})?"


class UkAddressRecognizer(PatternRecognizer):
    """UK street addresses as written in letters and records (12 Acacia Avenue, Cambridge)."""

    PATTERNS: list[Pattern] = [
        # Gates: a house number and the capital of the street's first word; the unit's
        # word and number; a road suffix after a space.
        GatedPattern("UK street address", ADDRESS_REGEX, 0.6, r"[0-9][A-Za-z]?,?[ \t]+[A-Z]"),
        # A unit on its own line of an address block ("Suite 414", "Apt. 12").
        GatedPattern("Unit", rf"\b{_UNIT}\b", 0.5, _UNIT),
        # A street named without a house number ("lives on Mill Lane"): still a home's place.
        # Only suffixes that name nothing but streets: "Victoria Park" and "Castle Hill" are
        # places anyone may mention.
        GatedPattern(
            "Street name",
            rf"\b(?:{_WORD}[ \t]){{1,3}}(?:{ROAD_SUFFIXES})\b\.?",
            0.4,
            rf"[ \t](?:{ROAD_SUFFIXES})",
        ),  # fmt: skip
    ]
    CONTEXT = ["address", "live", "lives", "lived", "living", "moved", "home", "at"]

    def __init__(self, supported_entity: str = "STREET_ADDRESS") -> None:
        super().__init__(
            supported_entity=supported_entity,
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            name="UkAddressRecognizer",
            global_regex_flags=re.MULTILINE,
        )
