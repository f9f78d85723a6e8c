"""Kernels forked by the zygote inside a bwrap sandbox: isolated, separate, and reset."""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from jupyter_client import KernelManager

from postsoviet.grading.runner import WarmSandboxKernel
from postsoviet.grading.sandbox import Sandbox
from postsoviet.warm_kernels import ROOT_ENV, RUN

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="bubblewrap")


def _run(client, code: str) -> str:
    """Run ``code`` and return what it printed."""
    message_id = client.execute(code)
    printed = []
    while True:
        message = client.get_iopub_msg(timeout=60)
        if message["parent_header"].get("msg_id") != message_id:
            continue
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])
        if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            return "".join(printed)


@pytest.fixture(scope="module")
def sandbox():
    box = Sandbox()
    yield box
    box.close()


class BlockingWarmKernel(KernelManager):
    """The grader's sandboxed kernel, with jupyter_client's blocking API for these tests."""

    launcher = WarmSandboxKernel.launcher
    kernel_spec = WarmSandboxKernel.kernel_spec

    async def _async_pre_start_kernel(self, **kwargs: Any) -> Any:
        self.transport, self.ip = "ipc", kwargs["env"][ROOT_ENV] + str(RUN / "k")
        return await super()._async_pre_start_kernel(**kwargs)


def _start(sandbox: Sandbox, tmp_path) -> tuple[KernelManager, Any]:
    sandbox.reset({"note.txt": "for this submission"})
    manager = BlockingWarmKernel()
    manager.start_kernel(env={ROOT_ENV: sandbox.root}, cwd=str(tmp_path))
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    return manager, client


def _sandbox_processes(sandbox: Sandbox) -> list[int]:
    """PIDs in the sandbox's own namespace other than bwrap's init and the zygote."""
    procs = Path(sandbox.root) / "proc"
    return sorted(int(p.name) for p in procs.iterdir() if p.name.isdigit() and int(p.name) > 2)


def test_a_kernel_runs_isolated_in_its_scratch_folder(sandbox, tmp_path) -> None:
    (tmp_path / "secret.txt").write_text("host")
    manager, client = _start(sandbox, tmp_path)
    try:
        printed = _run(
            client,
            "import os, resource, socket\n"
            "print(os.getcwd(), sorted(os.listdir()))\n"
            "print(resource.getrlimit(resource.RLIMIT_AS)[0] > 0)\n"
            f"print(os.path.exists({str(tmp_path / 'secret.txt')!r}))\n"
            "try:\n    socket.create_connection(('127.0.0.1', 9), timeout=2)\n"
            "except OSError as e:\n    print('no network')\n"
            "print(len([p for p in os.listdir('/proc') if p.isdigit()]) < 10)\n",
        )
        assert printed.splitlines() == [
            "/box/scratch ['note.txt']",
            "True",
            "False",
            "no network",
            "True",
        ]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def test_what_one_kernel_changes_does_not_reach_the_next(sandbox, tmp_path) -> None:
    first, client = _start(sandbox, tmp_path)
    _run(client, "import pandas\npandas.read_csv = None\nopen('left.txt', 'w').write('x')")
    client.stop_channels()
    first.shutdown_kernel(now=True)
    second, client = _start(sandbox, tmp_path)
    try:
        printed = _run(client, "import os, pandas\nprint(pandas.read_csv is None, os.listdir())")
        assert printed.strip() == "False ['note.txt']"
    finally:
        client.stop_channels()
        second.shutdown_kernel(now=True)


def test_an_interrupt_reaches_the_forked_kernel(sandbox, tmp_path) -> None:
    manager, client = _start(sandbox, tmp_path)
    try:
        client.execute(
            "import time\ntry:\n    time.sleep(60)\nexcept KeyboardInterrupt:\n"
            "    print('interrupted')"
        )
        time.sleep(1)
        manager.interrupt_kernel()
        deadline = time.monotonic() + 30
        printed = ""
        while "interrupted" not in printed and time.monotonic() < deadline:
            message = client.get_iopub_msg(timeout=30)
            if message["msg_type"] == "stream":
                printed += message["content"]["text"]
        assert "interrupted" in printed
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def test_killing_the_stand_in_ends_the_kernel(sandbox, tmp_path) -> None:
    manager, client = _start(sandbox, tmp_path)
    assert _run(client, "print('up')").strip() == "up"
    client.stop_channels()
    manager.provisioner.process.send_signal(signal.SIGKILL)
    deadline = time.monotonic() + 30
    while _sandbox_processes(sandbox) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _sandbox_processes(sandbox) == []
    manager.cleanup_resources()


def test_a_reset_ends_setsid_and_double_forked_processes(sandbox, tmp_path) -> None:
    manager, client = _start(sandbox, tmp_path)
    try:
        _run(
            client,
            "import os, subprocess, sys, time\n"
            "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'],"
            " start_new_session=True)\n"
            "if os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
            "        time.sleep(600)\n    os._exit(0)\n"
            "time.sleep(1)\n",
        )
        assert len(_sandbox_processes(sandbox)) >= 3  # the kernel and two lingerers
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    sandbox.reset({})
    assert _sandbox_processes(sandbox) == []
