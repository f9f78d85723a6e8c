"""What the student's kernel hands over, and how the grader rebuilds it: one format, both ends.

The last cell of a grading run (:mod:`.runner`) encodes each task's target as plain JSON
(:func:`encode`, :func:`encode_figure`, :func:`encode_function`); the evaluating process
(:mod:`.evaluate`) rebuilds an object the checkers treat exactly like the student's own
(:func:`decode`). Both halves live here so that they cannot drift apart: whatever a check
cell accepts in the notebook must reach the checker in the same shape, or the class grader
would take back points the check cell promised. The format keeps what JSON alone loses:
the type of every key (``{2019: 1.2}`` stays an int-keyed dict, not ``{"2019": 1.2}``),
tuples and sets, numpy arrays, pandas indexes (years, months, dates), a figure's legend
and line labels, and the helpers and imports a student's function relies on.

The three kernel-side functions are shipped to the kernel as source text
(:data:`KERNEL_SOURCE`): they must not import anything from :mod:`postsoviet`, which the
student's code may have patched.
"""

from __future__ import annotations

import inspect
from typing import Any

__all__ = [
    "KERNEL_SOURCE",
    "MAX_ITEMS",
    "decode",
    "encode",
    "encode_figure",
    "encode_function",
]

#: Items (container elements, series values) encoded per answer; a bigger answer is
#: handed over as "too large" without encoding the rest (each item takes far more than
#: ten characters of JSON, so this is always past the runner's character limit).
MAX_ITEMS = 200_000


# --- kernel side: plain Python, shipped as source --------------------------------------


