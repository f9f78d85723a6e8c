"""Tests of the course chart style and chart helpers."""

from __future__ import annotations

import base64
import io
import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest
from matplotlib.figure import Figure
from nbclient import NotebookClient

from postsoviet import plots

LABELS = {
    "title": "Official share of the vote",
    "xlabel": "year of election",
    "ylabel": "share of votes (% of participants)",
    "source": "Central Election Commission of Belarus",
}


@pytest.fixture
def results() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [2001, 2006, 2020, 2001, 2006, 2020],
            "candidate": ["A", "A", "A", "B", "B", "B"],
            "votes_pct": [75.65, 83.0, 80.10, 15.65, 6.1, 10.12],
        }
    )


@pytest.fixture(autouse=True)
def _close_pyplot_figures():
    yield
    plt.close("all")


def _source_lines(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.texts if t.get_text().startswith("source: ")]


# --- style ----------------------------------------------------------------------------


def test_palette_is_okabe_ito() -> None:
    assert plots.OKABE_ITO == {
        "black": "#000000",
        "orange": "#E69F00",
        "sky blue": "#56B4E9",
        "bluish green": "#009E73",
        "yellow": "#F0E442",
        "blue": "#0072B2",
        "vermillion": "#D55E00",
        "reddish purple": "#CC79A7",
    }


def test_style_cycles_okabe_ito_colours_with_markers_and_line_styles() -> None:
    plots.use_course_style()
    cycle = matplotlib.rcParams["axes.prop_cycle"].by_key()
    colours = [colour.upper() for colour in cycle["color"]]
    assert set(colours) <= set(plots.OKABE_ITO.values())
    assert len(set(colours)) == len(colours) >= 6
    assert len(set(cycle["marker"])) == len(cycle["marker"]) == len(colours)
    assert len(set(cycle["linestyle"])) > 1


def test_style_sets_notebook_size_and_drops_top_and_right_spines() -> None:
    plots.use_course_style()
    fig, ax = plt.subplots()
    assert tuple(fig.get_size_inches()) == (7.0, 4.0)
    assert fig.dpi == 100
    assert not ax.spines["top"].get_visible()
    assert not ax.spines["right"].get_visible()
    first, second = ax.plot([1, 2]), ax.plot([2, 1])
    assert first[0].get_marker() != second[0].get_marker()


def test_style_is_idempotent() -> None:
    plots.use_course_style()
    once = dict(matplotlib.rcParams)
    plots.use_course_style()
    assert dict(matplotlib.rcParams) == once


# --- line chart -------------------------------------------------------------------------


def test_line_chart_draws_one_line_per_group_with_labels_and_source(results) -> None:
    fig = plots.line_chart(results, "year", "votes_pct", "candidate", **LABELS)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    lines = ax.get_lines()
    assert len(lines) == 2
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["A", "B"]
    assert lines[0].get_color() != lines[1].get_color()
    assert lines[0].get_marker() != lines[1].get_marker()
    assert ax.get_xlabel() == "year of election"
    assert ax.get_ylabel() == "share of votes (% of participants)"
    assert ax.get_xlabel()[0].islower() and ax.get_ylabel()[0].islower()
    assert _source_lines(fig) == ["source: Central Election Commission of Belarus"]
    assert list(lines[0].get_xdata()) == [2001, 2006, 2020]


def test_line_chart_without_groups_draws_one_line_and_no_legend(results) -> None:
    one = results[results["candidate"] == "A"]
    fig = plots.line_chart(one, "year", "votes_pct", **LABELS)
    assert len(fig.axes[0].get_lines()) == 1
    assert fig.axes[0].get_legend() is None


def test_chart_uses_course_style_even_if_the_session_does_not(results) -> None:
    matplotlib.rcParams.update({"axes.spines.top": True, "figure.figsize": (3.0, 2.0)})
    fig = plots.line_chart(results, "year", "votes_pct", "candidate", **LABELS)
    assert tuple(fig.get_size_inches()) == (7.0, 4.0)
    assert not fig.axes[0].spines["top"].get_visible()
    colour = fig.axes[0].get_lines()[0].get_color().upper()
    assert colour in plots.OKABE_ITO.values()


