"""The Challenge page in AppTest: start with the pre-test, start magnesium, post-test, end early, in nl and en."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from lib import challenge_service as svc
from lib import clock, i18n, locales, reminders
from lib.signals import signals
from tests import store_probe
from tests.page_text import page_text

PAGE = "pages/challenge.py"
TODAY = dt.date(2026, 3, 12)
PRE = {s.id: 2 for s in signals()}


@pytest.fixture(autouse=True)
def fixed_today(configure):
    configure(fixed_today=TODAY)


def _answer(at, prefix: str, value: int = 3) -> None:
    for s in signals():
        at.radio(key=f"{prefix}_{s.id}").set_value(value)


def _start(store, uid, *, start=TODAY, with_baseline=False):
    res = svc.start_challenge(store, uid, {"with_baseline": with_baseline, "start_date": start, "method": "lotion",
                                           "planned_amount": 5, "goal": ""}, PRE, start)
    assert res.ok, res.problems
    return res.challenge_id


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_visitor_reads_what_it_is_and_that_she_needs_an_account(app, lang):
    at = app(lang=lang, page=PAGE)
    assert not at.exception
    text = page_text(at)
    assert i18n.t("challenge.login_intro", lang) in text and i18n.t("common.login_needed", lang) in text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_she_starts_with_a_baseline_week_and_the_pre_test(app, store, lang):
    uid = store.create_user("anna")
    at = app(lang=lang, user_id=uid, page=PAGE)
    assert not at.exception
    assert i18n.t("challenge.choose_why", lang) in page_text(at)
    assert at.radio(key="start_baseline").value is True  # the recommended choice is the default
    at.selectbox(key="start_method").set_value("foot_bath")
    at.run()
    assert at.number_input(key="start_amount").label == i18n.t(
        "challenge.amount", lang, unit=i18n.t("challenge.unit_minutes", lang)) + " *", "marked as required"
    assert at.number_input(key="start_amount").value == 20, "a foot bath's usual amount is filled in"
    at.number_input(key="start_amount").set_value(25)
    at.run()
    at.number_input(key="start_amount").set_value(20)
    at.text_input(key="start_goal").set_value("<b>beter slapen</b>")
    _answer(at, "pre")
    at.button(key="start_submit").click().run()
    assert not at.exception
    assert i18n.t("challenge.started", lang) in page_text(at)
    ch = store.active_challenge(uid)
    assert ch["with_baseline"] == 1 and ch["method"] == "foot_bath" and ch["amount_unit"] == "minutes"
    assert ch["planned_amount"] == 20 and ch["start_date"] == TODAY.isoformat() and ch["goal"] == "<b>beter slapen</b>"
    assert store.assessments(uid, ch["id"])["pre"]["answers"] == {s.id: 3 for s in signals()}
    text = page_text(at)
    assert i18n.t("challenge.status_baseline", lang, n=1) in text
    assert i18n.t("challenge.goal_line", lang, goal="<b>beter slapen</b>") in [e.value for e in at.text], (
        "her goal is shown as plain text")
    assert at.get("download_button")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_start_date_is_one_of_the_eight_allowed_days_written_out_in_her_language(app, store, lang):
    uid = store.create_user("anna")
    at = app(lang=lang, user_id=uid, page=PAGE)
    box = at.selectbox(key="start_date")
    days = [TODAY - dt.timedelta(days=i) for i in range(8)]
    assert box.value == TODAY, "today is chosen until she picks another day"
    for key in ("start_date", "start_method", "start_primary"):  # no English "Choose an option" on a Dutch page
        assert at.selectbox(key=key).proto.placeholder == i18n.t("common.choose_one", lang), key
    expected = [i18n.t("challenge.start_date_today", lang, date=locales.date_full(TODAY, lang))]
    expected += [locales.date_full(d, lang) for d in days[1:]]
    assert box.options == expected
    assert ("donderdag 5 maart 2026" if lang == "nl" else "Thursday, 5 March 2026") in box.options
    box.set_value(days[7])
    _answer(at, "pre")
    at.button(key="start_submit").click().run()
    assert not at.exception
    assert store.active_challenge(uid)["start_date"] == days[7].isoformat()


def test_an_incomplete_start_names_each_problem_and_starts_nothing(app, store):
    uid = store.create_user("anna")
    at = app(lang="en", user_id=uid, page=PAGE)
    at.number_input(key="start_amount").set_value(None)  # she empties the suggested amount
    at.radio(key="pre_sleep").set_value(1)
    at.button(key="start_submit").click().run()
    text = page_text(at)
    assert i18n.t("validation.amount_missing", "en") in text
    assert i18n.t("validation.signals_missing", "en", n=7) in text
    assert store.challenges(uid) == []


def _under(at, key: str) -> list[str]:
    """The error messages in the keyed container right under a field."""
    box = at.get_container(key) if hasattr(at, "get_container") else None
    if box is None:
        found = []

        def walk(node):
            if getattr(node, "key", None) == key or getattr(getattr(node, "proto", None), "id", "").endswith(key):
                found.append(node)
            for child in getattr(node, "children", {}).values():
                walk(child)

        walk(at._tree)
        box = found[0] if found else None
    return [e.body for e in box.error] if box is not None else []


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_each_start_problem_stands_at_its_field_and_goes_once_fixed(app, store, lang):
    uid = store.create_user("anna")
    at = app(lang=lang, user_id=uid, page=PAGE)
    for label in (at.selectbox(key="start_date").label, at.selectbox(key="start_method").label,
                  at.number_input(key="start_amount").label):
        assert label.endswith(" *"), label
    assert i18n.t("challenge.required_note", lang) in page_text(at)
    assert [e.body for e in at.error] == [], "nothing is wrong before she presses Start"
    at.number_input(key="start_amount").set_value(None).run()
    at.button(key="start_submit").click().run()
    missing = i18n.t("validation.amount_missing", lang)
    assert _under(at, "start_err_planned_amount") == [missing]
    assert _under(at, "start_err_signals") == [i18n.t("validation.signals_missing", lang, n=8)]
    order = _drawn(at)
    amount_label = at.number_input(key="start_amount").label
    pretest = i18n.t("challenge.pretest_title", lang) + " *"
    assert order.index(amount_label) + 1 == order.index(missing) < order.index(pretest), (
        "the message is right under the amount, not under the button")
    assert i18n.t("challenge.invalid_above", lang) in page_text(at)
    # She fills in the amount: its message goes at once, the test's stays until she answers it.
    at.number_input(key="start_amount").set_value(8).run()
    assert _under(at, "start_err_planned_amount") == [] and missing not in page_text(at)
    _answer(at, "pre")
    at.run()
    assert _under(at, "start_err_signals") == []
    at.button(key="start_submit").click().run()
    assert store.active_challenge(uid)["planned_amount"] == 8


def test_each_method_fills_in_its_usual_amount_until_she_types_her_own(app, store):
    from lib import challenge as rules

    uid = store.create_user("anna")
    at = app(lang="en", user_id=uid, page=PAGE)
    assert at.number_input(key="start_amount").value == 10, "ten sprays of oil"
    for method, amount in rules.SUGGESTED_AMOUNT.items():
        at.selectbox(key="start_method").set_value(method).run()
        assert at.number_input(key="start_amount").value == amount, method
    at.selectbox(key="start_method").set_value("other").run()
    assert at.number_input(key="start_amount").value is None, "other: she says what she uses"
    at.number_input(key="start_amount").set_value(3).run()
    at.selectbox(key="start_method").set_value("lotion").run()
    assert at.number_input(key="start_amount").value == 3, "her own amount is never overwritten"


def _drawn(at) -> list[str]:
    """The texts of the page's elements in the order they are drawn."""
    out: list[str] = []

    def walk(node):
        children = getattr(node, "children", None)
        if children is None:
            for attr in ("value", "body", "label"):
                value = getattr(node, attr, None)
                if isinstance(value, str):
                    out.append(value)
                    return
            return
        for key in sorted(children):
            walk(children[key])

    walk(at.main)
    return out


