"""Analysis feedback: admin lexicon entries and the low-confidence review mark on results.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-21 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lexicon_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('word', sa.String(length=200), nullable=False),
    sa.Column('is_regex', sa.Boolean(), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=True),
    sa.Column('created_by', sa.String(length=160), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lexicon_entries')),
    sa.UniqueConstraint('kind', 'name', 'word', name=op.f('uq_lexicon_entries_kind_name_word'))
    )
    with op.batch_alter_table('analysis_results', schema=None) as batch_op:
        batch_op.add_column(sa.Column('needs_review', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index(batch_op.f('ix_analysis_results_needs_review'), ['needs_review'], unique=False)


def downgrade():
    with op.batch_alter_table('analysis_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_analysis_results_needs_review'))
        batch_op.drop_column('needs_review')
    op.drop_table('lexicon_entries')
