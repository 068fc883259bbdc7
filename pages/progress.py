"""Progress: her own story in charts, with an honest summary above them and downloads on request."""

from __future__ import annotations

import streamlit as st

from lib import analysis, charts, progress_cache, progress_service, progress_view, report, ui, wording
from lib.signals import rating_columns
from lib.ui import chart_view, guard

tr = ui.tr()
lang = ui.lang()
EXAMPLE_KEY = "progress_example"
DEFAULT_RATINGS = list(progress_view.DAY_BY_DAY)
TAB_KEY = "progress_tab"
CHOSEN_KEY = "progress_ratings_chosen"
SCOPE_LIST_MAX = 6  # up to this many views of her data: a radio list; more: a drop-down


# Kept between runs: each chart's spec (expensive to build, small), within a byte budget and for a
# short while (lib/progress_cache.py), keyed by a fingerprint of her rows. Her rows and the view
# (big, and cheap to compute again) are not kept.
def _view(uid: int, scope: str, lang: str, today: str, store):
    import datetime as dt

    return progress_service.view(store, uid, scope, lang, dt.date.fromisoformat(today))


@st.cache_resource(max_entries=4, show_spinner=False)
def _demo(lang: str):
    return progress_view.demo_view(lang)


@st.cache_data(max_size=progress_cache.cache_bytes(), ttl=progress_cache.TTL_SECONDS, show_spinner=False)
def _spec(key: tuple, name: str, rating: str | None, _view) -> tuple[dict, str]:
    """(Vega-Lite spec, text alternative) of one chart of a view; ``key`` names the view and her rows."""
    chart = progress_view.chart(_view, name, rating)
    return charts.page_spec(chart, _view.lang), progress_view.chart_text(_view, name, rating)


def show_chart(key: tuple, name: str, view, rating: str | None = None) -> None:
    spec, text = _spec(key, name, rating, view)
    chart_view.show(spec, text)


def download_buttons(key: tuple, view, uid: int | None, scope: str) -> None:
    st.subheader(tr("progress.section_downloads"), anchor=False)
    st.caption(tr("progress.downloads_help"))
    open_store = ui.store_factory()
    today = ui.today()
    stem = f"magnesium-{view.period[0] if view.period else 'progress'}"
    # Built only on a click, and only for the login the page was drawn for while it is still valid;
    # the example (uid None) holds nobody's data (lib/ui/guard.py).
    public = uid is None
    # The ratings she chose for "day by day" (none chosen: the first choice): the PDF and the image draw those.
    ratings = tuple(st.session_state.get(CHOSEN_KEY) or DEFAULT_RATINGS)
    # Grouped by who they are for: the one report for her practitioner first, then her own files, with
    # the chart images folded away.
    with st.container(border=True, key="downloads_practitioner"):
        st.markdown(f"**{tr('progress.downloads_for_practitioner')}**")
        st.caption(tr("progress.downloads_for_practitioner_help"))
        guard.download_button(tr("progress.download_pdf"),
                              report.pdf_builder(open_store, uid, scope, lang, today, ratings),
                              file_name=f"{stem}-report.pdf", mime="application/pdf",
                              icon=":material/picture_as_pdf:", key="dl_pdf", public=public, type="primary")
    with st.container(border=True, key="downloads_own"):
        st.markdown(f"**{tr('progress.downloads_for_you')}**")
        if uid is not None:
            guard.download_button(tr("progress.download_csv"), report.csv_builder(open_store, uid, scope, lang),
                                  file_name=f"{stem}-log.csv", mime="text/csv", icon=":material/table:",
                                  key="dl_csv")
        images = st.expander(tr("progress.downloads_images"), icon=":material/image:", key="progress_png_fold",
                             on_change="rerun")
        if images.open:
            with images:
                for name in progress_view.chart_names(view):
                    if not progress_view.has_chart(view, name):
                        continue
                    label = tr("progress.download_png", chart=tr(progress_view.CHARTS[name].label_key))
                    guard.download_button(label, report.png_builder(open_store, uid, scope, lang, name, today,
                                                                    ratings if name == "trajectory" else None),
                                          file_name=f"{stem}-{name}.png", mime="image/png",
                                          icon=":material/image:", key=f"dl_png_{name}", public=public)


def trajectory_section(view, key: tuple) -> None:
    # Her choice is kept under a key of its own: the picker is not drawn while another tab is open,
    # and Streamlit forgets a widget's value once it is not drawn.
    chosen = st.multiselect(
        tr("progress.signals_select"), list(rating_columns()), key="progress_ratings",
        default=st.session_state.get(CHOSEN_KEY, DEFAULT_RATINGS),
        format_func=lambda r: wording.rating_name(r, lang), placeholder=tr("common.choose_many"),
    )
    st.session_state[CHOSEN_KEY] = chosen
    st.caption(tr("progress.trajectory_help"))
    if not chosen:
        st.info(tr("progress.signals_none"))
    for rating in chosen:
        show_chart(key, "trajectory", view, rating)

    st.subheader(tr("progress.section_nights"), anchor=False)
    st.caption(tr("progress.nights_intro"))
    if not view.nights:
        st.info(tr("progress.nights_too_few", n=analysis.MIN_SIDE_DAYS))
    else:  # one list, one element to draw
        st.markdown("\n".join("- " + wording.night_line(split, lang) for split in view.nights))


