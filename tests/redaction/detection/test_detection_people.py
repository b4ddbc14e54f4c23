"""People written the ways letters, minutes, court papers and chats write them (issue 9).

Each case is checked both ways: the third party's name is removed whole (leaking it is the
worst failure, rule 10), and the pupil's, the requester's and staff names in the same text
are kept (destroying the pupil's own data is the second worst, Art 15; rule 11 for staff).
The people and sentences are made up for these tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from pupil_privacy.redaction.detect import Detector
from pupil_privacy.redaction.types import Action, Person, Requester, Role, Subject

MakeDetector = Callable[..., Detector]


@pytest.fixture(scope="module")
def child(make_detector: MakeDetector) -> Detector:
    """Idris Penhallow, 11, whose mother asks; his separated father is Mr Penhallow."""
    subject = Subject(
        id="S1",
        name="Idris Penhallow",
        date_of_birth=dt.date(2015, 2, 3),
        requester=Requester("Selin Penhallow", "mother"),
        school="Larkspur Vale Academy",
    )
    roster = [
        Person("Idris Penhallow", Role.PUPIL, id="S1"),
        Person("Selin Penhallow", Role.PARENT),
        Person("Garreth Penhallow", Role.PARENT),
        Person("Marguerite Osei", Role.STAFF),
        Person("Colm Fairweather", Role.STAFF),
        Person("Kasimir Nowell", Role.PUPIL),
    ]
    return make_detector(subject, roster)


@pytest.fixture(scope="module")
def adult(make_detector: MakeDetector) -> Detector:
    """Wilf Hartley, a former pupil of 21, asking for his own records."""
    subject = Subject(id="S2", name="Wilf Hartley", date_of_birth=dt.date(2005, 5, 1),
                      requester=Requester("Wilf Hartley", "self"))  # fmt: skip
    roster = [Person("Wilf Hartley", Role.PUPIL, id="S2"), Person("Ruth Gosling", Role.STAFF)]
    return make_detector(subject, roster)


def removed(detector: Detector, text: str) -> str:
    """The text with every REDACT finding replaced by '#'s (same length)."""
    out = list(text)
    for f in detector.analyse(text):
        if f.action is Action.REDACT:
            out[f.start : f.end] = "#" * (f.end - f.start)
    return "".join(out)


def assert_gone(result: str, text: str, *parts: str) -> None:
    for part in parts:
        at = text.index(part)
        left = result[at : at + len(part)]
        assert all(c == "#" or c.isspace() for c in left), (part, result)


def assert_kept(result: str, text: str, *parts: str) -> None:
    for part in parts:
        at = text.index(part)
        assert result[at : at + len(part)] == part, (part, result)


@pytest.mark.parametrize(
    "text, gone, kept",
    [
        # initials attached to a removed name go with it; a teacher's stay with hers
        ("Present: Mr J. Okafor-Lund (interpreter) and Mrs M. Osei (SENCO).",
         ["J. Okafor-Lund"], ["M. Osei", "SENCO"]),
        ("Witnessed by: T. Quarshie\nSigned: S. Penhallow", ["T. Quarshie"], ["S. Penhallow"]),
        # initials alone, in a person's place
        ("The complaint against P.T. was withdrawn by Idris.", ["P.T"], ["Idris"]),
        ("Mrs G. collected the keys from Mr Fairweather.", ["G"], ["Fairweather"]),
        # capitals that stand for someone named in the same minutes
        ("Apologies: Mr Dario Venn. DV had sent a report; MO agreed. Chair: Marguerite Osei",
         ["Dario Venn", "DV"], ["MO", "Marguerite Osei"]),
        # a list after a plural role word, and a list around a found name
        ("The Magistrates Quennell, Abernathy and Ostrowski sat with Idris's mother.",
         ["Quennell", "Abernathy", "Ostrowski"], ["Idris"]),
        # other countries' honorifics, religious titles and peers
        ("Herr Baumgartner and Sra. Quintanilla spoke to Mrs Osei.",
         ["Baumgartner", "Quintanilla"], ["Osei"]),
        ("The letter from Baroness Whitcombe of Alderley was read to Idris.",
         ["Whitcombe of Alderley"], ["Idris"]),
        # ALL CAPS and lower case
        ("PUPIL: IDRIS PENHALLOW\nOTHER PUPIL: KASIMIR NOWELL\nWITNESS: PHILIPPA GRUNDY",
         ["KASIMIR NOWELL", "PHILIPPA GRUNDY"], ["IDRIS PENHALLOW", "OTHER PUPIL"]),
        ("note - idris was sent to the head after kasimir shouted at him.",
         ["kasimir"], ["idris"]),
        # chats: a written-out "\n", and "User:" lines
        ("[09:12] User: Oleksandr Hrytsenko\nIdris: ask Wanjiru Kamau\\nTeodor Balan said no",
         ["Oleksandr Hrytsenko", "Wanjiru Kamau", "Teodor Balan"], ["Idris"]),
        ("> From: Ferreira, Benedita <bf@example.org>\n> To: Osei, Marguerite",
         ["Ferreira, Benedita"], ["Osei, Marguerite"]),
        # two English words are a name when the sentence says so
        ("Robin Carter, who walks Idris to school, was late.", ["Robin Carter"], ["Idris"]),
        # a guess never runs into the next line's first word
        ("Our visitor was Ilse Vandermeer\nReviewing the plan, staff agreed.",
         ["Ilse Vandermeer"], ["Reviewing"]),
        # capitals: police "SURNAME Given", a party above its role, a sentence in capitals
        ("Officer's note: suspect QUENNEVILLE Baptiste (no fixed abode); associate Bogdan "
         "VUKOVIC.\nDriver: Radomir HALILOVIC\nSafeguarding DSL: Mrs Osei",
         ["QUENNEVILLE Baptiste", "Bogdan VUKOVIC", "Radomir HALILOVIC"],
         ["Officer's note", "Safeguarding DSL", "Osei"]),
        ("BETWEEN:\n(1) SELIN PENHALLOW\nApplicant\n(2) TOMASZ WIERZBICKI\nFirst Respondent",
         ["TOMASZ WIERZBICKI"], ["SELIN PENHALLOW", "Applicant", "First Respondent"]),
        ("ACCOUNT: IDRIS SAID THAT GUSTAVO PEREIRA TOOK HIS BAG.",
         ["GUSTAVO PEREIRA"], ["IDRIS", "SAID THAT", "TOOK HIS BAG"]),
        # a given name and an initial; an initial before an ordinary word; initials keyed
        ("Idris said Leopold V. had kept him up.", ["Leopold V"], ["Idris"]),
        ("Present: mother, Idris, mum's friend Mr T. Visit lasted an hour.",
         ["T"], ["Idris", "Visit lasted"]),
        ("Key: MO = Marguerite Osei (DSL); RB = Rosalind Blackwood (aunt)",
         ["Rosalind Blackwood", "RB"], ["Marguerite Osei", "MO"]),
        ("Attendees\nHenk Roozendaal | HR | Housing\nColm Fairweather | CF | School",
         ["Henk Roozendaal"], ["Colm Fairweather", "CF", "Housing"]),
        ("Apologies: R. Stone, K. Little; Mrs M. Osei chaired.",
         ["R. Stone", "K. Little"], ["M. Osei"]),
        # a name set off after a role; a two-syllable romanised given name
        ("The Children's Guardian, Henrietta Marlowe-Vance, filed a report on Idris.",
         ["Henrietta Marlowe-Vance"], ["Children's Guardian", "Idris"]),
        ("Interpreter booked: Hye-jin Kwon will sit with Idris at the Follow-up Meeting.",
         ["Hye-jin Kwon"], ["Idris", "Follow-up Meeting"]),
        # chat exports: a guest's "Surname, Given", a chat typed in lower case
        ("Dvorak, Ludmila (Guest) 10:03\nhas Idris handed it in?",
         ["Dvorak, Ludmila"], ["Idris"]),
        ("bogdan: dont tell anyone\nidris: ok\nbogdan: marisol quiroga is coming too",
         ["bogdan", "marisol quiroga"], ["idris"]),
        # an initial that reads as a word ("A.", "I."); a surname in capitals, then as written
        ("Apologies: A. Sokolov, I. Brennan-Tate; Mrs M. Osei chaired.",
         ["A. Sokolov", "I. Brennan-Tate"], ["M. Osei"]),
        ("Idris saw Henrik SJOBERG at the gate. Later Sjoberg left.\nSTATED THAT MIN-SEO "
         "YOON WAS THERE", ["Henrik SJOBERG", "Sjoberg", "MIN-SEO YOON"], ["Idris", "WAS THERE"]),
        # a label after another field on the same line
        ("Contact 2 - Name: Ottilie Brandvold   Relationship: aunt   Mobile: see file",
         ["Ottilie Brandvold"], ["Relationship", "Mobile"]),
    ],
)  # fmt: skip
def test_third_party_removed_and_own_people_kept(
    child: Detector, text: str, gone: list[str], kept: list[str]
) -> None:
    result = removed(child, text)
    assert_gone(result, text, *gone)
    assert_kept(result, text, *kept)


def test_role_words_and_role_titles_stay_beside_a_removed_name(child: Detector) -> None:
    text = ("Please write to Ms Anouk Brandt, Legal Adviser. The Crown Prosecutor, Mr L. Fenwick, "
            "agreed. Before District Judge Harrowby. DC Pilkington attended.")  # fmt: skip
    result = removed(child, text)
    assert_gone(result, text, "Anouk Brandt", "L. Fenwick", "Harrowby", "Pilkington")
    assert_kept(result, text, "Legal Adviser", "Crown Prosecutor", "District Judge", "DC ")


def test_court_initials_of_the_child_are_the_subject(child: Detector) -> None:
    for text in ("Re I.P. (A Child)\nThe father, Mr Penhallow, did not attend.",
                 "Re IP (A Child)"):  # fmt: skip
        result = removed(child, text)
        assert_kept(result, text, "I" if "I.P." not in text else "I.P.")
    text = "Re I.P. (A Child)\nThe father, Mr Penhallow, did not attend."
    assert_gone(removed(child, text), text, "Penhallow")


def test_title_and_surname_belong_to_an_adult_subject(adult: Detector, child: Detector) -> None:
    text = "Mr Hartley asked for his file. Mr W. Hartley signed it; Ms Gosling witnessed."
    result = removed(adult, text)
    assert_kept(result, text, "Hartley", "W. Hartley", "Gosling")
    # for a child, "Mr <the pupil's surname>" is a parent (rule 12) and goes
    text = "Mr Penhallow rang about Idris."
    result = removed(child, text)
    assert_gone(result, text, "Penhallow")
    assert_kept(result, text, "Idris")


@pytest.mark.parametrize(
    "text",
    [
        "MINUTES OF THE ANNUAL REVIEW MEETING\nLarkspur Vale Academy\nCONFIDENTIAL",
        "Forename(s): Idris\nRelationship: mother\nDescription: lost coat",
        "Section 47 enquiries under the Children Act 1989 continue; see the Equality Act 2010.",
        "Our Rights and Responsibilities policy applies to every pupil.",
        "Medical: Severe peanut allergy. SEN need: Friendships. Dyslexia: cream paper.",
        "Primary need: Autism Spectrum Condition; Speech, Language and Communication.",
        "Idris is a pupil at Larkspur Vale Academy and loves Art.",
        # statutes, form fields and the pupil's provision in capitals or title case
        "Taken under the Criminal Justice Act 1967, s. 9, and the Children Act 1989.",
        "Provision: Nurture Group; Lego Therapy; Zones of Regulation.\n"
        "Daily Care: Buccal Midazolam held by Mrs Osei.",
        "Relationship: Aunt   Mobile: see file\nPersons NOT permitted to collect: none",
        "SECTION B: SPECIAL EDUCATIONAL NEEDS\nSocial, Emotional and Mental Health",
        "To: office@larkspurvale.sch.uk\nCc: safeguarding@larkspurvale.sch.uk",
        "Item 3. Checked by: MO. Topic this term: the Stone Age.",
        # ordinary words beside their initials, after a role, or in capitals after a cue
        "Idris has a history of Domestic Abuse (DA) at home; the Local Authority (LA) knows.",
        "The Respondent, Westshire County Council, conceded the appeal.",
        "IT IS ORDERED THAT:\n(1) NO ORDER AS TO COSTS\n(2) LIBERTY TO APPLY\n"
        "REFERRAL TO CHILDREN'S SERVICES",
        "A Non-verbal Communication plan and a Key-stage review for Idris.",
    ],
)
def test_never_removed_headings_labels_statutes_and_the_pupils_needs(
    child: Detector, text: str
) -> None:
    result = removed(child, text)
    assert result == text


def test_school_name_from_policy_extra_is_kept(make_detector: MakeDetector) -> None:
    from pupil_privacy.redaction.types import Policy

    subject = Subject(id="S3", name="Ayo Brennan")
    text = "Letter from Thistlewood Priory School to Ayo Brennan."
    plain = removed(make_detector(subject, []), text)
    kept = removed(make_detector(subject, [], Policy(extra={"school": "Thistlewood Priory"})),
                   text)  # fmt: skip
    assert_kept(kept, text, "Thistlewood Priory School", "Ayo Brennan")
    assert plain != text or kept == text  # the setting never removes more
