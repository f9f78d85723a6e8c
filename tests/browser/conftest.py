"""A real JupyterLab on 127.0.0.1 and Debian's Chromium, driven by Playwright.

The server serves a temporary copy of the notebooks (JupyterLab autosaves; the
repository's files must not change) with a random token, its own settings folder (no
news fetching, cells always in the page) and a throw-away quiz-progress file. Without
``/usr/bin/chromium`` the tests skip with one line, except in CI (``CI`` set), where a
missing browser is a failure: ``.ci/run`` installs it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from page_audit import audit, screenshot
from playwright.sync_api import expect

from notebook_page import (
    CHROMIUM,
    ROOT,
    LabDidNotStart,
    code_cell_count,
    new_tab,
    open_notebook,
    restart_and_run_all,
    running_lab,
    save_artefacts,
)

EXERCISE = ROOT / "tests" / "samples" / "exercises" / "90-sample-elections.ipynb"
SHARED_RUNS = "shared-run"  # where the lab serves the copies that ran_notebooks runs

# An assertion waits for the page as long as an action does: on a loaded two-core CI
# machine a kernel round trip can take longer than Playwright's default of 5 s.
expect.set_options(timeout=60_000)


def _require_browser() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run should install Debian's chromium")
    pytest.skip(f"browser tests skipped: {CHROMIUM} not found (apt-get install chromium)")


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    _require_browser()
    exercises = sorted((ROOT / "exercises").glob("*.ipynb")) or [EXERCISE]
    notebooks = {f"course/{p.name}": p for p in (ROOT / "course").glob("*.ipynb")}
    # Every exercise notebook: the rendered-page audit opens each one.
    notebooks.update({f"exercises/{p.name}": p for p in exercises})
    # A second copy of each for the shared runs (ran_notebooks): JupyterLab keeps one kernel
    # per path, so a run left alive there would show through every fresh tab of the same path.
    notebooks.update({f"{SHARED_RUNS}/{path}": file for path, file in list(notebooks.items())})
    try:
        with running_lab(tmp_path_factory.mktemp("lab"), notebooks) as served:
            yield served
    except LabDidNotStart as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def browser(lab: dict[str, str], shared_chromium: object) -> object:
    """The worker's one Chromium (tests/conftest.py), once JupyterLab is up."""
    return shared_chromium


@pytest.fixture
def page(browser, request: pytest.FixtureRequest) -> Iterator[object]:
    context, tab, errors = new_tab(browser)
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        save_artefacts(tab, request.node.name, errors)
    context.close()


@dataclass
class RanNotebook:
    """A notebook opened in a tab of its own, audited as stored, then run once."""

    tab: Any
    errors: list[str]
    stored_problems: list[str]  # the rendered-page audit before Run All (page_audit.py)


@pytest.fixture(scope="session")
def ran_notebooks(browser, lab: dict[str, str]) -> Iterator[Callable[[str], RanNotebook]]:
    """``ran_notebooks(path)``: the one run of ``path`` that every reading test shares.

    A full run is the costly part of a browser test, so each notebook is run once per
    session: the audit, the error and widget checks, axe, the quizzes of lesson 00, the
    explorers and the claims board all read that run. It runs the copy under
    ``shared-run/``, so tests that need a notebook as it starts (never run, or run afresh
    in test_lesson_02.py and test_lesson_06.py) still open the original. A run that failed
    fails every test that asks for it again, without running it again.
    """
    runs: dict[str, RanNotebook | BaseException] = {}
    contexts: list[Any] = []

    def ran(path: str) -> RanNotebook:
        if path not in runs:
            context, tab, errors = new_tab(browser)
            contexts.append(context)
            served = Path(lab["served"]) / SHARED_RUNS / path
            try:
                open_notebook(tab, lab, f"{SHARED_RUNS}/{path}")
                stored = audit(tab, served)
                screenshot(tab, f"{path}-stored")
                restart_and_run_all(tab, code_cell_count(served))
                runs[path] = RanNotebook(tab, errors, stored)
            except Exception as error:
                save_artefacts(tab, f"run-{path}", errors)
                runs[path] = error
                raise
        outcome = runs[path]
        if isinstance(outcome, BaseException):
            raise RuntimeError(f"the run of {path} failed earlier in this session") from outcome
        return outcome

    yield ran
    for context in contexts:
        context.close()


@pytest.fixture
def ran_notebook(
    ran_notebooks: Callable[[str], RanNotebook], request: pytest.FixtureRequest
) -> Iterator[Callable[[str], RanNotebook]]:
    """The shared run for one test, with a screenshot of its tab if that test fails."""
    used: list[RanNotebook] = []

    def ran(path: str) -> RanNotebook:
        used.append(ran_notebooks(path))
        return used[-1]

    yield ran
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        for run in used:
            save_artefacts(run.tab, request.node.name, run.errors)
