"""Multiple-choice keys of exercise tasks: on the instructor's side only, hashed for students."""

from __future__ import annotations

import ast
import itertools
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from postsoviet.checks import _choices

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "solutions" / "exercise-keys.yaml"
KEYS = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
PACKAGE = ROOT / "src" / "postsoviet"


def test_public_hashes_match_the_instructor_source(tmp_path: Path) -> None:
    assert _choices.write_keys(SOURCE, check=True), "run python -m postsoviet exercise-keys"
    changed = dict(KEYS, **{"ex-04-6": dict(KEYS["ex-04-6"], answer=["c"])})
    edited = tmp_path / "keys.yaml"
    edited.write_text(yaml.safe_dump(changed), encoding="utf-8")
    assert not _choices.write_keys(edited, check=True)  # a changed key is noticed


@pytest.mark.parametrize("task_id", sorted(KEYS))
def test_the_key_passes_and_no_other_choice_does(task_id: str) -> None:
    entry = KEYS[task_id]
    offered = entry["options"]
    right = set(entry["answer"])
    for size in range(1, len(offered) + 1):
        for letters in itertools.combinations(offered, size):
            verdict = _choices.judge(task_id, letters)
            assert verdict.passed == (set(letters) == right), (task_id, letters)
            if not verdict.passed:
                assert set(verdict.wrong) == set(letters) - right
                assert verdict.missed == len(right - set(letters))
    message = _choices.judge(task_id, right).message
    assert message == " ".join(entry["passed"].split())


def test_an_answer_outside_the_options_is_refused_by_the_key_source(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not among the options"):
        _choices.build_keys({"ex-04-6": {"options": "abcd", "answer": ["z"], "passed": "x"}})


def _letter_literals(tree: ast.AST) -> list[set[str]]:
    """Every literal in ``tree`` that could spell a set of option letters."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value.isalpha() and node.value.islower() and len(node.value) <= 6:
                found.append(set(node.value))
        elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            items = [e.value for e in node.elts if isinstance(e, ast.Constant)]
            if items and all(isinstance(i, str) and len(i) == 1 for i in items):
                found.append(set(items))
    return found


def test_the_students_package_cannot_give_the_choice_keys(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(PACKAGE, site / "postsoviet", ignore=shutil.ignore_patterns("__pycache__"))
    assert not (site / "solutions").exists() and not (tmp_path / "solutions").exists()
    texts = {
        path: path.read_text(encoding="utf-8")
        for path in (site / "postsoviet").rglob("*")
        if path.suffix in (".py", ".json")
    }
    for task_id, entry in KEYS.items():
        module = site / "postsoviet" / "checks" / f"lesson{task_id[3:5]}.py"
        literals = _letter_literals(ast.parse(texts[module]))
        assert set(entry["answer"]) not in literals, (task_id, "key written in the checker")
        passed = " ".join(entry["passed"].split())
        assert not any(passed[:40] in text for text in texts.values()), task_id
    public = json.loads(texts[site / "postsoviet" / "checks" / "choice_keys.json"])
    assert set(public) == set(KEYS) and all("answer" not in entry for entry in public.values())

    # The student's check cell still gives a verdict from the hashes alone.
    script = (
        "import postsoviet, json\n"
        "from postsoviet.checks import evaluate\n"
        "print(json.dumps([postsoviet.__file__] + [evaluate(t, v).status for t, v in ("
        "('ex-04-6', 'b'), ('ex-04-6', '(C)'), ('ex-05-6', ['e', 'a', 'b']),"
        " ('ex-05-6', ['a']), ('ex-03-5', 'a, c, d'), ('ex-03-5', ['b']))]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env={"PYTHONPATH": str(site)},
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    where, *statuses = json.loads(done.stdout.strip().splitlines()[-1])
    assert where.startswith(str(site))
    assert statuses == ["passed", "failed", "passed", "failed", "passed", "failed"]
