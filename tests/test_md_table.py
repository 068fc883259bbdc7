"""Learn's Markdown tables drawn as HTML whose cells name their column (they reflow on a phone)."""

from __future__ import annotations

from lib import md_table
from lib.content import learn_sections


def test_a_table_is_cut_out_of_the_text_around_it_in_order():
    parts = md_table.split("Intro.\n\n| A | B |\n| --- | ---: |\n| 1 | 2 |\n| 3 | 4 |\n\nOutro.")
    assert parts[0].strip() == "Intro." and parts[2].strip() == "Outro."
    assert parts[1] == md_table.Table(["A", "B"], [["1", "2"], ["3", "4"]])
    assert md_table.split("No table | here.\n\n- a | b") == ["No table | here.\n\n- a | b"]


def test_every_cell_carries_its_column_name_and_stays_inert():
    table = md_table.Table(["Voedingsgroep", "**Hoeveel**"], [["<script>x</script>", "**150** mg"]])
    html = md_table.table_html(table)
    assert '<td data-label="Voedingsgroep">&lt;script&gt;x&lt;/script&gt;</td>' in html
    assert '<td data-label="Hoeveel"><strong>150</strong> mg</td>' in html
    assert "<script>" not in html and "\n\n" not in html


def test_learns_food_table_is_drawn_with_labels_in_both_languages():
    for lang, first in (("nl", "Voedingsgroep"), ("en", "Food group")):
        section = next(s for s in learn_sections(lang) if s.id == "what-you-can-do")
        tables = [p for p in md_table.split(section.body) if isinstance(p, md_table.Table)]
        assert len(tables) == 1 and len(tables[0].rows) >= 10
        assert tables[0].header[0] == first
        assert f'data-label="{first}"' in md_table.table_html(tables[0])
