"""The privacy notice: versions, acknowledgements, and a safe HTML rendering of its text.

Versions are never edited, only superseded. The default notice ships with the worker
(``pupil_privacy.worker.notice.default_notice_text``) and becomes version 1 the first time
anyone opens the tab.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pupil_privacy.redaction.errors import PupilPrivacyError
from pupil_privacy.worker.models import NoticeAcknowledgement, NoticeVersion, utcnow
from pupil_privacy.worker.notice import default_notice_text, lint_notice

DEFAULT_TITLE = "Privacy notice for parents/carers"


def current_notice(session: Session) -> NoticeVersion:
    """The newest published version, seeding the shipped default as version 1 on first use."""
    latest = session.scalars(
        select(NoticeVersion).order_by(NoticeVersion.version.desc()).limit(1)
    ).first()
    if latest is not None:
        return latest
    try:
        seeded = _new_version(session, default_notice_text(), DEFAULT_TITLE, None, None, 1)
        session.commit()
        return seeded
    except IntegrityError:
        # Another request seeded it at the same moment: theirs is as good as ours.
        session.rollback()
        return session.scalars(select(NoticeVersion).order_by(NoticeVersion.version.desc())).one()


def seed_notice(session: Session, body: str, title: str = DEFAULT_TITLE) -> NoticeVersion:
    """Make ``body`` version 1 when nothing is published yet (a host that ships its own notice
    instead of the default); otherwise leave the published versions alone."""
    latest = session.scalars(select(NoticeVersion).limit(1)).first()
    if latest is not None:
        return current_notice(session)
    seeded = _new_version(session, body, title, "seed", "the school's own notice", 1)
    session.commit()
    return seeded


def _new_version(
    session: Session,
    body: str,
    title: str,
    published_by: str | None,
    change_summary: str | None,
    version: int,
) -> NoticeVersion:
    notice = NoticeVersion(
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
    session: Session, *, body: str, title: str, published_by: str, change_summary: str
) -> NoticeVersion:
    """Publish ``body`` as the next version. Everyone is asked to acknowledge it again."""
    current = current_notice(session)
    top = session.scalar(select(func.max(NoticeVersion.version))) or current.version
    try:
        return _new_version(session, body, title, published_by, change_summary, top + 1)
    except IntegrityError:
        session.rollback()
        raise PupilPrivacyError(
            f"Someone else published version {top + 1} at the same moment. Reload the page, "
            "read their version, and publish again if yours is still needed."
        ) from None


def versions(session: Session) -> list[NoticeVersion]:
    return list(session.scalars(select(NoticeVersion).order_by(NoticeVersion.version.desc())))


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
