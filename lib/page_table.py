"""Every page of the app, once: the navigation (streamlit_app.py), the addresses a login form may return
to (lib/web/auth_web.py) and the tests all read this table. A new page is a file in ``pages/``, a row here
and its ``nav.<key>`` title in ``content/i18n/<lang>/nav.toml``."""

from __future__ import annotations

from dataclasses import dataclass

from lib.i18n import t


@dataclass(frozen=True)
class PageRow:
    file: str  # under the app's root
    url_path: str  # its address, /<url_path>; a login form may send her back there
    title_key: str  # i18n key of the title in the menu
    icon: str
    default: bool = False


PAGES: tuple[PageRow, ...] = (
    PageRow("pages/home.py", "home", "nav.home", ":material/home:", default=True),
    PageRow("pages/learn.py", "learn", "nav.learn", ":material/menu_book:"),
    PageRow("pages/quiz.py", "quiz", "nav.quiz", ":material/quiz:"),
    PageRow("pages/challenge.py", "challenge", "nav.challenge", ":material/flag:"),
    PageRow("pages/daily_log.py", "log", "nav.log", ":material/edit_note:"),
    PageRow("pages/progress.py", "progress", "nav.progress", ":material/monitoring:"),
    PageRow("pages/account.py", "account", "nav.account", ":material/person:"),
)

FILES: tuple[str, ...] = tuple(p.file for p in PAGES)
URL_PATHS: tuple[str, ...] = tuple(p.url_path for p in PAGES)


def document_title(url_path: str, lang: str) -> str:
    """The browser tab's title, "Dagboek · Magnesium Challenge", for the page at ``url_path`` ("" is the
    default page, as Streamlit names it); the app's name alone for an address that is no page. Served in the
    HTML (lib/web/document_lang.py) and kept in step by the script (lib/ui/document.py)."""
    for row in PAGES:
        if row.url_path == url_path or (not url_path and row.default):
            return t("common.page_title", lang, page=t(row.title_key, lang), app=t("common.app_name", lang))
    return t("common.app_name", lang)