def _saved_quiz(store, uid, signals_answers: dict, **questions) -> None:
    from lib import quiz

    store.save_quiz_result(uid, quiz.score({"questions": questions, "signals": signals_answers}))


def test_a_recent_quiz_result_fills_the_pre_test_and_repeats_the_safety_advice(app, store, configure):
    from lib import quiz

    uid = store.create_user("anna", health_consent=True)
    configure(fixed_today=TODAY - dt.timedelta(days=2))
    _saved_quiz(store, uid, {s.id: 4 for s in signals()}, safety_kidney="yes")
    configure(fixed_today=TODAY)
    at = app(lang="nl", user_id=uid, page=PAGE)
    text = page_text(at)
    assert i18n.t("challenge.safety_again", "nl") in text and quiz.safety_text("kidney", "nl") in text
    at.button(key="start_reuse").click().run()
    assert all(at.radio(key=f"pre_{s.id}").value == 4 for s in signals())
    assert i18n.t("challenge.reused", "nl") in page_text(at)


def test_an_old_quiz_is_not_offered_for_reuse_but_its_safety_advice_still_shows(app, store, configure):
    uid = store.create_user("anna", health_consent=True)
    at = app(lang="nl", user_id=uid, page=PAGE)
    assert "start_reuse" not in [b.key for b in at.button]
    configure(fixed_today=TODAY - dt.timedelta(days=40))
    _saved_quiz(store, uid, {s.id: 1 for s in signals()}, safety_heart="yes")
    configure(fixed_today=TODAY)
    at = app(lang="nl", user_id=uid, page=PAGE)
    assert "start_reuse" not in [b.key for b in at.button]
    assert i18n.t("challenge.safety_again", "nl") in page_text(at)


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(("questions", "flag"), [
    ({"safety_oral_magnesium": "yes", "kidneys": "less_well"}, "oral_magnesium_kidney"),
    ({"laxative": "magnesium", "safety_kidney": "yes"}, "oral_magnesium_kidney"),
    ({"safety_thyroid": "yes"}, "levothyroxine"),
    ({"diabetes": "yes"}, "diabetes_feet"),
])
def test_the_new_safety_flags_show_before_the_start_whatever_the_method(app, store, lang, questions, flag):
    from lib import quiz

    uid = store.create_user("anna", health_consent=True)
    _saved_quiz(store, uid, {}, **questions)
    at = app(lang=lang, user_id=uid, page=PAGE)
    for method in ("lotion", "foot_bath", "oil_spray", "bath_flakes"):
        at.selectbox(key="start_method").set_value(method)
        at.run()
        assert not at.exception
        advice = at.error[0].body
        assert quiz.safety_text(flag, lang) in advice, method
        assert i18n.t("challenge.safety_again", lang) in advice
        # First of all: above the choice of how to start, the method and the start button.
        order = _drawn(at)
        advice_at = next(i for i, t in enumerate(order) if quiz.safety_text(flag, lang) in t)
        assert advice_at < order.index(i18n.t("challenge.choose_title", lang))


