"""A newcomer on a phone takes the quiz, sees her feedback at once, signs up, and finds the result saved."""

import pytest

from lib import i18n, quiz, signals
from lib.store import Store
from tests.browser.harness import ARTIFACTS_DIR, SESSION_COOKIE, _submit_account_form, open_app, wait_for_app

PHONE = {"width": 390, "height": 844}


def _open_quiz(page, server) -> None:
    # The home page first: on a server nobody has visited yet, a deep link's first load runs the page
    # file on its own, before the app's navigation is known (Streamlit's pages/ discovery).
    open_app(page, server)
    open_app(page, server, "quiz")
    page.get_by_role("button", name=i18n.t("quiz.next", "nl")).wait_for()


def _answer(page, question: str, option: str) -> None:
    widget = page.get_by_test_id("stMain").get_by_test_id("stRadio").filter(has_text=question)
    widget.get_by_test_id("stRadioOption").get_by_text(option, exact=True).click()
    wait_for_app(page)


def _q(qid: str) -> dict:
    return next(q for q in quiz.questions() if q["id"] == qid)


def _answer_q(page, qid: str, option: str, lang: str = "nl") -> None:
    q = _q(qid)
    _answer(page, quiz.question_text(q, lang), quiz.option_labels(q, lang)[option])


def _next(page, lang: str = "nl") -> None:
    page.get_by_role("button", name=i18n.t("quiz.next", lang)).click()
    wait_for_app(page)


def _assert_scale_rows_fit(page) -> None:
    """Every signal question shows its five options on one row inside the screen."""
    # The step before may still be on screen for a moment while the signal step is drawn: wait for it.
    page.wait_for_function(
        "n => document.querySelectorAll('[data-testid=stMain] [data-testid=stRadio] [role=radiogroup]').length === n",
        arg=len(signals.signals()))
    groups = page.get_by_test_id("stMain").get_by_test_id("stRadio").locator('[role="radiogroup"]')
    assert groups.count() == len(signals.signals())
    width = page.viewport_size["width"]
    for i in range(groups.count()):
        group = groups.nth(i)
        options = group.get_by_test_id("stRadioOption")
        assert options.count() == 5
        boxes = [options.nth(j).bounding_box() for j in range(5)]
        tops = {round(b["y"]) for b in boxes}
        assert len(tops) == 1, f"signal {i}: options on more than one row: {boxes}"
        assert max(b["x"] + b["width"] for b in boxes) <= width, f"signal {i}: wider than the screen"


SUMMARY = ".st-key-quiz_summary"


