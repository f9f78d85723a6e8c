"""Generated files kept in the repository: written when they change, compared by ``--check``."""

from __future__ import annotations

from pathlib import Path

__all__ = ["write_or_check"]


def write_or_check(dest: Path, text: str, *, check: bool) -> bool:
    """True when ``dest`` holds ``text``; without ``check``, write it first if it does not.

    One rule for every generated key or data file (quiz-free exercise keys, answer keys,
    the stored mystery election), so ``--check`` in ``make test`` means the same for all.
    """
    current = dest.read_text(encoding="utf-8") if dest.exists() else ""
    if check or current == text:
        return current == text
    dest.write_text(text, encoding="utf-8")
    return True
