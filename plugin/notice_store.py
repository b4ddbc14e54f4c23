"""The privacy notices: versions per audience, acknowledgements, coverage, the changes
between versions, and a safe HTML rendering of the text.

Each audience (parents, pupils, staff: :class:`~pupil_privacy.worker.notice.audience.Audience`)
has its own numbered versions, never edited, only superseded. The parents' default notice
ships with the worker (``pupil_privacy.worker.notice.default_notice_text``) and becomes their
version 1 the first time anyone opens the tab; the pupils' and the staff's notices exist once
the DPO (or the host, with :func:`seed_notice`) publishes them.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pupil_privacy.redaction.errors import PupilPrivacyError
from pupil_privacy.worker.mis import MISUser, UserRole
from pupil_privacy.worker.models import NoticeAcknowledgement, NoticeVersion, utcnow
from pupil_privacy.worker.notice import default_notice_text, lint_notice
from pupil_privacy.worker.notice.audience import Audience

DEFAULT_TITLE = "Privacy notice for parents/carers"


def _latest(session: Session, audience: Audience) -> NoticeVersion | None:
    query = select(NoticeVersion).where(NoticeVersion.audience == audience.value)
    return session.scalars(query.order_by(NoticeVersion.version.desc()).limit(1)).first()


def current_notice(session: Session) -> NoticeVersion:
    """The parents' newest version, seeding the shipped default as version 1 on first use."""
    latest = _latest(session, Audience.PARENTS)
    if latest is not None:
        return latest
    try:
        seeded = _new_version(
            session, default_notice_text(), DEFAULT_TITLE, None, None, 1, Audience.PARENTS
        )
        session.commit()
        return seeded
    except IntegrityError:
        # Another request seeded it at the same moment: theirs is as good as ours.
        session.rollback()
        return current_notice(session)


def current_for(session: Session, audience: Audience) -> NoticeVersion | None:
    """The audience's newest version; None while the school has published none for them
    (nobody is then asked to acknowledge another audience's notice instead)."""
    if audience is Audience.PARENTS:
        return current_notice(session)
    return _latest(session, audience)


def seed_notice(
    session: Session,
    body: str,
    title: str | None = None,
    audience: Audience = Audience.PARENTS,
) -> NoticeVersion:
    """Make ``body`` the audience's version 1 when nothing is published for them yet (a host
    that ships its own notice instead of the default); otherwise leave their versions alone."""
    latest = _latest(session, audience)
    if latest is not None:
        return latest
    title = title or (DEFAULT_TITLE if audience is Audience.PARENTS else audience.default_title)
    seeded = _new_version(session, body, title, "seed", "the school's own notice", 1, audience)
    session.commit()
    return seeded


def _new_version(
    session: Session,
    body: str,
    title: str,
    published_by: str | None,
    change_summary: str | None,
    version: int,
    audience: Audience,
) -> NoticeVersion:
    notice = NoticeVersion(
        audience=audience.value,
        version=version,
        title=title,
        body=body,
        sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        published_at=utcnow(),
        published_by=published_by,
        change_summary=change_summary,
    )
    session.add(notice)
    session.flush()
    return notice


def publish_notice(
    session: Session,
    *,
    body: str,
    title: str,
    published_by: str,
    change_summary: str,
    audience: Audience = Audience.PARENTS,
) -> NoticeVersion:
    """Publish ``body`` as the audience's next version; they are asked to acknowledge it."""
    current_for(session, audience)  # the parents' default is version 1 before any other
    top = (
        session.scalar(
            select(func.max(NoticeVersion.version)).where(NoticeVersion.audience == audience.value)
        )
        or 0
    )
    try:
        return _new_version(session, body, title, published_by, change_summary, top + 1, audience)
    except IntegrityError:
        session.rollback()
        raise PupilPrivacyError(
            f"Someone else published version {top + 1} at the same moment. Reload the page, "
            "read their version, and publish again if yours is still needed."
        ) from None


def versions(session: Session, audience: Audience = Audience.PARENTS) -> list[NoticeVersion]:
    """The audience's versions, newest first."""
    query = select(NoticeVersion).where(NoticeVersion.audience == audience.value)
    return list(session.scalars(query.order_by(NoticeVersion.version.desc())))


def version_of(session: Session, audience: Audience, version: int) -> NoticeVersion | None:
    query = select(NoticeVersion).where(
        NoticeVersion.audience == audience.value, NoticeVersion.version == version
    )
    return session.scalars(query).first()


#: The MIS roles whose users read each audience's notice.
AUDIENCE_ROLES = {
    Audience.PARENTS: (UserRole.PARENT,),
    Audience.PUPILS: (UserRole.PUPIL,),
    Audience.STAFF: (UserRole.STAFF, UserRole.DPO, UserRole.DSL, UserRole.ADMIN),
}


@dataclass(frozen=True)
class Coverage:
    """Who has read an audience's current notice. ``not_read`` is None when the MIS adapter
    cannot list its users (it lacks the optional ``users_with_role``)."""

    audience: Audience
    notice: NoticeVersion | None
    read: int
    not_read: list[MISUser] | None


