"""One sentence instead of a traceback when a cell runs before the notebook's set-up cell.

Every lesson and exercise starts with a set-up cell ("# Run this cell first") that imports
the course helpers and loads the data. A student who opens a notebook and runs a quiz or
explorer cell first gets ``NameError: name 'answer' is not defined`` and a traceback that
says nothing about what to do. This IPython extension turns a ``NameError`` for a name the
set-up cells define into one sentence saying which cell to run. Any other ``NameError``
(a student's own misspelt variable) keeps IPython's usual traceback.

The output is still an error (``ename`` stays ``NameError``): "Run All" stops there, and
nbgrader and the course's grader see the same failure as before, only with readable text.

It is loaded in every kernel of the course's environment by
``etc/ipython/ipython_kernel_config.json``, which the package installs under the
environment's prefix (IPython reads that folder after the user's own profile), so it
works on a laptop, in ``make lab`` and on a class hub without any step by the student.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SETUP_NAMES", "hint_for", "load_ipython_extension"]

#: Names bound by the set-up cell of a course or exercise notebook
#: (``tests/test_kernel_hints.py`` keeps this list complete).
SETUP_NAMES = frozenset(
    {
        # modules and helpers
        "Rectangle", "SPECS", "answer", "check", "coded_events", "data", "energy", "flags",
        "forensics", "maps", "pd", "plots", "plt", "progress", "show",
        # lesson helpers and explorers
        "CalendarBoard", "CensusExplorer", "ClaimsBoard", "ElectionExplorer",
        "FlagYearExplorer", "ForensicsExplorer", "KnownByExplorer", "PredictionCheck",
        "RelationsExplorer", "SubsidyExplorer", "TimelineExplorer", "TradeExplorer",
        "census_table", "early_voting_figure", "election_results", "ethnicity_figure",
        "flags_in", "forensics_table", "gas_price_figure", "identity_events", "judge_claim",
        "judge_date", "known_by", "official_result_figure", "referendum_1995_figure",
        "relations_table", "score_predictions", "subsidy_table", "timeline_events",
        "trade_table", "trend_figure", "winner_over_time",
        # data the exercises load
        "census", "coded", "early", "elections", "ethnicity", "gas", "mystery",
        "referendums", "spec", "timeline", "trade",
    }
)  # fmt: skip


def hint_for(name: str) -> str:
    """The sentence shown when ``name`` is used before the set-up cell has run."""
    # Imported here: every kernel loads this extension, and display imports pandas.
    from postsoviet.display import plain_lines

    return plain_lines(
        f"✗ Not ready yet: {name} is defined by the set-up cell at the top of this notebook "
        '(it starts with "# Run this cell first"). Run that cell (click it, then press '
        "Shift+Enter), then run this cell again. Run ▸ Run All Above Selected Cell runs "
        "every cell above this one."
    )


def _on_name_error(
    shell: Any, etype: type[BaseException], value: BaseException, tb: Any, tb_offset: Any = None
) -> None:
    """IPython's custom exception hook; it shows the error itself (its return is unused)."""
    name = getattr(value, "name", None)
    if isinstance(name, str) and name in SETUP_NAMES:
        # The front end's own error display (ipykernel publishes an "error" message).
        shell._showtraceback(etype, value, [hint_for(name)])
    else:
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset, running_compiled_code=True)


def load_ipython_extension(shell: Any) -> None:
    """IPython's entry point: ``%load_ext postsoviet.kernel_hints`` or the kernel config."""
    shell.set_custom_exc((NameError,), _on_name_error)
