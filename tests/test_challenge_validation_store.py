"""Validation of every start and log field, and the store's day entry: ask before replacing, streaks."""

from __future__ import annotations

import datetime as dt

import pytest

from lib import challenge_service as svc
from lib import i18n, validation
from lib.signals import signals

TODAY = dt.date(2026, 3, 12)
PRE = {s.id: 1 for s in signals()}
CHALLENGE = {"id": 1, "start_date": "2026-03-09", "with_baseline": 0, "magnesium_start": None, "status": "active",
             "method": "oil_spray", "amount_unit": "sprays", "planned_amount": 10}
GOOD_LOG = {"day": TODAY, "applied": True, "method": "oil_spray", "amount": 8, "sleep_quality": 7, "energy": 6,
            "mood": 7, "muscle_tension": 4, "stress": 3, "headache": 0, "restless_legs": 1, "irritability": 2,
            "relaxation_minutes": 20, "coffee_cups": 2, "alcohol_glasses": 0, "note": "🌿 <b>goed</b>"}
GOOD_START = {"with_baseline": True, "start_date": TODAY, "method": "foot_bath", "planned_amount": 20, "goal": ""}


@pytest.fixture
def store(any_store):
    """These are service tests: they run on every backend (SQLite and tests/fake_store.py)."""
    return any_store


def test_a_good_log_entry_passes_unchanged():
    clean, problems = validation.check_log(GOOD_LOG, CHALLENGE, TODAY)
    assert problems == []
    assert clean["day"] == "2026-03-12" and clean["phase"] == "magnesium" and clean["applied"] == 1
    assert clean["note"] == "🌿 <b>goed</b>"  # stored as typed; shown inert


@pytest.mark.parametrize(("change", "key"), [
    ({"day": TODAY + dt.timedelta(days=1)}, "day_future"),
    ({"day": dt.date(2026, 3, 8)}, "day_before_start"),
    ({"day": "12-03-2026"}, "date_invalid"),
    ({"day": None}, "date_invalid"),
    ({"applied": None}, "applied_missing"),
    ({"applied": "yes"}, "applied_missing"),
    ({"method": "pill"}, "method_unknown"),
    ({"amount": -1}, "amount_range"),
    ({"amount": 101}, "amount_range"),
    ({"amount": float("nan")}, "amount_range"),
    ({"sleep_quality": 11}, "rating_range"),
    ({"energy": -1}, "rating_range"),
    ({"mood": 6.5}, "rating_range"),
    ({"stress": True}, "rating_range"),
    ({"headache": "veel"}, "rating_range"),
    ({"relaxation_minutes": 1441}, "relaxation_minutes_range"),
    ({"coffee_cups": 31}, "coffee_cups_range"),
    ({"coffee_cups": -2}, "coffee_cups_range"),
    ({"alcohol_glasses": 2.5}, "alcohol_glasses_range"),
    ({"note": "x" * 1001}, "too_long"),
    ({"note": "x" * 100_000}, "too_long"),
    ({"note": "a\x00b"}, "bad_characters"),
    ({"note": 12}, "not_text"),
])
def test_each_bad_log_field_is_named(change, key):
    _clean, problems = validation.check_log({**GOOD_LOG, **change}, CHALLENGE, TODAY)
    assert [p.key for p in problems] == [key]
    for lang in ("nl", "en"):  # every message exists in both languages, placeholders filled
        text = problems[0].message(lambda k, **kw: i18n.t(k, lang, **kw))
        assert text != f"validation.{key}" and "{" not in text


def test_a_note_of_exactly_1000_characters_is_fine_and_emoji_count_as_one():
    _clean, problems = validation.check_log({**GOOD_LOG, "note": "🌿" * 1000}, CHALLENGE, TODAY)
    assert problems == []


def test_magnesium_in_the_baseline_week_is_refused():
    baseline = {**CHALLENGE, "with_baseline": 1}
    _clean, problems = validation.check_log(GOOD_LOG, baseline, TODAY)
    assert [p.key for p in problems] == ["applied_in_baseline"]
    clean, problems = validation.check_log({**GOOD_LOG, "applied": False}, baseline, TODAY)
    assert problems == [] and clean["phase"] == "baseline" and clean["method"] is None


