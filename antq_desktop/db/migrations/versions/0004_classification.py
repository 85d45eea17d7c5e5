"""Movement classification (QĐ 510): the year's frozen score sheets, the scores per unit and item,
the Tổ bảo vệ ANTT ratings, the exemplary-ward checklist, and level/score on a decision's list.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 04:15:38.281002

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('classification_year',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('sheet_set', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_classification_year_ward_id_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_classification_year')),
    sa.UniqueConstraint('ward_id', 'year', name='uq_classification_year_ward_year')
    )
    op.create_table('exemplary_criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('group_title', sa.String(length=300), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_exemplary_criterion_ward_id_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exemplary_criterion'))
    )
    with op.batch_alter_table('exemplary_criterion', schema=None) as batch_op:
        batch_op.create_index('ix_exemplary_criterion_ward_position', ['ward_id', 'position'], unique=False)

    op.create_table('classification_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('level_override', sa.String(length=20), nullable=True),
    sa.Column('override_reason', sa.Text(), nullable=False),
    sa.Column('marked_facts', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_classification_record_unit_id_unit')),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_classification_record_ward_id_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_classification_record')),
    sa.UniqueConstraint('ward_id', 'year', 'unit_id', name='uq_classification_record_ward_year_unit')
    )
    with op.batch_alter_table('classification_record', schema=None) as batch_op:
        batch_op.create_index('ix_classification_record_unit_id', ['unit_id'], unique=False)

    op.create_table('exemplary_status',
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('chua_dat', 'dang_thuc_hien', 'dat')", name=op.f('ck_exemplary_status_status')),
    sa.ForeignKeyConstraint(['criterion_id'], ['exemplary_criterion.id'], name=op.f('fk_exemplary_status_criterion_id_exemplary_criterion'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('criterion_id', 'year', name=op.f('pk_exemplary_status'))
    )
    op.create_table('force_rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=30), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_force_rating_unit_id_unit')),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_force_rating_ward_id_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_force_rating')),
    sa.UniqueConstraint('unit_id', 'year', name='uq_force_rating_unit_year')
    )
    with op.batch_alter_table('force_rating', schema=None) as batch_op:
        batch_op.create_index('ix_force_rating_ward_year', ['ward_id', 'year'], unique=False)

    op.create_table('classification_score',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('item_code', sa.String(length=20), nullable=False),
    sa.Column('self_cents', sa.Integer(), nullable=True),
    sa.Column('ward_cents', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['record_id'], ['classification_record.id'], name=op.f('fk_classification_score_record_id_classification_record'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('record_id', 'item_code', name=op.f('pk_classification_score'))
    )
    with op.batch_alter_table('decision_unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('level', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('score_cents', sa.Integer(), nullable=True))



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('decision_unit', schema=None) as batch_op:
        batch_op.drop_column('score_cents')
        batch_op.drop_column('level')

    op.drop_table('classification_score')
    with op.batch_alter_table('force_rating', schema=None) as batch_op:
        batch_op.drop_index('ix_force_rating_ward_year')

    op.drop_table('force_rating')
    op.drop_table('exemplary_status')
    with op.batch_alter_table('classification_record', schema=None) as batch_op:
        batch_op.drop_index('ix_classification_record_unit_id')

    op.drop_table('classification_record')
    with op.batch_alter_table('exemplary_criterion', schema=None) as batch_op:
        batch_op.drop_index('ix_exemplary_criterion_ward_position')

    op.drop_table('exemplary_criterion')
    op.drop_table('classification_year')
