"""Audit hash chain: seq, prev_hash and hash on events; existing events are chained in id order.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 11:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_events_seq'), ['seq'], unique=True)
    # Backfill: the events written before the chain existed become its first links, oldest first.
    from responder.audit_chain import seal

    seal(op.get_bind())


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_seq'))
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')
