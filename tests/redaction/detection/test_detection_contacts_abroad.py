"""Contacts outside the UK: street addresses, post boxes and phone numbers (issue 9).

Both directions: a relative's address abroad is removed whole; section numbers, statutes,
rooms and a year group next to a comma are not addresses. Made-up places and numbers.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pupil_privacy.redaction.detect import Detector
from pupil_privacy.redaction.recognizers.abroad import (
    AbroadAddressRecognizer,
    AbroadPhoneRecognizer,
)
from pupil_privacy.redaction.types import Action, Subject

MakeDetector = Callable[..., Detector]


def spans(recognizer: AbroadAddressRecognizer | AbroadPhoneRecognizer, text: str) -> list[str]:
    entity = recognizer.supported_entities[0]
    return [text[r.start : r.end] for r in recognizer.analyze(text, [entity])]


@pytest.mark.parametrize(
    "address",
    [
        "Sonnenweg 7, 3600 Thun",
        "Rua do Carmo 41, 1200-093 Lisboa",
        "Kossuth Lajos utca 12, 7621 Pecs",
        "Atatürk Caddesi 88, 35210 Izmir",
        "Postbus 88, 9700 AB Groningen",
        "P.O. Box 3321, Nairobi",
        "Apartado 214, 4700-001 Braga",
        "Jabulani Road 19, Soweto 1804",
        "9 Wellington Quay, Accra 233",
        "Flat 4B, 17 Salisbury Road, Tsim Sha Tsui",
        "Kutia Postare 2210, Durres",
        "P.O. Box 5512-00200, Mombasa",
        "Box 3310, 411 04 Goteborg",
        "Rruga Myslym Shyri 12, Tirane 1019",
        "Jalan Merdeka No. 14, Bandung 40111",
        "Apt 804, 17 Sejong-daero, Jongno-gu, Seoul 03172",
    ],
)
def test_addresses_abroad_are_found_whole(address: str) -> None:
    text = f"Her grandmother lives at {address}. She visits in August."
    assert address in spans(AbroadAddressRecognizer(), text)


@pytest.mark.parametrize(
    "text",
    [
        "Section 47, Children Act 1989 applies.",
        "Article 15, UK GDPR gives the right of access.",
        "Year 10, Science and French were covered.",
        "Room 4, Block B is free on Tuesday.",
        "scored 12 Maths, English and Science marks",
    ],
)
def test_sections_rooms_and_subjects_are_not_addresses(text: str) -> None:
    assert spans(AbroadAddressRecognizer(), text) == []


@pytest.mark.parametrize(
    "text, number",
    [
        ("Call her on +41 78 555 01 23 after six.", "+41 78 555 01 23"),
        ("Uncle (reachable on +233 24 555 0199) agreed.", "+233 24 555 0199"),
        ("Contacts: Ama Boateng (029 555 0143), neighbour.", "029 555 0143"),
    ],
)
def test_phones_abroad_are_found_without_their_brackets(text: str, number: str) -> None:
    assert number in spans(AbroadPhoneRecognizer(), text)


def test_a_bracketed_number_loses_the_number_not_the_bracket(make_detector: MakeDetector) -> None:
    detector = make_detector(Subject(id="S", name="Noor Achterberg"), [])
    text = "Emergency contacts: Kweku Antwi (029 555 0143) and Noor Achterberg."
    gone = [text[f.start : f.end] for f in detector.analyse(text) if f.action is Action.REDACT]
    assert "029 555 0143" in gone
    assert not any(g.startswith("(") or g.endswith(")") for g in gone)
    assert "Noor Achterberg" not in gone


def test_an_address_abroad_is_removed_and_the_pupils_kept(make_detector: MakeDetector) -> None:
    subject = Subject(id="S", name="Noor Achterberg", address="12 Mill Lane, Otley, LS21 1AA")
    detector = make_detector(subject, [])
    text = ("Noor lives at 12 Mill Lane, Otley, LS21 1AA. Her father lives at Sonnenweg 7, "
            "3600 Thun, and writes from Postfach 412, 8021 Zurich.")  # fmt: skip
    findings = detector.analyse(text)
    gone = " | ".join(text[f.start : f.end] for f in findings if f.action is Action.REDACT)
    assert "Sonnenweg 7, 3600 Thun" in gone and "Postfach 412, 8021 Zurich" in gone
    assert "Mill Lane" not in gone and "Noor" not in gone
