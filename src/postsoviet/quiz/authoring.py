"""Turning the instructor's quiz sources into the public, hashed banks.

The source (``solutions/quizzes/NN-slug.yaml``) is readable YAML with the answers in
plain text, so instructors can adapt questions to their class. This module checks it,
then writes ``banks/NN-slug.json`` with salted hashes and a sealed explanation. Salts
already in a bank are kept, so re-running the command on unchanged sources changes
nothing and ``--check`` can detect drift.
"""

from __future__ import annotations

import json
import secrets
import sys
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from postsoviet.quiz import sealing
from postsoviet.quiz.bank import BankError, lesson_slug, parse_bank
from postsoviet.quiz.responses import canonical_text, format_number

BANKS_DIR = Path(__file__).parent / "banks"
MAX_NUMERIC_GRID = 2001


class QuizSourceError(ValueError):
    """A quiz source file is wrong; the message names the file and the question."""


@cache
def source_schema() -> dict[str, Any]:
    text = resources.files("postsoviet.quiz").joinpath("source.schema.json").read_text("utf-8")
    return json.loads(text)


def load_source(path: Path) -> dict[str, Any]:
    """Read and validate one quiz source file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise QuizSourceError(f"{path}: cannot read it as YAML ({error})") from error
    import jsonschema  # slow to import: only authors and tests need it

    try:
        jsonschema.validate(data, source_schema())
    except jsonschema.ValidationError as error:
        where = "/".join(str(p) for p in error.absolute_path)
        raise QuizSourceError(f"{path}: {where or 'top level'}: {error.message}") from error
    if path.stem != data["lesson"]:
        raise QuizSourceError(f"{path}: the file name must match its lesson {data['lesson']!r}")
    return data


def accepted_answers(question: dict[str, Any]) -> list[str]:
    """Every accepted answer in canonical form, the primary one first."""
    kind, answer = question["type"], question["answer"]
    if kind == "single":
        return [answer]
    if kind == "multiple":
        return [",".join(sorted(set(answer)))]
    if kind == "ordering":
        return [",".join(answer)]
    if kind == "text":
        forms = [canonical_text(variant) for variant in answer]
        return list(dict.fromkeys(form for form in forms if form))
    decimals = question.get("decimals", 0)
    step = Decimal(1).scaleb(-decimals)
    centre = Decimal(format_number(answer, decimals))
    tolerance = Decimal(str(question.get("tolerance", 0)))
    count = int(tolerance / step)
    if 2 * count + 1 > MAX_NUMERIC_GRID:
        raise QuizSourceError(f"{question['id']}: tolerance too wide for {decimals} decimals")
    grid = [centre + k * step for k in range(-count, count + 1)]
    return [format_number(centre, decimals)] + [
        format_number(v, decimals) for v in grid if v != centre
    ]


def _check_question(path: Path, lesson: str, question: dict[str, Any]) -> None:
    qid, kind = question["id"], question["type"]
    prefix = lesson_slug(lesson) + "-"
    if not qid.startswith(prefix):
        raise QuizSourceError(f"{path}: {qid}: question ids of {lesson} start with {prefix!r}")
    choices = question.get("choices", {})
    answer = question["answer"]
    picked = [answer] if kind == "single" else answer if kind in ("multiple", "ordering") else []
    unknown = [a for a in picked if a not in choices]
    if unknown:
        raise QuizSourceError(f"{path}: {qid}: answer names unknown option(s) {unknown}")
    if kind == "ordering":
        if sorted(answer) != sorted(choices):
            raise QuizSourceError(f"{path}: {qid}: the answer must order every item exactly once")
        if list(answer) == list(choices):
            raise QuizSourceError(f"{path}: {qid}: items are listed in the answer's order")
    if kind == "multiple" and len(set(answer)) != len(answer):
        raise QuizSourceError(f"{path}: {qid}: an option is listed twice in the answer")
    if kind != "numeric" and ("tolerance" in question or "decimals" in question):
        raise QuizSourceError(f"{path}: {qid}: tolerance/decimals only apply to numeric questions")


def public_question(question: dict[str, Any], salt: str) -> dict[str, Any]:
    """The bank entry for one source question, made with ``salt``."""
    qid, kind = question["id"], question["type"]
    answers = accepted_answers(question)
    key = sealing.content_key(salt, qid, answers[0])
    nonce, ciphertext = sealing.seal(question["explanation"].strip(), key)
    entry: dict[str, Any] = {
        "id": qid,
        "type": kind,
        "prompt": question["prompt"].strip(),
        "hint": question["hint"].strip(),
        "section": question["section"].strip(),
        "salt": salt,
        "accepted": [
            {
                "match": sealing.match_hash(salt, qid, form),
                "key": sealing.wrap_key(key, salt, qid, form),
            }
            for form in answers
        ],
        "explanation": {"nonce": nonce, "ciphertext": ciphertext},
    }
    if "choices" in question:
        entry["choices"] = [{"id": k, "text": v.strip()} for k, v in question["choices"].items()]
    if kind == "numeric":
        entry["unit"] = question["unit"]
        entry["decimals"] = question.get("decimals", 0)
    if kind == "multiple":
        entry["members"] = sorted(sealing.member_hash(salt, qid, o) for o in question["answer"])
    if kind == "ordering":
        entry["positions"] = [
            sealing.position_hash(salt, qid, i, item) for i, item in enumerate(question["answer"])
        ]
    return entry


def _existing_salts(bank_path: Path) -> dict[str, str]:
    if not bank_path.exists():
        return {}
    try:
        data = json.loads(bank_path.read_text(encoding="utf-8"))
        return {q["id"]: q["salt"] for q in data.get("questions", [])}
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}


def render_bank(path: Path, banks_dir: Path = BANKS_DIR) -> tuple[Path, str]:
    """The public bank text for one source file, and where it belongs."""
    source = load_source(path)
    lesson = source["lesson"]
    bank_path = banks_dir / f"{lesson}.json"
    salts = _existing_salts(bank_path)
    seen: set[str] = set()
    questions = []
    for question in source["questions"]:
        _check_question(path, lesson, question)
        if question["id"] in seen:
            raise QuizSourceError(f"{path}: question id {question['id']!r} is used twice")
        seen.add(question["id"])
        salt = salts.get(question["id"]) or secrets.token_hex(16)
        questions.append(public_question(question, salt))
    bank = {"lesson": lesson, "questions": questions}
    try:
        parse_bank(bank)
    except BankError as error:
        raise QuizSourceError(f"{path}: {error}") from error
    return bank_path, json.dumps(bank, indent=1, ensure_ascii=False) + "\n"


def source_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(path.glob("*.yaml")))
        elif path.exists():
            files.append(path)
        else:
            raise QuizSourceError(f"{path}: no such file or folder")
    return files


def main(paths: list[Path], *, check: bool = False, banks_dir: Path = BANKS_DIR) -> int:
    """Write (or with ``check``, compare) the public bank of every source; returns an exit code."""
    stale = []
    try:
        for path in source_files(paths):
            bank_path, text = render_bank(path, banks_dir)
            current = bank_path.read_text(encoding="utf-8") if bank_path.exists() else None
            if current == text:
                print(f"up to date  {bank_path.name}")
            elif check:
                stale.append(bank_path.name)
                print(f"STALE       {bank_path.name} (run: python -m postsoviet quiz-keys)")
            else:
                bank_path.write_text(text, encoding="utf-8")
                print(f"written     {bank_path.name}")
    except QuizSourceError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 1 if stale else 0
