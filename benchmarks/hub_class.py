"""A class on one hub: simulated students, through the hub's REST API and kernels.

Each simulated student, all at once as when a class clicks the link together: the hub
starts their server (REST API), nbgitpuller pulls the student copy (its own ``git-pull/api``
endpoint, as the link's page calls it), a kernel runs every code cell of lesson 00 (a
notebook session over the Jupyter websocket), and the student answers one quiz in it.
"Lesson ready" is the time from the spawn request to the last cell of lesson 00 done.
Memory is sampled every half second: per student the resident memory (RSS) of their
server and its kernels, for the hub the hub process and its proxy. The baseline is one
plain JupyterLab server running the same lesson alone.

Servers run as the benchmark's own user (SimpleLocalProcessSpawner): the measured costs
are the same as with one Unix user per student, which the hub test covers.

``python benchmarks/hub_class.py --students 5`` measures and updates
``benchmarks/results.json`` and ``docs/performance.md``; ``make bench`` runs it for 40.
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat
import psutil
import websocket

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "deploy"))

from postsoviet import student_copy  # noqa: E402

from hubkit import Hub, running_hub  # noqa: E402  (the hub test's helpers)
from notebook_page import running_lab  # noqa: E402

LESSON = "course/00-start-here.ipynb"


def _quiz_cell() -> str:
    """A student's right answer to the lesson's first quiz, typed in text mode."""
    from postsoviet.quiz.authoring import load_source

    source = load_source(ROOT / "solutions" / "quizzes" / "00-start-here.yaml")
    question = next(q for q in source["questions"] if q["id"] == "start-here-1")
    return f"from postsoviet.quiz import answer\nanswer({question['id']!r}, {question['answer']!r})"


def _cells(path: Path) -> list[str]:
    cells = nbformat.read(path, as_version=4).cells
    return [c.source for c in cells if c.cell_type == "code"] + [_quiz_cell()]


def run_cells(base: str, headers: dict[str, str], path: str, cells: list[str]) -> None:
    """Open a notebook session at ``path`` on a Jupyter server and run ``cells`` in order."""
    import urllib.request

    body = json.dumps({"path": path, "type": "notebook", "kernel": {"name": "python3"}})
    request = urllib.request.Request(
        f"{base}/api/sessions", data=body.encode(), method="POST", headers=headers
    )
    with urllib.request.urlopen(request, timeout=300) as reply:
        kernel = json.loads(reply.read())["kernel"]["id"]
    address = base.replace("http", "ws", 1) + f"/api/kernels/{kernel}/channels"
    socket = websocket.create_connection(
        address, header=[f"{k}: {v}" for k, v in headers.items()], timeout=300
    )
    try:
        for source in cells:
            msg_id = uuid.uuid4().hex
            socket.send(
                json.dumps(
                    {
                        "header": {
                            "msg_id": msg_id,
                            "msg_type": "execute_request",
                            "username": "",
                            "session": uuid.uuid4().hex,
                            "version": "5.3",
                        },
                        "parent_header": {},
                        "metadata": {},
                        "channel": "shell",
                        "buffers": [],
                        "content": {
                            "code": source,
                            "silent": False,
                            "store_history": False,
                            "user_expressions": {},
                            "allow_stdin": False,
                        },
                    }
                )
            )
            while True:
                message = json.loads(socket.recv())
                if (
                    message.get("channel") == "shell"
                    and message["parent_header"].get("msg_id") == msg_id
                ):
                    if message["content"]["status"] != "ok":
                        raise RuntimeError(f"a lesson cell failed: {message['content']}")
                    break
    finally:
        socket.close()


def _pull(hub: Hub, name: str, path: str, patience: float = 120) -> Any:
    """The nbgitpuller request, asked again while the student's route answers 404 or 5xx.

    With 40 servers started at once, one server that the hub already reported ready
    answered its first request with 404, and the whole measurement was lost. A student
    would reload the link; this asks again, for ``patience`` seconds at the most, and
    says so on stderr.
    """
    deadline = time.monotonic() + patience
    while True:
        try:
            return hub.user_request(name, path)
        except urllib.error.HTTPError as error:
            if error.code not in (404, 502, 503) or time.monotonic() > deadline:
                raise
            print(f"{name}: pull answered {error.code}, asking again", file=sys.stderr)
            time.sleep(1)


def _student(hub: Hub, name: str, repo: str, cells: list[str]) -> float:
    """Spawn, pull, run lesson 00 and answer: seconds until the lesson is ready."""
    start = time.perf_counter()
    hub.api("POST", f"/users/{name}/server")
    hub.wait_for_server(name)
    query = urllib.parse.urlencode({"repo": repo, "branch": "main"})
    with _pull(hub, name, f"/git-pull/api?{query}") as stream:
        for line in stream:
            if b'"phase": "error"' in line:
                raise RuntimeError(f"{name}: nbgitpuller failed: {line!r}")
    folder = Path(urllib.parse.urlsplit(repo).path).name
    headers = {"Authorization": f"token {hub.token}", "Content-Type": "application/json"}
    run_cells(f"{hub.url}/user/{name}", headers, f"{folder}/{LESSON}", cells)
    return time.perf_counter() - start


class MemorySampler:
    """Peak RSS per student (server and kernels) and of the hub with its proxy."""

    def __init__(self, hub_pid: int) -> None:
        self.hub_pid = hub_pid
        self.peaks: dict[str, float] = {}
        self.hub_peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        try:
            hub = psutil.Process(self.hub_pid)
        except psutil.NoSuchProcess:
            return
        hub_total = hub.memory_info().rss
        for child in hub.children(recursive=False):
            try:
                command = " ".join(child.cmdline())
                tree = [child, *child.children(recursive=True)]
                total = sum(p.memory_info().rss for p in tree)
                if "configurable-http-proxy" in command:
                    hub_total += total
                elif "jupyterhub.singleuser" in command:
                    user = child.environ().get("JUPYTERHUB_USER", "?")
                    self.peaks[user] = max(self.peaks.get(user, 0.0), total / 2**20)
            except psutil.Error:
                continue
        self.hub_peak = max(self.hub_peak, hub_total / 2**20)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(0.5)

    @contextmanager
    def running(self) -> Iterator[MemorySampler]:
        self._thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            self._thread.join()


def _baseline(folder: Path, cells: list[str]) -> tuple[float, float]:
    """One JupyterLab alone: seconds to lesson ready (server start included), peak MB."""
    start = time.perf_counter()
    with running_lab(folder, {LESSON: ROOT / LESSON}) as lab:
        headers = {"Authorization": f"token {lab['token']}", "Content-Type": "application/json"}
        server = next(
            p
            for p in psutil.process_iter(["cmdline"])
            if f"--IdentityProvider.token={lab['token']}" in " ".join(p.info["cmdline"] or [])
        )
        peak, done = [0.0], threading.Event()

        def sample() -> None:
            while not done.is_set():
                try:
                    tree = [server, *server.children(recursive=True)]
                    peak[0] = max(peak[0], sum(p.memory_info().rss for p in tree) / 2**20)
                except psutil.Error:
                    pass
                done.wait(0.5)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        run_cells(lab["base"], headers, LESSON, cells)
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
    return seconds, peak[0]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def measure(students: int) -> dict[str, object]:
    """The class figures for ``students`` simulated students, as data for results.json."""
    cells = _cells(ROOT / LESSON)
    with tempfile.TemporaryDirectory(prefix="postsoviet-bench-hub-") as scratch:
        folder = Path(scratch)
        alone_seconds, alone_mb = _baseline(folder / "alone", cells)
        copy = folder / "student-copy"
        student_copy.publish(ROOT, copy)
        names = [f"student{n:03d}{secrets.token_hex(2)}" for n in range(students)]
        with running_hub(folder / "hub", names, spawner="simple") as hub:
            pid = int((hub.folder / "hub.pid").read_text())
            idle_hub = MemorySampler(pid)
            idle_hub._sample()
            with MemorySampler(pid).running() as sampler, ThreadPoolExecutor(students) as pool:
                wall = time.perf_counter()
                ready = list(pool.map(lambda n: _student(hub, n, f"file://{copy}", cells), names))
                wall = time.perf_counter() - wall
    per_user = list(sampler.peaks.values())
    return {
        "students": students,
        "students_sampled": len(per_user),  # servers the memory sampler told apart
        "lesson_ready_each_s": [round(t, 1) for t in sorted(ready)],
        "lesson_ready_median_s": round(statistics.median(ready), 1),
        "lesson_ready_p95_s": round(_percentile(ready, 0.95), 1),
        "lesson_ready_max_s": round(max(ready), 1),
        "all_ready_s": round(wall, 1),
        "peak_mb_per_student_median": round(statistics.median(per_user), 0),
        "peak_mb_per_student_max": round(max(per_user), 0),
        "hub_and_proxy_idle_mb": round(idle_hub.hub_peak, 0),
        "hub_and_proxy_peak_mb": round(sampler.hub_peak, 0),
        "single_lab_ready_s": round(alone_seconds, 1),
        "single_lab_peak_mb": round(alone_mb, 0),
    }


def rows(figures: dict[str, object]) -> list[str]:
    """Markdown table rows for docs/performance.md."""
    n = figures["students"]
    return [
        f"| simulated students, all starting at once | {n} | |",
        f"| time to lesson ready, median | {figures['lesson_ready_median_s']} | s |",
        f"| time to lesson ready, 95th percentile | {figures['lesson_ready_p95_s']} | s |",
        f"| time until all {n} were ready | {figures['all_ready_s']} | s |",
        f"| peak memory per student (server + kernel), median | "
        f"{figures['peak_mb_per_student_median']:.0f} | MB |",
        f"| peak memory per student, largest | {figures['peak_mb_per_student_max']:.0f} | MB |",
        f"| hub + proxy, idle / peak | {figures['hub_and_proxy_idle_mb']:.0f} / "
        f"{figures['hub_and_proxy_peak_mb']:.0f} | MB |",
        f"| one JupyterLab alone: start to lesson ready | {figures['single_lab_ready_s']} | s |",
        f"| one JupyterLab alone: peak memory | {figures['single_lab_peak_mb']:.0f} | MB |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40, help="simulated students")
    options = parser.parse_args()
    import run

    figures = measure(options.students)
    results = json.loads(run.RESULTS.read_text(encoding="utf-8"))
    results["hub_class"] = figures
    run.RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    run.OUT.write_text(run.render(results), encoding="utf-8")
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
