"""One small recognizer per UK identifier: constant patterns, context words, a checksum."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

from .abroad import AbroadAddressRecognizer, AbroadPhoneRecognizer
from .address import UkAddressRecognizer
from .dob import DateOfBirthRecognizer
from .email import EmailAddressRecognizer
from .nhs import UkNhsRecognizer
from .nino import NationalInsuranceNumberRecognizer
from .phone import UkPhoneRecognizer
from .postcode import PostcodeRecognizer
from .uln import UkUlnRecognizer
from .upn import UkUpnRecognizer

__all__ = [
    "AbroadAddressRecognizer",
    "AbroadPhoneRecognizer",
    "DateOfBirthRecognizer",
    "EmailAddressRecognizer",
    "UkAddressRecognizer",
    "UkNhsRecognizer",
    "NationalInsuranceNumberRecognizer",
    "UkPhoneRecognizer",
    "PostcodeRecognizer",
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
        NationalInsuranceNumberRecognizer(),
        UkPhoneRecognizer(),
        PostcodeRecognizer(),
        UkAddressRecognizer(),
        AbroadAddressRecognizer(),
        AbroadPhoneRecognizer(),
        EmailAddressRecognizer(),
        DateOfBirthRecognizer(),
    ]
