"""Shared test set-up.

The quiz progress file is pointed at a temporary folder before anything runs, so tests
(and the notebook kernels nbval starts, which inherit this environment) never touch a
real student's record, and stored notebook outputs do not depend on earlier answers.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_SESSION_DIR = tempfile.mkdtemp(prefix="postsoviet-tests-")
os.environ["POSTSOVIET_PROGRESS"] = str(Path(_SESSION_DIR) / "progress.json")
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def progress_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty progress location for one test."""
    path = tmp_path / "progress.json"
    monkeypatch.setenv("POSTSOVIET_PROGRESS", str(path))
    return path
