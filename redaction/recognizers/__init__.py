"""One small recognizer per UK identifier: constant patterns, context words, a checksum."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from .address import UkAddressRecognizer
from .dob import DateOfBirthRecognizer
from .email import EmailRecognizer
from .nhs import UkNhsRecognizer
from .nino import UkNinoRecognizer
from .phone import UkPhoneRecognizer
from .postcode import UkPostcodeRecognizer
from .uln import UkUlnRecognizer
from .upn import UkUpnRecognizer

__all__ = [
    "DateOfBirthRecognizer",
    "EmailRecognizer",
    "UkAddressRecognizer",
    "UkNhsRecognizer",
    "UkNinoRecognizer",
    "UkPhoneRecognizer",
    "UkPostcodeRecognizer",
    "UkUlnRecognizer",
    "UkUpnRecognizer",
    "uk_recognizers",
]


def uk_recognizers() -> list[EntityRecognizer]:
    """A fresh instance of every identifier recognizer the analyzer registers."""
    return [
        UkUpnRecognizer(),
        UkUlnRecognizer(),
        UkNhsRecognizer(),
        UkNinoRecognizer(),
        UkPhoneRecognizer(),
        UkPostcodeRecognizer(),
        UkAddressRecognizer(),
        EmailRecognizer(),
        DateOfBirthRecognizer(),
    ]
