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


def rating_scales(at) -> dict:
    """The daily log's rating scales as she sees them: {rating: value or None}. The browser draws them
    (lib/ui/rating_scales.py) from the day's saved values, with her taps (kept in her session) over them;
    AppTest knows them only as that data, so that is what is read here."""
    import json

    def walk(node):
        for child in (getattr(node, "children", None) or {}).values():
            yield child
            yield from walk(child)

    drawn = [e for e in walk(at._tree) if getattr(e, "type", "") == "bidi_component"]
    assert len(drawn) == 1, f"{len(drawn)} sets of rating scales"
    data = json.loads(drawn[0].proto.json)
    tapped = at.session_state.get(data["form"], {})
    return {n: tapped.get(n, v) for n, v in data["saved"].items()}


def rate(at, day: str, **values) -> None:
    """Taps on the day's rating scales, as the browser sends them: her taps so far plus these."""
    key = f"log_ratings_{day}"
    tapped = dict(at.session_state[key]) if key in at.session_state else {}
    at.session_state[key] = {**tapped, **values}
