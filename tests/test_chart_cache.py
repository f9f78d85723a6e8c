"""The explorers' chart cache: renders once, renders ahead in the background, stays small."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import threading

import ipywidgets as widgets
import pytest

import postsoviet.explorers
from postsoviet.explorers._base import ChartCache, in_turn


class Renderer:
    def __init__(self, fail_on: object = None) -> None:
        self.calls: list[object] = []
        self.fail_on = fail_on
        self.rendered = threading.Condition()

    def __call__(self, key: object) -> list[dict]:
        if key == self.fail_on:
            raise ValueError(f"cannot draw {key}")
        with self.rendered:
            self.calls.append(key)
            self.rendered.notify_all()
        return [{"output_type": "stream", "name": "stdout", "text": f"{key}\n"}]

    def wait_for(self, *keys: object) -> None:
        with self.rendered:
            assert self.rendered.wait_for(lambda: set(keys) <= set(self.calls), timeout=30)


def test_a_state_is_rendered_once() -> None:
    render = Renderer()
    cache = ChartCache(render)
    assert cache.get(1) == cache.get(1)
    assert cache.get(1)[0]["text"] == "1\n"
    assert render.calls == [1]


def test_prefetched_states_are_ready_before_they_are_asked_for() -> None:
    render = Renderer()
    cache = ChartCache(render)
    cache.prefetch([2, 3])
    render.wait_for(2, 3)
    assert 2 in cache and 3 in cache
    cache.get(2), cache.get(3)
    assert render.calls == [2, 3]


def test_a_new_wish_list_replaces_the_old_one() -> None:
    render = Renderer()
    cache = ChartCache(render)
    with ChartCache._render_lock:  # hold the worker back while the wishes change
        cache.prefetch(range(100, 200))
        cache.prefetch([7])
    render.wait_for(7)
    cache.prefetch([])
    assert len(render.calls) <= 2  # 7, and at most the one it had already taken


def test_no_background_render_starts_while_a_reader_waits(monkeypatch) -> None:
    monkeypatch.setattr(ChartCache, "start_delay", 0.0)
    render = Renderer()
    cache = ChartCache(render)
    with ChartCache._foreground:
        ChartCache._readers_waiting += 1  # as get() does while a chart is wanted on screen
    try:
        cache.prefetch([1])
        threading.Event().wait(0.5)
        assert render.calls == []
    finally:
        with ChartCache._foreground:
            ChartCache._readers_waiting -= 1
            ChartCache._foreground.notify_all()
    render.wait_for(1)


def test_background_work_waits_for_its_start_delay(monkeypatch) -> None:
    monkeypatch.setattr(ChartCache, "start_delay", 0.5)
    render = Renderer()
    cache = ChartCache(render)
    cache.prefetch([1])
    threading.Event().wait(0.2)
    assert render.calls == []
    render.wait_for(1)


def test_a_rendered_state_is_shown_while_another_render_is_under_way() -> None:
    cache = ChartCache(Renderer())
    cache.get(1)
    shown: list[object] = []
    with ChartCache._render_lock:  # as while the background renders another state
        reader = threading.Thread(target=lambda: shown.append(cache.get(1)))
        reader.start()
        reader.join(timeout=5)
        assert shown, "a lookup waited for the render lock"
    assert shown[0][0]["text"] == "1\n"


def test_the_control_just_used_comes_first_then_the_next_in_tab_order() -> None:
    per_control = [["a1", "a2"], ["b"], [], ["d"]]
    assert in_turn(per_control, None) == ["a1", "a2", "b", "d"]
    assert in_turn(per_control, 1) == ["b", "d", "a1", "a2"]
    assert in_turn(per_control, 3) == ["d", "a1", "a2", "b"]


def _wishes(explorer: widgets.Widget, monkeypatch: pytest.MonkeyPatch) -> list[list[object]]:
    wished: list[list[object]] = []
    monkeypatch.setattr(explorer.charts, "prefetch", lambda keys: wished.append(list(keys)))
    return wished


def test_an_explorer_wishes_first_for_what_the_control_just_used_and_the_next_lead_to(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from postsoviet.explorers.article import MILESTONES, THEMES, KnownByExplorer, TimelineExplorer

    known = KnownByExplorer(start=2)
    wished = _wishes(known, monkeypatch)
    known.later.click()  # to milestone 3: Later again, then (round to) Earlier
    assert known.last_used == 1
    assert wished[-1] == [MILESTONES[4][0], MILESTONES[2][0]]
    timeline = TimelineExplorer()
    wished = _wishes(timeline, monkeypatch)
    first, second = (timeline.boxes[t] for t in THEMES[:2])
    first.value = False
    everything = tuple(THEMES)
    # The same box again (back to every theme), then the next box.
    assert wished[-1][:2] == [
        (everything, 0),
        (tuple(t for t in THEMES if t not in THEMES[:2]), 0),
    ]
    second.value = False
    assert timeline.last_used == 1
    # Let the first draws' renders ahead finish: a worker killed mid-render at exit aborts.
    assert known.charts.settle() and timeline.charts.settle()


def test_the_cache_keeps_only_the_latest_states() -> None:
    cache = ChartCache(Renderer(), size=3)
    for key in range(5):
        cache.get(key)
    assert [key in cache for key in range(5)] == [False, False, True, True, True]


def test_a_failed_background_render_is_dropped_and_raises_when_asked_for() -> None:
    render = Renderer(fail_on="bad")
    cache = ChartCache(render)
    cache.prefetch(["bad", "good"])
    render.wait_for("good")
    assert cache.settle()
    assert "bad" not in cache and isinstance(cache.failed["bad"], ValueError)
    with pytest.raises(ValueError, match="cannot draw bad"):
        cache.get("bad")


def test_turned_off_it_renders_every_time_and_nothing_ahead(monkeypatch) -> None:
    monkeypatch.setattr(ChartCache, "enabled", False)
    render = Renderer()
    cache = ChartCache(render)
    cache.prefetch([5])
    cache.get(1), cache.get(1)
    assert render.calls == [1, 1]


def _explorer_classes() -> list[type]:
    found = []
    for module in pkgutil.iter_modules(postsoviet.explorers.__path__):
        loaded = importlib.import_module(f"postsoviet.explorers.{module.name}")
        found += [
            cls
            for name, cls in inspect.getmembers(loaded, inspect.isclass)
            if name.endswith("Explorer") and cls.__module__ == loaded.__name__
        ]
    return found


EXPLORERS = _explorer_classes()


def test_every_lesson_explorer_is_found() -> None:
    assert len(EXPLORERS) >= 8


@pytest.mark.parametrize("explorer_class", EXPLORERS, ids=lambda c: c.__name__)
def test_every_state_an_explorer_renders_ahead_is_a_state_it_can_draw(explorer_class) -> None:
    """Each explorer's guesses at next states are real states: none fails to render."""
    explorer = explorer_class()
    caches = [v for v in vars(explorer).values() if isinstance(v, ChartCache)]
    assert caches, f"{explorer_class.__name__} does not cache its charts"
    buttons = [
        w for w in _descendants(explorer) if isinstance(w, widgets.Button) and not w.disabled
    ]
    for button in buttons:
        for cache in caches:
            assert cache.settle()
        button.click()
    for cache in caches:
        assert cache.settle()
        assert not cache.failed, cache.failed


def _descendants(widget: widgets.Widget) -> list[widgets.Widget]:
    children = list(getattr(widget, "children", ()))
    return children + [d for child in children for d in _descendants(child)]


@pytest.mark.parametrize("explorer_class", EXPLORERS, ids=lambda c: c.__name__)
def test_a_step_sends_its_chart_before_the_text_around_it(explorer_class) -> None:
    """The chart is what the reader waits for: no text widget under it changes first.

    The status line is held until the step ends (``_step``), so only the other text
    widgets (event lists, tables, assumptions) could go out ahead of the chart.
    """
    explorer = explorer_class()
    changes: list[str] = []
    explorer.chart.observe(lambda _c: changes.append("chart"), names="outputs")
    for widget in _descendants(explorer):
        if isinstance(widget, widgets.HTML) and widget is not getattr(explorer, "status", None):
            widget.observe(lambda _c: changes.append("text"), names="value")
    buttons = [
        w for w in _descendants(explorer) if isinstance(w, widgets.Button) and not w.disabled
    ]
    for button in buttons:
        changes.clear()
        button.click()
        if "chart" in changes:
            assert "text" not in changes[: changes.index("chart")], (button.description, changes)
