"""What every explorer shares: the plain-text fallback, the course style, "updating…",
the chart cache, the date format."""

from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable, Iterable, Sequence
from contextlib import ExitStack
from typing import Any

import ipywidgets as widgets
import pandas as pd

from postsoviet.display import WIDGET_CLASS, html_text, plain_lines, widget_style

__all__ = [
    "BUSY",
    "CHOSEN",
    "UPDATING",
    "ChartCache",
    "TextFallback",
    "board_row",
    "chosen_text",
    "format_date",
    "in_turn",
    "mark_chosen",
]


def format_date(value: pd.Timestamp) -> str:
    """``7 August 2020``: the way the lessons write dates, without a leading zero."""
    return f"{value.day} {value:%B %Y}"


#: What the status line says while a step is on its way to the screen.
UPDATING = '<span role="status">updating…</span>'


#: The class an explorer carries while a step is on its way to the screen (see WIDGET_CSS).
BUSY = "postsoviet-busy"


def _step(draw: Callable[[Any], None]) -> Callable[[Any], None]:
    """``draw`` as one step the reader sees whole: "updating…" and controls off first.

    The front end applies messages in order. Without this, the status line arrived before
    the chart (a second of disagreement on a loaded machine) and clicks made meanwhile
    queued up. Now the explorer at once says "updating…" and takes the ``BUSY`` class,
    under which its controls are greyed out and take no pointer clicks; the status and
    the class are held back (``hold_sync``) and sent only after the chart, so chart,
    caption and status agree whenever the controls can be used again.

    A ``draw`` sets its chart before it computes the text around it (counts, lists,
    pandas look-ups): the chart is what the reader waits for, and its message then
    leaves first.

    Why a class and not each control's ``disabled``: a disabled control loses the
    keyboard focus, so a reader who pressed Space on a tick box would be thrown back to
    the top of the page at every step.
    """

    @functools.wraps(draw)
    def step(self: Any) -> None:
        status = getattr(self, "status", None)
        self.add_class(BUSY)
        if status is not None:
            status.value = UPDATING
        with ExitStack() as held:
            for widget in [self, *([status] if status is not None else [])]:
                held.enter_context(widget.hold_sync())
            draw(self)
            self.remove_class(BUSY)

    return step


