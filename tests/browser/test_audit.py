"""The rendered-page audit over every lesson and exercise, before and after Run All.

One page load per notebook, shared with the other browser tests (``ran_notebooks`` in
conftest.py): the stored outputs (what GitHub, nbviewer and a student who has not run
anything yet see) are audited first, then the notebook is run and audited again.
Screenshots of both phases go to ``test-artifacts/``. A last test serves a notebook that
breaks every rule once, so each rule is seen to fail.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import nbformat
import pytest
from page_audit import MATH_TAG, audit, screenshot

from notebook_page import code_cell_count, every_notebook, open_notebook, restart_and_run_all


@pytest.mark.parametrize("path", every_notebook())
def test_what_a_student_sees_passes_the_audit(ran_notebook, lab, path) -> None:
    run = ran_notebook(path)  # audited as stored when it was opened, then run
    problems = audit(run.tab, Path(lab["served"]) / path)
    screenshot(run.tab, f"{path}-run")
    found = [f"stored outputs: {p}" for p in run.stored_problems]
    found += [f"after Run All: {p}" for p in problems]
    assert not found, "\n".join(found)


def _broken_notebook() -> nbformat.NotebookNode:
    """One cell per rule, each breaking it the way the lessons once did."""
    code, markdown = nbformat.v4.new_code_cell, nbformat.v4.new_markdown_cell
    allowed = markdown("The area of a circle is $\\pi r^2$.")
    allowed.metadata["tags"] = [MATH_TAG]
    cells = [
        markdown("A gap of $100 per 1000 m³ on 20 bcm is $2 billion."),
        allowed,
        markdown("Escaped, a price is \\$100 and stays text."),
        code(
            "import ipywidgets as widgets\n"
            "widgets.Button(description='January to September 2020, every theme ticked')"
        ),
        code("widgets.Text(value='25', layout=widgets.Layout(width='25px'))"),
        code("import pandas as pd\npd.DataFrame({'votes_cast': [1.0, None]})"),
        code("print(pd.DataFrame({'year': [1994, 2001], 'gap_points': [3, 4]}))"),
        code(
            "from IPython.display import HTML\n"
            "HTML('<div style=\"width: 3000px; overflow-x: auto\">' + 'wide ' * 600 + '</div>')"
        ),
    ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    return notebook


def test_the_audit_fails_on_each_broken_rule(page, lab) -> None:
    name = f"audit-broken-{secrets.token_hex(4)}.ipynb"
    served = Path(lab["served"]) / name
    nbformat.write(_broken_notebook(), served)
    open_notebook(page, lab, name)
    restart_and_run_all(page, code_cell_count(served))
    problems = audit(page, served)
    by_cell = {index: [p for p in problems if f" cell {index} " in p] for index in range(8)}
    assert any(p.startswith("maths:") for p in by_cell[0]), problems
    assert not by_cell[1] and not by_cell[2], problems  # tagged maths, escaped dollars
    assert any(p.startswith("truncated:") for p in by_cell[3]), problems
    assert any(p.startswith("truncated:") for p in by_cell[4]), problems
    assert any("NaN" in p for p in by_cell[5]), problems
    assert any("index column" in p for p in by_cell[5]), problems
    assert any("as text" in p for p in by_cell[6]), problems
    assert any(p.startswith("too wide:") for p in by_cell[7]), problems
