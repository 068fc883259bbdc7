"""The Quiz page in AppTest: the live summary while she answers, the result screen (safety first), both
languages, saving, and the parked quiz."""

import pytest
from streamlit.testing.v1 import AppTest

from lib import clock, i18n, quiz
from lib.ui import login, parked_quiz
from tests import store_probe
from tests.conftest import ENTRY
from tests.page_text import page_text

PAGE = "pages/quiz.py"


def _flat(node):
    """Every element under ``node`` in the order the page draws them."""
    children = getattr(node, "children", None)
    if children is None:
        yield node
        return
    for key in sorted(children):
        yield from _flat(children[key])


def _texts(at) -> list[str]:
    out = []
    for el in _flat(at.main):
        for attr in ("value", "body", "label"):
            value = getattr(el, attr, None)
            if isinstance(value, str):
                out.append(value)
                break
    return out


def _joined(at) -> str:
    return "\n".join(_texts(at))


def _next(at):
    return at.button(key="quiz_next").click().run()


def _summary(at) -> str:
    """The compact summary under the questions (sticky at the bottom of a phone's screen)."""
    lang = at.session_state["lang"]
    return next(m.value for m in at.markdown if m.value.startswith(f"**{i18n.t('quiz.summary.title', lang)}**"))


def _to_result(at):
    """ "See your result": from the summary on any step, or the last step's own button."""
    keys = [b.key for b in at.button]
    return at.button(key="quiz_result" if "quiz_result" in keys else "quiz_to_result").click().run()


def _change(at):
    """Back from the result screen to the first step, answers kept."""
    return at.button(key="quiz_change").click().run()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_one_answer_changes_the_summary_in_the_same_run_and_the_result_explains_it(app, lang):
    at = app(lang=lang, page=PAGE)
    assert not at.exception
    assert i18n.t("quiz.feedback.contributors_none", lang) in _summary(at)
    total = quiz.score(quiz.empty_answers()).total_questions
    assert i18n.t("quiz.summary.open", lang, n=total, total=total) in _summary(at)
    _next(at)  # food and drink
    at.radio(key="quiz_q_coffee").set_value("5+").run()
    summary = _summary(at)
    assert quiz.contributor_text("coffee", "name", lang) in summary
    assert i18n.t("quiz.feedback.contributors_none", lang) not in summary
    assert i18n.t("quiz.summary.open", lang, n=total - 1, total=total) in summary
    assert at.radio(key="quiz_q_coffee").label == quiz.question_text(quiz.questions("food")[2], lang)
    _to_result(at)
    assert at.subheader[0].value == i18n.t("quiz.result.title", lang)
    text = _joined(at)
    assert quiz.contributor_text("coffee", "name", lang) in text
    assert quiz.contributor_text("coffee", "why", lang) in text
    assert i18n.t("quiz.feedback.tag_possible", lang) in text
    assert i18n.t("quiz.feedback.contributors_none", lang) not in text
    assert i18n.t("quiz.open_left", lang, n=total - 1, total=total) in text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_safety_yes_shows_in_the_summary_and_first_on_the_result_screen(app, lang):
    at = app(lang=lang, page=PAGE)
    assert not at.error
    before = _texts(at)
    at.radio(key="quiz_q_safety_heart").set_value("yes").run()
    texts = _texts(at)
    # Nothing is inserted above the questions (on a phone that pushed the tapped question down).
    first_question = quiz.question_text(quiz.questions("safety")[0], lang)
    assert texts[:texts.index(first_question)] == before[:before.index(first_question)]
    assert not at.error
    # The summary under the questions says it at once.
    assert i18n.t("quiz.safety.title", lang) in _summary(at)
    assert texts.index(first_question) < texts.index(_summary(at))
    # The result screen: the advice, in full, is the first thing it says.
    _to_result(at)
    assert len(at.error) == 1
    assert i18n.t("quiz.safety.title", lang) in at.error[0].body
    assert quiz.safety_text("heart", lang) in at.error[0].body
    texts = _texts(at)
    advice = next(i for i, t in enumerate(texts) if quiz.safety_text("heart", lang) in t)
    contributors = texts.index(f"**{i18n.t('quiz.feedback.contributors_title', lang)}**")
    assert texts.index(i18n.t("quiz.result.title", lang)) < advice < contributors
    # Back to "no": the advice is gone in the same run.
    _change(at)
    at.radio(key="quiz_q_safety_heart").set_value("no").run()
    assert i18n.t("quiz.safety.title", lang) not in _summary(at)
    _to_result(at)
    assert not at.error


