"""Content that cannot take the app down: a broken file is named in the log with its line and the last
good version stays in service; broken at start, the other language stands in and the menu is there;
a missing Learn section falls back to the other language with a warning; an unknown ?section= says so;
and the repaired file is taken again without a restart."""

from __future__ import annotations

import logging
import os
import shutil

import pytest

from lib import content, content_check, i18n
from tests.page_text import page_text


@pytest.fixture
def content_copy(tmp_path, monkeypatch):
    """The real content in a folder of the test's own, so it can be broken."""
    folder = tmp_path / "content"
    shutil.copytree(content.CONTENT_DIR, folder)
    monkeypatch.setattr(content, "CONTENT_DIR", folder)
    monkeypatch.setattr(i18n, "I18N_DIR", folder / "i18n")
    monkeypatch.setattr(i18n, "_RECHECK_SECONDS", 0.0)
    i18n._tables.clear()
    content._cache.clear()
    content._broken.clear()
    yield folder
    i18n._tables.clear()
    content._cache.clear()
    content._broken.clear()


def _break(path, mtime_step=1):
    text = path.read_text(encoding="utf-8")
    path.write_text('broken = "a stray quote\n' + text, encoding="utf-8")
    st_ = path.stat()
    os.utime(path, ns=(st_.st_atime_ns, st_.st_mtime_ns + mtime_step * 1_000_000_000))
    return text


def test_a_broken_file_keeps_the_last_good_version_and_the_log_names_file_and_line(content_copy, caplog):
    learn_title = i18n.t("learn.title", "nl")
    nl_learn = content_copy / "i18n" / "nl" / "learn.toml"
    good = _break(nl_learn)
    with caplog.at_level(logging.ERROR, logger="magnesium.content"):
        assert i18n.t("learn.title", "nl") == learn_title  # the last good version, still in service
    assert "content/i18n/nl/learn.toml" in caplog.text and "line 1" in caplog.text
    nl_learn.write_text(good.replace(learn_title, "Leren, nieuw"), encoding="utf-8")
    st_ = nl_learn.stat()
    os.utime(nl_learn, ns=(st_.st_atime_ns, st_.st_mtime_ns + 5_000_000_000))
    assert i18n.t("learn.title", "nl") == "Leren, nieuw"  # fixed: taken again without a restart


def test_broken_at_start_the_check_names_it_and_every_dutch_page_still_has_its_menu(content_copy, app, caplog):
    _break(content_copy / "i18n" / "nl" / "learn.toml")
    with caplog.at_level(logging.ERROR, logger="magnesium.content"):
        broken = content_check.at_start()
    assert broken == ["content/i18n/nl/learn.toml"]
    assert "content/i18n/nl/learn.toml" in caplog.text and "line 1" in caplog.text
    at = app(lang="nl")
    assert not at.exception
    assert at.radio(key="lang_switch") is not None
    at.switch_page("pages/learn.py").run()
    assert not at.exception
    assert i18n.t("learn.title", "en") in page_text(at)  # the English text stands in for the broken Dutch one


def test_a_missing_learn_section_falls_back_to_the_other_language_with_a_warning(content_copy, caplog):
    nl_files = sorted((content_copy / "learn" / "nl").glob("*.md"))
    gone = nl_files[0]
    sid = gone.stem.split("-", 1)[1]
    gone.unlink()
    with caplog.at_level(logging.WARNING, logger="magnesium.content"):
        content._warned_fallbacks.discard(("nl", sid))
        sections = {s.id: s for s in content.learn_sections("nl")}
    assert sections[sid].lang == "en"
    assert f"Learn section '{sid}' is missing in nl" in caplog.text


def test_an_unknown_section_says_it_does_not_exist(app):
    at = app(lang="en")
    at.query_params["section"] = "no-such-topic"
    at.switch_page("pages/learn.py").run()
    assert not at.exception
    assert i18n.t("trouble.no_such_section", "en", section="no-such-topic") in page_text(at)
    assert not any(e.proto.expanded for e in at.expander)  # nothing else opened in its place


def test_an_unknown_section_with_markup_is_shown_as_plain_characters(app):
    at = app(lang="en")
    at.query_params["section"] = "[klik](https://example.org)"
    at.switch_page("pages/learn.py").run()
    text = page_text(at)
    assert "](" not in text and "example.org" not in text
    assert i18n.t("trouble.no_such_section", "en", section="klikhttpsexampleorg") in text
