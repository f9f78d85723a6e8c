"""What students see: text that is not read as maths, tables without pandas' internals.

Two things go wrong between the package and the rendered page, and both are fixed here,
once, for every caption, status line, feedback and table:

- **Dollar signs.** JupyterLab runs MathJax over rendered Markdown and over widget
  descriptions and labels, with ``$...$`` as inline maths: "a gap of $100 ... is $2
  billion" became italic run-together symbols. In Markdown a single ``\\$`` is not
  enough there (Markdown consumes the backslash before MathJax sees the text,
  jupyterlab/jupyterlab#8645), so :func:`markdown_text` writes ``\\\\$``, which
  JupyterLab and nbviewer both show as ``$``; lesson prose does the same. Widget
  descriptions are typeset from plain text, where ``\\$`` is MathJax's own escape
  (:func:`description_text`). ``HTML`` widgets are not typeset (ipywidgets 8 in
  JupyterLab 4.6), so :func:`html_text` only escapes HTML; the rendered-page audit
  would catch a front end that starts typesetting them.
- **Raw pandas.** A DataFrame's own display shows its index, ``NaN``, snake_case headers
  and cells cut off with "...". :func:`student_html` / :func:`student_text` show the
  same rows without the index, with "not published" for a missing value, plain-English
  headers and wrapped text. :func:`register_table_display` makes them the display of
  every DataFrame in the kernel (the lessons' set-up cell calls it through
  :func:`postsoviet.plots.use_course_style`), so no lesson cell needs a wrapper.

A third is in the widgets' own style sheet: ipywidgets cut labels, option texts and
button texts off with "..." on one line, which hid the long (and mostly correct) quiz
options. :data:`WIDGET_CSS`, carried by every course widget (:func:`widget_style`), lets
them wrap, and draws "choose one" checkboxes as radio circles.
"""

from __future__ import annotations

import html
import re
import textwrap
import urllib.parse
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "MISSING",
    "WIDGET_CLASS",
    "WIDGET_CSS",
    "description_text",
    "html_text",
    "markdown_text",
    "plain_header",
    "plain_lines",
    "register_table_display",
    "student_html",
    "student_text",
    "widget_style",
]

#: What a student reads where the data have no value.
MISSING = "not published"

_MARKDOWN_SPECIAL = set("\\`*_{}[]<>#|~")

#: Column-name endings and the words and units they stand for.
_SUFFIXES = (
    ("_usd_per_1000m3", " (USD per 1000 m³)"),
    ("usd_per_1000m3", "price (USD per 1000 m³)"),
    ("_usd_bn", " (billion USD)"),
    ("_usd", " (USD)"),
    ("_pct", " (%)"),
    ("_points", " (points)"),
    ("_bcm", " (bcm)"),
)
#: Whole names whose plain English is not their words (``hhi`` is an abbreviation).
_NAMES = {"hhi": "concentration (HHI)", "no": "number", "wording_short": "wording (short)"}


def markdown_text(text: str) -> str:
    """``text`` as literal Markdown: Markdown's special characters escaped, ``$`` as ``\\\\$``."""
    return "".join(
        "\\\\$" if char == "$" else "\\" + char if char in _MARKDOWN_SPECIAL else char
        for char in text
    )


def description_text(text: str) -> str:
    """``text`` for a widget's ``description`` or a ``Label``: a ``$`` stays a dollar sign."""
    return text.replace("$", "\\$")


def html_text(text: str) -> str:
    """``text`` as literal HTML for an ``HTML`` widget (which MathJax does not typeset)."""
    return html.escape(text)


def plain_header(column: object) -> str:
    """``votes_cast`` -> "votes cast", ``turnout_pct`` -> "turnout (%)": a header to read."""
    name = str(column)
    if name in _NAMES:
        return _NAMES[name]
    for suffix, words in _SUFFIXES:
        if name == suffix.lstrip("_") or name.endswith(suffix):
            stem = name[: -len(suffix)] if name != suffix.lstrip("_") else ""
            return (stem.replace("_", " ") + words).strip()
    return re.sub(r"_+", " ", name).strip()


#: The width of plain-text lines: JupyterLab shows text outputs with ``word-break:
#: break-all``, so a sentence longer than the output area is cut inside its words
#: ("noteboo ks"); lines this short fit the output area of a laptop's window.
PLAIN_WIDTH = 78


