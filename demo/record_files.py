"""File records: the reports, letters, plans, scans, photos and e-mails a school keeps.

Every file is generated from the pupil's :class:`~.cast.Cast`, so it names the same people
as the text records; :mod:`.documents` does the typesetting.
"""

from __future__ import annotations

import datetime as dt

from pupil_privacy.worker.mis import RecordCategory

from . import documents as docs
from .cast import Cast
from .records import RecordContext, record, term_of, uk
from .school import DemoRecord

SCHOOL_GPS = (53.6833, -1.4977)
_SUBJECTS = (
    ("English", "reads widely and writes with a clear voice, especially in persuasive pieces."),
    ("Mathematics", "is confident with number and is beginning to explain reasoning in full."),
    ("Science", "plans fair tests carefully and records results neatly."),
    ("Humanities", "asks good questions about sources and is curious about other places."),
    ("Art and design", "experiments boldly with colour and took real care over the final piece."),
    ("PE", "is a dependable team player and has improved in athletics this year."),
)
_GROUP_WORK = (
    "led their group's presentation",
    "built the best model bridge in the class",
    "wrote and performed a short play",
    "ran the class survey and charted the results",
)
_NEXT_STEPS = (
    "to check work carefully before handing it in.",
    "to ask for help sooner when stuck.",
    "to read more widely at home.",
    "to use the success criteria to improve a first draft.",
)


def file_record(
    c: Cast,
    slug: str,
    category: RecordCategory,
    title: str,
    created: dt.date,
    source: str,
    author: str,
    filename: str,
    content: bytes,
) -> DemoRecord:
    return record(
        c, slug, category, title, created, source, author, None, filename=filename, content=content
    )


def _slug(c: Cast) -> str:
    return f"{c.pupil.first_name}_{c.pupil.last_name}".lower().replace("'", "")


def report_pdf(c: Cast, ctx: RecordContext) -> DemoRecord:
    """The annual report to parents: a header and footer on every page, two or three pages."""
    p, t = c.pupil, c.teacher
    when = ctx.day(ctx.rng.randint(100, 160))
    klass = c.school.school_class(p.class_id).name
    flow = docs.PdfFlow(
        header=f"Riverside Academy - Annual report to parents - {p.name} ({klass})",
        footer=f"Confidential: {p.name}, UPN {p.upn}",
    )
    flow.heading(f"Report for {p.name}, Year {p.year_group}, {term_of(when)} term {when.year}")
    flow.text(f"Date of birth: {uk(p.date_of_birth)}. Form tutor: {t.name}.")
    tutors = [s for s in c.school.staff if s.job.startswith(("Form", "Class")) and s != t]
    for subject, strength in _SUBJECTS:
        teacher = ctx.rng.choice(tutors)
        flow.heading(subject)
        flow.text(
            f"{c.called} {strength} {c.they.subject.capitalize()} contributes thoughtfully "
            f"to discussion and listens to others. In a group project {c.called} and "
            f"{c.friend.name} {ctx.rng.choice(_GROUP_WORK)}, and {c.they.subject} supported "
            f"{c.classmate.called} when the group fell behind. Next step: "
            f"{ctx.rng.choice(_NEXT_STEPS)} ({teacher.formal})"
        )
    flow.heading("Form tutor's comment")
    flow.text(
        f"It has been a pleasure to be {c.called}'s tutor. {c.they.subject.capitalize()} is "
        f"kind, reliable and well liked. Attendance this year: "
        f"{ctx.rng.randint(90, 99)}%. {t.name}, form tutor."
    )
    flow.heading("Head teacher's comment")
    flow.text(f"A good year, {c.called}: well done. {c.head.title} {c.head.name}, head teacher.")
    doc = flow.finish({"title": f"Annual report: {p.name}", "author": t.name}, when)
    return file_record(
        c,
        "report",
        RecordCategory.ASSESSMENT,
        "Annual report to parents",
        when,
        "Reports",
        t.name,
        f"report_{_slug(c)}.pdf",
        docs.pdf_bytes(doc),
    )


