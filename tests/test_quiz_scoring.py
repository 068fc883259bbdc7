"""The quiz's scoring on worked examples, and properties that must hold for any answers."""

from hypothesis import given, settings
from hypothesis import strategies as st

from lib import quiz, signals


def answers(signal_values=None, **qs):
    return {"questions": qs, "signals": dict(signal_values or {})}


def ids(result):
    return [c.id for c in result.contributors]


def test_an_empty_quiz_names_nothing_and_counts_every_question_as_open():
    r = quiz.score(quiz.empty_answers())
    assert r.contributors == []
    assert r.mds == 0 and r.mds_items_known == 0 and r.mds_band == "low"
    assert r.signal_score is None and r.signal_band is None and r.signals_answered == 0
    assert r.top_signals == [] and r.safety_flags == []
    asked = [q for q in quiz.questions() if not q.get("optional")]
    assert r.open_questions == r.total_questions == len(asked) + 8


def test_unanswered_is_unknown_not_no():
    # "no" to the PPI question makes the item known; leaving it out leaves it open.
    assert quiz.score(answers(ppi="no")).mds_items_known == 1
    assert quiz.score(answers()).mds_items_known == 0
    assert quiz.score(answers(ppi="unknown")).mds_items_known == 0
    assert quiz.score(answers(ppi="no")).open_questions == quiz.score(answers()).open_questions - 1


def test_mds_items_add_up_as_in_the_paper():
    # Fan et al. 2021: diuretic 1, PPI 1, heavy drinking 1, eGFR 60-89 1, eGFR < 60 2.
    assert quiz.score(answers(diuretic="yes")).mds == 1
    assert quiz.score(answers(ppi="yes")).mds == 1
    assert quiz.score(answers(kidneys="egfr_60_89")).mds == 1
    assert quiz.score(answers(kidneys="egfr_under_60")).mds == 2
    assert quiz.score(answers(ppi="yes", diuretic="yes")).mds == 2
    full = quiz.score(answers(ppi="yes", diuretic="yes", alcohol="20+", sex="man", kidneys="egfr_under_60"))
    assert full.mds == 5 and full.mds_band == "high" and full.mds_items_known == 4


def test_mds_bands_at_their_boundaries():
    assert quiz.score(answers(ppi="yes")).mds_band == "low"  # 1
    assert quiz.score(answers(ppi="yes", diuretic="yes")).mds_band == "middle"  # 2
    assert quiz.score(answers(ppi="yes", kidneys="egfr_under_60")).mds_band == "high"  # 3


def test_kidneys_less_well_without_a_number_score_the_sure_point_and_say_the_score_is_less_certain():
    # Fan et al. 2021 score eGFR 60-89 with 1 point and under 60 with 2. "Less well" means an eGFR
    # under 90, so 1 point is sure and a second one possible: the score counts 1 and says it may be 2,
    # never the worse case as if it were known. The safety advice still takes the worse case.
    r = quiz.score(answers(kidneys="less_well"))
    assert r.mds == 1 and r.mds_uncertain == 1 and r.mds_band == "low"
    assert r.safety_flags == ["kidney"]
    assert r.contributors[0].id == "kidneys" and r.contributors[0].mds_points == 1
    assert r.mds_items_known == 1
    # Known numbers are exact: no uncertainty.
    for option, points in (("egfr_60_89", 1), ("egfr_under_60", 2)):
        known = quiz.score(answers(kidneys=option))
        assert (known.mds, known.mds_uncertain) == (points, 0), option
    # A known eGFR of 60-89 is one point and no flag; "don't know" is nothing.
    assert quiz.score(answers(kidneys="egfr_60_89")).safety_flags == []
    assert quiz.score(answers(kidneys="unknown")).mds == 0
    # With the other items the range is 4 sure, 5 possible; the uncertainty never passes the maximum.
    most = quiz.score(answers(ppi="yes", diuretic="yes", alcohol="20+", sex="man", kidneys="less_well"))
    assert most.mds == 4 and most.mds_uncertain == 1