def test_urgent_symptoms_add_the_emergency_line(app):
    at = app(lang="en", page=PAGE)
    at.radio(key="quiz_q_safety_acute").set_value("yes").run()
    _to_result(at)
    assert i18n.t("quiz.safety.urgent", "en") in at.error[0].body


def test_possible_contributors_and_the_mds_stay_apart_and_the_mds_counts(app):
    at = app(lang="en", page=PAGE)
    # Nothing answered: the MDS is not known yet, never "low".
    assert i18n.t("quiz.summary.mds_none", "en") in _summary(at)
    _to_result(at)
    assert i18n.t("quiz.feedback.mds_unknown", "en") in _texts(at)
    assert not any(i18n.t("quiz.feedback.mds_band_low", "en") in t for t in _texts(at))
    _change(at)
    _next(at)
    at.radio(key="quiz_q_coffee").set_value("5+").run()
    _next(at)
    _next(at)  # medicines and health
    at.radio(key="quiz_q_kidneys").set_value("less_well").run()
    assert i18n.t("quiz.summary.mds", "en", mds=1, known=1) in _summary(at)
    _to_result(at)
    texts = _texts(at)
    mds_title = texts.index(f"**{i18n.t('quiz.feedback.mds_title', 'en')}**")
    kidneys = next(i for i, t in enumerate(texts) if quiz.contributor_text("kidneys", "name", "en") in t)
    coffee = next(i for i, t in enumerate(texts) if quiz.contributor_text("coffee", "name", "en") in t)
    assert coffee < mds_title < kidneys  # the validated item sits under the MDS, not among the possible ones
    assert i18n.t("quiz.feedback.tag_mds", "en") in texts[kidneys]
    # One of its four questions answered: a number so far, no band.
    assert i18n.t("quiz.feedback.mds_partial", "en", mds=1, known=1) in texts
    assert i18n.t("quiz.feedback.mds_uncertain", "en", upper=2) in texts
    # The lay kidney answer also raises the safety advice.
    assert quiz.safety_text("kidney", "en") in at.error[0].body


def test_ordinary_habits_show_three_possible_contributors_and_fold_the_rest(app):
    at = app(lang="en", page=PAGE)
    _next(at)
    for key, value in (("coffee", "3-4"), ("greens", "rarely"), ("nuts", "rarely"), ("wholegrain", "rarely"),
                       ("sugar", "daily"), ("alcohol", "1-9")):
        radios = [r for r in at.radio if r.key == f"quiz_q_{key}"]
        if radios:
            value = value if value in radios[0].options else radios[0].options[-1]
            radios[0].set_value(value).run()
    _next(at)
    at.radio(key="quiz_q_stress_duration").set_value("year").run()
    result = quiz.score(at.session_state["quiz_answers"])
    possible = [c for c in result.contributors if c.kind != quiz.MDS]
    assert len(possible) > 3
    names = ", ".join(quiz.contributor_text(c.id, "name", "en") for c in possible[:3])
    assert i18n.t("quiz.summary.contributors", "en", names=names) in _summary(at)  # the same three, in order
    _to_result(at)
    shown = [c for c in possible if any(quiz.contributor_text(c.id, "name", "en") in t
                                         for t in _texts(at) if t.startswith(("1\\.", "2\\.", "3\\.")))]
    assert [c.id for c in shown] == [c.id for c in possible[:3]]  # the strongest three, in order
    fold = [e for e in at.expander if e.label == i18n.t("quiz.feedback.show_all", "en", n=len(possible))]
    assert len(fold) == 1


def test_answers_survive_moving_between_steps_and_the_signal_block_scores(app):
    at = app(lang="en", page=PAGE)
    _next(at)
    at.radio(key="quiz_q_greens").set_value("rarely").run()
    _next(at)
    at.button(key="quiz_back").click().run()
    assert at.radio(key="quiz_q_greens").value == "rarely"
    for _ in range(3):
        _next(at)
    assert "quiz_next" not in [b.key for b in at.button]  # the last step leads to the result instead
    at.radio(key="quiz_sig_muscles").set_value(4).run()
    at.radio(key="quiz_sig_sleep").set_value(2).run()
    assert i18n.t("quiz.summary.signals", "en", score="75", band=i18n.t("quiz.feedback.band_many", "en")) \
        in _summary(at)
    _to_result(at)
    text = _joined(at)
    assert i18n.t("quiz.feedback.signal_score", "en", score="75", band=i18n.t("quiz.feedback.band_many", "en"),
                  n=2) in text
    assert i18n.t("quiz.feedback.top_signals", "en", names="stiff muscles, poor sleep") in text
    assert quiz.contributor_text("greens", "name", "en") in text


