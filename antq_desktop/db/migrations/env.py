"""Alembic environment: always run from code (antq_desktop.db.engine), on a given connection."""

from alembic import context

from antq_desktop.db.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite can only change a table by copying it
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
