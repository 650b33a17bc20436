"""Alembic environment: runs on the connection (already holding the write lock) or the engine the app hands over.

See db.engine.migrate: the connection is in a transaction that holds the database's write lock, and
the upgrade runs inside it, committed by the caller.
"""

from alembic import context

from db.models import Base

config = context.config
connection = config.attributes.get("connection")

if connection is not None:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    context.run_migrations()
else:
    with config.attributes["engine"].begin() as own_connection:
        context.configure(connection=own_connection, target_metadata=Base.metadata, render_as_batch=True)
        context.run_migrations()
