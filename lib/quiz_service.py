"""What the quiz page does with the store, without Streamlit: her last and earlier results, parking an
anonymous quiz for the sign-up, saving a result (scoring itself is ``lib.quiz``)."""

from __future__ import annotations

from lib import quiz
from lib.store import StoreInterface


def latest(store: StoreInterface, uid: int) -> dict | None:
    """Her last saved result (answers, when), or None."""
    return store.latest_quiz_result(uid)


def history(store: StoreInterface, uid: int) -> list[dict]:
    """Her saved results, newest first."""
    return store.quiz_history(uid)


def park(store: StoreInterface, answers: dict) -> str:
    """Anonymous answers wait under a single-use token for the sign-up or log-in (lib/store/pending.py)."""
    return store.park_pending_quiz(answers)


def may_save(store: StoreInterface, uid: int) -> bool:
    """False while she has not given consent to store health data."""
    user = store.get_user(uid)
    return user is None or bool(user.get("health_consent_at"))


def save(store: StoreInterface, uid: int, result: quiz.QuizResult) -> int:
    return quiz.save(store, uid, result)


def safety_flags(store: StoreInterface, uid: int) -> list[str]:
    """The safety flags of her last saved quiz (the Challenge page repeats the advice before a start)."""
    return quiz.saved_safety_flags(store.latest_quiz_result(uid))
