"""The kernel a submission runs in: memory and file-size limits, no network.

Started as ``python -m postsoviet.grading.sandbox -f CONNECTION_FILE`` by
:class:`SandboxKernel`. Before ipykernel starts it caps the address space (a memory
blow-up becomes a ``MemoryError`` in that cell instead of taking the machine down) and
the size of files the student's code may write, and replaces the socket functions that
open network connections. The kernel's own channels use ZeroMQ, which does not go
through Python's ``socket`` module, so grading still talks to it.

This is a guard against accidents and casual misuse, not a security boundary: code that
imports ``_socket`` or ``ctypes`` can get around it. Run the grader on a machine without
network access for marks that matter.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys

MEMORY_LIMIT_BYTES = int(os.environ.get("POSTSOVIET_GRADE_MEMORY", str(3 * 1024**3)))
FILE_LIMIT_BYTES = 100 * 1024**2


class NetworkDisabled(OSError):
    """Raised instead of opening a network connection while grading."""


def _refuse(*_args: object, **_kwargs: object) -> None:
    raise NetworkDisabled("the network is not available while grading")


def _limit_resources() -> None:
    try:
        import resource
    except ImportError:  # not on Unix: no limits to set
        return
    for limit, value in (
        (resource.RLIMIT_AS, MEMORY_LIMIT_BYTES),
        (resource.RLIMIT_FSIZE, FILE_LIMIT_BYTES),
    ):
        with contextlib.suppress(ValueError, OSError):  # a lower hard limit is already set
            resource.setrlimit(limit, (value, value))


def _disable_network() -> None:
    socket.socket.connect = _refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = _refuse  # type: ignore[method-assign]
    socket.create_connection = _refuse  # type: ignore[assignment]
    socket.getaddrinfo = _refuse  # type: ignore[assignment]


def main() -> None:
    _limit_resources()
    _disable_network()
    from ipykernel.kernelapp import launch_new_instance

    sys.argv[0] = "postsoviet-grading-kernel"
    launch_new_instance()


if __name__ == "__main__":
    main()
