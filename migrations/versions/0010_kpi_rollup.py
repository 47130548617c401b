"""KPI rollup: per-day counts and handling-hour histograms the summary reads instead of scanning every row.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-21 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

COUNTS = ("messages", "merged", "completion_total", "completed_on_time", "published", "reopened",
          "assignments", "sign_total", "signed_on_time", "returned", "extended", "auto_dispatched",
          "auto_kept", "callbacks", "satisfied")
# The summary's "became late since the day was rolled up" reads: open items by deadline.
UNFINISHED = "published_at IS NULL"
UNSIGNED = "accepted_at IS NULL"


def _grain():
    return [sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('day', sa.Integer(), nullable=False),
            sa.Column('unit_id', sa.Integer(), nullable=True),
            sa.Column('topic', sa.String(length=40), nullable=True),
            sa.Column('channel', sa.String(length=20), nullable=True)]


def upgrade():
    op.create_table('kpi_daily', *_grain(), *[sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS],
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_daily')))
    op.create_index(op.f('ix_kpi_daily_day'), 'kpi_daily', ['day'], unique=False)
    op.create_table('kpi_hours', *_grain(),
                    sa.Column('centihours', sa.Integer(), nullable=False),
                    sa.Column('n', sa.Integer(), nullable=False),
                    sa.Column('hours_sum', sa.Float(), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_hours')))
    op.create_index(op.f('ix_kpi_hours_day'), 'kpi_hours', ['day'], unique=False)
    op.create_table('kpi_days',
                    sa.Column('day', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('refreshed_at', sa.DateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint('day', name=op.f('pk_kpi_days')))
    op.create_table('kpi_rollup_state',
                    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
                    sa.Column('seq', sa.Integer(), nullable=True),
                    sa.Column('calendar', sa.String(length=64), nullable=True),
                    sa.Column('refreshed_at', sa.DateTime(timezone=True), nullable=True),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_rollup_state')))
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index('ix_messages_unfinished_due', ['due_at'], unique=False,
                              postgresql_where=sa.text(UNFINISHED), sqlite_where=sa.text(UNFINISHED))
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index('ix_assignments_unsigned_sign_due', ['sign_due_at'], unique=False,
                              postgresql_where=sa.text(UNSIGNED), sqlite_where=sa.text(UNSIGNED))


def downgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_assignments_unsigned_sign_due')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_unfinished_due')
    op.drop_table('kpi_rollup_state')
    op.drop_table('kpi_days')
    op.drop_index(op.f('ix_kpi_hours_day'), table_name='kpi_hours')
    op.drop_table('kpi_hours')
    op.drop_index(op.f('ix_kpi_daily_day'), table_name='kpi_daily')
    op.drop_table('kpi_daily')
