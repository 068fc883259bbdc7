"""The reference page opened the way the app's pages are: an entry script with ``st.navigation`` and a row of
links, a blank start page, and ``bench/reference_page.py`` one tap away (``bench/phone_pages.py``)."""

import streamlit as st


def blank() -> None:
    st.title("Start")


pages = [st.Page(blank, title="Start", url_path="start", default=True),
         st.Page("reference_page.py", title="Reference", url_path="reference")]
page = st.navigation(pages, position="hidden")
with st.container(horizontal=True):
    for p in pages:
        st.page_link(p, label=p.title)
page.run()
