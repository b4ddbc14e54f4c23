"""A third development set, in styles neither part of scripts/devset.py uses (issue 9).

The ``dev`` part of devset.py was tuned on miss by miss and the ``held-out`` part must not
be; this set is what detection is tuned on now. Its templates, name pools, schools and
contacts abroad are written fresh for it (tests/redaction/test_devset_labels.py checks that
it shares none of them with the other two parts):

- **styles**: police witness statements (MG11) with "SURNAME Given"; court orders with
  numbered lists of parties and a table of representatives; social-care chronologies and
  case notes with initials and a key; Teams and SMS transcripts ("Name 10:02", "Name:
  message"); forwarded and twice-quoted email threads (">> Dear ..."); TAF and governors'
  minutes with an attendee table and initials in actions; emergency-contact forms and a
  visitor sign-in sheet of label/value pairs; letters and contact sheets of relatives
  abroad; EHCP section B and a health care plan full of capitalised SEN and medical
  vocabulary; an ALL-CAPS disclosure and lower-case texts;
- **names**: Korean, Swedish, Italian, Albanian, Kurdish, Bengali, Punjabi, Kenyan, Russian,
  German, French and Indonesian pools, and English names that are words ("Joy Stone",
  "Earl Hill");
- **forms of a name** beyond devset.py's: "ZOTOV Dmitry" (``police``), "Dmitry ZOTOV"
  (``fcaps``), "Dmitry Z." (``finit``), a title with the full name (``tfull``), "DMITRY"
  (``firstupper``).

It is generated with devset.py's machinery (cases, owners, labels), so ``make eval`` scores
it with the same :class:`corpus.Tally`.
"""

from __future__ import annotations

from collections.abc import Iterator

import devset
from corpus import Builder, Doc
from devset import Pool, Style, Who

PART = "fresh"
DEFAULT_SEED = 20261204

NAMES: Pool = {
    "korean": (("Ji-woo", "Seo-yeon", "Min-ji"), ("Do-hyun", "Jae-won", "Sung-min"),
               ("Park", "Choi", "Hwang"), ("Mrs", "Mr")),
    "swedish": (("Ingrid", "Astrid", "Maja"), ("Lars", "Henrik", "Oskar"),
                ("Lindqvist", "Bergstrom", "Sjoberg"), ("Fru", "Herr")),
    "italian": (("Chiara", "Giulia", "Federica"), ("Lorenzo", "Davide", "Giacomo"),
                ("Esposito", "Colombo", "Ferraro"), ("Sig.ra", "Sig.")),
    "albanian": (("Arta", "Blerta", "Drita"), ("Arben", "Besnik", "Ilir"),
                 ("Hoxha", "Krasniqi", "Berisha"), ("Zonja", "Zoti")),
    "kurdish": (("Rojin", "Berfin", "Nazdar"), ("Azad", "Dilshad", "Rebwar"),
                ("Barzani", "Zebari", "Amedi"), ("Xatun", "Kak")),
    "bengali": (("Nusrat", "Farzana", "Sumaiya"), ("Rafiq", "Tanvir", "Shahidul"),
                ("Chowdhury", "Miah", "Talukdar"), ("Begum", "Janab")),
    "punjabi": (("Harpreet", "Gurleen", "Simran"), ("Jaspal", "Manjit", "Harjinder"),
                ("Sandhu", "Dhillon", "Grewal"), ("Bibi", "Sardar")),
    "kenyan": (("Wanjiru", "Akinyi", "Njeri"), ("Kamau", "Otieno", "Kipchoge"),
               ("Mwangi", "Odhiambo", "Kiprono"), ("Mrs", "Mr")),
    "russian": (("Svetlana", "Anastasia", "Yekaterina"), ("Vladimir", "Sergei", "Aleksei"),
                ("Volkov", "Sokolov", "Kuznetsov"), ("Gospozha", "Gospodin")),
    "german": (("Ursula", "Brigitte", "Annika"), ("Jürgen", "Klaus", "Wolfgang"),
               ("Schneider", "Hoffmann", "Weber"), ("Frau", "Herr")),
    "french": (("Sandrine", "Amélie", "Océane"), ("Benoît", "Thibault", "Yannick"),
               ("Lefebvre", "Girard", "Moreau"), ("Mme", "M.")),
    "indonesian": (("Siti", "Dewi", "Putri"), ("Agus", "Budi", "Wahyu"),
                   ("Santoso", "Wibowo", "Hidayat"), ("Ibu", "Bapak")),
    "english-words": (("Dawn", "Joy", "Sky"), ("Earl", "Drew", "Chance"),
                      ("Stone", "Hill", "Wells", "Church", "Little"), ("Mrs", "Mr")),
}  # fmt: skip
SCHOOLS = ("Bishop Fenwick Academy", "Wyvern Lane Primary School",
           "Our Lady of Lourdes RC Primary School")  # fmt: skip
