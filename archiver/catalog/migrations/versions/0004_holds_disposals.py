"""Legal holds and the disposal register (销毁清单), kept permanently.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "holds",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("matter", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),  # documents | customer | contract
        sa.Column("target", sa.Text, nullable=False),  # JSON list of doc ids | customer id | contract number
        sa.Column("placed_at", sa.String(40), nullable=False),
        sa.Column("placed_by", sa.String(128), nullable=False),
        sa.Column("released_at", sa.String(40)),
        sa.Column("released_by", sa.String(128)),
        sa.Column("release_reason", sa.Text),
    )
    op.create_table(
        "disposals",
        sa.Column("document_id", sa.String(32), primary_key=True),
        sa.Column("original_name", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("sm3", sa.String(64)),
        sa.Column("doc_type", sa.String(32)),
        sa.Column("customer_id", sa.String(32)),
        sa.Column("customer_name", sa.Text),
        sa.Column("policy", sa.String(32), nullable=False),
        sa.Column("trigger", sa.Text),
        sa.Column("dispose_after", sa.String(10), nullable=False),
        sa.Column("disposed_at", sa.String(40), nullable=False),
        sa.Column("disposed_by", sa.String(128), nullable=False),
        sa.Column("batch", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("disposals")
    op.drop_table("holds")
