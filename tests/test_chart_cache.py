"""The explorers' chart cache: renders once, renders ahead in the background, stays small."""

from __future__ import annotations

import threading

import pytest

from postsoviet.explorers._base import ChartCache


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
    assert "bad" not in cache
    with pytest.raises(ValueError, match="cannot draw bad"):
        cache.get("bad")


def test_turned_off_it_renders_every_time_and_nothing_ahead(monkeypatch) -> None:
    monkeypatch.setattr(ChartCache, "enabled", False)
    render = Renderer()
    cache = ChartCache(render)
    cache.prefetch([5])
    cache.get(1), cache.get(1)
    assert render.calls == [1, 1]
