"""Fixtures for the unit tests (the environment itself is set in the root conftest.py).

It also sorts the tests for ``make test`` and ``make test-fast``:

- tests in :data:`SLOW_MODULES` and under ``tests/browser/`` and ``tests/deploy/`` are marked
  ``slow``: they start
  kernels, graders, servers or a browser, and ``make test-fast`` leaves them out;
- tests in :data:`SHARED_FIXTURE_GROUPS` share an expensive module or session fixture (a
  graded class, a zygote, a JupyterLab), so pytest-xdist keeps each group on one worker
  instead of building the fixture on every worker.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

SLOW_MODULES = frozenset(
    {
        "test_stored_notebooks.py",
        "test_notebooks.py",
        "test_exercises.py",
        "test_grading.py",
        "test_grading_marks.py",
        "test_grading_isolation.py",
        "test_grading_attacks.py",
        "test_grading_collect.py",
        "test_grading_evaluator.py",
        "test_warm_kernels.py",
        "test_chart_cache.py",
        "test_agreement.py",
        "test_grading_discover.py",
        "test_student_copy.py",
        "test_kernel_hints.py",
    }
)

#: Module -> xdist group. All browser tests form one group: one JupyterLab and one Chromium
#: for the run, while the other worker executes notebooks and grades.
SHARED_FIXTURE_GROUPS = {
    "test_grading.py": "graded-class",
    "test_grading_marks.py": "marked-class",
    "test_grading_isolation.py": "hostile-class",
    "test_grading_attacks.py": "attacked-class",
    "test_notebooks.py": "built-lesson",
    "test_warm_kernels.py": "sandbox",
}


def _is_browser_test(item: pytest.Item) -> bool:
    return "browser" in item.path.parent.parts[-1:]


def _is_hub_test(item: pytest.Item) -> bool:
    """tests/deploy: one JupyterHub, two Unix users and one Chromium for the whole module."""
    return "deploy" in item.path.parent.parts[-1:]


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        name = item.path.name
        if name in SLOW_MODULES or _is_browser_test(item) or _is_hub_test(item):
            item.add_marker(pytest.mark.slow)
        group = "browser" if _is_browser_test(item) else SHARED_FIXTURE_GROUPS.get(name)
        if _is_hub_test(item):
            group = "hub"
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))


def pytest_configure(config: pytest.Config) -> None:
    """Refuse to run when pytest-xdist cannot group the tests.

    pytest-xdist marks a grouped test by appending ``@group`` to its id. With pytest 9.2
    and pytest-xdist 3.8 that has no effect (pytest-xdist issue 1386): every test of a
    group is scheduled on its own, each worker builds the graded classes, JupyterLab and
    the hub again, and a run takes twice as long. pyproject.toml keeps pytest below 9.2.
    """
    if config.getoption("dist", "no") != "loadgroup":
        return
    from importlib.metadata import version

    def release(package: str) -> tuple[int, ...]:
        return tuple(int(part) for part in version(package).split(".")[:2] if part.isdigit())

    if release("pytest") >= (9, 2) and release("pytest-xdist") <= (3, 8):
        raise pytest.UsageError(
            f"pytest {version('pytest')} with pytest-xdist {version('pytest-xdist')} does not "
            "keep grouped tests together: run make setup to install the versions "
            "pyproject.toml asks for"
        )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    """Keep each test's call report on the item, so browser fixtures can save artefacts."""
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


@pytest.fixture(scope="session")
def shared_chromium() -> Iterator[object]:
    """One Playwright and one Debian Chromium per test process, for browser and hub tests.

    Playwright's sync API runs one event loop per process, so a second ``sync_playwright()``
    in the same pytest-xdist worker fails ("Sync API inside the asyncio loop"): the browser
    tests and the hub test share this one. Each test opens its own context.
    """
    from playwright.sync_api import sync_playwright

    from notebook_page import CHROMIUM, CHROMIUM_FLAGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def progress_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty progress location for one test."""
    path = tmp_path / "progress.json"
    monkeypatch.setenv("POSTSOVIET_PROGRESS", str(path))
    return path


@pytest.fixture(autouse=True)
def matplotlib_settings_restored() -> Iterator[None]:
    """Each test leaves matplotlib's settings as it found them.

    Some tests run a lesson's set-up cell in this process, and its ``use_course_style()``
    changes rcParams for the rest of the session: a later test drawing with the defaults
    would then get the course's line-style cycle and pass or fail by test order.
    """
    import matplotlib

    with matplotlib.rc_context():
        yield


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