def test_switching_language_keeps_the_answers(app):
    at = app(lang="nl", page=PAGE)
    at.radio(key="quiz_q_safety_pregnant").set_value("yes").run()
    # (AppTest does not report the entry script's sidebar after a page switch: switch as its callback does.)
    at.session_state["lang"] = "en"
    at.run()
    assert at.radio(key="quiz_q_safety_pregnant").value == "yes"
    assert i18n.t("quiz.safety.title", "en") in _summary(at)
    _to_result(at)
    assert quiz.safety_text("pregnancy", "en") in at.error[0].body


def test_logged_in_she_saves_with_one_click_and_sees_her_history(app, store):
    uid = store.create_user("anna", health_consent=True)
    at = app(lang="en", user_id=uid, page=PAGE)
    _to_result(at)
    assert i18n.t("quiz.history.none", "en") in _joined(at)
    _change(at)
    _next(at)
    at.radio(key="quiz_q_coffee").set_value("5+").run()
    _to_result(at)
    at.button(key="quiz_save").click().run()
    assert not at.exception
    assert at.success[0].body == i18n.t("quiz.save.saved", "en")
    saved = store.latest_quiz_result(uid)
    assert saved["answers"]["questions"] == {"coffee": "5+"}
    assert [c["id"] for c in saved["contributors"]] == ["coffee"]
    # The same answers again: nothing to save twice.
    at.run()
    assert i18n.t("quiz.save.already_saved", "en") in _joined(at)
    assert len(store.quiz_history(uid)) == 1
    # A changed answer can be saved as a new result; the history shows both, with the change.
    _change(at)
    _next(at)
    at.radio(key="quiz_q_alcohol").set_value("20+").run()
    _to_result(at)
    at.button(key="quiz_save").click().run()
    history = store.quiz_history(uid)
    assert [h["mds"] for h in history] == [1, 0]
    text = _joined(at)
    assert i18n.t("quiz.history.change", "en", score="–", mds="+1") in text
    assert i18n.t("quiz.history.first", "en") in text


def test_without_consent_nothing_is_saved(app, store):
    uid = store.create_user("oidc-person")
    at = app(lang="en", user_id=uid, page=PAGE)
    _to_result(at)
    assert i18n.t("quiz.save.need_consent", "en") in [w.body for w in at.warning]
    assert not [b for b in at.button if b.key == "quiz_save"]


def test_another_participants_results_are_not_shown(app, store):
    anna = store.create_user("anna", health_consent=True)
    bea = store.create_user("bea", health_consent=True)
    store.save_quiz_result(bea, quiz.score({"questions": {"ppi": "yes"}, "signals": {}}))
    at = app(lang="en", user_id=anna, page=PAGE)
    _to_result(at)
    assert i18n.t("quiz.history.none", "en") in _joined(at)


def test_anonymous_answers_are_parked_and_attached_after_sign_up_when_she_says_yes(app, store, monkeypatch):
    at = app(lang="en", page=PAGE)
    _to_result(at)
    assert i18n.t("quiz.save.anon", "en") in _joined(at)
    assert at.button(key="quiz_park").disabled  # nothing answered yet, nothing to keep
    _change(at)
    at.radio(key="quiz_q_safety_stones").set_value("yes").run()
    _next(at)
    at.radio(key="quiz_q_processed_food").set_value("most_days").run()
    _to_result(at)
    at.button(key="quiz_park").click().run()
    assert not at.exception
    token = at.session_state["pending_quiz_token"]
    assert token and store_probe.table_counts(store)["pending_quiz"] == 1
    # The Account page now carries the token in its forms (the sign-up posts it to the account route,
    # which sets it as a cookie); here: the new account, and the next run with that cookie.
    assert at.title[0].value == i18n.t("account.title", "en")
    uid = store.create_user("newbie", health_consent=True)
    monkeypatch.setattr(login, "pending_cookie", lambda: token)
    after = app(lang="en", user_id=uid)
    assert not after.exception
    # She is asked first (on a shared computer the parked quiz may be a stranger's); nothing is saved yet.
    when = parked_quiz.parked_time(store.pending_quiz_parked_at(token), clock.DEFAULT_TZ)
    assert i18n.t("account.pending.question", "en", time=when) in page_text(after)
    html = "\n".join(h.proto.body for h in after.get("html"))
    assert 'name="choice" value="add"' in html and 'name="choice" value="decline"' in html
    assert store.quiz_history(uid) == [] and store_probe.table_counts(store)["pending_quiz"] == 1
    # Her "yes" goes to the account route, which saves it (tests/test_security_pages.py posts it for real).
    assert quiz.attach_pending(store, uid, token) is not None
    back = AppTest.from_file(ENTRY, default_timeout=20)  # the route's redirect: a new session
    back.session_state["lang"], back.session_state["user_id"] = "en", uid
    back.query_params["notice"] = "quiz_attached"
    back.run()
    assert i18n.t("quiz.save.attached", "en") in [s.body for s in back.success]
    assert i18n.t("account.pending.question", "en", time=when) not in page_text(back)
    assert "notice" not in back.query_params, "shown once: a reload does not repeat it"
    saved = store.latest_quiz_result(uid)
    assert saved["answers"]["questions"] == {"safety_stones": "yes", "processed_food": "most_days"}
    assert saved["safety_flags"] == ["kidney_stones"]
    assert store_probe.table_counts(store)["pending_quiz"] == 0
    # A new visit with the same cookie neither saves twice nor asks again.
    again = app(lang="en", user_id=uid)
    assert len(store.quiz_history(uid)) == 1
    assert i18n.t("account.pending.question", "en", time=when) not in page_text(again)


