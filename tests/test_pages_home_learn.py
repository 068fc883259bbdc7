import pytest

from lib import i18n
from lib.content import learn_sections


def _all_text(at) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.title] + [e.value for e in at.caption]
    parts += [e.body for e in at.info] + [e.body for e in at.warning]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_home_explains_the_challenge_with_the_disclaimer(app, lang):
    at = app(lang=lang)
    assert not at.exception
    text = _all_text(at)
    assert i18n.t("home.title", lang) in text
    assert i18n.t("home.step4", lang) in text
    assert i18n.t("common.disclaimer", lang) in text
    assert "⏰" not in text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_learn_shows_every_section_and_the_disclaimer(app, lang):
    at = app(lang=lang, page="pages/learn.py")
    assert not at.exception
    labels = [e.label for e in at.expander]
    assert labels == [s.title for s in learn_sections(lang)]
    text = _all_text(at)
    for s in learn_sections(lang):
        assert s.body.splitlines()[0] in text
    # (Elements the entry script draws around a switched-to page, such as the footer, are not
    # reported by AppTest after a page switch; the browser test checks the footer on Learn.)


def test_switching_language_changes_the_page(app):
    at = app(lang="nl")
    assert at.title[0].value == i18n.t("home.title", "nl")
    at.sidebar.radio(key="lang_switch").set_value("en").run()
    assert at.session_state["lang"] == "en"
    assert i18n.t("home.step1", "en") in _all_text(at)
    assert i18n.t("home.step1", "nl") not in _all_text(at)


def test_a_moved_clock_shows_a_banner(app, configure):
    import datetime as dt

    configure(fixed_today=dt.date(2026, 3, 1))
    at = app(lang="en")
    assert any("1 March 2026" in w.body for w in at.warning)  # her language's date, not ISO
