"""Employee accounts and login sessions; adopts the tables of the pre-Alembic SQLite schema.

Servers before the data layer created ``employees`` and ``sessions`` by hand in
``support.sqlite3``. If they exist, their rows are copied into the new tables (employees keep
their ids and passwords, logged-in employees stay logged in) and the old tables are dropped.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    legacy = "employees" in sa.inspect(op.get_bind()).get_table_names()
    if legacy:
        op.rename_table("sessions", "legacy_sessions")
        op.rename_table("employees", "legacy_employees")
    op.create_table(
        "employees",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_employees"),
    )
    op.create_index("uq_employees_name_lower", "employees", [sa.text("lower(name)")], unique=True)
    op.create_table(
        "login_sessions",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("employee_id", sa.String(32), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"],
            ["employees.id"],
            name="fk_login_sessions_employee_id_employees",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name="pk_login_sessions"),
    )
    op.create_index("ix_login_sessions_employee_id", "login_sessions", ["employee_id"])
    op.create_index("ix_login_sessions_expires_at", "login_sessions", ["expires_at"])
    if legacy:
        op.execute(
            "INSERT INTO employees (id, name, password_hash, created_at) "
            "SELECT id, name, password_hash, created_at FROM legacy_employees"
        )
        op.execute(
            "INSERT INTO login_sessions (token_hash, employee_id, expires_at) "
            "SELECT token_hash, employee_id, expires_at FROM legacy_sessions "
            "WHERE employee_id IN (SELECT id FROM employees)"
        )
        op.drop_table("legacy_sessions")
        op.drop_table("legacy_employees")


def downgrade() -> None:
    op.drop_table("login_sessions")
    op.drop_table("employees")
