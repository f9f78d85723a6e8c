"""What the class grader collects from a submission's kernel, tried in this process."""

from __future__ import annotations

import json
import linecache

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from postsoviet import checks
from postsoviet.grading.collect import MAX_ITEMS, decode
from postsoviet.grading.evaluate import evaluate_task, rebuild
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
    [[xs, ys, _label, _linestyle, _marker]] = found["axes"][0]["lines"]
    assert xs == [float(x) for x in mdates.date2num(days)]
    assert ys == [1.0, 2.0, 3.0]
    assert found["axes"][0]["xlabel"] == "date"


def _cell(code: str, namespace: dict, number: int) -> None:
    """Run ``code`` as a notebook cell does: its source stays readable by ``inspect``."""
    filename = f"<cell-{number}-{id(namespace)}>"
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    namespace.setdefault("__name__", "__main__")
    exec(compile(code, filename, "exec"), namespace)


def _round_trip(value: object, capsys) -> object:
    node = _collect({"answer": value}, [("ex-x", "answer", "value")], capsys)["ex-x"]
    return decode(node)


@pytest.mark.parametrize(
    "value",
    [
        {2019: 1.5, 2020: -0.25},
        {"verdict": "refuted", "evidence": ("2021-09-09", "2022-02-10")},
        (3, 4),
        [np.int64(3), np.int64(4)],
        {"a", "c", "d"},
        frozenset({1, 2}),
        np.float64(31.1),
        float("nan"),
        ...,
    ],
    # Fixed ids: a set's repr changes order between processes, and pytest-xdist workers
    # must collect the same names.
    ids=["int-keys", "str-keys", "tuple", "numpy-list", "set", "frozenset", "numpy-float",
         "nan", "stub"],
)
def test_plain_values_come_back_with_their_types(value: object, capsys) -> None:
    back = _round_trip(value, capsys)
    if isinstance(value, float) and value != value:
        assert back != back
        return
    assert back == value and type(back) is type(value.item() if hasattr(value, "item") else value)
    if isinstance(value, dict):
        assert [type(k) for k in back] == [type(k) for k in value]  # int years stay ints


def test_pandas_values_keep_their_index(capsys) -> None:
    years = pd.Series([1.5, 2.5], index=pd.Index([2019, 2020], name="year"), name="bn")
    months = pd.Series([1, 0, -1], index=pd.period_range("2021-01", periods=3, freq="M"))
    days = pd.Series([1.0, 2.0], index=pd.to_datetime(["2021-01-01", "2021-02-01"]))
    frame = years.to_frame()
    for value in (years, months, days):
        back = _round_trip(value, capsys)
        pd.testing.assert_series_equal(back, value, check_index_type=True, check_names=False)
    pd.testing.assert_frame_equal(_round_trip(frame, capsys), frame, check_names=False)
    names = pd.Index(["district A", "district C"])
    assert list(_round_trip(names, capsys)) == list(names)
    array = _round_trip(np.array([1.0, 2.0]), capsys)
    assert isinstance(array, np.ndarray) and array.tolist() == [1.0, 2.0]


def test_a_value_too_large_to_hand_over_is_reported_as_such(capsys) -> None:
    node = _collect({"answer": list(range(MAX_ITEMS + 1))}, [("ex-x", "answer", "value")], capsys)
    assert node["ex-x"]["kind"] == "too-large"
    assert "answer too large" in evaluate_task("ex-04-1", node["ex-x"]).message


def test_a_figure_keeps_its_legends_and_line_labels(capsys) -> None:
    figure = Figure()
    ax = figure.add_subplot()
    ax.plot([2001, 2006], [60.0, 77.0], label="margin")
    ax.legend()
    other = Figure()
    other.add_subplot().plot([1, 2], [3, 4], label="turnout")
    other.legend()
    found = _collect({"a": figure, "b": other}, [("a", "a", "plot"), ("b", "b", "plot")], capsys)
    rebuilt, rebuilt_other = rebuild(found["a"]), rebuild(found["b"])
    assert rebuilt.axes[0].get_legend() is not None
    assert rebuilt.axes[0].get_lines()[0].get_label() == "margin"
    assert rebuilt_other.legends and rebuilt_other.axes[0].get_legend() is None


def test_a_figure_keeps_whether_its_lines_join_their_points(capsys) -> None:
    figure = Figure()
    ax = figure.add_subplot()
    ax.plot([2012, 2013], [1.0, 2.0], marker="o", linestyle="none")
    ax.plot([2012, 2013], [1.0, 2.0], linestyle="-")
    ax.plot([2012, 2013], [2.0, 1.0], linestyle="--")
    found = _collect({"a": figure}, [("a", "a", "plot")], capsys)
    points, line, dashed = rebuild(found["a"]).axes[0].get_lines()
    assert (points.get_linestyle(), points.get_marker()) == ("None", "o")
    assert (line.get_linestyle(), dashed.get_linestyle()) == ("-", "--")


def test_a_function_travels_with_its_helpers_imports_and_constants(capsys) -> None:
    namespace: dict = {"pd": pd}
    _cell("import numpy as numerical\nLIMIT = {'x': 2}\n", namespace, 1)
    _cell(
        "def _double(x):\n    return numerical.multiply(x, LIMIT['x'])\n\n\n"
        "def answer(x):\n    return float(_double(x)) + 1\n",
        namespace,
        2,
    )
    _cell("short = lambda x: x * 3  # a lambda is a function too\n", namespace, 3)
    found = _collect(
        namespace, [("f", "answer", "function"), ("g", "short", "function")], capsys
    )
    assert found["f"]["modules"] == {"numerical": "numpy"}
    assert rebuild(found["f"])(5) == 11.0
    assert rebuild(found["g"])(2) == 6


def test_a_helper_that_calls_the_checking_code_is_still_caught(capsys) -> None:
    namespace: dict = {"checks": checks}
    _cell(
        "def _cheat(df, date):\n    return checks.evaluate('ex-01-2', None)\n\n\n"
        "def known_on(df, date):\n    return _cheat(df, date)\n",
        namespace,
        4,
    )
    found = _collect(namespace, [("ex-01-2", "known_on", "function")], capsys)
    assert evaluate_task("ex-01-2", found["ex-01-2"]).status == "error"
