"""Home for a participant: where she is, whether today is logged, and the one next step, in nl and en."""

from __future__ import annotations

import datetime as dt

import pytest

from lib import challenge_service as svc
from lib import i18n, page_table, progress_view
from lib.signals import signals
from tests.page_text import page_text

TODAY = dt.date(2026, 3, 12)
PRE = {s.id: 2 for s in signals()}
LOG = {"applied": True, "method": "lotion", "amount": 5, "sleep_quality": 6}


@pytest.fixture(autouse=True)
def fixed_today(configure):
    configure(fixed_today=TODAY)


def _start(store, uid, days_back: int, with_baseline=False):
    start = TODAY - dt.timedelta(days=days_back)
    assert svc.start_challenge(store, uid, {"with_baseline": with_baseline, "start_date": start, "method": "lotion",
                                            "planned_amount": 5, "goal": ""}, PRE, start).ok


class _NextStep:
    """Home's one next step: a link drawn as the primary button (AppTest cannot click a link: ``click``
    opens the page it points to, as the browser does)."""

    def __init__(self, at, proto):
        self.at, self.label, self.page = at, proto.label, proto.page

    def click(self):
        return self.at.switch_page(f"pages/{PAGE_FILES[self.page]}")


PAGE_FILES = {row.url_path: row.file.removeprefix("pages/") for row in page_table.PAGES}
NEXT_LABELS = {"go_quiz", "next_quiz", "next_start", "next_log_today", "next_start_magnesium", "next_post_test",
               "next_progress", "next_finished"}


def _next(at):
    labels = {i18n.t(f"home.{k}", lang) for k in NEXT_LABELS for lang in i18n.LANGUAGES}
    links = [el.proto for el in at.get("page_link") if el.proto.label in labels]
    assert links, [el.proto.label for el in at.get("page_link")]
    return _NextStep(at, links[0])  # the first link after the menu


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_visitor_gets_the_quiz_as_next_step(app, lang):
    at = app(lang=lang)
    assert not at.exception
    assert _next(at).label == i18n.t("home.go_quiz", lang)
    _next(at).click().run()
    assert not at.exception


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_without_a_challenge_the_next_step_is_to_start_one(app, store, lang):
    uid = store.create_user("anna", display_name="Anna <3")
    at = app(lang=lang, user_id=uid)
    assert i18n.t("home.where_none", lang) in page_text(at)
    assert i18n.t("home.hello", lang, name="Anna <3") in [e.value for e in at.text]  # her name as plain text
    assert _next(at).label == i18n.t("home.next_start", lang)
    _next(at).click().run()
    assert i18n.t("challenge.title", lang) in [t.value for t in at.title]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_day_n_of_14_and_today_not_logged_leads_to_the_log(app, store, lang):
    uid = store.create_user("anna")
    _start(store, uid, 4)
    at = app(lang=lang, user_id=uid)
    text = page_text(at)
    assert i18n.t("home.where_day", lang, n=5) in text and i18n.t("home.today_open", lang) in text
    assert _next(at).label == i18n.t("home.next_log_today", lang)
    _next(at).click().run()
    assert i18n.t("log.title", lang) in [t.value for t in at.title]


def test_once_today_is_logged_home_says_so_and_moves_on(app, store):
    uid = store.create_user("anna")
    _start(store, uid, 4)
    for back in (1, 0):
        assert svc.save_log(store, uid, {**LOG, "day": TODAY - dt.timedelta(days=back)}, TODAY).status == "saved"
    at = app(lang="en", user_id=uid)
    text = page_text(at)
    assert i18n.t("home.today_logged", "en") in text
    assert i18n.plural("home.streak", 2, "en") in text and i18n.plural("challenge.countdown_magnesium", 9, "en") in text
    assert _next(at).label == i18n.t("home.next_progress", "en")


def test_baseline_day_7_asks_for_magnesium_after_the_log(app, store):
    uid = store.create_user("anna")
    _start(store, uid, 6, with_baseline=True)
    at = app(lang="nl", user_id=uid)
    assert i18n.t("home.where_baseline", "nl", n=7) in page_text(at)
    assert i18n.t("home.ask_magnesium", "nl") in page_text(at)
    assert _next(at).label == i18n.t("home.next_log_today", "nl")
    svc.save_log(store, uid, {"day": TODAY, "applied": False}, TODAY)
    at = app(lang="nl", user_id=uid)
    assert _next(at).label == i18n.t("home.next_start_magnesium", "nl")


def test_on_day_15_the_post_test_is_the_next_step(app, store):
    uid = store.create_user("anna")
    start = TODAY - dt.timedelta(days=14)
    store.create_challenge(uid, start_date=start.isoformat(), with_baseline=False, method="lotion")
    at = app(lang="en", user_id=uid)
    assert i18n.t("home.where_post", "en", n=15) in page_text(at)
    assert _next(at).label == i18n.t("home.next_post_test", "en")


def test_on_baseline_day_1_home_counts_baseline_days_not_twenty_days(app, store):
    uid = store.create_user("anna")
    _start(store, uid, 0, with_baseline=True)
    text = page_text(app(lang="en", user_id=uid))
    assert "20 days" not in text
    assert i18n.plural("challenge.countdown_baseline", 6, "en", days=14,
                       date=progress_view.format_date(TODAY + dt.timedelta(days=7), "en")) in text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_after_the_finish_home_shows_where_she_stands_not_a_blank_start(app, store, lang):
    from tests import factories

    uid = store.create_user("anna", health_consent=True)
    factories.store_participant(store, uid, end=TODAY, lang=lang, finished=True)
    status = svc.status(store, uid, TODAY)
    assert status.stage == "finished" and status.next_action == "finished"
    at = app(lang=lang, user_id=uid)
    text = page_text(at)
    fin = svc.finished(store, uid, lang, TODAY)
    assert i18n.t("home.where_finished", lang, date=progress_view.format_date(fin.ended_on, lang)) in text
    assert fin.headline in text
    assert i18n.t("home.where_none", lang) not in text
    assert _next(at).label == i18n.t("home.next_finished", lang)
