"""The eight signals as one reusable block of questions: the quiz, the pre-test and the post-test."""

from __future__ import annotations

import streamlit as st

from lib.signals import frequency_labels, signals

# Five options in one row, also on a 390 px wide phone ("bijna elke dag" used to wrap to a line of
# its own). Wide screens: the usual row with a narrower gap. Narrow screens: a scale across the full
# width with each circle above its label; a label breaks inside only if a language's words are too
# long for the row, so no option ever drops to a line of its own.
_STYLE = """<style>
.st-key-{key} [role="radiogroup"] {{ column-gap: .6rem; row-gap: .2rem; }}
@media (max-width: 640px) {{
  .st-key-{key} [role="radiogroup"] {{ display: flex; flex-wrap: nowrap; justify-content: space-between;
    align-items: flex-start; column-gap: .25rem; width: 100%; }}
  .st-key-{key} [role="radiogroup"] > div {{ flex: 0 1 auto; min-width: 0; display: flex; justify-content: center; }}
  .st-key-{key} [data-testid="stRadioOption"] {{ padding: 0; align-items: flex-start; min-width: 0; }}
  .st-key-{key} [data-testid="stRadioOption"] > div {{ flex-direction: column; align-items: center;
    gap: .25rem; text-align: center; min-width: 0; }}
  .st-key-{key} [data-testid="stRadioOption"] p {{ font-size: .85rem; line-height: 1.15; }}
}}
</style>"""


def render_signal_block(key_prefix: str, lang: str, defaults: dict | None = None) -> dict[str, int | None]:
    """Ask how often each signal happened in the past two weeks; return ``{signal_id: 0-4 or None}``.

    Works inside or outside an ``st.form``. ``defaults`` pre-selects earlier answers. Each radio's key
    is ``f"{key_prefix}_{signal_id}"``.
    """
    labels = frequency_labels(lang)
    options = list(range(len(labels)))
    defaults = defaults or {}
    answers: dict[str, int | None] = {}
    block_key = f"{key_prefix}_signal_block"
    st.html(_STYLE.format(key=block_key))
    with st.container(key=block_key):
        for sig in signals():
            default = defaults.get(sig.id)
            answers[sig.id] = st.radio(
                sig.text("question", lang),
                options,
                index=options.index(default) if default in options else None,
                format_func=lambda i: labels[i],
                horizontal=True,
                width="stretch",
                key=f"{key_prefix}_{sig.id}",
            )
    return answers