def test_changing_answers_after_parking_parks_them_again(app, store):
    at = app(lang="en", page=PAGE)
    at.radio(key="quiz_q_safety_stones").set_value("yes").run()
    _to_result(at)
    at.button(key="quiz_park").click().run()
    first = at.session_state["pending_quiz_token"]
    at.switch_page(PAGE).run()
    _change(at)
    at.radio(key="quiz_q_safety_stones").set_value("no").run()
    _to_result(at)
    at.button(key="quiz_park").click().run()
    second = at.session_state["pending_quiz_token"]
    assert second != first
    assert store.claim_pending_quiz(second)["questions"] == {"safety_stones": "no"}


def test_each_contributor_and_the_safety_advice_link_to_their_learn_section(app):
    at = app(lang="en", page=PAGE)
    at.radio(key="quiz_q_safety_heart").set_value("yes").run()
    _next(at)
    at.radio(key="quiz_q_coffee").set_value("5+").run()
    _next(at)
    at.radio(key="quiz_q_stress_duration").set_value("year").run()
    _to_result(at)
    links = [(el.proto.label, el.proto.page, el.proto.query_string) for el in at.get("page_link")]
    assert links == [
        (i18n.t("quiz.safety.learn", "en"), "learn", "section=safety"),
        (i18n.t("quiz.feedback.read_more", "en"), "learn", "section=stress"),
        (i18n.t("quiz.feedback.read_more", "en"), "learn", "section=what-you-can-do"),
    ]


def test_start_again_clears_every_answer(app):
    at = app(lang="en", page=PAGE)
    _to_result(at)
    assert not [b for b in at.button if b.key == "quiz_restart"]
    _change(at)
    at.radio(key="quiz_q_safety_heart").set_value("yes").run()
    _next(at)
    at.radio(key="quiz_q_coffee").set_value("5+").run()
    _to_result(at)
    at.button(key="quiz_restart").click().run()
    assert at.session_state["quiz_step"] == 0  # back at the first question
    assert at.radio(key="quiz_q_safety_heart").value is None
    assert at.session_state["quiz_answers"] == quiz.empty_answers()
    assert i18n.t("quiz.feedback.contributors_none", "en") in _summary(at)
    assert i18n.t("quiz.safety.title", "en") not in _summary(at)
    _next(at)
    assert at.radio(key="quiz_q_coffee").value is None


def test_back_for_another_look_she_sees_her_last_saved_answers(app, store):
    uid = store.create_user("anna", health_consent=True, timezone="Europe/Amsterdam")
    store.save_quiz_result(uid, quiz.score({"questions": {"safety_heart": "yes", "coffee": "5+"},
                                            "signals": {"muscles": 4}}))
    at = app(lang="en", user_id=uid, page=PAGE)
    assert not at.exception
    # Her last result first: the result screen, not step 1.
    assert at.subheader[0].value == i18n.t("quiz.result.title", "en")
    assert not [r for r in at.radio if r.key and r.key.startswith("quiz_q_")]
    text = _joined(at)
    assert quiz.contributor_text("coffee", "name", "en") in text
    assert len(at.error) == 1  # her safety advice again, first
    assert i18n.t("quiz.save.already_saved", "en") in text
    assert any(c.value.startswith(i18n.t("quiz.from_saved", "en", when="")[:30]) for c in at.caption)
    # She can change her answers: they are all there. A changed answer is hers to save as a new result.
    _change(at)
    assert at.radio(key="quiz_q_safety_heart").value == "yes"
    at.radio(key="quiz_q_safety_heart").set_value("no").run()
    _to_result(at)
    assert not at.error
    assert [b for b in at.button if b.key == "quiz_save"]
    assert not any(c.value.startswith(i18n.t("quiz.from_saved", "en", when="")[:30]) for c in at.caption)


