"""Magnesium Challenge: the entry script (page config, navigation, language, footer)."""

from __future__ import annotations

import streamlit as st

from lib import page_table, ui
from lib.ui import a11y, login, nav, parked_quiz, store_trouble, text_fit, theme

st.set_page_config(page_title="Magnesium Challenge", page_icon="🌿", layout="centered")

# Who is logged in (login cookie or OpenID Connect) -> st.session_state["user_id"], her language.
store = ui.store()
# A store that cannot be read just now says so here, and the menu below still appears (lib/ui/store_trouble.py).
uid = store_trouble.resolve_login(lambda: login.resolve(store))

tr = ui.tr()

# Every page comes from the one page table (lib/page_table.py): with st.navigation Streamlit no longer
# discovers pages.
PAGES = [st.Page(row.file, title=tr(row.title_key), icon=row.icon, url_path=row.url_path, default=row.default)
         for row in page_table.PAGES]

# Streamlit's own menu folds into a hidden sidebar on a phone (even with position="top"): it stays hidden,
# and every page starts with a row of links she can see and reach (lib/ui/nav.py).
page = st.navigation(PAGES, position="hidden")
nav.bar(PAGES, page)
with st.sidebar:
    ui.language_switch(st.sidebar)
a11y.apply(page)  # captions' contrast, her language and the page's title on the document (lib/ui/a11y.py)
theme.apply()  # the destructive buttons and Learn's titles (lib/ui/theme.py)
text_fit.apply()  # large text on a phone: wrap instead of cut, no sideways scrolling (lib/ui/text_fit.py)
ui.clock_banner()
store_trouble.read_only_notice(store)  # the database only reads: nothing saved now would stay
# A quiz taken on this device before logging in: she is asked whether it is hers (lib/ui/parked_quiz.py).
parked_quiz.show(store, uid, page.url_path)
ui.run_page(page)
ui.footer()
