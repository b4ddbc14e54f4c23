"""A fourth development set, in styles, names and vocabulary no other set uses (issue 9).

The ``dev`` part of devset.py and the fresh set (devset_new.py) have been tuned on and the
``held-out`` part must not be; this set has two halves drawn from one style with their own
random streams: ``v3-dev`` (tune on it, its misses are written) and ``v3-test`` (never
tuned on: figures only). tests/redaction/test_devset_v3_labels.py checks that it shares no
template, name, school or contact with the other sets.

- **styles**: a SEN tribunal decision and an appeal bundle index; nursery/EYFS learning
  journeys and a two-year check; exclusion panel minutes with a clerk's record and an
  independent review panel's decision; school counsellor and mentor session notes; a
  transcribed voicemail and an attendance phone log; a CSV contacts export and a
  tab-separated behaviour log; sports fixture and residential trip consent forms; a
  bilingual Welsh-medium letter and a Cylch Meithrin message; a Pupil Premium review and
  a Key Stage 4 options letter, both full of capitalised curriculum, policy, medication and
  place words that must be kept;
- **names**: Welsh, Scottish Gaelic, Polish, Yoruba, Brazilian, Sri Lankan Tamil,
  Vietnamese, Turkish, Ukrainian, Gujarati, Hebrew and Congolese pools of names no other
  set uses, and English names that are common words ("Crystal Rivers", "Chase Green",
  "Poppy Day");
- **forms of a name** beyond the other sets': a full name's possessive ("Crystal
  Rivers's", ``fposs``) and "Rivers, C." (``commainit``), as well as surname and forename in
  separate CSV columns.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import devset
import devset_new
from corpus import Builder, Doc
from devset import Pool, Style, Who

PARTS = ("v3-dev", "v3-test")
DEFAULT_SEED = 20261205

NAMES: Pool = {
    "welsh": (("Angharad", "Ffion", "Seren"), ("Gwilym", "Iwan", "Cai"),
              ("Bowen", "Prosser", "Pugh"), ("Mrs", "Mr")),
    "gaelic": (("Mairead", "Oighrig", "Ealasaid"), ("Ruairidh", "Tormod", "Calum"),
               ("MacAskill", "MacInnes", "Matheson"), ("Mrs", "Mr")),
    "polish": (("Jadwiga", "Halina", "Bozena"), ("Tadeusz", "Grzegorz", "Zbigniew"),
               ("Mazur", "Krawczyk", "Pawlak"), ("Pani", "Pan")),
    "yoruba": (("Titilayo", "Bukola", "Yetunde"), ("Babatunde", "Olumide", "Ayodele"),
               ("Ogunbiyi", "Fashola", "Adeleke"), ("Mrs", "Mr")),
    "brazilian": (("Thais", "Larissa", "Fernanda"), ("Thiago", "Rodrigo", "Leandro"),
                  ("Goncalves", "Ribeiro", "Nascimento"), ("Sra.", "Sr.")),
    "sri-lankan-tamil": (("Tharshini", "Nirosha", "Keerthana"), ("Kajan", "Thusyanthan",
                         "Mathivanan"), ("Jeyakumar", "Balasingham", "Ponnambalam"),
                         ("Mrs", "Mr")),
    "vietnamese": (("Ngoc", "Phuong", "Huong"), ("Duc", "Khanh", "Thanh"),
                   ("Hoang", "Vu", "Dang"), ("Mrs", "Mr")),
    "turkish": (("Ayse", "Sibel", "Gulay"), ("Mehmet", "Kerem", "Oguz"),
                ("Ozturk", "Celik", "Korkmaz"), ("Mrs", "Mr")),
    "ukrainian": (("Olena", "Tetiana", "Iryna"), ("Mykola", "Andriy", "Yaroslav"),
                  ("Bondarenko", "Tkachenko", "Melnyk"), ("Pani", "Pan")),
    "gujarati": (("Hetal", "Bhavna", "Komal"), ("Jignesh", "Hitesh", "Nilesh"),
                 ("Parmar", "Solanki", "Chauhan"), ("Mrs", "Mr")),
    "hebrew": (("Shira", "Tova", "Rivka"), ("Yossi", "Moshe", "Avi"),
               ("Goldberg", "Friedman", "Rosenthal"), ("Mrs", "Mr")),
    "congolese": (("Nsimba", "Bijou", "Mado"), ("Kabeya", "Mukendi", "Ilunga"),
                  ("Tshibanda", "Kabongo", "Mbuyi"), ("Mrs", "Mr")),
    "english-words": (("Crystal", "Poppy", "Honey", "Precious"),
                      ("Hunter", "Chase", "Lance", "Rocky"),
                      ("Green", "Rivers", "Day", "Field", "Fox", "Pond"), ("Mrs", "Mr")),
}  # fmt: skip
SCHOOLS = ("Ysgol Gymraeg Bryn Derw", "Heronsgate Community Primary School",
           "St Columba's Catholic Academy")  # fmt: skip
# (street address, post box, phone) per origin; UK ones in Ofcom's drama ranges.
ABROAD = {
    "welsh": ("Fferm Ty Gwyn, Llanrhystud, Ceredigion SY23 5AB", "Blwch Post 12, Aberystwyth",
              "029 2018 0457"),
    "gaelic": ("Taigh na Mara, Tobha Mor, Uibhist a Deas HS8 5SS", "PO Box 7, Stornoway HS1 2XX",
               "01632 960 318"),
    "polish": ("ul. Piotrkowska 104 m. 6, 90-006 Lodz", "Skrytka pocztowa 55, 31-001 Krakow",
               "+48 601 234 567"),
    "yoruba": ("14 Awolowo Road, Ikoyi, Lagos 106104", "P.M.B. 5116, Ibadan, Oyo State",
               "+234 803 123 4567"),
    "brazilian": ("Rua Augusta 1508, apto 42, Sao Paulo - SP, 01304-001",
                  "Caixa Postal 3021, Belo Horizonte - MG, 30112-970", "+55 11 98765 4321"),
    "sri-lankan-tamil": ("23 Stanley Road, Jaffna 40000", "P.O. Box 64, Batticaloa 30000",
                         "+94 76 482 9137"),
    "vietnamese": ("So 18 Ngo 56 Pho Hue, Hai Ba Trung, Ha Noi", "Hop thu 221, Da Nang",
                   "+84 90 123 4567"),
    "turkish": ("Bagdat Caddesi No: 214 D: 7, Kadikoy 34728 Istanbul", "PK 45, 06100 Ankara",
                "+90 532 123 45 67"),
    "ukrainian": ("vul. Sumska 25, kv. 9, Kharkiv 61057", "a/s 412, Lviv 79000",
                  "+380 93 761 2048"),
    "gujarati": ("12 Shanti Park, Navrangpura, Ahmedabad 380009", "Post Bag 9, Surat 395001",
                 "+91 98250 12345"),
    "hebrew": ("Rehov Herzl 33, Haifa 3303233", "P.O.B. 7012, Jerusalem 9107001",
               "+972 52 123 4567"),
    "congolese": ("Avenue Kasa-Vubu 112, Kinshasa-Gombe", "B.P. 1825, Lubumbashi",
                  "+243 81 234 5678"),
    "english-words": ("4 Harbour View, St Peter Port, Guernsey GY1 2AB",
                      "PO Box 312, Douglas, Isle of Man IM99 1QT", "07700 900 617"),
}  # fmt: skip

# Placeholders as in devset.py and devset_new.py, plus fposs and commainit (module docstring).
TEMPLATES: dict[str, tuple[str, ...]] = {
    "sen-appeal": (
        "FIRST-TIER TRIBUNAL (SPECIAL EDUCATIONAL NEEDS AND DISABILITY)\nAppeal number: EH "
        "881/26/00412\n\nDECISION\n\nAppellant: {R.full}\nRespondent: Northbrook County "
        "Council (the Local Authority)\nChild: {S.full}\nPanel: Tribunal Judge {U1.tinit}; "
        "Specialist Member {U2.full}; Lay Member {U3.initials}\nHearing: {date}, by video "
        "(CVP)\n\n1. The Appellant appeals against Sections B, F and I of the EHC Plan. She "
        "was represented by {U4.tfull} of SENDIASS. The Local Authority was represented by "
        "{U5.full}, SEN Caseworker, who called {T1.tinit}, SENCO, as a witness.\n2. We heard "
        "from {X.full}, the child's father, who supports the appeal, and read a letter from "
        "{U6.hon}, a family friend, which did not assist us.\n3. Section F is amended: Speech "
        "and Language Therapy weekly; Occupational Therapy; Social Skills Group; Precision "
        "Teaching. Section I: {school}.\n\nTribunal Judge {U1.lastupper}\n",
        "APPEAL BUNDLE - INDEX\nIn the matter of {S.upper} (DOB {S.dob})\n\nSection A: Appeal "
        "Form and Decision Letter .... 1-14\nSection B: Working Document .... 15-40\nSection "
        "C: Appellant's Evidence: statement of {R.full}; report of {U1.tfull}, Independent "
        "Speech and Language Therapist; letter from {U2.comma} (childminder) .... 41-88\n"
        "Section D: Local Authority's Evidence: statement of {U3.full}, Head of SEN "
        "Assessment; Annual Review Report signed by {T2.tinit} .... 89-130\nSection E: "
        "Educational Psychology Report by {U4.commainit} .... 131-152\n\nNote: {P1.fposs} "
        "parents have not consented to disclosure of the Resource Base register.\nPrepared by "
        "{U5.full}, Paralegal, for the Appellant.\n",
    ),
    "eyfs": (
        "LEARNING JOURNEY - Nursery (archived)\nChild: {S.first}    Key Person: {T1.full}\n"
        "Room: {w:Poppy} Room\n\nObservation {date}\n{S.first} played in the Mud Kitchen with "
        '{P2.first} and {P3.first}, counted five Conkers and said "more!" when {P2.first} '
        "took one.\nEYFS Area: Mathematics - Numbers. Characteristics of Effective Learning: "
        "Playing and Exploring.\nNext Steps: Numicon; Phonics Phase 1.\nParent's Voice: "
        '"{S.first} talks about {U1.first} at Forest School" - {R.first}\nCollected today by '
        "{U2.full} (on the password list).\n",
        "Progress Check at Age Two\nName: {S.full}    Date of birth: {S.dob}\nSetting: Little "
        "Acorns Pre-School, Bumblebees Room\n\nPersonal, Social and Emotional Development: "
        "Emerging\nPhysical Development: Expected\nCommunication and Language: Emerging\n\n"
        "{S.first} is settling. {S.poss} cousin {U3.first} sometimes brings {S.first} in. "
        "Health Visitor {U4.tinit} completed the ASQ-3. Mum's partner, {U5.full}, came to the "
        "review with {R.first}. Snack today: {w:Honey} Roast Ham wraps.\nPractitioner: "
        "{T2.full}    Manager: {U6.tfull}\n",
    ),
    "discipline-panel": (
        "PUPIL DISCIPLINE COMMITTEE\nConsideration of a Permanent Exclusion: {S.full} (Year 9)"
        "\nClerk's record of the meeting held on {date}\n\nPanel: {U1.tfull} (Chair), "
        "{U2.tfull}, {U3.tinit}\nClerk: {U4.full}\nFor the school: {T2.tinit}, Headteacher; "
        "{T1.full}, Designated Safeguarding Lead\nFor the family: {R.tfull}; {X.full} (father)"
        "; {U5.full}, supporter\n\n14:05 The Chair explained the procedure under the "
        "Exclusion Guidance and the Equality Act 2010.\n14:20 {T2.caps} presented the "
        "incident: {S.first} and {P1.full} fought on the Astroturf; {P2.first} filmed it. "
        "CCTV viewed.\n14:45 {R.caps} said {S.first} had been provoked by {P1.poss} brother, "
        "{U6.full}.\n15:10 Panel withdrew.\nClerk: {U4.initials}\n",
        "Independent Review Panel - Statement of Decision\nExcluded pupil: {S.full}\n"
        "Applicant: {R.full}\nPanel: {U1.init} (lay chair); {U2.init} (serving headteacher); "
        "{U3.init} (governor)\nSEN Expert: {U4.tfull}\nClerk: {U5.full}, Clerking Services "
        "Ltd\n\nThe panel read the account of {T1.full}, Teaching Assistant, and a statement "
        "from {U6.hon}, a neighbour who saw the incident from the {w:Fox} Lane footpath. "
        "{P3.full} was not excluded for the same incident. The Behaviour Policy, the "
        "Anti-Bullying Policy and the Pupil Premium Strategy were considered. The panel "
        "directs the Governing Board to reconsider.\n",
    ),
    "counselling": (
        "SCHOOL COUNSELLING SERVICE - SESSION RECORD (CONFIDENTIAL)\nClient: {S.fcaps}    "
        "Session 6 of 8    Counsellor: {T1.full} (BACP)\n\nPresenting Issues: Low Mood; "
        "Exam Stress; Friendship Difficulties.\n{S.first} talked about {S.poss} step-dad, "
        "{U1.first}, and arguments at home. Said {U2.full} from the Youth Club had been kind."
        "\nRisk Assessment: no current risk; Safety Plan reviewed.\nSupervision: {U3.tinit}, "
        "Clinical Supervisor.\nOutcome Measure (YP-CORE): 14, down from 21.\nNext session: "
        "{date}.\n",
        "Mentor Notes - Brighter Futures Mentoring Programme\nMentee: {S.full}\nMentor: "
        "{U1.full} (volunteer)\n\nWeek 3: Played Uno. {S.first} said {P2.first} and "
        "{P3.full} are not friends any more. Talked about the Duke of Edinburgh's Award, "
        "Young Carers and Army Cadets.\nWeek 4: Quiet. Said {U2.tinitial} next door shouts. "
        "Passed to the DSL ({T2.tinit}) on CPOMS.\nWeek 5: Proud of the Bronze Arts Award. "
        "{U1.first} ends the match in July; {U3.fposs} group takes over.\n",
    ),
    "phone-log": (
        "Voicemail transcript (automatic) - Main Office\nReceived {date} 08:12\n\"hi it's "
        "{u1.firstlower} um {u1.lastlower}, ringing for {s.firstlower}'s mum cos she can't get "
        "through... {s.firstlower} won't be in today, temperature. if you need anything ring "
        '{u2.firstlower} on {U2.phone} or me. thanks bye"\nActioned: marked I (Illness).\n',
        "PHONE LOG - Attendance Officer\nDate | Time | Caller | Re | Notes\n{date} | 09:02 | "
        "{R.full} | {S.first} | Dentist, back by 11.\n{date} | 09:15 | {U1.full} (says family) "
        "| {S.first} | Not on contacts - nothing disclosed.\n{date} | 13:40 | {U2.tinit} | "
        "{P1.full} | Asked if {S.first} was in; declined.\n{date} | 15:30 | Outgoing to "
        "{X.full} | {S.first} | No answer, message left.\nLogged by {T1.caps}\n",
    ),
    "export": (
        "contacts_export.csv\nPupil Surname,Pupil Forename,Contact Surname,Contact Forename,"
        "Relationship,Priority,Telephone,Parental Responsibility\n{S.last},{S.first},{R.last},"
        "{R.first},Mother,1,,Yes\n{S.last},{S.first},{X.last},{X.first},Father,2,,Yes\n"
        "{S.last},{S.first},{U1.last},{U1.first},Relative,3,{U1.phone},No\n{S.last},{S.first},"
        "{U2.last},{U2.first},Family Friend,4,,No\n",
        "Behaviour Log (exported, tab separated)\nDate\tPupil\tType\tPoints\tDetail\t"
        "Recorded By\n{date}\t{S.comma}\tNegative\t-2\tDisruption in Food Technology with "
        "{P1.first}\t{T2.full}\n{date}\t{S.comma}\tPositive\t+3\tHouse Points: Helping in the "
        "Library\t{T1.full}\n{date}\t{S.comma}\tNegative\t-5\tFight with {P2.comma} in the Bus "
        "Bay; {U1.full} (driver) witnessed\t{T2.full}\n",
    ),
    "consent": (
        "SPORTS FIXTURE CONSENT - District Cross Country, {w:Chase} Park\n\nI give permission "
        "for {S.full} (Form 8G) to travel by minibus on {date}.\nMedical Information: Asthma "
        "- Salbutamol (Blue Inhaler) carried.\nEmergency contact on the day: {U1.full}, "
        "{U1.phone}\nParent/Carer signature: {R.init}\nTeam Sheet: {S.first} {S.last}, "
        "{P1.full}, {P3.full} (reserve)\nDrivers: {T2.full}; volunteer parent {U2.tinit} (DBS "
        "checked)\n",
        "RESIDENTIAL TRIP CONSENT - Year 7 Outdoor Education, Ullswater\nPupil: {S.full}\n"
        "Room sharing request: {P2.first} and {P1.first}\nDietary: Vegetarian; Lactose "
        "Intolerant (no Cheese or {w:Rocky} Road)\nMedication given by staff: Cetirizine "
        "(Hay Fever) 10mg; Melatonin at Bedtime, prescribed by {GP.full}\nSwimming: 25m+\n"
        "May collect if unwell: {U3.full} or {U4.commainit}\nI consent to Emergency Medical "
        "Treatment. Signed {R.full}\nParty Leader: {T1.tinit}; First Aider: {T2.tinit}\n",
    ),
    "welsh": (
        "{school}\nAnnwyl Rieni a Gwarcheidwaid / Dear Parents and Carers,\n\nRe: {S.full} - "
        "Blwyddyn 5 / Year 5\n\nDiolch am ddod i Noson Rieni. Thank you for coming to Parents' "
        "Evening with {T1.tinit}. {S.first} has settled in Dosbarth Derwen (Oak Class) and is "
        "working towards the Siarter Iaith. {S.poss} Additional Learning Needs are recorded in "
        "an Individual Development Plan. {P3.full} will join the Urdd Eisteddfod group; "
        "{U1.full} of Teithiau Cymru drives the coach. {U2.hon} has offered the village hall "
        "for rehearsals.\n\nYn gywir / Yours sincerely,\n{T2.full}\nPennaeth / Headteacher\n",
        "Neges gan y Cylch Meithrin / Message from the Cylch Meithrin\n\nBore da! {S.first} "
        "was collected early on {date} by {U3.full}; Mam ({R.first}) phoned ahead. {U4.tinit} "
        "from Mudiad Meithrin visited before the Estyn inspection. Can y Dydd: Pen, Ysgwydd, "
        "Coesau, Traed. {P2.first} and {S.first} planted bulbs in the {w:Green} Garden.\n"
        "Diolch, {U5.first} ({U5.caps})\n",
    ),
    "curriculum": (
        "PUPIL PREMIUM AND CATCH-UP REVIEW - {S.full}\nEligible: Pupil Premium (Ever 6 FSM)"
        "\nInterventions: Read Write Inc. Fresh Start; Maths Mastery; Accelerated Reader; "
        "Lexia; Times Tables Rock Stars; Nurture Breakfast Club\nCurriculum: English "
        "Language, English Literature, Combined Science (Trilogy), Religious Studies, Design "
        "and Technology, Computer Science, Physical Education, Geography, Spanish\nPolicies "
        "Applied: Attendance Policy; Relationships and Behaviour Policy; Accessibility Plan; "
        "Child Protection and Safeguarding Policy\nEnrichment: The {w:Green} Team "
        "(Eco-Schools); Chess Club\nReviewed by {T1.tfull}, Designated Safeguarding Lead, and "
        "{T2.full}, Assistant Headteacher (Inclusion).\nNote: {S.first} works best seated away "
        "from {P2.full}. Tutor: {U1.tinit} (maternity cover, agency).\n",
        "Options Evening - Key Stage 4 Pathways\n\nDear {R.title},\n\n{S.first} has chosen "
        "History, Triple Science, Food Preparation and Nutrition, Music and Sport Science. The "
        "English Baccalaureate (EBacc) needs a Modern Foreign Language. Careers guidance came "
        "from {U1.tfull}, Careers Adviser, and a talk by {U2.full} of the Royal Navy. Work "
        "Experience: Dragonfly {w:Day} Nursery, with {U3.fposs} team. {P1.first} chose the "
        "same Pathway.\n\nYours sincerely,\n{T2.tinit}\nHead of Key Stage 4\n",
    ),
}

STYLE = Style(NAMES, TEMPLATES, SCHOOLS, ABROAD)


def write_person(b: Builder, who: Who, attr: str, contacts: tuple[str, str, str]) -> None:
    """The other sets' forms of a name, and this set's own."""
    if attr == "fposs":
        b.span(who.full, who.owner, "possessive", who)
        b.text("'s")
    elif attr == "commainit":
        b.span(f"{who.last}, {who.first[0]}", who.owner, "comma-initial", who)
        b.text(".")
    else:
        devset_new.write_person(b, who, attr, contacts)


def generate(part: str, cases: int = 20, seed: int = DEFAULT_SEED) -> list[Doc]:
    """Every document kind of ``part`` ("v3-dev" or "v3-test") for ``cases`` pupils."""
    return list(iter_docs(part, cases, seed))


def iter_docs(part: str, cases: int = 20, seed: int = DEFAULT_SEED) -> Iterator[Doc]:
    """The halves share the style but draw from their own random stream (devset.py seeds it
    with the part's name); their document ids differ ("v3d000-...", "v3t000-...") so that
    ``make eval`` keeps one Detector per case."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}, not {part!r}")
    prefix = "v3d" if part == "v3-dev" else "v3t"
    for doc in devset.iter_docs(part, cases, seed, STYLE, write_person):
        yield dataclasses.replace(doc, doc_id=prefix + doc.doc_id.removeprefix("v3"))
