"""Tests for the notebook build (``python -m postsoviet build``) and the hygiene rules.

Kernel starts cost about a second each, so the small lesson-like notebook is built once per
module (twice in a row, which is itself the determinism test) and the hygiene rules are
checked against crafted variants of that built copy, without a kernel.
"""

from __future__ import annotations

import copy
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import nbformat
import pytest
from nbformat import v4

from postsoviet.notebooks import (
    KERNELSPEC,
    NotebookBuildError,
    build_notebook,
    clean,
    difference,
    hygiene_problems,
    main_build,
)

Notebook = dict[str, Any]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def write(path: Path, *cells: nbformat.NotebookNode) -> Path:
    """Store a notebook made of ``cells`` at ``path``."""
    nb = v4.new_notebook(cells=list(cells))
    nbformat.write(nb, path)
    return path


def lesson_cells() -> list[nbformat.NotebookNode]:
    """A lesson in miniature: prose with links, text, a figure, a widget, a printed set."""
    return [
        v4.new_markdown_cell(
            "# A lesson\n\nBased on [a report](https://www.bbc.co.uk/news/world-europe-53601386)"
            " and [a page](https://example.org/home/page)."
        ),
        v4.new_code_cell('print("hello")\nprint(open("beside.txt").read())'),
        v4.new_code_cell(
            "import matplotlib.pyplot as plt\n"
            "fig, ax = plt.subplots(figsize=(2, 2))\n"
            "ax.plot([1, 2, 3], marker='o')\n"
            "plt.show()"
        ),
        v4.new_code_cell("import ipywidgets\nipywidgets.IntSlider(value=3, description='Year')"),
        v4.new_code_cell('{"minsk", "moscow", "brest", "vitebsk"}'),
    ]


class Lesson(NamedTuple):
    """The lesson as written (its cell ids) and its bytes after two builds in a row."""

    path: Path
    ids: list[str | None]
    first: bytes
    second: bytes


def make_lesson(folder: Path) -> Notebook:
    """Write the lesson with the clutter an editor leaves behind, plus the file it reads."""
    (folder / "beside.txt").write_text("read from the notebook's folder\n", encoding="utf-8")
    nb = v4.new_notebook(
        cells=lesson_cells(),
        metadata={
            "kernelspec": {"name": "my-env", "display_name": "My env", "language": "python"},
            "language_info": {"name": "python", "version": "3.0.0"},
            "widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}},
        },
    )
    nb.cells[1].metadata.update(
        {"execution": {"iopub.status.busy": "2024-01-01T00:00:00Z"}, "scrolled": True}
    )
    nb.cells[2].metadata["tags"] = ["figure"]
    del nb.cells[0]["id"]  # as in notebooks saved before cell ids existed
    return nb


@pytest.fixture(scope="module")
def lesson(tmp_path_factory: pytest.TempPathFactory) -> Lesson:
    folder = tmp_path_factory.mktemp("lesson")
    nb = make_lesson(folder)
    path = folder / "lesson.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")  # nbformat.write would add a random id
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MPLBACKEND", "Agg")  # a figure must appear anyway: the kernel gets inline
        assert main_build([path]) == 0
        first = path.read_bytes()
        assert main_build([path]) == 0
    return Lesson(path, [cell.get("id") for cell in nb.cells], first, path.read_bytes())


@pytest.fixture
def built(lesson: Lesson) -> Notebook:
    """A private copy of the built lesson as plain JSON."""
    return json.loads(lesson.second)


# --------------------------------------------------------------------------------------------
# Building


def test_build_stores_outputs_in_order(built: Notebook) -> None:
    code = [cell for cell in built["cells"] if cell["cell_type"] == "code"]
    assert [cell["execution_count"] for cell in code] == [1, 2, 3, 4]
    text = "".join(code[0]["outputs"][0]["text"])
    assert text == "hello\nread from the notebook's folder\n\n"  # run in the notebook's folder


def test_build_stores_inline_figure_even_if_mplbackend_is_set(built: Notebook) -> None:
    assert any("image/png" in out.get("data", {}) for out in built["cells"][2]["outputs"])


def test_build_twice_is_byte_identical(lesson: Lesson) -> None:
    assert lesson.first == lesson.second
    assert lesson.second.endswith(b"}\n")


def test_widget_view_dropped_and_text_fallback_kept(built: Notebook) -> None:
    assert "widgets" not in built["metadata"]
    outputs = built["cells"][3]["outputs"]
    assert [list(out["data"]) for out in outputs] == [["text/plain"]]
    assert WIDGET_VIEW not in json.dumps(built)


