"""Build the course notebooks and check that the stored copies are clean and current.

Committed notebooks are stored executed, so GitHub and nbviewer show the figures and nbval has
reference outputs to compare. That only works if the stored outputs come from one reproducible
run and carry nothing that changes from machine to machine or run to run. This module is that run:

- :func:`build_notebook` executes a notebook top to bottom in a fresh kernel of *this*
  environment, in the notebook's own folder, with a throw-away quiz-progress file;
- :func:`clean` strips what is volatile (widget state and model ids, timings, local kernel names,
  the Python version) so two builds of unchanged content write byte-identical files;
- :func:`main_build` is ``python -m postsoviet build [--check]``;
- :func:`hygiene_problems` reads a stored notebook without running it and lists what a reviewer
  would reject;
- :func:`study_time` measures a lesson's study time from its text, explorers and quiz questions,
  so the time a lesson states is computed, not guessed.

Cells are numbered from 1 in every message, counting markdown cells too, as they appear
top to bottom in JupyterLab.
"""

from __future__ import annotations

import ast
import atexit
import hashlib
import json
import math
import os
import re
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import zmq
from ipykernel.kernelspec import RESOURCES, get_kernel_dict
from IPython.core.inputtransformer2 import TransformerManager
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError
from nbformat import NotebookNode
from nbformat.v4.rwbase import rejoin_lines
from traitlets import default

__all__ = [
    "KEPT_CELL_METADATA",
    "KERNELSPEC",
    "MINUTES_PER_EXPLORER",
    "MINUTES_PER_QUESTION",
    "READING_WORDS_PER_MINUTE",
    "NotebookBuildError",
    "StudyTime",
    "build_notebook",
    "clean",
    "difference",
    "hygiene_problems",
    "main_build",
    "read_notebook",
    "reading_words",
    "study_time",
    "write_notebook",
]

#: The kernelspec every stored notebook carries, whatever the author's local kernel was called.
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

#: Cell metadata worth keeping: authoring intent (tags such as ``nbval-ignore-output``, nbgrader
#: grading, locking, slides). Everything else is editor or run state.
KEPT_CELL_METADATA = frozenset({"tags", "nbgrader", "editable", "deletable", "slideshow"})

#: ``language_info`` fields that do not depend on the machine (no Python version).
STABLE_LANGUAGE_INFO = ("name", "file_extension", "mimetype")

#: Per-cell time limit in seconds. Lessons are short; a cell this slow is a bug, not a lesson.
DEFAULT_TIMEOUT = 300

_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_IMAGE_PLACEHOLDER = "<image/png>"
#: A PNG embedded in HTML output; compared as a placeholder, like image/png data.
EMBEDDED_PNG = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+")

_RAW_WIDGET_REPRS = (
    "VBox(children=",
    "HBox(children=",
    "model not found",
    "Error displaying widget",
)
# A path starting at a machine's root. The look-behind keeps web addresses such as
# https://example.org/home/ and relative paths such as data/tmp/ out.
_MACHINE_PATH = re.compile(
    r"(?<![\w.-])/(?:work|home|root|tmp|Users)/"  # POSIX roots
    r"|\b[A-Za-z]:(?:\\{1,2}|/)Users\b"  # Windows, also as an escaped string literal
)
_PARENT_PATH = re.compile(r"\.\.[/\\]")
_INSTALL = re.compile(
    r"\bpip3?\s+install\b|\b(?:conda|mamba)\s+install\b|^\s*[%!]\s*(?:pip|conda|mamba)\b",
    re.MULTILINE,
)
_URL = re.compile(r"\bhttps?://")
_IMPORT_LINE = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))", re.MULTILINE)
_NETWORK_MODULES = ("requests", "urllib", "urllib3", "http.client", "httpx", "socket", "aiohttp")


class NotebookBuildError(Exception):
    """A notebook could not be read or run; the message is one sentence meant for the author."""