# (street address, post box, phone) per origin.
ABROAD = {
    "korean": ("Apt 1203, 45 Teheran-ro, Gangnam-gu, Seoul 06142", "P.O. Box 88, Busan 48900",
               "+82 10 1234 5678"),
    "swedish": ("Storgatan 17, 114 55 Stockholm", "Box 4021, 102 61 Stockholm",
                "+46 70 123 45 67"),
    "italian": ("Via Garibaldi 12, 00153 Roma", "Casella Postale 22, 20121 Milano",
                "+39 347 123 4567"),
    "albanian": ("Rruga e Durresit 41, Tirane 1001", "Kutia Postare 1520, Tirane",
                 "+355 69 123 4567"),
    "kurdish": ("Gulan Street 60, Erbil 44001", "P.O. Box 314, Sulaymaniyah",
                "+964 750 123 4567"),
    "bengali": ("House 12, Road 7, Dhanmondi, Dhaka 1205", "G.P.O. Box 2210, Dhaka 1000",
                "+880 1712 345678"),
    "punjabi": ("House 221, Sector 17, Chandigarh 160017", "P.O. Box 11, Amritsar 143001",
                "+91 98140 12345"),
    "kenyan": ("Kenyatta Avenue 8, Nairobi", "P.O. Box 4410-00100, Nairobi", "+254 712 345 678"),
    "russian": ("ul. Tverskaya 7, kv. 15, Moskva 125009", "a/ya 93, Sankt-Peterburg 190000",
                "+7 916 123 45 67"),
    "german": ("Hauptstrasse 5, 10827 Berlin", "Postfach 10 12 34, 80086 Muenchen",
               "(030 123 4567)"),
    "french": ("12 rue de la Paix, 75002 Paris", "BP 214, 69003 Lyon Cedex", "+33 6 12 34 56 78"),
    "indonesian": ("Jalan Sudirman No. 28, Jakarta 10220", "Kotak Pos 1021, Surabaya 60010",
                   "+62 812 3456 7890"),
    "english-words": ("27 Ocean Drive, Bridgetown BB11000", "PO Box 1180, Stanley FIQQ 1ZZ",
                      "+1 246 555 0142"),
}  # fmt: skip