def before_after_section(view, key: tuple) -> None:
    st.subheader(tr("progress.section_prepost"), anchor=False)
    if view.prepost is None:
        st.info(tr("progress.prepost_missing"))
    else:
        if view.prepost.total_pre is not None and view.prepost.total_post is not None:
            st.metric(tr("progress.total_score"), wording.fmt_num(view.prepost.total_post, lang, 0),
                      delta=wording.fmt_num(view.prepost.total_post - view.prepost.total_pre, lang, 0),
                      delta_color="inverse")
        show_chart(key, "prepost", view)

    mode = view.comparison.mode
    st.subheader(tr(f"progress.section_comparison_{mode}"), anchor=False)
    st.caption(tr(f"progress.comparison_help_{mode}", n=analysis.MIN_PHASE_DAYS))
    for c in view.comparison.completeness:
        st.caption(tr("progress.completeness", phase=tr(f"progress.phase_{c.phase}"), logged=c.logged,
                      days=wording.count("days", c.days, lang)))
    if view.comparison_frame is None or not len(view.comparison_frame):
        st.info(tr("progress.comparison_too_few", n=analysis.MIN_PHASE_DAYS))
    else:
        show_chart(key, "comparison", view)
    with st.expander(tr("progress.details.title"), icon=":material/list:"):
        st.markdown("\n".join("- " + wording.detail_line(r, lang) for r in view.comparison.ratings))


def calendar_section(view, key: tuple) -> None:
    st.subheader(tr("progress.section_adherence"), anchor=False)
    show_chart(key, "adherence", view)


def history_section(view, key: tuple) -> None:
    if view.history_frame is None or not len(view.history_frame):
        st.info(tr("progress.history_missing"))
    else:
        show_chart(key, "history", view)


# The charts sit in tabs, and only the open tab is drawn: on a phone the browser then draws the charts
# she looks at, not five or six at once (each tab's script runs only when she opens it).
SECTIONS = {"day": trajectory_section, "before_after": before_after_section, "calendar": calendar_section,
            "history": history_section}
TAB_LABELS = {"day": "progress.section_trajectory", "before_after": "progress.tab_before_after",
              "calendar": "progress.tab_calendar", "history": "progress.section_history"}


def sections(view) -> list[str]:
    return ["day", "before_after", "calendar"] if view.challenge is not None else ["day", "history"]


def render_view(view, key: tuple, uid: int | None, scope: str) -> None:
    st.subheader(tr("progress.section_summary"), anchor=False)
    st.markdown(" ".join(view.summary))
    if view.comparison is not None:
        if view.comparison.outcome == analysis.OVERALL:
            st.caption(tr("progress.headline.overall_help"))
        method = st.expander(tr("progress.method.title"), icon=":material/calculate:", key="progress_method_fold",
                             on_change="rerun")
        if method.open:
            method.markdown(wording.method(view.comparison, lang))
    caveat = st.expander(tr("progress.caveat_title"), icon=":material/info:", key="progress_caveat_fold",
                         on_change="rerun")
    if caveat.open:
        caveat.markdown(tr("progress.caveat"))

    names = sections(view)
    labels = [tr(TAB_LABELS[name]) for name in names]
    # The tab she had open stays open while she changes the data shown; a label from the other
    # language (she switched) or another scope falls back to the first tab.
    if st.session_state.get(TAB_KEY) not in labels:
        st.session_state.pop(TAB_KEY, None)
    tabs = st.tabs(labels, key=TAB_KEY, on_change="rerun")
    for name, tab in zip(names, tabs, strict=True):
        if tab.open:
            with tab:
                SECTIONS[name](view, key)

    download_buttons(key, view, uid, scope)


def show_example() -> None:
    st.info(tr("progress.example_banner"), icon=":material/science:")
    if st.button(tr("progress.back_to_mine"), key="progress_back"):
        st.session_state[EXAMPLE_KEY] = False
        st.rerun()
    view = _demo(lang)
    render_view(view, ("demo", lang), None, view.scope)


def example_button() -> None:
    if st.button(tr("progress.see_example"), icon=":material/visibility:", key="progress_see_example"):
        st.session_state[EXAMPLE_KEY] = True
        st.rerun()


def main() -> None:
    # Everything here stays local: Streamlit keeps each widget's format_func with the session, and
    # through it the module's globals. A view left there stayed in memory with every session, open
    # or closed, until the session expired (about 1 MiB a session with a year of logs).
    st.title(tr("progress.title"), anchor=False)
    st.caption(tr("progress.intro"))

    uid = ui.user_id()
    if st.session_state.get(EXAMPLE_KEY):
        show_example()
        return
    if uid is None:
        ui.require_login()
        example_button()
        return
    store = ui.store()
    challenges, fp = progress_service.state(store, uid)  # small: her challenges and a fingerprint of her rows
    options = progress_view.scope_options(challenges)
    n_logged = fp[0]
    if not options or not n_logged:
        st.info(tr("progress.empty"), icon=":material/insights:")
        example_button()
        return
    # A few choices are a list to tap, each name whole at any text size; many stay a drop-down.
    def name(s):
        return progress_view.scope_label(s, challenges, lang)
    if len(options) <= SCOPE_LIST_MAX:
        scope = st.radio(tr("progress.scope"), options, key="progress_scope", format_func=name)
    else:
        scope = st.selectbox(tr("progress.scope"), options, key="progress_scope", format_func=name,
                             placeholder=tr("common.choose_one"))
    today = ui.today().isoformat()
    view = _view(uid, scope, lang, today, store)
    if not view.logs and view.prepost is None:
        st.info(tr("progress.empty"), icon=":material/insights:")
        example_button()
    else:
        render_view(view, (uid, fp, scope, lang, today), uid, scope)


main()