def coverage(
    session: Session, mis: object, audience: Audience, school_id: str | None = None
) -> Coverage:
    """How many have acknowledged the audience's current version, and who has not."""
    notice = current_for(session, audience)
    if notice is None:
        return Coverage(audience, None, 0, [])
    read_ids = set(
        session.scalars(
            select(NoticeAcknowledgement.user_id).where(
                NoticeAcknowledgement.notice_version_id == notice.id
            )
        )
    )
    lister = getattr(mis, "users_with_role", None)
    if not callable(lister):
        return Coverage(audience, notice, len(read_ids), None)
    people: dict[str, MISUser] = {}
    for role in AUDIENCE_ROLES[audience]:
        people.update((u.id, u) for u in lister(role, school_id))
    not_read = sorted((u for u in people.values() if u.id not in read_ids), key=lambda u: u.name)
    return Coverage(audience, notice, len(people) - len(not_read), not_read)


@dataclass(frozen=True)
class DiffLine:
    """A line of the changes between two versions: ``kind`` is "same", "added" or "removed"."""

    kind: str
    text: str


def diff_versions(old: str, new: str, context: int = 2) -> list[DiffLine]:
    """The lines that changed from ``old`` to ``new``, with ``context`` unchanged lines
    around each change (a line of "..." stands for the unchanged lines left out)."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    out: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if out:
            out.append(DiffLine("gap", "..."))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(DiffLine("same", line) for line in old_lines[i1:i2])
                continue
            out.extend(DiffLine("removed", line) for line in old_lines[i1:i2])
            out.extend(DiffLine("added", line) for line in new_lines[j1:j2])
    return out


def changed_lines(lines: Sequence[DiffLine]) -> int:
    return sum(1 for line in lines if line.kind in ("added", "removed"))


def has_acknowledged(session: Session, user_id: str, notice: NoticeVersion) -> bool:
    return (
        session.scalar(
            select(NoticeAcknowledgement.id).where(
                NoticeAcknowledgement.user_id == user_id,
                NoticeAcknowledgement.notice_version_id == notice.id,
            )
        )
        is not None
    )


def acknowledge(session: Session, user_id: str, notice: NoticeVersion) -> None:
    """Record that ``user_id`` has read this version (once per user per version)."""
    if has_acknowledged(session, user_id, notice):
        return
    session.add(
        NoticeAcknowledgement(
            notice_version_id=notice.id, user_id=user_id, acknowledged_at=utcnow()
        )
    )


@dataclass(frozen=True)
class LintFinding:
    """A finding from the notice checker, in a shape the template can show."""

    severity: str
    message: str
    excerpt: str | None = None


def lint(body: str, *, maintained_school: bool) -> list[LintFinding]:
    """Run the notice checker (``pupil_privacy.worker.notice.lint_notice``).

    :param maintained_school: which statutory rights the notice must mention (rule 4).
    :returns: the findings, worst first as the checker orders them.
    """
    school_type = "maintained" if maintained_school else "academy"
    return [_finding(issue) for issue in lint_notice(body, school_type=school_type)]


def _finding(issue: Any) -> LintFinding:
    severity = getattr(issue, "severity", "warning")
    rule = getattr(issue, "rule", None)
    message = str(getattr(issue, "message", issue))
    return LintFinding(
        severity=str(getattr(severity, "value", severity)),
        message=f"{message} ({rule})" if rule else message,
        excerpt=getattr(issue, "excerpt", None),
    )


_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")
_URL = re.compile(r"&lt;(https?://[^&\s]+)&gt;")


def _inline(text: str) -> str:
    html = str(escape(text))
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    html = _LINK.sub(lambda m: _link(m.group(1), m.group(2)), html)
    return _URL.sub(lambda m: _link(m.group(1), m.group(1)), html)


def _link(label: str, href: str) -> str:
    if href.startswith(("http://", "https://")):
        return f'<a href="{href}" rel="noopener">{label}</a>'
    return label  # placeholder links ("#") in the template notice: keep the words only


def _is_heading(line: str, following_blank: bool) -> bool:
    return (
        following_blank
        and len(line) < 80
        and not line.startswith("- ")
        and not line.rstrip().endswith((".", ":", ","))
    )


def render_notice(body: str) -> Markup:
    """The notice text as HTML: headings, paragraphs, bullet lists, bold and real links.

    Everything is escaped first, so a published notice can never inject markup.
    """
    lines = body.splitlines()
    out: list[str] = []
    in_list = False
    for index, raw in enumerate(lines):
        line = raw.strip()
        if line.startswith("- "):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{_inline(line[2:])}</li>")
            continue
        if in_list and line:
            out.append("</ul>")
            in_list = False
        if not line:
            continue
        following_blank = index + 1 >= len(lines) or not lines[index + 1].strip()
        if _is_heading(line, following_blank):
            out.append(f"<h2>{_inline(line)}</h2>")  # under the page's <h1>: no level skipped
        else:
            out.append(f"<p>{_inline(line)}</p>")
    if in_list:
        out.append("</ul>")
    return Markup("\n".join(out))


def summary(body: str, limit: int = 8) -> list[str]:
    """The notice's section headings (three words or more), for the tab's landing page."""
    lines = body.splitlines()
    heads = [
        line.strip()
        for i, line in enumerate(lines)
        if len(line.split()) >= 3
        and _is_heading(line.strip(), i + 1 >= len(lines) or not lines[i + 1].strip())
    ]
    return heads[:limit]