def test_metadata_normalised(built: Notebook) -> None:
    assert built["metadata"]["kernelspec"] == KERNELSPEC
    assert "version" not in built["metadata"]["language_info"]
    assert built["metadata"]["language_info"]["name"] == "python"
    assert built["cells"][1]["metadata"] == {}  # execution timings and scrolled gone
    assert built["cells"][2]["metadata"] == {"tags": ["figure"]}  # authoring intent kept


def test_build_keeps_cell_ids_and_adds_missing_ones(lesson: Lesson, built: Notebook) -> None:
    stored = [cell["id"] for cell in built["cells"]]
    assert lesson.ids[0] is None
    assert stored[0]
    assert stored[1:] == lesson.ids[1:]


def test_kernel_environment_is_isolated(tmp_path: Path) -> None:
    path = write(
        tmp_path / "env.ipynb",
        v4.new_code_cell(
            "import os, sys\n"
            "print(sys.executable)\n"
            "print(os.environ['POSTSOVIET_PROGRESS'])\n"
            "print(os.environ.get('MPLBACKEND', 'inline default'))"
        ),
    )
    executable, progress, backend = build_notebook(path).cells[0].outputs[0].text.splitlines()
    assert executable == sys.executable
    assert progress != os.environ["POSTSOVIET_PROGRESS"]
    assert not Path(progress).parent.exists()  # the throw-away folder is gone after the build
    assert backend.startswith("module://matplotlib_inline")


def test_raising_notebook_fails_clearly_and_is_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path / "broken.ipynb",
        v4.new_markdown_cell("# Broken"),
        v4.new_code_cell("x = 1"),
        v4.new_code_cell("total = x / 0"),
    )
    before = path.read_bytes()
    assert main_build([path]) == 1
    out, err = capsys.readouterr()
    assert path.read_bytes() == before
    assert "built" not in out
    assert err.count("\n") == 1
    assert "broken.ipynb" in err
    assert "cell 3 ('total = x / 0')" in err
    assert "ZeroDivisionError" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "import time\ntime.sleep(60)",
            "cell 1 ('import time'): the cell did not finish within 2 s",
        ),
        ("import os\nos._exit(1)", "the kernel failed at cell 1 ('import os')"),
    ],
    ids=["timeout", "dead-kernel"],
)
def test_cell_that_hangs_or_kills_the_kernel(tmp_path: Path, source: str, expected: str) -> None:
    path = write(tmp_path / "stuck.ipynb", v4.new_code_cell(source))
    with pytest.raises(NotebookBuildError, match=r"stuck\.ipynb") as caught:
        build_notebook(path, timeout=2)
    assert expected in str(caught.value)


# --------------------------------------------------------------------------------------------
# --check


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_check_passes_fresh_notebook(lesson: Lesson, capsys: pytest.CaptureFixture[str]) -> None:
    folder = lesson.path.parent
    before = snapshot(folder)
    assert main_build([folder], check=True) == 0
    assert snapshot(folder) == before
    assert capsys.readouterr().out == f"up to date {lesson.path}\n"


def test_check_fails_stale_notebook_and_writes_nothing(
    tmp_path: Path, built: Notebook, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "beside.txt").write_text("read from the notebook's folder\n", encoding="utf-8")
    built["cells"][1]["source"] = 'print("goodbye")\nprint(open("beside.txt").read())'
    stale = tmp_path / "stale.ipynb"
    stale.write_text(json.dumps(built), encoding="utf-8")
    before = snapshot(tmp_path)
    assert main_build([tmp_path], check=True) == 1
    assert snapshot(tmp_path) == before
    out, err = capsys.readouterr()
    assert out == f"stale {stale}: cell 2 differs in outputs\n"
    assert f"1 stale notebook(s): {stale};" in err


def test_check_tolerates_different_png_bytes_but_not_a_missing_figure(built: Notebook) -> None:
    stored = copy.deepcopy(built)
    figure = next(out for out in stored["cells"][2]["outputs"] if "image/png" in out["data"])
    figure["data"]["image/png"] = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNg"
    assert difference(stored, built) is None
    del figure["data"]["image/png"]
    assert difference(stored, built) == "cell 3 differs in outputs"


def test_difference_names_notebook_level_changes(built: Notebook) -> None:
    stored = copy.deepcopy(built)
    stored["metadata"]["widgets"] = {}
    assert difference(stored, built) == "the notebook differs in metadata"
    stored["cells"].pop()
    assert difference(stored, built) == "it stores 4 cells where the build makes 5"


# --------------------------------------------------------------------------------------------
# Clean (no kernel)


