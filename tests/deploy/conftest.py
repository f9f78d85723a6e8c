"""One real JupyterHub for the whole module, two throw-away Unix users, one Chromium.

Isolation between students is only real with separate Unix users, so the hub uses
JupyterHub's LocalProcessSpawner and the fixture creates two system users with a unique
prefix (``pst`` and random letters), each with a private home (mode 0700), and removes
them and their homes afterwards. That needs root, which CI has.

Outside CI, a missing Chromium, npm's configurable-http-proxy or root skips the module
with one line; in CI (``CI`` set) each is a failure, because ``.ci/run`` installs them.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from postsoviet import student_copy

from hubkit import ROOT, Hub, HubDidNotStart, proxy_command, running_hub, searchable_by_all
from notebook_page import ARTEFACTS, CHROMIUM, new_tab, save_artefacts
from quizkit import course_checkout


def _require(condition: bool, what: str) -> None:
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"hub test: {what} in CI; .ci/run and make setup should provide it")
    pytest.skip(f"hub test skipped: {what}")


@dataclass
class Class:
    """The hub, its students (Unix users), the course source and the published copy."""

    hub: Hub
    students: list[str]
    source: Path  # a course checkout the instructor may change
    copy: Path  # the student copy students pull (file:// on the hub's disk)

    def home(self, student: str) -> Path:
        return Path(pwd.getpwnam(student).pw_dir)


def _add_user(name: str, homes: Path) -> None:
    home = homes / name
    subprocess.run(
        [
            "useradd",
            "--create-home",
            "--home-dir",
            str(home),
            "--user-group",
            "--shell",
            "/bin/sh",
            name,
        ],
        check=True,
        capture_output=True,
    )
    home.chmod(0o700)


def _remove_user(name: str) -> None:
    subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
    subprocess.run(["userdel", "--remove", name], capture_output=True)


@pytest.fixture(scope="session")
def hub_class(request: pytest.FixtureRequest) -> Iterator[Class]:
    _require(CHROMIUM.exists(), f"{CHROMIUM} not found (apt-get install chromium)")
    _require(proxy_command() is not None, "configurable-http-proxy not found (needs npm)")
    _require(os.geteuid() == 0, "creating two throw-away Unix users needs root")
    _require(shutil.which("useradd") is not None, "useradd not found")
    base = Path(tempfile.mkdtemp(prefix="postsoviet-hub-"))
    base.chmod(0o755)  # students' servers read the student copy and lab settings here
    homes = base / "home"
    homes.mkdir(mode=0o755)
    tag = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(6))
    students = [f"pst{tag}a", f"pst{tag}b"]
    made: list[str] = []
    try:
        for name in students:
            _add_user(name, homes)
            made.append(name)
        source = course_checkout(base / "instructor" / "course")
        copy = base / "published" / "student-copy"
        student_copy.publish(source, copy)
        subprocess.run(["chmod", "-R", "a+rX", str(base / "published")], check=True)
        try:
            with searchable_by_all(ROOT), running_hub(base / "hub", students) as hub:
                failed_before = request.session.testsfailed
                yield Class(hub, students, source, copy)
                if request.session.testsfailed > failed_before:  # the students' servers too
                    ARTEFACTS.mkdir(exist_ok=True)
                    shutil.copy(hub.log, ARTEFACTS / "hub.log")
                    print(f"hub log saved: {ARTEFACTS / 'hub.log'}")
        except HubDidNotStart as error:
            pytest.fail(str(error))
    finally:
        for name in made:
            _remove_user(name)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def chromium(hub_class: Class, shared_chromium: object) -> object:
    """The worker's one Chromium (tests/conftest.py), once the hub is up."""
    return shared_chromium


@pytest.fixture
def tab_for(chromium, request: pytest.FixtureRequest):
    """A fresh browser context per student (own cookies), with artefacts on failure."""
    opened: list[tuple[object, object, list[str]]] = []

    def open_tab() -> object:
        opened.append(new_tab(chromium))
        return opened[-1][1]

    yield open_tab
    report = getattr(request.node, "rep_call", None)
    for number, (context, tab, errors) in enumerate(opened):
        if report is not None and report.failed:
            save_artefacts(tab, f"{request.node.name}-{number}", errors)
        context.close()