def test_no_challenge_no_log():
    assert [p.key for p in validation.check_log(GOOD_LOG, None, TODAY)[1]] == ["no_challenge"]


def test_a_good_start_passes():
    clean, problems = validation.check_start(GOOD_START, TODAY, has_active=False)
    assert problems == []
    assert clean == {"with_baseline": True, "start_date": "2026-03-12", "method": "foot_bath",
                     "amount_unit": "minutes", "planned_amount": 20.0, "goal": "", "primary_outcome": None}


def test_the_primary_outcome_is_fixed_on_the_challenge_when_it_starts(store):
    from lib import analysis
    from tests import store_probe

    uid = store.create_user("anna")
    bad = svc.start_challenge(store, uid, {**GOOD_START, "primary_outcome": "shoe_size"}, PRE, TODAY)
    assert not bad.ok and [p.key for p in bad.problems] == ["primary_unknown"]
    assert store.active_challenge(uid) is None  # bad input changes nothing
    cid = svc.start_challenge(store, uid, {**GOOD_START, "primary_outcome": "stress"}, PRE, TODAY).challenge_id
    challenge = store_probe.challenge(store, uid, cid)
    assert challenge["primary_outcome"] == "stress"
    assert analysis.primary_outcome(challenge) == "stress"


@pytest.mark.parametrize(("change", "key"), [
    ({"start_date": TODAY + dt.timedelta(days=1)}, "start_future"),
    ({"start_date": TODAY - dt.timedelta(days=8)}, "start_too_early"),
    ({"start_date": "gisteren"}, "date_invalid"),
    ({"with_baseline": None}, "choose_start"),
    ({"method": "injection"}, "method_unknown"),
    ({"method": "other", "amount_unit": "litres"}, "unit_unknown"),
    ({"planned_amount": None}, "amount_missing"),
    ({"planned_amount": 0}, "amount_positive"),
    ({"planned_amount": 241}, "amount_range"),
    ({"goal": "g" * 301}, "too_long"),
])
def test_each_bad_start_field_is_named(change, key):
    _clean, problems = validation.check_start({**GOOD_START, **change}, TODAY, has_active=False)
    assert [p.key for p in problems] == [key]


def test_seven_days_back_is_allowed():
    _clean, problems = validation.check_start({**GOOD_START, "start_date": TODAY - dt.timedelta(days=7)}, TODAY,
                                              has_active=False)
    assert problems == []


def test_a_second_active_challenge_is_refused_and_nothing_is_written(store):
    uid = store.create_user("anna")
    assert svc.start_challenge(store, uid, GOOD_START, PRE, TODAY).ok
    res = svc.start_challenge(store, uid, GOOD_START, PRE, TODAY)
    assert not res.ok and [p.key for p in res.problems] == ["already_active"]
    assert len(store.challenges(uid)) == 1


def test_an_incomplete_pre_test_starts_nothing(store):
    uid = store.create_user("anna")
    res = svc.start_challenge(store, uid, GOOD_START, {**PRE, "sleep": None}, TODAY)
    assert [p.key for p in res.problems] == ["signals_missing"] and res.problems[0].params == {"n": 1}
    assert store.challenges(uid) == []


def test_saving_an_existing_day_returns_it_and_replaces_only_when_confirmed(store):
    uid = store.create_user("anna")
    cid = svc.start_challenge(store, uid, {**GOOD_START, "with_baseline": False,
                                           "start_date": TODAY - dt.timedelta(days=3)}, PRE, TODAY).challenge_id
    first = svc.save_log(store, uid, GOOD_LOG, TODAY)
    assert first.status == "saved" and not first.replaced and first.streak == 1 and first.days_left == 10
    before = store.daily_log(uid, TODAY.isoformat())
    second = svc.save_log(store, uid, {**GOOD_LOG, "sleep_quality": 2, "note": "anders"}, TODAY)
    assert second.status == "confirm" and second.existing == before
    assert store.daily_log(uid, TODAY.isoformat()) == before
    third = svc.save_log(store, uid, {**GOOD_LOG, "sleep_quality": 2, "note": "anders"}, TODAY, replace=True)
    assert third.status == "saved" and third.replaced
    row = store.daily_log(uid, TODAY.isoformat())
    assert row["sleep_quality"] == 2 and row["note"] == "anders" and row["challenge_id"] == cid
    assert row["created_at"] == before["created_at"]


