"""What the class grader collects from a submission's kernel, tried in this process."""

from __future__ import annotations

import json

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure

from postsoviet.grading.runner import _COLLECT, ANSWER_LIMIT, MARKER


def _collect(namespace: dict, tasks: list[tuple[str, str, str]], capsys) -> dict:
    exec(_COLLECT + f"\n_postsoviet_collect({tasks!r}, {MARKER!r}, {ANSWER_LIMIT})", namespace)
    line = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith(MARKER))
    return json.loads(line[len(MARKER) :])


def test_a_plot_with_dates_on_its_x_axis_is_collected_as_day_numbers(capsys) -> None:
    days = pd.to_datetime(["2020-07-29", "2020-08-09", "2020-08-14"])
    figure = Figure()
    ax = figure.add_subplot()
    ax.plot(days, [1, 2, 3])
    ax.set_xlabel("date")
    found = _collect({"fig": figure}, [("ex-x", "fig", "plot")], capsys)["ex-x"]
    assert found["kind"] == "figure"
    [[xs, ys]] = found["axes"][0]["lines"]
    assert xs == [float(x) for x in mdates.date2num(days)]
    assert ys == [1.0, 2.0, 3.0]
    assert found["axes"][0]["xlabel"] == "date"