class ThisEnvironmentKernel(AsyncKernelManager):
    """Kernel manager whose ``python3`` is always this interpreter's ipykernel.

    A user-level kernelspec named ``python3`` (for instance one left by another install) would
    otherwise take precedence and run the course against a different set of packages.
    """

    @property
    def kernel_spec(self) -> KernelSpec:
        return KernelSpec(resource_dir=RESOURCES, **get_kernel_dict())

    @default("transport_encryption")
    def _encrypt_when_possible(self) -> str:
        # Unencrypted TCP makes ipykernel print a warning into every build log.
        return "auto" if zmq.has("curve") else "disabled"


# --------------------------------------------------------------------------------------------
# Reading and writing


def _display(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _text(value: Any) -> str:
    """Notebook text fields are a string or a list of lines on disk; give the string."""
    return "".join(value) if isinstance(value, list) else str(value)


def _give_missing_ids(nb: NotebookNode) -> None:
    """Give id-less cells an id derived from position and content.

    nbformat would invent random ids, so every build of an old notebook would differ. Existing
    ids are never touched: they are how tools and reviewers refer to a cell across edits.
    """
    nb.nbformat_minor = max(nb.get("nbformat_minor", 0), 5)
    taken = {cell.get("id") for cell in nb.cells}
    for index, cell in enumerate(nb.cells):
        if cell.get("id"):
            continue
        seed = f"{index}\n{cell.get('cell_type')}\n{_text(cell.get('source', ''))}"
        stem = hashlib.sha256(seed.encode("utf-8")).hexdigest()[:8]
        cell_id, suffix = stem, 0
        while cell_id in taken:
            suffix += 1
            cell_id = f"{stem}-{suffix}"
        cell.id = cell_id
        taken.add(cell_id)


def _read_json(path: Path) -> Any:
    """Parse a file as JSON, turning every way that can fail into one readable sentence."""
    name = _display(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotebookBuildError(f"{name} does not exist.") from None
    except OSError as exc:
        raise NotebookBuildError(f"{name} cannot be read ({exc.strerror}).") from exc
    except UnicodeDecodeError:
        raise NotebookBuildError(f"{name} is not UTF-8 text, so it is not a notebook.") from None
    except json.JSONDecodeError as exc:
        raise NotebookBuildError(
            f"{name} is not valid notebook JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None


def _notebook_json(path: Path) -> dict[str, Any]:
    """The parsed file, if it at least has the shape of a notebook."""
    data = _read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise NotebookBuildError(
            f"{_display(path)} is JSON but not a notebook (it has no list of cells)."
        )
    return data


def read_notebook(path: Path) -> NotebookNode:
    """Read a version-4 notebook without letting nbformat assign random cell ids."""
    data = _notebook_json(path)
    name = _display(path)
    if data.get("nbformat") != 4:
        raise NotebookBuildError(
            f"{name} uses notebook format {data.get('nbformat')!r}; open and save it in "
            "JupyterLab to upgrade it to format 4."
        )
    nb = rejoin_lines(nbformat.from_dict(data))
    _give_missing_ids(nb)
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        raise NotebookBuildError(f"{name} is not a valid notebook ({exc.message}).") from None
    return nb


def _serialise(nb: NotebookNode) -> str:
    """The exact text the build stores: nbformat's layout plus a final newline."""
    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


def write_notebook(nb: NotebookNode, path: Path) -> None:
    """Store a notebook with ``\\n`` line endings on every OS, so builds compare byte for byte."""
    path.write_text(_serialise(nb), encoding="utf-8", newline="\n")


# --------------------------------------------------------------------------------------------
# Building


def _first_line(source: str) -> str:
    line = next((line.strip() for line in source.splitlines() if line.strip()), "")
    return line if len(line) <= 60 else line[:57] + "..."


def _last_line(text: str) -> str:
    return _first_line("\n".join(reversed(text.splitlines())))


def build_notebook(path: Path, *, timeout: int = DEFAULT_TIMEOUT) -> NotebookNode:
    """Execute a notebook top to bottom in a fresh kernel and return it (the file is not written).

    The kernel runs in the notebook's folder, as it does when a student opens it, with its own
    empty quiz-progress file in a temporary folder: a build must neither read the author's
    progress nor leave any behind. ``MPLBACKEND`` is removed so figures use the inline backend a
    student sees, and ``PYTHONHASHSEED`` is fixed so printed sets come out in the same order on
    every build. Old outputs are cleared first, so nothing stale survives a skipped cell.

    Raises :class:`NotebookBuildError` naming the notebook and cell when a cell raises, times
    out or kills the kernel; no error output is ever returned for storing.
    """
    path = Path(path)
    name = _display(path)
    nb = read_notebook(path)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None

    started: list[int] = []

    def where() -> str:
        if not started:
            return "before any cell ran"
        index = started[-1]
        return f"at cell {index + 1} ({_first_line(nb.cells[index].source)!r})"

    with tempfile.TemporaryDirectory(prefix="postsoviet-build-") as scratch:
        env = {key: value for key, value in os.environ.items() if key != "MPLBACKEND"}
        env["POSTSOVIET_PROGRESS"] = str(Path(scratch) / "progress.json")
        env["PYTHONHASHSEED"] = "0"
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            kernel_manager_class=ThisEnvironmentKernel,
            resources={"metadata": {"path": str(path.resolve().parent)}},
            coalesce_streams=True,
            record_timing=False,
            # Kept during the run (nbclient needs it for Output widgets); clean() drops it.
            store_widget_state=True,
            on_cell_execute=lambda cell, cell_index: started.append(cell_index),
        )
        # The kernel process's own stderr carries only its housekeeping (shutdown noise after
        # a timeout, for instance); cell output arrives as messages. Keep it out of the build
        # log, but quote its last line if the kernel itself fails.
        kernel_log = Path(scratch) / "kernel.log"
        try:
            with kernel_log.open("w", encoding="utf-8") as stderr:
                client.execute(env=env, stderr=stderr)
        except CellExecutionError as exc:
            evalue = _first_line(exc.evalue)
            raise NotebookBuildError(
                f"{name} failed {where()}: {exc.ename}" + (f": {evalue}." if evalue else ".")
            ) from exc
        except CellTimeoutError as exc:
            raise NotebookBuildError(
                f"{name} stopped {where()}: the cell did not finish within {timeout} s."
            ) from exc
        except (RuntimeError, TimeoutError) as exc:
            # Kernel start-up failures and a kernel that dies mid-cell (DeadKernelError).
            said = _last_line(kernel_log.read_text(encoding="utf-8", errors="replace"))
            detail = f"{exc}; kernel log: {said}" if said else str(exc)
            raise NotebookBuildError(f"{name}: the kernel failed {where()} ({detail}).") from exc
        finally:
            # nbclient leaves an exit hook behind when the kernel fails to start; at interpreter
            # exit it would print a traceback about a kernel that is already gone.
            atexit.unregister(client._cleanup_kernel)
    return nb


def _clean_output(output: NotebookNode) -> NotebookNode | None:
    """Drop the widget-view entry (its model id is random per run); keep the text fallback."""
    data = output.get("data")
    if data is None:
        return output
    data.pop(_WIDGET_VIEW, None)
    return output if data else None


def clean(nb: NotebookNode) -> NotebookNode:
    """Make a notebook deterministic: what is stored must depend only on its content.

    Works in place and returns the notebook. Removes widget state, timings and editor state
    (keeping :data:`KEPT_CELL_METADATA`), normalises the kernelspec and ``language_info``,
    numbers executed code cells 1..n, drops widget-view outputs (keeping their readable
    ``text/plain``) and gives id-less cells deterministic ids.
    """
    _give_missing_ids(nb)
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = nbformat.from_dict(KERNELSPEC)
    if "language_info" in nb.metadata:
        info = nb.metadata["language_info"]
        nb.metadata["language_info"] = nbformat.from_dict(
            {key: info[key] for key in STABLE_LANGUAGE_INFO if key in info}
        )
    count = 0
    for cell in nb.cells:
        cell.metadata = nbformat.from_dict(
            {key: value for key, value in cell.metadata.items() if key in KEPT_CELL_METADATA}
        )
        if cell.cell_type != "code":
            continue
        cell.outputs = [out for out in map(_clean_output, cell.outputs) if out is not None]
        if cell.execution_count is None:
            continue
        count += 1
        cell.execution_count = count
        for output in cell.outputs:
            if output.output_type == "execute_result":
                output.execution_count = count
    return nb


# --------------------------------------------------------------------------------------------
# Comparing (``--check``)


def _comparable(nb: Mapping[str, Any]) -> dict[str, Any]:
    """A plain copy with joined text and every PNG replaced by a placeholder.

    PNG bytes differ between font and library builds even when the figure is the same, so a
    stored figure only has to exist where the build makes one.
    """
    plain = rejoin_lines(nbformat.from_dict(dict(nb)))  # from_dict copies every container
    for cell in plain.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                data["image/png"] = _IMAGE_PLACEHOLDER
            if "text/html" in data:  # a chart embedded as <img> for its alt text
                data["text/html"] = EMBEDDED_PNG.sub(_IMAGE_PLACEHOLDER, data["text/html"])
    return plain


def difference(stored: Mapping[str, Any], built: Mapping[str, Any]) -> str | None:
    """Describe the first way a stored notebook differs from a fresh build, or ``None``.

    Both sides are compared as content (text joined, PNG data treated as equal), so only
    a change that the build would store counts.
    """
    old, new = _comparable(stored), _comparable(built)
    if old == new:
        return None
    old_cells, new_cells = old.get("cells", []), new.get("cells", [])
    if len(old_cells) != len(new_cells):
        return f"it stores {len(old_cells)} cells where the build makes {len(new_cells)}"
    for number, (was, now) in enumerate(zip(old_cells, new_cells, strict=True), start=1):
        if was != now:
            fields = sorted(key for key in set(was) | set(now) if was.get(key) != now.get(key))
            return f"cell {number} differs in {', '.join(fields)}"
    fields = sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key))
    return f"the notebook differs in {', '.join(fields)}"