def test_heavy_drinking_thresholds_in_grams_for_women_men_and_not_said():
    # Fan et al. 2021: more than 1 US drink (14 g) a day for women, more than 2 for men.
    assert quiz.heavy_drinking_limit_grams("woman") == 7 * 14 == 98
    assert quiz.heavy_drinking_limit_grams("man") == 14 * 14 == 196
    assert quiz.heavy_drinking_limit_grams("unsaid") == 98
    assert quiz.heavy_drinking_limit_grams(None) == 98
    # The options in Dutch 10-g glasses a week, as grams.
    assert quiz.alcohol_grams_range("1-9") == (10, 90)
    assert quiz.alcohol_grams_range("10-19") == (100, 190)
    assert quiz.alcohol_grams_range("20+")[0] == 200
    # 10-19 glasses (100-190 g): above 98 g (women, not said), not above 196 g (men).
    for sex in ("woman", "unsaid", None):
        kw = {"alcohol": "10-19"} | ({"sex": sex} if sex else {})
        r = quiz.score(answers(**kw))
        assert r.mds == 1 and "alcohol_heavy" in ids(r) and "alcohol" not in ids(r), sex
        # 1-9 glasses (at most 90 g) is not heavy drinking for anyone.
        light = quiz.score(answers(**(kw | {"alcohol": "1-9"})))
        assert light.mds == 0 and ids(light) == ["alcohol"], sex
    man = quiz.score(answers(alcohol="10-19", sex="man"))
    assert man.mds == 0 and "alcohol_heavy" not in ids(man) and "alcohol" in ids(man)
    assert quiz.score(answers(alcohol="20+", sex="man")).mds == 1
    assert quiz.score(answers(alcohol="0")).contributors == []
    assert quiz.is_heavy_drinking({}) is None


def test_every_alcohol_option_lies_wholly_above_or_below_each_threshold():
    # Otherwise the threshold could not be applied exactly: the practitioner may re-cut the options,
    # but never across 98 g or 196 g a week.
    alcohol = next(q for q in quiz.questions() if q["id"] == "alcohol")
    for sex in ("woman", "man", "unsaid"):
        limit = quiz.heavy_drinking_limit_grams(sex)
        for option in alcohol["options"]:
            low, high = quiz.alcohol_grams_range(option)
            assert low > limit or high <= limit, (sex, option, low, high, limit)


def test_contributors_are_ranked_by_weight_and_tagged_by_kind():
    r = quiz.score(answers(ppi="yes", coffee="5+", statin="yes", stress_duration="year", stress_heavy="heavy"))
    assert ids(r) == ["ppi", "stress", "coffee", "statin"]
    kinds = {c.id: c.kind for c in r.contributors}
    assert kinds == {"ppi": "mds", "stress": "possible", "coffee": "possible", "statin": "possible"}
    scores = [c.score for c in r.contributors]
    assert scores == sorted(scores, reverse=True)


def test_a_person_with_only_stress_and_coffee():
    r = quiz.score(answers(stress_duration="months", stress_heavy="moderate", coffee="3-4"))
    assert ids(r) == ["stress", "coffee"]
    assert r.contributors[0].score == round(3 * 0.8 * 0.7, 4)
    assert r.contributors[1].score == round(1.5 * 0.7, 4)
    assert r.mds == 0 and r.safety_flags == []
    # Stress "not at all" is no contributor, however heavy the second answer.
    assert quiz.score(answers(stress_duration="none", stress_heavy="heavy")).contributors == []


def test_a_maximal_quiz():
    qs = {q["id"]: q["options"][-1] for q in quiz.questions()}
    qs.update(safety_kidney="yes", safety_heart="yes", safety_myasthenia="yes", safety_stones="yes",
              safety_pregnant="yes", safety_oral_magnesium="yes", safety_thyroid="yes", safety_acute="yes",
              ppi="yes", diuretic="yes", statin="yes", diabetes="yes", diarrhoea="yes", laxative="other",
              kidneys="egfr_under_60", hormonal="pregnant", sex="man", alcohol="20+")
    r = quiz.score({"questions": qs, "signals": {s.id: 4 for s in signals.signals()}})
    assert r.mds == 5 and r.mds_uncertain == 0
    assert r.signal_score == 100.0 and r.signal_band == "many" and r.signals_answered == 8
    assert len(r.top_signals) == 3
    assert r.safety_flags == ["kidney", "oral_magnesium_kidney", "oral_magnesium", "heart", "myasthenia",
                              "kidney_stones", "pregnancy", "levothyroxine", "diabetes_feet", "acute"]
    assert r.urgent
    assert r.open_questions == 0
    assert len(r.contributors) == len(quiz.contributor_defs()) - 1  # heavy drinking replaces "alcohol"