# Placeholders as in devset.py, plus the forms of a name listed in the module docstring.
TEMPLATES: dict[str, tuple[str, ...]] = {
    "mg11": (
        "RESTRICTED (when complete)\nWITNESS STATEMENT\nCriminal Procedure Rules, r 16.2; "
        "Criminal Justice Act 1967, s. 9\n\nURN: 01/YK/2291/26\nStatement of: {U1.police}\n"
        "Age if under 18: Over 18    Occupation: Taxi driver\n\nThis statement (consisting of "
        "2 pages each signed by me) is true to the best of my knowledge and belief.\n\n"
        "On {date} at about 15:20 I was parked outside {school} waiting for {U2.full}. I saw "
        "a male I now know to be {U3.fcaps} arguing with {X.tinit}. {U3.first} pushed "
        "{X.title} into the road. A woman, {U4.hon}, called 999. Later DC {U5.last} (collar "
        "2291) took my details. I have known {U3.last} for about two years through my cousin "
        "{U6.first}.\n\nSigned: {U1.init}    Statement taken by: DC {U5.lastupper}\n",
        "Continuation of statement of {U1.full}\n\nPage 2 of 2\n\nI then went to reception "
        "at {school} and spoke to {T1.tfull}, who I understand is the Designated "
        "Safeguarding Lead. She told me that {S.first} was safe. {S.poss} mother, {R.full}, "
        "arrived ten minutes later with a man I did not know; I heard her call him "
        "{U2.first}. I would describe him as white, about 40, with a grey beard.\n\n"
        "Officer's note: suspect {U3.police} (DOB unknown), associate {U4.police}.\n",
    ),
    "court-parties": (
        "IN THE CENTRAL FAMILY COURT          Case number: ZC26P01177\n\nIN THE MATTER OF "
        "THE CHILDREN ACT 1989\nAND IN THE MATTER OF {S.upper}\n\nBETWEEN:\n(1) {R.upper}\n"
        "Applicant\n(2) {X.upper}\nFirst Respondent\n(3) {U1.upper}\nSecond Respondent\n\n"
        "ORDER MADE BY RECORDER {U3.lastupper} ON {date}\n\nThe mother was represented by "
        "{U4.tinit} (Counsel), the father by {U5.init}, solicitor; {U1.title} attended in "
        "person. The Children's Guardian, {U2.full}, filed a report.\n",
        "Schedule of parties and representatives\n\nParty | Name | Represented by\n"
        "Mother | {R.full} | {U1.tinit}, Parkside Law\nFather | {X.full} | in person\n"
        "Intervenor (paternal grandmother) | {U2.hon} | {U3.full} of counsel\n"
        "Children's Guardian | {U4.full} | {U5.full}, Cafcass\n\nInterpreters booked: "
        "{U6.first} {U6.last}, and a second to be confirmed.\n",
    ),
    "chronology": (
        "CHRONOLOGY OF SIGNIFICANT EVENTS - {S.lastupper}, {S.first}\n\nDate | Source | Event "
        "| By\n{date} | School | {S.first} arrived late, said {U1.finit} had kept her up. | "
        "{T1.caps}\n{date} | Police | Incident at home; {X.caps} (father) arrested, bailed to "
        "{U2.addr}. | {SW.caps}\n{date} | Health | Health visitor called; maternal aunt "
        "{U2.initials} present. | {SW.caps}\n{date} | CSC | Strategy meeting. Mother's "
        "partner {U3.caps} not to have unsupervised contact. | {SW.caps}\n{date} | School | "
        "{P1.first} {P1.last} and {S.first} fell out at break. | {T2.caps}\n\nKey: {T1.caps} "
        "= {T1.full} (DSL); {T2.caps} = {T2.full} (Year Lead); {SW.caps} = {SW.full} (SW); "
        "{U3.caps} = {U3.full}\n",
        "Case notes (social care): {S.full}\n\n{date}: Home visit. Present: mother, {S.first}, "
        "mum's friend {U1.tinitial} Visit lasted 40 mins.\n{date}: Telephone call from "
        "{U2.tfull} (neighbour) about shouting. {U2.title} asked not to be named to the "
        "family.\n{date}: {S.first} seen at school by {SW.full}. {S.first} named {U3.finit} "
        "and {U4.initials} as the men who come round.\n{date}: Police checks: {U3.police} "
        "known for drugs offences.\n",
    ),
    "chat-log": (
        "Teams meeting chat - Year 10 pastoral\n{T1.full} 10:02\nCan we talk about {S.first} "
        "after this?\n{U1.comma} (Guest) 10:03\nSure. Is {P1.first} still with {U2.full}?\n"
        "{T2.full} 10:04\nYes. {U2.poss} mum rang me.\n{U1.full} left the chat.\n",
        "SMS thread (phone handed in by {R.title})\n{U1.first}: where r u\n{S.first}: at "
        "{U2.firstlower}s\n{U1.first}: tell {U3.first} to call me 2nite\n{U3.first} {U3.last}: "
        "who is this\n{U1.first}: its {U1.firstlower} from football\n",
    ),
    "email-quoted": (
        "Subject: FW: {S.first} - pick up arrangements\n\nPlease see below. {T2.first}\n\n"
        "---------- Forwarded message ---------\nFrom: {U1.full} <{U1.email}>\nDate: {date}\n"
        "To: office@school.example\nCc: {U2.email}\n\nHi, this is {U1.first}, {R.poss} "
        "sister. {R.first} has asked me to collect {S.first} on Friday with my husband "
        "{U3.first}. Thanks, {U1.initials}\n",
        "On {date} at 16:41, {T1.full} <{T1.email}> wrote:\n>> Dear {R.title},\n>> {S.first} "
        "was upset today after {P2.full} said something about {U1.first} {U1.last}.\n>> Kind "
        "regards,\n>> {T1.first}\n> On {date}, {R.full} wrote:\n> Thank you. {U1.first} is my "
        "ex-partner's brother.\n> {R.first}\n",
    ),
    "attendee-minutes": (
        "Team Around the Family (TAF) meeting\nVenue: {school}, Room 4\n\nAttendees\nName | "
        "Initials | Agency\n{T1.full} | {T1.caps} | School\n{SW.full} | {SW.caps} | Early Help\n"
        "{U1.full} | {U1.caps} | Housing Association\n{R.full} | {R.caps} | Parent\n\n"
        "Actions\n1. {U1.caps} to chase repairs (damp in {S.poss} bedroom).\n2. {T1.caps}/"
        "{SW.caps} to meet {S.first} weekly.\n3. {R.caps} to contact {U2.tinit} at the food "
        "bank.\n",
        "Minutes - Governors' Pupil Welfare Committee, {date}\nPresent: {U1.tinit} (Chair, "
        "{U1.caps}), {U2.tinit} ({U2.caps}), {T2.tinit} (Headteacher, {T2.caps})\nIn "
        "attendance: {U3.init} (Clerk)\nApologies: {U4.init}, {U5.init}\n\nItem 3. {T2.caps} "
        "summarised the case of {S.first} (Year 8). {U2.caps} asked whether {X.title} had been "
        "told. Resolved that {U1.caps} writes to both parents.\n",
    ),
    "label-form": (
        "EMERGENCY CONTACTS AND COLLECTION\n\nPupil surname: {S.last}\nPupil forename: "
        "{S.first}\nDate of Birth: {S.dob}\nContact 1 - Name: {R.full}   Relationship: Mother\n"
        "Contact 2 - Name: {U1.full}   Relationship: Aunt   Mobile: {U1.phone}\nContact 3 - "
        "Name: {U2.police}   Relationship: Childminder\nPersons NOT permitted to collect: "
        "{X.full}; {U3.full}\nMedical Conditions: Anaphylaxis (tree nuts)\nDietary "
        "Requirements: Halal\nCompleted by: {R.init}   Checked by: {T1.caps}\n",
        "VISITOR SIGN-IN SHEET - {school}\n\nName | Company | Visiting | Time in\n{U1.full} | "
        "Keystone Plumbing | Site Manager | 08:10\n{U2.upper} | Parent of {P1.first} | "
        "Reception | 08:45\n{U3.finit} | Agency supply | {T2.tinit} | 09:00\n{U4.full} | "
        "Ofsted | {T1.full} | 10:30\n",
    ),
    "abroad-letter": (
        "{U1.full}\n{U1.addr}\n\n{date}\n\nDear Headteacher,\n\nI am the grandmother of "
        "{S.full}. Please send {S.poss} school reports to me at the address above or to "
        "{U1.pobox}. My telephone is {U1.phone}. My husband {U2.hon} also asks after "
        "{S.first}.\n\nWith respect,\n{U1.hon}\n",
        "Contact details held for relatives abroad\n\nRelative: {U1.tfull} (paternal uncle)\n"
        "Address: {U1.addr}\nPost: {U1.pobox}\nPhone: {U1.phone}\nEmail: {U1.email}\n\n"
        "Relative: {U2.hon} (great-aunt)\nAddress: {U2.addr}\n",
    ),
    "sen-medical": (
        "SECTION B: SPECIAL EDUCATIONAL NEEDS\n\nCommunication and Interaction\n{S.first} has "
        "Selective Mutism and Developmental Language Disorder. {S.first} speaks to {T2.tinit} "
        "and to {P3.first} only.\n\nSocial, Emotional and Mental Health\nAttachment "
        "Difficulties; Emotional Regulation; Low Self-Esteem. Anxiety rises around "
        "Transitions.\n\nPhysical and Sensory\nHypermobility; Sensory Seeking; Toileting Plan "
        "in place.\n\nProvision: Nurture Group; Lego Therapy; Zones of Regulation; Drawing and "
        "Talking with {T1.full}; a walk in the {w:park} at lunch.\n",
        "HEALTH CARE PLAN (REVIEW)\n\nName: {S.full}   Date of birth: {S.dob}\nMedical "
        "Diagnosis: Epilepsy (Absence Seizures); Coeliac Disease\nAllergies: Penicillin; "
        "Severe Latex Allergy\nSymptoms: Staring, Fluttering Eyelids, Confusion\nDaily Care: "
        "Buccal Midazolam held by {T1.tinit}.\nFamily Contact: {R.full}\nClinic: {GP.full}, "
        "Paediatric Neurology\nTrained staff: {T1.full}, {T2.full}\nTopic this term: the "
        "{w:Stone} Age.\n",
    ),
    "caps-lower": (
        "SAFEGUARDING DISCLOSURE - CONFIDENTIAL\nCHILD: {S.upper}\nDISCLOSED TO: {T1.upper}\n"
        "ACCOUNT: {S.firstupper} STATED THAT {U1.upper} AND {U2.firstupper} HAD BEEN DRINKING "
        "AT THE FLAT OF {X.lastupper}. {P1.upper} WAS ALSO THERE.\nACTION: REFERRED TO MASH.\n",
        "texts copied from {s.poss} phone by mum\n{u1.firstlower}: dont tell ur mum\n"
        "{s.firstlower}: ok\n{u1.firstlower}: {u2.firstlower} {u2.lastlower} is coming as well\n"
        "{s.firstlower}: is {p1.firstlower} allowed\n",
    ),
}

STYLE = Style(NAMES, TEMPLATES, SCHOOLS, ABROAD)


def write_person(b: Builder, who: Who, attr: str, contacts: tuple[str, str, str]) -> None:
    """devset.py's forms of a name, and this set's own."""
    first, last = who.first, who.last
    if attr == "police":
        b.span(f"{last.upper()} {first}", who.owner, "upper", who)
    elif attr == "fcaps":
        b.span(f"{first} {last.upper()}", who.owner, "upper", who)
    elif attr == "firstupper":
        b.span(first.upper(), who.owner, "upper", who)
    elif attr == "finit":
        b.span(f"{first} {last[0]}", who.owner, "first-initial", who)
        b.text(".")
    elif attr == "tfull":
        b.text(f"{who.title} ")
        b.span(who.full, who.owner, "full", who)
    else:
        devset.write_person(b, who, attr, contacts)


def generate(cases: int = 20, seed: int = DEFAULT_SEED) -> list[Doc]:
    """Every document kind of this set for ``cases`` pupils."""
    return list(iter_docs(cases, seed))


def iter_docs(cases: int = 20, seed: int = DEFAULT_SEED) -> Iterator[Doc]:
    yield from devset.iter_docs(PART, cases, seed, STYLE, write_person)