def test_a_quiz_saved_before_the_diabetes_flag_existed_still_warns_before_a_foot_bath(app, store):
    from lib import quiz

    uid = store.create_user("anna", health_consent=True)
    store.save_quiz_result(uid, {  # as the quiz of version "quiz-2026-12" saved it: no flag for diabetes
        "version": "quiz-2026-12+signals-2026-11", "answers": {"questions": {"diabetes": "yes", "gut_loss": "no"},
                                                               "signals": {}},
        "signal_score": None, "signal_band": None, "mds": 0, "safety_flags": [], "contributors": []})
    at = app(lang="nl", user_id=uid, page=PAGE)
    assert not at.exception
    assert quiz.safety_text("diabetes_feet", "nl") in at.error[0].body


def test_a_warm_water_method_shows_the_temperature_advice_even_without_a_quiz(app, store):
    uid = store.create_user("anna")
    at = app(lang="en", user_id=uid, page=PAGE)
    assert i18n.t("challenge.warm_water", "en") not in page_text(at)  # oil spray, the default: no warm water
    for method in ("foot_bath", "bath_flakes"):
        at.selectbox(key="start_method").set_value(method)
        at.run()
        assert i18n.t("challenge.warm_water", "en") in page_text(at), method


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_on_baseline_day_7_she_is_asked_to_start_magnesium(app, store, lang):
    uid = store.create_user("anna")
    cid = _start(store, uid, start=TODAY - dt.timedelta(days=6), with_baseline=True)
    at = app(lang=lang, user_id=uid, page=PAGE)
    assert not at.exception
    text = page_text(at)
    assert i18n.t("challenge.status_baseline", lang, n=7) in text and i18n.t("challenge.mg_ask", lang) in text
    assert [b.label for b in at.button if b.key.startswith("mg_submit")] == [
        i18n.t("challenge.mg_start_today", lang, date=_fmt(TODAY, lang)),
        i18n.t("challenge.mg_start_tomorrow", lang, date=_fmt(TODAY + dt.timedelta(days=1), lang))]
    at.button(key="mg_submit_2026-03-13").click().run()
    assert store_probe.challenge(store, uid, cid)["magnesium_start"] == "2026-03-13"


