"""The tables of the durable data, as SQLAlchemy 2 declarative models.

Times are UNIX seconds (``float``), as everywhere else in the server. A change here needs a
new migration in ``migrations/versions`` (``alembic revision --autogenerate`` drafts one).
"""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Index, MetaData, String, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["Base", "EmployeeRow", "LoginSessionRow"]

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Constraint names fixed by convention, so that migrations can name what they change."""


class Base(DeclarativeBase):
    """The declarative base of every table; its metadata is what the migrations build."""

    metadata = MetaData(naming_convention=NAMING)


class EmployeeRow(Base):
    """An employee account; ``name`` (the login) is unique regardless of letter case."""

    __tablename__ = "employees"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[float] = mapped_column(Float)
    display_name: Mapped[str | None] = mapped_column(String(64), default=None)
    """What customers see (the login ``name`` never reaches them); ``None`` until set."""


Index("uq_employees_name_lower", func.lower(EmployeeRow.name), unique=True)


class LoginSessionRow(Base):
    """A login session: the SHA-256 of its token, whose it is and until when."""

    __tablename__ = "login_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    employee_id: Mapped[str] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), index=True
    )
    expires_at: Mapped[float] = mapped_column(Float, index=True)
