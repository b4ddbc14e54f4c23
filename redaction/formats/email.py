"""True removal from emails (EML): headers, bodies, quoted replies, signatures, attachments.

The output of ``as_pdf=False`` is a new, minimal ``.eml``: only the headers a reader
needs (From, To, Cc, Reply-To, Sender, Date, Subject; never Received or X- headers, which
carry hosts and addresses), a plain-text body (an HTML-only message is converted to
text, so hidden HTML, comments and tracking images go), and each attachment redacted
recursively under a redacted name. With ``as_pdf=True`` the email becomes a PDF page
followed by its attachments as PDFs. An attachment that cannot be processed is left
out with a clear warning, and a note in the body says so; the rest still goes through.

Quoted replies are analysed without their ``>`` markers, so the same quoted text in
every message of a thread is one identical text for the detector's cache.
"""

from __future__ import annotations

import contextlib
import email
import email.errors
import email.policy
import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from html.parser import HTMLParser

from ..errors import CorruptDocument, DocumentError
from ..limits import check_time, count_attachments
from ..report import DetectorLike, Outcome
from .text import (
    MAX_ROUNDS,
    UnitResult,
    kept_records,
    redact_units,
    render_pdf,
    safe_filename,
    unit_records,
)

KEPT_HEADERS = ("From", "Sender", "Reply-To", "To", "Cc", "Date", "Subject")
ADDRESS_HEADERS = {"From", "Sender", "Reply-To", "To", "Cc"}
_EMPTY_GROUP = re.compile(r'"([^"]*)": ;')
_QUOTE = re.compile(r"^((?:[ \t]*>)+)[ \t]?")
# What the email package raises on a header it cannot parse or write ("From: <>").
_HEADER_ERRORS = (ValueError, TypeError, IndexError, email.errors.MessageError)
# nested(data, filename, as_pdf) -> (bytes, output name, outcome) for one attachment.
Nested = Callable[[bytes, str, bool], tuple[bytes, str, Outcome]]


class _HtmlText(HTMLParser):
    """HTML to readable text: block elements start lines; script and style are dropped."""

    BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "blockquote", "table"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    parser = _HtmlText()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+\n", "\n", text)).strip()


@dataclass
class Block:
    """Consecutive body lines at one quote depth, analysed without their markers."""

    depth: int
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def render(self, text: str) -> str:
        prefix = "> " * self.depth
        return "\n".join(prefix + line if self.depth else line for line in text.split("\n"))


def quote_blocks(body: str) -> list[Block]:
    blocks: list[Block] = []
    for line in body.replace("\r\n", "\n").split("\n"):
        match = _QUOTE.match(line)
        depth = match.group(1).count(">") if match else 0
        content = line[match.end() :] if match else line
        if not blocks or blocks[-1].depth != depth:
            blocks.append(Block(depth))
        blocks[-1].lines.append(content)
    return blocks


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError) as exc:
        raise CorruptDocument(f"the email body cannot be decoded ({exc})") from exc
    if not isinstance(content, str):
        return ""
    return html_to_text(content) if part.get_content_subtype() == "html" else content


def _attachments(message: EmailMessage) -> list[tuple[str, bytes]]:
    found: list[tuple[str, bytes]] = []
    for n, part in enumerate(message.iter_attachments(), start=1):
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            inner = part.get_payload()
            inner_msg = inner[0] if isinstance(inner, list) else inner
            data = inner_msg.as_bytes() if hasattr(inner_msg, "as_bytes") else b""
            name = part.get_filename() or f"attached-message-{n}.eml"
        else:
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
            ext = mimetypes.guess_extension(ctype) or ".bin"
            name = part.get_filename() or f"attachment-{n}{ext}"
        found.append((name.replace("/", "_").replace("\\", "_"), data))
    return found


@dataclass
class HeaderUnit:
    """One header value, or one address's display name or address part."""

    header: str
    slot: int  # which header line of the message (a name may repeat)
    index: int  # address position in the header, -1 for a plain header
    part: str  # "name", "addr" or "value"
    text: str


def header_units(message: EmailMessage) -> list[HeaderUnit]:
    units: list[HeaderUnit] = []
    slot = 0
    for name in KEPT_HEADERS:
        try:
            values = list(message.get_all(name, []))
        except _HEADER_ERRORS:
            continue  # an unparseable header is dropped, never copied through unread
        for value in values:
            slot += 1
            addresses = getattr(value, "addresses", None) if name in ADDRESS_HEADERS else None
            if addresses:
                for i, addr in enumerate(addresses):
                    units.append(HeaderUnit(name, slot, i, "name", _clean(addr.display_name)))
                    units.append(HeaderUnit(name, slot, i, "addr", _clean(addr.addr_spec)))
            else:
                units.append(HeaderUnit(name, slot, -1, "value", _clean(str(value))))
    return units


def _clean(text: str | None) -> str:
    """Header text as real characters: raw 8-bit bytes in a header (not RFC 2047 encoded)
    reach us as surrogate escapes, which analysis misreads and the writer cannot encode."""
    try:
        raw = (text or "").encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that is not an escaped byte
        raw = (text or "").encode("utf-8", "replace")
    return raw.decode("utf-8", "replace")


