"""Every text colour of the theme meets WCAG 2.2 AA (4.5:1) on every background it is drawn on, computed
from the colours themselves (lib/theme.py), so a practice that changes a colour learns at once."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from lib import charts, theme

TH = theme.current()
WHITE = "#FFFFFF"

# (what, foreground, background) for every text the app paints itself.
PAIRS = [
    ("text on the page", TH.text, TH.background),
    ("text in a field or the side panel", TH.text, TH.secondary_background),
    ("captions, hints, chart summaries on the page", TH.muted_text, TH.background),
    ("captions and hints in the side panel or a field", TH.muted_text, TH.secondary_background),
    ("links and the primary colour as text", TH.primary, TH.background),
    ("a primary button's label", WHITE, TH.primary),
    ("a destructive button's label", WHITE, TH.danger),
    ("chart axis, legend and title text", charts.INK, TH.background),
]


def test_contrast_ratio_matches_the_wcag_reference_values():
    assert theme.contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert theme.contrast("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    # WCAG's own example boundary: #767676 on white is the lightest grey that passes AA (4.54:1).
    assert theme.contrast("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    assert theme.contrast("#777777", "#FFFFFF") < theme.AA_TEXT
    assert theme.contrast("#fff", "#000") == theme.contrast("#000000", "#ffffff")


@pytest.mark.parametrize(("what", "fg", "bg"), PAIRS, ids=[p[0] for p in PAIRS])
def test_every_theme_text_colour_meets_aa(what, fg, bg):
    assert theme.contrast(fg, bg) >= theme.AA_TEXT, f"{what}: {fg} on {bg} is {theme.contrast(fg, bg):.2f}:1"


def test_streamlits_own_caption_colour_would_not_meet_aa():
    """Why the app repaints captions: 60 % of the text colour over white is below AA."""
    def blend(fg: str, bg: str, alpha: float) -> str:
        f = [int(fg[i:i + 2], 16) for i in (1, 3, 5)]
        b = [int(bg[i:i + 2], 16) for i in (1, 3, 5)]
        return "#" + "".join(f"{round(alpha * x + (1 - alpha) * y):02X}" for x, y in zip(f, b, strict=True))

    assert theme.contrast(blend(TH.text, TH.background, 0.6), TH.background) < theme.AA_TEXT
    assert theme.contrast(TH.muted_text, TH.background) >= theme.AA_TEXT


def test_chart_text_is_readable_in_an_aa_colour():
    chart = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_line().encode(x="x:Q", y="y:Q")
    config = charts.spec(chart.properties(title="t"), "nl")["config"]
    for part in ("axis", "legend"):
        assert theme.contrast(config[part]["labelColor"], TH.background) >= theme.AA_TEXT, part
        assert theme.contrast(config[part]["titleColor"], TH.background) >= theme.AA_TEXT, part
        assert config[part]["labelFontSize"] >= 12, part
    assert theme.contrast(config["title"]["color"], TH.background) >= theme.AA_TEXT
