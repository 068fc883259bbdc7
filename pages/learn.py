"""Learn: the practitioner's themes as sections, in the participant's language."""

from __future__ import annotations

import re

import streamlit as st

from lib import md_table, ui
from lib.content import learn_sections

tr = ui.tr()

st.title(tr("learn.title"), anchor=False)
st.write(tr("learn.lead"))

sections = learn_sections(ui.lang())
# Other pages link here with ?section=<id>: that section opens, the others stay folded.
wanted = st.query_params.get("section")
if wanted is not None and wanted not in {s.id for s in sections}:
    # Only the characters a section id has: a link's text is never rendered as Markdown.
    shown = re.sub(r"[^a-z0-9-]", "", str(wanted).lower())[:40]
    st.info(tr("trouble.no_such_section", section=shown), icon=":material/search_off:")
    wanted = None
elif wanted is None:
    wanted = sections[0].id if sections else None

# The fold-out labels are styled as section titles, larger than the headings inside (lib/ui/theme.py).
with st.container(key="learn_sections"):
    for section in sections:
        with st.expander(section.title, expanded=section.id == wanted):
            # A table is drawn with its column names in every cell, so that it reflows on a phone
            # (lib/md_table.py, lib/ui/text_fit.py); the rest is the practitioner's Markdown as written.
            for part in md_table.split(section.body):
                if isinstance(part, md_table.Table):
                    st.markdown(md_table.table_html(part), unsafe_allow_html=True)  # every cell escaped
                else:
                    st.markdown(part)

st.caption(tr("learn.source"))
