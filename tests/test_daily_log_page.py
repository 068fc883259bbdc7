"""The daily log page in AppTest: a valid save, each invalid case, and replacing a day only after confirming."""

from __future__ import annotations

import datetime as dt

import pytest

from lib import challenge_service as svc
from lib import i18n
from lib.signals import rating_columns
from tests.factories import pre_test
from tests.page_text import day_picker, page_text, rate, rating_scales

PAGE = "pages/daily_log.py"
TODAY = dt.date(2026, 3, 12)
PRE = pre_test()


@pytest.fixture(autouse=True)
def fixed_today(configure):
    configure(fixed_today=TODAY)


def _participant(store, *, start=TODAY - dt.timedelta(days=3), with_baseline=False):
    uid = store.create_user("anna")
    res = svc.start_challenge(store, uid, {"with_baseline": with_baseline, "start_date": start,
                                           "method": "oil_spray", "planned_amount": 10, "goal": ""}, PRE, TODAY)
    assert res.ok, res.problems
    return uid


def _fill(at, *, applied=True, sleep=7, coffee=2, note="Rustige dag"):
    day = day_picker(at).value.isoformat()
    if applied is not None:
        at.radio(key=f"log_applied_{day}").set_value(applied)
    rate(at, day, sleep_quality=sleep)
    at.number_input(key=f"log_coffee_{day}").set_value(coffee)
    at.text_area(key=f"log_note_{day}").set_value(note)
    return day


def _save(at):
    at.button[[b.label for b in at.button].index(i18n.t("log.save", at.session_state["lang"]))].click().run()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_valid_entry_is_saved_with_streak_and_days_left(app, store, lang):
    uid = _participant(store)
    at = app(lang=lang, user_id=uid, page=PAGE)
    assert not at.exception
    assert day_picker(at).value == TODAY
    _fill(at)
    _save(at)
    assert not at.exception
    row = store.daily_log(uid, TODAY.isoformat())
    assert row["sleep_quality"] == 7 and row["coffee_cups"] == 2 and row["applied"] == 1
    assert row["method"] == "oil_spray" and row["amount"] == 10 and row["phase"] == "magnesium"
    text = page_text(at)
    assert i18n.plural("log.streak", 1, lang) in text
    assert i18n.plural("challenge.countdown_magnesium", 10, lang) in text, "magnesium days, said so"


def test_logged_out_sees_the_login_note(app):
    at = app(lang="en", page=PAGE)
    assert not at.exception
    assert i18n.t("common.login_needed", "en") in page_text(at)


def test_without_a_challenge_she_is_sent_to_the_challenge_page(app, store):
    uid = store.create_user("bea")
    at = app(lang="nl", user_id=uid, page=PAGE)
    assert i18n.t("log.no_challenge", "nl") in page_text(at)


def test_replacing_a_day_asks_first_and_keeping_changes_nothing(app, store):
    uid = _participant(store)
    at = app(lang="nl", user_id=uid, page=PAGE)
    _fill(at, sleep=4, note="eerste")
    _save(at)
    first = store.daily_log(uid, TODAY.isoformat())
    at = app(lang="nl", user_id=uid, page=PAGE)
    assert i18n.t("log.already", "nl") in page_text(at)
    _fill(at, sleep=9, note="tweede")
    _save(at)
    assert not at.exception
    assert i18n.t("log.confirm_title", "nl") in page_text(at)
    table = "\n".join(h.proto.body for h in at.get("html"))  # the comparison: escaped HTML, never Markdown
    assert "eerste" in table and "tweede" in table
    assert store.daily_log(uid, TODAY.isoformat()) == first  # nothing overwritten yet
    at.button(key="log_keep").click().run()
    assert store.daily_log(uid, TODAY.isoformat()) == first
    _fill(at, sleep=9, note="tweede")
    _save(at)
    at.button(key="log_replace").click().run()
    assert not at.exception
    row = store.daily_log(uid, TODAY.isoformat())
    assert row["sleep_quality"] == 9 and row["note"] == "tweede"
    assert i18n.t("log.replaced", "nl", day="12 maart 2026") in page_text(at)


@pytest.mark.parametrize(("field", "value", "key", "params"), [
    ("coffee", 31, "coffee_cups_range", {"max": 30}),
    ("coffee", -1, "coffee_cups_range", {"max": 30}),
    ("alcohol", 99, "alcohol_glasses_range", {"max": 30}),
    ("relaxation", 2000, "relaxation_minutes_range", {"max": 1440}),
    ("amount", 1000, "amount_range", {"max": 100}),
    ("note", "x" * 1001, "too_long", {"limit": 1000, "length": 1001}),
    ("applied", None, "applied_missing", {}),
])
def test_each_invalid_field_gets_a_message_and_nothing_is_saved(app, store, field, value, key, params):
    uid = _participant(store)
    at = app(lang="en", user_id=uid, page=PAGE)
    day = _fill(at)
    if field == "note":
        at.text_area(key=f"log_note_{day}").set_value(value)
    elif field == "applied":
        at = app(lang="en", user_id=uid, page=PAGE)  # untouched yes/no
        rate(at, day, sleep_quality=6)
    else:
        at.number_input(key=f"log_{field}_{day}").set_value(value)
    _save(at)
    assert not at.exception
    assert i18n.t(f"validation.{key}", "en", **params) in page_text(at)
    assert store.daily_log(uid, day) is None


