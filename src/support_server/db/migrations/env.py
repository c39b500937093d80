"""Alembic environment: migrate the connection handed over by ``support_server.db``.

Migrations run through :func:`support_server.db.upgrade` (at server start, or
``support-server db upgrade``), which passes an open connection in the config's attributes.
"""

from __future__ import annotations

from alembic import context

from support_server.db._models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `support-server db upgrade`, not the alembic command")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
