"""protection settings: hide_swearing (opt-in folding of swearing that attacks no one)

Revision ID: 3101
Revises: 1301
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = "3101"
down_revision = "1301"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite cannot add a NOT NULL column with a default in place on every version
    with op.batch_alter_table("protection_settings") as batch:
        batch.add_column(sa.Column("hide_swearing", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("protection_settings") as batch:
        batch.drop_column("hide_swearing")
