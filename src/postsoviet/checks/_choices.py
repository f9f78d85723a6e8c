"""Multiple-choice keys of exercise tasks, as salted hashes: checkable, not readable.

The plain keys live on the instructor's side (``solutions/exercise-keys.yaml``);
``python -m postsoviet exercise-keys`` writes ``choice_keys.json`` beside this module
with, per task, a random salt, the hash of the whole right answer, one hash per right
option (so feedback can count right and wrong picks without naming the answer), hashed
feedback for chosen wrong options, and the pass message sealed under a key only the
right answer gives (the same scheme as the quiz banks, :mod:`postsoviet.quiz.sealing`).

What this does not do: a student can still try every combination in the check cell, as
with any check that says right or wrong; the instructor's grader uses the same keys, so
all three places give one mark for one answer.
"""

from __future__ import annotations

import functools
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from postsoviet._files import write_or_check
from postsoviet.quiz import sealing

KEYS_FILE = Path(__file__).with_name("choice_keys.json")


@dataclass(frozen=True)
class Verdict:
    """What a choice of letters is: right (with the unsealed message), or how far off."""

    passed: bool
    message: str
    wrong: tuple[str, ...]  # chosen letters that are not part of the answer
    missed: int  # right letters not chosen


def _canonical(letters: Iterable[str]) -> str:
    return "".join(sorted(set(letters)))


@functools.cache
def _keys() -> dict[str, Any]:
    return json.loads(KEYS_FILE.read_text(encoding="utf-8"))


def options(task_id: str) -> str:
    """The letters a task offers (not secret: the prompt lists them)."""
    return str(_keys()[task_id]["options"])


def judge(task_id: str, letters: Iterable[str]) -> Verdict:
    """Compare ``letters`` (already lower case, from :func:`options`) with the sealed key."""
    key = _keys()[task_id]
    salt, chosen = key["salt"], set(letters)
    canonical = _canonical(chosen)
    if sealing.match_hash(salt, task_id, canonical) == key["match"]:
        secret = sealing.content_key(salt, task_id, canonical)
        return Verdict(True, sealing.unseal(*key["passed"], secret), (), 0)
    members = set(key["members"])
    wrong = tuple(sorted(c for c in chosen if sealing.member_hash(salt, task_id, c) not in members))
    missed = len(members) - (len(chosen) - len(wrong))
    feedback = key["feedback"].get(sealing.match_hash(salt, task_id, canonical), "")
    return Verdict(False, feedback, wrong, missed)


def build_keys(source: dict[str, Any], previous: dict[str, Any] | None = None) -> dict[str, Any]:
    """The public key file for the instructor's ``source``; salts kept from ``previous``."""
    out: dict[str, Any] = {}
    for task_id, entry in sorted(source.items()):
        answer = [str(letter).lower() for letter in entry["answer"]]
        offered = str(entry["options"]).lower()
        if not answer or not set(answer) <= set(offered):
            raise ValueError(f"{task_id}: the answer {answer} is not among the options {offered}")
        salt = ((previous or {}).get(task_id) or {}).get("salt") or secrets.token_hex(16)
        canonical = _canonical(answer)
        out[task_id] = {
            "options": offered,
            "salt": salt,
            "match": sealing.match_hash(salt, task_id, canonical),
            "members": sorted(sealing.member_hash(salt, task_id, c) for c in set(answer)),
            "feedback": {
                sealing.match_hash(salt, task_id, _canonical(str(letters).lower())): " ".join(
                    str(text).split()
                )
                for letters, text in sorted((entry.get("feedback") or {}).items())
            },
            "passed": list(
                sealing.seal(
                    " ".join(str(entry["passed"]).split()),
                    sealing.content_key(salt, task_id, canonical),
                )
            ),
        }
    return out


def write_keys(source: Path, *, check: bool = False, dest: Path = KEYS_FILE) -> bool:
    """Write (or with ``check`` compare) the key file; True when it is up to date."""
    import yaml

    entries = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    previous = json.loads(dest.read_text(encoding="utf-8")) if dest.exists() else None
    text = json.dumps(build_keys(entries, previous), indent=1, sort_keys=True) + "\n"
    return write_or_check(dest, text, check=check)
