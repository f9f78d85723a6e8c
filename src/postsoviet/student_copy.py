"""``python -m postsoviet student-copy DEST``: a repository students may clone, with no answers.

Why a separate repository and not a branch: a branch of the course repository shares its
object store, so a student's clone can fetch ``main`` and read ``solutions/`` from any
commit. DEST instead has its own history, one commit per release, made only from what
students need:

- ``course/`` (lessons, with ``instructor-only`` cells removed),
- ``exercises/`` (generated from ``solutions/`` by ``python -m postsoviet exercises``),
- ``src/postsoviet/`` (the package, whose quiz banks hold only hashes), ``pyproject.toml``,
  ``environment.yml`` and ``jupyter-config/`` (the kernel configuration a wheel installs)
  so the hub image and ``pip install`` work from the copy,
- a short student README.

Running the command again on the same DEST adds one commit on top of the last release, so
students' nbgitpuller clones keep merging. Before anything is written, every file is
scanned for the fingerprints of :mod:`postsoviet.leaks`; after the commit, so is every
object in DEST's history. Either finding stops the command with the file and the kind of
secret named (never the secret itself).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import nbformat

from postsoviet import leaks

__all__ = ["MARKER", "Release", "StudentCopyError", "main", "publish", "repository_texts"]

MARKER = ".postsoviet-student-copy"
SKIP_PARTS = {"__pycache__", ".ipynb_checkpoints"}
SKIP_SUFFIXES = {".pyc", ".pyo"}
FILES = ("pyproject.toml", "environment.yml")
FOLDERS = ("course", "exercises", "src/postsoviet", "jupyter-config")
IDENTITY = ("Course instructor", "instructor@example.invalid")

README = """\
# Belarus, Russia and the summer of 2020: student copy

Lessons are in `course/` (start with `course/00-start-here.ipynb`), exercises in
`exercises/`. Quiz answers are checked by the `postsoviet` package in `src/`; your
progress is kept in `~/.postsoviet/progress.json` in your own home folder.

