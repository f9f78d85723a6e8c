"""The class grader's evaluation server: one forked child per submission.

A class run keeps one ``evaluate --serve`` process per worker and forks a child for each
submission, so imports are paid once. These tests show the fork keeps students apart,
a stuck evaluation is stopped with a sentence, and a dead server costs nothing but time.
"""

from __future__ import annotations

import sys

import pytest

from postsoviet.grading import _evaluate_once, _Evaluator

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork server")

RIGHT = {"ex-90-1": {"kind": "value", "json": 80.1}}
# A default argument runs when the function is rebuilt: this one breaks the course's
# data module for anything evaluated later in the same process.
SABOTAGE = {
    "ex-90-2": {
        "kind": "function",
        "name": "winner_share",
        "source": "def winner_share(df, year, _=data.__dict__.update(load=None)):\n"
        "    return 0\n",
    }
}
STUCK = {
    "ex-90-2": {
        "kind": "function",
        "name": "winner_share",
        "source": "def winner_share(df, year, _=__import__('time').sleep(60)):\n    return 0\n",
    }
}


def _statuses(results: object) -> list[str]:
    assert not isinstance(results, str), results
    return [r.status for r in results]


def test_the_server_answers_like_a_process_of_its_own() -> None:
    evaluator = _Evaluator()
    try:
        for payload in (RIGHT, {"ex-90-1": {"kind": "value", "json": 80.23}}, {}):
            tasks = ["ex-90-1", "ex-90-2"]
            assert evaluator(tasks, payload) == _evaluate_once(tasks, payload)
    finally:
        evaluator.close()


def test_one_students_function_cannot_change_what_the_next_student_is_checked_with() -> None:
    evaluator = _Evaluator()
    try:
        assert _statuses(evaluator(["ex-90-2"], SABOTAGE)) == ["failed"]
        assert _statuses(evaluator(["ex-90-1"], RIGHT)) == ["passed"]
    finally:
        evaluator.close()


def test_a_stuck_evaluation_is_stopped_and_the_server_goes_on(monkeypatch) -> None:
    monkeypatch.setattr("postsoviet.grading.EVALUATION_TIMEOUT", 2)
    evaluator = _Evaluator()
    try:
        assert evaluator(["ex-90-2"], STUCK) == "checking the answers took longer than 2 s"
        assert _statuses(evaluator(["ex-90-1"], RIGHT)) == ["passed"]
    finally:
        evaluator.close()


def test_a_server_that_died_is_replaced() -> None:
    evaluator = _Evaluator()
    try:
        assert _statuses(evaluator(["ex-90-1"], RIGHT)) == ["passed"]
        evaluator._local.server.kill()
        evaluator._local.server.wait()
        assert _statuses(evaluator(["ex-90-1"], RIGHT)) == ["passed"]
    finally:
        evaluator.close()
