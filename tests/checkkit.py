"""What a check cell printed, read as a student reads it."""

from __future__ import annotations

from postsoviet.display import PLAIN_WIDTH

MARKS = "✓✗·✎"


def one_check_message(out: str) -> str:
    """The one message ``check()`` printed, as one line; fails unless there is exactly one.

    The message is wrapped at word boundaries (JupyterLab would cut a long text line
    inside its words): it starts with a mark, no later line does, and no line but an
    unbreakable word is wider than the wrap.
    """
    lines = out.splitlines()
    assert lines and lines[0][:1] in MARKS and out.endswith("\n"), out
    assert not any(line[:1] in MARKS for line in lines[1:]), out
    assert all(len(line) <= PLAIN_WIDTH for line in lines if " " in line.strip()), out
    return " ".join(out.split())