def test_a_note_with_markup_is_stored_as_typed_and_shown_inert(app, store):
    uid = _participant(store)
    at = app(lang="nl", user_id=uid, page=PAGE)
    note = "<script>alert(1)</script> **vet** [link](http://x) 🌿 a|b\nregel 2"
    _fill(at, note=note)
    _save(at)
    assert store.daily_log(uid, TODAY.isoformat())["note"] == note
    at = app(lang="nl", user_id=uid, page=PAGE)
    _fill(at, note="nieuw")
    _save(at)
    table = "\n".join(h.proto.body for h in at.get("html") if "mg-compare" in h.proto.body)
    # Escaped HTML, so the browser shows it as text; a line break cannot break the comparison table.
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **vet** [link](http://x) 🌿 a|b regel 2" in table
    assert not any("script" in m.value for m in at.markdown), "never Markdown"


def test_a_missed_day_can_be_filled_in_later_but_only_challenge_days_are_offered(app, store):
    uid = _participant(store)
    at = app(lang="nl", user_id=uid, page=PAGE)
    options = day_picker(at).options
    assert len(options) == 4  # the start three days back up to today; no future day, none before the start
    assert options[0] == "Vandaag" and options[-1] == "9 maart"  # short names: whole on a phone at any size
    day_picker(at).set_value(dt.date(2026, 3, 10)).run()
    _fill(at, note="later ingevuld")
    _save(at)
    assert store.daily_log(uid, "2026-03-10")["note"] == "later ingevuld"


def test_in_the_baseline_week_there_is_no_magnesium_question(app, store):
    uid = _participant(store, with_baseline=True)
    at = app(lang="en", user_id=uid, page=PAGE)
    day = _fill(at, applied=None)
    assert f"log_applied_{day}" not in [r.key for r in at.radio]
    assert i18n.t("log.where_baseline", "en", n=4) in page_text(at)
    _save(at)
    row = store.daily_log(uid, day)
    assert row["phase"] == "baseline" and row["applied"] == 0


def test_a_rating_she_did_not_tap_is_stored_as_empty_and_shown_untapped_again(app, store):
    uid = _participant(store)
    at = app(lang="nl", user_id=uid, page=PAGE)
    day = day_picker(at).value.isoformat()
    assert rating_scales(at) == {c: None for c in rating_columns()}, "none preset"
    at.radio(key=f"log_applied_{day}").set_value(True)
    rate(at, day, energy=0)  # a real 0 is a rating, not "empty"
    at.run()
    rate(at, day, mood=5)
    at.run()
    assert rating_scales(at)["mood"] == 5
    rate(at, day, mood=None)  # the chosen number tapped again: not rated after all
    at.run()
    assert rating_scales(at)["mood"] is None
    _save(at)
    row = store.daily_log(uid, day)
    assert row["energy"] == 0
    assert all(row[c] is None for c in rating_columns() if c != "energy")
    at = app(lang="nl", user_id=uid, page=PAGE)  # back later: her 0 is there, the rest still untapped
    assert rating_scales(at)["energy"] == 0
    assert rating_scales(at)["mood"] is None


def test_the_question_names_the_day_she_picked(app, store):
    uid = _participant(store)
    at = app(lang="en", user_id=uid, page=PAGE)
    assert i18n.t("log.how_today", "en") in page_text(at)
    day_picker(at).set_value(dt.date(2026, 3, 10)).run()
    assert i18n.t("log.how_day", "en", day="10 March") in page_text(at)
    assert i18n.t("log.how_today", "en") not in page_text(at)


def test_her_amount_reads_as_she_counts_it(app, store):
    # Sprays are counted whole ("10", as on the start form), not shown as "10.00".
    uid = _participant(store)
    at = app(lang="nl", user_id=uid, page=PAGE)
    amount = [n for n in at.number_input if n.key.startswith("log_amount")][0]
    assert amount.value == 10
    assert amount.proto.format == "%.0f"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_line_under_the_day_picker_says_whether_the_chosen_day_is_logged(app, store, lang):
    """The picker's options are short ("Vandaag", "10 maart"); whether a day is logged is a line of its own
    under it, so large text on a phone never cuts it off."""
    uid = _participant(store)
    at = app(lang=lang, user_id=uid, page=PAGE)

    def state(day: dt.date, key: str) -> str:
        from lib import locales

        return i18n.t("log.day_state", lang, day=locales.date_long(day, lang), state=i18n.t(key, lang))

    captions = [c.value for c in at.caption]
    assert state(TODAY, "log.day_open") in captions
    assert day_picker(at).options[0] == i18n.t("log.day_today", lang).capitalize()
    _fill(at)
    _save(at)
    captions = [c.value for c in at.caption]
    assert state(TODAY, "log.day_logged") in captions and state(TODAY, "log.day_open") not in captions
    day_picker(at).set_value(dt.date(2026, 3, 10)).run()
    assert state(dt.date(2026, 3, 10), "log.day_open") in [c.value for c in at.caption]
