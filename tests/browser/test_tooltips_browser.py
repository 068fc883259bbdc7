"""Keep blocked: markup in her notes stays text in the charts' tooltips, in a real browser."""

from __future__ import annotations

import datetime as dt

from lib.store import Store
from tests import factories
from tests.browser.harness import open_app, sign_up

PAYLOAD = '<img src=x onerror="window.__xss=1"><b>vet</b> <script>window.__xss=2</script>'


def test_markup_in_her_notes_is_shown_as_text_in_the_chart_tooltips(page, server):
    sign_up(page, server, "tina.tooltip", "Kalm-Magnesium-2026!", display_name="Tina")
    store = Store(server.db_path)
    uid = store.user_by_username("tina.tooltip")["id"]
    factories.store_participant(store, uid, end=dt.date(2026, 3, 21), lang="nl")
    with store.write() as conn:
        conn.execute("UPDATE daily_logs SET note = ? WHERE user_id = ?", (PAYLOAD, uid))
    open_app(page, server, "progress")
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    points = chart.locator(".mark-symbol path")
    points.first.wait_for(state="attached", timeout=30_000)
    tooltip = page.locator("#vg-tooltip-element")
    shown = None
    for i in range(min(points.count(), 20)):
        points.nth(i).hover(force=True)
        if tooltip.count() and tooltip.is_visible() and "vet" in tooltip.inner_text():
            shown = tooltip
            break
    assert shown is not None, "a point's tooltip with her note"
    html = shown.inner_html()
    assert "<img" not in html and "<script" not in html and "<b>" not in html
    assert "&lt;img" in html, "her note is there, as text"
    assert page.evaluate("window.__xss") is None
