"""UK telephone numbers in the forms people write them (Ofcom national numbering plan)."""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer

from .gate import GatedPattern

_SEP = r"[ \-.]?"
# The digits after the trunk 0 (or after +44), grouped as people group them; longest first,
# and each must end at a non-digit so a trailing year is never swallowed.
_GROUPINGS = (
    rf"[0-9]{{4}}\)?{_SEP}[0-9]{{6}}",  # 07700 900123, (01223) 123456
    rf"[0-9]{{3}}\)?{_SEP}[0-9]{{3}}{_SEP}[0-9]{{4}}",  # 0117 496 0123, 0800 123 4567
    rf"[0-9]{{2}}\)?{_SEP}[0-9]{{4}}{_SEP}[0-9]{{4}}",  # 020 7946 0000
    rf"[0-9]{{4}}\)?{_SEP}[0-9]{{3}}{_SEP}[0-9]{{3}}",  # 07700 900 123
    rf"[0-9]{{3}}\)?{_SEP}[0-9]{{7}}",  # 0121 4960000
    rf"[0-9]{{4}}\)?{_SEP}[0-9]{{5}}",  # 016977 3456 style ten-digit numbers
    rf"[0-9]{{3}}\)?{_SEP}[0-9]{{6}}",
    r"[0-9]{10}",
    r"[0-9]{9}",
)
# "(" only when it closes after the area code: "(01223) 123456", never "(0113 496 0267".
_LEAD = r"(?:(?:\+|00)44[ ]?(?:\(0\)[ ]?)?|\((?=0[0-9]{2,4}\))0|0)"
PHONE_REGEX = rf"(?<![\w+]){_LEAD}(?:{'|'.join(_GROUPINGS)})(?![\w])"
#: In every grouping above: two digits, perhaps ")" and a separator, then three digits.
PHONE_GATE = rf"[0-9]{{2}}\)?{_SEP}[0-9]{{3}}"


def national_digits(value: str) -> str:
    """The number as 0-led national digits: ``+44 (0)7700 900123`` -> ``07700900123``."""
    digits = re.sub(r"\D", "", value)
    if digits.startswith("0044"):
        digits = digits[4:]
    elif digits.startswith("44") and value.lstrip().startswith("+"):
        digits = digits[2:]
    if digits.startswith("0"):
        digits = digits[1:]
    return "0" + digits


def is_valid_uk_phone(value: str) -> bool:
    """True for 10 or 11 national digits in a geographic, non-geographic or mobile range."""
    digits = national_digits(value)
    if len(digits) not in (10, 11) or digits[1] not in "1235789":
        return False
    # Mobiles and 02/03 numbers always have 11 digits.
    return not (digits[1] in "237" and len(digits) != 11)


class UkPhoneRecognizer(PatternRecognizer):
    """UK phone numbers: 07xxx xxxxxx, +44 7xxx xxxxxx, (01223) 123456, 020 7946 0000..."""

    PATTERNS: list[Pattern] = [GatedPattern("UK phone", PHONE_REGEX, 0.6, PHONE_GATE)]
    CONTEXT = ["phone", "telephone", "tel", "mobile", "mob", "call", "contact", "landline",
               "number", "ring", "text", "whatsapp"]  # fmt: skip

    def __init__(self, supported_entity: str = "PHONE_NUMBER") -> None:
        super().__init__(
            supported_entity=supported_entity,
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            name="UkPhoneRecognizer",
        )

    def validate_result(self, pattern_text: str) -> bool:
        return is_valid_uk_phone(pattern_text)
