"""Saving quiz results, reading the latest and the history, and attaching a parked quiz after sign-up."""

import pytest

from lib import quiz


@pytest.fixture
def store(any_store):
    """These are service tests: they run on every backend (SQLite and tests/fake_store.py)."""
    return any_store


def _answers(**qs):
    return {"questions": qs, "signals": {"muscles": 3, "sleep": 4}}


def test_save_and_read_back_the_latest_with_signals_and_flags(store):
    uid = store.create_user("anna", health_consent=True)
    assert store.latest_quiz_result(uid) is None
    rid = store.save_quiz_result(uid, quiz.score(_answers(ppi="yes", safety_heart="yes")))
    latest = store.latest_quiz_result(uid)
    assert latest["id"] == rid
    assert latest["signals"] == {"muscles": 3, "sleep": 4}
    assert latest["safety_flags"] == ["heart"]
    assert latest["mds"] == 1
    assert latest["signal_score"] == 87.5 and latest["signal_band"] == "many"
    assert latest["answers"]["questions"] == {"ppi": "yes", "safety_heart": "yes"}
    assert latest["question_set_version"] == quiz.version()
    assert [c["id"] for c in latest["contributors"]] == ["ppi", "poor_sleep"]


def test_history_is_newest_first_and_scoped_to_her(store):
    anna = store.create_user("anna", health_consent=True)
    bea = store.create_user("bea", health_consent=True)
    first = store.save_quiz_result(anna, quiz.score(_answers()))
    second = store.save_quiz_result(anna, quiz.score(_answers(ppi="yes")))
    store.save_quiz_result(bea, quiz.score(_answers(diuretic="yes")))
    assert [r["id"] for r in store.quiz_history(anna)] == [second, first]
    assert store.latest_quiz_result(anna)["id"] == second
    assert [r["mds"] for r in store.quiz_history(bea)] == [1]
    store.delete_user(anna)
    assert store.quiz_history(anna) == [] and len(store.quiz_history(bea)) == 1


def test_a_parked_quiz_is_attached_once_after_sign_up(store):
    token = store.park_pending_quiz(_answers(kidneys="less_well"))
    uid = store.create_user("anna", health_consent=True)
    rid = quiz.attach_pending(store, uid, token)
    assert rid is not None
    latest = store.latest_quiz_result(uid)
    assert latest["id"] == rid and latest["mds"] == 1 and latest["safety_flags"] == ["kidney"]
    # Single use: the same token again saves nothing twice.
    assert quiz.attach_pending(store, uid, token) is None
    assert len(store.quiz_history(uid)) == 1


def test_no_attachment_without_consent_or_with_a_bad_token(store):
    token = store.park_pending_quiz(_answers(ppi="yes"))
    no_consent = store.create_user("anna")
    assert quiz.attach_pending(store, no_consent, token) is None
    assert store.quiz_history(no_consent) == []
    # Still parked: once she agrees, it can be attached.
    store.set_health_consent(no_consent)
    assert quiz.attach_pending(store, no_consent, token) is not None
    assert quiz.attach_pending(store, no_consent, "unknown-token-123456") is None
    assert quiz.attach_pending(store, no_consent, "") is None


def test_parked_answers_that_were_tampered_with_are_cleaned_before_scoring(store):
    token = store.park_pending_quiz({"questions": {"ppi": "<script>", "coffee": "5+"}, "signals": {"sleep": 99}})
    uid = store.create_user("anna", health_consent=True)
    quiz.attach_pending(store, uid, token)
    latest = store.latest_quiz_result(uid)
    assert latest["answers"] == {"questions": {"coffee": "5+"}, "signals": {}}
    assert latest["signals"] == {}


def test_a_result_saved_with_an_older_question_set_still_loads_and_raises_todays_advice(store):
    # A row as the quiz of version "quiz-2026-12" saved it: old answer codes, old scoring (kidneys
    # "less well" then counted 2), no diabetes flag yet. It must still load, show as computed then, and
    # be read in today's terms.
    uid = store.create_user("anna", health_consent=True)
    old_answers = {"questions": {"gut_loss": "no", "alcohol": "8-14", "kidneys": "less_well", "diabetes": "yes"},
                   "signals": {"muscles": 3}}
    store.save_quiz_result(uid, {
        "version": "quiz-2026-12+signals-2026-11", "answers": old_answers, "signal_score": 75.0,
        "signal_band": "many", "mds": 3, "safety_flags": ["kidney"],
        "contributors": [{"id": "kidneys", "kind": "mds", "weight": 4, "strength": 1.0, "score": 4.0,
                          "learn": "safety", "mds_points": 2},
                         {"id": "alcohol_heavy", "kind": "mds", "weight": 3, "strength": 1.0, "score": 3.0,
                          "learn": "what-you-can-do", "mds_points": 1}],
    })
    saved = store.latest_quiz_result(uid)
    assert saved["question_set_version"] == "quiz-2026-12+signals-2026-11"
    assert saved["mds"] == 3 and saved["signals"] == {"muscles": 3}  # as she saw it then
    assert quiz.clean_answers(saved["answers"])["questions"] == {
        "diarrhoea": "no", "laxative": "no", "kidneys": "less_well", "diabetes": "yes"}
    assert quiz.saved_safety_flags(saved) == ["kidney", "diabetes_feet"]
    rescored = quiz.score(saved["answers"])
    assert rescored.mds == 1 and rescored.mds_uncertain == 1  # the straddling alcohol answer is open again
