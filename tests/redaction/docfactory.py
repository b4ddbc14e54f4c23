"""Real documents built for removal tests, and a tiny stand-in detector.

The stand-in finds listed strings only: tests that use it check removal mechanics
(every hidden place of a PDF or DOCX) independently of NLP quality. Tests that use the
real Detector live beside them.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import io
import re
import zipfile
from collections.abc import Sequence
from email.message import EmailMessage

import docx
import pymupdf
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from PIL import Image, ImageDraw

from pupil_privacy.redaction.types import (
    Action,
    Finding,
    Person,
    Policy,
    Reason,
    Requester,
    Role,
    Subject,
)

# The cast: the pupil whose data is asked for, and people who must not appear.
SUBJECT = Subject(
    id="p1",
    name="Amelia Okafor",
    preferred_name="Millie",
    date_of_birth=dt.date(2013, 5, 14),
    upn="A123456789012",
    address="12 Larch Road, Leeds LS6 2AB",
    requester=Requester(
        name="Grace Okafor", relationship="mother", email="grace.okafor@example.org"
    ),
)
THIRD = "Jake Whitfield"
THIRD_EMAIL = "jake.whitfield@example.com"
THIRD_PHONE = "07700 900123"
ROSTER = [
    Person(name="Amelia Okafor", role=Role.PUPIL, upn="A123456789012"),
    Person(name=THIRD, role=Role.PUPIL, email=THIRD_EMAIL, phone=THIRD_PHONE),
    Person(name="Mrs Helen Price", role=Role.STAFF, email="h.price@school.example"),
]
OWN = ["Amelia Okafor", "A123456789012"]


class FakeDetector:
    """Finds fixed strings; same shape as ``redaction.detect.Detector``."""

    def __init__(self, third: Sequence[str] = (THIRD, THIRD_EMAIL, THIRD_PHONE)) -> None:
        self.third = list(third)
        self.policy = Policy()
        self.calls = 0

    def analyse(self, text: str) -> list[Finding]:
        found: list[Finding] = []
        for term in self.third:
            body = r"\s+".join(re.escape(w) for w in term.split())
            for m in re.finditer(body, text, re.IGNORECASE):
                kind = "EMAIL_ADDRESS" if "@" in term else "PERSON"
                found.append(
                    Finding(
                        m.start(),
                        m.end(),
                        m.group(),
                        kind,
                        0.9,
                        "fake",
                        Action.REDACT,
                        Reason.OTHER_PUPIL,
                    )
                )
        for m in re.finditer(r"Amelia Okafor", text):
            found.append(
                Finding(
                    m.start(),
                    m.end(),
                    m.group(),
                    "PERSON",
                    0.9,
                    "fake",
                    Action.KEEP,
                    Reason.SUBJECT,
                )
            )
        found.sort(key=lambda f: (f.start, -f.end))
        out: list[Finding] = []
        for f in found:
            if not out or f.start >= out[-1].end:
                out.append(f)
        return out

    def analyse_many(self, texts: Sequence[str]) -> list[list[Finding]]:
        self.calls += 1
        return [self.analyse(t) for t in texts]

    def redact_spans(self, text: str) -> list[Finding]:
        return [f for f in self.analyse(text) if f.action == Action.REDACT]

    def third_party_terms(self) -> list[str]:
        return list(self.third)


BODY = (
    "Behaviour note for Amelia Okafor (UPN A123456789012).\n"
    "At break Jake Whitfield pushed Amelia; Mrs Price spoke to both pupils.\n"
)


def pdf_with_hidden_places(name: str = THIRD) -> bytes:
    """A PDF with the third party in every place rule 18 lists."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "Behaviour note for Amelia Okafor (UPN A123456789012).")
    page.insert_text((72, 90), f"At break {name} pushed Amelia; Mrs Price spoke to both.")
    ocg = doc.add_ocg("Hidden notes", on=False)
    page.insert_text((72, 140), f"Hidden layer: {name} was involved", oc=ocg)
    page.add_text_annot((400, 300), f"Comment: call {name}'s dad")
    page.add_freetext_annot(pymupdf.Rect(72, 400, 400, 430), f"Sticky: {name} again")
    widget = pymupdf.Widget()
    widget.field_name = "other_pupil"
    widget.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
    widget.rect = pymupdf.Rect(72, 500, 300, 520)
    widget.field_value = name
    page.add_widget(widget)
    page.insert_link(
        {
            "kind": pymupdf.LINK_URI,
            "from": pymupdf.Rect(72, 600, 200, 620),
            "uri": f"mailto:{THIRD_EMAIL}",
        }
    )
    page.insert_link(
        {
            "kind": pymupdf.LINK_URI,
            "from": pymupdf.Rect(72, 640, 200, 660),
            "uri": "https://www.gov.uk/",
        }
    )
    doc.set_toc([[1, f"Incident with {name}", 1], [1, "Amelia Okafor record", 1]])
    doc.embfile_add("witness.txt", f"Witness statement by {name}.".encode(), filename="witness.txt")
    doc.set_metadata({"author": name, "title": f"Note about {name}", "subject": name})
    doc.set_xml_metadata(
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/"
        f"02/22-rdf-syntax-ns#'><rdf:Description>{name}</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    data = doc.tobytes()
    doc.close()
    return data


def text_png(lines: Sequence[str], *, exif_author: str | None = None) -> bytes:
    """A PNG (or JPEG with EXIF when ``exif_author`` is given) showing lines of text."""
    image = Image.new("RGB", (1400, 120 + 70 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((40, 40 + 70 * i), line, fill="black", font_size=40)
    buffer = io.BytesIO()
    if exif_author:
        exif = Image.Exif()
        exif[0x013B] = exif_author  # Artist
        exif[0x010E] = f"Photo of {exif_author}"  # ImageDescription
        image.save(buffer, "JPEG", exif=exif.tobytes(), quality=95)
    else:
        image.save(buffer, "PNG")
    return buffer.getvalue()


def scanned_pdf(lines: Sequence[str]) -> bytes:
    """A PDF page that is only an image of text, as a scanner makes."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_image(page.rect, stream=text_png(lines))
    data = doc.tobytes()
    doc.close()
    return data


def docx_with_hidden_places(name: str = THIRD) -> bytes:
    """A DOCX with the third party in the body (split across runs), a table, header,
    footer, a comment, core properties and a tracked deletion."""
    document = docx.Document()
    document.core_properties.author = name
    document.core_properties.last_modified_by = name
    document.core_properties.title = f"Notes on {name}"
    document.core_properties.comments = f"Ask {name}"
    document.add_paragraph("Behaviour note for Amelia Okafor (UPN A123456789012).")
    para = document.add_paragraph("At break ")
    first, last = name.split(" ", 1)
    para.add_run(first[:2]).bold = True
    para.add_run(first[2:] + " ")
    para.add_run(last).italic = True
    para.add_run(" pushed Amelia; Mrs Price spoke to both pupils.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Pupil"
    table.cell(0, 1).text = "Witness"
    table.cell(1, 0).text = "Amelia Okafor"
    table.cell(1, 1).text = name
    section = document.sections[0]
    section.header.paragraphs[0].text = f"Confidential: {name}"
    section.footer.paragraphs[0].text = f"Prepared about {name}"
    commented = document.add_paragraph("Follow-up agreed.")
    document.add_comment(commented.runs[0], text=f"Check with {name}", author=name, initials="JW")
    deleted = document.add_paragraph("Final version.")
    _tracked_delete(deleted, f" Earlier draft blamed {name}.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _tracked_delete(paragraph: object, text: str) -> None:
    """Append a tracked deletion (w:del with w:delText) to a paragraph."""
    deletion = OxmlElement("w:del")
    deletion.set(qn("w:id"), "99")
    deletion.set(qn("w:author"), THIRD)
    deletion.set(qn("w:date"), "2026-01-01T00:00:00Z")
    run = OxmlElement("w:r")
    del_text = OxmlElement("w:delText")
    del_text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    del_text.text = text
    run.append(del_text)
    deletion.append(run)
    paragraph._p.append(deletion)  # type: ignore[attr-defined]


def docx_xml_text(data: bytes) -> str:
    """Every XML part of a DOCX, decoded, for grepping."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(
            archive.read(n).decode("utf-8", "replace")
            for n in archive.namelist()
            if n.endswith((".xml", ".rels"))
        )


def eml_with_attachments(name: str = THIRD, *, extra: Sequence[tuple[str, bytes]] = ()) -> bytes:
    """An email from a parent about the pupil, quoting an earlier reply, with attachments."""
    message = EmailMessage(policy=email.policy.default)
    message["From"] = f"{name} <{THIRD_EMAIL}>"
    message["To"] = "Mrs Helen Price <h.price@school.example>"
    message["Cc"] = "Grace Okafor <grace.okafor@example.org>"
    message["Subject"] = f"Amelia Okafor and {name}"
    message["Date"] = "Mon, 02 Mar 2026 09:15:00 +0000"
    message["Received"] = "from mail.example.com (host-of-jake)"
    message.set_content(
        "Dear Mrs Price,\n\nAmelia Okafor told me about break time.\n\n"
        f"Regards,\n{name}\n{THIRD_PHONE}\n\n"
        f"> On Friday Mrs Price wrote:\n> {name} will see the head on Monday.\n"
    )
    message.add_alternative(f"<p>Amelia Okafor ... <!-- {name} --></p>", subtype="html")
    message.add_attachment(
        pdf_with_hidden_places(name),
        maintype="application",
        subtype="pdf",
        filename=f"{name} statement.pdf",
    )
    message.add_attachment(
        f"Notes: {name} and Amelia Okafor.\n".encode(),
        maintype="text",
        subtype="plain",
        filename="notes.txt",
    )
    for filename, data in extra:
        message.add_attachment(
            data, maintype="application", subtype="octet-stream", filename=filename
        )
    return message.as_bytes()


def pdf_text_everywhere(data: bytes) -> str:
    """Everything a reader or a tool can get out of a PDF, joined: page text (with every
    layer shown), annotations, fields, links, outline, metadata, XMP, embedded files,
    and the file itself with every stream decompressed."""
    doc = pymupdf.open(stream=data, filetype="pdf")
    cat = doc.pdf_catalog()
    doc.xref_set_key(cat, "OCProperties", "null")  # show hidden layers, if any survived
    parts: list[str] = []
    for page in doc.pages():
        parts.append(page.get_text())
        parts += [str(a.info) for a in page.annots()]
        parts += [f"{w.field_name}={w.field_value}" for w in page.widgets()]
        parts += [str(link) for link in page.get_links()]
    parts += [str(e) for e in doc.get_toc(simple=False)]
    parts.append(str(doc.metadata))
    parts.append(doc.get_xml_metadata())
    for n in doc.embfile_names():
        parts.append(str(doc.embfile_info(n)))
        parts.append(doc.embfile_get(n).decode("latin-1"))
    parts.append(doc.tobytes(expand=255, garbage=1).decode("latin-1"))
    doc.close()
    return "\n".join(parts)


def flat(text: str) -> str:
    """Collapse whitespace so names broken over lines still match."""
    return re.sub(r"\s+", " ", text)


def page_spans(page: pymupdf.Page) -> list[dict]:
    """Every text span of ``page`` with its size, colour and box (``get_text("dict")``)."""
    return [
        span
        for block in page.get_text("dict")["blocks"]
        if block["type"] == 0
        for line in block["lines"]
        for span in line["spans"]
    ]
