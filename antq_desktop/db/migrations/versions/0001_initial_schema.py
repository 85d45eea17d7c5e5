"""Initial schema: the ward profile and the unit register.

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 02:30:26.460056

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('ward',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_kind', sa.String(length=20), nullable=False),
    sa.Column('province_name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('police_unit_name', sa.String(length=200), nullable=False),
    sa.Column('chairman_name', sa.String(length=100), nullable=False),
    sa.Column('chairman_title', sa.String(length=100), nullable=False),
    sa.Column('police_chief_name', sa.String(length=100), nullable=False),
    sa.Column('police_chief_title', sa.String(length=100), nullable=False),
    sa.Column('place_name', sa.String(length=100), nullable=False),
    sa.Column('ubnd_doc_suffix', sa.String(length=30), nullable=False),
    sa.Column('police_doc_suffix', sa.String(length=30), nullable=False),
    sa.Column('doc_number_year', sa.Integer(), nullable=True),
    sa.Column('next_ubnd_doc_number', sa.Integer(), nullable=False),
    sa.Column('next_police_doc_number', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('xa', 'phuong', 'dac_khu')", name=op.f('ck_ward_kind')),
    sa.CheckConstraint("province_kind IN ('tinh', 'thanh_pho')", name=op.f('ck_ward_province_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ward'))
    )
    op.create_table('unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('address', sa.String(length=500), nullable=False),
    sa.Column('head_name', sa.String(length=100), nullable=False),
    sa.Column('head_title', sa.String(length=100), nullable=False),
    sa.Column('head_phone', sa.String(length=30), nullable=False),
    sa.Column('is_armed_forces', sa.Boolean(), nullable=False),
    sa.Column('is_small_or_micro', sa.Boolean(), nullable=False),
    sa.Column('school_level', sa.String(length=20), nullable=True),
    sa.Column('has_party_org', sa.Boolean(), nullable=False),
    sa.Column('households', sa.Integer(), nullable=True),
    sa.Column('staff_count', sa.Integer(), nullable=True),
    sa.Column('learner_count', sa.Integer(), nullable=True),
    sa.Column('protection_force', sa.String(length=200), nullable=False),
    sa.Column('protection_force_size', sa.Integer(), nullable=True),
    sa.Column('subordinate_units', sa.Integer(), nullable=True),
    sa.Column('managing_authority', sa.String(length=300), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_date', sa.Date(), nullable=True),
    sa.Column('status_reason', sa.String(length=500), nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('name_key', sa.String(length=300), nullable=False),
    sa.Column('search_text', sa.String(length=1000), nullable=False),
    sa.Column('name_sort', sa.String(length=600).with_variant(sa.String(length=600, collation='C'), 'postgresql'), nullable=False),
    sa.Column('category_sort', sa.String(length=600).with_variant(sa.String(length=600, collation='C'), 'postgresql'), nullable=False),
    sa.Column('address_sort', sa.String(length=600).with_variant(sa.String(length=600, collation='C'), 'postgresql'), nullable=False),
    sa.Column('head_sort', sa.String(length=600).with_variant(sa.String(length=600, collation='C'), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('kdc', 'co_quan', 'doanh_nghiep', 'giao_duc')", name=op.f('ck_unit_kind')),
    sa.CheckConstraint("status <> 'merged' OR merged_into_id IS NOT NULL", name=op.f('ck_unit_merged_has_target')),
    sa.CheckConstraint("status IN ('active', 'merged', 'dissolved')", name=op.f('ck_unit_status')),
    sa.CheckConstraint('merged_into_id IS NULL OR merged_into_id <> id', name=op.f('ck_unit_not_merged_into_self')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['unit.id'], name=op.f('fk_unit_merged_into_id_unit')),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_unit_ward_id_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit'))
    )
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.create_index('ix_unit_merged_into_id', ['merged_into_id'], unique=False)
        batch_op.create_index('ix_unit_filters', ['ward_id', 'status', 'kind', 'search_text', 'name_sort'], unique=False)
        batch_op.create_index('ix_unit_ward_kind_name_key', ['ward_id', 'kind', 'name_key'], unique=False)
        batch_op.create_index('ix_unit_ward_kind_name_sort', ['ward_id', 'kind', 'name_sort'], unique=False)
        batch_op.create_index('ix_unit_ward_name_sort', ['ward_id', 'name_sort'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_index('ix_unit_ward_name_sort')
        batch_op.drop_index('ix_unit_ward_kind_name_sort')
        batch_op.drop_index('ix_unit_ward_kind_name_key')
        batch_op.drop_index('ix_unit_filters')
        batch_op.drop_index('ix_unit_merged_into_id')

    op.drop_table('unit')
    op.drop_table('ward')
