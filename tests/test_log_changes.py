"""Replacing a day: only the fields that change, as "6 → 8", escaped, in a table that fits a phone."""

from __future__ import annotations

from lib import i18n, log_changes

SAVED = {"applied": 1, "method": "oil_spray", "amount": 10.0, "sleep_quality": 6, "energy": 5, "mood": 7,
         "muscle_tension": 4, "stress": 5, "headache": 1, "restless_legs": 0, "irritability": 3,
         "relaxation_minutes": 15, "coffee_cups": 2, "alcohol_glasses": 0, "note": "<b>moe</b>"}


def test_only_the_changed_fields_are_shown_as_old_arrow_new():
    new = {**SAVED, "sleep_quality": 8, "coffee_cups": 3, "amount": 12.5}
    rows = log_changes.changes(SAVED, new, "nl")
    coffee = i18n.t("log.field_coffee", "nl")
    assert [(c.old, c.new) for c in rows] == [("10", "12,5"), ("6", "8"), ("2", "3")]
    assert rows[-1].label == coffee
    html = log_changes.changes_html(SAVED, new, "nl")
    assert html.count("<tr>") == 1 + 3, "a header and the three changed fields, nothing else"
    assert '6<span class="mg-arrow" aria-hidden="true">→</span>' in html and "<strong>8</strong>" in html
    assert i18n.t("log.confirm_becomes", "nl") in html, "a screen reader hears 'becomes', not an arrow"


def test_her_note_stays_text_and_an_untouched_rating_reads_as_empty():
    new = {**SAVED, "note": "www.example.org :material/home: [x](javascript:alert(1))", "energy": None}
    html = log_changes.changes_html(SAVED, new, "en")
    assert "&lt;b&gt;moe&lt;/b&gt;" in html and "<b>" not in html
    assert "5<span" in html and f"<strong>{i18n.t('log.empty', 'en')}</strong>" in html


def test_nothing_changed_says_so():
    assert log_changes.changes(SAVED, dict(SAVED), "en") == []
    assert i18n.t("log.confirm_same", "en") in log_changes.changes_html(SAVED, dict(SAVED), "en")


def test_switching_magnesium_off_shows_method_and_amount_going_empty():
    new = {**SAVED, "applied": 0, "method": None, "amount": None}
    rows = log_changes.changes(SAVED, new, "en")
    empty = i18n.t("log.empty", "en")
    assert [(c.old, c.new) for c in rows] == [(i18n.t("log.yes", "en"), i18n.t("log.no", "en")),
                                              (i18n.t("challenge.method_oil_spray", "en"), empty), ("10", empty)]
