"""One locale layer (lib/locales.py, Babel): numbers, dates and plurals follow her language, and a new
language gets its own formats without a line of code. No other module branches on the language code."""

from __future__ import annotations

import ast
import datetime as dt
import shutil
from pathlib import Path

import pytest

from lib import charts, content, i18n, locales, progress_view, wording

ROOT = Path(__file__).resolve().parents[1]
DAY = dt.date(2026, 3, 3)


def test_dutch_and_english_formats():
    assert wording.fmt_num(2.26, "nl") == "2,3" and wording.fmt_num(2.26, "en") == "2.3"
    assert locales.number(1.5, "nl") == "1,5" and locales.number(3.0, "en") == "3"
    assert progress_view.format_date(DAY, "nl") == "3 maart 2026"
    assert progress_view.format_date(DAY, "en") == "3 March 2026"
    assert locales.date_input_format("nl") == "DD-MM-YYYY" and locales.date_input_format("en") == "YYYY-MM-DD"
    assert charts.locale("nl")["number"]["decimal"] == "," and charts.locale("en")["number"]["decimal"] == "."
    assert charts.locale("nl")["time"]["months"][2] == "maart"


def test_plural_forms_in_dutch_and_english():
    assert i18n.plural("log.streak", 1, "nl") == "Je houdt het al 1 dag op rij bij."
    assert i18n.plural("log.streak", 3, "nl") == "Je houdt het al 3 dagen op rij bij."
    assert i18n.plural("home.days_left", 1, "en") == "1 day to go."
    assert i18n.plural("home.days_left", 9, "en") == "9 days to go."


@pytest.fixture
def polish(tmp_path, monkeypatch):
    """A throwaway third language: Polish (three plural forms for whole numbers), in a copy of content/."""
    shutil.copytree(content.CONTENT_DIR / "i18n", tmp_path / "i18n")
    shutil.copytree(tmp_path / "i18n" / "en", tmp_path / "i18n" / "pl")
    (tmp_path / "i18n" / "pl" / "log.toml").write_text(
        'streak = { one = "{n} dzień z rzędu.", few = "{n} dni z rzędu (few).", many = "{n} dni z rzędu (many).",'
        ' other = "{n} dnia z rzędu." }\n', encoding="utf-8")
    monkeypatch.setattr(content, "CONTENT_DIR", tmp_path)
    monkeypatch.setattr(i18n, "I18N_DIR", tmp_path / "i18n")
    monkeypatch.setitem(i18n.LANGUAGES, "pl", "Polski")
    i18n._tables.clear()
    yield "pl"
    i18n._tables.clear()


def test_a_third_language_gets_its_own_formats(polish):
    assert locales.number(1.5, polish) == "1,5"
    assert wording.fmt_num(2.26, polish) == "2,3"
    assert progress_view.format_date(DAY, polish) == "3 marca 2026"
    assert locales.date_input_format(polish) == "DD.MM.YYYY"
    spec = charts.locale(polish)
    assert spec["number"]["decimal"] == "," and spec["time"]["months"][2] == "marzec"
    assert spec["time"]["days"][0] == "niedziela"  # d3 counts from Sunday
    assert [i18n.plural("log.streak", n, polish) for n in (1, 3, 5, 1.5)] == [
        "1 dzień z rzędu.", "3 dni z rzędu (few).", "5 dni z rzędu (many).", "1,5 dnia z rzędu."]
    assert i18n.t("home.title", polish) == i18n.t("home.title", "en")  # its copied strings are found too


def _lang_branches(path: Path) -> list[int]:
    """Lines comparing a name or attribute called ``lang`` with a string ("nl", "en", ...)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Compare) and isinstance(node.ops[0], (ast.Eq, ast.NotEq)):
            sides = [node.left, *node.comparators]
            named = any((isinstance(s, ast.Name) and s.id == "lang")
                        or (isinstance(s, ast.Attribute) and s.attr == "lang") for s in sides)
            literal = any(isinstance(s, ast.Constant) and isinstance(s.value, str) for s in sides)
            if named and literal:
                found.append(node.lineno)
    return found


@pytest.mark.parametrize("path", sorted([*(ROOT / "lib").rglob("*.py"), *(ROOT / "pages").glob("*.py")]),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_no_language_branch_outside_the_locale_layer(path):
    if path.name == "locales.py":
        return
    assert not _lang_branches(path), f"{path.relative_to(ROOT)} branches on the language at {_lang_branches(path)}"


def test_csv_separator_dates_with_time_and_times_per_language():
    import datetime as dt

    from lib import locales

    assert locales.csv_separator("nl") == ";" and locales.csv_separator("en") == ","
    moment = dt.datetime(2026, 3, 3, 14, 5)
    assert locales.date_time(moment, "nl") == "3 mrt 2026, 14:05"
    assert locales.date_time(moment, "en") == "3 Mar 2026, 14:05"
    assert locales.time_short(moment, "nl") == "14:05"
