# ruff: noqa: E501  (each string is a notebook cell, kept readable line for line)
"""Answers to every real exercise task, as different students would write them.

Each entry replaces the whole answer cell of one task. ``alt`` (and ``alt2``) are right
answers in another reasonable form: another type (dict, tuple, set, numpy, DataFrame),
a function with helpers, imports or a lambda, a chart drawn another way. ``wrong`` is a
typical mistake. The model answer is the solution notebook's own cell and the blank one
the generated exercise's. Every alternative computes what it needs itself, so that one
student's earlier answer in another type cannot break a later task.

Two more students earn part of the points (:data:`POINTS`): ``partial`` hands in answers
that earn some of a task's parts and not others, and ``forward`` gets an earlier task
wrong and builds the later task on that wrong answer with the model's own code (errors
carried forward: the later task keeps its points). A task they have no variant for keeps
the model answer, and the later tasks of ``partial`` build on its partial answers.
"""

from __future__ import annotations

#: What every variant must score: the check cell, nbgrader and the class grader agree
#: with each other *and* with this.
EXPECTED = {
    "model": "passed",
    "alt": "passed",
    "alt2": "passed",
    "wrong": "failed",
    "blank": "not-answered",
}

#: The students who hand in only the tasks they have a variant for (the model elsewhere).
PARTIAL_STUDENTS = ("partial", "forward")

#: Points that are neither all nor nothing, or that a carried-forward answer keeps:
#: task -> student -> points. Any other variant scores all its points when its status
#: is ``passed`` and none otherwise.
POINTS: dict[str, dict[str, float]] = {
    "ex-01-2": {"partial": 1},  # counts positions in the course's table, not dates
    "ex-02-1": {"forward": 0},  # home minus native
    "ex-02-3": {"wrong": 0.5, "partial": 0.5, "forward": 1},  # labels; home shares; own gaps
    "ex-04-1": {"partial": 1, "forward": 0},  # 2021 left out; 25 bcm instead of 20
    "ex-04-2": {"partial": 1},  # a zero for a year with no known share
    "ex-04-4": {"partial": 0.5, "forward": 1},  # own (partial) subsidy_bn, capitalised labels
    "ex-05-1": {"partial": 1, "forward": 0},  # "Against all" kept; the winner's share
    "ex-05-2": {"wrong": 0.5, "partial": 0.5, "forward": 1},  # no legend; own margins
}


def expected(task: str, student: str, max_points: float) -> tuple[str, float]:
    """The status and points ``student``'s answer to ``task`` must get from all three."""
    points = POINTS.get(task, {}).get(student)
    if points is not None:
        return ("passed" if points == max_points else "failed"), points
    if student in PARTIAL_STUDENTS or (student == "wrong" and "wrong" not in VARIANTS[task]):
        return "passed", max_points  # no variant for this task: the model answer stays
    status = EXPECTED[student]
    return status, max_points if status == "passed" else 0


#: A student's own short written answer: marked by a person, whatever it says.
WRITTEN = "The data alone cannot settle this; I would compare the dated sources first."

