"""The server: the Streamlit app plus the account routes that set the login cookie.

``streamlit run server.py`` finds the ``st.App`` below and serves it; the pages themselves still
live in streamlit_app.py (which page tests run directly).
"""

import streamlit as st

from lib import content_check, logs, ui
from lib.store import open_store
from lib.ui import streamlit_internals
from lib.web import auth_web, document_lang, health_route, http_headers

# uvicorn believes no forwarded header: the app applies the trusted-proxies setting itself (lib/web/auth_web.py).
auth_web.pin_uvicorn_forwarded_trust()

logs.configure()
# A first deep link after a start runs the entry script too, not the page alone (lib/ui/streamlit_internals.py).
streamlit_internals.pages_only_through_navigation()
# The security headers outermost, so every response gets them (lib/web/http_headers.py). An error in a widget
# callback (or anywhere outside the page) gets the same friendly message with a reference as one in a
# page, and its traceback goes to the log (lib/ui/__init__.py).
# The app's own health check for hosts (/health, lib/web/health_route.py); the content checked before serving.
content_check.at_start()
# The database checked (PRAGMA quick_check) and migrated before the first participant arrives: a damaged
# file is announced in the log now, and served read-only (lib/store/base.py).
try:
    open_store()
except OSError as exc:  # a folder that cannot be created: /health and every page say so as well
    logs.get("store").error("the database cannot be opened at start: %s", exc)
# The served page says her language and its own title before the script runs (lib/web/document_lang.py).
app = st.App("streamlit_app.py", routes=auth_web.routes() + health_route.routes(),
             middleware=http_headers.middleware() + auth_web.middleware() + document_lang.middleware(),
             on_script_error=ui.unexpected_error)
