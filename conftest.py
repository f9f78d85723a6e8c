"""Pytest set-up shared by the unit tests and the notebook checks (nbval).

Each notebook is validated in a kernel that starts with an empty quiz-progress file of
its own, exactly as ``python -m postsoviet build`` executed it, so the stored outputs
(``progress()`` for instance) are reproduced and a student's real record is never touched.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_SCRATCH = Path(tempfile.mkdtemp(prefix="postsoviet-tests-"))
os.environ["POSTSOVIET_PROGRESS"] = str(_SCRATCH / "progress.json")
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before a notebook's kernel starts (its first cell), give it a fresh progress file."""
    notebook = item.parent
    if notebook is None or not str(notebook.path).endswith(".ipynb"):
        return
    if getattr(notebook, "_postsoviet_progress", None) is None:
        notebook._postsoviet_progress = _SCRATCH / f"{notebook.path.stem}-progress.json"
        os.environ["POSTSOVIET_PROGRESS"] = str(notebook._postsoviet_progress)
