"""Learn: the practitioner's themes as sections, in the participant's language."""

from __future__ import annotations

import streamlit as st

from lib import ui
from lib.content import learn_sections

tr = ui.tr()

st.title(tr("learn.title"))
st.write(tr("learn.lead"))

sections = learn_sections(ui.lang())
# Other pages link here with ?section=<id>: that section opens, the others stay folded.
wanted = st.query_params.get("section")
if wanted not in {s.id for s in sections}:
    wanted = sections[0].id if sections else None

for section in sections:
    with st.expander(section.title, expanded=section.id == wanted):
        st.markdown(section.body)

st.caption(tr("learn.source"))