This copy is published by your instructor and updated from time to time. On a class
JupyterHub the course link updates it for you without overwriting your own changes.
"""

GITIGNORE = """\
.ipynb_checkpoints/
__pycache__/
*.egg-info/
.venv/
"""


class StudentCopyError(Exception):
    """The copy cannot be made or refreshed; the message says why and what to do."""


@dataclass(frozen=True)
class Release:
    """What one run did."""

    dest: Path
    commit: str | None  # None when nothing had changed since the last release
    number: int
    files: int


def _student_files(root: Path) -> Iterator[tuple[Path, Path]]:
    """``(source, relative destination)`` of every file students get."""
    for name in FILES:
        if not (root / name).is_file():
            raise StudentCopyError(f"{root / name} is missing: run this in the course repository.")
        yield root / name, Path(name)
    for folder in FOLDERS:
        base = root / folder
        if not base.is_dir():
            raise StudentCopyError(f"{base} is missing: run this in the course repository.")
        for path in sorted(base.rglob("*")):
            relative = path.relative_to(root)
            if SKIP_PARTS & set(relative.parts) or path.suffix in SKIP_SUFFIXES:
                continue
            if path.is_symlink():
                raise StudentCopyError(f"{relative} is a symbolic link; the copy takes files only.")
            if path.is_file():
                yield path, relative


def _without_instructor_cells(raw: bytes) -> bytes:
    """A course notebook without ``instructor-only`` cells (unchanged bytes if it has none)."""
    notebook = nbformat.reads(raw.decode("utf-8"), as_version=4)
    kept = [c for c in notebook.cells if leaks.INSTRUCTOR_TAG not in c.metadata.get("tags", [])]
    if len(kept) == len(notebook.cells):
        return raw
    notebook.cells = kept
    return (nbformat.writes(notebook) + "\n").encode("utf-8")


def _contents(root: Path) -> dict[Path, bytes]:
    files: dict[Path, bytes] = {}
    for source, relative in _student_files(root):
        raw = source.read_bytes()
        if relative.parts[0] in ("course", "exercises") and relative.suffix == ".ipynb":
            raw = _without_instructor_cells(raw)
        files[relative] = raw
    files[Path("README.md")] = README.encode()
    files[Path(".gitignore")] = GITIGNORE.encode()
    return files


def _git(repo: Path, *args: str, input_bytes: bytes | None = None) -> bytes:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(key, None)
    result = subprocess.run(
        ["git", "-C", str(repo), *args], input=input_bytes, capture_output=True, env=env
    )
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip()
        raise StudentCopyError(f"git {args[0]} failed in {repo}: {message}")
    return result.stdout


def repository_texts(repo: Path) -> Iterator[tuple[str, str]]:
    """Every object in ``repo``'s store (reachable or not) as ``(label, text)``.

    ``git cat-file --batch-all-objects`` lists loose and packed objects alike, so a
    secret in an old commit, a dangling blob or a commit message is seen too.
    """
    stream = _git(repo, "cat-file", "--batch-all-objects", "--batch")
    position = 0
    while position < len(stream):
        header_end = stream.index(b"\n", position)
        oid, kind, size = stream[position:header_end].decode().split()
        start = header_end + 1
        body = stream[start : start + int(size)]
        position = start + int(size) + 1
        yield f"{kind} {oid}", body.decode("utf-8", errors="replace")


def _prepare(dest: Path, branch: str) -> int:
    """Make or check DEST; the number of releases it already holds."""
    if dest.exists() and not dest.is_dir():
        raise StudentCopyError(f"{dest} is a file; give a folder for the student copy.")
    if not dest.exists() or not any(dest.iterdir()):
        dest.mkdir(parents=True, exist_ok=True)
        _git(dest, "init", "--quiet", f"--initial-branch={branch}")
        return 0
    if not (dest / ".git").is_dir() or not (dest / MARKER).is_file():
        raise StudentCopyError(
            f"{dest} is not empty and is not a student copy made by this command; "
            "give an empty or new folder, or the folder of an earlier student copy."
        )
    current = _git(dest, "symbolic-ref", "--short", "HEAD").decode().strip()
    if current != branch:
        raise StudentCopyError(
            f"{dest} is on branch {current!r}, not {branch!r}; students pull {branch!r}, "
            f"so switch back (git -C {dest} switch {branch}) or pass --branch {current}."
        )
    if _git(dest, "status", "--porcelain").strip():
        raise StudentCopyError(
            f"{dest} has changes that are not committed; commit or discard them first, "
            "since refreshing replaces every file."
        )
    return int(_git(dest, "rev-list", "--count", "HEAD").decode())


def _write(dest: Path, files: dict[Path, bytes]) -> None:
    for tracked in _git(dest, "ls-files", "-z").split(b"\0"):
        if tracked:
            (dest / tracked.decode()).unlink(missing_ok=True)
    for relative, raw in files.items():
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(raw)
    (dest / MARKER).write_text(
        "Made by `python -m postsoviet student-copy`; each release is one commit.\n",
        encoding="utf-8",
    )
    for folder in sorted({p for p in dest.rglob("*") if p.is_dir()}, reverse=True):
        if ".git" not in folder.relative_to(dest).parts and not any(folder.iterdir()):
            folder.rmdir()


def _commit(dest: Path, message: str) -> str:
    identity: list[str] = []
    configured = subprocess.run(
        ["git", "-C", str(dest), "config", "user.email"], capture_output=True
    ).stdout.strip()
    if not configured:
        identity = ["-c", f"user.name={IDENTITY[0]}", "-c", f"user.email={IDENTITY[1]}"]
    _git(dest, *identity, "commit", "--quiet", "--no-verify", "-m", message)
    return _git(dest, "rev-parse", "HEAD").decode().strip()


def publish(root: Path, dest: Path, *, branch: str = "main", message: str | None = None) -> Release:
    """Write or refresh the student copy of the course at ``root`` into ``dest``."""
    root, dest = root.resolve(), dest.resolve()
    if dest == root or root in dest.parents:
        raise StudentCopyError(
            f"{dest} is inside the course repository; publish the student copy somewhere else."
        )
    prints = leaks.fingerprints(root / "solutions")
    files = _contents(root)
    found = leaks.scan(
        ((str(p), raw.decode("utf-8", "replace")) for p, raw in files.items()), prints
    )
    if found:
        raise StudentCopyError(
            "nothing was published: " + "; ".join(str(leak) for leak in found[:10])
        )
    releases = _prepare(dest, branch)
    number = releases + 1
    _write(dest, files)
    _git(dest, "add", "--all")
    changed = subprocess.run(["git", "-C", str(dest), "diff", "--cached", "--quiet"]).returncode
    if releases and not changed:
        return Release(dest, None, releases, len(files))
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    commit = _commit(dest, message or f"Student copy, release {number} ({stamp})")
    history = leaks.scan(repository_texts(dest), prints)
    if history:
        raise StudentCopyError(
            f"{dest}'s history holds answers (was something committed there by hand?): "
            + "; ".join(str(leak) for leak in history[:10])
            + ". Start a new student copy in an empty folder and publish that instead."
        )
    return Release(dest, commit, number, len(files))


def main(dest: Path, *, root: Path, branch: str, message: str | None) -> int:
    """The command line's body: one sentence on success or failure."""
    try:
        release = publish(root, dest, branch=branch, message=message)
    except (StudentCopyError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if release.commit is None:
        print(f"{dest}: nothing changed since release {release.number}; no commit made.")
    else:
        print(
            f"{dest}: release {release.number} committed ({release.commit[:10]}, "
            f"{release.files} files, branch {branch}); no answers found in any object. "
            "Push it to the repository students pull from."
        )
    return 0