def test_clean_gives_missing_ids_deterministically_and_keeps_existing() -> None:
    def fresh() -> nbformat.NotebookNode:
        nb = v4.new_notebook(cells=[v4.new_code_cell("x = 1"), v4.new_code_cell("x = 1")])
        nb.cells[0].id = "kept-id"
        del nb.cells[1]["id"]
        return nb

    first, second = clean(fresh()), clean(fresh())
    assert first.cells[0].id == "kept-id"
    assert first.cells[1].id == second.cells[1].id != "kept-id"
    nbformat.validate(first)


def test_clean_renumbers_and_drops_outputs_left_empty() -> None:
    view = {WIDGET_VIEW: {"model_id": "abc", "version_major": 2, "version_minor": 0}}
    nb = v4.new_notebook(
        cells=[
            v4.new_code_cell("a", execution_count=4, outputs=[v4.new_output("display_data", view)]),
            v4.new_code_cell("", execution_count=None),
            v4.new_code_cell(
                "b",
                execution_count=9,
                outputs=[v4.new_output("execute_result", {"text/plain": "2"}, execution_count=9)],
            ),
        ]
    )
    clean(nb)
    assert [cell.execution_count for cell in nb.cells] == [1, None, 2]
    assert nb.cells[0].outputs == []
    assert nb.cells[2].outputs[0].execution_count == 2


# --------------------------------------------------------------------------------------------
# Command-line errors (no kernel)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "is not valid notebook JSON (line 1, column 2"),
        ("[1, 2]", "is JSON but not a notebook"),
        ('{"cells": [], "nbformat": 3}', "uses notebook format 3"),
    ],
    ids=["not-json", "not-a-notebook", "old-format"],
)
def test_unreadable_notebook_gives_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str
) -> None:
    path = tmp_path / "bad.ipynb"
    path.write_text(content, encoding="utf-8")
    assert main_build([path]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"error: {path} ")
    assert expected in err
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert path.read_text(encoding="utf-8") == content


@pytest.mark.parametrize("name", ["missing", "notes.txt"])
def test_unusable_path_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    (tmp_path / "notes.txt").write_text("not a notebook", encoding="utf-8")
    assert main_build([tmp_path / name]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {tmp_path / name} ")
    assert err.count("\n") == 1


# --------------------------------------------------------------------------------------------
# Hygiene (no kernel): every rule fires on a crafted notebook, none on a clean build

Mutation = Callable[[Notebook], None]


def set_source(index: int, source: str) -> Mutation:
    def mutate(nb: Notebook) -> None:
        nb["cells"][index]["source"] = source

    return mutate


def set_output_text(text: str) -> Mutation:
    def mutate(nb: Notebook) -> None:
        nb["cells"][1]["outputs"][0]["text"] = text

    return mutate


def set_widget_text(text: str) -> Mutation:
    def mutate(nb: Notebook) -> None:
        nb["cells"][3]["outputs"][0]["data"]["text/plain"] = text

    return mutate


def add_error(nb: Notebook) -> None:
    nb["cells"][1]["outputs"].append(
        {"output_type": "error", "ename": "ZeroDivisionError", "evalue": "", "traceback": []}
    )


def unexecute(nb: Notebook) -> None:
    nb["cells"][2]["execution_count"] = None


def reorder(nb: Notebook) -> None:
    nb["cells"][2]["execution_count"] = 7


def store_widget_state(nb: Notebook) -> None:
    nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}


def add_timing(nb: Notebook) -> None:
    nb["cells"][1]["metadata"]["execution"] = {"iopub.status.idle": "2024-01-01T00:00:01Z"}


def local_kernel(nb: Notebook) -> None:
    nb["metadata"]["kernelspec"] = {"name": "my-env", "display_name": "My env"}


def python_version(nb: Notebook) -> None:
    nb["metadata"]["language_info"]["version"] = "3.11.7"


