"""data lifecycle: the erasure ledger, retention's report-chain prunes and pruned screenshots

Revision ID: 3701
Revises: 3301
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

from kindshield_server.store.schema import UTCDateTime

revision = "3701"
down_revision = "3301"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "erasure_records",
        sa.Column("seq", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("received_at", sa.String(40), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("prev_sha256", sa.String(64), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_erasure_records"),
        sa.UniqueConstraint("id", name="uq_erasure_records_id"),
    )
    op.create_table(
        "report_chain_prunes",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("through_seq", sa.Integer, nullable=False),
        sa.Column("through_sha256", sa.String(64), nullable=False),
        sa.Column("pruned_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_report_chain_prunes"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_report_chain_prunes_user_id_users",
                                ondelete="CASCADE"),
    )
    op.create_table(
        "pruned_screenshots",
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("pruned_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("record_id", name="pk_pruned_screenshots"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_pruned_screenshots_user_id_users",
                                ondelete="CASCADE"),
    )
    op.create_index("ix_pruned_screenshots_user_id", "pruned_screenshots", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_pruned_screenshots_user_id", table_name="pruned_screenshots")
    for table in ("pruned_screenshots", "report_chain_prunes", "erasure_records"):
        op.drop_table(table)
