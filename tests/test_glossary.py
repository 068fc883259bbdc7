"""One word for one thing: each language's glossary (content/glossary/<lang>.toml) names the word the app
uses for each of its ideas and the words that mean the same. A text that uses one of those other words
fails here, with the file and key (or line) where it stands, so the Dutch stays consistent: "basisweek"
on every page, never "nulmeting" on one of them."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from lib import export
from lib.content import CONTENT_DIR
from lib.i18n import LANGUAGES

GLOSSARY_DIR = CONTENT_DIR / "glossary"
# "dag(en)", "challenge(s)": a count that does not know its own form; use a plural table (README).
PLURAL_HACK = re.compile(r"\w\((?:en|s|e|n|es)\)")


def glossary(lang: str) -> dict[str, dict]:
    return tomllib.loads((GLOSSARY_DIR / f"{lang}.toml").read_text(encoding="utf-8"))["terms"]


def _strings(node, where: str, lang: str | None = None):
    """Every string under ``node``; with ``lang``, only those under a key of that language (signals.toml and
    quiz.toml keep both languages side by side)."""
    if isinstance(node, str):
        if lang is None:
            yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            if lang is not None and key == lang:
                yield from _strings(value, f"{where}.{key}")
            elif lang is None or key not in LANGUAGES:
                yield from _strings(value, f"{where}.{key}", lang)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, f"{where}[{i}]", lang)


def texts(lang: str) -> list[tuple[str, str]]:
    """Every text a participant can read in ``lang``: interface strings, Learn, signals, quiz, the ZIP's README."""
    out: list[tuple[str, str]] = []
    for path in sorted((CONTENT_DIR / "i18n" / lang).glob("*.toml")):
        out += _strings(tomllib.loads(path.read_text(encoding="utf-8")), f"i18n/{lang}/{path.name}")
    for path in sorted((CONTENT_DIR / "learn" / lang).glob("*.md")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            out.append((f"learn/{lang}/{path.name}:{n}", line))
    for name in ("signals.toml", "quiz.toml"):
        out += _strings(tomllib.loads((CONTENT_DIR / name).read_text(encoding="utf-8")), name, lang)
    if lang in export.README:
        out.append(("lib/export.py README", export.README[lang]))
    return out


def _uses(text: str, word: str) -> bool:
    # From the start of a word: "nulmeting" is found in "nulmetingsweek", "diary" not in "intermediary".
    return re.search(r"(?<![\w-])" + re.escape(word), text, flags=re.IGNORECASE) is not None


def test_every_language_has_a_glossary_with_the_same_ideas():
    ideas = {lang: set(glossary(lang)) for lang in LANGUAGES}
    first = ideas[next(iter(LANGUAGES))]
    assert len(first) >= 8
    for lang, names in ideas.items():
        assert names == first, f"{lang}: {sorted(names ^ first)}"
        for name, term in glossary(lang).items():
            assert term["use"] and term["means"], (lang, name)
            assert isinstance(term["avoid"], list) and term["avoid"], (lang, name)
            assert all(not _uses(term["use"], other) for other in term["avoid"]), (lang, name)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_no_text_uses_a_word_the_glossary_replaces(lang):
    found = []
    for name, term in glossary(lang).items():
        for other in term["avoid"]:
            found += [f"{where}: '{other}' (the app says '{term['use']}')" for where, text in texts(lang)
                      if _uses(text, other)]
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_glossary_word_is_the_one_the_texts_use(lang):
    everything = "\n".join(text for _, text in texts(lang))
    unused = [term["use"] for term in glossary(lang).values() if not _uses(everything, term["use"])]
    assert unused == []


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_no_text_leaves_a_count_to_guess_its_form(lang):
    hacks = [f"{where}: {PLURAL_HACK.search(text).group()}" for where, text in texts(lang) if PLURAL_HACK.search(text)]
    assert hacks == []


def test_the_glossary_check_finds_a_replaced_word(tmp_path):
    """The check itself: an old word inside a longer one, in any case, is found; a word that merely
    contains it in the middle is not."""
    assert _uses("In je Nulmetingsweek", "nulmeting")
    assert _uses("Mijn logboek (CSV)", "logboek")
    assert not _uses("an intermediary step", "diary")
    assert PLURAL_HACK.search("verspreid over 2 uitdaging(en)")
    assert not PLURAL_HACK.search("verspreid over 2 challenges (zie boven)")


def test_the_glossary_files_are_where_the_practitioner_edits_texts():
    assert Path(GLOSSARY_DIR).is_dir()
    assert sorted(p.stem for p in GLOSSARY_DIR.glob("*.toml")) == sorted(LANGUAGES)


# Modules whose text a participant reads: a number, date or time there is written by lib/locales.py.
READ_BY_HER = ["pages/*.py", "lib/ui/*.py", "lib/wording.py", "lib/report.py", "lib/charts.py",
               "lib/progress_view.py", "streamlit_app.py"]
HAND_FORMATS = [
    (re.compile(r"\.strftime\("), "strftime"),
    (re.compile(r"\{[^{}]*:[+ ]?[,_]?\.?\d*[dfeg%]\}"), "an f-string number format"),
    (re.compile(r"%\.?\d*[df]\b\"?\s*%"), "a %-format"),
]


ISO_IN_TEXT = re.compile(r"\btr?\([^)]*isoformat\(\)")


def test_the_hand_format_check_finds_hand_formats():
    samples = ['f"{score:.1f} punten"', "when.strftime('%Y-%m-%d')", 'f"{d:+d}"', '"%.2f" % amount']
    assert all(any(regex.search(s) for regex, _ in HAND_FORMATS) for s in samples)
    assert ISO_IN_TEXT.search('tr("common.clock_moved", day=fixed.isoformat())')
    assert not ISO_IN_TEXT.search('mark = tr("log.day_logged") if day.isoformat() in logged else x')
    assert not any(regex.search('f"{stem}-{name}.png"') for regex, _ in HAND_FORMATS)


def test_numbers_dates_and_times_are_written_only_through_the_locale_layer():
    """"65.6", "10.00" or "2026-03-01" in a Dutch sentence come from formatting by hand; lib/locales.py
    writes them the way her language does ("65,6", "1 maart 2026")."""
    root = CONTENT_DIR.parent
    found = []
    for pattern in READ_BY_HER:
        for path in sorted(root.glob(pattern)):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("#", 1)[0]
                for regex, what in HAND_FORMATS:
                    if regex.search(code):
                        found.append(f"{path.relative_to(root)}:{n}: {what}: {line.strip()}")
                if ISO_IN_TEXT.search(code):
                    found.append(f"{path.relative_to(root)}:{n}: an ISO date in a text: {line.strip()}")
    assert found == [], "\n".join(found)