def _fmt(day, lang):
    from lib.progress_view import format_date

    return format_date(day, lang)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_after_she_chooses_tomorrow_the_page_says_her_day_and_never_by_itself(app, store, lang):
    """Baseline day 5: one possible day (tomorrow) is one button, not a radio with one option; once chosen,
    the page names her day and no longer says it would start by itself."""
    uid = store.create_user("anna")
    cid = _start(store, uid, start=TODAY - dt.timedelta(days=4), with_baseline=True)
    at = app(lang=lang, user_id=uid, page=PAGE)
    tomorrow = TODAY + dt.timedelta(days=1)
    assert not at.radio, "no radio with a single option"
    assert [b.label for b in at.button if b.key.startswith("mg_submit")] == [
        i18n.t("challenge.mg_start_tomorrow", lang, date=_fmt(tomorrow, lang))]
    by_itself = i18n.t("challenge.mg_by_itself", lang, date=_fmt(TODAY + dt.timedelta(days=3), lang))
    assert by_itself in page_text(at)
    at.button(key=f"mg_submit_{tomorrow.isoformat()}").click().run()
    assert store_probe.challenge(store, uid, cid)["magnesium_start"] == tomorrow.isoformat()
    text = page_text(at)
    assert i18n.t("challenge.mg_chosen", lang, date=_fmt(tomorrow, lang)) in text
    assert by_itself not in text
    for stale in ("challenge.mg_by_itself", "challenge.mg_wait"):
        assert i18n.t(stale, lang, date="§").split("§")[0] not in text, stale


def test_the_calendar_file_is_flagged_outdated_when_day_1_moves_and_the_new_one_is_offered(app, store, configure):
    """Downloaded on baseline day 5 (day 14 then on the 21st); magnesium day 1 moved to tomorrow: day 14 is
    now the 19th. The page says so plainly, and the new file holds the new dates."""
    from lib.store import open_store

    today = dt.date(2026, 12, 5)
    configure(fixed_today=today)
    uid = store.create_user("anna")
    cid = _start(store, uid, start=today - dt.timedelta(days=4), with_baseline=True)
    at = app(lang="en", user_id=uid, page=PAGE)
    assert i18n.t("challenge.ics_current", "en") not in page_text(at), "no file downloaded yet"
    old = Calendar.from_ical(svc.calendar_file(open_store, uid, cid, "en", "Europe/Amsterdam", today))
    assert [e.decoded("dtstart") for e in old.walk("VEVENT")][1] == dt.date(2026, 12, 21)
    at.run()
    assert i18n.t("challenge.ics_current", "en") in page_text(at)
    at.button(key="mg_submit_2026-12-06").click().run()
    text = page_text(at)
    assert i18n.t("challenge.ics_outdated", "en") in text
    assert i18n.t("challenge.ics_moved_last", "en", old="21 December 2026", new="19 December 2026") in text
    assert i18n.t("challenge.ics_moved_post", "en", old="21 December 2026", new="19 December 2026") in text
    assert at.get("download_button")[0].proto.label == i18n.t("challenge.ics_button_new", "en")
    new = Calendar.from_ical(svc.calendar_file(open_store, uid, cid, "en", "Europe/Amsterdam", today))
    daily, post = list(new.walk("VEVENT"))
    assert post.decoded("dtstart") == dt.date(2026, 12, 19)
    assert daily["rrule"]["UNTIL"][0].date() == dt.date(2026, 12, 19)
    assert int(daily["sequence"]) == 1 and int(old.walk("VEVENT")[0]["sequence"]) == 0, "calendars take the update"
    at.run()
    assert i18n.t("challenge.ics_outdated", "en") not in page_text(at)


