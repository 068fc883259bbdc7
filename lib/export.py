"""Her data as one ZIP: ``data.json`` with everything, and one CSV per table for a spreadsheet.

Built only when she clicks the download button (``st.download_button(data=callable)`` runs the
callable on another thread), so it receives the store factory, opens its own store and never touches session state.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile

from lib import clock, locales, logs
from lib.i18n import t
from lib.store import StoreFactory

README = {
    "nl": "Dit zijn al je gegevens uit de Magnesium Challenge, gedownload op {at} (UTC).\n"
    "data.json bevat alles samen; elk .csv-bestand is een tabel die je in een spreadsheet kunt openen\n"
    "(puntkomma als scheidingsteken, UTF-8).\n",
    "en": "This is all your data from the Magnesium Challenge, downloaded on {at} (UTC).\n"
    "data.json holds everything together; each .csv file is one table that opens in a spreadsheet\n"
    "(comma-separated, UTF-8).\n",
}


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    """A text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice for
    CSV files; every CSV of the app goes through here); data.json keeps every value exactly as stored."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv(rows: list[dict], lang: str = "nl") -> bytes:
    """One table for her spreadsheet, split by the separator her language's spreadsheets expect (";" in
    Dutch, lib/locales.py); the column names stay those of data.json, so the two can be read together."""
    out = io.StringIO()
    if rows:
        columns = list(rows[0])
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n", delimiter=locales.csv_separator(lang))
        writer.writeheader()
        writer.writerows({k: spreadsheet_cell(v) for k, v in row.items()} for row in rows)
    # A byte-order mark so spreadsheet programs read the accents right.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def build_zip(open_store: StoreFactory, user_id: int, lang: str = "nl") -> bytes:
    """The ZIP's bytes for one participant (only her rows: every query filters on her id)."""
    data = open_store().export_user_data(user_id)
    logs.get("account").info("data export built: user=%s", user_id)
    at = clock.iso_now()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("README.txt", README.get(lang, README["nl"]).format(at=at))
        zf.writestr("data.json", json.dumps({"exported_at": at, "tables": data}, ensure_ascii=False, indent=2))
        for table, rows in data.items():
            zf.writestr(f"{table}.csv", _csv(rows, lang))
    return buf.getvalue()


def file_name(lang: str = "nl") -> str:
    stem = t("account.export_file_stem", lang)
    return f"magnesium-challenge-{stem}-{clock.now_utc().date().isoformat()}.zip"
