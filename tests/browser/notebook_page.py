"""Driving a notebook in JupyterLab: open it, run it, find a cell's output area.

Waits are on the page's own state (kernel status, execution prompts), never on sleeps.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ACTIVE = ".jp-NotebookPanel:not(.lm-mod-hidden)"
ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "test-artifacts"
SAMPLE_EXERCISE = ROOT / "tests" / "samples" / "exercises" / "90-sample-elections.ipynb"


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


class LabDidNotStart(RuntimeError):
    """The JupyterLab server exited or did not answer within 90 seconds."""


def _ephemeral_start() -> int:
    """The lowest port the kernel hands out for port 0 (Linux's default if unreadable)."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port() -> int:
    """A free port on 127.0.0.1 below the ephemeral range.

    A port taken from the ephemeral range (binding port 0) is free only until someone else
    binds port 0: the dozens of kernels other tests start every minute (five ports each)
    could take it between this probe and the server's own bind. Below that range only
    servers that ask for a port by number compete.
    """
    candidates = list(range(20000, max(20001, _ephemeral_start())))
    secrets.SystemRandom().shuffle(candidates)
    for port in candidates[:200]:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as probe:  # nothing free below the range: fall back to port 0
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_lab_settings(settings: Path) -> Path:
    """JupyterLab settings for tests: no news fetching, every cell kept in the page."""
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
    return settings


def tick(area: Any, letters: list[str]) -> None:
    """Tick the options with these letters in a quiz widget, by clicking."""
    for letter in letters:
        area.locator("label.widget-checkbox, .widget-checkbox").filter(
            has_text=f"{letter})"
        ).locator("input").check()


#: Kernels run over Unix sockets (``--KernelManager.transport=ipc``): "Restart Kernel"
#: binds the same TCP ports again, and the kernels other tests start meanwhile may have
#: taken one, so the kernel never comes back from "Starting".
KERNELS_OVER_UNIX_SOCKETS = "--KernelManager.transport=ipc"


@contextmanager
def short_runtime_folder(mode: int = 0o700) -> Iterator[Path]:
    """A runtime folder with a short path, removed afterwards.

    A kernel's Unix sockets are named after its connection file, and a socket's path may
    hold at most 107 bytes: under a deep temporary folder (pytest's, a student's home)
    the kernel would fail with "File name too long".
    """
    folder = Path(tempfile.mkdtemp(prefix="psk-", dir="/tmp"))
    folder.chmod(mode)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def running_lab(home: Path, notebooks: dict[str, Path]) -> Iterator[dict[str, str]]:
    """JupyterLab on 127.0.0.1 serving copies of ``notebooks`` (served path -> file).

    The server gets a random token, its own settings (no news fetching, every cell in
    the page) and a throw-away quiz-progress file; JupyterLab autosaves, so it serves
    copies and the repository's files never change. Shared by the browser tests and
    the explorer-latency benchmark.
    """
    served = home / "served"
    for target, source in notebooks.items():
        (served / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, served / target)
    settings = write_lab_settings(home / "settings")
    token, port = secrets.token_hex(16), free_port()
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
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
        KERNELS_OVER_UNIX_SOCKETS,
    ]
    log_path = home / "server.log"
    with short_runtime_folder() as runtime, log_path.open("w", encoding="utf-8") as log:
        env["JUPYTER_RUNTIME_DIR"] = str(runtime)
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(server, f"{base}/api/status?token={token}", log_path)
            yield {"base": base, "token": token, "served": str(served)}
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


