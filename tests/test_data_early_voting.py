"""Checks specific to the ``early_voting_2020`` dataset (generic checks are in test_data.py).

Spot values are the CEC figures as reported in the sources named in the manifest:
Euroradio and Kazinform/BelTA (days 1-3), Belsat (day 4), Belarus Feed (final, 14 Aug 2020).
"""

from __future__ import annotations

import pandas as pd

from postsoviet import data

EARLY = data.load("early_voting_2020")


def test_one_row_per_day_of_early_voting_4_to_8_august() -> None:
    assert EARLY["early_days"].tolist() == [1, 2, 3, 4, 5]
    days = pd.date_range("2020-08-04", "2020-08-08")
    assert EARLY["date"].tolist() == list(days)


def test_interim_figures_rise_and_are_shares_of_registered_voters() -> None:
    interim = EARLY[EARLY["status"] == "interim"]
    assert interim["early_turnout_pct"].tolist() == [4.98, 12.75, 22.47, 32.24]
    assert interim["early_turnout_pct"].is_monotonic_increasing
    unit = data.source("early_voting_2020")["columns"]["early_turnout_pct"]["unit"]
    assert unit == "percent of registered voters"


def test_final_counts_match_the_cec_final_result() -> None:
    final = EARLY[EARLY["status"] == "final"].iloc[0]
    assert final["early_voters"] == 2_806_640 and final["participants"] == 5_818_955
    assert final["early_voters"] < final["participants"]
    # The same participants figure underlies the 2020 final shares in the elections data.
    elections = data.load("elections")
    winner = elections.query(
        "year == 2020 and status == 'final' and base == 'participants' "
        "and candidate == 'Lukashenko'"
    ).iloc[0]
    assert abs(100 * winner["votes"] / final["participants"] - winner["votes_pct"]) < 0.01
