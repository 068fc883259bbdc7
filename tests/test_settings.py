"""Settings: read once into one typed object, the environment first, then .streamlit/secrets.toml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lib import settings
from lib.settings import Settings

SECRETS = """
[auth]
cookie_secret = "not ours to read"

[magnesium]
database = "/srv/magnesium/app.db"
today = "2026-03-05"
trusted_proxies = ["10.0.0.1", "10.0.0.2"]
cookie_secure = true
report_font_dir = "/opt/fonts"
bind_address = "127.0.0.1"
"""


@pytest.fixture
def secrets_file(tmp_path) -> Path:
    path = tmp_path / "secrets.toml"
    path.write_text(SECRETS, encoding="utf-8")
    return path


def test_without_anything_set_the_defaults_apply(tmp_path):
    chosen = settings.load({}, tmp_path / "missing.toml")
    assert chosen == Settings()
    assert chosen.database == settings.APP_DIR / "data" / "magnesium.db"
    assert chosen.fixed_today is None and not chosen.cookie_secure and chosen.bind_address == "127.0.0.1"
    assert chosen.trusted_proxies == frozenset()


def test_every_setting_comes_from_the_secrets_file_when_the_environment_has_none(secrets_file):
    chosen = settings.load({}, secrets_file)
    assert chosen == Settings(database=Path("/srv/magnesium/app.db"), fixed_today=dt.date(2026, 3, 5),
                              trusted_proxies=frozenset({"10.0.0.1", "10.0.0.2"}), cookie_secure=True,
                              report_font_dir=Path("/opt/fonts"), bind_address="127.0.0.1")


def test_the_environment_comes_first(secrets_file, tmp_path):
    env = {"MAGNESIUM_DB": str(tmp_path / "env.db"), "MAGNESIUM_TODAY": "2026-04-01",
           "MAGNESIUM_TRUSTED_PROXIES": "192.0.2.1, *", "MAGNESIUM_COOKIE_SECURE": "0",
           "MAGNESIUM_FONT_DIR": str(tmp_path), "MAGNESIUM_ADDRESS": "0.0.0.0"}
    chosen = settings.load(env, secrets_file)
    assert chosen.database == tmp_path / "env.db"
    assert chosen.fixed_today == dt.date(2026, 4, 1)
    assert chosen.trusted_proxies == frozenset({"192.0.2.1", "*"})
    assert chosen.cookie_secure is False
    assert chosen.report_font_dir == tmp_path and chosen.bind_address == "0.0.0.0"


@pytest.mark.parametrize(("env", "name"), [({"MAGNESIUM_TODAY": "5 maart"}, "MAGNESIUM_TODAY"),
                                           ({"MAGNESIUM_COOKIE_SECURE": "misschien"}, "MAGNESIUM_COOKIE_SECURE")])
def test_a_malformed_value_fails_loudly_naming_where_it_came_from(tmp_path, env, name):
    with pytest.raises(ValueError, match=name):
        settings.load(env, tmp_path / "missing.toml")


def test_they_are_read_once_and_kept(monkeypatch, tmp_path):
    monkeypatch.setenv("MAGNESIUM_DB", str(tmp_path / "first.db"))
    with settings.use(None):
        assert settings.current().database == tmp_path / "first.db"
        monkeypatch.setenv("MAGNESIUM_DB", str(tmp_path / "second.db"))
        assert settings.current().database == tmp_path / "first.db", "changing the variable later changes nothing"


def test_a_shell_script_can_ask_for_one_setting(capsys):
    with settings.use(Settings(bind_address="0.0.0.0")):
        settings.main(["bind-address"])
        assert capsys.readouterr().out.strip() == "0.0.0.0"
    with settings.use(Settings()):
        settings.main(["bind-address"])
        assert capsys.readouterr().out == "127.0.0.1\n"


def test_the_report_uses_the_font_folder_of_the_settings(configure, tmp_path):
    from lib import progress_view, report

    configure(report_font_dir=tmp_path / "no-fonts-here")
    pdf = report.pdf_report(progress_view.demo_view("en"))
    assert pdf.startswith(b"%PDF") and b"DejaVu" not in pdf, "without the fonts it falls back to Helvetica"
    configure(report_font_dir=settings.DEFAULT_FONT_DIR)
    if (settings.DEFAULT_FONT_DIR / "DejaVuSans.ttf").exists():
        assert b"DejaVu" in report.pdf_report(progress_view.demo_view("en"))
