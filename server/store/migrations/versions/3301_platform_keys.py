"""platform keys: extra key scopes, and the users a platform key acts for (pseudonymous subjects)

Revision ID: 3301
Revises: 3101
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

from kindshield_server.store.schema import UTCDateTime

revision = "3301"
down_revision = "3101"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "key_scopes",
        sa.Column("key_id", sa.Integer, nullable=False),
        sa.Column("scope", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(["key_id"], ["api_keys.id"], name="fk_key_scopes_key_id_api_keys",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("key_id", "scope", name="pk_key_scopes"),
    )
    op.create_table(
        "platform_subjects",
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("platform_user_id", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_platform_subjects_user_id_users",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["platform_user_id"], ["users.id"],
                                name="fk_platform_subjects_platform_user_id_users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name="pk_platform_subjects"),
    )
    op.create_index("ix_platform_subjects_platform_user_id", "platform_subjects", ["platform_user_id"])


def downgrade() -> None:
    op.drop_index("ix_platform_subjects_platform_user_id", table_name="platform_subjects")
    op.drop_table("platform_subjects")
    op.drop_table("key_scopes")
