"""Reference page for speed comparisons: a form of eight widgets and one 365-point Altair line chart.

No app logic on purpose: the Progress page's rerun is reported as a ratio to this page's rerun.
"""

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

days = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(365)]
frame = pd.DataFrame({"day": days, "value": [(i * 7) % 11 for i in range(365)]})

st.title("Reference")
with st.form("reference"):
    st.slider("Sleep quality", 0, 10, 5)
    st.slider("Energy", 0, 10, 5)
    st.slider("Mood", 0, 10, 5)
    st.slider("Muscle tension", 0, 10, 5)
    st.checkbox("Applied")
    st.number_input("Relaxation minutes", 0, 600, 0)
    st.selectbox("Method", ["oil spray", "foot bath", "lotion", "bath flakes"])
    st.text_area("Note")
    st.form_submit_button("Save")
st.altair_chart(alt.Chart(frame).mark_line().encode(x="day:T", y="value:Q"), width="stretch")