def letter_pdf(c: Cast, ctx: RecordContext, suspension: bool) -> DemoRecord:
    """A letter home with a reviewer's sticky note, a highlight, a bookmark, an embedded
    reply slip and a staff member as the PDF's author."""
    p, g = c.pupil, c.main
    when = ctx.day(ctx.rng.randint(15, 70))
    flow = docs.PdfFlow(header="Riverside Academy, Riverside Lane, Westmoor", footer=p.name)
    flow.text(f"{g.title} {g.name}\n{g.address}")
    flow.text(uk(when))
    flow.text(f"Dear {g.formal},")
    if suspension:
        title, author, category = "Suspension letter", c.head, RecordCategory.BEHAVIOUR
        flow.text(
            f"I am writing to tell you that {p.name} (UPN {p.upn}) has been suspended for two "
            f"days, from {uk(when + dt.timedelta(days=1))}, following an incident on "
            f"{uk(when)} in which {c.called} and {c.friend.name} were fighting at the bus "
            f"stop. {c.friend.called} needed first aid for a cut lip. You have the right to "
            f"make representations to the governing board about this suspension."
        )
        note = f"Do not copy to {c.friend_parent.formal}; {c.dsl.formal} to see first."
    else:
        title, author, category = "Letter home", c.teacher, RecordCategory.DOCUMENTS
        flow.text(
            f"Year {p.year_group} will visit the Yorkshire Sculpture Park on "
            f"{uk(when + dt.timedelta(days=20))}. {c.called} will travel on coach B with "
            f"{c.teacher.formal} and {c.classmate.name}'s group. Please return the reply slip "
            f"by Friday and tell us about any medical needs."
        )
        note = f"{c.called} gets travel sick: seat at the front. Check with {g.formal}."
        if c.no_contact is not None:
            note = f"Court order: {c.no_contact.formal} must not get a copy. {c.dsl.formal}"
    flow.text(f"Yours sincerely,\n\n{author.name}\n{author.job}")
    doc = flow.finish({"title": f"{title}: {p.name}", "author": author.name}, when)
    docs.annotate(doc, docs.Annotation(author.name, note, highlight=c.called))
    doc.set_toc([[1, f"{title} - {p.name}", 1]])
    slip = f"Reply slip for {p.name}: I give consent. Signed: ............ ({g.name})\n"
    docs.attach(doc, "reply_slip.txt", slip.encode(), f"Reply slip, {p.name}")
    return file_record(
        c,
        "letter",
        category,
        title,
        when,
        "Letters",
        author.name,
        f"{title.lower().replace(' ', '_')}_{_slug(c)}.pdf",
        docs.pdf_bytes(doc),
    )


def chronology_pdf(c: Cast, ctx: RecordContext) -> DemoRecord:
    """The DSL's safeguarding chronology for the separated family: names a referrer (rule 14)
    and the no-contact parent's new address (rule 12)."""
    father = c.no_contact
    assert father is not None
    neighbour = ctx.stranger(
        "neighbour who reported concerns (a referrer)",
        c.pupil.id,
        key=f"{c.pupil.family_id}-neighbour",
    )
    days = sorted((ctx.rng.randint(40, 300) for _ in range(6)), reverse=True)
    rows = [
        (
            f"{c.main.formal} told {c.dsl.formal} she has separated from {father.name}. A "
            f"prohibited steps order was made at Westmoor Family Court. Copy on file.",
            "Alert added to contacts",
            c.dsl.formal,
        ),
        (
            f"Neighbour {neighbour} telephoned reception: shouting at the family home late on "
            f"Saturday; {father.first_name} was seen at the door. Asked not to be named.",
            "Record of concern",
            c.reception.formal,
        ),
        (
            f"Strategy discussion with {c.social_worker.name} (social worker). School will give "
            f"no information to {father.formal}.",
            "Minutes filed",
            c.dsl.formal,
        ),
        (
            f"{father.formal} waited at the school gate at 15:15 and asked for {c.called}. "
            f"{c.head.formal} asked him to leave; police informed.",
            "Police log ref 1442",
            c.head.formal,
        ),
        (
            f"{father.formal}'s solicitor wrote giving his new address as {father.address}.",
            "Not shared",
            c.dsl.formal,
        ),
        (
            f'Check-in: {c.called} said "I don\'t want to see dad". Referred to '
            f"{c.camhs.name} (CAMHS).",
            "Referral sent",
            c.dsl.formal,
        ),
    ]
    flow = docs.PdfFlow(
        header=f"CONFIDENTIAL - Safeguarding chronology - {c.pupil.name}",
        footer="Riverside Academy - held by the designated safeguarding lead",
    )
    flow.heading(f"Chronology: {c.pupil.name} (DOB {uk(c.pupil.date_of_birth)})")
    widths = (70, 250, 100, 63)
    flow.row(("Date", "What happened", "Action", "By"), widths)
    for day, (event, action, by) in zip(days, rows, strict=True):
        flow.row((uk(ctx.day(day)), event, action, by), widths)
    when = ctx.day(days[-1])
    doc = flow.finish({"title": "Safeguarding chronology", "author": c.dsl.name}, when)
    return file_record(
        c,
        "chronology",
        RecordCategory.SAFEGUARDING,
        "Safeguarding chronology",
        when,
        "Safeguarding log",
        c.dsl.name,
        f"chronology_{_slug(c)}.pdf",
        docs.pdf_bytes(doc),
    )


