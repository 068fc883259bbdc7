"""The one place that knows how a language writes numbers, dates and plurals (Babel, CLDR data).

Pages, charts, the PDF and the downloads ask here; nothing else branches on the language code. A new
language needs no code here: its Babel locale is its code (``de`` -> German formats). ``LOCALE_TAGS``
only says which region's conventions a code means where that matters (British English: "3 March 2026").
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_time as _format_time
from babel.numbers import format_decimal, get_currency_symbol

from lib.i18n import DEFAULT_LANG

# Language code -> the Babel (CLDR) locale whose conventions it follows; any other code is its own locale.
LOCALE_TAGS: dict[str, str] = {"nl": "nl_NL", "en": "en_GB"}
# The date picker's format where it differs from the locale's own short date (English kept ISO order).
DATE_INPUT_FORMATS: dict[str, str] = {"en": "YYYY-MM-DD"}


@functools.lru_cache(maxsize=32)
def babel_locale(lang: str | None) -> Locale:
    code = lang or DEFAULT_LANG
    try:
        return Locale.parse(LOCALE_TAGS.get(code, code))
    except (ValueError, TypeError):
        return Locale.parse(LOCALE_TAGS[DEFAULT_LANG])


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


# -- numbers -------------------------------------------------------------------------------------------
def number(value: float, lang: str | None, digits: int | None = None) -> str:
    """``number(2.26, "nl", 1)`` -> "2,3"; without ``digits`` as few as needed ("1,5", "3"). No grouping."""
    pattern = "0" + ("." + "0" * digits if digits else "") if digits is not None else "0.######"
    return format_decimal(value, format=pattern, locale=babel_locale(lang), group_separator=False)


def signed(value: float, lang: str | None) -> str:
    """A change with its sign: "+1,5", "-2", "+0"."""
    return ("+" if value >= 0 else "") + number(value, lang)


def csv_separator(lang: str | None) -> str:
    """The field separator her spreadsheet expects: a semicolon where the decimal sign is a comma (Dutch
    Excel and LibreOffice read "6,5" as a number and split on ";"), else a comma."""
    loc = babel_locale(lang)
    symbols = loc.number_symbols.get("latn", loc.number_symbols)
    return ";" if symbols["decimal"] == "," else ","


# -- dates ---------------------------------------------------------------------------------------------
def date_long(value, lang: str | None) -> str:
    """"3 maart 2026" / "3 March 2026" (CLDR's long date)."""
    return _babel_date(_day(value), format="long", locale=babel_locale(lang))


def day_month(value, lang: str | None) -> str:
    """"2 december" / "2 December": a day of this challenge, where the year goes without saying (CLDR's MMMMd)."""
    from babel.dates import format_skeleton

    return format_skeleton("MMMMd", _day(value), locale=babel_locale(lang))


def date_full(value, lang: str | None) -> str:
    """"dinsdag 10 maart 2026" / "Tuesday 10 March 2026" (CLDR's full date): a day she picks from a list."""
    return _babel_date(_day(value), format="full", locale=babel_locale(lang))


def date_medium(value, lang: str | None) -> str:
    """"3 mrt 2026" / "3 Mar 2026" (CLDR's medium date): where a long date takes too much room."""
    return _babel_date(_day(value), format="medium", locale=babel_locale(lang))


def date_time(value: dt.datetime, lang: str | None) -> str:
    """A moment she saw on her own clock: "3 mrt 2026, 14:05" / "3 Mar 2026, 14:05" (CLDR's medium date
    with the short time). ``value`` is already in her time zone."""
    return f"{date_medium(value.date(), lang)}, {_format_time(value, format='short', locale=babel_locale(lang))}"


def time_short(value: dt.datetime, lang: str | None) -> str:
    """"14:05" (or "2:05 pm" where a language writes it so), in the zone ``value`` is in."""
    return _format_time(value, format="short", locale=babel_locale(lang))


def _short_pattern(lang: str | None) -> str:
    return babel_locale(lang).date_formats["short"].pattern


def date_input_format(lang: str | None) -> str:
    """The format for ``st.date_input``: the locale's short date order and separator ("DD-MM-YYYY")."""
    if lang in DATE_INPUT_FORMATS:
        return DATE_INPUT_FORMATS[lang]
    pattern = _short_pattern(lang)
    order = [c for c in re.findall(r"[dMy]", pattern)]
    order = list(dict.fromkeys(order))
    sep = next((c for c in pattern if c in "/-."), "-")
    parts = {"d": "DD", "M": "MM", "y": "YYYY"}
    return sep.join(parts[c] for c in order) if len(order) == 3 else "YYYY-MM-DD"


def _strftime(pattern: str) -> str:
    """A CLDR date pattern ("dd-MM-y") as a d3/strftime one ("%d-%m-%Y")."""
    out = re.sub(r"d+", lambda m: "%d" if len(m.group()) > 1 else "%e", pattern)
    out = re.sub(r"M+", "%m", out)
    return re.sub(r"y+", "%Y", out)


# -- plurals -------------------------------------------------------------------------------------------
def plural_form(n: float, lang: str | None) -> str:
    """CLDR's plural category for ``n``: "one", "other" (and "few", "many", ... where a language has them)."""
    return babel_locale(lang).plural_form(n)


# -- charts (Vega-Lite's d3 locale) -------------------------------------------------------------------
def vega_locale(lang: str | None) -> dict:
    """Vega-Lite ``config.locale`` for her language: decimal sign, grouping, day and month names."""
    loc = babel_locale(lang)
    symbols = loc.number_symbols.get("latn", loc.number_symbols)
    sunday_first = [6, 0, 1, 2, 3, 4, 5]  # Babel counts from Monday, d3 from Sunday
    days, standalone = loc.days["format"], loc.months["stand-alone"]  # "maart", "marzec" (not "marca")
    periods = loc.day_periods.get("format", {}).get("abbreviated", {})
    date = _strftime(_short_pattern(lang))
    return {
        "number": {"decimal": symbols["decimal"], "thousands": symbols["group"], "grouping": [3],
                   "currency": [get_currency_symbol("EUR", locale=loc), ""]},
        "time": {
            "dateTime": f"%a {date} %X", "date": date, "time": "%H:%M:%S",
            "periods": [periods.get("am", "AM"), periods.get("pm", "PM")],
            "days": [days["wide"][i] for i in sunday_first],
            "shortDays": [days["abbreviated"][i] for i in sunday_first],
            "months": [standalone["wide"][i] for i in range(1, 13)],
            "shortMonths": [standalone["abbreviated"][i] for i in range(1, 13)],
        },
    }
