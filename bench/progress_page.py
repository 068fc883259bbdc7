"""Progress page speed: AppTest reruns with a year of logs, against bench/reference_page.py.

Run: ``python -m bench.progress_page`` (or ``python bench/progress_page.py``). Reruns of the
reference and of the Progress page alternate in one process (noise between runs is 10-25 %), and
the result is reported as a ratio of medians. Also timed: the PDF report and one chart PNG, which
are built only when she clicks a download button, never on a rerun.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.figures import median_ms, print_figures  # noqa: E402 - after the path is set

ROUNDS = 30
BAR = 3.0  # the Progress page may take at most 3x the reference


def run(rounds: int = ROUNDS, days: int = 365) -> dict:
    tmp = tempfile.mkdtemp(prefix="bench-progress-")
    from lib import settings

    settings.install(settings.Settings(database=Path(tmp) / "bench.db"))
    from streamlit.testing.v1 import AppTest

    from lib import progress_view, report
    from lib.store import open_store
    from tests import factories

    store = open_store()
    uid = store.create_user("bench")
    end = dt.date(2026, 11, 20)
    factories.store_history(store, uid, end=end, days=days)
    logged = len(store.daily_logs(uid))

    ref = AppTest.from_file(str(ROOT / "bench" / "reference_page.py"), default_timeout=60)
    ref.run()
    page = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    page.session_state["lang"] = "nl"
    page.session_state["user_id"] = uid
    page.run()
    page.switch_page("pages/progress.py").run()
    assert not page.exception, page.exception
    history = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    history.session_state["lang"] = "nl"
    history.session_state["user_id"] = uid
    history.run()
    history.switch_page("pages/progress.py").run()
    history.selectbox(key="progress_scope").set_value(progress_view.HISTORY).run()
    assert not history.exception, history.exception

    t_ref, t_page, t_hist = [], [], []
    for _ in range(rounds):  # alternate, so drift hits all three alike
        for at, out in ((ref, t_ref), (page, t_page), (history, t_hist)):
            start = time.perf_counter()
            at.run()
            out.append(time.perf_counter() - start)

    challenges, logs, assessments = store.progress_data(uid)
    current = progress_view.default_scope(challenges)
    # With only a few days there is just the active challenge: time the PDF of that one then.
    closed = [c for c in challenges if c["status"] != "active"] or challenges
    finished = progress_view.challenge_scope(closed[0]["id"])
    pdf_times, png_times = [], []
    for _ in range(5):
        start = time.perf_counter()
        pdf = report.pdf_builder(open_store, uid, finished, "nl", end)()
        pdf_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        png = report.png_builder(open_store, uid, current, "nl", "trajectory", end)()
        png_times.append(time.perf_counter() - start)
    ref_ms, page_ms, hist_ms = median_ms(t_ref), median_ms(t_page), median_ms(t_hist)
    return {
        "logged_days": logged,
        "challenges": len(challenges),
        "rounds": rounds,
        "reference_rerun_ms": ref_ms,
        "progress_rerun_ms": page_ms,
        "progress_ratio": round(page_ms / ref_ms, 2),
        "progress_history_rerun_ms": hist_ms,
        "progress_history_ratio": round(hist_ms / ref_ms, 2),
        "bar": BAR,
        "pdf_ms": median_ms(pdf_times),
        "pdf_bytes": len(pdf),
        "png_trajectory_ms": median_ms(png_times),
        "png_bytes": len(png),
    }


def main() -> None:
    result = run()
    print_figures("progress_page", result)
    ok = result["progress_ratio"] <= BAR and result["progress_history_ratio"] <= BAR
    print("within the bar" if ok else f"OVER the bar of {BAR}x")


if __name__ == "__main__":
    main()
