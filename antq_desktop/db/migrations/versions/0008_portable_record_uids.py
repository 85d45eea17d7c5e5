"""A uid on every record a data package carries (the ward, its units, its yearly records), so a
ward moved to another database, or imported again, is matched row by row whatever local ids the
databases gave (services/package.py).

Existing rows get a random uid here; new rows get one from the models' default. The column is
added NOT NULL with an empty server default (SQLite adds a NOT NULL column only with a default),
filled, then made unique: a row written without a uid would collide at once rather than travel
without identity.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 02:40:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

PORTABLE_TABLES = (
    "ward", "unit", "antt_record", "incident", "decision", "classification_year", "classification_record",
    "force_rating", "exemplary_criterion", "inspection", "inspection_recommendation", "security_model",
    "force_member", "training", "equipment_issue", "activity", "festival", "award", "plan_target", "plan_task",
    "budget_group", "budget_line", "year_report",
)

RANDOM_HEX = {
    "sqlite": "lower(hex(randomblob(16)))",
    "postgresql": "replace(gen_random_uuid()::text, '-', '')",
}


def upgrade() -> None:
    """Upgrade schema."""
    random_hex = RANDOM_HEX[op.get_bind().dialect.name]
    for table in PORTABLE_TABLES:
        op.add_column(table, sa.Column('uid', sa.String(length=32), nullable=False, server_default=''))
        op.execute(f"UPDATE {table} SET uid = {random_hex}")
        op.create_index(op.f(f'ix_{table}_uid'), table, ['uid'], unique=True)


def downgrade() -> None:
    """Downgrade schema."""
    for table in reversed(PORTABLE_TABLES):
        op.drop_index(op.f(f'ix_{table}_uid'), table_name=table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('uid')
