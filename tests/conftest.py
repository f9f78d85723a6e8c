"""Fixtures for the unit tests (the environment itself is set in the root conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def progress_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty progress location for one test."""
    path = tmp_path / "progress.json"
    monkeypatch.setenv("POSTSOVIET_PROGRESS", str(path))
    return path


@pytest.fixture(autouse=True)
def charts_rendered_when_asked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """Explorers render each chart when drawn, with nothing ahead in the background.

    Tests of an explorer's logic count and inspect the figures it draws; background
    renders would add figures at random moments. The cache itself is tested, switched on,
    in tests/test_chart_cache.py.
    """
    if request.node.path.name != "test_chart_cache.py":
        from postsoviet.explorers._base import ChartCache

        monkeypatch.setattr(ChartCache, "enabled", False)
