"""The plan: targets per year and indicator, the task table, the budget estimate (groups and
lines) and the narratives of the reports sent upward.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 07:42:03.138309

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('budget_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_budget_group_ward_id_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_group'))
    )
    with op.batch_alter_table('budget_group', schema=None) as batch_op:
        batch_op.create_index('ix_budget_group_ward_year', ['ward_id', 'year'], unique=False)

    op.create_table('plan_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('unit', sa.String(length=10), nullable=False),
    sa.Column('comparison', sa.String(length=2), nullable=False),
    sa.Column('target', sa.Integer(), nullable=False),
    sa.Column('actual', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("comparison IN ('ge', 'le')", name=op.f('ck_plan_target_comparison')),
    sa.CheckConstraint("unit IN ('pct', 'count')", name=op.f('ck_plan_target_unit')),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_plan_target_ward_id_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_target')),
    sa.UniqueConstraint('ward_id', 'year', 'code', name='uq_plan_target_ward_year_code')
    )
    op.create_table('plan_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('lead', sa.String(length=300), nullable=False),
    sa.Column('partners', sa.String(length=500), nullable=False),
    sa.Column('due_text', sa.String(length=200), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('chua', 'dang', 'xong')", name=op.f('ck_plan_task_status')),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_plan_task_ward_id_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_task'))
    )
    with op.batch_alter_table('plan_task', schema=None) as batch_op:
        batch_op.create_index('ix_plan_task_ward_year', ['ward_id', 'year'], unique=False)

    op.create_table('year_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('number', sa.String(length=50), nullable=False),
    sa.Column('report_date', sa.Date(), nullable=True),
    sa.Column('recipient', sa.String(length=300), nullable=False),
    sa.Column('reference', sa.Text(), nullable=False),
    sa.Column('sections', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("period IN ('nam', '6thang')", name=op.f('ck_year_report_period')),
    sa.ForeignKeyConstraint(['ward_id'], ['ward.id'], name=op.f('fk_year_report_ward_id_ward')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_year_report')),
    sa.UniqueConstraint('ward_id', 'year', 'period', name='uq_year_report_ward_year_period')
    )
    op.create_table('budget_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('unit_label', sa.String(length=50), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=True),
    sa.Column('unit_price', sa.BigInteger(), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_budget_line_amount')),
    sa.CheckConstraint('quantity IS NULL OR quantity >= 0', name=op.f('ck_budget_line_quantity')),
    sa.CheckConstraint('unit_price IS NULL OR unit_price >= 0', name=op.f('ck_budget_line_unit_price')),
    sa.ForeignKeyConstraint(['group_id'], ['budget_group.id'], name=op.f('fk_budget_line_group_id_budget_group'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_line'))
    )
    with op.batch_alter_table('budget_line', schema=None) as batch_op:
        batch_op.create_index('ix_budget_line_group_id', ['group_id'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('budget_line', schema=None) as batch_op:
        batch_op.drop_index('ix_budget_line_group_id')

    op.drop_table('budget_line')
    op.drop_table('year_report')
    with op.batch_alter_table('plan_task', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_task_ward_year')

    op.drop_table('plan_task')
    op.drop_table('plan_target')
    with op.batch_alter_table('budget_group', schema=None) as batch_op:
        batch_op.drop_index('ix_budget_group_ward_year')

    op.drop_table('budget_group')
