"""Placeholder until its issue lands."""

import streamlit as st

from lib import ui

tr = ui.tr()
st.title(tr("nav.challenge"))
