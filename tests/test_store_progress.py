"""The Progress page's read queries: only her rows, and a fingerprint that notices every edit."""

from __future__ import annotations

import datetime as dt

from tests import factories


def test_progress_data_is_hers_only(store):
    anna, bea = store.create_user("anna"), store.create_user("bea")
    cid = factories.store_participant(store, anna, end=dt.date(2026, 3, 21))
    factories.store_participant(store, bea, end=dt.date(2026, 3, 21), seed=2)
    challenges, logs, tests = store.progress_data(anna)
    assert [c["id"] for c in challenges] == [cid]
    assert {r["user_id"] for r in logs} == {anna}
    assert [r["day"] for r in logs] == sorted(r["day"] for r in logs)
    assert set(tests) == {cid} and set(tests[cid]) == {"pre", "post"}
    assert isinstance(tests[cid]["pre"]["answers"], dict)


def test_fingerprint_changes_with_any_edit_even_in_the_same_second(store):
    anna = store.create_user("anna")
    cid = factories.store_participant(store, anna, end=dt.date(2026, 3, 21))
    _, first = store.progress_state(anna)
    day = store.daily_log(anna, "2026-03-21")
    store.upsert_daily_log(anna, "2026-03-21", {**day, "challenge_id": cid, "headache": (day["headache"] + 1) % 10})
    _, second = store.progress_state(anna)
    assert second != first
    store.upsert_daily_log(anna, "2026-03-21", {**day, "challenge_id": cid, "note": day["note"] + "!"})
    _, third = store.progress_state(anna)
    assert third not in (first, second)
    _, again = store.progress_state(anna)
    assert again == third