class TextFallback:
    """What a notebook shows before its cell is run, and what text-only front ends show.

    Mixed in before the ipywidgets container, so the widget's own bundle is kept and only
    its ``text/plain`` (by default a ``VBox(children=...)`` repr) is replaced. It also
    gives every explorer the course's widget style (wrapping labels and buttons) and
    makes each ``draw`` one step (:func:`_step`).
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "draw" in cls.__dict__:
            cls.draw = _step(cls.__dict__["draw"])  # type: ignore[attr-defined]

    def __init__(self, children: Sequence[widgets.Widget] = (), **kwargs: Any) -> None:
        super().__init__([*children, widget_style()], **kwargs)  # type: ignore[call-arg]
        self.add_class(WIDGET_CLASS)  # type: ignore[attr-defined]

    @staticmethod
    def fallback() -> str:
        raise NotImplementedError

    def track_controls(self, controls: Sequence[widgets.Widget]) -> None:
        """Note which of ``controls`` (listed in Tab order) the reader used last.

        Called before the explorer attaches its own handlers, so ``last_used`` is already
        set when the step they start asks for charts ahead (handlers run in the order they
        were attached).
        """
        self.last_used: int | None = None

        def used(index: int) -> None:
            self.last_used = index

        for index, control in enumerate(controls):
            if isinstance(control, widgets.Button):
                control.on_click(lambda _button, i=index: used(i))
            else:
                control.observe(lambda _change, i=index: used(i), names="value")

    def __repr__(self) -> str:
        return plain_lines(self.fallback())

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        """The widget, its text fallback and, for an explorer with a chart, its first frame.

        The stored notebook keeps everything but the widget view (its model id changes
        every run), so GitHub, nbviewer and JupyterLab before the cell runs show the
        chart the explorer starts with, with its alt text and the fallback sentence;
        once the cell runs, the live widget (the front end's first choice) replaces it.
        The alt text is in the ``<img>`` of ``text/html``, which JupyterLab, nbconvert and
        nbviewer all render before ``image/png``.
        """
        bundle = super()._repr_mimebundle_(**kwargs)  # type: ignore[misc]
        if bundle is None:
            return None
        bundle["text/plain"] = plain_lines(self.fallback())
        frame = self._first_frame()
        if frame is not None:
            image, caption = frame
            bundle["image/png"] = image["data"]["image/png"]
            bundle["text/html"] = (
                image["data"]["text/html"]
                + f"<p><em>{html_text(caption)}</em></p><p>{html_text(self.fallback())}</p>"
            )
        return bundle

    def _first_frame(self) -> tuple[dict[str, Any], str] | None:
        """The chart on show (its image output and its caption), if the explorer has one."""
        chart = getattr(self, "chart", None)
        outputs = list(getattr(chart, "outputs", ()))
        images = [o for o in outputs if "image/png" in o.get("data", {})]
        if not images:
            return None
        captions = [
            o["data"]["text/plain"] for o in outputs if "text/markdown" in o.get("data", {})
        ]
        return images[0], (captions[0] if captions else "")


#: What marks a chosen button, before its words: a sign a screen reader says and that
#: does not read as "correct" (a tick would, before anything is checked).
CHOSEN = "● "


def chosen_text(text: str, chosen: bool) -> str:
    """A button's words, marked with :data:`CHOSEN` when it is the current choice."""
    return (CHOSEN if chosen else "") + text


def mark_chosen(
    buttons: Sequence[widgets.Button], texts: Sequence[str], picked: int | None
) -> None:
    """Mark button ``picked`` (an index; ``None`` clears them all) among ``buttons``.

    More than colour: the :data:`CHOSEN` sign in its words, a bold outline and a filled
    style. ``texts`` are the buttons' own words, without the sign.
    """
    for index, (button, text) in enumerate(zip(buttons, texts, strict=True)):
        chosen = index == picked
        button.description = chosen_text(text, chosen)
        button.button_style = "info" if chosen else ""
        (button.add_class if chosen else button.remove_class)("postsoviet-chosen")


def board_row(
    prompt_html: str,
    groups: Sequence[tuple[str, str, Sequence[tuple[str, str]]]],
    judge: Callable[[dict[str, str | None]], str],
    check_tooltip: str,
    unfinished: str,
) -> dict[str, Any]:
    """One card of a claims or calendar board: choose in each group, then check.

    ``groups`` are (state key, label, [(value, button text), ...]). The chosen button of
    each group is highlighted (:func:`mark_chosen`) and named in the "Your answer" line.
    ``judge(state)`` returns feedback starting with ✓ or ✗; a first wrong check shows
    only its first sentence (what was right, what not) and offers one more try, and the
    second check reveals the answer and its source.
    ``unfinished`` is what a check says before every group has a choice.
    """
    state: dict[str, str | None] = {key: None for key, _label, _options in groups}
    texts = {key: dict(options) for key, _label, options in groups}
    chosen = widgets.HTML("<em>Your answer: nothing chosen yet</em>")
    feedback = widgets.HTML()
    tries = {"wrong": 0}
    buttons: dict[str, list[widgets.Button]] = {}

    def choose(key: str, value: str, button: widgets.Button) -> None:
        state[key] = value
        mark_chosen(buttons[key], list(texts[key].values()), buttons[key].index(button))
        said = " / ".join(texts[k][v] if v else "?" for k, v in state.items())
        chosen.value = f"<em>Your answer: {html_text(said)}</em>"

    rows: list[widgets.HBox] = []
    check = widgets.Button(description="Check", tooltip=check_tooltip)
    for number, (key, label, options) in enumerate(groups):
        buttons[key] = [
            widgets.Button(description=text, layout=widgets.Layout(width="auto"))
            for _value, text in options
        ]
        for button, (value, _text) in zip(buttons[key], options, strict=True):
            button.on_click(lambda b, k=key, v=value: choose(k, v, b))
        last = [check] if number == len(groups) - 1 else []
        rows.append(widgets.HBox([widgets.Label(label), *buttons[key], *last]))

    def reveal(_button: object) -> None:
        if any(value is None for value in state.values()):
            text = unfinished
        else:
            text = judge(state)
            if text.startswith("✗") and tries["wrong"] == 0:
                tries["wrong"] = 1
                text = (
                    text.split(". ", 1)[0]
                    + ". Try once more: the answer is shown after your next check."
                )
        feedback.value = f'<div role="status" class="postsoviet-feedback">{html_text(text)}</div>'

    check.on_click(reveal)
    box = widgets.VBox(
        [widgets.HTML(prompt_html), *rows, chosen, feedback],
        layout=widgets.Layout(border="1px solid #999", padding="2px 8px", margin="4px 0"),
    )
    return {"box": box, "buttons": buttons, "check": check, "feedback": feedback, "state": state}


def in_turn(per_control: Sequence[Iterable[Hashable]], last_used: int | None) -> list[Hashable]:
    """The states each control leads to, most likely next first, for :meth:`ChartCache.prefetch`.

    ``per_control[i]`` are the states control ``i`` (in Tab order) may lead to. A reader
    most often uses the same control again (Later, Later…), and otherwise the next one: a
    keyboard user reaches controls with Tab, in that order. So the control just used comes
    first, then the ones after it, round to the first.
    """
    count = len(per_control)
    start = 0 if last_used is None else last_used
    return [key for step in range(count) for key in per_control[(start + step) % count]]


class ChartCache:
    """Rendered charts by explorer state, with the likely next states rendered ahead.

    Rendering one chart to PNG takes 60-120 ms on a small machine, most of it matplotlib's
    layout and text measurement. A reader steps to a neighbouring state much less often
    than that, so while the kernel waits for the next click, one background thread renders
    the states the explorer names as next (:meth:`prefetch`), and a step to one of them is
    only a lookup. The output is the same whichever thread rendered it.

    Renders never overlap: one lock serialises them across every explorer in the kernel,
    so matplotlib is used by one thread at a time; a state already rendered is looked up
    without that lock. The reader comes first: while a chart is wanted on screen, no
    background render starts, so a step to a state not yet rendered waits for at most the
    one render already under way. Background work starts ``start_delay`` seconds after an
    explorer first asks for it, so that running a whole notebook is not slowed by charts
    nobody has asked for yet. A failed background render is recorded in :attr:`failed`
    and dropped; the same state asked for later raises in the reader's cell as usual.
    """

    _render_lock = threading.Lock()
    _foreground = threading.Condition()
    _readers_waiting = 0
    #: Seconds between an explorer's first wish list and its first background render.
    start_delay: float = 1.0
    #: Off, every state is rendered when asked for and nothing ahead: what a plain
    #: ``interact`` explorer does. The benchmarks turn it off to measure what it saves.
    enabled: bool = True

    def __init__(self, render: Callable[[Hashable], Sequence[dict[str, Any]]], size: int = 256):
        self._render = render
        self._size = size
        self._done: OrderedDict[Hashable, tuple[dict[str, Any], ...]] = OrderedDict()
        self._index = threading.Lock()  # guards _done; held for a lookup, never a render
        self._wanted: deque[Hashable] = deque()
        self._wake = threading.Condition()
        self._worker: threading.Thread | None = None
        self._busy = False
        #: Background renders that raised, by state: a wrong guess at a next state.
        self.failed: dict[Hashable, Exception] = {}

    def __contains__(self, key: Hashable) -> bool:
        return key in self._done

    def get(self, key: Hashable) -> tuple[dict[str, Any], ...]:
        """The display outputs for ``key``, rendered now unless already done."""
        with ChartCache._foreground:
            ChartCache._readers_waiting += 1
        try:
            return self._get(key)
        finally:
            with ChartCache._foreground:
                ChartCache._readers_waiting -= 1
                ChartCache._foreground.notify_all()

    def _get(self, key: Hashable) -> tuple[dict[str, Any], ...]:
        # A state already rendered is a lookup: it never waits for the background render
        # under way (60-120 ms), which would make most steps as slow as no cache at all.
        done = self._lookup(key)
        if done is not None:
            return done
        with self._render_lock:
            if not self.enabled:
                return tuple(self._render(key))
            done = self._lookup(key)  # rendered while this step waited for the lock
            if done is not None:
                return done
            outputs = tuple(self._render(key))
            with self._index:
                self._done[key] = outputs
                while len(self._done) > self._size:
                    self._done.popitem(last=False)
            return outputs

    def _lookup(self, key: Hashable) -> tuple[dict[str, Any], ...] | None:
        if not self.enabled:
            return None
        with self._index:
            if key not in self._done:
                return None
            self._done.move_to_end(key)
            return self._done[key]

    def prefetch(self, keys: Iterable[Hashable]) -> None:
        """Render ``keys`` in the background, in order; replaces any earlier wish list."""
        if not self.enabled:
            return
        with self._wake:
            self._wanted = deque(key for key in keys if key not in self._done)
            if self._wanted and self._worker is None:
                self._worker = threading.Thread(target=self._work, name="chart-cache", daemon=True)
                self._worker.start()
            self._wake.notify_all()

    def settle(self, timeout: float = 60) -> bool:
        """Wait until every wished-for state is rendered or dropped; False on timeout."""
        with self._wake:
            return self._wake.wait_for(lambda: not self._wanted and not self._busy, timeout)

    def _work(self) -> None:
        time.sleep(self.start_delay)
        while True:
            with self._wake:
                while not self._wanted:
                    self._wake.wait()
                key = self._wanted.popleft()
                self._busy = True
            try:
                with ChartCache._foreground:  # let a reader's chart go first
                    ChartCache._foreground.wait_for(lambda: ChartCache._readers_waiting == 0)
                self._get(key)
            except Exception as error:  # rendered again, and raised, if the reader asks for it
                self.failed[key] = error
            finally:
                with self._wake:
                    self._busy = False
                    self._wake.notify_all()
