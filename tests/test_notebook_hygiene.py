"""Every committed notebook is stored clean: executed in order, no errors, nothing volatile.

This is the fast, kernel-free guard over ``course/``, ``solutions/`` and ``exercises/``; the
rules themselves are tested in ``test_notebooks.py``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from postsoviet.notebooks import hygiene_problems

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("course", "solutions", "exercises")


def committed_notebooks() -> list[str]:
    """Notebooks under version control in the course folders, relative to the repository.

    Outside a git checkout (a downloaded archive) every notebook in those folders counts.
    """
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--", *(f"{folder}/*.ipynb" for folder in FOLDERS)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return sorted(
            str(path.relative_to(ROOT))
            for folder in FOLDERS
            for path in (ROOT / folder).rglob("*.ipynb")
            if ".ipynb_checkpoints" not in path.parts
        )
    return sorted(name for name in listed.split("\0") if name)


NOTEBOOKS = committed_notebooks()


@pytest.mark.parametrize(
    "notebook",
    NOTEBOOKS
    or [
        pytest.param(
            None,
            marks=pytest.mark.skip(
                reason="no notebooks committed in course/, solutions/ or exercises/ yet"
            ),
        )
    ],
)
def test_committed_notebook_is_clean(notebook: str) -> None:
    problems = hygiene_problems(ROOT / notebook)
    assert not problems, "\n".join(problems)
