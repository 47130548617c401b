"""Scale indexes: newest-first list pages, and the overdue sweep's open, unstamped candidates.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

OPEN_UNSTAMPED = "overdue_at IS NULL AND status NOT IN ('published', 'closed', 'merged', 'invalid')"


def upgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index('ix_messages_received_id', ['received_at', 'id'], unique=False)
        batch_op.create_index('ix_messages_open_unstamped_due', ['due_at'], unique=False,
                              postgresql_where=sa.text(OPEN_UNSTAMPED), sqlite_where=sa.text(OPEN_UNSTAMPED))


def downgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_open_unstamped_due')
        batch_op.drop_index('ix_messages_received_id')
