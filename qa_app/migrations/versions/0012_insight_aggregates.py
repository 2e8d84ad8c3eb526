"""Insight: audits counted by month and due month, for dashboards at a large council's scale

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 13:30:00.000000

"""
from datetime import date

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

CELL = ('month', 'team_id', 'case_type', 'template_key', 'template_version', 'round_id')
GROUPS = (*CELL, 'due_month', 'moderated', 'auditor_judgement', 'final_judgement')


def upgrade():
    with op.batch_alter_table('insight_audit_facts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_month', sa.Date(), nullable=True))

    op.create_table('insight_audit_months',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('case_type', sa.String(length=40), nullable=True),
    sa.Column('template_key', sa.String(length=80), nullable=False),
    sa.Column('template_version', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('due_month', sa.Date(), nullable=True),
    sa.Column('moderated', sa.Integer(), nullable=False),
    sa.Column('auditor_judgement', sa.String(length=40), nullable=True),
    sa.Column('final_judgement', sa.String(length=40), nullable=True),
    sa.Column('audits', sa.Integer(), nullable=False),
    sa.Column('auditor_good', sa.Integer(), nullable=False),
    sa.Column('final_good', sa.Integer(), nullable=False),
    sa.Column('auditor_inadequate', sa.Integer(), nullable=False),
    sa.Column('final_inadequate', sa.Integer(), nullable=False),
    sa.Column('auditor_scored', sa.Integer(), nullable=False),
    sa.Column('auditor_score_sum', sa.Float(), nullable=False),
    sa.Column('final_scored', sa.Integer(), nullable=False),
    sa.Column('final_score_sum', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_insight_audit_months'))
    )
    with op.batch_alter_table('insight_audit_months', schema=None) as batch_op:
        batch_op.create_index('ix_insight_audit_months_cell', ['month', 'team_id'], unique=False)
        batch_op.create_index('ix_insight_audit_months_due', ['due_month', 'team_id'], unique=False)

    _fill_from_existing_facts()


def _fill_from_existing_facts():
    """Give the facts already built their due month and count them into the new table, so the
    dashboards keep their figures without waiting for ``insight rebuild``."""
    bind = op.get_bind()
    audits = sa.table('audits', sa.column('id', sa.Integer), sa.column('due_date', sa.Date))
    facts = sa.table(
        'insight_audit_facts',
        sa.column('due_month', sa.Date),
        *[sa.column(name) for name in (
            'audit_id', *CELL, 'moderated', 'auditor_judgement', 'final_judgement',
            'auditor_good', 'final_good', 'auditor_inadequate', 'final_inadequate',
            'auditor_score', 'final_score',
        )],
    )
    rows = bind.execute(
        sa.select(facts.c.audit_id, audits.c.due_date)
        .join(audits, audits.c.id == facts.c.audit_id)
        .where(audits.c.due_date.is_not(None))
    ).all()
    updates = [
        {'key': audit_id, 'due': date(due.year, due.month, 1)}
        for audit_id, due in rows
    ]
    if updates:
        bind.execute(
            facts.update()
            .where(facts.c.audit_id == sa.bindparam('key'))
            .values(due_month=sa.bindparam('due')),
            updates,
        )
    months = sa.table('insight_audit_months', *[sa.column(name) for name in (
        *GROUPS, 'audits', 'auditor_good', 'final_good', 'auditor_inadequate',
        'final_inadequate', 'auditor_scored', 'auditor_score_sum', 'final_scored',
        'final_score_sum',
    )])
    groups = [facts.c[name] for name in GROUPS]
    bind.execute(
        months.insert().from_select(
            [*GROUPS, 'audits', 'auditor_good', 'final_good', 'auditor_inadequate',
             'final_inadequate', 'auditor_scored', 'auditor_score_sum', 'final_scored',
             'final_score_sum'],
            sa.select(
                *groups,
                sa.func.count(facts.c.audit_id),
                sa.func.coalesce(sa.func.sum(facts.c.auditor_good), 0),
                sa.func.coalesce(sa.func.sum(facts.c.final_good), 0),
                sa.func.coalesce(sa.func.sum(facts.c.auditor_inadequate), 0),
                sa.func.coalesce(sa.func.sum(facts.c.final_inadequate), 0),
                sa.func.count(facts.c.auditor_score),
                sa.func.coalesce(sa.func.sum(facts.c.auditor_score), 0.0),
                sa.func.count(facts.c.final_score),
                sa.func.coalesce(sa.func.sum(facts.c.final_score), 0.0),
            ).group_by(*groups),
        )
    )


def downgrade():
    with op.batch_alter_table('insight_audit_months', schema=None) as batch_op:
        batch_op.drop_index('ix_insight_audit_months_due')
        batch_op.drop_index('ix_insight_audit_months_cell')

    op.drop_table('insight_audit_months')
    with op.batch_alter_table('insight_audit_facts', schema=None) as batch_op:
        batch_op.drop_column('due_month')
