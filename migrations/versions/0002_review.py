"""The review workbench (issue 8): the DPO's and DSL's decisions, and the school's lists.

Revision ID: 0002_review
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_review"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pp_review_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("page", sa.Integer(), nullable=True),
        sa.Column("rect", sa.JSON(), nullable=True),
        sa.Column("reason_code", sa.String(length=60), nullable=False),
        sa.Column("reason_text", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=False),
        sa.Column("decided_by_name", sa.String(length=200), nullable=False),
        sa.Column("decided_role", sa.String(length=20), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.Column("undone_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["pp_document.id"],
            name=op.f("fk_pp_review_decision_document_id_pp_document"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["pp_request.id"],
            name=op.f("fk_pp_review_decision_request_id_pp_request"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pp_review_decision")),
    )
    with op.batch_alter_table("pp_review_decision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pp_review_decision_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_pp_review_decision_request_id"), ["request_id"], unique=False
        )
    op.create_table(
        "pp_school_term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list", sa.String(length=10), nullable=False),
        sa.Column("term", sa.String(length=300), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("added_by", sa.String(length=100), nullable=False),
        sa.Column("added_by_name", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pp_school_term")),
        sa.UniqueConstraint("list", "term", name=op.f("uq_pp_school_term_list")),
    )


def downgrade() -> None:
    op.drop_table("pp_school_term")
    with op.batch_alter_table("pp_review_decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pp_review_decision_request_id"))
        batch_op.drop_index(batch_op.f("ix_pp_review_decision_document_id"))
    op.drop_table("pp_review_decision")
