"""A real JupyterLab on 127.0.0.1 and Debian's Chromium, driven by Playwright.

The server serves a temporary copy of the notebooks (JupyterLab autosaves; the
repository's files must not change) with a random token, its own settings folder (no
news fetching, cells always in the page) and a throw-away quiz-progress file. Without
``/usr/bin/chromium`` the tests skip with one line, except in CI (``CI`` set), where a
missing browser is a failure: ``.ci/run`` installs it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from notebook_page import ROOT, new_tab, save_artefacts

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
EXERCISE = ROOT / "tests" / "samples" / "exercises" / "90-sample-elections.ipynb"


def _require_browser() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run should install Debian's chromium")
    pytest.skip(f"browser tests skipped: {CHROMIUM} not found (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    _require_browser()
    home = tmp_path_factory.mktemp("lab")
    served = home / "served"
    (served / "course").mkdir(parents=True)
    (served / "exercises").mkdir()
    for path in (ROOT / "course").glob("*.ipynb"):
        shutil.copy(path, served / "course")
    exercises = sorted((ROOT / "exercises").glob("*.ipynb")) or [EXERCISE]
    shutil.copy(exercises[0], served / "exercises")
    settings = home / "settings"
    for name, values in {
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },
    }.items():
        target = settings / f"{name}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values), encoding="utf-8")
    token, port = secrets.token_hex(16), _free_port()
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "POSTSOVIET_PROGRESS": str(home / "progress.json"),
    }
    env.pop("MPLBACKEND", None)
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={served}",
        "--ServerApp.allow_root=True",
    ]
    log = (home / "server.log").open("w", encoding="utf-8")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as reply:
                if reply.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail("JupyterLab did not start: " + (home / "server.log").read_text()[-1500:])
        time.sleep(0.2)
    yield {"base": base, "token": token, "served": str(served)}
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.fixture(scope="session")
def browser(lab: dict[str, str]) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request: pytest.FixtureRequest) -> Iterator[object]:
    context, tab, errors = new_tab(browser)
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        save_artefacts(tab, request.node.name, errors)
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report