def plain_lines(text: str, width: int = PLAIN_WIDTH) -> str:
    """``text`` with each of its lines wrapped at word boundaries, indentation kept.

    For everything shown as plain text: the fallbacks of quizzes and explorers, and the
    sentence of an error. A wrapped line keeps its first line's indentation plus, for an
    option such as ``  b) text``, the width of its label, so options stay readable.
    """
    wrapped = []
    for line in text.splitlines() or [""]:
        label = re.match(r"\s*(?:[a-z0-9]{1,2}\)\s+)?", line)
        indent = " " * (label.end() if label else 0)
        wrapped.append(
            textwrap.fill(
                line,
                width,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
            or line
        )
    return "\n".join(wrapped)


def _cell(value: Any, decimals: int = 2) -> str:
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return MISSING
    if isinstance(value, pd.Timestamp):
        return f"{value.day} {value:%B %Y}" if value == value.normalize() else str(value)
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"  # not Python's False
    if isinstance(value, float):
        return f"{value:,.{decimals}f}" if abs(value) < 1e15 else f"{value:g}"
    if isinstance(value, str) and _ENCODED.search(value):
        return urllib.parse.unquote(value)  # a web address as its reader would type it
    return str(value)


#: A percent-encoded character in an address (``%D0%A0`` for "Р").
_ENCODED = re.compile(r"%[0-9A-Fa-f]{2}")


def _decimals(column: pd.Series) -> int:
    """The decimals a column of numbers needs (at most 2), the same for every row.

    Per cell, 2,841.7 sat above 2,648.57: a column reads as one measure only when its
    numbers line up.
    """
    numbers = [v for v in column if isinstance(v, float) and not pd.isna(v) and abs(v) < 1e15]
    needed = [len(f"{v:.2f}".rstrip("0").partition(".")[2]) for v in numbers]
    return max(needed, default=0)


def _cells(column: pd.Series) -> list[str]:
    decimals = _decimals(column)
    return [_cell(value, decimals) for value in column]


def _student_frame(df: pd.DataFrame) -> pd.DataFrame:
    source = df.reset_index(drop=True)
    columns = [source.iloc[:, i] for i in range(source.shape[1])]
    shown = pd.DataFrame(
        {i: _cells(column) for i, column in enumerate(columns)},
        index=source.index,
    )
    shown.columns = [plain_header(c) for c in df.columns]
    return shown


#: Cells wrap (JupyterLab's tables otherwise keep a row on one line, and long source
#: notes pushed the table to 1800 px), long words and addresses included.
#: ``break-word``, not ``anywhere``: the latter lets a narrow column shrink below its
#: longest word, which it then cuts ("identit y").
_CELL_STYLE = "text-align: left; white-space: normal; max-width: 36em; overflow-wrap: break-word"


#: How many characters of text a table may hold side by side in a laptop's output area
#: before its columns have to wrap, and the narrowest a wrapped column becomes.
_TABLE_CHARACTERS = 90
_NARROWEST = 16


def _column_widths(shown: pd.DataFrame) -> list[int]:
    """Characters per line for each column, so that the lines fit side by side.

    Lines wider than the column the browser gives them are wrapped again by the
    browser, leaving a word alone on a line ("until / 1996."). So the page's width is
    shared out: columns narrower than an equal share keep their length, and the rest
    share what is left equally.
    """
    natural = [
        max([len(str(shown.columns[i])), *map(len, shown.iloc[:, i])])
        for i in range(shown.shape[1])
    ]
    widths, left, open_columns = list(natural), _TABLE_CHARACTERS, list(range(len(natural)))
    while open_columns:
        share = left // len(open_columns)
        fitting = [i for i in open_columns if natural[i] <= share]
        if not fitting:
            for i in open_columns:
                widths[i] = max(share, _NARROWEST)
            break
        for i in fitting:
            left -= natural[i]
            open_columns.remove(i)
    return widths


def _pieces(word: str, width: int) -> list[str]:
    """A word too long for its column, cut after "/", "-" or "_" (addresses), then by length."""
    if len(word) <= width:
        return [word]
    parts = [part for part in re.split(r"(?<=[/_-])", word) if part]
    out: list[str] = []
    for part in parts:
        out.extend(part[i : i + width] for i in range(0, len(part), width))
    return out


def _wrapped(text: str, width: int) -> str:
    """Cell text as lines of at most ``width`` characters joined by ``<br>``.

    A notebook that has not been trusted (every fresh clone) is shown with its HTML
    sanitised, and the sanitiser drops the cells' wrapping style: line breaks in the
    text itself keep a stored table inside the page too. Lines break between words,
    and a long address after one of its "/", "-" or "_".
    """
    lines: list[str] = []
    line = ""
    for word in text.split():
        for number, piece in enumerate(_pieces(word, width)):
            glue = "" if number else " "
            if line and len(line) + len(glue) + len(piece) > width:
                lines.append(line)
                line = piece
            else:
                line = f"{line}{glue}{piece}" if line else piece
    lines.append(line)
    return "<br>".join(html_text(line) for line in lines if line) or html_text(text)


def student_html(df: pd.DataFrame) -> str:
    """The rows of ``df`` as an HTML table a student can read: no index, wrapped text."""
    shown = _student_frame(df)
    widths = _column_widths(shown)
    head = "".join(
        f'<th style="{_CELL_STYLE}">{_wrapped(str(c), w)}</th>'
        for c, w in zip(shown.columns, widths, strict=True)
    )
    rows = "".join(
        "<tr>"
        + "".join(
            f'<td style="{_CELL_STYLE}">{_wrapped(value, w)}</td>'
            for value, w in zip(row, widths, strict=True)
        )
        + "</tr>"
        for row in shown.itertuples(index=False)
    )
    caption = f"{len(shown)} row{'s' if len(shown) != 1 else ''}"
    return (
        f'<table class="postsoviet-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table><p><small>{caption}</small></p>"
    )


def student_text(df: pd.DataFrame) -> str:
    """The same table as plain text (screen readers, nbval, text-only front ends)."""
    if df.empty:
        return "(no rows) columns: " + ", ".join(plain_header(c) for c in df.columns)
    return _student_frame(df).to_string(index=False)


def register_table_display() -> None:
    """Show every DataFrame in this IPython kernel as :func:`student_html` / ``_text``.

    Outside IPython (a script, the grader) nothing changes. The DataFrame itself is
    untouched: its index and values are there for code; only its display changes.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with every kernel
        return
    shell = get_ipython()
    if shell is None:
        return
    formatters = shell.display_formatter.formatters
    formatters["text/html"].for_type(pd.DataFrame, student_html)
    formatters["text/plain"].for_type(
        pd.DataFrame, lambda df, printer, _cycle: printer.text(student_text(df))
    )


#: The class every course widget carries (quizzes, explorers, boards): the style sheet
#: is scoped to it, so JupyterLab's own interface is untouched.
WIDGET_CLASS = "postsoviet-widget"
#: Scoped to the course's own widgets, so JupyterLab is untouched.
_ROOTS = (".postsoviet-widget",)
WIDGET_CSS = "\n".join(
    rule.replace("ROOT", root)
    for root in _ROOTS
    for rule in (
        # Labels, options and buttons wrap instead of ending in "...".
        "ROOT .widget-label, ROOT .widget-label-basic, ROOT .widget-checkbox > span, "
        "ROOT .widget-checkbox label {white-space: normal; overflow: visible; "
        "text-overflow: clip; height: auto; line-height: 1.35; min-width: 0}",
        "ROOT .widget-checkbox, ROOT .widget-inline-hbox {height: auto; "
        "min-height: var(--jp-widgets-inline-height); align-items: flex-start}",
        "ROOT .widget-checkbox input {margin-top: 0.3em; flex: none}",
        # Number and text boxes keep room for their value beside a long description.
        "ROOT .widget-inline-hbox input[type=number], ROOT .widget-inline-hbox "
        "input[type=text] {min-width: 5em; flex: 0 0 auto}",
        "ROOT .jupyter-button, ROOT .widget-button {white-space: normal; overflow: visible; "
        "text-overflow: clip; height: auto; min-height: var(--jp-widgets-inline-height); "
        "max-width: 100%; line-height: 1.3; padding-top: 2px; padding-bottom: 2px}",
        "ROOT .widget-hbox {flex-wrap: wrap; gap: 2px 4px}",
        "ROOT .postsoviet-chosen {outline: 3px solid #0072B2; outline-offset: -3px; "
        "font-weight: bold}",
        # An explorer between a click and its new chart (explorers._base.BUSY).
        "ROOT.postsoviet-busy .jupyter-button, ROOT.postsoviet-busy .widget-checkbox, "
        "ROOT.postsoviet-busy input {pointer-events: none; opacity: 0.55}",
        # "Choose one": the checkboxes look like radio buttons (a circle, a dot).
        "ROOT .postsoviet-choose-one input[type=checkbox] {appearance: none; "
        "-webkit-appearance: none; width: 1.1em; height: 1.1em; border: 2px solid #333; "
        "border-radius: 50%; background: #fff; cursor: pointer}",
        "ROOT .postsoviet-choose-one input[type=checkbox]:checked {background: "
        "radial-gradient(circle, #0072B2 0 40%, #fff 45%)}",
        "ROOT input[type=checkbox]:focus-visible, ROOT button:focus-visible "
        "{outline: 3px solid #0072B2; outline-offset: 2px}",
    )
)


def widget_style() -> Any:
    """An invisible ``HTML`` widget holding :data:`WIDGET_CSS`: one per course widget.

    The style travels with the widget, so it applies wherever the widget is shown
    (JupyterLab, Notebook 7, VS Code) with nothing to install; a second copy is harmless.
    """
    import ipywidgets as widgets

    return widgets.HTML(f"<style>{WIDGET_CSS}</style>", layout=widgets.Layout(display="none"))
