"""A real JupyterLab on 127.0.0.1 and Debian's Chromium, driven by Playwright.

The server serves a temporary copy of the notebooks (JupyterLab autosaves; the
repository's files must not change) with a random token, its own settings folder (no
news fetching, cells always in the page) and a throw-away quiz-progress file. Without
``/usr/bin/chromium`` the tests skip with one line, except in CI (``CI`` set), where a
missing browser is a failure: ``.ci/run`` installs it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from notebook_page import (
    CHROMIUM,
    ROOT,
    LabDidNotStart,
    new_tab,
    running_lab,
    save_artefacts,
)

EXERCISE = ROOT / "tests" / "samples" / "exercises" / "90-sample-elections.ipynb"

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
