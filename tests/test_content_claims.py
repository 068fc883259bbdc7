"""What the content may claim: no "likely" for what is not validated, sources for medical facts, plain words."""

from __future__ import annotations

import re

import pytest

from lib import content, i18n, quiz

LIKELY = re.compile(r"\b(waarschijnlijk\w*|likely)\b", re.IGNORECASE)
VALIDATED = re.compile(r"\bMDS\b|Magnesium Depletion Score")


def _participant_texts(lang: str):
    """(where, text) for everything a participant reads in ``lang``: strings, Learn paragraphs, the quiz."""
    for key, text in i18n.strings(lang).items():
        yield f"i18n {key}", text
    for section in content.learn_sections(lang):
        for para in section.body.split("\n\n"):
            yield f"learn {section.id}", para
    for q in quiz.questions():
        yield f"question {q['id']}", quiz.question_text(q, lang)
        yield f"question {q['id']} help", quiz.question_help(q, lang) or ""
        for label in quiz.option_labels(q, lang).values():
            yield f"question {q['id']} option", label
    for c in quiz.contributor_defs():
        for field in ("name", "why"):
            yield f"contributor {c['id']} {field} ({c['kind']})", quiz.contributor_text(c["id"], field, lang)
    for s in quiz.safety_defs():
        yield f"safety {s['id']}", quiz.safety_text(s["id"], lang)


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_likely_is_never_said_of_an_unvalidated_contributor(lang):
    # Outside the validated score (the MDS) the app speaks of "possible" contributors: a text that says
    # "waarschijnlijk"/"likely" must be about the MDS, and a possible contributor never says it.
    for c in quiz.contributor_defs():
        if c["kind"] != quiz.MDS:
            for field in ("name", "why"):
                text = quiz.contributor_text(c["id"], field, lang)
                assert not LIKELY.search(text), f"{c['id']} {field}: {text}"
    offending = [(where, text) for where, text in _participant_texts(lang)
                 if LIKELY.search(text) and not VALIDATED.search(text)]
    assert offending == [], "say 'mogelijk'/'possible' instead: " + repr(offending)


def test_the_check_would_catch_the_old_heading():
    assert LIKELY.search("Waarschijnlijke oorzaken, de zwaarste eerst")
    assert LIKELY.search("Likely contributors, the weightiest first")
    assert not LIKELY.search("Mogelijke factoren") and not LIKELY.search("unlikely to matter")


# Phrases the texts no longer use: the blog post's own sentences, a promise the evidence cannot keep,
# and jargon without explanation.
RETIRED = {
    "nl": ["Vijf minuten rustig ademen kan al verschil maken", "fundamenten", "overlevingsstand",
           "ontspanning, herstel en energie", "wat magnesium voor jou doet", "wat magnesium via de huid voor jóu doet",
           "significant", "et al.", "de enige kleine proef"],
    "en": ["Five minutes of calm breathing can already make a difference", "foundations", "survival mode",
           "relaxation, recovery and energy", "what magnesium does for you", "significant", "the only small trial"],
}


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_retired_phrases_are_gone(lang):
    for where, text in _participant_texts(lang):
        for phrase in RETIRED[lang]:
            assert phrase.lower() not in text.lower(), f"{where}: {phrase!r}"


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_auc_is_only_named_inside_the_fold_out_that_explains_it(lang):
    for where, text in _participant_texts(lang):
        if "AUC" in text:
            assert where == "i18n quiz.feedback.mds_technical", where


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_the_medical_facts_in_learn_name_their_sources(lang):
    by_id = {s.id: s.body for s in content.learn_sections(lang)}
    food = by_id["what-you-can-do"]
    assert "300 mg" in food and "350 mg" in food
    for source in ("Gezondheidsraad", "Voedingscentrum", "EFSA"):
        assert source in food, source
    safety = by_id["safety"]
    for fact in ("250 mg", "levothyroxine", "4", "724 mg", "diabetes"):
        assert fact in safety.lower() or fact in safety, fact
    for source in ("Farmacotherapeutisch Kompas", "NHG", "Diabetes Fonds", "SCF", "EFSA"):
        assert source in safety, source
    assert "Kass" in by_id["evidence"] and "Gröber" in by_id["evidence"]
    assert "14" in by_id["why-common"] and "10" in by_id["why-common"], "the drink conversion"


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_pregnancy_is_not_said_to_need_extra_magnesium(lang):
    why = quiz.contributor_text("hormonal", "why", lang).lower()
    assert "zwanger" not in why and "pregnan" not in why
    assert "300" in next(s.body for s in content.learn_sections(lang) if s.id == "what-you-can-do")