RULES: list[tuple[str, Mutation, str]] = [
    ("error-output", add_error, "cell 2 stores an error output (ZeroDivisionError)"),
    ("execution-order", reorder, "cell 3 has execution count 7 where 2 was expected"),
    ("unexecuted", unexecute, "cell 3 is a code cell that was not executed"),
    ("vbox-repr", set_widget_text("VBox(children=(IntSlider(),))"), "cell 4 stores a raw widget"),
    ("hbox-repr", set_widget_text("HBox(children=(Button(),))"), "cell 4 stores a raw widget"),
    ("model-not-found", set_widget_text("Error: model not found"), "cell 4 stores a raw widget"),
    ("widget-error", set_widget_text("Error displaying widget"), "cell 4 stores a raw widget"),
    ("widget-state", store_widget_state, "notebook metadata stores widget state"),
    ("timings", add_timing, "cell 2 stores volatile metadata (execution)"),
    ("kernelspec", local_kernel, "notebook metadata has kernelspec"),
    ("python-version", python_version, "machine-specific language_info (version)"),
    (
        "path-work",
        set_output_text("saved in /work/ana/x.csv\n"),
        "cell 2 output contains a machine",
    ),
    ("path-home", set_output_text("'/home/ana/x.csv'\n"), "cell 2 output contains a machine path"),
    ("path-root", set_output_text("see /root/x\n"), "cell 2 output contains a machine path"),
    ("path-tmp", set_output_text("file:///tmp/x\n"), "cell 2 output contains a machine path"),
    ("path-mac", set_output_text("(/Users/ana/x)\n"), "cell 2 output contains a machine path"),
    ("path-windows", set_output_text("C:\\Users\\ana\n"), "cell 2 output contains a machine path"),
    ("path-markdown", set_source(0, "See /home/ana/notes."), "cell 1 source contains a machine"),
    (
        "path-code",
        set_source(1, 'open("C:\\\\Users\\\\ana\\\\x.csv")'),
        "cell 2 source contains a machine path",
    ),
    ("parent-path", set_source(1, 'open("../data/x.csv")'), "cell 2 uses a ../ path"),
    ("pip-bang", set_source(1, "!pip install pandas"), "cell 2 installs packages"),
    ("pip-magic", set_source(1, "%pip install pandas"), "cell 2 installs packages"),
    ("pip-shell", set_source(1, "import os\nos.system('pip install x')"), "cell 2 installs"),
    ("conda", set_source(1, "!conda install -y pandas"), "cell 2 installs packages"),
    ("conda-magic", set_source(1, "%conda update pandas"), "cell 2 installs packages"),
    ("requests", set_source(1, "import requests"), "cell 2 imports requests;"),
    ("urllib", set_source(1, "from urllib.request import urlopen"), "cell 2 imports urllib;"),
    ("http-client", set_source(1, "import http.client"), "cell 2 imports http.client;"),
    ("http-from", set_source(1, "from http import client"), "cell 2 imports http.client;"),
    ("httpx", set_source(1, "import httpx as h"), "cell 2 imports httpx;"),
    ("socket", set_source(1, "import os, socket"), "cell 2 imports socket;"),
    ("aiohttp", set_source(1, "async def f():\n    import aiohttp"), "cell 2 imports aiohttp;"),
    ("magic", set_source(1, "%matplotlib inline\nimport os, socket"), "cell 2 imports socket;"),
    ("unparsable", set_source(1, "import requests\nprint(("), "cell 2 imports requests;"),
    ("url-in-code", set_source(1, 'read("https://example.org/x.csv")'), "cell 2 has a web address"),
]


@pytest.mark.parametrize(("mutate", "expected"), [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_hygiene_rule_fires(
    tmp_path: Path, built: Notebook, mutate: Mutation, expected: str
) -> None:
    mutate(built)
    path = tmp_path / "bad.ipynb"
    path.write_text(json.dumps(built), encoding="utf-8")
    problems = hygiene_problems(path)
    assert any(problem.startswith(f"{path}: ") and expected in problem for problem in problems), (
        problems
    )
    assert all(problem.endswith(".") for problem in problems)


@pytest.mark.parametrize(
    "mutate",
    [
        set_source(0, "Sources: [BBC](https://www.bbc.co.uk/news) and https://x.org/home/a."),
        set_source(1, "# we never import requests here\nfrom postsoviet import data"),
        set_source(1, 'open("data/tmp/x.csv")\nprint("...")'),
        set_output_text("see https://example.org/tmp/page and data/home/x\n"),
    ],
    ids=["markdown-links", "comment-import", "relative-path", "url-path-in-output"],
)
def test_hygiene_allows(tmp_path: Path, built: Notebook, mutate: Mutation) -> None:
    mutate(built)
    path = tmp_path / "fine.ipynb"
    path.write_text(json.dumps(built), encoding="utf-8")
    assert hygiene_problems(path) == []


def test_built_notebook_has_no_hygiene_problems(lesson: Lesson) -> None:
    assert hygiene_problems(lesson.path) == []


def test_hygiene_reports_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.ipynb"
    path.write_text("{not json", encoding="utf-8")
    assert hygiene_problems(path) == [
        f"{path} is not valid notebook JSON "
        "(line 1, column 2: Expecting property name enclosed in double quotes)."
    ]