# --------------------------------------------------------------------------------------------
# Command line


def _expand(paths: list[Path]) -> list[Path]:
    """Notebooks named or contained (recursively, sorted) in ``paths``, each once."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
            )
        elif path.is_file() and path.suffix == ".ipynb":
            found.append(path)
        elif path.exists():
            raise NotebookBuildError(f"{_display(path)} is not a notebook (.ipynb) or a folder.")
        else:
            raise NotebookBuildError(f"{_display(path)} does not exist.")
    return list(dict.fromkeys(found))


def main_build(paths: list[Path], check: bool = False) -> int:
    """Build every notebook in ``paths`` in place, or with ``check`` only report stale ones.

    Returns 0 when all is well, 1 when a notebook failed or (with ``check``) is stale, and 2 when
    a path is unusable. Problems are one sentence each on stderr, never a traceback, because
    this runs in CI logs and in front of instructors.
    """
    try:
        notebooks = _expand([Path(p) for p in paths])
    except NotebookBuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not notebooks:
        print(f"no notebooks found in {', '.join(map(str, paths))}", file=sys.stderr)
        return 0

    failed: list[str] = []
    stale: list[str] = []
    for path in notebooks:
        name = _display(path)
        try:
            built = clean(build_notebook(path))
            hint = difference(_read_json(path), built) if check else None
            if not check:
                write_notebook(built, path)
        except NotebookBuildError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed.append(name)
            continue
        if not check:
            print(f"built {name}", flush=True)
        elif hint is None:
            print(f"up to date {name}", flush=True)
        else:
            print(f"stale {name}: {hint}", flush=True)
            stale.append(name)

    if stale:
        print(
            f"{len(stale)} stale notebook(s): {', '.join(stale)}; "
            "run `python -m postsoviet build` on them and commit the result.",
            file=sys.stderr,
        )
    return 1 if failed or stale else 0


# --------------------------------------------------------------------------------------------
# Hygiene (no kernel)


def _output_texts(output: Mapping[str, Any]) -> Iterator[str]:
    """The human-readable text of an output; base64 images are skipped (they match anything)."""
    if "text" in output:
        yield _text(output["text"])
    if output.get("output_type") == "error":
        yield str(output.get("evalue", ""))
        yield "\n".join(output.get("traceback", []))
    for mime, value in output.get("data", {}).items():
        if mime.endswith("json"):
            yield json.dumps(value)
        elif mime.startswith("text/") or mime == "image/svg+xml":
            yield _text(value)


def _imported_modules(source: str) -> set[str]:
    """Modules a code cell imports, read with ``ast`` after IPython turns magics into Python.

    Code that still does not parse (a half-written cell) falls back to a line-by-line regex.
    """
    try:
        tree = ast.parse(TransformerManager().transform_cell(source))
    except SyntaxError:
        return {name for match in _IMPORT_LINE.findall(source) for name in match if name}
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def _network_modules(source: str) -> list[str]:
    hits = {
        network
        for module in _imported_modules(source)
        for network in _NETWORK_MODULES
        if module == network or module.startswith(network + ".")
    }
    return sorted(hits)


def _code_problems(number: int, source: str) -> Iterator[str]:
    if _PARENT_PATH.search(source):
        yield (
            f"cell {number} uses a ../ path; notebooks read files beside them "
            "or data from the package"
        )
    if _INSTALL.search(source):
        yield (
            f"cell {number} installs packages; dependencies belong in pyproject.toml "
            "and environment.yml"
        )
    network = _network_modules(source)
    if network:
        yield f"cell {number} imports {', '.join(network)}; notebooks must not use the network"
    if _URL.search(source):
        yield (
            f"cell {number} has a web address in code; cite sources in markdown "
            "and ship data in the package"
        )


def _cell_problems(number: int, cell: Mapping[str, Any]) -> Iterator[str]:
    source = _text(cell.get("source", ""))
    volatile = sorted(set(cell.get("metadata", {})) - KEPT_CELL_METADATA)
    if volatile:
        yield f"cell {number} stores volatile metadata ({', '.join(volatile)})"
    if _MACHINE_PATH.search(source):
        yield f"cell {number} source contains a machine path"
    if cell.get("cell_type") != "code":
        return
    yield from _code_problems(number, source)
    if source.strip() and cell.get("execution_count") is None:
        yield f"cell {number} is a code cell that was not executed"
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            yield f"cell {number} stores an error output ({output.get('ename', 'unknown error')})"
        texts = list(_output_texts(output))
        if any(_MACHINE_PATH.search(text) for text in texts):
            yield f"cell {number} output contains a machine path"
        reprs = [r for r in _RAW_WIDGET_REPRS if any(r in text for text in texts)]
        if reprs:
            yield (
                f"cell {number} stores a raw widget repr ({reprs[0]!r}); "
                "give the widget a readable text fallback"
            )


def _notebook_problems(nb: Mapping[str, Any]) -> Iterator[str]:
    metadata = nb.get("metadata", {})
    if "widgets" in metadata:
        yield "notebook metadata stores widget state (volatile model ids)"
    if metadata.get("kernelspec") != KERNELSPEC:
        yield (
            f"notebook metadata has kernelspec {metadata.get('kernelspec')!r}; "
            f"the build stores {KERNELSPEC!r}"
        )
    unstable = sorted(set(metadata.get("language_info", {})) - set(STABLE_LANGUAGE_INFO))
    if unstable:
        yield f"notebook metadata records machine-specific language_info ({', '.join(unstable)})"

    cells = nb.get("cells", [])
    expected = 1
    for number, cell in enumerate(cells, start=1):
        count = cell.get("execution_count") if cell.get("cell_type") == "code" else None
        if count is None:
            continue
        if count != expected:
            yield (
                f"cell {number} has execution count {count} where {expected} was expected "
                "(not run top to bottom in a fresh kernel)"
            )
            break
        expected += 1
    for number, cell in enumerate(cells, start=1):
        yield from _cell_problems(number, cell)


def hygiene_problems(path: Path) -> list[str]:
    """What a reviewer would reject in a stored notebook, one sentence each; reads, never runs.

    This is the pure counterpart of :func:`clean` and the design's notebook conventions, so
    it can run over every committed notebook in the fast test layer.
    """
    path = Path(path)
    try:
        nb = _notebook_json(path)
    except NotebookBuildError as exc:
        return [str(exc)]
    return [f"{_display(path)}: {problem}." for problem in _notebook_problems(nb)]


# --- Study time -------------------------------------------------------------------------------

#: A first-year student reading course prose with care (the issue's "about 150 a minute").
READING_WORDS_PER_MINUTE = 150
#: Time to work through one explorer: read its questions, try the controls, compare the answers.
MINUTES_PER_EXPLORER = 5
#: Time to read, answer and read the feedback of one quiz question.
MINUTES_PER_QUESTION = 1

#: An explorer or board is a class from ``postsoviet.explorers`` shown by calling it.
_EXPLORER_CALL = re.compile(r"^\s*[A-Z]\w*(?:Explorer|Board)\(", re.MULTILINE)
#: A quiz question shown with ``show("question-id")``.
_QUESTION_CALL = re.compile(r"\bshow\(\s*[\"']")
#: Collapsed blocks (model answers): read only after trying, so counted in the explorer time.
_DETAILS = re.compile(r"<details>.*?</details>", re.DOTALL | re.IGNORECASE)
#: A section's "Sources" block: a reference list, looked up rather than read through.
_SOURCES_BLOCK = re.compile(r"^\*\*Sources\.?\*\*.*?(?=^\s*$|\Z)", re.DOTALL | re.MULTILINE)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_BARE_URL = re.compile(r"<?https?://\S+>?")
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[^\W_]+(?:[-'’.,][^\W_]+)*")


def reading_words(markdown: str) -> int:
    """Words a student reads in one markdown cell.

    Link addresses, HTML tags, collapsed ``<details>`` blocks and a ``**Sources**`` list are left
    out: a student reads the link's text, not its address, opens a model answer only after
    trying, and looks sources up rather than reading them through. Table cells count.
    """
    text = _DETAILS.sub(" ", markdown)
    text = _SOURCES_BLOCK.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = _BARE_URL.sub(" ", text)
    text = _TAG.sub(" ", text)
    return len(_WORD.findall(text))


@dataclass(frozen=True)
class StudyTime:
    """A lesson's measured study time and what it is made of."""

    words: int
    explorers: int
    questions: int

    @property
    def reading_minutes(self) -> float:
        """Minutes of reading at :data:`READING_WORDS_PER_MINUTE`."""
        return self.words / READING_WORDS_PER_MINUTE

    @property
    def minutes(self) -> int:
        """The whole, rounded up to the next five minutes: a time to plan by, not a stopwatch."""
        total = (
            self.reading_minutes
            + self.explorers * MINUTES_PER_EXPLORER
            + self.questions * MINUTES_PER_QUESTION
        )
        return max(5, 5 * math.ceil(total / 5))

    def _explorer_words(self) -> str:
        if not self.explorers:
            return "no explorer"
        plural = "s" if self.explorers != 1 else ""
        return f"{self.explorers} explorer{plural} at {MINUTES_PER_EXPLORER} minutes"

    def sentence(self) -> str:
        """The line a lesson states, with the measure behind it."""
        return (
            f"Study time: about {self.minutes} minutes ({self.words:,} words of reading at "
            f"{READING_WORDS_PER_MINUTE} a minute, {self._explorer_words()}, "
            f"{self.questions} quiz question{'s' if self.questions != 1 else ''} at "
            f"{MINUTES_PER_QUESTION} minute each)."
        )


def study_time(path: Path | str) -> StudyTime:
    """Measure a lesson notebook: its reading words, explorers and quiz questions.

    Lessons used to state times by feel, and read-throughs found them 10-15 minutes short. The
    measure is deliberately simple so an author can predict it: words at
    :data:`READING_WORDS_PER_MINUTE`, plus :data:`MINUTES_PER_EXPLORER` for each explorer or
    board called in a code cell, plus :data:`MINUTES_PER_QUESTION` for each ``show("id")``.
    Raises :class:`NotebookBuildError` with one sentence for a file that is not a notebook.
    """
    nb = read_notebook(Path(path))
    words = explorers = questions = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            words += reading_words(cell.source)
        elif cell.cell_type == "code":
            explorers += len(_EXPLORER_CALL.findall(cell.source))
            questions += len(_QUESTION_CALL.findall(cell.source))
    return StudyTime(words=words, explorers=explorers, questions=questions)
