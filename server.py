"""The server: the Streamlit app plus the account routes that set the login cookie.

``streamlit run server.py`` finds the ``st.App`` below and serves it; the pages themselves still
live in streamlit_app.py (which page tests run directly).
"""

import streamlit as st

from lib import auth_web

app = st.App("streamlit_app.py", routes=auth_web.routes(), middleware=auth_web.middleware())
