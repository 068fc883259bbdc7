"""The eight signals as one reusable block of questions: the quiz, the pre-test and the post-test."""

from __future__ import annotations

import streamlit as st

from lib.signals import frequency_labels, signals


def render_signal_block(key_prefix: str, lang: str, defaults: dict | None = None) -> dict[str, int | None]:
    """Ask how often each signal happened in the past two weeks; return ``{signal_id: 0-4 or None}``.

    Works inside or outside an ``st.form``. ``defaults`` pre-selects earlier answers.
    """
    labels = frequency_labels(lang)
    options = list(range(len(labels)))
    defaults = defaults or {}
    answers: dict[str, int | None] = {}
    for sig in signals():
        default = defaults.get(sig.id)
        answers[sig.id] = st.radio(
            sig.text("question", lang),
            options,
            index=options.index(default) if default in options else None,
            format_func=lambda i: labels[i],
            horizontal=True,
            key=f"{key_prefix}_{sig.id}",
        )
    return answers
