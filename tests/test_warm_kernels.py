"""Kernels forked from the class run's zygote: sandboxed, separate, and gone with their stand-in."""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest
from jupyter_client import KernelManager

from postsoviet.grading.runner import WarmSandboxKernel
from postsoviet.warm_kernels import ZYGOTE_ENV, running_zygote

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork")


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
def zygote() -> str:
    with running_zygote() as path:
        assert path is not None
        yield path


class BlockingWarmKernel(KernelManager):
    """The grader's warm kernel, with jupyter_client's blocking API for these tests."""

    launcher = WarmSandboxKernel.launcher
    kernel_spec = WarmSandboxKernel.kernel_spec


def _start(zygote: str, tmp_path) -> tuple[KernelManager, object]:
    manager = BlockingWarmKernel()
    manager.start_kernel(env={**os.environ, ZYGOTE_ENV: zygote}, cwd=str(tmp_path))
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    return manager, client


def test_a_forked_kernel_is_sandboxed_and_works_in_its_own_folder(zygote, tmp_path) -> None:
    manager, client = _start(zygote, tmp_path)
    try:
        printed = _run(
            client,
            "import os, resource, socket\n"
            "print(os.getcwd())\n"
            "print(resource.getrlimit(resource.RLIMIT_AS)[0] > 0)\n"
            "try:\n    socket.create_connection(('127.0.0.1', 9))\n"
            "except OSError as e:\n    print(type(e).__name__)\n",
        )
        assert printed.split() == [str(tmp_path), "True", "NetworkDisabled"]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def test_what_one_kernel_changes_does_not_reach_the_next(zygote, tmp_path) -> None:
    first, client = _start(zygote, tmp_path)
    _run(client, "import pandas\npandas.read_csv = None")
    client.stop_channels()
    first.shutdown_kernel()
    second, client = _start(zygote, tmp_path)
    try:
        assert _run(client, "import pandas\nprint(pandas.read_csv is None)").strip() == "False"
    finally:
        client.stop_channels()
        second.shutdown_kernel(now=True)


def test_an_interrupt_reaches_the_forked_kernel(zygote, tmp_path) -> None:
    manager, client = _start(zygote, tmp_path)
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


def test_killing_the_stand_in_ends_the_kernel(zygote, tmp_path) -> None:
    manager, client = _start(zygote, tmp_path)
    kernel_pid = int(_run(client, "import os\nprint(os.getpid())"))
    client.stop_channels()
    manager.provisioner.process.send_signal(signal.SIGKILL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(kernel_pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the forked kernel outlived its stand-in")
    manager.cleanup_resources()
