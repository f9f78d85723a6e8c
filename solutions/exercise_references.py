"""Reference answers of the exercise tasks: the instructor's side only, never shipped.

``python -m postsoviet exercise-keys`` imports this module, computes every reference
from the course data (and, for function tasks, calls the reference function on the
hidden inputs the package's checkers use) and writes the salted hashes to
``src/postsoviet/checks/answer_keys.json``, and stores exercise 05's mystery election
(:func:`mystery_election`) without the record of where ballots were stuffed. The
student's package holds the hashes, the hidden inputs and the messages, never the
expected values or the code computing them.

Besides each task's answer, a task may hash the values of common slips (``before0``: the
count with ``<`` instead of ``<=``), so that its checker can name the slip. Every key
name used here is looked up by the task's checker in ``postsoviet.checks.lessonNN``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from postsoviet import data, energy, forensics, relations
from postsoviet.checks import lesson01, lesson02, lesson03, lesson04, lesson06
from postsoviet.checks._answers import Reference

References = dict[str, Reference]
_TASKS: dict[str, Callable[[], References]] = {}


def _task(task_id: str) -> Callable[[Callable[[], References]], Callable[[], References]]:
    def record(make: Callable[[], References]) -> Callable[[], References]:
        _TASKS[task_id] = make
        return make

    return record


def references() -> dict[str, References]:
    """Every task's named references, computed now from the course data."""
    return {task_id: make() for task_id, make in sorted(_TASKS.items())}


# --- 01 the article ------------------------------------------------------------------


def _timeline() -> pd.DataFrame:
    return data.load("timeline")


@_task("ex-01-1")
def _events_before_vote() -> References:
    dates = _timeline()["date"]
    arrests, polling_day = pd.Timestamp("2020-07-29"), pd.Timestamp("2020-08-09")
    return {
        "answer": Reference.single(int(dates.between(arrests, polling_day).sum())),
        "both_ends_left_out": Reference.single(
            int(((dates > arrests) & (dates < polling_day)).sum())
        ),
    }


@_task("ex-01-2")
def _known_on() -> References:
    out = {}
    for case, (frame, date, _note) in enumerate(lesson01.known_on_inputs()):
        day = pd.Timestamp(date)
        out[f"call{case}"] = Reference.single(int((frame["date"] <= day).sum()))
        out[f"before{case}"] = Reference.single(int((frame["date"] < day).sum()))
    return out


@_task("ex-01-3")
def _cumulative_figure() -> References:
    events = _timeline()
    total = int(((events["theme"] == "2020-crisis") & (events["date"].dt.year == 2020)).sum())
    return {"total": Reference.single(total)}


@_task("ex-01-5")
def _original_word() -> References:
    return {"answer": Reference.single("domestic")}


# --- 02 identity ---------------------------------------------------------------------

#: A 2012 national survey (Novak, for Budzma) that let respondents name more than one
#: native language, as reported by Jamestown's Eurasia Daily Monitor (June 2012). The
#: exercise prints both figures in its prompt.
SURVEY_2012_NATIVE = {"belarusian": 52.4, "russian": 78.7}
#: Percentage points within which a share or a gap counts as right.
SHARE_TOLERANCE = 0.051


@_task("ex-02-1")
def _gaps() -> References:
    rows = data.load("census_language")
    rows = rows[(rows["population_group"] == "all") & (rows["language"] == "belarusian")]
    wide = rows.pivot(index="census_year", columns="measure", values="share_pct")
    gaps = {str(int(year)): float(row.native - row.home) for year, row in wide.iterrows()}
    return {"answer": Reference(gaps, SHARE_TOLERANCE)}


@_task("ex-02-2")
def _share_change() -> References:
    out = {}
    for case, (frame, group, start, end, _note) in enumerate(lesson02.share_change_inputs()):
        shares = frame[frame["group"] == group].set_index("census_year")["share_pct"]
        out[f"call{case}"] = Reference.single(float(shares.loc[end] - shares.loc[start]), 1e-6)
    return out


@_task("ex-02-5")
def _at_least_both() -> References:
    total = sum(SURVEY_2012_NATIVE.values())
    return {
        "answer": Reference.single(total - 100, SHARE_TOLERANCE),
        "sum": Reference.single(total, SHARE_TOLERANCE),
        "everyone_else": Reference.single(200 - total, SHARE_TOLERANCE),
    }


# --- 03 flags ------------------------------------------------------------------------


@_task("ex-03-1")
def _symbols_yes_of_registered() -> References:
    votes = data.load("referendums")
    row = votes[(votes["date"] == "1995-05-14") & (votes["topic"] == "symbols")].iloc[0]
    return {"answer": Reference.single(100 * row.yes_votes / row.registered_voters, 0.05)}


@_task("ex-03-2")
def _gap_to_top() -> References:
    out = {}
    for case, (frame, date, question, where) in enumerate(lesson03.gap_to_top_inputs()):
        shares = frame[frame["date"] == pd.Timestamp(date)].set_index("question_no")["yes_pct"]
        own = float(shares.loc[question])
        out[f"call{case}"] = Reference.single(float(shares.max()) - own, 0.005)
        if not where:  # the slip of taking the top share of every referendum
            out[f"top_of_all{case}"] = Reference.single(float(frame["yes_pct"].max()) - own, 0.005)
    return out


# --- 04 energy -----------------------------------------------------------------------


def _subsidy() -> dict[int, float]:
    table = energy.implied_subsidy(volume_bcm=lesson04.VOLUME_BCM)
    table = table.dropna(subset=["subsidy_usd_bn"])
    return dict(zip(table["year"].astype(int), table["subsidy_usd_bn"].astype(float), strict=True))


