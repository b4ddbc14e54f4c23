"""Schools (tenants), the requester's role, requests from every channel (issue 10).

Adds to pp_request: school_id, requester_role, requester_contact, logged_by,
may_not_act_reason, identity_evidence. Existing rows keep NULL: a single-school host has no
school key, and an old request's requester role is read from the MIS when needed.

Revision ID: 0003_schools
Revises: 0002_review
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_schools"
down_revision: str | None = "0002_review"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    ("school_id", sa.String(length=100)),
    ("requester_role", sa.String(length=20)),
    ("requester_contact", sa.Text()),
    ("logged_by", sa.String(length=100)),
    ("may_not_act_reason", sa.Text()),
    ("identity_evidence", sa.Text()),
)


def upgrade() -> None:
    # batch mode: SQLite cannot ALTER a table in place.
    with op.batch_alter_table("pp_request") as batch:
        for name, type_ in _COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
        batch.create_index(batch.f("ix_pp_request_school_id"), ["school_id"])


def downgrade() -> None:
    with op.batch_alter_table("pp_request") as batch:
        batch.drop_index(batch.f("ix_pp_request_school_id"))
        for name, _ in reversed(_COLUMNS):
            batch.drop_column(name)