def court_order_scan(c: Cast, ctx: RecordContext) -> DemoRecord:
    """A scanned court order: an image-only PDF page (text only reachable by OCR)."""
    father = c.no_contact
    assert father is not None
    when = ctx.day(ctx.rng.randint(250, 320))
    lines = [
        "IN THE FAMILY COURT SITTING AT WESTMOOR",
        "Children Act 1989 - Prohibited Steps Order",
        f"The child: {c.pupil.name}, born {uk(c.pupil.date_of_birth)}",
        f"Applicant: {c.main.name}    Respondent: {father.name}",
        f"The respondent, {father.name}, must not remove the child from the care of the",
        "applicant or from school, and must not contact the child directly or indirectly.",
        f"Made on {uk(when)} by District Judge Harrow.",
    ]
    content = docs.scanned_pdf(lines, {"title": "Scan", "author": c.office.name}, when)
    return file_record(
        c,
        "court-order",
        RecordCategory.SAFEGUARDING,
        "Court order (scanned)",
        when,
        "Scanned documents",
        c.office.name,
        f"court_order_{_slug(c)}.pdf",
        content,
    )


def medical_scan(c: Cast, ctx: RecordContext, png: bool) -> DemoRecord:
    """A scanned GP letter or parent's note as an image, with the scanner's EXIF."""
    p, g = c.pupil, c.main
    when = ctx.day(ctx.rng.randint(20, 200))
    if p.medical:
        title = "GP letter (scanned)"
        lines = [
            c.gp.organisation,
            uk(when),
            f"Re: {p.name}, DOB {uk(p.date_of_birth)}",
            f"{p.address}",
            "",
            f"Diagnosis: {p.medical}.",
            "Please keep the medication in school as the care plan says.",
            f"{c.gp.formal}, GP",
        ]
    else:
        title = "Note from parent (scanned)"
        lines = [
            uk(when),
            f"Dear {c.teacher.formal},",
            f"Please excuse {c.called} from PE on Monday, {c.they.subject} has sprained",
            f"{c.they.possessive} wrist at football with {c.friend.called}.",
            f"Thanks, {g.name} ({g.phone})",
        ]
    exif = docs.exif_block(
        description=f"Scan: {title} for {p.name}",
        artist=c.office.name,
        when=dt.datetime.combine(when, dt.time(11, 2)),
        make="Canon",
        model="imageRUNNER ADVANCE C5535i",
    )
    fmt, ext = ("PNG", "png") if png else ("JPEG", "jpg")
    content = docs.scanned_image(lines, exif, fmt)
    return file_record(
        c,
        "scan",
        RecordCategory.MEDICAL,
        title,
        when,
        "Scanned documents",
        c.office.name,
        f"scan_{_slug(c)}.{ext}",
        content,
    )


