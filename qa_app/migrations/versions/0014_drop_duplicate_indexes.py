"""Drop two indexes that repeat the leading column of another: audits by case, round cases by round

Lookups by audits.case_id are answered by ix_audits_case_id_created_at (the planner chose it
even with the single-column index there) and lookups by round_cases.round_id by the unique
(round_id, case_id) index, as fast. Each index costs every insert and update of its table, and
assigning a round writes thousands of both.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 16:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_audits_case_id', table_name='audits')
    op.drop_index('ix_round_cases_round_id', table_name='round_cases')


def downgrade():
    op.create_index('ix_round_cases_round_id', 'round_cases', ['round_id'], unique=False)
    op.create_index('ix_audits_case_id', 'audits', ['case_id'], unique=False)