@_task("ex-04-1")
def _subsidy_per_year() -> References:
    return {"answer": Reference({str(y): v for y, v in _subsidy().items()}, 0.01)}


@_task("ex-04-2")
def _known_hhi() -> References:
    out = {}
    for case, (frame, year, flow, _note) in enumerate(lesson04.known_hhi_inputs()):
        shares = frame.loc[frame["year"] == year, energy.FLOWS[flow]].dropna()
        index = energy.hhi(shares.tolist()) if len(shares) else math.nan
        out[f"call{case}"] = Reference.single(index, 0.05)
        out[f"fractions{case}"] = Reference.single(index / 10_000, 1e-4)
    return out


@_task("ex-04-3")
def _peak_import_year() -> References:
    russia = data.load("trade").query("partner == 'Russia'").set_index("year")
    return {
        "answer": Reference.single(energy.peak_year("Russia", "imports")),
        "export_peak": Reference.single(energy.peak_year("Russia", "exports")),
        "import_low": Reference.single(int(russia["imports_share_pct"].idxmin())),
    }


@_task("ex-04-4")
def _subsidy_plot() -> References:
    points = sorted(round(v, 2) for v in _subsidy().values())
    return {"sorted_points": Reference.ordered(points, 0.02)}


# --- 05 elections --------------------------------------------------------------------

#: Percentage points within which a margin counts as right.
MARGIN_TOLERANCE = 0.011


def _first_rounds(
    status: str = "final", base: str = "participants", *, with_against_all: bool = False
) -> pd.DataFrame:
    table = data.load("elections")
    chosen = table[(table["round"] == 1) & (table["status"] == status) & (table["base"] == base)]
    return chosen if with_against_all else chosen[chosen["candidate"] != "Against all"]


def _margins(frame: pd.DataFrame) -> dict[str, float]:
    """Winner minus runner-up per year, rounded to the hundredth as the CEC publishes."""
    result = {}
    for year, part in frame.groupby("year"):
        shares = part["votes_pct"].sort_values(ascending=False).to_list()
        if len(shares) >= 2:
            result[str(int(year))] = round(shares[0] - shares[1], 2)
    return result


@_task("ex-05-1")
def _margin_task() -> References:
    margins = _margins(_first_rounds())
    return {
        "answer": Reference(margins, MARGIN_TOLERANCE),
        "with_against_all": Reference(
            _margins(_first_rounds(with_against_all=True)), MARGIN_TOLERANCE
        ),
        "valid_base": Reference(_margins(_first_rounds(base="valid")), MARGIN_TOLERANCE),
        "within_0.6": Reference(margins, 0.6),
    }


@_task("ex-05-2")
def _trend_figure() -> References:
    frame = _first_rounds()
    turnout = [float(part["turnout_pct"].iloc[0]) for _, part in frame.groupby("year")]
    return {
        "sorted_margins": Reference.ordered(sorted(_margins(frame).values()), 0.02),
        "sorted_turnout": Reference.ordered(sorted(turnout), 0.02),
    }


@_task("ex-05-3")
def _early_share() -> References:
    early = data.load("early_voting_2020")
    final = early.loc[early["status"].eq("final")].iloc[0]
    share = 100 * final["early_voters"] / final["participants"]
    return {
        "answer": Reference.single(share, 0.06),
        "fraction": Reference.single(share / 100, 0.06),
    }


#: The seed of exercise 05's SYNTHETIC mystery election, which also draws its two
#: stuffed districts; the package gets only the stations (``forensics.MYSTERY_FILE``).
MYSTERY_SEED = 505
MYSTERY_DISTRICTS = tuple(
    sorted(
        np.random.default_rng(MYSTERY_SEED)
        .choice(np.array(forensics.DISTRICTS), size=2, replace=False)
        .tolist()
    )
)


def mystery_election() -> pd.DataFrame:
    """The mystery election with its ``stuffed`` column, as ``exercise-keys`` stores it."""
    return forensics.synthetic_stations(
        4000, 0.45, MYSTERY_DISTRICTS, seed=MYSTERY_SEED, urban_rural_gap=6.0
    )


@_task("ex-05-4")
def _suspects() -> References:
    return {"answer": Reference.members(name.casefold() for name in MYSTERY_DISTRICTS)}


# --- 06 after 2020 -------------------------------------------------------------------


@_task("ex-06-1")
def _union() -> References:
    events = data.load("timeline")
    dates = events.loc[events["theme"] == "union", "date"]
    before = dates.between(relations.START, relations.REPORT_DATE)
    after = (dates > relations.REPORT_DATE) & (dates <= relations.END)
    return {
        "answer": Reference.ordered([int(before.sum()), int(after.sum())]),
        "before_from_the_start": Reference.single(int((dates <= relations.REPORT_DATE).sum())),
    }


@_task("ex-06-3")
def _monthly_net() -> References:
    out = {}
    for case, (coded, _where) in enumerate(lesson06.monthly_net_inputs()):
        months = pd.period_range(coded["date"].min(), coded["date"].max(), freq="M")
        score = coded["relation"].map({"cooperation": 1, "conflict": -1}).fillna(0)
        per_month = score.groupby(coded["date"].dt.to_period("M")).sum()
        net = per_month.reindex(months, fill_value=0).astype(int)
        out[f"call{case}"] = Reference({str(m): int(v) for m, v in net.items()})
    return out


@_task("ex-06-6")
def _judgement() -> References:
    return {"verdict": Reference.single("refuted")}
