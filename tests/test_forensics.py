"""Lesson 05's SYNTHETIC polling-station generator: reproducible, labelled, stuffing shows."""

from __future__ import annotations

import pandas as pd
import pytest
from instructor_side import references_module

from postsoviet import forensics


def test_same_seed_gives_the_same_data_and_another_seed_does_not() -> None:
    first = forensics.synthetic_stations(500, 0.3, seed=7)
    again = forensics.synthetic_stations(500, 0.3, seed=7)
    other = forensics.synthetic_stations(500, 0.3, seed=8)
    pd.testing.assert_frame_equal(first, again)
    assert not first[["turnout_pct", "winner_pct"]].equals(other[["turnout_pct", "winner_pct"]])


def test_every_frame_and_table_is_labelled_synthetic() -> None:
    frame = forensics.synthetic_stations(200)
    assert set(frame["data"]) == {"synthetic"}
    assert frame.attrs["data"] == "synthetic"
    mystery = forensics.mystery_election()
    assert set(mystery["data"]) == {"synthetic"} and mystery.attrs["data"] == "synthetic"
    summary = forensics.district_summary(frame)
    assert summary.attrs["data"] == "synthetic" and set(summary["data"]) == {"synthetic"}


def test_stuffing_raises_the_correlation_and_fills_the_high_corner() -> None:
    clean = forensics.fingerprint_summary(forensics.synthetic_stations(stuffing_rate=0.0))
    stuffed = forensics.fingerprint_summary(forensics.synthetic_stations(stuffing_rate=0.4))
    assert abs(clean["correlation"]) < 0.1
    assert stuffed["correlation"] > clean["correlation"] + 0.2
    assert stuffed["high_corner_pct"] > clean["high_corner_pct"]
    assert stuffed["winner_overall_pct"] > clean["winner_overall_pct"]


def test_a_higher_rate_stuffs_a_superset_and_only_in_the_chosen_districts() -> None:
    low = forensics.synthetic_stations(stuffing_rate=0.2)
    high = forensics.synthetic_stations(stuffing_rate=0.5)
    assert (high["stuffed"] | ~low["stuffed"]).all()  # low-rate stations stay stuffed
    assert set(high.loc[high["stuffed"], "district"]) == set(forensics.DEFAULT_MANIPULATED)
    none = forensics.synthetic_stations(stuffing_rate=0.5, manipulated=())
    assert not none["stuffed"].any()


def test_stations_are_arithmetically_consistent() -> None:
    frame = forensics.synthetic_stations(1000, 0.6, urban_rural_gap=6)
    assert (frame["voters"] <= frame["registered"]).all()
    assert (frame["winner_votes"] <= frame["voters"]).all()
    assert frame["turnout_pct"].between(0, 100).all() and frame["winner_pct"].between(0, 100).all()


def test_an_honest_urban_rural_gap_correlates_without_fraud() -> None:
    honest = forensics.synthetic_stations(urban_rural_gap=6.0)
    assert not honest["stuffed"].any()
    assert forensics.fingerprint_summary(honest)["correlation"] > 0.1


def test_the_mystery_districts_stand_out_in_the_district_summary() -> None:
    table = forensics.district_summary(forensics.mystery_election()).set_index("district")
    truth = set(references_module().MYSTERY_DISTRICTS)
    assert len(truth) == 2 and truth <= set(forensics.DISTRICTS)
    clean_max = table.drop(index=list(truth))["high_corner_pct"].max()
    assert table.loc[list(truth), "high_corner_pct"].min() > clean_max
    assert "stuffed" not in forensics.mystery_election().columns


def test_chart_title_source_and_caption_say_synthetic() -> None:
    frame = forensics.synthetic_stations(300, 0.2)
    for title in (None, "my own title"):
        figure = forensics.fingerprint_figure(frame, title)
        assert "SYNTHETIC" in figure.axes[0].get_title("left")
        assert "SYNTHETIC" in figure.description
        assert any("SYNTHETIC" in text.get_text() for text in figure.texts)
    assert "20%" in forensics.fingerprint_figure(frame).axes[0].get_title("left")


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"stations": 5}, ValueError, "at least 10"),
        ({"stations": 10.5}, TypeError, "whole number"),
        ({"stuffing_rate": 20}, ValueError, "0.2"),
        ({"stuffing_rate": "0.2"}, TypeError, "number"),
        ({"manipulated": ["district Z"]}, ValueError, "district Z"),
    ],
)
def test_bad_arguments_get_a_clear_sentence(kwargs, error, words) -> None:
    with pytest.raises(error, match=words):
        forensics.synthetic_stations(**kwargs)


def test_summaries_want_a_stations_table() -> None:
    with pytest.raises(TypeError, match="DataFrame"):
        forensics.fingerprint_summary([1, 2, 3])
    with pytest.raises(ValueError, match="winner_pct"):
        forensics.district_summary(pd.DataFrame({"district": ["a"], "turnout_pct": [50.0]}))


def test_the_pair_figure_labels_both_panels_synthetic() -> None:
    clean = forensics.synthetic_stations(300)
    stuffed = forensics.synthetic_stations(300, 0.4)
    figure = forensics.fingerprint_pair_figure(clean, stuffed)
    titles = [ax.get_title("left") for ax in figure.axes if ax.get_title("left")]
    assert len(titles) == 2 and all("SYNTHETIC" in title for title in titles)
    assert "SYNTHETIC" in figure.description and "40%" in figure.description
    assert any("SYNTHETIC" in text.get_text() for text in figure.texts)


def test_the_pair_figure_keeps_its_panels_tick_labels_apart() -> None:
    """The left panel's "100" and the right panel's "20" nearly touched."""
    figure = forensics.fingerprint_pair_figure(
        forensics.synthetic_stations(300), forensics.synthetic_stations(300, 0.4)
    )
    figure.draw_without_rendering()
    left, right = figure.axes[0], figure.axes[1]
    last = [t for t in left.get_xticklabels() if t.get_text()][-1].get_window_extent()
    first = next(t for t in right.get_xticklabels() if t.get_text()).get_window_extent()
    assert first.x0 - last.x1 >= 12  # pixels
