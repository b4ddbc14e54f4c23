"""A development set in styles the school corpus never used, with a held-out part (issue 9).

The school corpus (scripts/corpus.py) is what detection was tuned on; its figures are an
upper bound. This set is written differently on purpose:

- **document styles**: meeting minutes with initials, solicitors' and social-care letters,
  police and court documents, chat transcripts, forms of label/value pairs, quoted email
  headers, SEN and medical plans about the pupil, notes in ALL CAPS or lower case;
- **names**: hand-written pools here (Greek, Portuguese, Vietnamese, Hungarian, Ukrainian,
  Ghanaian, Eritrean, Turkish, Tamil, Japanese, Welsh and Scots, and English names that are
  also words: "Edit Major"), not the corpus's lists and not Faker's;
- **people named the hard ways**: initials with a surname ("Mr J. Smith"), initials alone
  ("N.S.", "Mrs G."), lists of names ("Judges A, B, C and D"), peers ("Lord X of Y"),
  international honorifics, lawyers and officers beside their role words, chat handles,
  "Surname, Given" in email headers;
- **adult subjects**: a former pupil asking for their own records, who owns "Mr Hartley";
- **international contacts**: street addresses and post boxes outside the UK, phone numbers
  in brackets.

It has two parts with **different templates and different name pools**: ``dev`` (tune on
it) and ``held-out`` (written before any tuning, never looked at miss by miss). Labels use
the school corpus's :class:`corpus.Span` and :class:`corpus.Owner`, so ``make eval`` scores
both with the same :class:`corpus.Tally`; tests/redaction/test_devset_labels.py checks them.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from corpus import Builder, Doc, Owner, Span, fill

from pupil_privacy.redaction.types import Person, Requester, Role, Subject

DEFAULT_SEED = 20261203
PARTS = ("dev", "held-out")
TODAY = dt.date(2026, 6, 15)

# (female given names, male given names, surnames, (female title, male title)) per origin.
Pool = dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, str]]]
DEV_NAMES: Pool = {
    "greek": (("Eleni", "Despina", "Katerina"), ("Stavros", "Giorgos", "Nikos"),
              ("Papadakis", "Karagiannis", "Vlachou"), ("Kyria", "Kyrios")),
    "portuguese": (("Joana", "Luciana", "Ines"), ("Tiago", "Goncalo", "Rui"),
                   ("Figueiredo", "Carvalho", "Lima"), ("Sra.", "Sr.")),
    "vietnamese": (("Thuy", "Linh", "Hoa"), ("Quang", "Tuan", "Minh"),
                   ("Nguyen", "Tran", "Pham"), ("Mrs", "Mr")),
    "hungarian": (("Zsofia", "Reka", "Edit"), ("Bence", "Levente", "Zoltan"),
                  ("Varga", "Horvath", "Kiss"), ("Mrs", "Mr")),
    "ukrainian": (("Oksana", "Yulia", "Daria"), ("Dmytro", "Taras", "Bohdan"),
                  ("Zotov", "Shevchenko", "Kovalenko"), ("Pani", "Pan")),
    "ghanaian": (("Akosua", "Abena", "Efua"), ("Kwabena", "Yaw", "Kofi"),
                 ("Asante", "Mensah", "Boateng"), ("Mrs", "Mr")),
    "eritrean": (("Selam", "Hiwet", "Meron"), ("Dawit", "Yonas", "Tesfaye"),
                 ("Tesfamariam", "Gebremedhin", "Haile"), ("Wro", "Ato")),
    "turkish": (("Elif", "Zeynep", "Rojda"), ("Emre", "Baran", "Serkan"),
                ("Yilmaz", "Demir", "Aydin"), ("Mrs", "Mr")),
    "tamil": (("Kavitha", "Thenmozhi", "Vaishnavi"), ("Senthil", "Karthik", "Arul"),
              ("Sivakumar", "Rajendran", "Thangarajah"), ("Mrs", "Mr")),
    "japanese": (("Haruka", "Yuki", "Aiko"), ("Kenji", "Hiroshi", "Daisuke"),
                 ("Takahashi", "Watanabe", "Fujimoto"), ("Mrs", "Mr")),
    "welsh-scots": (("Morag", "Eilidh", "Catrin"), ("Hamish", "Dafydd", "Gethin"),
                    ("MacLeod", "Llewellyn", "Pritchard"), ("Mrs", "Mr")),
    "english-words": (("Hazel", "Robin", "Sunny"), ("Rich", "Forrest", "Gale"),
                      ("Major", "Bond", "Cook", "Baker", "Young"), ("Mrs", "Mr")),
}  # fmt: skip
HELD_NAMES: Pool = {
    "romanian": (("Ioana", "Andreea", "Mihaela"), ("Bogdan", "Florin", "Andrei"),
                 ("Popescu", "Ionescu", "Dumitrescu"), ("Doamna", "Domnul")),
    "filipino": (("Maricel", "Rowena", "Jocelyn"), ("Rodel", "Jomar", "Arnel"),
                 ("Bautista", "Mendoza", "Dimaculangan"), ("Mrs", "Mr")),
    "zulu": (("Thandiwe", "Nomvula", "Lindiwe"), ("Sipho", "Themba", "Bongani"),
             ("Dlamini", "Nkosi", "Mahlangu"), ("Mrs", "Mr")),
    "dutch": (("Sanne", "Femke", "Lotte"), ("Joost", "Maarten", "Bram"),
              ("de Vries", "van Dijk", "Bakker"), ("Mevr.", "Dhr.")),
    "persian": (("Shirin", "Parisa", "Niloufar"), ("Dariush", "Kaveh", "Babak"),
                ("Hosseini", "Moradi", "Karimi"), ("Khanom", "Agha")),
    "lithuanian": (("Ugne", "Egle", "Rasa"), ("Mantas", "Darius", "Tomas"),
                   ("Kazlauskas", "Petraitis", "Jankauskas"), ("Mrs", "Mr")),
    "cantonese": (("Mei-Ling", "Wing-Yan", "Siu-Man"), ("Ka-Ho", "Chun-Kit", "Wai-Lun"),
                  ("Leung", "Cheung", "Tsang"), ("Mrs", "Mr")),
    "latin-american": (("Ximena", "Valentina", "Lucia"), ("Santiago", "Joaquin", "Mateo"),
                       ("Villalobos", "Echeverria", "Quispe"), ("Sra.", "Sr.")),
    "czech": (("Lenka", "Jana", "Petra"), ("Jiri", "Ondrej", "Radek"),
              ("Dvorakova", "Novotny", "Svoboda"), ("Pani", "Pan")),
    "maghrebi": (("Imane", "Samira", "Houda"), ("Youssef", "Karim", "Mehdi"),
                 ("Benali", "Bouzid", "Cherkaoui"), ("Mme", "M.")),
    "cornish": (("Tamsin", "Morwenna", "Eluned"), ("Jago", "Emrys", "Rhodri"),
                ("Trelawney", "Penhaligon", "Vaughan"), ("Mrs", "Mr")),
    "english-words": (("Holly", "Ivy", "Pearl"), ("Clay", "Sterling", "Rusty"),
                      ("Marsh", "Lamb", "Fisher", "Bell", "Moody"), ("Mrs", "Mr")),
}  # fmt: skip
SCHOOLS = {
    "dev": ("St Aidan's Church of England High School", "Brockwell Park Academy",
            "Thornbury Vale Primary School"),
    "held-out": ("Holy Trinity Catholic College", "Marlowe Fields Academy",
                 "Kingsmead Community School"),
}  # fmt: skip
PLACES = ("Norton", "Ashby", "Kelvedon", "Amberley", "Whitstable", "Lanark", "Rothley")

# International contacts per origin: (street address, post box, phone).
ABROAD = {
    "greek": ("Odos Ermou 24, 105 63 Athina", "T.K. 1120, 541 10 Thessaloniki", "+30 694 512 3377"),
    "portuguese": ("Rua das Flores 112, 4050-262 Porto", "Apartado 58, 8000-901 Faro",
                   "+351 912 345 678"),
    "vietnamese": ("18 Ly Thuong Kiet, Hoan Kiem, Ha Noi", "P.O. Box 212, Da Nang",
                   "+84 91 234 5678"),
    "hungarian": ("Andrassy ut 41, 1061 Budapest", "Postafiok 77, 6701 Szeged", "+36 30 123 4567"),
    "ukrainian": ("vul. Saksahanskoho 14, Kyiv 01033", "a/s 305, Lviv 79000", "+380 67 123 4567"),
    "ghanaian": ("House 7, Oxford Street, Osu, Accra", "P.O. Box 104, Kumasi", "(024 123 9876)"),
    "eritrean": ("Harnet Avenue 45, Asmara", "P.O. Box 5581, Asmara", "+291 7 123 456"),
    "turkish": ("Bagdat Caddesi 210, 34728 Kadikoy", "P.K. 12, 06100 Ankara", "+90 532 123 4567"),
    "tamil": ("12 Anna Salai, Chennai 600002", "P.O. Box 88, Jaffna", "+94 77 123 4567"),
    "japanese": ("2-14-5 Shibuya, Tokyo 150-0002", "P.O. Box 31, Sapporo 060-8691",
                 "+81 90 1234 5678"),
    "welsh-scots": ("Kirchstrasse 2, La Sagne 2314", "P.O. Box 104, Pituffik 3970",
                    "(027 123 9876)"),
    "english-words": ("Rue du Lac 9, 1207 Geneve", "Postfach 412, 8021 Zurich", "+41 79 123 45 67"),
    "romanian": ("Strada Lipscani 18, Bucuresti 030031", "C.P. 44, 400100 Cluj-Napoca",
                 "+40 721 234 567"),
    "filipino": ("221 Rizal Avenue, Manila 1003", "P.O. Box 2099, Cebu City 6000",
                 "+63 917 123 4567"),
    "zulu": ("14 Florida Road, Durban 4001", "P.O. Box 812, Pietermaritzburg 3200",
             "(031 123 9876)"),
    "dutch": ("Prinsengracht 263, 1016 GV Amsterdam", "Postbus 1022, 3000 BA Rotterdam",
              "+31 6 1234 5678"),
    "persian": ("Khiaban-e Vali Asr 1180, Tehran", "P.O. Box 19395, Tehran", "+98 912 345 6789"),
    "lithuanian": ("Gedimino pr. 9, LT-01103 Vilnius", "P.d. 58, LT-44001 Kaunas",
                   "+370 612 34567"),
    "cantonese": ("Flat 12B, 88 Nathan Road, Kowloon", "G.P.O. Box 1422, Hong Kong",
                  "+852 9123 4567"),
    "latin-american": ("Avenida Reforma 222, 06600 Ciudad de Mexico", "Casilla 1092, Santiago",
                       "+52 55 1234 5678"),
    "czech": ("Vodickova 36, 110 00 Praha 1", "P.O. Box 63, 602 00 Brno", "+420 603 123 456"),
    "maghrebi": ("12 Rue Ibn Batouta, Casablanca 20250", "B.P. 411, Oran 31000",
                 "+212 661 234 567"),
    "cornish": ("Kirchgasse 14, 8001 Zurich", "P.O. Box 77, Nuuk 3900", "(021 123 4567)"),
}  # fmt: skip


@dataclass(frozen=True)
class Who:
    """One person in a generated case; ``role`` None means the MIS does not know them."""

    key: str
    owner: Owner
    first: str
    last: str
    female: bool
    origin: str
    role: Role | None
    honorific: str = ""
    dob: dt.date | None = None
    email: str = ""

    @property
    def title(self) -> str:
        return ("Mrs" if self.female else "Mr") if self.role is not None else self.honorific

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"

    def person(self) -> Person:
        assert self.role is not None
        return Person(self.full, self.role, id=self.key, email=self.email or None,
                      date_of_birth=self.dob)  # fmt: skip


@dataclass(frozen=True)
class Case:
    number: int
    part: str
    people: dict[str, Who]
    subject: Subject
    roster: tuple[Person, ...]
    school: str
    style: Style


# --- templates -------------------------------------------------------------------------------
# {K.attr} writes person K: full, first, last, title (Title + surname; the title unlabelled),
# tinit ("Mr J. Smith"), init ("J. Smith"), initials ("N.S."), tinitial ("Mrs G."),
# caps ("NS"), upper, lower, firstlower, comma ("Smith, Jane"), poss ("Jane's"),
# peer ("Lord Smith of Norton"), hon (the honorific of their origin + full name),
# addr / pobox / phone (abroad), email. {school} is the school's name, {date} a date,
# {w:...} a name-like word used as a word (must be kept).
DEV_TEMPLATES: dict[str, tuple[str, ...]] = {
    "minutes": (
        "MINUTES OF THE ANNUAL REVIEW MEETING\n{school}\nDate: {date}\n\n"
        "Present: {T1.tinit} (SENCO) [{T1.caps}], {T2.tinit} (Head of Year) [{T2.caps}], "
        "{R.tinit} (parent) [{R.caps}], {SW.full}, Social Worker [{SW.caps}]\n"
        "Apologies: {U1.tinit} (interpreter, agency)\n\n"
        "1. {T1.caps} welcomed everyone. {S.first}'s progress in reading was noted; "
        "{S.first} now reads with a {w:bond} of trust with {T2.title}.\n"
        "2. {R.caps} reported that {U2.initials} had been staying at the family home. "
        "{SW.caps} to follow up with {U2.tinitial}\n"
        "3. Action: {T2.caps} to contact {U3.tinit}, Legal Adviser, about transport.\n",
        "Notes of the strategy discussion held on {date}\n"
        "Attendees: {T1.full} (DSL); {SW.full} (social worker); {U4.tinit}, Police "
        "Constable; {U5.tinit}, Health Visitor\n"
        "Chair: {T1.initials}\n\n"
        "{U4.caps} said that {U2.full} was arrested on {date}. {U2.first} is the "
        "brother of {U6.tinit}. {T1.initials} to inform {R.title}.\n"
        "Agreed: Section 47 enquiries under the Children Act 1989 will continue.\n",
    ),
    "legal-letter": (
        "Hollis Pike & Co Solicitors\n14 Regent Street, Leamington Spa CV32 5EG\n\n"
        "Our ref: {U1.caps}/4471\n\n{date}\n\nThe Headteacher\n{school}\n\n"
        "Dear Sir or Madam\n\nRe: {S.full} (date of birth {S.dob})\n\n"
        "We act for {X.tinit}, the father of {S.first}. We write further to the order "
        "made by District Judge {U2.last} on {date}. Our client's partner, {U3.hon}, "
        "lives at {U3.addr}.\n\nPlease correspond with the writer, {U1.tinit}, Legal "
        "Adviser, or with {U4.init}, Trainee Solicitor.\n\nYours faithfully\n\n{U1.full}\n"
        "Hollis Pike & Co\n",
        "PRIVATE AND CONFIDENTIAL\n\n{date}\n\nDear {R.title}\n\n"
        "Re: your son {S.full}: appeal against permanent exclusion\n\n"
        "Your case will be presented by {U1.tinit}, Counsel, instructed by {U4.full} of "
        "Baker Street Chambers. The Crown Prosecutor, {U5.tinit}, has confirmed that "
        "the charges against {U6.initials} were dropped. The Rights and Responsibilities "
        "section of the Equality Act 2010 guidance applies.\n\nKind regards\n\n"
        "{U4.full}\nLegal Adviser\n",
    ),
    "social-care": (
        "CHILDREN'S SOCIAL CARE - CHILD IN NEED PLAN\n\nChild: {S.full}\nDOB: {S.dob}\n"
        "School: {school}\nSocial worker: {SW.full}\n\n"
        "{S.first} lives with mother ({R.full}) and mother's partner {U1.full}. "
        "Maternal grandmother, {U2.hon}, lives abroad at {U2.addr} and can be reached on "
        "{U2.phone}. {S.first}'s father, {X.full}, has supervised contact at the family "
        "centre.\n\nNeeds: {S.first} has a Severe peanut allergy and an EHC plan for "
        "Social Communication and Friendships.\n",
        "Dear {R.title},\n\nI am writing after the visit by {SW.full} (Social Worker) "
        "and {U1.tinit} (Family Support Worker, agency) on {date}.\n"
        "We spoke to {S.first} alone. {S.first} said that {U2.first} {U2.last}, mum's "
        "friend, sometimes stays over. Post for {U2.first} still goes to {U2.pobox}.\n\n"
        "Yours sincerely\n\n{SW.full}\nSocial Worker, Children's Services\n",
    ),
    "police": (
        "WITNESS STATEMENT (CJ Act 1967, s.9; MC Act 1980, s.5B)\n\n"
        "Statement of: {U1.upper}\nAge if under 18: over 18\nOccupation: {w:Major} "
        "Incident Officer\n\nI am Police Constable 4471 {U1.full} of the Metropolitan "
        "Police. On {date} I attended {school} with DC {U2.last}. I spoke with "
        "{T1.tinit}, Deputy Headteacher. Co-defendants named: {U3.full}, {U4.full}, "
        "{U5.full} and {U6.full}.\n",
        "IN THE FAMILY COURT SITTING AT BRENTFORD\n\nBefore: District Judge {U1.last}\n\n"
        "Re {S.caps} (A Child)\n\nUpon hearing Counsel for the Applicant, {U2.tinit}, and "
        "the Respondent father {X.tinit} in person. The Judges {U3.last}, {U4.last}, "
        "{U5.last} and {U6.last} sitting. Lord {U4.peer} gave the lead opinion.\n\n"
        "IT IS ORDERED THAT the child shall live with the mother.\n",
    ),
    "chat": (
        "Exported chat - Year 9 group\n"
        "[{date} 18:02] User: {U1.full}\n"
        "[18:02] {U1.first}: has anyone seen {P1.firstlower} today\n"
        "[18:03] {U2.first}: no but {S.lower} was with {U3.firstlower} at the park\n"
        "[18:04] {S.first}: stop talking about me\n"
        "[18:05] {U3.first}: lol\n",
        "Transcript of messages (screenshots provided by {R.title})\n\n"
        "From: {U1.comma}\n{U1.first}: u coming to {U2.poss} party?\n"
        "{S.first}: maybe, is {P1.first} going\n"
        "{U1.first}: ask {U4.first} {U4.last}\\n{U5.first} {U5.last} said no\n",
    ),
    "form": (
        "PUPIL INFORMATION FORM\n\nSurname: {S.lastupper}\nForename(s): {S.first}\n"
        "Date of birth: {S.dob}\nSchool: {school}\nMedical: Severe peanut allergy\n"
        "SEN need: Friendships\nParent/carer 1: {R.full}\nParent/carer 2: {X.full}\n"
        "Emergency contact: {U1.full}\nRelationship: family friend\nTel: {U1.phone}\n"
        "Doctor: {GP.full}\nAddress abroad (holidays): {U2.addr}\n",
        "Consent for trip\n\nPupil name: {S.full}\nForm: 8K\nName of parent: {R.full}\n"
        "Person collecting: {U1.upper}\nTheir phone: {U1.phone}\n"
        "Signed: {R.init}\nWitnessed by: {U2.init}\n",
    ),
    "email-thread": (
        "From: {T1.full} <{T1.email}>\nTo: {R.full}\nSubject: Re: {S.first}\n\n"
        "Dear {R.title},\n\nThank you. I have passed this to {T2.title}.\n\n"
        "{T1.full}\n\n> On {date}, {U1.full} <{U1.email}> wrote:\n"
        "> Hello, I am writing for {R.title}. {U2.initials} has agreed to collect {S.first}.\n"
        "> Best wishes, {U1.first}\n",
        "-----Original Message-----\n> From: {U1.comma} <{U1.email}>\n> Sent: {date}\n"
        "> To: {T1.comma}\n> Cc: {U2.full}\n> Subject: {S.first} - transport\n>\n"
        "> Dear {T1.title}, {U3.tinitial} from the taxi firm will pick up {S.first}.\n",
    ),
    "sen-plan": (
        "SUPPORT PLAN: {S.full}\n\nPrimary need: Autism Spectrum Condition (ASC)\n"
        "Medical: Severe peanut allergy; carries an EpiPen. Asthma (mild).\n"
        "Strengths: Art, swimming, kindness to younger pupils.\n"
        "Areas of need: Friendships; Sensory Processing; Speech, Language and "
        "Communication.\nKey worker: {T2.full}\nEducational Psychologist: {GP.full}\n"
        "{S.first} finds {w:Major} changes hard and needs warning of them.\n",
        "One-page profile of {S.first}\n\nWhat people like about me: I am funny and "
        "I know a lot about trains.\nWhat is important to me: my cat, my "
        "Grandad, Friendships.\nHow to support me: Severe anxiety before tests; "
        "Dyslexia: use cream paper. {S.first} sees {GP.full} every term.\n",
    ),
    "caps-lower": (
        "INCIDENT REPORT - CONFIDENTIAL\n\nPUPIL: {S.upper}\nOTHER PUPIL: {P1.upper}\n"
        "WITNESS: {U1.upper}\n\nDESCRIPTION: {P1.lastupper} PUSHED {S.first} AGAINST "
        "THE LOCKERS.\n",
        "note for file - {date}\n{S.firstlower} was sent to the head after {S.firstlower} "
        "and {P1.firstlower} argued. {P1.firstlower} said {U1.lower} from the flats had "
        "started it. rang {R.firstlower} at 3pm.\n",
    ),
}
HELD_TEMPLATES: dict[str, tuple[str, ...]] = {
    "court-order": (
        "Case No. ZW25C00412\nIN THE FAMILY COURT AT MILTON KEYNES\n\n"
        "BEFORE HER HONOUR JUDGE {U1.lastupper} sitting with Magistrates {U2.last}, "
        "{U3.last} and {U4.last}\n\nRE: {S.initials} (A CHILD)\n\n"
        "The Local Authority was represented by {U5.tinit} of counsel. The Guardian, "
        "{U6.full}, attended. The father {X.full} did not attend.\n\n"
        "1. The child {S.first} shall attend {school}.\n"
        "2. Contact with the paternal aunt, {U2.hon}, at {U2.addr}.\n",
        "BETWEEN\n{R.upper}\nApplicant\n-and-\n{X.upper}\nRespondent\n\n"
        "ORDER\n\nUpon the Court reading the statement of {U1.tinit}, Solicitor for the "
        "Respondent, and hearing from Baroness {U3.peer}\n\nIT IS ORDERED:\n"
        "(a) {X.title} shall not attend {school}.\n"
        "(b) Costs reserved. Sealed: {date}, District Judge {U4.last}.\n",
    ),
    "tribunal": (
        "FIRST-TIER TRIBUNAL (SPECIAL EDUCATIONAL NEEDS AND DISABILITY)\n\n"
        "Appellant: {R.full}\nChild: {S.first} {S.last}\nPanel: Judge {U1.full}, "
        "Specialist Members {U2.init} and {U3.init}\n\nDECISION\n\n"
        "The LA's witness, {U4.tinit}, Principal Educational Psychologist for the "
        "authority, agreed that {S.first} needs Speech and Language Therapy.\n",
        "Decision notice\n\nThe panel ({U1.init}, {U2.init}, {U3.init}) heard from "
        "{U4.hon} by video from abroad.\nRepresentative for the parent: {U5.full}, "
        "IPSEA volunteer.\n{S.first}'s needs in Friendships and Severe anxiety are "
        "not in dispute.\n",
    ),
    "referral-form": (
        "MULTI-AGENCY REFERRAL FORM\n\nChild's name: {S.full}\nDOB: {S.dob}\n"
        "Current school: {school}\nReferrer: {T1.full}\nReferrer role: DSL\n"
        "Household members: {R.full} (mother); {U1.full} (lodger); {U2.full} (mother's "
        "partner)\nOther significant adults: {U3.upper} (uncle), {U3.phone}\n"
        "Reason: {S.first} disclosed that {U2.first} hit {S.first}.\n",
        "Early Help Assessment\n\nFamily name: {S.lastupper}\nChild: {S.first}\n"
        "Parent: {R.tinit}\nLead professional: {SW.full} (Early Help Worker)\n"
        "Also involved: {U1.tinit} (Housing Officer); {U2.init} (Youth Offending Team)\n"
        "Grandparent abroad: {U3.full}, {U3.pobox}\n",
    ),
    "teams-chat": (
        "Microsoft Teams - chat export\n"
        "{U1.comma} 09:14\nhas {S.first} handed in the form?\n"
        "{T1.comma} 09:15\nnot yet, {P1.first} {P1.last} has\n"
        "{U1.comma} 09:16\nok, I'll ask {U2.tinitial}\n",
        "WhatsApp export\n{date}, 21:03 - {U1.full}: is {S.firstlower} ok??\n"
        "{date}, 21:04 - {R.full}: yes thank you\n"
        "{date}, 21:05 - {U2.full}: tell {U3.firstlower} {U3.lastlower} to stop messaging "
        "her\n",
    ),
    "cp-conference": (
        "CHILD PROTECTION CONFERENCE - RECORD\n\nChild: {S.full}\nChair: {SW.full}, "
        "Independent Reviewing Officer\nMinute taker: {U1.init}\n\nIn attendance: "
        "{T1.tinit} ({T1.caps}), DSL; {U2.tinit} ({U2.caps}), PC, Child Abuse "
        "Investigation Team; {R.full} ({R.caps}), mother\n\n{U2.caps} reported that "
        "{U3.full} remains on bail. {T1.caps} said {S.first} attends well.\n",
        "Core group minutes ({date})\nPresent: {SW.full} (SW), {T1.full} (school), "
        "{U1.full} (Women's Aid)\n\n{U1.caps} said {U4.initials} has moved to "
        "{U4.addr}. Risk from {U4.tinitial} remains.\n",
    ),
    "immigration-letter": (
        "Frontier Legal Advice Centre\n\n{date}\n\nTo whom it may concern\n\n"
        "We act for {R.hon} and her child {S.full}, a pupil at {school}. The family's "
        "sponsor is {U1.hon}, of {U1.addr}. Please contact the caseworker, {U2.tinit}, "
        "Immigration Adviser (OISC Level 2), on {U2.phone}.\n\nSigned\n{U2.full}\n",
        "Re: application for {S.first} {S.last}\n\nI confirm that {U1.full} "
        "({U1.initials}), a friend of the family, will provide accommodation. Post: "
        "{U1.pobox}. Tel. {U1.phone}.\n\nYours faithfully\nSheikh {U3.full}, Imam\n",
    ),
    "exclusion-panel": (
        "GOVERNORS' DISCIPLINE COMMITTEE\n\nMembers: {U1.tinit} (Chair), {U2.tinit}, "
        "{U3.tinit}\nClerk: {U4.init}\nHeadteacher: {T2.full}\n\n"
        "The panel considered the exclusion of {S.full} for the assault on {P1.full}. "
        "{P1.title}'s mother attended. Witnesses {P2.first}, {P3.first} and {U5.first} "
        "gave statements.\n",
        "Letter to parent\n\nDear {R.title}\n\nThe Rights and Responsibilities policy "
        "of {school} was applied. The governors ({U1.init}, {U2.init}) upheld the "
        "decision. Lord {U3.peer}, the Academy Trust's patron, was not involved.\n\n"
        "{T2.full}\nHeadteacher\n",
    ),
    "health-plan": (
        "INDIVIDUAL HEALTHCARE PLAN\n\nName: {S.full}\nCondition: Type 1 Diabetes; "
        "Severe nut allergy\nGP: {GP.full}\nHospital consultant: {U1.tinit} (King's "
        "College Hospital)\nTriggers: Severe cold, exercise\nIn an emergency call 999 "
        "then {R.full}.\n",
        "Medical needs summary for {S.first}\nDiagnosis: ADHD (combined); Dyspraxia\n"
        "Medication: Methylphenidate 10mg at lunch, given by {T1.tinit}.\n"
        "Reviewed with {GP.full} and {U2.tinit}, Occupational Therapist (private).\n",
    ),
    "caps-lower": (
        "SAFEGUARDING NOTE\nNAME: {S.upper}\nCONCERN RAISED BY: {U1.upper}\n"
        "DETAILS: {S.first} SAID {U2.upper} HAD SHOUTED AT {S.first}.\n",
        "quick note - {s.first} came in upset. {s.firstlower} said {u3.lower} "
        "had taken {s.firstlower}'s phone. told {r.firstlower}.\n",
    ),
}
TEMPLATES = {"dev": DEV_TEMPLATES, "held-out": HELD_TEMPLATES}


@dataclass(frozen=True)
class Style:
    """What a part is written from: its name pool, templates, schools and contacts abroad."""

    names: Pool
    templates: dict[str, tuple[str, ...]]
    schools: tuple[str, ...]
    abroad: dict[str, tuple[str, str, str]]


STYLES = {part: Style((DEV_NAMES if part == "dev" else HELD_NAMES), TEMPLATES[part],
                      SCHOOLS[part], ABROAD) for part in PARTS}  # fmt: skip


def write_person(b: Builder, who: Who, attr: str, origin_contacts: tuple[str, str, str]) -> None:
    """Write one attribute of ``who``, labelling the identifying part only."""
    first, last = who.first, who.last
    simple = {
        "full": who.full, "first": first, "last": last, "upper": who.full.upper(),
        "lower": who.full.lower(), "firstlower": first.lower(), "lastlower": last.lower(),
        "lastupper": last.upper(), "comma": f"{last}, {first}", "init": f"{first[0]}. {last}",
        "caps": f"{first[0]}{last[0]}".upper(), "email": who.email,
        "addr": origin_contacts[0], "pobox": origin_contacts[1], "phone": origin_contacts[2],
    }  # fmt: skip
    if attr in simple:
        value = simple[attr]
        if attr == "phone" and value.startswith("("):
            b.text("(")
            b.span(value.strip("()"), who.owner, attr, who)
            b.text(")")
        else:
            b.span(value, who.owner, {"init": "initial-surname"}.get(attr, attr), who)
    elif attr == "dob":
        assert who.dob is not None
        b.span(who.dob.strftime("%d/%m/%Y"), who.owner, "date-of-birth", who)
    elif attr == "title":
        b.text(f"{who.title} ")
        b.span(last, who.owner, "title-surname", who)
    elif attr == "tinit":
        b.text(f"{who.title} ")
        b.span(f"{first[0]}. {last}", who.owner, "initial-surname", who)
    elif attr == "initials":
        b.span(f"{first[0]}.{last[0]}", who.owner, "initials", who)
        b.text(".")
    elif attr == "tinitial":
        b.text(f"{who.title} ")
        b.span(last[0], who.owner, "initials", who)
        b.text(".")
    elif attr == "poss":
        b.span(first, who.owner, "possessive", who)
        b.text("'s")
    elif attr == "peer":
        b.span(f"{last} of {PLACES[len(last) % len(PLACES)]}", who.owner, "peer", who)
    elif attr == "hon":
        b.text(f"{who.honorific} ")
        b.span(who.full, who.owner, "honorific-full-name", who)
    else:
        raise KeyError(f"unknown attribute {attr!r}")


Writer = Callable[[Builder, "Who", str, tuple[str, str, str]], None]


def render(
    template: str, case: Case, rng: random.Random, write: Writer = write_person
) -> tuple[str, list[Span]]:
    """Fill ``template`` from ``case``; keys in lower case ({s.first}) mean the same person."""
    return fill(template, functools.partial(_placeholder, case, rng, write))


def _placeholder(
    case: Case, rng: random.Random, write: Writer, b: Builder, key: str, attr: str | None,
    literal: str | None,
) -> None:  # fmt: skip
    if key == "w":
        b.span(literal or "", Owner.WORD, "word-name-as-word")
    elif key == "school":
        b.text(case.school)
    elif key == "date":
        day = dt.date(2025, 9, 3) + dt.timedelta(days=rng.randint(0, 280))
        b.text(day.strftime("%d/%m/%Y") if rng.random() < 0.5 else
               f"{day.day} {day.strftime('%B %Y')}")  # fmt: skip
    else:
        who = case.people[key.upper()]
        write(b, who, attr or "full", case.style.abroad[who.origin])


# --- cases -----------------------------------------------------------------------------------
def _dob(rng: random.Random, age_from: int, age_to: int) -> dt.date:
    return dt.date(TODAY.year - rng.randint(age_from, age_to), rng.randint(1, 12),
                   rng.randint(1, 28))  # fmt: skip


def _ascii(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


class _Namer:
    """Draws names from one part's pool without repeating a first name or surname in a case."""

    def __init__(self, pool: Pool, rng: random.Random) -> None:
        self.pool, self.rng = pool, rng
        self.used: set[str] = set()

    def draw(self, female: bool, origin: str | None = None) -> tuple[str, str, str]:
        """A given name and surname no one else in the case bears (so a label never
        depends on which of two namesakes a text means)."""
        if origin is None:
            free = [o for o in sorted(self.pool) if set(self.pool[o][2]) - self.used]
            origin = self.rng.choice(free)
        firsts, lasts = self.pool[origin][0 if female else 1], self.pool[origin][2]
        first = self.rng.choice([n for n in firsts if n not in self.used] or list(firsts))
        last = self.rng.choice([n for n in lasts if n not in self.used] or list(lasts))
        self.used.update((first, last))
        return first, last, origin


