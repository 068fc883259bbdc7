"""What replacing a day would change: only the fields that differ, as "6 → 8", in a table narrow enough
for a phone. The daily log shows it before she confirms a replace.

Her own words (the note) are only ever escaped text in this HTML, never Markdown: in Markdown
``www.example.org`` would become a link and ``:material/home:`` an icon however it was escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from lib import challenge as rules
from lib import locales
from lib.i18n import t
from lib.signals import by_rating, rating_columns


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


def _value(value, lang: str) -> str:
    if value is None or value == "":
        return t("log.empty", lang)
    if isinstance(value, float):
        return locales.number(value, lang)
    return " ".join(str(value).split())  # one line: a table row must not break


def entry_rows(entry: dict, lang: str) -> list[tuple[str, str]]:
    """Her entry as (label, value) pairs, every field the log has, in the form's order."""
    applied = entry.get("applied")
    method = entry.get("method")
    amount = entry.get("amount")
    rows = [
        (t("log.field_applied", lang), t("log.yes", lang) if applied else t("log.no", lang)),
        (t("log.field_method", lang),
         t(f"challenge.method_{method}", lang) if applied and method in rules.METHODS else t("log.empty", lang)),
        (t("log.field_amount", lang), _value(None if amount is None or not applied else float(amount), lang)),
    ]
    signals = by_rating()
    rows += [(signals[c].text("rating", lang), _value(entry.get(c), lang)) for c in rating_columns()]
    rows += [(t("log.field_relaxation", lang), _value(entry.get("relaxation_minutes"), lang)),
             (t("log.field_coffee", lang), _value(entry.get("coffee_cups"), lang)),
             (t("log.field_alcohol", lang), _value(entry.get("alcohol_glasses"), lang)),
             (t("log.field_note", lang), _value(entry.get("note"), lang))]
    return rows


def changes(existing: dict, new: dict, lang: str) -> list[Change]:
    """Only the fields whose shown value differs between what is saved and her new entry."""
    return [Change(label, old, value)
            for (label, old), (_label, value) in zip(entry_rows(existing, lang), entry_rows(new, lang), strict=True)
            if old != value]


STYLE = """<style>
table.mg-compare { border-collapse: collapse; width: 100%; max-width: 100%; table-layout: fixed; font-size: .95rem; }
table.mg-compare th, table.mg-compare td { text-align: left; padding: .35rem .4rem; vertical-align: top;
  border-bottom: 1px solid rgba(128, 128, 128, .25); overflow-wrap: anywhere; word-break: break-word; }
table.mg-compare thead th { font-weight: 600; }
table.mg-compare tbody th { font-weight: normal; }
table.mg-compare tbody th, table.mg-compare thead th:first-child { width: 34%; }
table.mg-compare .mg-arrow { padding: 0 .3rem; }
table.mg-compare .mg-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
</style>"""


def changes_html(existing: dict, new: dict, lang: str) -> str:
    """The changed fields as "saved → new", every value escaped; a line saying so when nothing differs."""
    rows = changes(existing, new, lang)
    if not rows:
        return f'<p class="mg-compare-none">{escape(t("log.confirm_same", lang))}</p>'
    becomes = escape(t("log.confirm_becomes", lang))
    body = "".join(
        f'<tr><th scope="row">{escape(c.label)}</th><td>{escape(c.old)}'
        f'<span class="mg-arrow" aria-hidden="true">→</span><span class="mg-sr"> {becomes} </span>'
        f"<strong>{escape(c.new)}</strong></td></tr>"
        for c in rows
    )
    head = (f'<thead><tr><th scope="col">{escape(t("log.confirm_field", lang))}</th>'
            f'<th scope="col">{escape(t("log.confirm_change", lang))}</th></tr></thead>')
    return f'{STYLE}<table class="mg-compare">{head}<tbody>{body}</tbody></table>'