VARIANTS: dict[str, dict[str, str]] = {
    # --- 01 the article ---------------------------------------------------------------
    "ex-01-1": {
        "alt": 'events_before_vote = timeline["date"].between("2020-07-29", "2020-08-09").sum()',
        "alt2": (
            'events_before_vote = float(len(timeline.query("\'2020-07-29\' <= date <= '
            "'2020-08-09'\")))"
        ),
        "wrong": (
            'inside = (timeline["date"] > "2020-07-29") & (timeline["date"] < "2020-08-09")\n'
            "events_before_vote = int(inside.sum())"
        ),
    },
    "ex-01-2": {
        "partial": (
            "def known_on(df, date):\n"
            '    return int((data.load("timeline")["date"] <= pd.Timestamp(date)).sum())'
        ),
        "alt": (
            "import numpy as numerical\n\n\n"
            "def _on_or_before(column, day):\n"
            "    return column <= pd.Timestamp(day)\n\n\n"
            "def known_on(df, date):\n"
            '    """How many events in df had happened by date (that day included)."""\n'
            '    return int(numerical.sum(_on_or_before(df["date"], date)))'
        ),
        "alt2": 'known_on = lambda df, date: len(df[df["date"] <= pd.Timestamp(date)])  # noqa',
        "wrong": (
            "def known_on(df, date):\n"
            '    return int((df["date"] < pd.Timestamp(date)).sum())'
        ),
    },
    "ex-01-3": {
        "alt": (
            'in_2020 = timeline[(timeline["theme"] == "2020-crisis") & (timeline["date"].dt.year == 2020)]\n'
            'running = in_2020.sort_values("date").assign(n=1).set_index("date")["n"].cumsum()\n'
            "cumulative_figure, ax = plt.subplots()\n"
            'ax.plot(running.index, running.to_numpy(), drawstyle="steps-post", label="events")\n'
            'ax.set_xlabel("date")\n'
            'ax.set_ylabel("events (running total)")\n'
            "ax.legend()\n"
            "plt.close(cumulative_figure)"
        ),
        "wrong": (
            'in_2020 = timeline[(timeline["theme"] == "2020-crisis") & (timeline["date"].dt.year == 2020)]\n'
            "cumulative_figure, ax = plt.subplots()\n"
            'ax.plot(sorted(in_2020["date"]), range(1, len(in_2020) + 1))\n'
            'ax.set_xlabel("Date")\n'
            'ax.set_ylabel("Events")\n'
            "plt.close(cumulative_figure)"
        ),
    },
    "ex-01-5": {"alt": 'original_word = " Domestic "', "wrong": 'original_word = "national"'},
    # --- 02 identity -------------------------------------------------------------------
    "ex-02-1": {
        "forward": (
            'belarusian = census[(census["population_group"] == "all") & (census["language"] == "belarusian")]\n'
            'by_question = belarusian.pivot(index="census_year", columns="measure", values="share_pct")\n'
            'gaps = by_question["home"] - by_question["native"]'
        ),
        "alt": (
            'rows = census[(census["population_group"] == "all") & (census["language"] == "belarusian")]\n'
            'wide = rows.pivot(index="census_year", columns="measure", values="share_pct")\n'
            'gaps = (wide["native"] - wide["home"]).to_dict()'
        ),
        "alt2": (
            'rows = census[(census["population_group"] == "all") & (census["language"] == "belarusian")]\n'
            'wide = rows.pivot(index="census_year", columns="measure", values="share_pct")\n'
            'gaps = (wide["native"] - wide["home"]).to_frame("gap")'
        ),
        "wrong": (
            'rows = census[(census["population_group"] == "all") & (census["language"] == "belarusian")]\n'
            'wide = rows.pivot(index="census_year", columns="measure", values="share_pct")\n'
            'gaps = wide["home"] - wide["native"]'
        ),
    },
    "ex-02-2": {
        "alt": (
            "def _share(df, group, year):\n"
            '    row = df[(df["group"] == group) & (df["census_year"] == year)]\n'
            '    return row["share_pct"].iloc[0]\n\n\n'
            "def share_change(df, group, start, end):\n"
            "    return float(_share(df, group, end) - _share(df, group, start))"
        ),
        "wrong": (
            "def share_change(df, group, start, end):\n"
            '    shares = df[df["group"] == group].set_index("census_year")["share_pct"]\n'
            "    return float(shares[start] - shares[end])"
        ),
    },
    "ex-02-3": {
        "partial": (
            'rows = census[(census["population_group"] == "all") & (census["language"] == "belarusian")]\n'
            'home = rows[rows["measure"] == "home"].set_index("census_year")["share_pct"]\n'
            "gap_figure, ax = plt.subplots()\n"
            'ax.plot(home.index, home.to_numpy(), marker="o")\n'
            'ax.set_xlabel("census year")\n'
            'ax.set_ylabel("gap (percentage points)")\n'
            "plt.close(gap_figure)"
        ),
        "alt": (
            'rows = census[(census["population_group"] == "all") & (census["language"] == "belarusian")]\n'
            'wide = rows.pivot(index="census_year", columns="measure", values="share_pct")\n'
            "gap_figure, ax = plt.subplots()\n"
            '(wide["native"] - wide["home"]).plot(ax=ax, marker="o", label="gap")\n'
            'ax.set_xlabel("census year")\n'
            'ax.set_ylabel("gap (percentage points)")\n'
            "ax.legend()\n"
            "plt.close(gap_figure)"
        ),
        "wrong": (
            'rows = census[(census["population_group"] == "all") & (census["language"] == "belarusian")]\n'
            'wide = rows.pivot(index="census_year", columns="measure", values="share_pct")\n'
            "gap_figure, ax = plt.subplots()\n"
            'ax.plot(wide.index, wide["native"] - wide["home"])\n'
            'ax.set_xlabel("Census year")\n'
            'ax.set_ylabel("Gap")\n'
            "plt.close(gap_figure)"
        ),
    },
    "ex-02-5": {
        "alt": "at_least_both = round(52.4 + 78.7 - 100, 1)",
        "alt2": "import numpy as np\n\nat_least_both = np.float64(52.4) + np.float64(78.7) - 100",
        "wrong": "at_least_both = 52.4 + 78.7",
    },
    # --- 03 flags ----------------------------------------------------------------------
    "ex-03-1": {
        "alt": (
            'symbols = referendums[(referendums["date"] == "1995-05-14") '
            '& (referendums["topic"] == "symbols")]\n'
            'symbols_yes_of_registered = (100 * symbols["yes_votes"] / '
            'symbols["registered_voters"]).iloc[0]'
        ),
        "wrong": (
            'symbols = referendums[(referendums["date"] == "1995-05-14") '
            '& (referendums["topic"] == "symbols")]\n'
            'symbols_yes_of_registered = symbols["yes_pct"].item()'
        ),
    },
    "ex-03-2": {
        "alt": (
            "def _held_on(df, date):\n"
            '    return df[df["date"] == pd.Timestamp(date)]\n\n\n'
            "def gap_to_top(df, date, question_no):\n"
            "    held = _held_on(df, date).set_index(\"question_no\")[\"yes_pct\"]\n"
            "    return float(held.max() - held[question_no])"
        ),
        "wrong": (
            "def gap_to_top(df, date, question_no):\n"
            '    held = df[df["date"] == pd.Timestamp(date)]\n'
            '    own = held.loc[held["question_no"] == question_no, "yes_pct"].item()\n'
            '    return float(df["yes_pct"].max() - own)'
        ),
    },
    "ex-03-3": {
        "alt": (
            "flag_figure, ax = plt.subplots()\n"
            'for bottom, colour in ((0, "#ffffff"), (1, "#c8313e"), (2, "#ffffff")):\n'
            "    ax.add_patch(Rectangle((0, bottom), 6, 1, facecolor=colour))\n"
            "ax.set_xlim(0, 6)\n"
            "ax.set_ylim(0, 3)\n"
            'ax.set_aspect("equal")\n'
            "plt.close(flag_figure)"
        ),
        "wrong": (
            "flag_figure, ax = plt.subplots()\n"
            'for bottom, colour in ((0, "white"), (1, "red"), (2, "white")):\n'
            "    ax.add_patch(Rectangle((0, bottom), 3, 1, facecolor=colour))\n"
            "ax.set_xlim(0, 3)\n"
            "ax.set_ylim(0, 3)\n"
            "plt.close(flag_figure)"
        ),
    },
    "ex-03-5": {
        "alt": 'supported = {"d", "a", "c"}',
        "alt2": 'supported = "a, c, d"',
        "wrong": 'supported = ["a", "b"]',
    },
    # --- 04 energy ---------------------------------------------------------------------
    "ex-04-1": {
        "partial": (
            'with_reference = gas.dropna(subset=["europe_reference_usd"])\n'
            'with_reference = with_reference[with_reference["year"] < 2021]\n'
            'gap = with_reference["europe_reference_usd"] - with_reference["usd_per_1000m3"]\n'
            'subsidy_bn = pd.Series((gap * 20 / 1000).to_numpy(), index=with_reference["year"])'
        ),
        "forward": (
            'with_reference = gas.dropna(subset=["europe_reference_usd"])\n'
            'gap = with_reference["europe_reference_usd"] - with_reference["usd_per_1000m3"]\n'
            'subsidy_bn = pd.Series((gap * 25 / 1000).to_numpy(), index=with_reference["year"])'
        ),
        "alt": (
            'known = gas.dropna(subset=["europe_reference_usd"])\n'
            'gap = known["europe_reference_usd"] - known["usd_per_1000m3"]\n'
            'subsidy_bn = (gap * 20 / 1000).set_axis(known["year"]).to_dict()'
        ),
        "alt2": (
            'known = gas.dropna(subset=["europe_reference_usd"])\n'
            'gap = known["europe_reference_usd"] - known["usd_per_1000m3"]\n'
            'subsidy_bn = (gap * 20 / 1000).set_axis(known["year"]).to_frame("subsidy")'
        ),
        "wrong": (
            'known = gas.dropna(subset=["europe_reference_usd"])\n'
            'gap = known["europe_reference_usd"] - known["usd_per_1000m3"]\n'
            'subsidy_bn = pd.Series((gap * 20).to_numpy(), index=known["year"])'
        ),
    },
    "ex-04-2": {
        "partial": (
            "def known_hhi(df, year, flow):\n"
            '    shares = df.loc[df["year"] == year, f"{flow}_share_pct"].dropna()\n'
            "    return float((shares**2).sum())"
        ),
        "alt": (
            "import numpy\n\nFLOW_COLUMNS = {\"exports\": \"exports_share_pct\", "
            '"imports": "imports_share_pct"}\n\n\n'
            "def _known_shares(df, year, flow):\n"
            '    return df.loc[df["year"] == year, FLOW_COLUMNS[flow]].dropna().to_numpy()\n\n\n'
            "def known_hhi(df, year, flow):\n"
            "    shares = _known_shares(df, year, flow)\n"
            "    return float(numpy.sum(shares**2)) if len(shares) else None"
        ),
        "wrong": (
            "def known_hhi(df, year, flow):\n"
            '    shares = df.loc[df["year"] == year, f"{flow}_share_pct"].dropna()\n'
            "    return float(((shares / 100) ** 2).sum())"
        ),
    },
    "ex-04-3": {
        "alt": (
            'russia = trade[trade["partner"] == "Russia"].set_index("year")\n'
            'peak_import_year = russia["imports_share_pct"].idxmax()'
        ),
        "alt2": (
            'russia = trade[trade["partner"] == "Russia"].set_index("year")\n'
            'peak_import_year = float(russia["imports_share_pct"].idxmax())'
        ),
        "wrong": (
            'russia = trade[trade["partner"] == "Russia"].set_index("year")\n'
            'peak_import_year = int(russia["exports_share_pct"].idxmax())'
        ),
    },
    "ex-04-4": {
        "partial": (
            "subsidy_plot, ax = plt.subplots()\n"
            'ax.plot(subsidy_bn.index, subsidy_bn.to_numpy(), marker="o", linestyle="none")\n'
            'ax.set_xlabel("Year")\n'
            'ax.set_ylabel("Subsidy (billion USD)")\n'
            "plt.close(subsidy_plot)"
        ),
        "alt": (
            'known = gas.dropna(subset=["europe_reference_usd"])\n'
            'values = (known["europe_reference_usd"] - known["usd_per_1000m3"]) * 20 / 1000\n'
            "subsidy_plot, ax = plt.subplots()\n"
            'ax.plot(known["year"].tolist(), values.tolist(), "o", label="estimate")\n'
            'ax.set_xlabel("year")\n'
            'ax.set_ylabel("subsidy (billion usd)")\n'
            "ax.legend()\n"
            "plt.close(subsidy_plot)"
        ),
        "wrong": (
            'known = gas.dropna(subset=["europe_reference_usd"])\n'
            'values = (known["europe_reference_usd"] - known["usd_per_1000m3"]) * 20 / 1000\n'
            "subsidy_plot, ax = plt.subplots()\n"
            'ax.bar(known["year"], values)\n'
            'ax.set_xlabel("year")\n'
            'ax.set_ylabel("subsidy (billion usd)")\n'
            "plt.close(subsidy_plot)"
        ),
    },
    "ex-04-6": {"alt": 'verdict = "(B)"', "wrong": 'verdict = "c"'},
    # --- 05 elections ------------------------------------------------------------------
    "ex-05-1": {
        "partial": (
            'first_rounds = elections[(elections["round"] == 1) & (elections["status"] == "final")\n'
            '                         & (elections["base"] == "participants")]\n'
            'margins = first_rounds.groupby("year")["votes_pct"].apply(\n'
            "    lambda shares: shares.nlargest(2).iloc[0] - shares.nlargest(2).iloc[1]\n"
            ")"
        ),
        "forward": (
            'first_rounds = elections[(elections["round"] == 1) & (elections["status"] == "final")\n'
            '                         & (elections["base"] == "participants")\n'
            '                         & (elections["candidate"] != "Against all")]\n'
            'margins = first_rounds.groupby("year")["votes_pct"].max()'
        ),
        "alt": (
            "first = elections.query(\"round == 1 and status == 'final' and "
            "base == 'participants' and candidate != 'Against all'\")\n"
            "margins = {\n"
            "    year: part.nlargest(2).iloc[0] - part.nlargest(2).iloc[1]\n"
            '    for year, part in first.groupby("year")["votes_pct"]\n'
            "}"
        ),
        "wrong": (
            "first = elections.query(\"round == 1 and status == 'final' and "
            "base == 'participants' and candidate != 'Against all'\")\n"
            'margins = first.groupby("year")["votes_pct"].max()'
        ),
    },
    "ex-05-2": {
        "partial": (
            'turnout = first_rounds.groupby("year")["turnout_pct"].first()\n'
            "trend_figure, ax = plt.subplots()\n"
            'ax.plot(margins.index, margins.values, marker="o")\n'
            'ax.plot(turnout.index, turnout.values, marker="s")\n'
            'ax.set_xlabel("year")\n'
            'ax.set_ylabel("percent")\n'
            "plt.close(trend_figure)"
        ),
        "alt": (
            "first = elections.query(\"round == 1 and status == 'final' and "
            "base == 'participants' and candidate != 'Against all'\")\n"
            'by_year = first.groupby("year")\n'
            'margin = by_year["votes_pct"].apply(lambda s: s.nlargest(2).iloc[0] - s.nlargest(2).iloc[1])\n'
            "trend_figure, ax = plt.subplots()\n"
            'ax.plot(margin.index, margin.to_numpy(), label="margin")\n'
            'ax.plot(margin.index, by_year["turnout_pct"].first().to_numpy(), label="turnout")\n'
            'ax.set_xlabel("year")\n'
            'ax.set_ylabel("percent")\n'
            'trend_figure.legend(loc="upper right")\n'
            "plt.close(trend_figure)"
        ),
        "alt2": (
            "first = elections.query(\"round == 1 and status == 'final' and "
            "base == 'participants' and candidate != 'Against all'\")\n"
            'by_year = first.groupby("year")\n'
            'margin = by_year["votes_pct"].apply(lambda s: s.nlargest(2).iloc[0] - s.nlargest(2).iloc[1])\n'
            "trend_figure, ax = plt.subplots()\n"
            "other = ax.twinx()\n"
            'ax.plot(margin.index, margin.to_numpy(), marker="o")\n'
            'other.plot(margin.index, by_year["turnout_pct"].first().to_numpy(), marker="s")\n'
            'ax.set_xlabel("year")\n'
            'ax.set_ylabel("margin (percentage points)")\n'
            'other.set_xlabel("year")\n'
            'other.set_ylabel("turnout (% of registered)")\n'
            "plt.close(trend_figure)"
        ),
        "wrong": (
            "first = elections.query(\"round == 1 and status == 'final' and "
            "base == 'participants' and candidate != 'Against all'\")\n"
            'by_year = first.groupby("year")\n'
            'margin = by_year["votes_pct"].apply(lambda s: s.nlargest(2).iloc[0] - s.nlargest(2).iloc[1])\n'
            "trend_figure, ax = plt.subplots()\n"
            "ax.plot(margin.index, margin.to_numpy())\n"
            'ax.plot(margin.index, by_year["turnout_pct"].first().to_numpy())\n'
            'ax.set_xlabel("year")\n'
            'ax.set_ylabel("percent")\n'
            "plt.close(trend_figure)"
        ),
    },
    "ex-05-3": {
        "alt": (
            'final = early[early["status"] == "final"].iloc[0]\n'
            'early_share = 100 * final["early_voters"] / final["participants"]'
        ),
        "wrong": (
            'final = early[early["status"] == "final"].iloc[0]\n'
            'early_share = final["early_voters"] / final["participants"]'
        ),
    },
    "ex-05-4": {
        "alt": (
            "by_district = forensics.district_summary(mystery)\n"
            'suspects = by_district.loc[by_district["high_corner_pct"] > 5, "district"]'
        ),
        "alt2": (
            "by_district = forensics.district_summary(mystery)\n"
            'suspects = set(by_district.loc[by_district["high_corner_pct"] > 5, "district"])'
        ),
        "wrong": (
            "by_district = forensics.district_summary(mystery)\n"
            'suspects = by_district.loc[by_district["high_corner_pct"] > 5, "district"].tolist()[:1]'
        ),
    },
    "ex-05-6": {
        "alt": 'problems = ("E", "a", "b")',
        "alt2": 'problems = {"a", "b", "e"}',
        "wrong": 'problems = ["a", "c"]',
    },
    # --- 06 after 2020 -----------------------------------------------------------------
    "ex-06-1": {
        "alt": (
            'union = timeline[timeline["theme"] == "union"]\n'
            "union_counts = [\n"
            '    union["date"].between("2018-01-01", "2020-08-07").sum(),\n'
            '    union["date"].between("2020-08-08", "2025-12-31").sum(),\n'
            "]"
        ),
        "wrong": (
            'union = timeline[timeline["theme"] == "union"]\n'
            "union_counts = (\n"
            '    int(union["date"].between("2020-08-08", "2025-12-31").sum()),\n'
            '    int(union["date"].between("2018-01-01", "2020-08-07").sum()),\n'
            ")"
        ),
    },
    "ex-06-2": {
        "alt": (
            "APART = (\n"
            '    "stopped", "not on the agenda", "without agreeing", "warned", "detained",\n'
            '    "compulsion", "colour revolution", "waged against", "ready to build",\n'
            '    "contaminated", "missed their flight", "norwegian",\n'
            ")\n"
            "TOGETHER = (\n"
            '    "loan", "joint", "union programmes", "treaty", "handed over", "reserve",\n'
            '    "nuclear weapons", "warheads", "troops", "invasion", "gas price", "exercise",\n'
            ")\n\n\n"
            "def _mentions(text, words):\n"
            "    return any(word in text for word in words)\n\n\n"
            "def code_event(sentence):\n"
            "    text = sentence.lower()\n"
            '    if _mentions(text, ("sanction", "travel ban")):\n'
            '        return "neither"\n'
            "    if _mentions(text, APART):\n"
            '        return "conflict"\n'
            '    return "cooperation" if _mentions(text, TOGETHER) else "neither"'
        ),
        "wrong": 'def code_event(sentence):\n    return "cooperation"',
    },
    "ex-06-3": {
        "alt": (
            "SCORES = {\"cooperation\": 1, \"conflict\": -1}\n\n\n"
            "def monthly_net(df):\n"
            '    score = df["relation"].map(SCORES).fillna(0)\n'
            '    return score.set_axis(df["date"]).resample("MS").sum()'
        ),
        "wrong": (
            "def monthly_net(df):\n"
            '    score = df["relation"].map({"cooperation": 1, "conflict": -1}).fillna(0)\n'
            '    return score.groupby(df["date"].dt.to_period("M")).sum()'
        ),
    },
    "ex-06-4": {
        "alt": (
            "import datetime\n\n"
            'score = coded["relation"].map({"cooperation": 1, "conflict": -1}).fillna(0)\n'
            'net = score.set_axis(coded["date"]).resample("MS").sum().rolling(3, min_periods=1).mean()\n'
            "index_figure, ax = plt.subplots()\n"
            "ax.plot(net.index, net.to_numpy())\n"
            'ax.axvline(datetime.date(2020, 8, 7), color="black", linestyle=":")\n'
            'ax.set_xlabel("month")\n'
            'ax.set_ylabel("net events per month")\n'
            "plt.close(index_figure)"
        ),
        "wrong": (
            'score = coded["relation"].map({"cooperation": 1, "conflict": -1}).fillna(0)\n'
            'net = score.set_axis(coded["date"]).resample("MS").sum()\n'
            "index_figure, ax = plt.subplots()\n"
            "ax.plot(net.index, net.to_numpy())\n"
            'ax.set_xlabel("month")\n'
            'ax.set_ylabel("net events per month")\n'
            "plt.close(index_figure)"
        ),
    },
    "ex-06-6": {
        "alt": (
            'after_vote = coded[(coded["date"] > "2020-08-09") & (coded["relation"] == "cooperation")]\n'
            "judgement = {\n"
            '    "verdict": " Refuted",\n'
            '    "evidence": tuple(after_vote["date"].dt.strftime("%Y-%m-%d").head(4)),\n'
            "}"
        ),
        "wrong": (
            'after_vote = coded[(coded["date"] > "2020-08-09") & (coded["relation"] == "cooperation")]\n'
            "judgement = {\n"
            '    "verdict": "supported",\n'
            '    "evidence": [str(day.date()) for day in after_vote["date"].head(3)],\n'
            "}"
        ),
    },
}
