"""A confirmation she hears and lands on: "Saved: 10 March 2026." after the daily log's Save, "Your challenge
has started." on the Challenge page.

After a button press Streamlit draws the page anew and the keyboard's focus falls back to the page's body,
while the confirmation appears somewhere below. ``show`` draws the confirmation as usual (a green
``st.success`` and any lines under it) inside a container that is a polite live region
(``role="status"``) and can take focus (``tabindex="-1"``, not a Tab stop), and moves focus to it, so a
keyboard user continues from there and a screen reader reads it out.

Streamlit 1.67 runs a script in ``st.html(..., unsafe_allow_javascript=True)`` (not in an iframe) each time
the element's HTML changes; a number that grows with every confirmation keeps it changing. The script
holds only fixed code and the container's class, never her text.
"""

from __future__ import annotations

import streamlit as st

KEY = "mg_confirm"
_COUNT = "mg_confirm_count"

_SCRIPT = """<script>
(() => {{
  // confirmation {n}
  let tries = 0;
  const focus = () => {{
    const box = document.querySelector('.st-key-{key}');
    if (!box || !box.querySelector('[data-testid="stAlert"]')) {{
      if (tries++ < 40) setTimeout(focus, 50);
      return;
    }}
    box.setAttribute('role', 'status');
    box.setAttribute('aria-live', 'polite');
    box.setAttribute('tabindex', '-1');
    box.focus({{preventScroll: true}});
    box.scrollIntoView({{block: 'nearest'}});
  }};
  focus();
}})();
</script>"""

_STYLE = """<style>
.st-key-mg_confirm:focus { outline: 3px solid #0072B2; outline-offset: 4px; border-radius: .5rem; }
</style>"""


def show(text: str, *more: str, icon: str = ":material/check_circle:") -> None:
    """The confirmation ``text`` (and any further lines, Markdown) as a status she lands on."""
    n = st.session_state.get(_COUNT, 0) + 1
    st.session_state[_COUNT] = n
    with st.container(key=KEY):
        st.success(text, icon=icon)
        for line in more:
            st.markdown(line)
        st.html(_STYLE + _SCRIPT.format(n=n, key=KEY), unsafe_allow_javascript=True)