def make_case(number: int, part: str, rng: random.Random, style: Style) -> Case:
    """One pupil's world: family, classmate, staff, professionals and strangers.

    Every fourth case is a former pupil of 19 to 22 asking for their own records: they are
    their own requester, and "Mr/Mrs <their surname>" is them (not a parent).
    """
    pool = style.names
    namer = _Namer(pool, rng)
    adult = number % 4 == 3
    people: dict[str, Who] = {}
    s_female = rng.random() < 0.5
    first, family, origin = namer.draw(s_female)
    honorific = pool[origin][3]
    people["S"] = Who("S", Owner.SUBJECT, first, family, s_female, origin, Role.PUPIL,
                      honorific[0 if s_female else 1],
                      dob=_dob(rng, 19, 22) if adult else _dob(rng, 8, 14))  # fmt: skip
    if adult:
        people["R"] = people["S"]
    else:
        r_first = namer.draw(True, origin)[0]
        people["R"] = Who(
            "R",
            Owner.REQUESTER,
            r_first,
            family,
            True,
            origin,
            Role.PARENT,
            honorific[0],
            email=f"{_ascii(r_first)}.{_ascii(family)}@gmail.com",
        )
    x_first, x_last, _ = namer.draw(False, origin)
    people["X"] = Who("X", Owner.KNOWN, x_first, x_last, False, origin, Role.PARENT, honorific[1])
    school = rng.choice(style.schools)
    domain = _ascii(school.split()[0]) + ".sch.uk"
    for key, female in (("T1", True), ("T2", False)):
        f, last, o = namer.draw(female)
        people[key] = Who(key, Owner.STAFF, f, last, female, o, Role.STAFF,
                          email=f"{_ascii(f)[0]}.{_ascii(last)}@{domain}")  # fmt: skip
    for key in ("SW", "GP"):
        female = rng.random() < 0.5
        f, last, o = namer.draw(female)
        people[key] = Who(key, Owner.STAFF, f, last, female, o, Role.OTHER)
    for key in ("P1", "P2", "P3"):
        female = rng.random() < 0.5
        f, last, o = namer.draw(female)
        people[key] = Who(key, Owner.KNOWN, f, last, female, o, Role.PUPIL, dob=_dob(rng, 8, 14))
    for i in range(1, 7):
        female = rng.random() < 0.5
        f, last, o = namer.draw(female)
        people[f"U{i}"] = Who(f"U{i}", Owner.UNKNOWN, f, last, female, o, None,
                              pool[o][3][0 if female else 1],
                              email=f"{_ascii(f)}.{_ascii(last)}@outlook.com")  # fmt: skip
    requester = people["R"]
    subject = Subject(
        id=f"{part}-{number}",
        name=people["S"].full,
        date_of_birth=people["S"].dob,
        requester=Requester(
            requester.full, "self" if adult else "mother", requester.email or None
        ),  # fmt: skip
        school=school,
    )
    # The social worker and the GP are known to the MIS: rule 11 keeps them in role.
    sw, gp = people["SW"], people["GP"]
    roster = tuple(p.person() for k, p in people.items()
                   if p.role is not None and k not in ("S", "R", "SW", "GP"))  # fmt: skip
    roster += (
        people["S"].person(),
        Person(f"Dr {gp.full}", Role.OTHER, id="GP"),
        Person(sw.full, Role.OTHER, id="SW"),
    )
    if not adult:
        roster += (requester.person(),)
    return Case(number, part, people, subject, roster, school, style)


