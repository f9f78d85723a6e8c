"""The checking engine: right, wrong and unreadable responses, for every question type."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postsoviet import quiz
from postsoviet.quiz.engine import STUCK_AFTER
from postsoviet.quiz.engine import check as engine_check
from postsoviet.quiz.responses import normalise_text

from quizkit import make_question

SINGLE = make_question(type="single", choices={"a": "Minsk", "b": "Moscow"}, answer="b")
MULTIPLE = make_question(
    type="multiple",
    choices={"a": "gas", "b": "oil", "c": "tea", "d": "trade"},
    answer=["a", "b", "d"],
)
PERCENT = make_question(type="numeric", answer=80.1, decimals=1, tolerance=0.1, unit="%")
COUNT = make_question(type="numeric", answer=33, unit="")
TEXT = make_question(type="text", answer=["Tsikhanouskaya", "Tikhanovskaya", "Ціханоўская"])
ORDER = make_question(
    type="ordering", choices={"a": "1995", "b": "1991", "c": "2020"}, answer=["b", "a", "c"]
)
ALL = [SINGLE, MULTIPLE, PERCENT, COUNT, TEXT, ORDER]

# The responses the design brief names, plus a few more a student will surely try.
ODD_RESPONSES = [
    None,
    "",
    "   ",
    "80,1",
    "80.1%",
    "  1995 ",
    "Лукашэнка",
    ["a", "b"],
    ("a",),
    {"a"},
    "x" * 10_000,
    3.5,
    -1,
    True,
    b"bytes",
    {"answer": 1},
    float("nan"),
    float("inf"),
    Decimal("NaN"),
    object(),
    "a, z",
    "\u200b",
    "🙂",
    ["a", "a", "a"],
    [None],
    [["a"]],
]


# --- hostile objects ----------------------------------------------------------------------


class LenRaises(list):
    def __len__(self) -> int:
        raise RuntimeError("len")


class ClassRaises:
    @property  # type: ignore[misc]
    def __class__(self):
        raise RuntimeError("class")


class ReprRaises(str):
    def __repr__(self) -> str:
        raise RuntimeError("repr")

    __str__ = __repr__


class IterRaises(list):
    def __iter__(self):
        raise RuntimeError("iter")


class EqRaises(str):
    def __eq__(self, other: object) -> bool:
        raise RuntimeError("eq")

    __hash__ = str.__hash__


class FloatReprRaises(float):
    def __repr__(self) -> str:
        raise RuntimeError("repr")

    __str__ = __repr__


def _endless():
    while True:
        yield "a"


HOSTILE = [
    LenRaises(["b"]),
    LenRaises(["b", "a", "c"]),
    ClassRaises(),
    ReprRaises("b"),
    ReprRaises("x" * 50),
    IterRaises(["a"]),
    EqRaises("b"),
    FloatReprRaises(80.1),
    [ClassRaises()],
    [ReprRaises("b")],
    ["a"] * 40_000,
    list(range(40_000)),
    _endless(),
]


def _stable_id(response: object) -> str:
    """A test id that is the same in every process (pytest-xdist compares them)."""
    return "object()" if type(response) is object else repr(response)


@pytest.mark.parametrize("question", ALL, ids=lambda q: q.type + q.unit)
@pytest.mark.parametrize("response", ODD_RESPONSES, ids=_stable_id)
def test_odd_responses_get_one_clear_sentence(question, response) -> None:
    feedback = engine_check(question, response)
    assert feedback.status in ("correct", "incorrect", "invalid")
    assert feedback.message.strip().endswith((".", "?")), feedback.message
    assert "\n" not in feedback.message
    assert len(feedback.message) < 300
    assert "Traceback" not in str(feedback)


GENERIC = "as an answer: type it as text or a number."


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    response=st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.decimals(),
        st.text(max_size=400),
        st.binary(max_size=20),
        st.lists(st.one_of(st.text(max_size=5), st.integers()), max_size=6),
        st.sets(st.sampled_from("abcdz")),
        st.tuples(st.text(max_size=3)),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=3),
        st.builds(LenRaises, st.lists(st.sampled_from("abcd"), max_size=5)),
        st.builds(ReprRaises, st.text(max_size=60)),
        st.builds(EqRaises, st.text(max_size=5)),
        st.builds(FloatReprRaises, st.floats(allow_nan=False)),
    ),
    index=st.integers(min_value=0, max_value=len(ALL) - 1),
)
def test_check_never_raises_and_always_explains(response, index) -> None:
    feedback = engine_check(ALL[index], response)
    assert feedback.status in ("correct", "incorrect", "invalid")
    assert feedback.message and str(feedback).startswith(("✓ ", "✗ ", "? "))
    # The last-resort guard must not be what answers ordinary Python values.
    assert GENERIC not in feedback.message, feedback.message


@settings(max_examples=200, deadline=None)
@given(
    letter_form=st.sampled_from(
        ["{}", "({})", "{}.", "{})", "[{}]", " {} ", "{}) Moscow", "({}) moscow.", "{}: Moscow"]
    ),
    upper=st.booleans(),
)
def test_any_bracketing_of_the_right_letter_is_accepted(letter_form: str, upper: bool) -> None:
    letter = "B" if upper else "b"
    assert engine_check(SINGLE, letter_form.format(letter)).correct


@settings(max_examples=200, deadline=None)
@given(
    value=st.integers(min_value=-(10**9), max_value=10**9),
    noise=st.sampled_from([0, 1, -1, 2, -2]),
    grouped=st.booleans(),
)
def test_whole_numbers_with_separators_or_float_noise(
    value: int, noise: int, grouped: bool
) -> None:
    question = make_question(type="numeric", answer=value, unit="")
    response: object = f"{value:,}" if grouped else float(value)
    if noise and not grouped:
        response = float(value) * (1 + noise * 2.0**-52)
    assert engine_check(question, response).correct, response


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(["civil", "society", "hybrid", "port", "union"]), min_size=1, max_size=3
    ),
    article=st.sampled_from(["", "the ", "The ", "a "]),
    spaces=st.sampled_from([" ", "", "-"]),
)
def test_text_with_an_article_or_without_spaces_is_accepted(words, article, spaces) -> None:
    question = make_question(type="text", answer=[" ".join(words)])
    assert engine_check(question, article + spaces.join(words)).correct


@settings(max_examples=100)
@given(response=st.one_of(st.none(), st.text(max_size=50), st.integers(), st.lists(st.text())))
def test_every_real_question_survives_any_response(response) -> None:
    for question_id in quiz.question_ids():
        assert quiz.check(question_id, response).status in ("correct", "incorrect", "invalid")


@pytest.mark.parametrize(
    ("response", "status"),
    [
        ("80.1", "correct"),
        ("80,1", "correct"),
        ("80.1%", "correct"),
        (" 80.1 % ", "correct"),
        ("80.10", "correct"),
        (80.1, "correct"),
        ("80.0", "correct"),
        ("80.2", "correct"),
        ("80.3", "incorrect"),
        ("79.9", "incorrect"),
        ("80.1 per cent", "correct"),
        ("80.15", "invalid"),
        ("about 80", "invalid"),
        ("80.1 km", "invalid"),
        ("%", "invalid"),
    ],
)
def test_numeric_reading_tolerance_and_units(response, status) -> None:
    assert engine_check(PERCENT, response).status == status


@pytest.mark.parametrize(
    ("response", "status"),
    [
        ("33", "correct"),
        (33, "correct"),
        ("  33 ", "correct"),
        ("33.0", "correct"),
        ("33.4", "invalid"),
        ("32", "incorrect"),
        ("34", "incorrect"),
        ("3,3", "invalid"),
        ("1,033", "incorrect"),
    ],  # a thousands separator where a whole number is asked
)
def test_whole_number_questions(response, status) -> None:
    assert engine_check(COUNT, response).status == status


def test_thousands_separators() -> None:
    big = make_question(type="numeric", answer=4661075, unit="")
    for typed in ("4661075", "4 661 075", "4,661,075", "4\u202f661\u202f075", "4.661.075,0"):
        assert engine_check(big, typed).correct, typed


def test_a_share_instead_of_a_percentage_is_pointed_out() -> None:
    feedback = engine_check(PERCENT, "0.8")
    assert feedback.status == "incorrect"
    assert any("80% is written 80" in note for note in feedback.notes)


@pytest.mark.parametrize(
    "typed",
    [
        "Tsikhanouskaya",
        "TSIKHANOUSKAYA",
        " tsikhanouskaya. ",
        "Tikhanovskaya",
        "Tikhanovskaia",
        "Ціханоўская",
        "Тихановская",
        "Tsikhanoŭskaja",
    ],
)
def test_text_is_case_script_and_diacritics_insensitive(typed) -> None:
    assert engine_check(TEXT, typed).correct, normalise_text(typed)


def test_text_rejects_other_names_and_non_text() -> None:
    assert engine_check(TEXT, "Lukashenka").status == "incorrect"
    assert engine_check(TEXT, 42).status == "invalid"
    assert engine_check(TEXT, ["Tsikhanouskaya"]).status == "invalid"


@pytest.mark.parametrize("typed", ["b", "B", " b ", "b)", "Moscow", ["b"]])
def test_single_choice_by_letter_or_text(typed) -> None:
    assert engine_check(SINGLE, typed).correct


def test_single_choice_wrong_and_unknown() -> None:
    assert engine_check(SINGLE, "a").status == "incorrect"
    unknown = engine_check(SINGLE, "z")
    assert unknown.status == "invalid" and '"a", "b"' in unknown.message


@pytest.mark.parametrize("typed", [["a", "b", "d"], "a, b, d", "abd", "d b a", {"a", "b", "d"}])
def test_multiple_select_accepts_any_order_and_form(typed) -> None:
    assert engine_check(MULTIPLE, typed).correct


def test_multiple_select_counts_without_naming() -> None:
    feedback = engine_check(MULTIPLE, ["a", "c"])
    assert feedback.message == (
        "1 choice of yours does not belong; 2 right options are still missing."
    )


def test_ordering_counts_items_in_place() -> None:
    assert engine_check(ORDER, ["b", "a", "c"]).correct
    assert engine_check(ORDER, "a b c").message == "1 of 3 items are in the right place."
    assert "missing" in engine_check(ORDER, ["b", "a"]).message
    assert "more than once" in engine_check(ORDER, ["b", "b", "a"]).message


def test_hint_after_wrong_explanation_only_after_right() -> None:
    wrong = engine_check(SINGLE, "a")
    assert wrong.hint == "A useful hint." and not wrong.explanation
    right = engine_check(SINGLE, "b")
    assert right.explanation.startswith("Because") and not right.hint
    assert str(right).splitlines()[0] == "✓ Correct. Well done."
    assert str(wrong).splitlines()[0].startswith("✗ Not quite.")


def test_stuck_students_are_pointed_to_the_section() -> None:
    early = engine_check(SINGLE, "a", attempts=0)
    late = engine_check(SINGLE, "a", attempts=STUCK_AFTER - 1)
    assert not any("Re-read" in n for n in early.notes)
    assert any("A section" in n for n in late.notes)


def test_unknown_question_ids_get_a_sentence(capsys) -> None:
    quiz.answer("start-here-99", "a")
    quiz.answer(None, "a")  # type: ignore[arg-type]
    quiz.show(["start-here-1"])  # type: ignore[arg-type]
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("? There is no question or lesson called 'start-here-99'.")
    assert "Did you mean" in out[0]
    assert all(line.startswith("? ") for line in out)
    assert quiz.check("nope-1", "a").status == "invalid"


def test_question_ids_by_lesson_name_or_slug() -> None:
    assert quiz.question_ids("00-start-here") == quiz.question_ids("start-here")
    assert all(i.startswith("start-here-") for i in quiz.question_ids("start-here"))
    assert quiz.question_ids("no-such-lesson") == []


# --- forgiving input ----------------------------------------------------------------------

YEAR = make_question(type="numeric", answer=1918, unit="")
SHARE = make_question(type="numeric", answer=12.7, decimals=1, tolerance=0.1, unit="%")
PORT = make_question(type="text", answer=["civil society"])
LONG = make_question(
    type="single", choices={"a": "Minsk", "b": "Moscow", "c": "The Lithuanian port"}, answer="c"
)


@pytest.mark.parametrize(
    ("question", "typed"),
    [
        (YEAR, "1,918"),
        (YEAR, "1 918"),
        (YEAR, 1918.0000000000002),
        (YEAR, "1917.9999999999998"),
        (SHARE, 12.699999999999998),
        (SHARE, "12.700000000000001"),
        (SHARE, "12,7 %"),
        (SHARE, 0.1 * 127),
        (LONG, "(c)"),
        (LONG, "c."),
        (LONG, "[c]"),
        (LONG, "c: "),
        (LONG, "c) The Lithuanian port"),
        (LONG, "(c) the lithuanian port."),
        (LONG, "the Lithuanian port"),
        (LONG, "Lithuanian port"),
        (PORT, "the civil society"),
        (PORT, "civilsociety"),
        (PORT, "Civil-Society"),
        (MULTIPLE, "(a), (b), (d)"),
        (MULTIPLE, "a) gas, b) oil, d) trade"),
        (MULTIPLE, "a and b and d"),
        (MULTIPLE, "A.B.D"),
        (ORDER, "(b) (a) (c)"),
        (ORDER, ["b)", "a.", "(c)"]),
    ],
)
def test_the_right_answer_is_accepted_in_every_reasonable_form(question, typed) -> None:
    assert engine_check(question, typed).correct, (typed, str(engine_check(question, typed)))


@pytest.mark.parametrize(
    ("question", "typed", "status"),
    [
        (YEAR, "1,917", "incorrect"),
        (SHARE, "12.75", "invalid"),
        (SHARE, 12.71, "invalid"),
        (LONG, "c) Moscow", "invalid"),
        (LONG, "(b)", "incorrect"),
        (PORT, "civil war", "incorrect"),
        (MULTIPLE, "a.b", "incorrect"),
        (ORDER, "(a) (b) (c)", "incorrect"),
    ],
)
def test_forgiveness_does_not_accept_wrong_answers(question, typed, status) -> None:
    assert engine_check(question, typed).status == status, str(engine_check(question, typed))


@pytest.mark.parametrize("question", ALL, ids=lambda q: q.type + q.unit)
@pytest.mark.parametrize(
    "response", [pytest.param(r, id=f"{type(r).__name__}-{i}") for i, r in enumerate(HOSTILE)]
)
def test_hostile_objects_get_a_sentence_not_a_traceback(question, response) -> None:
    feedback = engine_check(question, response)
    assert feedback.status in ("correct", "incorrect", "invalid")
    assert feedback.message.strip().endswith((".", "?")) and "\n" not in feedback.message


def test_hostile_objects_that_hold_the_right_answer_are_read() -> None:
    assert engine_check(SINGLE, LenRaises(["b"])).correct
    assert engine_check(SINGLE, ReprRaises("b")).correct
    assert engine_check(ORDER, LenRaises(["b", "a", "c"])).correct
    assert engine_check(PERCENT, FloatReprRaises(80.1)).correct


def test_a_huge_ordering_is_refused_with_a_sentence() -> None:
    feedback = engine_check(ORDER, [str(i) for i in range(40_000)])
    assert feedback.status == "invalid"
    assert "more than" in feedback.message and "items" in feedback.message
    endless = engine_check(ORDER, _endless())  # a generator is not read at all
    assert endless.status == "invalid" and "generator" in endless.message


def test_unreadable_answers_never_count_as_attempts(progress_file) -> None:
    for response in (*HOSTILE, None, "", "zz", "1.5"):
        quiz.answer("start-here-2", response)
    assert not progress_file.exists() or '"start-here-2"' not in progress_file.read_text()


@pytest.mark.parametrize(
    ("response", "words"),
    [(3, "the number 3"), (2.5, "the number 2.5"), (True, "True (a yes/no value)")],
)
def test_a_value_that_is_no_option_is_named_in_a_students_words(response, words) -> None:
    """Not "a value of type int": the feedback speaks to someone who does not program."""
    message = engine_check(SINGLE, response).message
    assert words[0].upper() + words[1:] in message and "of type" not in message
    assert not any(s[:1].islower() for s in message.split(". ")[1:])  # each sentence a capital
