"""Explorer latency in a real JupyterLab: from a control's click to the new chart on screen.

Every explorer of every lesson is measured three ways, in one JupyterLab and one
Chromium (Playwright), each step timed inside the page from the click (a capture-phase
listener) to the moment the new chart image is in the page and decoded:

- **course**: the lesson as students get it (charts cached and rendered ahead);
- **no cache**: the same explorer, same clicks, with ``ChartCache.enabled = False``, so
  every step renders its chart, as a plain ``interact`` explorer does;
- **interact**: one literal naive explorer, ``ipywidgets.interact`` over a slider with
  ``display(figure)`` (what ``plt.show()`` does under the inline backend), drawing the
  lesson 01 "what could be known" chart, stepped with the slider's own keyboard handling.

A step is one click on the explorer's next control (buttons and tick boxes in turn;
a control that changes nothing is skipped), then a pause of ``PAUSE_S`` = 0.3 s (a
reader looks at a chart for longer than that) before the next. The walk starts
``SETTLE_S`` = 4 s after the notebook has run (a reader first reads the guided
questions). Run from ``benchmarks/run.py``.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from notebook_page import (  # noqa: E402  (the browser tests' helpers)
    ACTIVE,
    CHROMIUM,
    CHROMIUM_FLAGS,
    code_cell_count,
    new_tab,
    open_notebook,
    restart_and_run_all,
    running_lab,
)

STEPS = 24
PAUSE_S = 0.3
SETTLE_S = 4.0
NO_CACHE_CELL = "from postsoviet.explorers._base import ChartCache\nChartCache.enabled = False"
INTERACT_CELLS = [
    "import ipywidgets as widgets\n"
    "from IPython.display import display\n"
    "from postsoviet.explorers.article import MILESTONES, known_by_figure",
    "@widgets.interact(position=widgets.IntSlider(min=0, max=len(MILESTONES) - 1, value=0))\n"
    "def naive(position):\n"
    "    display(known_by_figure(MILESTONES[position][0]))",
]

# Armed before a step: resolves with the milliseconds from the first click or key press
# inside `root` to a decoded chart image whose source differs from the one before
# (or, for a state with no chart, to different output text).
ARM = """([root, index]) => {
    const box = document.querySelectorAll(root)[index];
    const shown = () => {
        const img = box.querySelector('.jp-OutputArea-output img');
        return img ? img.src : (box.querySelector('.jp-OutputArea') || box).textContent;
    };
    const before = shown();
    let start = null;
    const mark = () => { if (start === null) start = performance.now(); };
    box.addEventListener('click', mark, {capture: true, once: true});
    box.addEventListener('keydown', mark, {capture: true, once: true});
    window.__step = new Promise((resolve) => {
        const timer = setTimeout(() => { observer.disconnect(); resolve(null); }, 3000);
        const observer = new MutationObserver(async () => {
            if (start === null || shown() === before) return;
            observer.disconnect();
            clearTimeout(timer);
            const img = box.querySelector('.jp-OutputArea-output img');
            if (img) { try { await img.decode(); } catch (e) {} }
            resolve(performance.now() - start);
        });
        observer.observe(box, {subtree: true, childList: true, attributes: true,
                               characterData: true});
    });
}"""


def _explorer_lessons(only: tuple[str, ...] = ()) -> list[Path]:
    """Lessons with explorers; with ``only``, those whose name starts with one of them."""
    return [
        path
        for path in sorted((ROOT / "course").glob("*.ipynb"))
        if "Explorer()" in path.read_text(encoding="utf-8")
        and (not only or path.name.startswith(only))
    ]


def _with_first_cell(path: Path, source: str, target: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(source))
    nbformat.write(notebook, target)


def _walk(page: Any, root: str, index: int) -> list[float]:
    """``STEPS`` timed steps on explorer ``index``, clicking its controls in turn."""
    explorer = page.locator(root).nth(index)
    controls = explorer.locator("button:enabled, input[type=checkbox]:enabled")
    times: list[float] = []
    control, misses = 0, 0
    while len(times) < STEPS and misses < 2 * controls.count() + 2:
        page.evaluate(ARM, [root, index])
        controls.nth(control % controls.count()).click()
        elapsed = page.evaluate("() => window.__step")
        control += 1
        if elapsed is None:
            misses += 1
        else:
            times.append(elapsed)
        page.wait_for_timeout(PAUSE_S * 1000)
    return times


def _slider_walk(page: Any) -> list[float]:
    root = f"{ACTIVE} .jp-CodeCell"
    index = page.locator(root).count() - 1
    handle = page.locator(root).nth(index).locator(".noUi-handle")
    times: list[float] = []
    key = "ArrowRight"
    while len(times) < STEPS:
        page.evaluate(ARM, [root, index])
        handle.focus()
        page.keyboard.press(key)
        elapsed = page.evaluate("() => window.__step")
        if elapsed is None:  # at an end of the slider: turn round
            key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
        else:
            times.append(elapsed)
        page.wait_for_timeout(PAUSE_S * 1000)
    return times


def measure(only: tuple[str, ...] = ()) -> dict[str, dict[str, list[float]]]:
    """Step times in ms: {"course" | "no cache" | "interact": {explorer name: times}}.

    ``only`` (lesson name prefixes such as ``"01"``) measures some lessons, so that a
    change can be measured without a whole run on a shared machine.
    """
    from playwright.sync_api import sync_playwright

    lessons = _explorer_lessons(only)
    results: dict[str, dict[str, list[float]]] = {"course": {}, "no cache": {}, "interact": {}}
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        notebooks = {f"course/{path.name}": path for path in lessons}
        for path in lessons:
            uncached = home / f"{path.stem}.no-cache.ipynb"
            _with_first_cell(path, NO_CACHE_CELL, uncached)
            notebooks[f"no-cache/{path.name}"] = uncached
        naive = home / "interact.ipynb"
        baseline = nbformat.read(lessons[0], as_version=4)  # for its kernel metadata
        baseline.cells = [nbformat.v4.new_code_cell(c) for c in INTERACT_CELLS]
        nbformat.write(baseline, naive)
        notebooks["baseline/interact.ipynb"] = naive
        with running_lab(home / "lab", notebooks) as lab, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
            context, page, _errors = new_tab(browser)
            served = Path(lab["served"])
            for variant, folder_name in (("course", "course"), ("no cache", "no-cache")):
                for path in lessons:
                    served_path = f"{folder_name}/{path.name}"
                    print(f"explorer latency: {variant}, {path.name}", file=sys.stderr)
                    open_notebook(page, lab, served_path)
                    restart_and_run_all(page, code_cell_count(served / served_path))
                    page.wait_for_timeout(SETTLE_S * 1000)
                    root = f"{ACTIVE} .postsoviet-explorer"
                    for index in range(page.locator(root).count()):
                        name = f"{path.stem} #{index + 1}"
                        results[variant][name] = _walk(page, root, index)
            open_notebook(page, lab, "baseline/interact.ipynb")
            restart_and_run_all(page, len(INTERACT_CELLS))
            results["interact"]["01-the-article #1 (what could be known), interact"] = _slider_walk(
                page
            )
            context.close()
            browser.close()
    return results


def summarise(times: list[float]) -> tuple[float, float, float]:
    """Median, best and worst step in ms."""
    return statistics.median(times), min(times), max(times)


def percentile_95(times: list[float]) -> float:
    """The 95th percentile step in ms (the targets: p95 under 150 ms, median under 60 ms)."""
    return statistics.quantiles(times, n=20, method="inclusive")[-1]


if __name__ == "__main__":
    print(json.dumps(measure(tuple(sys.argv[1:])), indent=1))
