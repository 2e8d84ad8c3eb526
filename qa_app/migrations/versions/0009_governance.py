"""Governance: access log, sign-ins, retention purges, retired teams, one-time passwords

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('access_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('audit_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('page', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_access_records_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_records'))
    )
    with op.batch_alter_table('access_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_records_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_records_audit_id'), ['audit_id'], unique=False)
        batch_op.create_index('ix_access_records_case_id_at', ['case_id', 'at'], unique=False)
        batch_op.create_index('ix_access_records_user_id_at', ['user_id', 'at'], unique=False)

    op.create_table('retention_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('started_by', sa.String(length=20), nullable=False),
    sa.Column('case_detail_cutoff', sa.DateTime(timezone=True), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_retention_runs_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_runs'))
    )
    op.create_table('sign_ins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sign_ins_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_ins'))
    )
    with op.batch_alter_table('sign_ins', schema=None) as batch_op:
        batch_op.create_index('ix_sign_ins_user_id_at', ['user_id', 'at'], unique=False)

    op.create_table('purged_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('purged_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['retention_runs.id'], name=op.f('fk_purged_records_run_id_retention_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purged_records')),
    sa.UniqueConstraint('kind', 'record_id', name=op.f('uq_purged_records_kind_record_id'))
    )
    with op.batch_alter_table('purged_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_purged_records_run_id'), ['run_id'], unique=False)

    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')

    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_column('retired_at')

    with op.batch_alter_table('purged_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_purged_records_run_id'))

    op.drop_table('purged_records')
    with op.batch_alter_table('sign_ins', schema=None) as batch_op:
        batch_op.drop_index('ix_sign_ins_user_id_at')

    op.drop_table('sign_ins')
    op.drop_table('retention_runs')
    with op.batch_alter_table('access_records', schema=None) as batch_op:
        batch_op.drop_index('ix_access_records_user_id_at')
        batch_op.drop_index('ix_access_records_case_id_at')
        batch_op.drop_index(batch_op.f('ix_access_records_audit_id'))
        batch_op.drop_index(batch_op.f('ix_access_records_at'))

    op.drop_table('access_records')
