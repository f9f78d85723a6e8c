"""A real JupyterHub with configurable-http-proxy on 127.0.0.1, for the hub test and benchmark.

Every port is chosen free at start, every file lives in the caller's folder, and the hub
is stopped (with its proxy and every student server) when the context ends. Students'
servers run the project's own ``jupyterhub-singleuser`` with nbgitpuller; the admin
calls go through a service token with just the scopes they need.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))

from notebook_page import (
    KERNELS_OVER_UNIX_SOCKETS,
    free_port,
    short_runtime_folder,
    write_lab_settings,
)

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
CHP_LOCAL = ROOT / ".venv" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"


class HubDidNotStart(RuntimeError):
    """The hub or its proxy exited, or did not answer within the start-up time."""


def _readable_by_all(path: Path) -> bool:
    """Whether any user can run ``path``: every folder above it searchable by others."""
    real = path.resolve()
    folders_ok = all(p.stat().st_mode & stat.S_IXOTH for p in real.parents)
    return folders_ok and bool(real.stat().st_mode & stat.S_IXOTH)


def students_python(folder: Path) -> Path:
    """A Python the students' Unix users can run, with the project's packages.

    Normally the project's own ``.venv`` Python. Where that interpreter sits somewhere
    other users cannot enter (a Python built under ``/root``, as on some CI machines), a
    virtual environment of the system's Python of the same version is made in ``folder``
    and pointed at ``.venv``'s site-packages (same Python version, so the same wheels).
    """
    if _readable_by_all(Path(sys.executable)):
        return Path(sys.executable)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    system = shutil.which(version, path="/usr/local/bin:/usr/bin:/bin")
    if system is None or not _readable_by_all(Path(system)):
        raise HubDidNotStart(
            f"{sys.executable} cannot be run by other users and no system {version} was found"
        )
    environment = folder / "students-env"
    subprocess.run([system, "-m", "venv", "--without-pip", str(environment)], check=True)
    site_packages = next((ROOT / ".venv" / "lib").glob("python3*/site-packages"))
    (next((environment / "lib").glob("python3*/site-packages")) / "course.pth").write_text(
        f"import site; site.addsitedir({str(site_packages)!r})\n", encoding="utf-8"
    )
    return environment / "bin" / "python"


def _check_a_student_can_start(python: Path, user: str) -> None:
    """Fail in one sentence if a student's server could not import what it runs.

    JupyterHub waits its whole ``http_timeout`` for a server that died at once (seen: four
    minutes for a ``ModuleNotFoundError``), so this asks first, as the student.
    """
    imports = "import jupyterhub.singleuser, postsoviet"
    probe = subprocess.run(
        ["runuser", "-u", user, "--", str(python), "-c", imports],
        capture_output=True,
        text=True,
        cwd="/",
    )
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["no error output"])[-1]
        raise HubDidNotStart(
            f"a student's server cannot start: {python} run as {user} says: {last} "
            "(can every user enter the checkout and its .venv?)"
        )


@contextmanager
def searchable_by_all(path: Path) -> Iterator[None]:
    """Let other users pass through the folders above ``path`` while the hub runs.

    The students' servers run the project's ``.venv`` and ``src/`` as their own Unix users.
    A clone inside a private folder (``/root`` on many CI machines, or a 0700 temporary
    folder), or a clone made private itself, would keep them out, so ``path`` and each
    folder above it get search permission for others (``o+x``: enter, not list) and
    their own mode back afterwards.
    """
    changed: list[tuple[Path, int]] = []
    for folder in [*reversed(path.resolve().parents), path.resolve()]:
        mode = stat.S_IMODE(folder.stat().st_mode)
        if not mode & stat.S_IXOTH:
            folder.chmod(mode | stat.S_IXOTH)
            changed.append((folder, mode))
    try:
        yield
    finally:
        for folder, mode in reversed(changed):
            folder.chmod(mode)


def proxy_command() -> str | None:
    """configurable-http-proxy: the project's own (``make setup``) or one on PATH."""
    if CHP_LOCAL.exists():
        return str(CHP_LOCAL)
    return shutil.which("configurable-http-proxy")