def _go_to_step(at, step_id: str):
    """Click "next" or "back" until the step is shown."""
    target = [s["id"] for s in quiz.steps()].index(step_id)
    try:
        current = at.session_state["quiz_step"]
    except KeyError:  # not set before the first "next"
        current = 0
    if current == len(quiz.steps()):  # the result screen
        _change(at)
        current = 0
    for _ in range(abs(target - current)):
        at.button(key="quiz_next" if target > current else "quiz_back").click().run()


# Each new safety question: (answers by step, the flag it raises).
NEW_FLAGS = [
    ({"safety": {"safety_oral_magnesium": "yes", "safety_kidney": "yes"}}, "oral_magnesium_kidney"),
    ({"medical": {"laxative": "magnesium", "kidneys": "less_well"}}, "oral_magnesium_kidney"),
    ({"medical": {"diabetes": "yes"}}, "diabetes_feet"),
    ({"safety": {"safety_thyroid": "yes"}}, "levothyroxine"),
]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(("given", "flag"), NEW_FLAGS)
def test_each_new_safety_question_raises_its_flag_first_in_the_feedback(app, lang, given, flag):
    at = app(lang=lang, page=PAGE)
    for step_id, qs in given.items():
        _go_to_step(at, step_id)
        for qid, value in qs.items():
            at.radio(key=f"quiz_q_{qid}").set_value(value).run()
        # Something to rank, so that "first" means something.
        if step_id == "medical":
            at.radio(key="quiz_q_statin").set_value("yes").run()
    assert i18n.t("quiz.safety.title", lang) in _summary(at)
    _to_result(at)
    assert len(at.error) == 1
    assert quiz.safety_text(flag, lang) in at.error[0].body
    texts = _texts(at)
    advice = next(i for i, t in enumerate(texts) if quiz.safety_text(flag, lang) in t)
    contributors = texts.index(f"**{i18n.t('quiz.feedback.contributors_title', lang)}**")
    assert advice < contributors


def test_a_statin_is_listed_as_a_possible_contributor_not_a_likely_one(app):
    at = app(lang="nl", page=PAGE)
    _go_to_step(at, "medical")
    at.radio(key="quiz_q_statin").set_value("yes").run()
    assert quiz.contributor_text("statin", "name", "nl") in _summary(at)
    _to_result(at)
    text = _joined(at)
    assert quiz.contributor_text("statin", "name", "nl") in text
    assert "Mogelijke factoren" in text and "aarschijnlijk" not in text


def test_an_old_saved_result_opens_in_todays_questions(app, store):
    # Saved by the quiz of version "quiz-2026-12": old answer codes, scored the old way.
    uid = store.create_user("anna", health_consent=True, timezone="Europe/Amsterdam")
    store.save_quiz_result(uid, {
        "version": "quiz-2026-12+signals-2026-11",
        "answers": {"questions": {"gut_loss": "no", "alcohol": "1-7", "diabetes": "yes"}, "signals": {"muscles": 3}},
        "signal_score": 75.0, "signal_band": "many", "mds": 0, "safety_flags": [],
        "contributors": [{"id": "alcohol", "kind": "possible", "weight": 1, "strength": 1.0, "score": 1.0,
                          "learn": "what-you-can-do", "mds_points": 0}],
    })
    at = app(lang="en", user_id=uid, page=PAGE)
    assert not at.exception
    # Today's safety advice from her old answers, at once.
    assert quiz.safety_text("diabetes_feet", "en") in at.error[0].body
    text = _joined(at)
    assert i18n.t("quiz.history.first", "en") in text  # the old row is in her history, as computed then
    _go_to_step(at, "food")
    assert at.radio(key="quiz_q_alcohol").value == "1-9"
    _go_to_step(at, "medical")
    assert at.radio(key="quiz_q_laxative").value == "no" and at.radio(key="quiz_q_diarrhoea").value == "no"
