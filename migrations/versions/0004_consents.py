"""Consents, the youth support limit, notices per audience (issue 12).

Adds pp_consent_decision (rule 21, rule 22) and pp_youth_support_choice (rule 9): append-only
histories whose newest row per person counts. pp_notice_version gains ``audience`` (parents,
pupils, staff): existing versions were the parents' notice, so they keep that audience, and a
version number is now unique per audience.

Revision ID: 0004_consents
Revises: 0003_schools
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_consents"
down_revision: str | None = "0003_schools"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _decision_columns() -> list[sa.Column[object]]:
    """Who decided, as both histories record it."""
    return [
        sa.Column("decided_by", sa.String(length=100), nullable=False),
        sa.Column("decided_role", sa.String(length=20), nullable=False),
        sa.Column("decided_by_name", sa.String(length=200), nullable=False),
        sa.Column("relationship", sa.String(length=40), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
    ]


def _history_table(name: str, *columns: sa.Column[object]) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.String(length=100), nullable=True),
        sa.Column("pupil_id", sa.String(length=100), nullable=False),
        *columns,
        *_decision_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )
    with op.batch_alter_table(name) as batch:
        batch.create_index(batch.f(f"ix_{name}_school_id"), ["school_id"])
        batch.create_index(batch.f(f"ix_{name}_pupil_id"), ["pupil_id"])


def upgrade() -> None:
    _history_table(
        "pp_consent_decision",
        sa.Column("purpose", sa.String(length=60), nullable=False),
        sa.Column("choice", sa.String(length=20), nullable=False),
    )
    _history_table("pp_youth_support_choice", sa.Column("limited", sa.Boolean(), nullable=False))
    # batch mode: SQLite cannot ALTER a table's constraints in place.
    with op.batch_alter_table("pp_notice_version") as batch:
        batch.add_column(
            sa.Column("audience", sa.String(length=20), nullable=False, server_default="parents")
        )
        batch.drop_constraint("uq_pp_notice_version_version", type_="unique")
        batch.create_unique_constraint(
            batch.f("uq_pp_notice_version_audience"), ["audience", "version"]
        )


def downgrade() -> None:
    with op.batch_alter_table("pp_notice_version") as batch:
        batch.drop_constraint("uq_pp_notice_version_audience", type_="unique")
        batch.create_unique_constraint("uq_pp_notice_version_version", ["version"])
        batch.drop_column("audience")
    for name in ("pp_youth_support_choice", "pp_consent_decision"):
        with op.batch_alter_table(name) as batch:
            batch.drop_index(batch.f(f"ix_{name}_pupil_id"))
            batch.drop_index(batch.f(f"ix_{name}_school_id"))
        op.drop_table(name)