def _summary_in_sight(page, text: str) -> None:
    """The compact summary shows ``text`` and sits inside the screen, at its bottom, while she answers."""
    summary = page.locator(SUMMARY)
    summary.get_by_text(text).first.wait_for()
    box = summary.bounding_box()
    height = page.viewport_size["height"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= height + 1, f"summary out of sight: {box}"


@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_a_newcomer_takes_the_quiz_on_a_phone_signs_up_and_finds_it_saved(page, server):
    _open_quiz(page, server)
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS_DIR / "quiz-phone-step1.png"))
    _summary_in_sight(page, i18n.t("quiz.feedback.contributors_none", "nl"))

    # Safety: "no" everywhere but kidney stones; the summary says so at once, and nothing above her moves.
    for qid in ("safety_kidney", "safety_heart", "safety_myasthenia", "safety_pregnant", "safety_acute"):
        _answer_q(page, qid, "no")
    assert page.get_by_test_id("stAlertContentError").count() == 0
    stones = page.get_by_test_id("stMain").get_by_test_id("stRadio").filter(
        has_text=quiz.question_text(_q("safety_stones"), "nl"))
    stones.evaluate("e => e.scrollIntoView({block: 'center'})")  # in sight, as she taps it
    before = stones.bounding_box()["y"]
    _answer_q(page, "safety_stones", "yes")
    _summary_in_sight(page, i18n.t("quiz.safety.title", "nl"))
    assert abs(stones.bounding_box()["y"] - before) < 1, "the question she tapped moved"
    assert page.get_by_test_id("stAlertContentError").count() == 0  # no box inserted anywhere
    page.screenshot(path=str(ARTIFACTS_DIR / "quiz-phone-safety-summary.png"))

    # "Next" sits below the questions; the next step starts at its top, not scrolled down.
    main_scroll = "document.querySelector('[data-testid=stMain]').scrollTop"
    page.get_by_role("button", name=i18n.t("quiz.next", "nl")).scroll_into_view_if_needed()
    assert page.evaluate(main_scroll) > 0
    _next(page)
    page.wait_for_function(f"{main_scroll} === 0")
    _answer_q(page, "coffee", "5+")
    _summary_in_sight(page, quiz.contributor_text("coffee", "name", "nl"))  # instant, no submit
    _answer_q(page, "alcohol", "10-19")
    _summary_in_sight(page, i18n.t("quiz.summary.mds", "nl", mds=1, known=1))  # heavy drinking, not said: >98 g
    _next(page)
    _answer_q(page, "stress_duration", "year")
    _answer_q(page, "stress_heavy", "heavy")
    _next(page)
    _answer_q(page, "ppi", "yes")
    _next(page)

    _assert_scale_rows_fit(page)
    labels = signals.frequency_labels("nl")
    for sig, value in zip(signals.signals()[:3], (4, 3, 2), strict=True):
        _answer(page, sig.text("question", "nl"), labels[value])
    _summary_in_sight(page, i18n.t("quiz.summary.signals", "nl", score="75",
                                   band=i18n.t("quiz.feedback.band_many", "nl")))
    _summary_in_sight(page, i18n.t("quiz.summary.mds", "nl", mds=2, known=2))

    # The result screen: her safety advice first, then everything her answers show, from the top.
    page.get_by_role("button", name=i18n.t("quiz.see_result", "nl")).last.click()
    wait_for_app(page)
    page.get_by_role("heading", name=i18n.t("quiz.result.title", "nl"), exact=True).wait_for()
    page.wait_for_function("document.querySelector('[data-testid=stMain]').scrollTop === 0")
    advice = page.get_by_test_id("stAlertContentError")
    advice.get_by_text(i18n.t("quiz.safety.title", "nl")).wait_for()
    assert advice.bounding_box()["y"] + 40 < page.viewport_size["height"], "the advice is on the first screen"
    page.get_by_text(i18n.t("quiz.feedback.signal_score", "nl", score="75",
                            band=i18n.t("quiz.feedback.band_many", "nl"), n=3)).wait_for()
    assert page.get_by_text(i18n.t("quiz.feedback.mds_partial", "nl", mds=2, known=2)).count() == 1
    page.screenshot(path=str(ARTIFACTS_DIR / "quiz-phone-result.png"))

    # Saving needs an account: her answers come along through the sign-up.
    page.get_by_text(i18n.t("quiz.save.anon", "nl")).wait_for()
    page.get_by_role("button", name=i18n.t("quiz.save.anon_button", "nl")).click()
    wait_for_app(page)
    page.wait_for_url("**/account")
    page.get_by_role("tab", name=i18n.t("account.tab_signup", "nl")).click()
    form = page.locator("#mg-signup")
    form.locator("input[name=username]").fill("nieuw.quiz")
    form.locator("input[name=display_name]").fill("Nieuw")
    form.locator("input[name=password]").fill("groene thee op zondag")
    form.locator("input[name=password2]").fill("groene thee op zondag")
    form.locator("input[name=consent]").check()
    _submit_account_form(page, "mg-signup")
    assert any(c["name"] == SESSION_COOKIE for c in page.context.cookies())

    # Asked first (on a shared computer it might be someone else's quiz); she says yes.
    page.locator("#mg-pending-add").wait_for()
    _submit_account_form(page, "mg-pending-add")
    page.get_by_text(i18n.t("quiz.save.attached", "nl")).wait_for()
    page.get_by_role("link", name=i18n.t("quiz.save.see_quiz", "nl")).click()
    wait_for_app(page)
    # Back as a participant: her saved result first, not step 1.
    page.get_by_role("heading", name=i18n.t("quiz.result.title", "nl"), exact=True).wait_for()
    assert page.locator(SUMMARY).count() == 0
    page.get_by_text(i18n.t("quiz.history.first", "nl")).wait_for()
    # Her result is on screen again, from the saved answers.
    page.get_by_text(quiz.contributor_text("coffee", "why", "nl")).wait_for()
    page.get_by_text(i18n.t("quiz.save.already_saved", "nl")).wait_for()

    store = Store(server.db_path)
    uid = store.user_by_username("nieuw.quiz")["id"]
    saved = store.latest_quiz_result(uid)
    assert saved["answers"]["questions"]["coffee"] == "5+"
    assert saved["signals"] == {"muscles": 4, "fatigue": 3, "sleep": 2}
    assert saved["mds"] == 2 and saved["safety_flags"] == ["kidney_stones"]
    assert len(store.quiz_history(uid)) == 1
    assert not page.console_errors or all("_stcore" in e or "404" in e for e in page.console_errors)


@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_the_signal_scale_fits_a_phone_in_english_too(page, server):
    _open_quiz(page, server)
    # On a phone the sidebar (with the language switch) is folded away: open it, switch, fold it again.
    page.get_by_test_id("stExpandSidebarButton").click()
    page.get_by_test_id("stSidebar").get_by_text(i18n.LANGUAGES["en"], exact=True).click()
    wait_for_app(page)
    page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
    page.get_by_role("button", name=i18n.t("quiz.next", "en")).wait_for()
    for _ in range(4):
        _next(page, "en")
    page.get_by_text(i18n.t("quiz.signals_intro", "en")).wait_for()
    _assert_scale_rows_fit(page)