def test_before_baseline_day_5_magnesium_cannot_start_yet(app, store):
    uid = store.create_user("anna")
    _start(store, uid, start=TODAY - dt.timedelta(days=2), with_baseline=True)
    at = app(lang="en", user_id=uid, page=PAGE)
    assert "mg_submit" not in [b.key for b in at.button]
    assert i18n.t("challenge.mg_wait", "en", date="17 March 2026") in page_text(at)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_post_test_opens_on_day_14_closes_the_challenge_and_leads_to_the_finish(app, store, lang):
    uid = store.create_user("anna")
    cid = _start(store, uid, start=TODAY - dt.timedelta(days=13))
    at = app(lang=lang, user_id=uid, page=PAGE)
    assert i18n.t("challenge.status_day", lang, n=14) in page_text(at)
    _answer(at, "post", 1)
    at.button(key="post_submit").click().run()
    assert not at.exception
    assert store_probe.challenge(store, uid, cid)["status"] == "completed"
    assert store.assessments(uid, cid)["post"]["answers"] == {s.id: 1 for s in signals()}
    assert [h.value for h in at.header] == [i18n.t("challenge.finish_title", lang)]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_finish_screen_gives_her_result_in_plain_words_her_pdf_sharing_and_what_next(app, store, lang):
    from lib import wording
    from tests import factories

    uid = store.create_user("anna", health_consent=True)
    cid = factories.store_participant(store, uid, end=TODAY, lang=lang, finished=True)
    with store.write() as conn:  # she named her sleep as what matters most when she started
        conn.execute("UPDATE challenges SET primary_outcome = 'sleep_quality' WHERE id = ?", (cid,))
    at = app(lang=lang, user_id=uid, page=PAGE)
    assert not at.exception
    fin = svc.finished(store, uid, lang, TODAY)
    text = page_text(at)
    # Her headline: the verdict on the outcome she chose, in plain words; and the two tests.
    assert fin.headline in text
    assert fin.headline.startswith(wording.outcome_name("sleep_quality", lang)), fin.headline
    tests = i18n.t("progress.summary.prepost_down", lang, pre="_", post="_").split("_")[0]
    assert fin.tests and fin.tests.startswith(tests) and fin.tests in text
    assert [d.proto.label for d in at.get("download_button")] == [i18n.t("progress.download_pdf", lang)]
    share = at.toggle(key="finish_share")
    assert share.value is False
    share.set_value(True).run()
    assert store.get_user(uid)["share_with_practitioner"]
    for key in ("finish_keep_title", "finish_later_title"):
        assert i18n.t(f"challenge.{key}", lang) in text
    assert "start_submit" not in [b.key for b in at.button], "the finish, not a blank start"
    at.button(key="finish_new").click().run()
    assert at.button(key="start_submit") and at.radio(key="start_baseline").value is True


def test_no_finish_screen_after_a_challenge_ended_early(app, store):
    uid = store.create_user("anna")
    _start(store, uid, start=TODAY - dt.timedelta(days=3))
    svc.end_early(store, uid, TODAY)
    assert svc.finished(store, uid, "en", TODAY) is None
    at = app(lang="en", user_id=uid, page=PAGE)
    assert not at.header and at.button(key="start_submit")


def test_before_day_14_the_post_test_waits(app, store):
    uid = store.create_user("anna")
    _start(store, uid, start=TODAY - dt.timedelta(days=5))
    at = app(lang="en", user_id=uid, page=PAGE)
    assert "post_submit" not in [b.key for b in at.button]
    assert i18n.t("challenge.post_wait", "en", date="20 March 2026") in page_text(at)


def test_ending_early_needs_a_tick_and_then_a_new_challenge_can_start(app, store):
    uid = store.create_user("anna")
    cid = _start(store, uid, start=TODAY - dt.timedelta(days=3))
    at = app(lang="nl", user_id=uid, page=PAGE)
    assert at.button(key="end_submit").disabled
    at.checkbox(key="end_sure").check().run()
    at.button(key="end_submit").click().run()
    assert store_probe.challenge(store, uid, cid)["status"] == "ended_early"
    text = page_text(at)
    assert i18n.t("challenge.ended", "nl") in text and i18n.t("challenge.new_title", "nl") in text
    assert at.button(key="start_submit")


def test_the_calendar_file_reminds_every_evening_until_day_14():
    ch = {"id": 4, "start_date": "2026-03-25", "with_baseline": 0, "magnesium_start": None}
    cal = Calendar.from_ical(reminders.build_ics(ch, "nl", "Europe/Amsterdam", today=dt.date(2026, 3, 25)))
    events = [c for c in cal.walk("VEVENT")]
    daily = events[0]
    assert daily.decoded("dtstart") == dt.datetime(2026, 3, 25, 20, 30, tzinfo=clock.zone("Europe/Amsterdam"))
    until = daily["rrule"]["UNTIL"][0]
    # 7 April 20:30 in summer time (the clocks moved on 29 March) is 18:30 UTC.
    assert until == dt.datetime(2026, 4, 7, 18, 30, tzinfo=dt.UTC)
    assert daily.walk("VALARM")
    assert str(daily["summary"]) == i18n.t("challenge.ics_daily_title", "nl")
    assert events[1].decoded("dtstart") == dt.date(2026, 4, 7)
