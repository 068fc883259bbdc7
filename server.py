"""The server: the Streamlit app plus the account routes that set the login cookie.

``streamlit run server.py`` finds the ``st.App`` below and serves it; the pages themselves still
live in streamlit_app.py (which page tests run directly).
"""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from lib import logs, ui
from lib.web import auth_web, http_headers

# Streamlit treats an app with a ``pages/`` folder as an old-style multipage app until some script has
# called ``st.navigation``: the very first visit after a start, when it opens a deep address such as
# /account or /log, would run that page alone, without the entry script (so without her login, her
# language or the menu). Every page here is registered with ``st.navigation``, so say so from the start.
PagesManager.uses_pages_directory = False

# uvicorn believes no forwarded header: the app applies the trusted-proxies setting itself (lib/web/auth_web.py).
auth_web.pin_uvicorn_forwarded_trust()

logs.configure()
# The security headers outermost, so every response gets them (lib/web/http_headers.py). An error in a widget
# callback (or anywhere outside the page) gets the same friendly message with a reference as one in a
# page, and its traceback goes to the log (lib/ui/__init__.py).
app = st.App("streamlit_app.py", routes=auth_web.routes(),
             middleware=http_headers.middleware() + auth_web.middleware(),
             on_script_error=ui.unexpected_error)
