"""The account and login-session store, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from support_server import AccountError, AccountStore
from support_server.db import create_engine, upgrade

PASSWORD = "correct horse battery"


@pytest_asyncio.fixture
async def store(database_url: str) -> AsyncIterator[AccountStore]:
    engine = create_engine(database_url)
    await upgrade(engine)
    yield AccountStore(engine)
    await engine.dispose()


async def test_accounts_are_found_in_any_letter_case(store: AccountStore) -> None:
    """A name logs in in any case; a second account differing only in case is refused."""
    priya = await store.add("Priya", PASSWORD, now=1.0)
    assert await store.authenticate("pRIYA", PASSWORD) == priya
    assert await store.authenticate("priya", "wrong password!") is None
    assert await store.authenticate("nobody", PASSWORD) is None
    with pytest.raises(AccountError, match="already exists"):
        await store.add("PRIYA", PASSWORD, now=2.0)
    await store.add("arjun", PASSWORD, now=3.0)
    assert [e.name for e in await store.list()] == ["Priya", "arjun"]
    assert await store.count() == 2


async def test_sessions_expire_and_end(store: AccountStore) -> None:
    """A token works until its expiry or logout; a wrong or huge token finds nobody."""
    priya = await store.add("priya", PASSWORD, now=0.0)
    token = await store.create_session(priya, now=100.0, ttl_s=60)
    assert await store.employee_for_token(token, now=159.0) == priya
    assert await store.employee_for_token(token, now=160.0) is None
    assert await store.employee_for_token(token + "x", now=120.0) is None
    assert await store.employee_for_token("x" * 500, now=120.0) is None
    other = await store.create_session(priya, now=100.0, ttl_s=60)
    await store.end_session(other)
    assert await store.employee_for_token(other, now=120.0) is None
    assert await store.employee_for_token(token, now=120.0) == priya


async def test_new_password_and_removal_end_sessions(store: AccountStore) -> None:
    """Changing a password or removing the account ends that employee's sessions only."""
    priya = await store.add("priya", PASSWORD, now=0.0)
    arjun = await store.add("arjun", PASSWORD, now=0.0)
    token = await store.create_session(priya, now=0.0, ttl_s=60)
    kept = await store.create_session(arjun, now=0.0, ttl_s=60)
    await store.set_password("PRIYA", "a brand new password")
    assert await store.employee_for_token(token, now=1.0) is None
    assert await store.authenticate("priya", PASSWORD) is None
    assert await store.authenticate("priya", "a brand new password") == priya
    token = await store.create_session(priya, now=0.0, ttl_s=60)
    await store.remove("priya")
    assert await store.employee_for_token(token, now=1.0) is None
    assert await store.employee_for_token(kept, now=1.0) == arjun
    for action in (store.remove("priya"), store.set_password("priya", "another long one")):
        with pytest.raises(AccountError, match="no employee named 'priya'"):
            await action
