"""The Progress page's memory: chart specs kept within a byte budget for a short while, her rows never."""

from __future__ import annotations

import datetime as dt

import pytest

from lib import i18n, progress_cache, progress_view, settings
from tests import factories

PAGE = "pages/progress.py"


def _kept(function_name: str) -> list[int]:
    """Sizes (bytes) of what Streamlit's data caches keep for one of the page's functions."""
    from streamlit.runtime.caching.cache_data_api import get_data_cache_stats_provider

    stats = [s for family in get_data_cache_stats_provider().get_stats().values() for s in family]
    return [s.byte_length for s in stats if s.cache_name.endswith(function_name)]


def _resources(function_name: str) -> int:
    from streamlit.runtime.caching.cache_resource_api import get_resource_cache_stats_provider

    stats = [s for family in get_resource_cache_stats_provider().get_stats().values() for s in family]
    return sum(1 for s in stats if s.cache_name.endswith(function_name))


def test_the_budget_is_a_setting_in_bytes_with_a_default_for_a_small_host(configure, tmp_path):
    assert settings.load({}, tmp_path / "missing.toml").cache_bytes == 32 * 1024 * 1024
    assert settings.load({"MAGNESIUM_CACHE_BYTES": "8_000_000"}, tmp_path / "missing.toml").cache_bytes == 8_000_000
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("[magnesium]\ncache_bytes = 64_000_000\n", encoding="utf-8")
    assert settings.load({}, secrets).cache_bytes == 64_000_000
    configure(cache_bytes=1_000_000)
    assert progress_cache.cache_bytes() == 1_000_000


@pytest.mark.parametrize("bad", ["lots", "-5", "0", "1.5"])
def test_a_bad_budget_is_refused_by_name(tmp_path, bad):
    with pytest.raises(ValueError, match="MAGNESIUM_CACHE_BYTES"):
        settings.load({"MAGNESIUM_CACHE_BYTES": bad}, tmp_path / "missing.toml")


def test_a_year_of_charts_stays_within_the_budget_and_her_rows_are_not_kept(app, store, configure):
    import streamlit as st

    budget = 120_000  # less than the specs of one year's history view
    end = dt.date(2026, 11, 20)
    configure(cache_bytes=budget, fixed_today=end)
    st.cache_data.clear()
    st.cache_resource.clear()
    uid = store.create_user("anna")
    factories.store_history(store, uid, end=end, days=365)
    at = app(lang="nl", user_id=uid, page=PAGE)
    # A year is about 17 challenges: more than the radio list holds, so her views are in a drop-down.
    at.selectbox(key="progress_scope").set_value(progress_view.HISTORY).run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 2  # two ratings; the history waits in its own tab
    at.multiselect(key="progress_ratings").set_value(["energy", "mood", "stress", "headache"]).run()
    assert not at.exception
    at.session_state["progress_tab"] = i18n.t("progress.section_history", "nl")
    at.run()
    assert not at.exception and len(at.get("vega_lite_chart")) == 1  # the history
    kept = _kept("_spec")
    assert kept, "the chart specs are kept between runs"
    assert sum(kept) <= budget
    assert _resources("_view") == 0  # her rows and the view are computed again, not kept
    st.cache_data.clear()


def test_a_session_does_not_hold_on_to_her_view_after_the_run(app, store, configure):
    """Streamlit keeps every widget's format_func with the session, open or closed; through it the page's
    globals. Her view (a year of rows in DataFrames) must not be among them, or each session keeps it."""
    import gc

    end = dt.date(2026, 11, 20)
    configure(fixed_today=end)
    uid = store.create_user("anna")
    factories.store_history(store, uid, end=end, days=60)
    at = app(lang="nl", user_id=uid, page=PAGE)
    at.radio(key="progress_scope").set_value(progress_view.HISTORY).run()
    assert not at.exception and at.get("vega_lite_chart")
    gc.collect()
    kept = [o for o in gc.get_objects() if isinstance(o, progress_view.View) and o.scope != "challenge:-1"]
    assert kept == []