def photo_record(c: Cast, ctx: RecordContext, png: bool) -> DemoRecord:
    p = c.pupil
    event = ctx.rng.choice(("Sports day", "Science fair", "Eco club", "Harvest festival"))
    when = ctx.day(ctx.rng.randint(30, 250))
    exif = docs.exif_block(
        description=f"{event} {when.year}: {p.name} with {c.friend.name}",
        artist=c.teacher.name,
        when=dt.datetime.combine(when, dt.time(14, 20)),
        make="Apple",
        model="iPad (9th generation)",
        comment=f"Photo consent: yes ({c.main.name})",
        gps=SCHOOL_GPS,
    )
    fmt, ext = ("PNG", "png") if png else ("JPEG", "jpg")
    content = docs.photo(
        f"{event}: {c.called} and {c.friend.called}", exif, ctx.rng.randint(0, 9), fmt
    )
    return file_record(
        c,
        "photo",
        RecordCategory.PHOTOGRAPHS,
        f"Photo: {event.lower()}",
        when,
        "School photos",
        c.teacher.name,
        f"photo_{_slug(c)}.{ext}",
        content,
    )


def _doctors_note(c: Cast, when: dt.date) -> bytes:
    flow = docs.PdfFlow(header=c.gp.organisation, footer=f"{c.gp.formal}, {c.gp.phone}")
    flow.text(
        f"{c.pupil.name} (DOB {uk(c.pupil.date_of_birth)}) was seen today, {uk(when)}, and "
        f"should avoid PE for one week. {c.main.name} has been given advice."
    )
    doc = flow.finish({"title": "Doctor's note", "author": c.gp.name}, when)
    return docs.pdf_bytes(doc)


def email_thread(c: Cast, ctx: RecordContext) -> DemoRecord:
    """A parent and the tutor write three times: quoted replies, signatures, an attachment
    and another parent's phone number (a third party's, rule 10)."""
    g, t, f, fp = c.main, c.teacher, c.friend, c.friend_parent
    start = dt.datetime.combine(ctx.day(ctx.rng.randint(15, 60)), dt.time(7, 48), tzinfo=dt.UTC)
    parent, tutor = f"{g.name} <{g.email}>", f"{t.name} <{t.email}>"
    worry = (
        f"Dear {t.formal},\n\nI'm writing because {c.called} came home upset again yesterday. "
        f"{c.they.subject.capitalize()} says {f.name} has been saying things about "
        f"{c.they.object} in the group chat. I don't want {c.they.object} sitting next to "
        f"{f.called} any more. {f.called}'s {_mum_or_dad(fp.sex)}, {fp.name}, has been "
        f"messaging me on {fp.phone}, which I would rather stopped."
    )
    if c.no_contact is not None:
        worry += (
            f"\n\nAlso please make sure {c.no_contact.first_name} doesn't get any of this. "
            f"He's moved to {c.no_contact.address} now."
        )
    thread = [
        docs.Mail(
            parent, tutor, start, f"{worry}\n\nThanks,\n{g.name}\n{g.phone}\n\nSent from my iPhone"
        ),
        docs.Mail(
            tutor,
            parent,
            start + dt.timedelta(hours=3),
            f"Dear {g.formal},\n\nThank you for letting me know. I have moved "
            f"{c.called}'s seat and spoken to {f.called}. I have also let "
            f"{c.dsl.formal} know, as we always do.\n\nKind regards,\n\n{t.name}\n"
            f"{t.job}\nRiverside Academy | {t.phone} | {t.email}\n"
            f"This e-mail is confidential and meant only for the people it is addressed "
            f"to.",
        ),
        docs.Mail(
            parent,
            tutor,
            start + dt.timedelta(days=1, hours=1),
            f"Thank you. I've attached the doctor's note from Monday too.\n\n{g.first_name}",
        ),
    ]
    note = docs.Attachment("doctors_note.pdf", _doctors_note(c, start.date()), "application", "pdf")
    subject = f"{c.called}: seating in class"
    content = docs.eml_thread(subject, thread, f"{c.pupil.id}-thread", note)
    return file_record(
        c,
        "email",
        RecordCategory.DOCUMENTS,
        f"E-mail: {subject}",
        start.date(),
        "Email archive",
        g.name,
        f"email_{_slug(c)}.eml",
        content,
    )


def _mum_or_dad(sex: str) -> str:
    return "mum" if sex == "F" else "dad"