@dataclass
class Hub:
    """A running hub: its public address, admin token, and folders."""

    url: str
    token: str
    password: str
    folder: Path
    log: Path

    def api(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """Call the hub's REST API with the admin service token."""
        request = urllib.request.Request(
            f"{self.url}/hub/api{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as reply:
            raw = reply.read()
        return json.loads(raw) if raw else None

    def user_request(self, user: str, path: str, method: str = "GET", body: Any = None) -> Any:
        """Call a student's own server (``/user/NAME/...``) with the admin token."""
        request = urllib.request.Request(
            f"{self.url}/user/{user}{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        return urllib.request.urlopen(request, timeout=300)

    def wait_for_server(self, user: str, timeout: float = 240) -> None:
        """Until the student's server is ready (the hub reports it, and it answers)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.api("GET", f"/users/{user}")
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                return
            time.sleep(0.5)
        raise HubDidNotStart(f"{user}'s server was not ready after {timeout:g} s")


def _git_config(folder: Path) -> Path:
    path = folder / "gitconfig"
    path.write_text("[safe]\n\tdirectory = *\n", encoding="utf-8")
    path.chmod(0o644)
    return path


def _config(
    folder: Path,
    *,
    port: int,
    users: list[str],
    password: str,
    token: str,
    spawner: str,
    runtime: Path,
    python: Path,
) -> str:
    settings = write_lab_settings(folder / "lab-settings")
    prefix = ROOT / ".venv"
    environment = {
        "MPLBACKEND": "Agg",
        # JupyterLab's assets, extensions (nbgitpuller, widgets) and kernels in .venv, also
        # when the interpreter is the students' bridge environment (students_python).
        "JUPYTER_PATH": str(prefix / "share" / "jupyter"),
        "JUPYTER_CONFIG_PATH": str(prefix / "etc" / "jupyter"),
        "JUPYTERLAB_DIR": str(prefix / "share" / "jupyter" / "lab"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        # The student copy on the hub's disk belongs to another user than the student, and
        # git refuses such a repository unless its global configuration says it is safe.
        "GIT_CONFIG_GLOBAL": str(_git_config(folder)),
    }
    values = {
        "bind_url": f"http://127.0.0.1:{port}",
        "hub_port": free_port(),
        "api_port": free_port(),
        "proxy": proxy_command(),
        "users": users,
        "password": password,
        "token": token,
        "spawner": spawner,
        "singleuser": [str(python), "-m", "jupyterhub.singleuser"],
        "environment": environment,
        "path": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "homes": str(folder / "home"),
        "kernels": KERNELS_OVER_UNIX_SOCKETS,
        "runtime": str(runtime),
    }
    return f"""\
import json
v = json.loads({json.dumps(json.dumps(values))})
c = get_config()
c.JupyterHub.bind_url = v["bind_url"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = v["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{{v['api_port']}}"
c.ConfigurableHTTPProxy.command = [v["proxy"]]
c.ConfigurableHTTPProxy.should_start = True
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = v["password"]
c.Authenticator.allowed_users = set(v["users"])
c.JupyterHub.spawner_class = v["spawner"]
c.Spawner.cmd = v["singleuser"]
c.Spawner.default_url = "/lab"
c.Spawner.environment = v["environment"]
c.Spawner.env_keep = ["LANG", "LC_ALL"]
c.Spawner.environment["PATH"] = v["path"]
c.Spawner.start_timeout = 240
c.Spawner.http_timeout = 240
# Kernels over Unix sockets (see notebook_page.KERNELS_OVER_UNIX_SOCKETS), their sockets
# in a short folder of each student's own: a socket path holds at most 107 bytes.
c.Spawner.args = [v["kernels"]]
c.Spawner.environment["JUPYTER_RUNTIME_DIR"] = (
    lambda spawner: v["runtime"] + "/" + spawner.user.name
)
if v["spawner"] == "simple":  # every server runs as the caller, who may be root
    c.SimpleLocalProcessSpawner.home_dir_template = v["homes"] + "/{{username}}"
    c.Spawner.args.append("--ServerApp.allow_root=True")
c.JupyterHub.concurrent_spawn_limit = 100
c.JupyterHub.db_url = "sqlite:///hub.sqlite"
c.JupyterHub.cookie_secret_file = "cookie_secret"
c.JupyterHub.pid_file = "hub.pid"
c.JupyterHub.cleanup_servers = True
c.JupyterHub.services = [{{"name": "tester", "api_token": v["token"]}}]
c.JupyterHub.load_roles = [
    {{
        "name": "tester",
        "scopes": ["admin:users", "admin:servers", "access:servers", "list:users"],
        "services": ["tester"],
    }}
]
"""


@contextmanager
def running_hub(
    folder: Path, users: list[str], *, spawner: str = "localprocess", start_timeout: float = 120
) -> Iterator[Hub]:
    """JupyterHub on 127.0.0.1 in ``folder`` for ``users`` (password in ``Hub.password``).

    ``spawner="localprocess"`` runs each server as the Unix user of the same name (they
    must exist); ``"simple"`` runs every server as the caller, in ``folder/home/NAME``.
    """
    if proxy_command() is None:
        raise HubDidNotStart("configurable-http-proxy not found (make setup installs it)")
    folder.mkdir(parents=True, exist_ok=True)
    with short_runtime_folder(mode=0o1777) as runtime:  # like /tmp: each student their own
        port, password, token = free_port(), secrets.token_hex(12), secrets.token_hex(24)
        python = students_python(folder)
        if spawner == "localprocess":
            _check_a_student_can_start(python, users[0])
        config = folder / "jupyterhub_config.py"
        config.write_text(
            _config(
                folder,
                port=port,
                users=users,
                password=password,
                token=token,
                spawner=spawner,
                runtime=runtime,
                python=python,
            ),
            encoding="utf-8",
        )
        log = folder / "hub.log"
        env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
        env.pop("POSTSOVIET_PROGRESS", None)  # students' servers keep theirs in their homes
        with log.open("w", encoding="utf-8") as output:
            process = subprocess.Popen(
                [str(VENV_BIN / "jupyterhub"), "-f", str(config)],
                cwd=folder,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        hub = Hub(f"http://127.0.0.1:{port}", token, password, folder, log)
        try:
            _wait_until_up(process, hub, start_timeout)
            yield hub
        finally:
            _stop(process)


def _wait_until_up(process: subprocess.Popen, hub: Hub, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            hub.api("GET", "/users")
            return
        except (urllib.error.URLError, OSError, ValueError):
            time.sleep(0.3)
    _stop(process)
    raise HubDidNotStart(f"JupyterHub did not start in {timeout:g} s:\n{_log_summary(hub.log)}")


def _log_summary(log: Path) -> str:
    """The hub's own last lines, then the proxy's: the proxy's errors would drown the hub's."""
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    proxy = [line for line in lines if "[ConfigProxy]" in line]
    own = [line for line in lines if "[ConfigProxy]" not in line]
    return "\n".join(["hub:", *own[-40:], "proxy:", *proxy[-6:]])


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM lets the hub stop every student server and its proxy (cleanup_servers)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
