"""Explorers: small interactive charts with guided questions beside them in the lessons.

Every explorer has a text-mode twin that returns the same data as a table, for screen
readers and for front ends without widgets, and a plain-text fallback that says what it
is before the cell is run. Controls need only Tab, Space and Enter: in a JupyterLab
notebook the arrow keys move between cells, so sliders and drop-down lists alone would
shut keyboard users out.

One module per lesson; a lesson imports from its own module
(``from postsoviet.explorers.article import ClaimsBoard``). The lesson 01 names are
also re-exported here, as they were before the split.
"""

from postsoviet.explorers.article import (
    CLAIMANTS,
    MILESTONES,
    RANGES,
    THEMES,
    ClaimsBoard,
    KnownByExplorer,
    TimelineExplorer,
    judge_claim,
    known_by,
    known_by_figure,
    timeline_events,
    timeline_figure,
)

__all__ = [
    "CLAIMANTS",
    "MILESTONES",
    "RANGES",
    "THEMES",
    "ClaimsBoard",
    "KnownByExplorer",
    "TimelineExplorer",
    "judge_claim",
    "known_by",
    "known_by_figure",
    "timeline_events",
    "timeline_figure",
]
