"""What goes into a request's pack: the documents in the requester's copy (and which are
left out under rule 14), the redaction schedule and the flags for the DPO's copy."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Redaction, RequestDocument, RightsRequest
from ..review import NOT_LISTED
from ..runtime import Runtime
from ..states import DocumentStatus, DslDecision
from .layout import UNNAMED, PackDocument, ScheduleRow
from .leakcheck import TitleCleaner
from .storage import StorageError, storage_for


class MissingOutput(Exception):
    """A document's stored redacted copy is gone: it must be redacted again."""

    def __init__(self, document_id: int) -> None:
        super().__init__(document_id)
        self.document_id = document_id


def pack_documents(
    runtime: Runtime, req: RightsRequest, cleaner: TitleCleaner
) -> list[tuple[RequestDocument, PackDocument]]:
    storage = storage_for(runtime)
    docs = [d for d in req.documents if not hidden_from_requester(d)]
    titles = cleaner.clean([d.title for d in docs])
    listing = runtime.settings.for_school(req.school_id).withheld_listing

    def loader(doc: RequestDocument) -> Callable[[], bytes]:
        def load() -> bytes:
            try:
                if doc.output_key is None:
                    raise StorageError("no stored copy")
                return storage.read(doc.output_key)
            except StorageError:
                raise MissingOutput(doc.id) from None

        return load

    out = []
    for doc, title in zip(docs, titles, strict=True):
        withheld = doc.status == DocumentStatus.WITHHELD or doc.dsl_decision == DslDecision.WITHHOLD
        status = DocumentStatus.WITHHELD if withheld else doc.status
        reason = withheld_under(doc) if withheld else doc.error
        out.append(
            (
                doc,
                PackDocument(
                    title=title or "Untitled record",
                    category=doc.category,
                    status=status,
                    created=doc.created_on,
                    source=doc.source,
                    reason=reason,
                    load=loader(doc) if status == DocumentStatus.DONE else None,
                    ref=str(doc.id),
                ),
            )
        )
    if listing:
        out += [(doc, unnamed(doc, listing)) for doc in req.documents if hidden_from_requester(doc)]
    return out


def unnamed(doc: RequestDocument, listing: str) -> PackDocument:
    """A record withheld under rule 14 as the requester's contents list it, when the DPO has
    chosen to list such records: the DPO's words alone, no title, date, source or category
    (any of them could tell a parent what the record is about)."""
    return PackDocument(
        title=listing, category=UNNAMED, status=DocumentStatus.WITHHELD, ref=str(doc.id)
    )


def hidden_from_requester(doc: RequestDocument) -> bool:
    """A safeguarding record the DSL withheld, or one that could not be processed (so the DSL
    never reviewed it), is left out of the requester's copy altogether: not even its title
    or a "withheld" line. Telling a parent that a child-abuse record exists can itself cause
    the harm the exemption prevents (DPA 2018 Sch 3 para 21, rule 14; the ICO accepts not
    saying an exemption is relied on when saying so would defeat it). The DPO's copy and the
    register record it. The same goes for any document the DPO withheld whole under rule 14
    on the review workbench (``review.NOT_LISTED``)."""
    if doc.status == DocumentStatus.WITHHELD and doc.error == NOT_LISTED:
        return True
    if not doc.needs_dsl_review:
        return False
    return doc.dsl_decision == DslDecision.WITHHOLD or doc.status in (
        DocumentStatus.FAILED,
        DocumentStatus.WITHHELD,
    )


def withheld_under(doc: RequestDocument) -> str:
    """Why a withheld document is not included, in plain words for the requester's contents
    (the DPO records it in ``error`` when withholding, e.g. serious harm, rule 13). Rule
    numbers are ours, not the family's: they stay in the DPO's copy."""
    reason = _RULE.sub("", doc.error or "").strip()
    reason = _WITHHELD.sub("", reason).strip()
    return reason or "an exemption in the Data Protection Act 2018, Schedule 3"


_RULE = re.compile(r"\s*\(rules? \d+(?:\s*(?:,|and)\s*\d+)*\)", re.IGNORECASE)
_WITHHELD = re.compile(r"^withheld(?:\s+under)?\s*:?\s*", re.IGNORECASE)


def schedule(session: Session, req: RightsRequest) -> tuple[int, Iterator[ScheduleRow]]:
    """The redaction schedule, counted, then streamed in batches (a big request has tens of
    thousands of rows: they are never all in memory at once)."""
    where = (RequestDocument.request_id == req.id, RequestDocument.status == DocumentStatus.DONE)
    count = session.scalar(
        select(func.count())
        .select_from(Redaction)
        .join(RequestDocument, Redaction.document_id == RequestDocument.id)
        .where(*where)
    )
    rows = session.execute(
        select(
            RequestDocument.title,
            Redaction.page,
            Redaction.entity_type,
            Redaction.reason,
            Redaction.detector,
            Redaction.score,
            Redaction.action,
            Redaction.text,
            Redaction.confirmed_by,
        )
        .join(RequestDocument, Redaction.document_id == RequestDocument.id)
        .where(*where)
        .order_by(RequestDocument.id, Redaction.page, Redaction.offset, Redaction.id)
        .execution_options(yield_per=500)
    )
    return int(count or 0), (ScheduleRow(*row) for row in rows)


def dpo_flags(runtime: Runtime, session: Session, req: RightsRequest) -> list[str]:
    """What the DPO must look at before release, one line each (the DPO copy's first page)."""
    rows = session.execute(
        select(Redaction.document_id, func.count())
        .join(RequestDocument, Redaction.document_id == RequestDocument.id)
        .where(RequestDocument.request_id == req.id, Redaction.action == "review")
        .group_by(Redaction.document_id)
    )
    review_counts = {int(doc_id): int(count) for doc_id, count in rows}
    listing = runtime.settings.for_school(req.school_id).withheld_listing
    flags: list[str] = []
    for doc in req.documents:
        if doc.status == DocumentStatus.FAILED:
            flags.append(f"{doc.title}: could not be processed: {doc.error}")
        if doc.dsl_decision:
            flags.append(
                f"{doc.title}: safeguarding lead decided to {doc.dsl_decision}: {doc.dsl_reason}"
            )
        if hidden_from_requester(doc):
            flags.append(f"{doc.title}: {_hidden_flag(listing)}")
        flags.extend(f"{doc.title}: {w}" for w in doc.warnings or ())
        reviews = review_counts.get(doc.id, 0)
        if reviews:
            flags.append(
                f"{doc.title}: {reviews} passage(s) flagged for your review "
                "(identifying context, rule 10)"
            )
    return flags


def _hidden_flag(listing: str) -> str:
    if listing:
        return (
            "left out of the requester's copy (rule 14); their contents list it only as "
            f'"{listing}", with no title, date or category'
        )
    return (
        "left out of the requester's copy (rule 14) and not listed there at all "
        "(PUPIL_PRIVACY_WITHHELD_LISTING is empty)"
    )
