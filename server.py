"""The server: the Streamlit app plus the account routes that set the login cookie.

``streamlit run server.py`` finds the ``st.App`` below and serves it; the pages themselves still
live in streamlit_app.py (which page tests run directly).
"""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from lib import auth_web

# Streamlit treats an app with a ``pages/`` folder as an old-style multipage app until some script has
# called ``st.navigation``: the very first visit after a start, when it opens a deep address such as
# /account or /log, would run that page alone, without the entry script (so without her login, her
# language or the menu). Every page here is registered with ``st.navigation``, so say so from the start.
PagesManager.uses_pages_directory = False

# uvicorn believes no forwarded header: the app applies MAGNESIUM_TRUSTED_PROXIES itself (lib/auth_web.py).
auth_web.pin_uvicorn_forwarded_trust()

app = st.App("streamlit_app.py", routes=auth_web.routes(), middleware=auth_web.middleware())