def make_doc(case: Case, kind: str, rng: random.Random, write: Writer = write_person) -> Doc:
    template = rng.choice(case.style.templates[kind])
    if case.people["S"] is case.people["R"]:
        # An adult subject has no mother in these records: she is written as the subject.
        template = template.replace("{R.caps}", "{S.caps}")
    text, spans = render(template, case, rng, write)
    doc_id = f"{case.part.split('-')[0]}{case.number:03d}-{kind}"
    return Doc(doc_id, kind, text, tuple(spans), case.subject, case.roster)


def generate(part: str, cases: int = 20, seed: int = DEFAULT_SEED) -> list[Doc]:
    """Every document kind of ``part`` ("dev" or "held-out") for ``cases`` pupils."""
    return list(iter_docs(part, cases, seed))


def iter_docs(
    part: str, cases: int = 20, seed: int = DEFAULT_SEED, style: Style | None = None,
    write: Writer = write_person,
) -> Iterator[Doc]:  # fmt: skip
    """The documents of ``part``, written in ``style`` (by default the part's own)."""
    if style is None and part not in STYLES:
        raise ValueError(f"part must be one of {PARTS}, not {part!r}")
    style = style or STYLES[part]
    rng = random.Random(f"{seed}-{part}")
    for number in range(cases):
        case = make_case(number, part, rng, style)
        for kind in style.templates:
            yield make_doc(case, kind, rng, write)