def test_ticks_keep_the_course_style_when_drawn_later(results) -> None:
    # Matplotlib creates ticks at the first draw, which may happen after the helper returns.
    fig = plots.line_chart(results, "year", "votes_pct", "candidate", **LABELS)
    matplotlib.rcParams.update({"xtick.labelsize": 20, "grid.color": "red"})
    fig.savefig(io.BytesIO(), format="png")
    tick = fig.axes[0].xaxis.get_major_ticks()[0]
    assert tick.label1.get_fontsize() == 10
    assert tick.gridline.get_color() == "#d9d9d9"


def test_helpers_do_not_register_figures_with_pyplot(results) -> None:
    before = plt.get_fignums()
    plots.line_chart(results, "year", "votes_pct", "candidate", **LABELS)
    plots.bar_chart(results, "candidate", "votes_pct", "year", **LABELS)
    assert plt.get_fignums() == before


def test_source_prefix_is_not_doubled(results) -> None:
    fig = plots.line_chart(
        results, "year", "votes_pct", "candidate", **{**LABELS, "source": "Source: CEC"}
    )
    assert _source_lines(fig) == ["source: CEC"]


# --- bar chart --------------------------------------------------------------------------


def test_bar_chart_draws_one_bar_per_row(results) -> None:
    one = results[results["year"] == 2020]
    fig = plots.bar_chart(one, "candidate", "votes_pct", **LABELS)
    ax = fig.axes[0]
    assert len(ax.patches) == 2
    assert [bar.get_height() for bar in ax.patches] == [80.10, 10.12]
    assert [label.get_text() for label in ax.get_xticklabels()] == ["A", "B"]
    assert _source_lines(fig) == ["source: Central Election Commission of Belarus"]


def test_grouped_bars_differ_in_colour_and_hatch(results) -> None:
    fig = plots.bar_chart(results, "candidate", "votes_pct", "year", **LABELS)
    ax = fig.axes[0]
    assert len(ax.patches) == 6  # 2 candidates x 3 years
    containers = ax.containers
    assert len(containers) == 3
    firsts = [container.patches[0] for container in containers]
    assert len({bar.get_facecolor() for bar in firsts}) == 3
    assert len({bar.get_hatch() for bar in firsts}) == 3


@pytest.mark.parametrize(
    ("values", "upright"),
    [
        ([4.28, 4.75, 3.42], False),
        ([38.13 + i / 100 for i in range(20)], True),
        ([-2.56 - i / 10 for i in range(20)], True),
    ],
    ids=["three bars", "twenty high bars", "twenty negative bars"],
)
def test_bar_value_labels_never_run_into_each_other_or_out_of_the_axes(values, upright) -> None:
    years = pd.DataFrame({"year": [str(2002 + i) for i in range(len(values))], "bn": values})
    fig = plots.bar_chart(years, "year", "bn", **LABELS)
    fig.draw_without_rendering()
    ax = fig.axes[0]
    labels = [text for text in ax.texts if text.get_text()]
    assert len(labels) == len(values)
    assert {label.get_rotation() for label in labels} == {90 if upright else 0}
    boxes = [label.get_window_extent() for label in labels]
    assert not any(a.x1 > b.x0 for a, b in itertools.pairwise(boxes))
    inside = ax.get_window_extent()
    assert all(inside.y0 <= box.y0 and box.y1 <= inside.y1 for box in boxes)
    for label, box in zip(labels, boxes, strict=True):  # beyond the bar's end, not on it
        end = ax.transData.transform((0, label.xy[1]))[1]
        assert box.y0 >= end - 1 if label.xy[1] >= 0 else box.y1 <= end + 1
        assert label.get_text().startswith("-") == (label.xy[1] < 0)


@pytest.mark.parametrize("chart", [plots.line_chart, plots.bar_chart])
def test_a_legend_of_long_entries_widens_the_figure_instead_of_squeezing_the_plot(
    results, chart
) -> None:
    def plot_width(names: dict[str, str]) -> float:
        fig = chart(
            results.replace({"candidate": names}), "year", "votes_pct", "candidate", **LABELS
        )
        fig.draw_without_rendering()
        return fig.axes[0].get_window_extent().width / fig.dpi

    short = plot_width({"A": "A", "B": "B"})
    long = plot_width(
        {"A": "Lukashenko, the incumbent (official)", "B": "Tsikhanouskaya, the challenger"}
    )
    assert long >= 0.95 * short


