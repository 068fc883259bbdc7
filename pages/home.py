"""Home: what the two-week challenge is, and the next step."""

from __future__ import annotations

import streamlit as st

from lib import ui

tr = ui.tr()

st.title(tr("home.title"))
st.write(tr("home.lead"))

st.subheader(tr("home.how_title"))
for i in range(1, 5):
    st.markdown(f"**{i}.** {tr(f'home.step{i}')}")

st.info(tr("home.honest"), icon=":material/science:")

st.subheader(tr("home.next_title"))
st.page_link("pages/learn.py", label=tr("home.go_learn"), icon=":material/menu_book:")
st.page_link("pages/quiz.py", label=tr("home.go_quiz"), icon=":material/quiz:")
st.page_link("pages/challenge.py", label=tr("home.go_challenge"), icon=":material/flag:")
