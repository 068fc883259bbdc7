import re

import pytest

from lib import content, i18n, signals


def test_every_language_has_every_key():
    keys = {code: set(i18n.strings(code)) for code in i18n.LANGUAGES}
    reference = keys[i18n.DEFAULT_LANG]
    for code, found in keys.items():
        assert found == reference, f"{code}: missing {sorted(reference - found)}, extra {sorted(found - reference)}"


def test_placeholders_agree_between_languages():
    nl = i18n.strings("nl")
    for code in i18n.LANGUAGES:
        other = i18n.strings(code)
        for key, text in nl.items():
            if key in other:
                assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", other[key])), key


def test_lookup_formats_and_falls_back_to_dutch(monkeypatch):
    assert i18n.t("common.clock_moved", "en", day="2026-03-01").endswith("(test or demo mode).")
    assert "2026-03-01" in i18n.t("common.clock_moved", "nl", day="2026-03-01")
    # A key only Dutch has is shown in Dutch to an English reader, never as a crash.
    real = i18n.strings

    def fake(lang):
        table = dict(real(lang))
        if lang == "en":
            table.pop("home.title")
        return table

    monkeypatch.setattr(i18n, "strings", fake)
    assert i18n.t("home.title", "en") == real("nl")["home.title"]
    assert i18n.t("no.such.key", "en") == "no.such.key"
    assert i18n.t("home.title", "xx") == real("nl")["home.title"]


def test_a_changed_string_file_shows_up_without_restart(tmp_path, monkeypatch):
    folder = tmp_path / "i18n" / "nl"
    folder.mkdir(parents=True)
    (folder / "demo.toml").write_text('hello = "Hallo"\n', encoding="utf-8")
    monkeypatch.setattr(content, "CONTENT_DIR", tmp_path)
    monkeypatch.setattr(i18n, "I18N_DIR", tmp_path / "i18n")
    monkeypatch.setattr(i18n, "_RECHECK_SECONDS", 0.0)
    i18n._tables.clear()
    assert i18n.t("demo.hello", "nl") == "Hallo"
    import os

    (folder / "demo.toml").write_text('hello = "Hoi"\n', encoding="utf-8")
    st = (folder / "demo.toml").stat()
    os.utime(folder / "demo.toml", ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert i18n.t("demo.hello", "nl") == "Hoi"
    i18n._tables.clear()


EXPECTED_SECTIONS = ["what-it-does", "why-common", "signals", "blood-test", "stress", "what-you-can-do",
                     "recovery", "evidence", "safety"]


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_learn_has_every_section_in_every_language(lang):
    assert content.learn_section_ids(lang) == set(EXPECTED_SECTIONS), "a translation is missing"
    sections = content.learn_sections(lang)
    assert [s.id for s in sections] == EXPECTED_SECTIONS
    for s in sections:
        assert s.lang == lang
        assert s.title and len(s.body) > 200, s.id
        assert "<" not in s.body, f"{s.id}: no HTML in content"


def test_learn_falls_back_to_dutch_for_a_missing_translation(tmp_path, monkeypatch):
    (tmp_path / "learn" / "nl").mkdir(parents=True)
    (tmp_path / "learn" / "en").mkdir(parents=True)
    (tmp_path / "learn" / "nl" / "01-a.md").write_text("# Een\n\nTekst", encoding="utf-8")
    (tmp_path / "learn" / "nl" / "02-b.md").write_text("# Twee\n\nTekst", encoding="utf-8")
    (tmp_path / "learn" / "en" / "01-a.md").write_text("# One\n\nText", encoding="utf-8")
    monkeypatch.setattr(content, "CONTENT_DIR", tmp_path)
    got = content.learn_sections("en")
    assert [(s.title, s.lang) for s in got] == [("One", "en"), ("Twee", "nl")]


def test_food_table_and_safety_facts_are_in_learn():
    for lang in i18n.LANGUAGES:
        by_id = {s.id: s for s in content.learn_sections(lang)}
        assert "|" in by_id["what-you-can-do"].body, "the food list is a table"
        assert "250" in by_id["safety"].body, "the EU upper limit for supplements"
        assert "Gröber" in by_id["evidence"].body


def test_signals_block_maps_eight_signals_to_eight_ratings():
    sig = signals.signals()
    assert len(sig) == 8
    assert {s.rating for s in sig} == set(signals.rating_columns())
    assert len(signals.rating_columns()) == 8, "each rating once"
    better = {s.rating for s in sig if s.higher_is_better}
    assert better == {"sleep_quality", "energy", "mood"}
    for s in sig:
        for lang in i18n.LANGUAGES:
            for field in ("question", "short", "rating", "scale"):
                assert s.text(field, lang), (s.id, lang, field)
    assert len(signals.frequency_labels("en")) == signals.FREQUENCY_MAX + 1


def test_signal_score_leaves_unanswered_out_of_the_denominator():
    assert signals.signal_score({}) == (None, 0)
    assert signals.signal_score({"sleep": None}) == (None, 0)
    assert signals.signal_score({"sleep": 4, "muscles": 0}) == (50.0, 2)
    everything = {s.id: 4 for s in signals.signals()}
    assert signals.signal_score(everything) == (100.0, 8)
    assert signals.signal_score({**everything, "unknown": 0}) == (100.0, 8), "unknown ids are ignored"
    assert signals.signal_score({"sleep": 1, "fatigue": 2, "muscles": None}) == (37.5, 2)
