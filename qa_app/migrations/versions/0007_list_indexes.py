"""Indexes for lists that cost the same on every page

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audits', schema=None) as batch_op:
        batch_op.create_index('ix_audits_updated_at_id', ['updated_at', 'id'], unique=False)
        batch_op.create_index('ix_audits_submitted_at_id', ['submitted_at', 'id'], unique=False)
        batch_op.create_index('ix_audits_case_id_created_at', ['case_id', 'created_at'], unique=False)
        batch_op.create_index(
            'ix_audits_list',
            [
                'status',
                'overall_judgement',
                'moderated_overall_judgement',
                'auditor_id',
                'template_version_id',
                'round_id',
                'case_id',
                'submitted_at',
                'updated_at',
                'score',
                'moderated_score',
            ],
            unique=False,
        )

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_team_id_reference', ['team_id', 'reference'], unique=False)


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_team_id_reference')

    with op.batch_alter_table('audits', schema=None) as batch_op:
        batch_op.drop_index('ix_audits_list')
        batch_op.drop_index('ix_audits_case_id_created_at')
        batch_op.drop_index('ix_audits_submitted_at_id')
        batch_op.drop_index('ix_audits_updated_at_id')
