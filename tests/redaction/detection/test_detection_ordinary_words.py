"""Ordinary words the name rules took for names, and "Surname, I." (issue 9, devset_v3).

Both directions, with made-up examples in styles of records written by others: tribunal
decisions, nursery progress checks, tab-separated exports, counselling notes, consent forms.
Rule 10 removes the third parties; words whose only evidence is capitalisation stay.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pupil_privacy.redaction.context_ordinary import (
    organisation_name,
    romanised_syllables,
    verb_opening,
)
from pupil_privacy.redaction.detect import Detector
from pupil_privacy.redaction.types import Action, Person, Role, Subject

MakeDetector = Callable[..., Detector]


@pytest.fixture(scope="module")
def detector(make_detector: MakeDetector) -> Detector:
    subject = Subject(id="P9", name="Wren Alderley", school="Fallowmere Primary School")
    roster = [Person("Wren Alderley", Role.PUPIL, id="P9"),
              Person("Odile Marchetti", Role.STAFF, id="T1")]  # fmt: skip
    return make_detector(subject, roster)


def removed(detector: Detector, text: str) -> list[str]:
    return [f.text for f in detector.analyse(text) if f.action is Action.REDACT]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Respondent: Westmarsh County Council (the Local Authority)\n", "County Council"),
        ("Setting: Tiny Oaks Pre-School (sessional care)\n", "Pre-School"),
        ("FIRST-TIER TRIBUNAL (HEALTH, EDUCATION AND SOCIAL CARE CHAMBER)\n", "FIRST-TIER"),
        ("Outcome measure (RCADS-SHORT): 17\n", "RCADS-SHORT"),
        (
            "Personal, Social and Emotional Development: Developing\n\nWren is happy here.\n",
            "Developing",
        ),
        ("Enclosed: the Appeal Form and Decision Letter.\n", "Decision Letter"),
        ("3. Paragraph C is deleted from the plan.\n", "Paragraph C"),
        ("The class met at the Mill Road bus stop.\n", "Mill Road"),
        ("She saw the fight from the Brook Lane footpath.\n", "Brook Lane"),
    ],
)
def test_ordinary_words_stay(detector: Detector, text: str, kept: str) -> None:
    gone = removed(detector, text)
    assert not any(kept in g or g in kept for g in gone), gone


def test_the_people_beside_those_words_still_go(detector: Detector) -> None:
    text = (
        "Appeal decision. The Local Authority, Westmarsh County Council, was represented by "
        "Ottoline Brackenbury. JAE-WON CHOI attended.\n"
        "Date\tPupil\tType\n03/03/2026\tAlderley, Wren\tMerit\n"
    )
    gone = " ".join(removed(detector, text))
    assert "Ottoline Brackenbury" in gone and "JAE-WON" in gone
    assert "Council" not in gone and "Merit" not in gone and "Wren" not in gone


def test_surname_then_initial_is_a_name(detector: Detector) -> None:
    text = "May collect if unwell: Pellinore, T. or the office.\nReport by Quennell, A.\n"
    gone = removed(detector, text)
    assert "Pellinore, T" in gone and "Quennell, A" in gone
    grades = "Predicted: Maths, B. Geography, A.\n"
    assert removed(detector, grades) == []


def test_a_blank_line_ends_a_name_before_a_verb(detector: Detector) -> None:
    text = "Physical Development: Expected\n\nOttilie Varga is settling.\n"
    gone = removed(detector, text)
    assert "Ottilie Varga" in gone and not any("Expected" in g for g in gone)


def test_guards_answer_their_questions() -> None:
    text = "Said Ottilie Varga from the choir. He said Said was late."
    import re

    tokens = list(re.finditer(r"[A-Z]\w+", text))
    assert verb_opening(text, tokens[0], tokens[1:2])
    late = [t for t in tokens if t.start() > 30][0]
    assert not verb_opening(text, late, [])
    council = "Westmarsh County Council"
    assert organisation_name(council, 0, len(council))
    assert not organisation_name("Joy Church", 0, 10)
    assert not organisation_name("Earl Church", 0, 11)
    assert romanised_syllables("SEO-YEON") and romanised_syllables("MEI-LING")
    assert not romanised_syllables("YEAR-END") and not romanised_syllables("TOP-DOWN")


def test_names_beside_titles_sections_and_streets_still_go(detector: Detector) -> None:
    text = (
        "Said Ottilie Varga from the choir had been kind.\n"
        "Mr Quennell and Ottilie Varga came. She lives on the Quarry Lane estate.\n"
    )
    gone = removed(detector, text)
    assert "Said" not in " ".join(gone)
    assert "Ottilie Varga" in gone and "Quarry Lane" in gone


def test_names_in_the_columns_of_a_pasted_export(detector: Detector) -> None:
    text = (
        "Pupil Surname,Pupil Forename,Contact Surname,Contact Forename,Relationship,Mobile\n"
        "Alderley,Wren,Thistlewaite,Corisande,Godmother,\n"
        "Alderley,Wren,Ravensworth,Perpetua,Neighbour,07700 900 321\n"
        "Visitor\tCompany\tTime in\nMaelys Arkwright (locum)\tDentalCare Ltd\t09:10\n"
        "Date\tCaller\tRe\tNotes\n03/03/2026\tCorisande Thistlewaite\tWren\tAsked if Wren was in.\n"
    )
    gone = removed(detector, text)
    names = (
        "Thistlewaite",
        "Corisande",
        "Ravensworth",
        "Perpetua",
        "Maelys Arkwright",
        "Corisande Thistlewaite",
    )
    for name in names:
        assert name in gone, (name, gone)
    assert not any(w in " ".join(gone) for w in ("Alderley", "Wren", "Godmother", "DentalCare"))


def test_surname_comma_given_name_inside_a_line(detector: Detector) -> None:
    text = "A letter from Thistlewaite, Jane (childminder) was read. Fight with Ravensworth, Ann.\n"
    gone = removed(detector, text)
    assert "Thistlewaite, Jane" in gone and "Ravensworth, Ann" in gone
    assert removed(detector, "She moved to Leeds, Yorkshire last year.\n") == []