def _postsoviet_encode(value, budget=None):  # type: ignore[no-untyped-def]  # runs in the kernel
    """A JSON-ready node for ``value``; types JSON would lose are tagged."""
    import math

    budget = budget if budget is not None else [200_000]
    budget[0] -= 1
    if budget[0] < 0:
        raise OverflowError("too large")
    if value is Ellipsis:
        return {"kind": "stub"}
    module = type(value).__module__.split(".")[0]
    name = type(value).__name__
    if module == "numpy" and name != "ndarray" and hasattr(value, "item"):
        value = value.item()
        module, name = "builtins", type(value).__name__
    if isinstance(value, float) and not math.isfinite(value):
        return {"kind": "float", "repr": repr(value)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return {"kind": "value", "json": value}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        items = [_postsoviet_encode(v, budget) for v in items]
        return {"kind": "seq", "type": name, "items": items}
    if isinstance(value, dict):
        return {
            "kind": "dict",
            "items": [[_postsoviet_encode(k, budget), _postsoviet_encode(v, budget)]
                      for k, v in value.items()],
        }
    if module == "numpy" and name == "ndarray":
        return {"kind": "ndarray", "dtype": value.dtype.kind,
                "items": _postsoviet_encode(value.tolist(), budget)}
    if module == "pandas":
        if name in ("Timestamp", "Period", "Timedelta"):
            return {"kind": name.lower(), "text": str(value),
                    "freq": getattr(value, "freqstr", None)}
        if name.endswith("Index"):
            return {"kind": "index", "type": name,
                    "freq": getattr(value, "freqstr", None),
                    "items": [_postsoviet_encode(v, budget) for v in value.tolist()]}
        if name == "Series":
            return {"kind": "series", "name": _postsoviet_encode(value.name, budget),
                    "index": _postsoviet_encode(value.index, budget),
                    "values": [_postsoviet_encode(v, budget) for v in value.tolist()]}
        if name == "DataFrame":
            return {"kind": "frame", "index": _postsoviet_encode(value.index, budget),
                    "columns": [[_postsoviet_encode(c, budget),
                                 [_postsoviet_encode(v, budget) for v in value[c].tolist()]]
                                for c in value.columns]}
    if module == "datetime" and hasattr(value, "isoformat"):
        return {"kind": "timestamp", "text": value.isoformat(), "freq": None}
    return {"kind": "opaque", "type": name}


def _postsoviet_figure(value):  # type: ignore[no-untyped-def]  # runs in the kernel
    """A figure's axes as data: lines (floats whatever the units), labels, legend, patches."""
    axes = []
    for ax in value.axes:
        # get_xydata gives floats whatever the units (dates become matplotlib day numbers)
        lines = [[[float(x) for x in line.get_xydata()[:, 0]],
                  [float(y) for y in line.get_xydata()[:, 1]],
                  str(line.get_label()),
                  str(line.get_linestyle()),  # a task may ask for points, not a line
                  str(line.get_marker())]
                 for line in ax.get_lines()]
        patches = []
        for patch in ax.patches[:500]:  # outlines in data coordinates, e.g. a drawn flag
            try:
                path = patch.get_path().transformed(patch.get_transform() - ax.transData)
                patches.append({"xy": [[float(x), float(y)] for x, y in path.vertices],
                                "facecolor": [float(c) for c in patch.get_facecolor()],
                                "fill": bool(patch.get_fill() and patch.get_visible()),
                                "zorder": float(patch.get_zorder())})
            except Exception:
                continue
        axes.append({"xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(),
                     "title": ax.get_title(), "legend": ax.get_legend() is not None,
                     "lines": lines, "patches": patches})
    return {"kind": "figure", "axes": axes, "legends": len(getattr(value, "legends", []))}


def _postsoviet_function(function, target, space):  # type: ignore[no-untyped-def]  # runs in the kernel
    """A function's source plus what it needs from the notebook: helpers, imports, constants."""
    import inspect
    import types

    sources, modules, constants, seen = [], {}, {}, set()

    def names(code):
        found = set(code.co_names)
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                found |= names(const)
        return found

    def visit(item):
        if id(item) in seen:
            return
        seen.add(id(item))
        for name in sorted(names(item.__code__)):
            if name not in space:
                continue
            other = space[name]
            if isinstance(other, types.ModuleType):
                modules[name] = other.__name__
            elif isinstance(other, types.FunctionType) and other.__module__ == "__main__":
                visit(other)
                sources.append(inspect.getsource(other))
            elif other is None or isinstance(other, (bool, int, float, str, tuple, list, dict,
                                                     set, frozenset)):
                try:
                    constants[name] = _postsoviet_encode(other, [10_000])
                except OverflowError:
                    continue

    visit(function)
    return {"kind": "function", "name": target, "source": inspect.getsource(function),
            "helpers": sources, "modules": modules, "constants": constants}


def _postsoviet_collect(tasks, marker, limit):  # type: ignore[no-untyped-def]  # in the kernel
    """Print one marker line with every task's target encoded (at most ``limit`` characters
    each: a larger answer is reported as too large, not checked)."""
    import json

    found = {}
    space = globals()
    for task_id, target, kind in tasks:
        try:
            if not target:
                found[task_id] = {"kind": "written"}
            elif target not in space:
                found[task_id] = {"kind": "missing"}
            elif kind == "function" and callable(space[target]) and hasattr(
                space[target], "__code__"
            ):
                found[task_id] = _postsoviet_function(space[target], target, space)
            elif kind == "plot" and hasattr(space[target], "savefig"):
                found[task_id] = _postsoviet_figure(space[target])
            else:
                found[task_id] = _postsoviet_encode(space[target])
            size = len(json.dumps(found[task_id]))
            if size > limit:
                found[task_id] = {"kind": "too-large", "size": size, "limit": limit}
        except OverflowError:  # more items than MAX_ITEMS: far more than limit characters
            found[task_id] = {"kind": "too-large", "size": f"more than {limit}", "limit": limit}
        except Exception as error:
            found[task_id] = {"kind": "opaque", "type": type(space.get(target)).__name__,
                              "problem": type(error).__name__}
    print(marker + json.dumps(found))


#: The grader's names for the kernel-side encoders (prefixed there, so that they cannot
#: replace a student's own ``encode`` in the kernel's namespace).
encode = _postsoviet_encode
encode_figure = _postsoviet_figure
encode_function = _postsoviet_function

KERNEL_SOURCE = "\n\n".join(
    inspect.getsource(function)
    for function in (
        _postsoviet_encode, _postsoviet_figure, _postsoviet_function, _postsoviet_collect
    )
)


# --- grader side ------------------------------------------------------------------------


def _opaque(type_name: str) -> object:
    """An object whose type has the student's type name, for messages like 'you gave a set'."""
    safe = type_name if type_name.isidentifier() else "object"
    return type(safe, (), {})()


def _index(node: dict[str, Any]) -> Any:
    import pandas as pd

    items = [decode(item) for item in node["items"]]
    kind = node.get("type", "Index")
    if kind == "PeriodIndex":
        return pd.PeriodIndex(items, freq=node.get("freq"))
    if kind == "DatetimeIndex":
        return pd.DatetimeIndex(items)
    if kind == "RangeIndex":
        return pd.RangeIndex(len(items)) if items == list(range(len(items))) else pd.Index(items)
    return pd.Index(items)


def decode(node: dict[str, Any]) -> Any:
    """The value ``node`` stands for, with the student's types (see :func:`encode`)."""
    kind = node.get("kind")
    if kind == "stub":
        return Ellipsis
    if kind == "value":
        return node["json"]
    if kind == "float":
        return float(node["repr"])
    if kind == "seq":
        items = [decode(item) for item in node["items"]]
        makers = {"tuple": tuple, "set": set, "frozenset": frozenset}
        return makers.get(node.get("type", "list"), list)(items)
    if kind == "dict":
        return {_hashable(decode(k)): decode(v) for k, v in node["items"]}
    if kind == "ndarray":
        import numpy as np

        return np.array(decode(node["items"]))
    if kind in ("timestamp", "period", "timedelta"):
        import pandas as pd

        if kind == "period":
            return pd.Period(node["text"], freq=node.get("freq"))
        return (pd.Timestamp if kind == "timestamp" else pd.Timedelta)(node["text"])
    if kind == "index":
        return _index(node)
    if kind == "series":
        import pandas as pd

        return pd.Series(
            [decode(v) for v in node["values"]],
            index=decode(node["index"]),
            name=decode(node["name"]),
            dtype=None if node["values"] else object,
        )
    if kind == "frame":
        import pandas as pd

        columns = {decode(name): [decode(v) for v in values] for name, values in node["columns"]}
        return pd.DataFrame(columns, index=decode(node["index"]))
    if kind == "figure":
        return _figure(node)
    return _opaque(str(node.get("type", "object")))


def _hashable(key: Any) -> Any:
    """Dict keys come back as they went in; a list key cannot exist, so it was a tuple."""
    return tuple(key) if isinstance(key, list) else key


def _figure(spec: dict[str, Any]) -> Any:
    """A figure with the student's lines (and whether they join their points), labels,
    legends and patches; not their colours."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Polygon

    figure = Figure()
    for axes_spec in spec["axes"]:
        ax = figure.add_subplot(len(spec["axes"]), 1, len(figure.axes) + 1)
        for line in axes_spec["lines"]:
            xs, ys, label, linestyle, marker = (*line, None, "-", "None")[:5]
            ax.plot(xs, ys, label=label, linestyle=linestyle, marker=marker)
        for patch in axes_spec.get("patches", []):
            ax.add_patch(
                Polygon(
                    patch["xy"],
                    closed=True,
                    facecolor=patch["facecolor"],
                    fill=patch["fill"],
                    zorder=patch["zorder"],
                )
            )
        ax.set_xlabel(axes_spec["xlabel"])
        ax.set_ylabel(axes_spec["ylabel"])
        ax.set_title(axes_spec.get("title", ""))
        if axes_spec.get("legend"):
            ax.legend()
    for _ in range(int(spec.get("legends", 0))):
        figure.legend()
    return figure
