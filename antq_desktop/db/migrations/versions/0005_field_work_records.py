"""Field work through the year: inspections and their recommendations, models and their grades,
core-force members, trainings and equipment, propaganda activities, the Ngày hội 19/8, awards.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 04:52:00.281118

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('security_model',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=200), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('sites', sa.Integer(), nullable=True),
    sa.Column('teams', sa.Integer(), nullable=True),
    sa.Column('members', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('dissolved_on', sa.Date(), nullable=True),
    sa.Column('dissolved_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_security_model_ward_id_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_security_model'))
    )
    with op.batch_alter_table('security_model', schema=None) as batch_op:
        batch_op.create_index('ix_security_model_ward_id', ['ward_id'], unique=False)

    op.create_table('training',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('topic', sa.String(length=500), nullable=False),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_training_ward_id_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training'))
    )
    with op.batch_alter_table('training', schema=None) as batch_op:
        batch_op.create_index('ix_training_ward_held_on', ['ward_id', 'held_on'], unique=False)

    op.create_table('activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('reach', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_activity_unit_id_unit')),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_activity_ward_id_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity'))
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index('ix_activity_unit_id', ['unit_id'], unique=False)
        batch_op.create_index('ix_activity_ward_held_on', ['ward_id', 'held_on'], unique=False)

    op.create_table('festival',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=True),
    sa.Column('highlights', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_festival_unit_id_unit')),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_festival_ward_id_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_festival')),
    sa.UniqueConstraint('unit_id', 'year', name='uq_festival_unit_year')
    )
    with op.batch_alter_table('festival', schema=None) as batch_op:
        batch_op.create_index('ix_festival_ward_year', ['ward_id', 'year'], unique=False)

    op.create_table('force_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('force_kind', sa.String(length=20), nullable=False),
    sa.Column('full_name', sa.String(length=100), nullable=False),
    sa.Column('name_sort', sa.String(length=600).with_variant(sa.String(length=600, collation='C'), 'postgresql'), nullable=False),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('gender', sa.String(length=5), nullable=True),
    sa.Column('role', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("force_kind IN ('to_bao_ve', 'bao_ve_co_quan', 'dan_phong')", name=op.f('ck_force_member_force_kind')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_force_member_unit_id_unit')),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_force_member_ward_id_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_force_member'))
    )
    with op.batch_alter_table('force_member', schema=None) as batch_op:
        batch_op.create_index('ix_force_member_unit_id', ['unit_id'], unique=False)
        batch_op.create_index('ix_force_member_ward_kind', ['ward_id', 'force_kind'], unique=False)

    op.create_table('inspection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=True),
    sa.Column('planned_by', sa.String(length=300), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=True),
    sa.Column('started_at', sa.String(length=10), nullable=False),
    sa.Column('ended_at', sa.String(length=10), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('basis', sa.Text(), nullable=False),
    sa.Column('team', sa.Text(), nullable=False),
    sa.Column('unit_attendees', sa.Text(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('conclusion', sa.Text(), nullable=False),
    sa.Column('unit_opinion', sa.Text(), nullable=False),
    sa.Column('minutes_number', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('kiem_tra', 'huong_dan')", name=op.f('ck_inspection_kind')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_inspection_unit_id_unit')),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_inspection_ward_id_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection'))
    )
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.create_index('ix_inspection_unit_id', ['unit_id'], unique=False)
        batch_op.create_index('ix_inspection_ward_year', ['ward_id', 'year'], unique=False)

    op.create_table('security_model_grade',
    sa.Column('model_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['model_id'], ['security_model.id'], name=op.f('fk_security_model_grade_model_id_security_model'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('model_id', 'year', name=op.f('pk_security_model_grade'))
    )
    op.create_table('security_model_unit',
    sa.Column('model_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['model_id'], ['security_model.id'], name=op.f('fk_security_model_unit_model_id_security_model'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_security_model_unit_unit_id_unit')),
    sa.PrimaryKeyConstraint('model_id', 'unit_id', name=op.f('pk_security_model_unit'))
    )
    with op.batch_alter_table('security_model_unit', schema=None) as batch_op:
        batch_op.create_index('ix_security_model_unit_unit_id', ['unit_id'], unique=False)

    op.create_table('award',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('model_id', sa.Integer(), nullable=True),
    sa.Column('person_name', sa.String(length=100), nullable=False),
    sa.Column('person_title', sa.String(length=200), nullable=False),
    sa.Column('form', sa.String(length=30), nullable=False),
    sa.Column('form_text', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=200), nullable=False),
    sa.Column('decision_number', sa.String(length=50), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['force_member.id'], name=op.f('fk_award_member_id_force_member')),
    sa.ForeignKeyConstraint(['model_id'], ['security_model.id'], name=op.f('fk_award_model_id_security_model')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_award_unit_id_unit')),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_award_ward_id_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award'))
    )
    with op.batch_alter_table('award', schema=None) as batch_op:
        batch_op.create_index('ix_award_unit_id', ['unit_id'], unique=False)
        batch_op.create_index('ix_award_ward_year', ['ward_id', 'year'], unique=False)

    op.create_table('equipment_issue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=200), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('returned_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['force_member.id'], name=op.f('fk_equipment_issue_member_id_force_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_equipment_issue'))
    )
    with op.batch_alter_table('equipment_issue', schema=None) as batch_op:
        batch_op.create_index('ix_equipment_issue_member_id', ['member_id'], unique=False)

    op.create_table('inspection_recommendation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('follow_up', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], name=op.f('fk_inspection_recommendation_inspection_id_inspection'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inspection_recommendation'))
    )
    with op.batch_alter_table('inspection_recommendation', schema=None) as batch_op:
        batch_op.create_index('ix_inspection_recommendation_inspection_id', ['inspection_id'], unique=False)

    op.create_table('training_attendee',
    sa.Column('training_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['force_member.id'], name=op.f('fk_training_attendee_member_id_force_member')),
    sa.ForeignKeyConstraint(['training_id'], ['training.id'], name=op.f('fk_training_attendee_training_id_training'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('training_id', 'member_id', name=op.f('pk_training_attendee'))
    )
    with op.batch_alter_table('training_attendee', schema=None) as batch_op:
        batch_op.create_index('ix_training_attendee_member_id', ['member_id'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('training_attendee', schema=None) as batch_op:
        batch_op.drop_index('ix_training_attendee_member_id')

    op.drop_table('training_attendee')
    with op.batch_alter_table('inspection_recommendation', schema=None) as batch_op:
        batch_op.drop_index('ix_inspection_recommendation_inspection_id')

    op.drop_table('inspection_recommendation')
    with op.batch_alter_table('equipment_issue', schema=None) as batch_op:
        batch_op.drop_index('ix_equipment_issue_member_id')

    op.drop_table('equipment_issue')
    with op.batch_alter_table('award', schema=None) as batch_op:
        batch_op.drop_index('ix_award_ward_year')
        batch_op.drop_index('ix_award_unit_id')

    op.drop_table('award')
    with op.batch_alter_table('security_model_unit', schema=None) as batch_op:
        batch_op.drop_index('ix_security_model_unit_unit_id')

    op.drop_table('security_model_unit')
    op.drop_table('security_model_grade')
    with op.batch_alter_table('inspection', schema=None) as batch_op:
        batch_op.drop_index('ix_inspection_ward_year')
        batch_op.drop_index('ix_inspection_unit_id')

    op.drop_table('inspection')
    with op.batch_alter_table('force_member', schema=None) as batch_op:
        batch_op.drop_index('ix_force_member_ward_kind')
        batch_op.drop_index('ix_force_member_unit_id')

    op.drop_table('force_member')
    with op.batch_alter_table('festival', schema=None) as batch_op:
        batch_op.drop_index('ix_festival_ward_year')

    op.drop_table('festival')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_ward_held_on')
        batch_op.drop_index('ix_activity_unit_id')

    op.drop_table('activity')
    with op.batch_alter_table('training', schema=None) as batch_op:
        batch_op.drop_index('ix_training_ward_held_on')

    op.drop_table('training')
    with op.batch_alter_table('security_model', schema=None) as batch_op:
        batch_op.drop_index('ix_security_model_ward_id')

    op.drop_table('security_model')
