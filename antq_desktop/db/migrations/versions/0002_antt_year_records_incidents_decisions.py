"""The "An toàn về ANTT" year: settings, unit-year records, point results, incidents, decisions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 02:46:39.377907

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('symbol', sa.String(length=50), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('form', sa.String(length=20), nullable=False),
    sa.Column('signer_authority', sa.String(length=100), nullable=False),
    sa.Column('signer_title', sa.String(length=100), nullable=False),
    sa.Column('signer_name', sa.String(length=100), nullable=False),
    sa.Column('bases', sa.Text(), nullable=False),
    sa.Column('recipients', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("form IN ('chu_tich', 'ubnd')", name=op.f('ck_decision_form')),
    sa.CheckConstraint("status IN ('draft', 'issued')", name=op.f('ck_decision_status')),
    sa.ForeignKeyConstraint(['replaces_id'], ['decision.id'], name=op.f('fk_decision_replaces_id_decision')),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_decision_ward_id_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision'))
    )
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.create_index('ix_decision_ward_year', ['ward_id', 'year'], unique=False)

    op.create_table('setting',
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_setting_ward_id_ward')),
    sa.PrimaryKeyConstraint('ward_id', 'key', name=op.f('pk_setting'))
    )
    op.create_table('antt_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=False),
    sa.Column('resolution_ref', sa.String(length=300), nullable=False),
    sa.Column('plan_ref', sa.String(length=300), nullable=False),
    sa.Column('registration_ref', sa.String(length=300), nullable=False),
    sa.Column('households_registered', sa.Integer(), nullable=True),
    sa.Column('households_total', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('catalogue_code', sa.String(length=100), nullable=False),
    sa.Column('extra_criteria', sa.Text(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('meeting_on', sa.Date(), nullable=True),
    sa.Column('meeting_place', sa.String(length=300), nullable=False),
    sa.Column('meeting_chair', sa.String(length=200), nullable=False),
    sa.Column('meeting_attendees', sa.Text(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('proposed_on', sa.Date(), nullable=True),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("stage IN ('registered', 'assessed', 'proposed', 'recognized', 'not_recognized')", name=op.f('ck_antt_record_stage')),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_antt_record_decision_id_decision')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_antt_record_unit_id_unit')),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_antt_record_ward_id_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_antt_record')),
    sa.UniqueConstraint('unit_id', 'year', name='uq_antt_record_unit_year')
    )
    with op.batch_alter_table('antt_record', schema=None) as batch_op:
        batch_op.create_index('ix_antt_record_decision_id', ['decision_id'], unique=False)
        batch_op.create_index('ix_antt_record_ward_year', ['ward_id', 'year'], unique=False)

    op.create_table('decision_unit',
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('address', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_decision_unit_decision_id_decision'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_decision_unit_unit_id_unit')),
    sa.PrimaryKeyConstraint('decision_id', 'unit_id', name=op.f('pk_decision_unit'))
    )
    op.create_table('incident',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('kind_code', sa.String(length=50), nullable=False),
    sa.Column('severity', sa.String(length=30), nullable=True),
    sa.Column('force_majeure', sa.Boolean(), nullable=False),
    sa.Column('reported_in_time', sa.Boolean(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_incident_unit_id_unit')),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_incident_ward_id_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident'))
    )
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.create_index('ix_incident_unit_occurred', ['unit_id', 'occurred_on'], unique=False)

    op.create_table('antt_point_result',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('point_code', sa.String(length=20), nullable=False),
    sa.Column('met', sa.Boolean(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('override_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['antt_record.id'], name=op.f('fk_antt_point_result_record_id_antt_record'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('record_id', 'point_code', name=op.f('pk_antt_point_result'))
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('antt_point_result')
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.drop_index('ix_incident_unit_occurred')

    op.drop_table('incident')
    op.drop_table('decision_unit')
    with op.batch_alter_table('antt_record', schema=None) as batch_op:
        batch_op.drop_index('ix_antt_record_ward_year')
        batch_op.drop_index('ix_antt_record_decision_id')

    op.drop_table('antt_record')
    op.drop_table('setting')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_index('ix_decision_ward_year')

    op.drop_table('decision')
