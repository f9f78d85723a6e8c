"""What every explorer shares: the plain-text fallback and the date format."""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["TextFallback", "format_date"]


def format_date(value: pd.Timestamp) -> str:
    """``7 August 2020``: the way the lessons write dates, without a leading zero."""
    return f"{value.day} {value:%B %Y}"


class TextFallback:
    """What a notebook shows before its cell is run, and what text-only front ends show.

    Mixed in before the ipywidgets container, so the widget's own bundle is kept and only
    its ``text/plain`` (by default a ``VBox(children=...)`` repr) is replaced.
    """

    @staticmethod
    def fallback() -> str:
        raise NotImplementedError

    def __repr__(self) -> str:
        return self.fallback()

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
        bundle = super()._repr_mimebundle_(**kwargs)  # type: ignore[misc]
        if bundle is not None:
            bundle["text/plain"] = self.fallback()
        return bundle
