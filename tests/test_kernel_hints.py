"""A cell run before the set-up cell says which cell to run (``postsoviet.kernel_hints``).

The kernels are real: nbclient starts the environment's own ``python3`` kernel, which loads
the extension from ``{sys.prefix}/etc/ipython/ipython_kernel_config.json`` as a student's
kernel does. The browser test in ``tests/browser/test_lab.py`` reads the same sentence
as JupyterLab renders it.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from postsoviet.kernel_hints import SETUP_NAMES, hint_for

ROOT = Path(__file__).resolve().parents[1]
CONFIG = "ipython_kernel_config.json"


def _set_up_names(path: Path) -> set[str]:
    first = next(c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    names: set[str] = set()
    for node in ast.walk(ast.parse(first.source)):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def test_the_names_are_exactly_those_the_set_up_cells_define() -> None:
    notebooks = sorted((ROOT / "course").glob("*.ipynb")) + sorted(
        (ROOT / "exercises").glob("*.ipynb")
    )
    defined = set().union(*(_set_up_names(path) for path in notebooks))
    assert set(SETUP_NAMES) == defined


def test_this_environment_carries_the_kernel_config() -> None:
    """make setup copies it (an editable install leaves data files out; see Makefile)."""
    shipped = ROOT / "jupyter-config" / CONFIG
    assert json.loads(shipped.read_text()) == {
        "IPKernelApp": {"extensions": ["postsoviet.kernel_hints"]}
    }
    installed = Path(sys.prefix) / "etc" / "ipython" / CONFIG
    assert installed.read_text() == shipped.read_text(), "run make setup"


def _run(*sources: str) -> list[dict]:
    """Run each source in a fresh kernel of this environment; every cell's outputs."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    client = NotebookClient(nb, kernel_name="python3", timeout=60, allow_errors=True)
    client.execute()
    return [cell.outputs for cell in nb.cells]


def test_a_set_up_name_gets_one_sentence_and_stays_an_error() -> None:
    quiz, data, own_typo, after_set_up = _run(
        'answer("start-here-0", "b")',
        'data.load("trade")',
        "subsidy_bm",
        "from postsoviet.quiz import answer\nprint(callable(answer))",
    )
    for outputs, name in ((quiz, "answer"), (data, "data")):
        (error,) = outputs
        assert error["output_type"] == "error"
        assert error["ename"] == "NameError"  # Run All stops; graders see the failure
        assert error["traceback"] == [hint_for(name)]
    (typo,) = own_typo
    assert typo["ename"] == "NameError"
    assert len(typo["traceback"]) > 1 and "subsidy_bm" in "".join(typo["traceback"])
    assert after_set_up[0]["text"] == "True\n"


def test_an_executed_notebook_still_fails_on_the_name_error() -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('show("start-here-0")')])
    with pytest.raises(CellExecutionError, match="Not ready yet") as failure:
        NotebookClient(nb, kernel_name="python3", timeout=60).execute()
    assert failure.value.ename == "NameError"