def test_signal_score_bands_and_top_three():
    r = quiz.score(answers({"muscles": 4, "sleep": 3, "fatigue": 3, "headache": 2, "low_mood": 0}))
    assert r.signals_answered == 5
    assert r.signal_score == round(100 * 12 / 20, 1)
    assert r.signal_band == "many"
    assert r.top_signals == ["muscles", "fatigue", "sleep"]  # ties keep the block's order
    # Cut-offs from the content file: 25 starts "some", 50 starts "many".
    assert quiz.score(answers({"muscles": 1})).signal_score == 25.0
    assert quiz.score(answers({"muscles": 1})).signal_band == "some"
    assert quiz.score(answers({"muscles": 1, "sleep": 0})).signal_band == "few"  # 12.5
    assert quiz.score(answers({"muscles": 2, "sleep": 1})).signal_band == "some"  # 37.5
    assert quiz.score(answers({"muscles": 2})).signal_band == "many"  # 50.0
    assert quiz.score(answers({"muscles": 1})).top_signals == []  # "rarely" does not fit


def test_poor_sleep_comes_from_the_sleep_signal_without_asking_twice():
    assert "poor_sleep" in ids(quiz.score(answers({"sleep": 3})))
    assert "poor_sleep" not in ids(quiz.score(answers({"sleep": 1})))


def test_every_safety_answer_raises_its_flag_and_pregnancy_also_from_the_hormonal_question():
    for qid, flag in [("safety_kidney", "kidney"), ("safety_heart", "heart"), ("safety_myasthenia", "myasthenia"),
                      ("safety_stones", "kidney_stones"), ("safety_pregnant", "pregnancy"),
                      ("safety_oral_magnesium", "oral_magnesium"), ("safety_thyroid", "levothyroxine"),
                      ("diabetes", "diabetes_feet"), ("safety_acute", "acute")]:
        assert quiz.score(answers(**{qid: "yes"})).safety_flags == [flag]
        assert quiz.score(answers(**{qid: "no"})).safety_flags == []
    assert quiz.score(answers(hormonal="pregnant")).safety_flags == ["pregnancy"]
    assert quiz.score(answers(safety_pregnant="yes", hormonal="pregnant")).safety_flags == ["pregnancy"]


def test_bad_answers_are_dropped_not_trusted():
    raw = {"questions": {"ppi": "maybe", "nope": "yes", "coffee": "5+"},
           "signals": {"muscles": 9, "sleep": True, "fatigue": "3", "headache": 2, "x": 1}}
    assert quiz.clean_answers(raw) == {"questions": {"coffee": "5+"}, "signals": {"headache": 2}}
    assert quiz.clean_answers("junk") == quiz.empty_answers()
    assert quiz.score({"questions": None}).contributors == []