def test_an_invalid_entry_writes_nothing(store):
    uid = store.create_user("anna")
    svc.start_challenge(store, uid, {**GOOD_START, "with_baseline": False}, PRE, TODAY)
    res = svc.save_log(store, uid, {**GOOD_LOG, "coffee_cups": 99}, TODAY)
    assert res.status == "invalid"
    assert store.daily_logs(uid) == []


def test_streak_after_saves_and_gaps(store):
    uid = store.create_user("anna")
    svc.start_challenge(store, uid, {**GOOD_START, "with_baseline": False,
                                     "start_date": TODAY - dt.timedelta(days=5)}, PRE, TODAY)
    for back in (5, 4, 2, 1):
        assert svc.save_log(store, uid, {**GOOD_LOG, "day": TODAY - dt.timedelta(days=back)}, TODAY).status == "saved"
    assert svc.status(store, uid, TODAY).streak == 2
    res = svc.save_log(store, uid, {**GOOD_LOG, "day": TODAY - dt.timedelta(days=3)}, TODAY)  # fill the gap
    assert res.streak == 5


def test_another_participant_cannot_log_into_her_challenge(store):
    anna, bea = store.create_user("anna"), store.create_user("bea")
    cid = svc.start_challenge(store, anna, {**GOOD_START, "with_baseline": False}, PRE, TODAY).challenge_id
    with pytest.raises(PermissionError):
        store.save_daily_log(bea, TODAY.isoformat(), {"challenge_id": cid, "phase": "magnesium", "applied": 0})
    assert store.daily_logs(bea) == [] and store.daily_logs(anna) == []


def test_choosing_magnesium_day_one_relabels_the_logged_days(store):
    uid = store.create_user("anna")
    start = TODAY - dt.timedelta(days=5)  # today is baseline day 6
    svc.start_challenge(store, uid, {**GOOD_START, "start_date": start}, PRE, TODAY)
    for back in range(6):
        svc.save_log(store, uid, {**GOOD_LOG, "applied": False, "day": TODAY - dt.timedelta(days=back)}, TODAY)
    assert {r["phase"] for r in store.daily_logs(uid)} == {"baseline"}
    assert [p.key for p in svc.start_magnesium(store, uid, start + dt.timedelta(days=2), TODAY).problems] == [
        "magnesium_start_not_allowed"]
    assert svc.start_magnesium(store, uid, TODAY, TODAY).ok
    phases = {r["day"]: r["phase"] for r in store.daily_logs(uid)}
    assert phases[TODAY.isoformat()] == "magnesium"
    assert sum(p == "baseline" for p in phases.values()) == 5


def test_post_test_closes_the_challenge_and_an_overdue_one_closes_without(store):
    uid = store.create_user("anna")
    start = TODAY - dt.timedelta(days=12)  # today is day 13
    assert svc.start_challenge(store, uid, {**GOOD_START, "with_baseline": False, "start_date": start}, PRE,
                               start).ok
    res = svc.take_post_test(store, uid, PRE, TODAY)
    assert [p.key for p in res.problems] == ["post_test_closed"]
    day14 = TODAY + dt.timedelta(days=1)
    assert svc.take_post_test(store, uid, PRE, day14).ok
    assert store.challenges(uid)[0]["status"] == "completed"
    # A new one that nobody finishes: after day 21 it closes as ended without post-test.
    later = day14 + dt.timedelta(days=30)
    svc.start_challenge(store, uid, {**GOOD_START, "with_baseline": False, "start_date": later}, PRE, later)
    assert svc.current(store, uid, later + dt.timedelta(days=21)) is None
    assert store.challenges(uid)[0]["status"] == "ended_no_posttest"
    assert len(store.challenges(uid)) == 2  # earlier challenges stay


def test_ending_early_keeps_the_challenge_in_her_history(store):
    uid = store.create_user("anna")
    svc.start_challenge(store, uid, GOOD_START, PRE, TODAY)
    assert svc.end_early(store, uid, TODAY).ok
    assert store.challenges(uid)[0]["status"] == "ended_early"
    assert svc.start_challenge(store, uid, GOOD_START, PRE, TODAY).ok
    assert [c["status"] for c in store.challenges(uid)] in (["active", "ended_early"], ["ended_early", "active"])
