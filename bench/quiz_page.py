"""Quiz page speed: the AppTest rerun after one answer, as a ratio to an empty Streamlit page.

Run: ``python -m bench.quiz_page`` (as a module: bench/ holds a ``concurrent.py``). The empty page, the reference
page (bench/reference_page.py), the app's Home page and the Quiz page rerun alternately in one
process (noise between runs is 10-25 %); each Quiz rerun changes one answer, so it pays for scoring
and redrawing the feedback. Reported as ratios of medians. The Home and Quiz runs include the entry
script (navigation, login, language switch, footer), which an empty page does not have. Also timed:
``lib.quiz.score`` on its own, for a full set of answers.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.figures import median_ms, print_figures  # noqa: E402 - after the path is set

ROUNDS = 40


def run(rounds: int = ROUNDS) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench-quiz-"))
    from lib import settings

    settings.install(settings.Settings(database=tmp / "bench.db"))
    from streamlit.testing.v1 import AppTest

    from lib import quiz, signals

    empty_file = tmp / "empty_page.py"
    empty_file.write_text("import streamlit as st\n", encoding="utf-8")
    empty = AppTest.from_file(str(empty_file), default_timeout=60)
    empty.run()
    ref = AppTest.from_file(str(ROOT / "bench" / "reference_page.py"), default_timeout=60)
    ref.run()

    home = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    home.session_state["lang"] = "nl"
    home.run()
    assert not home.exception, home.exception

    pages = {}
    for step in (1, 4):  # the food step (6 questions) and the signal step (the eight-signal block)
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
        at.session_state["lang"] = "nl"
        at.run()
        at.switch_page("pages/quiz.py").run()
        for _ in range(step):
            at.button(key="quiz_next").click().run()
        assert not at.exception, at.exception
        pages[step] = at

    def answer_food(at, i):
        at.radio(key="quiz_q_coffee").set_value("5+" if i % 2 else "0").run()

    def answer_signal(at, i):
        at.radio(key="quiz_sig_muscles").set_value(4 if i % 2 else 1).run()

    t_empty, t_ref, t_home, t_food, t_sig = [], [], [], [], []
    for i in range(rounds):  # alternate, so drift hits all alike
        for out, action in (
            (t_empty, lambda: empty.run()),
            (t_ref, lambda: ref.run()),
            (t_home, lambda: home.run()),
            (t_food, lambda i=i: answer_food(pages[1], i)),
            (t_sig, lambda i=i: answer_signal(pages[4], i)),
        ):
            start = time.perf_counter()
            action()
            out.append(time.perf_counter() - start)
    assert not pages[1].exception and not pages[4].exception

    full = {"questions": {q["id"]: q["options"][-1] for q in quiz.questions()},
            "signals": {s.id: 3 for s in signals.signals()}}
    t_score = []
    for _ in range(200):
        start = time.perf_counter()
        quiz.score(full)
        t_score.append(time.perf_counter() - start)

    empty_ms, ref_ms = median_ms(t_empty, 3), median_ms(t_ref, 3)
    food_ms, sig_ms, home_ms = median_ms(t_food, 3), median_ms(t_sig, 3), median_ms(t_home, 3)
    return {
        "rounds": rounds,
        "empty_rerun_ms": empty_ms,
        "reference_rerun_ms": ref_ms,
        "home_rerun_ms": home_ms,
        "home_ratio_to_empty": round(home_ms / empty_ms, 1),
        "quiz_food_step_answer_ms": food_ms,
        "quiz_food_step_ratio_to_empty": round(food_ms / empty_ms, 1),
        "quiz_food_step_ratio_to_reference": round(food_ms / ref_ms, 2),
        "quiz_signal_step_answer_ms": sig_ms,
        "quiz_signal_step_ratio_to_empty": round(sig_ms / empty_ms, 1),
        "quiz_signal_step_ratio_to_reference": round(sig_ms / ref_ms, 2),
        "score_full_answers_ms": median_ms(t_score, 3),
    }


def main() -> None:
    result = run()
    print_figures("quiz_page", result)


if __name__ == "__main__":
    main()
