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