def rebuild_headers(
    units: list[HeaderUnit], results: list[UnitResult], label: str
) -> list[tuple[str, str]]:
    """Redacted header lines; a redacted address becomes an empty group (``"name": ;``),
    which mail programs show as just the name and which holds no address at all."""
    slots: dict[int, tuple[str, dict[int, dict[str, str]]]] = {}
    for unit, result in zip(units, results, strict=True):
        text = "" if unit.part == "addr" and result.removed else result.text
        header, addresses = slots.setdefault(unit.slot, (unit.header, {}))
        addresses.setdefault(unit.index, {})[unit.part] = text
    lines: dict[str, list[str]] = {}
    for header, addresses in slots.values():
        shown = [_address(parts, label) for _, parts in sorted(addresses.items())]
        if header in lines and header not in ADDRESS_HEADERS:
            continue  # a second Subject or Date: a message may only have one
        lines.setdefault(header, []).extend(shown)  # repeated To/Cc lines become one
    return [(header, ", ".join(values)) for header, values in lines.items()]


def _address(parts: dict[str, str], label: str) -> str:
    if "value" in parts:
        return parts["value"]
    name, addr = parts.get("name", ""), parts.get("addr", "")
    if addr:
        # "<>" (the null sender of bounces) and other addresses the parser read but
        # cannot write back become an empty group: the name stays, no address does.
        with contextlib.suppress(*_HEADER_ERRORS):
            return str(Address(display_name=name, addr_spec=addr))
    return '"{}": ;'.format((name or f"[{label}]").replace("\\", "").replace('"', "'"))


def redact_eml(
    data: bytes,
    filename: str,
    detector: DetectorLike,
    label: str,
    nested: Nested,
    *,
    as_pdf: bool = False,
    title: str | None = None,
) -> Outcome:
    """Redact an email and its attachments; see the module docstring for the output."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    if not message.keys():
        raise CorruptDocument(f"{filename} has no email headers; it is not an email")
    headers = header_units(message)
    blocks = quote_blocks(_body_text(message))
    attachments = _attachments(message)
    count_attachments(len(attachments))
    texts = [u.text for u in headers] + [b.text for b in blocks] + [n for n, _ in attachments]
    results = redact_units(texts, detector, label, rounds=1 if as_pdf else MAX_ROUNDS)
    out = Outcome(b"", "message/rfc822", ".eml")
    for result in results:
        removed, review = unit_records(result, filename)
        out.records += removed
        out.review += review
        out.kept += kept_records(result, filename)
    header_lines = rebuild_headers(headers, results[: len(headers)], label)
    body_results = results[len(headers) : len(headers) + len(blocks)]
    body = "\n".join(b.render(r.text) for b, r in zip(blocks, body_results, strict=True))
    names = [r.text for r in results[len(headers) + len(blocks) :]]
    parts = attach(attachments, names, nested, as_pdf, filename, out)
    if any(p is None for p in parts):
        body += "\n\n" + "\n".join(w for w in out.warnings if "attachment" in w)
    if as_pdf:
        # An empty group ("[Third party]": ;) reads as just its name on paper.
        head = "\n".join(h + ": " + _EMPTY_GROUP.sub(r"\1", v) for h, v in header_lines)
        sections = [("", head), ("", body)]
        listing = [n for n, p in zip(names, parts, strict=True) if p is not None]
        if listing:
            sections.append(("Attachments (follow this page)", "\n".join(listing)))
        from .pdf.compose import merge_pdfs

        rendered = render_pdf(sections, title=title)
        out.content, out.pages = merge_pdfs([rendered] + [p[0] for p in parts if p is not None])
        out.media_type, out.extension = "application/pdf", ".pdf"
        return out
    out.content = build_eml(header_lines, body, [p for p in parts if p is not None])
    out.pages = 1 + sum(1 for p in parts if p is not None)
    return out


def attach(
    attachments: list[tuple[str, bytes]],
    names: list[str],
    nested: Nested,
    as_pdf: bool,
    filename: str,
    out: Outcome,
) -> list[tuple[bytes, str, str] | None]:
    """Redact each attachment; a failure becomes a warning and ``None``, never an abort."""
    parts: list[tuple[bytes, str, str] | None] = []
    for position, ((raw_name, content), safe_name) in enumerate(
        zip(attachments, names, strict=True), start=1
    ):
        # The redacted name is used from here on, so no warning or error repeats a name.
        shown = safe_filename(safe_name, raw_name) or f"attachment-{position}"
        check_time()  # outside the try: over time fails the email, not one attachment
        try:
            data, out_name, inner = nested(content, shown, as_pdf)
        except DocumentError as exc:
            out.warnings.append(
                f"{filename}: attachment {position} ({shown}) could not be processed: {exc.reason}"
            )
            parts.append(None)
            continue
        parts.append((data, out_name, inner.media_type))
        out.absorb(inner)
    return parts


def build_eml(
    headers: list[tuple[str, str]], body: str, parts: list[tuple[bytes, str, str]]
) -> bytes:
    message = EmailMessage()
    for name, value in headers:
        # A value the email library cannot write is left out, never written raw.
        with contextlib.suppress(*_HEADER_ERRORS):
            message[name] = value
    message.set_content(body)
    for data, name, media_type in parts:
        if media_type == "message/rfc822":
            inner = email.message_from_bytes(data, policy=email.policy.default)
            message.add_attachment(inner, filename=name)
            continue
        maintype, _, subtype = media_type.partition("/")
        message.add_attachment(
            data, maintype=maintype, subtype=subtype or "octet-stream", filename=name
        )
    return message.as_bytes()


def readback(data: bytes) -> list[tuple[str, str]]:
    """Headers, body and attachment names of an output EML, for the leak check."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    places = [(f"header {k}", str(v)) for k, v in message.items()]
    places.append(("body", _body_text(message)))
    places += [(f"attachment {i}", n) for i, (n, _) in enumerate(_attachments(message), 1)]
    return [p for p in places if p[1].strip()]
