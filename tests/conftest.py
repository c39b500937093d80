"""Fixtures for every suite: the models exported to ONNX go to a cache of this test session."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from panread._onnx import CACHE_ENV


@pytest.fixture(scope="session", autouse=True)
def onnx_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point ``$PANREAD_CACHE_DIR`` at a temporary directory (inherited by server processes),
    so tests never write into the user's cache and export the models once per session."""
    before = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("panread-cache"))
    yield
    if before is None:
        del os.environ[CACHE_ENV]
    else:
        os.environ[CACHE_ENV] = before
