"""Agreement: moderated answers' grade pairs counted by month, round, version, auditor, criterion

The Moderation page's agreement figures grouped every moderated answer (820,000 at a large
council's scale, about 1.5 s); they now sum these counts through a covering index. The audit
facts gain the month each audit was moderated, so a change recounts only the (auditor, month)
it leaves and joins. Both are filled here from the audits already moderated, as
``insight rebuild`` would.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 17:00:00.000000

"""
from datetime import date, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

GROUPS = (
    'month', 'round_id', 'template_version_id', 'auditor_id', 'criterion_key',
    'auditor_value', 'moderated_value',
)


def upgrade():
    op.create_table('agreement_pair_months',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=True),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('template_version_id', sa.Integer(), nullable=False),
    sa.Column('auditor_id', sa.Integer(), nullable=False),
    sa.Column('criterion_key', sa.String(length=80), nullable=False),
    sa.Column('auditor_value', sa.Text(), nullable=True),
    sa.Column('moderated_value', sa.Text(), nullable=False),
    sa.Column('pairs', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_pair_months'))
    )
    with op.batch_alter_table('agreement_pair_months', schema=None) as batch_op:
        batch_op.create_index('ix_agreement_pair_months_pairs', [
            'auditor_id', 'template_version_id', 'criterion_key', 'auditor_value',
            'moderated_value', 'month', 'round_id', 'pairs',
        ], unique=False)

    with op.batch_alter_table('insight_audit_facts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('moderated_month', sa.Date(), nullable=True))

    _fill_from_moderated_audits()


def _fill_from_moderated_audits():
    """Give the audit facts their moderation month (in UTC, worked out here as the app does),
    then count the pairs of the moderated audits by it."""
    bind = op.get_bind()
    audits = sa.table('audits', sa.column('id', sa.Integer), sa.column('moderated_at', sa.DateTime))
    facts = sa.table(
        'insight_audit_facts',
        sa.column('audit_id', sa.Integer),
        sa.column('moderated_month', sa.Date),
    )
    rows = bind.execute(
        sa.select(facts.c.audit_id, audits.c.moderated_at)
        .join(audits, audits.c.id == facts.c.audit_id)
        .where(audits.c.moderated_at.is_not(None))
    ).all()
    updates = [{'key': audit_id, 'month': _utc_month(moment)} for audit_id, moment in rows]
    for start in range(0, len(updates), 2000):
        bind.execute(
            facts.update()
            .where(facts.c.audit_id == sa.bindparam('key'))
            .values(moderated_month=sa.bindparam('month')),
            updates[start:start + 2000],
        )
    op.execute(
        f"INSERT INTO agreement_pair_months ({', '.join(GROUPS)}, pairs) "
        "SELECT f.moderated_month, u.round_id, u.template_version_id, u.auditor_id, "
        "a.criterion_key, a.value, a.moderated_value, count(a.id) "
        "FROM answers a JOIN audits u ON u.id = a.audit_id "
        "JOIN insight_audit_facts f ON f.audit_id = u.id "
        "WHERE u.status IN ('moderated', 'closed') AND u.moderated_overall_judgement IS NOT NULL "
        "AND a.moderated_value IS NOT NULL AND a.value != 'na' "
        "GROUP BY f.moderated_month, u.round_id, u.template_version_id, u.auditor_id, "
        "a.criterion_key, a.value, a.moderated_value"
    )


def _utc_month(moment):
    if moment.tzinfo is not None:  # SQLite hands back naive UTC values
        moment = moment.astimezone(timezone.utc)
    return date(moment.year, moment.month, 1)


def downgrade():
    with op.batch_alter_table('insight_audit_facts', schema=None) as batch_op:
        batch_op.drop_column('moderated_month')

    with op.batch_alter_table('agreement_pair_months', schema=None) as batch_op:
        batch_op.drop_index('ix_agreement_pair_months_pairs')

    op.drop_table('agreement_pair_months')