def _wait_until_up(server: subprocess.Popen, status_url: str, log: Path) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(status_url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise LabDidNotStart("JupyterLab did not start: " + log.read_text()[-1500:])
        time.sleep(0.2)


def notebooks_under_test() -> list[str]:
    """Every lesson, and one exercise (the sample until the lessons bring theirs)."""
    lessons = [f"course/{p.name}" for p in sorted((ROOT / "course").glob("*.ipynb"))]
    exercises = sorted((ROOT / "exercises").glob("*.ipynb")) or [SAMPLE_EXERCISE]
    return [*lessons, f"exercises/{exercises[0].name}"]


def every_notebook() -> list[str]:
    """Every lesson and every exercise notebook, as served by the ``lab`` fixture."""
    lessons = [f"course/{p.name}" for p in sorted((ROOT / "course").glob("*.ipynb"))]
    exercises = sorted((ROOT / "exercises").glob("*.ipynb")) or [SAMPLE_EXERCISE]
    return [*lessons, *(f"exercises/{p.name}" for p in exercises)]


def open_notebook(page: Any, lab: dict[str, str], path: str) -> None:
    """Open ``path`` alone, in a workspace of its own (no panels left by another test).

    Returns once the kernel is idle and every cell that has stored outputs shows them:
    JupyterLab renders outputs after the cells appear, so reading sooner sees nothing.
    """
    workspace = f"test-{secrets.token_hex(6)}"
    page.goto(f"{lab['base']}/lab/workspaces/{workspace}/tree/{path}?token={lab['token']}")
    page.wait_for_selector(f"{ACTIVE} .jp-Cell")
    cells = json.loads((Path(lab["served"]) / path).read_text(encoding="utf-8"))["cells"]
    with_outputs = sum(bool(c.get("outputs")) for c in cells if c["cell_type"] == "code")
    page.wait_for_function(
        """([active, count]) => [...document.querySelectorAll(active + ' .jp-CodeCell')]
            .filter(cell => cell.querySelector('.jp-OutputArea-output')).length >= count""",
        arg=[ACTIVE, with_outputs],
    )
    wait_for_kernel_idle(page)


def wait_for_kernel_idle(page: Any, timeout: int = 90_000) -> None:
    page.wait_for_function(
        """(active) => {
            const panel = document.querySelector(active);
            const indicator = panel && panel.querySelector('.jp-Notebook-ExecutionIndicator');
            return indicator && indicator.getAttribute('data-status') === 'idle';
        }""",
        arg=ACTIVE,
        timeout=timeout,
    )


def code_cell_count(path: Path) -> int:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return sum(cell["cell_type"] == "code" for cell in cells)


#: How long a kernel must have been idle before it is restarted: restarted within a second
#: of its first connection, JupyterLab's reconnecting socket and the server race
#: ("Replacing stale connection", then a message the server cannot unpack) and the
#: kernel stays at "Starting" for good.
SETTLED_MS = 1500
#: A restarted kernel still "starting" after this long is stuck (the race above, seen
#: only on a loaded machine): the run is asked for once more, as a student would.
STUCK_MS = 60_000


def wait_for_kernel_settled(page: Any, timeout: int = 90_000) -> None:
    """Wait until the notebook's kernel has been idle for ``SETTLED_MS`` without a break."""
    page.wait_for_function(
        """([active, settled]) => {
            const panel = document.querySelector(active);
            const indicator = panel && panel.querySelector('.jp-Notebook-ExecutionIndicator');
            if (!indicator || indicator.getAttribute('data-status') !== 'idle') {
                window.__idleSince = null;
                return false;
            }
            window.__idleSince = window.__idleSince || performance.now();
            return performance.now() - window.__idleSince >= settled;
        }""",
        arg=[ACTIVE, SETTLED_MS],
        polling=100,
        timeout=timeout,
    )


def _ask_to_restart_and_run_all(page: Any) -> None:
    """Click Kernel ▸ Restart Kernel and Run All Cells until a cell is queued (three tries).

    JupyterLab can report an idle kernel a moment before the notebook's session holds it;
    a restart then finds "No kernel to restart" and nothing runs.
    """
    page.evaluate(
        """(active) => {
            window.__queued = new Set();
            window.__stuckSince = null;
            const panel = document.querySelector(active);
            const note = () => panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')
                .forEach((prompt, i) => {
                    if (prompt.textContent.trim() === '[*]:') window.__queued.add(i);
                });
            if (window.__promptWatch) window.__promptWatch.disconnect();
            window.__promptWatch = new MutationObserver(note);
            window.__promptWatch.observe(panel, {subtree: true, childList: true,
                                                 characterData: true});
        }""",
        ACTIVE,
    )
    for attempt in range(3):
        page.get_by_role("menuitem", name="Kernel", exact=True).click()
        page.get_by_role("menuitem", name="Restart Kernel and Run All Cells…").click()
        page.locator(".jp-Dialog .jp-mod-accept").click()
        try:
            page.wait_for_function("() => window.__queued.size > 0", timeout=30_000)
            return
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise


def restart_and_run_all(page: Any, code_cells: int) -> None:
    """Kernel ▸ Restart Kernel and Run All Cells, then wait until every cell has run again.

    After the run the prompts read [1]..[n], as they did before it, so a wait on the
    prompts alone could return at once. An observer notes each cell whose prompt turns
    to [*] (queued or running); the wait ends when every cell has been through that
    and shows its number again. It starts once the notebook's kernel has settled (see
    ``SETTLED_MS``); for a kernel stuck at "Starting" (``STUCK_MS``) the page is reloaded
    and the run asked for once more.
    """
    for attempt in range(2):
        wait_for_kernel_settled(page)
        _ask_to_restart_and_run_all(page)
        outcome = page.wait_for_function(
            """([active, count, stuck]) => {
                const panel = document.querySelector(active);
                const indicator = panel.querySelector('.jp-Notebook-ExecutionIndicator');
                const status = indicator && indicator.getAttribute('data-status');
                if (status !== 'idle' && status !== 'busy') {  // starting, unknown, dead...
                    window.__stuckSince = window.__stuckSince || performance.now();
                    if (performance.now() - window.__stuckSince >= stuck) return 'stuck';
                } else {
                    window.__stuckSince = null;
                }
                const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                    .map(p => p.textContent.trim());
                const expected = Array.from({length: count}, (_, i) => `[${i + 1}]:`);
                return window.__queued.size === count && prompts.length === count
                    && prompts.every((p, i) => p === expected[i]) && 'done';
            }""",
            arg=[ACTIVE, code_cells, STUCK_MS],
            polling=250,
            timeout=180_000,
        ).json_value()
        if outcome == "done":
            break
        if attempt == 1:
            raise AssertionError(f"the kernel stayed at 'Starting' for {STUCK_MS} ms, twice")
        # A stuck kernel never settles, and asking again on the same connection was seen
        # to stay stuck: reload the page, as a student would, and ask once more.
        page.reload()
        page.wait_for_selector(f"{ACTIVE} .jp-Cell")
        wait_for_kernel_idle(page)
    page.evaluate("() => window.__promptWatch.disconnect()")
    wait_for_kernel_idle(page)


def output_area(page: Any, source_snippet: str) -> Any:
    """The output area of the one code cell whose source contains ``source_snippet``.

    Assertions look inside this locator only: the cell's source text also contains the
    words the feedback uses, so matching the whole cell would prove nothing.
    """
    cell = page.locator(f"{ACTIVE} .jp-CodeCell").filter(
        has=page.locator(".jp-InputArea", has_text=source_snippet)
    )
    return cell.locator(".jp-OutputArea")


def save_artefacts(tab: object, name: str, errors: list[str]) -> None:
    """A screenshot and the console errors of a failed test, paths printed for CI logs."""
    ARTEFACTS.mkdir(exist_ok=True)
    stem = "".join(c if c.isalnum() else "-" for c in name)[:120]
    shot, console = ARTEFACTS / f"{stem}.png", ARTEFACTS / f"{stem}.console.txt"
    try:
        tab.screenshot(path=str(shot), full_page=True)
    except Exception as error:  # the page may be gone; the console log still helps
        errors.append(f"screenshot failed: {error}")
    console.write_text("\n".join(errors) or "(no console errors)", encoding="utf-8")
    print(f"\nbrowser artefacts: {shot} {console}")


def new_tab(browser: object) -> tuple[object, object, list[str]]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(f"{m.type}: {m.text}") if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    return context, tab, errors
