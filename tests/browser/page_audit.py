"""The rendered-page audit: what a student sees in a notebook, checked rule by rule.

The rules read the rendered page (output areas and rendered Markdown), never the cell
source. Each returns one readable line per problem, naming the cell, so a failing test
says where to look:

- ``maths``: a MathJax element in a cell without the ``math`` tag (two ``$`` in prose
  turn the text between them into italic symbols);
- ``truncated``: a widget label, button or option whose text is cut off
  (``scrollWidth > clientWidth``), or a text box too narrow to show a number;
- ``raw table``: ``NaN``, a DataFrame index column or a cell cut off with ``...``;
- ``too wide``: an output wider than its output area (a horizontal scroll bar);
- and the last screenshot of each phase is saved under ``test-artifacts/``.

Overlapping tick labels are checked on the figures themselves (``tests/test_chart_ticks.py``):
a stored chart is a PNG, whose label boxes only matplotlib's renderer knows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from notebook_page import ACTIVE, ARTEFACTS

#: The tag by which a cell says it means maths (``$x^2$``): only there may MathJax render.
MATH_TAG = "math"

_AUDIT_JS = r"""
([active, mathCells]) => {
  const panel = document.querySelector(active);
  const cells = [...panel.querySelectorAll('.jp-Notebook > .jp-Cell, .jp-Cell')]
    .filter((cell, i, all) => all.indexOf(cell) === i);
  const problems = [];
  const visible = el => el.offsetParent !== null && el.getClientRects().length > 0;
  const text = el => (el.innerText || el.value || '').trim().replace(/\s+/g, ' ').slice(0, 60);
  cells.forEach((cell, index) => {
    const where = `cell ${index}`;
    if (!mathCells.includes(index)) {
      const maths = cell.querySelectorAll('.MathJax, mjx-container');
      if (maths.length) {
        problems.push(`maths: ${where} renders ${maths.length} maths element(s), ` +
          `e.g. "${text(maths[0])}" (write \\$ for a dollar, or tag the cell "math")`);
      }
    }
    const outputs = cell.querySelector('.jp-OutputArea');
    if (!outputs) return;
    const labels = outputs.querySelectorAll(
      '.widget-label, .widget-label-basic, .widget-button, .jupyter-button, ' +
      '.widget-toggle-button, .widget-checkbox label, .widget-checkbox span');
    for (const el of labels) {
      if (visible(el) && el.scrollWidth > el.clientWidth + 1 && text(el)) {
        problems.push(`truncated: ${where} cuts off "${text(el)}" ` +
          `(${el.scrollWidth} px of text in ${el.clientWidth} px)`);
      }
    }
    for (const box of outputs.querySelectorAll('input[type=text], input[type=number]')) {
      if (visible(box) && box.clientWidth < 48) {
        problems.push(`truncated: ${where} has a text box ${box.clientWidth} px wide ` +
          `(value "${box.value}"), too narrow to read`);
      }
    }
    for (const out of outputs.querySelectorAll('.jp-OutputArea-output')) {
      if (!visible(out)) continue;
      const body = out.innerText || '';
      const nan = body.match(/(^|[^A-Za-z])NaN([^A-Za-z]|$)/);
      if (nan) problems.push(`raw table: ${where} shows NaN`);
      if (out.querySelector('table tbody th, table thead th.blank, th.row_heading')) {
        problems.push(`raw table: ${where} shows a DataFrame index column`);
      }
      const cut = [...out.querySelectorAll('td')]
        .find(td => /^\.\.\.$|…$/.test(td.innerText.trim()));
      if (cut) problems.push(`raw table: ${where} cuts a table cell off ("${text(cut)}")`);
      for (const pre of out.querySelectorAll('pre')) {
        if (/\n *\d+ {2,}\S.*\n *\d+ {2,}\S/.test('\n' + pre.innerText)) {
          problems.push(`raw table: ${where} prints a DataFrame as text (with its index)`);
        }
      }
      const wide = [out, ...out.querySelectorAll('*')].find(el => visible(el)
        && getComputedStyle(el).overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1
        && !el.matches('.widget-label, .widget-label-basic, .widget-button, .jupyter-button, '
          + '.widget-toggle-button, .widget-checkbox label, .widget-checkbox span, input'));
      if (wide) {
        problems.push(`too wide: ${where} needs ${wide.scrollWidth} px in ` +
          `${wide.clientWidth} px (a horizontal scroll bar)`);
      }
      const area = outputs.getBoundingClientRect();
      const over = [...out.querySelectorAll('*')].find(el => visible(el)
        && el.getBoundingClientRect().right > area.right + 2);
      if (over) {
        problems.push(`too wide: ${where} draws past the page ` +
          `(${Math.round(over.getBoundingClientRect().right - area.right)} px)`);
      }
    }
  });
  return problems;
}
"""


def math_cells(notebook: Path) -> list[int]:
    """Indexes of the cells that opt in to maths with the ``math`` tag."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return [
        i for i, cell in enumerate(cells) if MATH_TAG in cell.get("metadata", {}).get("tags", [])
    ]


def audit(page: Any, notebook: Path) -> list[str]:
    """Every rule's problems on the open notebook, one line each (empty: all clear)."""
    problems = page.evaluate(_AUDIT_JS, [ACTIVE, math_cells(notebook)])
    return sorted(dict.fromkeys(problems), key=problems.index)


def screenshot(page: Any, name: str) -> Path:
    """The whole notebook as one picture, in ``test-artifacts/`` (for a person to look at).

    The notebook scrolls inside its panel, so a full-page screenshot would show one
    screen of it: the notebook is scrolled to its top and the viewport stretched to the
    notebook's height for the picture.
    """
    ARTEFACTS.mkdir(exist_ok=True)
    target = ARTEFACTS / f"audit-{''.join(c if c.isalnum() else '-' for c in name)}.png"
    size = page.viewport_size
    height = page.evaluate(
        """(active) => {
            const boxes = [...document.querySelectorAll(
                active + ' .jp-WindowedPanel-outer, ' + active + ' .jp-Notebook')];
            boxes.forEach(el => { el.scrollTop = 0; });  // Run All leaves it at the end
            return Math.max(...boxes.map(el => el.scrollHeight));
        }""",
        ACTIVE,
    )
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 300, 32_000)})
    try:
        page.screenshot(path=str(target))
    finally:
        page.set_viewport_size(size)
    return target
