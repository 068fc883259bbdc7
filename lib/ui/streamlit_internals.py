"""The one place that touches a Streamlit internal, guarded.

Streamlit treats an app with a ``pages/`` folder as an old-style multipage app until some script has
called ``st.navigation``: the very first visit after a start, when it opens a deep address such as
/account or /log, would run that page alone, without the entry script (so without her login, her
language or the menu). Every page here is registered with ``st.navigation`` (lib/page_table.py), so
say so from the start. Streamlit has no public setting for this; ``st.navigation`` itself sets the same
class attribute (streamlit/commands/navigation.py).

Tested with Streamlit 1.67 (tests/browser/test_accounts_browser.py opens a deep address first after a
start). Should a later Streamlit drop the attribute, this logs a warning and changes nothing; the browser
test then shows whether the first deep visit still works. The public way out would be to rename the
``pages/`` folder, so that Streamlit finds none.
"""

from __future__ import annotations

from lib import logs

TESTED_STREAMLIT = ("1.67",)


def pages_only_through_navigation() -> bool:
    """Tell Streamlit that ``pages/`` is not an old-style pages folder. True when it could be said."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:
        PagesManager = None  # noqa: N806
    if PagesManager is None or not hasattr(PagesManager, "uses_pages_directory"):
        import streamlit

        logs.get("server").warning("Streamlit %s has no PagesManager.uses_pages_directory (tested with %s): "
                                   "a first deep link may open a page without the menu", streamlit.__version__,
                                   ", ".join(TESTED_STREAMLIT))
        return False
    PagesManager.uses_pages_directory = False
    return True