def sen_plan_docx(c: Cast, ctx: RecordContext) -> DemoRecord:
    p, s = c.pupil, c.senco
    when = ctx.day(ctx.rng.randint(30, 120))
    ehc = p.sen_status == "EHC plan"
    title = "EHC plan annual review" if ehc else "SEN support plan"
    paragraphs = [
        f"Pupil: {p.name}   DOB: {uk(p.date_of_birth)}   UPN: {p.upn}   Year {p.year_group}",
        f"Parents/carers: {c.main.name}"
        + "".join(f", {g.name}" for g, link in c.others if not link.no_contact),
        "Primary need: speech, language and communication; working memory.",
        f'Views of {c.called}: "I like it when {c.friend.called} reads with me and when '
        f'{c.teacher.formal} writes the steps on the board."',
        f"Views of parent: {c.main.first_name} says homework takes too long and "
        f"{c.they.subject} gets cross with {c.they.possessive} brother at home.",
        f"Assessed by {c.psychologist.formal} (educational psychologist) on {uk(ctx.day(200))}.",
    ]
    table = [
        ("Area of need", "Outcome", "Provision", "Who", "Review"),
        (
            "Vocabulary",
            "Uses new topic words in writing",
            "Word mats; pre-teaching",
            c.teacher.formal,
            uk(when + dt.timedelta(days=42)),
        ),
        (
            "Working memory",
            "Follows three-step instructions",
            "Visual checklists",
            s.formal,
            uk(when + dt.timedelta(days=42)),
        ),
        (
            "Friendships",
            "Plays with others at lunch",
            f"Lunch club with {c.classmate.called}",
            c.dsl.formal,
            uk(when + dt.timedelta(days=84)),
        ),
    ]
    comment = docs.DocxComment(
        anchor="Views of parent",
        text=f"{c.main.first_name} asked us not to share this with {c.friend_parent.formal}.",
        author=s.name,
        initials=s.first_name[0] + s.last_name[0],
    )
    content = docs.docx_plan(
        title,
        f"Riverside Academy - {title} - {p.name} - CONFIDENTIAL",
        f"Prepared by {s.name}",
        paragraphs,
        table,
        comment,
        s.name,
        when,
    )
    return file_record(
        c,
        "sen-plan",
        RecordCategory.SEN,
        title,
        when,
        "SEN register",
        s.name,
        f"sen_plan_{_slug(c)}.docx",
        content,
    )


def healthcare_plan_docx(c: Cast, ctx: RecordContext) -> DemoRecord:
    p, n = c.pupil, c.nurse
    when = ctx.day(ctx.rng.randint(60, 200))
    contacts = [(c.main, c.main_link), *((g, k) for g, k in c.others if not k.no_contact)]
    paragraphs = [
        f"Pupil: {p.name}   DOB: {uk(p.date_of_birth)}   Class: "
        f"{c.school.school_class(p.class_id).name}",
        f"Condition: {p.medical}",
        f"GP: {c.gp.formal}, {c.gp.organisation}, {c.gp.phone}",
        *(f"Emergency contact: {g.name} ({k.relationship}) {g.phone}" for g, k in contacts),
        f"Trained staff: {n.formal}, {c.teacher.formal}, {c.reception.formal}.",
    ]
    table = [
        ("Sign", "What to do", "Who"),
        ("Mild symptoms", "Follow the plan; tell the medical room", c.teacher.formal),
        ("Severe symptoms", "Give emergency medication; call 999; call parent", n.formal),
        ("After an episode", f"Phone {c.main.first_name} on {c.main.phone}", c.reception.formal),
    ]
    comment = docs.DocxComment(
        anchor="Trained staff",
        text=f"Training refreshed {uk(ctx.day(30))}; {c.friend.called} knows where the kit is.",
        author=n.name,
        initials=n.first_name[0] + n.last_name[0],
    )
    content = docs.docx_plan(
        "Individual healthcare plan",
        f"Riverside Academy - Individual healthcare plan - {p.name}",
        "Reviewed every year or after any change",
        paragraphs,
        table,
        comment,
        n.name,
        when,
    )
    return file_record(
        c,
        "healthcare-plan",
        RecordCategory.SUPPORT,
        "Individual healthcare plan",
        when,
        "Medical room",
        n.name,
        f"healthcare_plan_{_slug(c)}.docx",
        content,
    )
