"""Overdue list index: open messages by deadline, so `overdue=true` reads the longest overdue first.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-21 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

OPEN = "status NOT IN ('published', 'closed', 'merged', 'invalid')"


def upgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index('ix_messages_open_due', ['due_at', 'id'], unique=False,
                              postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))


def downgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_open_due')
