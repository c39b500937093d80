"""The durable data of the desk: SQLAlchemy 2 (asyncio) models, engine and Alembic migrations.

One async engine is made from the database URL (``SUPPORT_DATABASE_URL``: SQLite by default,
PostgreSQL for a cluster); stores such as :class:`~support_server.AccountStore` take it.
:func:`upgrade` brings the schema to the newest revision (the server does it at start).
A new table or column goes into ``_models.py`` and a new revision into
``migrations/versions``; ``nox -s migration -- "what changed"`` drafts it.
"""

from __future__ import annotations

from ._engine import create_engine, database_url, sqlite_url
from ._errors import DatabaseError
from ._migrate import current_revision, downgrade, head_revision, upgrade
from ._models import Base, EmployeeRow, LoginSessionRow

__all__ = [
    "Base",
    "DatabaseError",
    "EmployeeRow",
    "LoginSessionRow",
    "create_engine",
    "current_revision",
    "database_url",
    "downgrade",
    "head_revision",
    "sqlite_url",
    "upgrade",
]