# --- descriptions and display -----------------------------------------------------------


def test_helper_charts_describe_their_data(results) -> None:
    fig = plots.line_chart(results, "year", "votes_pct", "candidate", **LABELS)
    text = plots.describe_figure(fig)
    assert text.startswith("Line chart: Official share of the vote.")
    assert "A: 75.65 in 2001, 80.1 in 2020, highest 83 in 2006" in text
    assert "B: 15.65 in 2001, 10.12 in 2020" in text
    assert text.endswith("Source: Central Election Commission of Belarus.")


def test_a_given_description_is_kept(results) -> None:
    fig = plots.bar_chart(
        results, "candidate", "votes_pct", "year", **LABELS, description="A leads every time."
    )
    assert plots.describe_figure(fig) == "A leads every time."


def test_any_figure_gets_a_general_description() -> None:
    fig, ax = plt.subplots()
    ax.plot([1, 2])
    ax.plot([2, 1])
    ax.set_title("Two lines")
    ax.set_xlabel("year")
    ax.set_ylabel("share (%)")
    text = plots.describe_figure(fig)
    assert text == "Chart 'Two lines' with 2 lines, share (%) against year."


def test_show_displays_image_with_alt_text_then_a_caption(monkeypatch, results) -> None:
    shown = []
    monkeypatch.setattr(
        "IPython.display.display", lambda data, **kwargs: shown.append((data, kwargs))
    )
    fig = plots.line_chart(results, "year", "votes_pct", "candidate", **LABELS)
    fig._ipython_display_()
    (image, image_kwargs), (caption, _) = shown
    assert base64.b64decode(image["image/png"]).startswith(b"\x89PNG")
    alt = image_kwargs["metadata"]["image/png"]["alt"]
    assert alt == "Chart: Official share of the vote. Described in the caption below."
    assert caption["text/plain"] == "Figure: " + plots.describe_figure(fig)
    assert caption["text/markdown"].startswith("*Figure:* Line chart")


def test_caption_markdown_escapes_markup_but_plain_text_does_not(monkeypatch) -> None:
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda data, **kwargs: shown.append(data))
    fig = Figure()
    plots.show(fig, "Costs $5 per *unit*, not $7.")
    caption = shown[1]
    assert caption["text/markdown"] == r"*Figure:* Costs \\$5 per \*unit\*, not \\$7."
    assert caption["text/plain"] == "Figure: Costs $5 per *unit*, not $7."


def test_show_closes_pyplot_figures(monkeypatch) -> None:
    monkeypatch.setattr("IPython.display.display", lambda data, **kwargs: None)
    fig, ax = plt.subplots()
    ax.plot([1, 2])
    plots.show(fig, "A rising line.")
    assert not plt.fignum_exists(fig.number)


