"""What a participant reads on a page in an AppTest run, as one string (for ``in`` checks)."""

from __future__ import annotations


def page_text(at) -> str:
    parts = [e.value for e in at.title] + [e.value for e in at.subheader] + [e.value for e in at.markdown]
    parts += [e.value for e in at.caption] + [e.value for e in at.text]
    parts += [e.body for e in at.info] + [e.body for e in at.success] + [e.body for e in at.warning]
    parts += [e.body for e in at.error]
    return "\n".join(str(p) for p in parts)


def day_picker(at):
    """The daily log's day picker (its key changes with the logged days; see pages/daily_log.py)."""
    return next(s for s in at.selectbox if s.key and s.key.startswith("log_day_pick_"))