def test_every_question_and_contributor_has_both_languages_and_a_source():
    from lib.i18n import LANGUAGES

    learn_ids = {"what-it-does", "why-common", "signals", "blood-test", "stress", "what-you-can-do",
                 "recovery", "evidence", "safety"}
    for lang in LANGUAGES:
        for q in quiz.questions():
            assert quiz.question_text(q, lang) == q[lang]["text"]
            labels = quiz.option_labels(q, lang)
            assert list(labels) == q["options"] and all(labels.values())
        for c in quiz.contributor_defs():
            assert c[lang]["name"] and c[lang]["why"]
        for s in quiz.safety_defs():
            assert s[lang]
        for step in quiz.steps():
            assert step[lang]
    option_ids = {q["id"]: set(q["options"]) for q in quiz.questions()}
    for c in quiz.contributor_defs():
        assert c["kind"] in (quiz.MDS, quiz.POSSIBLE) and c["source"] and c["learn"] in learn_ids
        for qid in c.get("questions", []):
            assert set(c.get("levels", {})) <= set().union(*(option_ids[q] for q in c["questions"]))
    for s in quiz.safety_defs():
        for qid, option in s["when"] + s.get("also_when", []):
            assert option in option_ids[qid]
    for item in quiz._data()["legacy_answers"]:
        assert item["answer"] not in option_ids.get(item["question"], set()), "old codes never collide"
        for qid, option in item["becomes"].items():
            assert option in option_ids[qid]
    assert {q["step"] for q in quiz.questions()} | {"signals"} == {s["id"] for s in quiz.steps()}


# -- properties -------------------------------------------------------------------------------------
QUESTIONS = quiz.questions()
answer_sets = st.fixed_dictionaries(
    {},
    optional={q["id"]: st.sampled_from(q["options"]) for q in QUESTIONS},
)
signal_sets = st.fixed_dictionaries({}, optional={s.id: st.integers(0, 4) for s in signals.signals()})
SINGLE = [c for c in quiz.contributor_defs() if len(c.get("questions", [])) == 1 and "levels" in c]


@settings(max_examples=150, deadline=None)
@given(qs=answer_sets, sig=signal_sets, pick=st.sampled_from(SINGLE))
def test_adding_a_contributor_never_lowers_its_rank_the_mds_or_the_signal_score(qs, sig, pick):
    before = quiz.score({"questions": qs, "signals": sig})
    qid = pick["questions"][0]
    strongest = max(pick["levels"], key=lambda o: pick["levels"][o])
    after = quiz.score({"questions": {**qs, qid: strongest}, "signals": sig})
    rank_before, rank_after = before.rank_of(pick["id"]), after.rank_of(pick["id"])
    assert rank_after is not None
    if rank_before is not None:
        assert rank_after <= rank_before
    assert after.mds >= before.mds
    assert after.signal_score == before.signal_score
    assert len(after.contributors) >= len(before.contributors)


@settings(max_examples=100, deadline=None)
@given(qs=answer_sets, sig=signal_sets, sid=st.sampled_from([s.id for s in signals.signals()]))
def test_a_more_frequent_signal_never_lowers_the_signal_score(qs, sig, sid):
    before = quiz.score({"questions": qs, "signals": sig})
    after = quiz.score({"questions": qs, "signals": {**sig, sid: 4}})
    if before.signal_score is not None:
        assert after.signal_score >= before.signal_score
    assert after.mds == before.mds


def test_safety_advice_text_for_the_quiz_and_the_challenge_page():
    assert quiz.safety_advice_markdown([], "en") == ""
    assert quiz.safety_advice_markdown(["no-such-flag"], "en") == ""
    text = quiz.safety_advice_markdown(["heart", "acute"], "nl")
    from lib import i18n

    assert text.startswith(f"**{i18n.t('quiz.safety.title', 'nl')}**")
    assert quiz.safety_text("heart", "nl") in text and quiz.safety_text("acute", "nl") in text
    assert i18n.t("quiz.safety.urgent", "nl") in text
    assert i18n.t("quiz.safety.urgent", "en") not in quiz.safety_advice_markdown(["heart"], "en")


# -- safety: magnesium she already takes, diabetic feet, thyroid medicine, persistent cramps ---------------
def test_magnesium_by_mouth_with_weak_kidneys_raises_the_combined_flag():
    for oral in ({"safety_oral_magnesium": "yes"}, {"laxative": "magnesium"}):
        for kidneys in ({"safety_kidney": "yes"}, {"kidneys": "less_well"}, {"kidneys": "egfr_under_60"}):
            flags = quiz.score(answers(**oral, **kidneys)).safety_flags
            assert flags == ["kidney", "oral_magnesium_kidney", "oral_magnesium"], (oral, kidneys)
        # Without weak kidneys: the upper limit, not the combination.
        assert quiz.score(answers(**oral)).safety_flags == ["oral_magnesium"]
        assert quiz.score(answers(**oral, kidneys="no")).safety_flags == ["oral_magnesium"]
    # Weak kidneys alone: the kidney advice only.
    assert quiz.score(answers(kidneys="less_well", safety_oral_magnesium="no")).safety_flags == ["kidney"]
    from lib import i18n

    for lang in i18n.LANGUAGES:
        assert "250" in quiz.safety_text("oral_magnesium", lang), "the EU upper limit for supplements"