def test_in_a_notebook_a_chart_is_displayed_once_with_its_caption() -> None:
    """The inline backend must not show a helper's figure a second time."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import matplotlib.pyplot as plt\n"
            "import pandas as pd\n"
            "from postsoviet import plots\n"
            "plots.use_course_style()\n"
            "df = pd.DataFrame({'year': [2001, 2006], 'pct': [75.65, 83.0]})\n"
            "plots.line_chart(df, 'year', 'pct', title='t', xlabel='year',"
            " ylabel='share (%)', source='CEC')"
        )
    ]
    NotebookClient(notebook, timeout=60, kernel_name="python3").execute()
    outputs = notebook.cells[0].outputs
    assert [output.output_type for output in outputs] == ["display_data", "display_data"]
    assert "image/png" in outputs[0].data
    assert outputs[1].data["text/plain"].startswith("Figure: Line chart: t.")


# --- bad input --------------------------------------------------------------------------


def test_missing_column_is_named_in_a_sentence(results) -> None:
    with pytest.raises(ValueError) as caught:
        plots.line_chart(results, "year", "votes", "candidate", **LABELS)
    message = str(caught.value)
    assert "no column 'votes'" in message
    assert "Its columns are: year, candidate, votes_pct." in message
    assert "Did you mean 'votes_pct'?" in message


def test_capitalised_axis_label_is_refused(results) -> None:
    with pytest.raises(ValueError, match=r"lower case.*'year of election'"):
        plots.line_chart(results, "year", "votes_pct", **{**LABELS, "xlabel": "Year of election"})


def test_acronym_at_the_start_of_a_label_is_allowed(results) -> None:
    fig = plots.bar_chart(results, "candidate", "votes_pct", "year", **{**LABELS, "ylabel": "USD"})
    assert fig.axes[0].get_ylabel() == "USD"


def test_empty_source_is_refused(results) -> None:
    with pytest.raises(ValueError, match="every chart needs a source"):
        plots.bar_chart(results, "candidate", "votes_pct", "year", **{**LABELS, "source": " "})


def test_text_column_cannot_be_the_value_axis(results) -> None:
    with pytest.raises(ValueError, match=r"'candidate' holds .* not numbers"):
        plots.bar_chart(results, "year", "candidate", **LABELS)


def test_two_values_for_one_point_ask_for_filtering(results) -> None:
    with pytest.raises(ValueError, match="Filter the data first"):
        plots.line_chart(results, "year", "votes_pct", **LABELS)


def test_not_a_dataframe_is_a_type_error(results) -> None:
    with pytest.raises(TypeError, match="needs a pandas DataFrame, but it was given a Series"):
        plots.line_chart(results["votes_pct"], "year", "votes_pct", **LABELS)


def test_student_table_columns_share_their_decimals_and_addresses_read_as_typed() -> None:
    from postsoviet.display import student_text

    frame = pd.DataFrame(
        {
            "hhi": [2841.7, 2648.57, 2064.5],
            "source": ["ru.wikipedia.org/wiki/%D0%A0%D0%B5%D1%84", "a", "b"],
            "stuffed": [True, False, False],
        }
    )
    text = student_text(frame)
    assert "False" not in text and "True" not in text and " yes" in text and " no" in text
    assert "2,841.70" in text and "2,648.57" in text and "2,064.50" in text
    assert "ru.wikipedia.org/wiki/Реф" in text and "%D0" not in text


def test_student_table_lines_fit_side_by_side_and_break_between_words() -> None:
    """A line wider than its column was wrapped again by the browser ("until / 1996.")."""
    import re

    from postsoviet.display import _TABLE_CHARACTERS, student_html

    words = "the Supreme Soviet marked 27 July as Independence Day until 1996 "
    frame = pd.DataFrame(
        {
            "event": [words * 3],
            "basis": [words * 2],
            "source": ["euro.radio.fm/en/july-27-belarus-independence-declaration-anniversary"],
        }
    )
    cells = re.findall(r"<td[^>]*>(.*?)</td>", student_html(frame))
    lines = [cell.split("<br>") for cell in cells]
    assert sum(max(map(len, column)) for column in lines) <= _TABLE_CHARACTERS
    assert all(line.split(" ")[-1] in words.split() for line in lines[0])  # whole words
    assert all(line[-1] in "/-_" for line in lines[2][:-1])  # an address breaks at "/", "-"
    assert "".join(lines[2]) == frame["source"][0]


def test_student_tables_have_no_index_nan_or_snake_case_and_wrap_long_text() -> None:
    from postsoviet.display import MISSING, student_html, student_text

    frame = pd.DataFrame(
        {"votes_cast": [1.0, None], "gap_points": [3, 4], "note": ["x " * 80, "short"]},
        index=[7, 9],
    )
    page, text = student_html(frame), student_text(frame)
    assert "NaN" not in page and "NaN" not in text and MISSING in page and MISSING in text
    assert "<th>7</th>" not in page and "tbody><tr><th" not in page
    assert "votes cast" in page and "gap (points)" in page and "votes_cast" not in page
    assert "<br>" in page  # stored tables wrap even where styles are sanitised away
    assert not text.lstrip().startswith("7")
