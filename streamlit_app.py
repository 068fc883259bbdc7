"""Magnesium Challenge: the entry script (page config, navigation, language, footer)."""

from __future__ import annotations

import streamlit as st

from lib import ui
from lib.ui import login, parked_quiz

st.set_page_config(page_title="Magnesium Challenge", page_icon="🌿", layout="centered")

# Who is logged in (login cookie or OpenID Connect) -> st.session_state["user_id"], her language.
store = ui.store()
uid = login.resolve(store)

tr = ui.tr()

# Every file in pages/ is registered here: with st.navigation Streamlit no longer discovers pages.
PAGES = [
    st.Page("pages/home.py", title=tr("nav.home"), icon=":material/home:", url_path="home", default=True),
    st.Page("pages/learn.py", title=tr("nav.learn"), icon=":material/menu_book:", url_path="learn"),
    st.Page("pages/quiz.py", title=tr("nav.quiz"), icon=":material/quiz:", url_path="quiz"),
    st.Page("pages/challenge.py", title=tr("nav.challenge"), icon=":material/flag:", url_path="challenge"),
    st.Page("pages/daily_log.py", title=tr("nav.log"), icon=":material/edit_note:", url_path="log"),
    st.Page("pages/progress.py", title=tr("nav.progress"), icon=":material/monitoring:", url_path="progress"),
    st.Page("pages/account.py", title=tr("nav.account"), icon=":material/person:", url_path="account"),
]

page = st.navigation(PAGES, position="sidebar")
with st.sidebar:
    ui.language_switch(st.sidebar)
ui.clock_banner()
# A quiz taken on this device before logging in: she is asked whether it is hers (lib/ui/parked_quiz.py).
parked_quiz.show(store, uid, page.url_path)
ui.run_page(page)
ui.footer()
