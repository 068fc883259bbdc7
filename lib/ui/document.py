"""The document says her language and which page she is on, on every run.

Streamlit hard-codes ``<html lang="en">`` and one title for every page. lib/web/document_lang.py already
serves the page with the right ones; here the script keeps them in step with her session (the language
switch, or a participant's profile at login): ``lang`` through a small script (Streamlit has no setting for
it), the title through ``st.set_page_config`` ("Dagboek · Magnesium Challenge").
"""

from __future__ import annotations

import json

import streamlit as st

from lib import page_table, ui

KEY = "mg_document"  # its container is hidden (lib/ui/a11y.py): the script takes no room on the page


def apply(page) -> None:
    """Once per run, from the entry script, after ``st.navigation``."""
    lang = ui.lang()
    title = page_table.document_title(page.url_path, lang)
    st.set_page_config(page_title=title)
    script = (f"<script>document.documentElement.lang = {json.dumps(lang)};"
              f"document.title = {json.dumps(title)};</script>")
    with st.container(key=KEY):
        st.html(script, unsafe_allow_javascript=True)