def test_the_kind_of_laxative_decides_between_a_loss_a_safety_flag_and_a_question_for_the_pharmacist():
    other = quiz.score(answers(laxative="other"))
    assert ids(other) == ["laxatives"] and other.safety_flags == []
    magnesium = quiz.score(answers(laxative="magnesium"))
    assert ids(magnesium) == [] and magnesium.safety_flags == ["oral_magnesium"]  # adds, does not drain
    unknown = quiz.score(answers(laxative="unknown"))
    assert ids(unknown) == ["laxatives"] and unknown.safety_flags == ["laxative_unknown"]
    assert quiz.score(answers(laxative="no")).contributors == []
    assert ids(quiz.score(answers(diarrhoea="yes"))) == ["gut_loss"]


def test_diabetes_raises_the_foot_bath_flag_and_the_urgent_question_names_persistent_cramps():
    r = quiz.score(answers(diabetes="yes"))
    assert r.safety_flags == ["diabetes_feet"] and not r.urgent
    acute = next(q for q in quiz.questions() if q["id"] == "safety_acute")
    assert "kramp" in acute["nl"]["text"] and "cramps" in acute["en"]["text"]
    assert "kramp" in quiz.safety_text("acute", "nl") and "cramps" in quiz.safety_text("acute", "en")
    assert "4" in quiz.safety_text("levothyroxine", "nl") and "4 hours" in quiz.safety_text("levothyroxine", "en")


def test_every_safety_flag_names_its_source():
    for s in quiz.safety_defs():
        assert s.get("source"), s["id"]


# -- answers saved with an older question set --------------------------------------------------------------
# Exactly as a result saved with version "quiz-2026-12" holds them (one laxative-or-diarrhoea question,
# glasses a week as 0 / 1-7 / 8-14 / 15+, kidneys "less well" then scored 2).
OLD_SAVED = {"questions": {"gut_loss": "no", "alcohol": "1-7", "sex": "woman", "kidneys": "less_well",
                           "diabetes": "yes", "coffee": "3-4"},
             "signals": {"sleep": 3}}


def test_old_answers_are_read_in_todays_terms_where_that_is_exact():
    clean = quiz.clean_answers(OLD_SAVED)
    assert clean["questions"] == {"diarrhoea": "no", "laxative": "no", "alcohol": "1-9", "sex": "woman",
                                  "kidneys": "less_well", "diabetes": "yes", "coffee": "3-4"}
    assert clean["signals"] == {"sleep": 3}
    # An old answer that straddles today's cut is left open, never guessed.
    for old in ("8-14", "15+"):
        assert "alcohol" not in quiz.clean_answers({"questions": {"alcohol": old}})["questions"]
    assert quiz.clean_answers({"questions": {"gut_loss": "yes"}})["questions"] == {}
    # A current answer wins over a translated old one.
    both = quiz.clean_answers({"questions": {"gut_loss": "no", "laxative": "magnesium"}})
    assert both["questions"] == {"diarrhoea": "no", "laxative": "magnesium"}


def test_an_old_saved_result_still_raises_todays_safety_advice():
    saved = {"answers": OLD_SAVED, "safety_flags": ["kidney"]}  # saved before the diabetes flag existed
    assert quiz.saved_safety_flags(saved) == ["kidney", "diabetes_feet"]
    # A stored flag the content no longer knows is left out; nothing saved, nothing shown.
    assert quiz.saved_safety_flags({"answers": {}, "safety_flags": ["retired_flag", "heart"]}) == ["heart"]
    assert quiz.saved_safety_flags(None) == []
