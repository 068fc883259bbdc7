"""The intake quiz: its questions (from content/quiz.toml) and the pure scoring from answers to a result.

Answers are one plain dict, the same in the page, in a parked (anonymous) quiz and in a saved result::

    {"questions": {question_id: option_id, ...}, "signals": {signal_id: 0-4, ...}}

A question or signal that is missing (or None) is unknown: it adds nothing, is never read as "no",
and is counted in ``QuizResult.open_questions``. ``score(answers)`` is a pure function of the answers
and the content files; the page, the store and the tests all use it.

Two kinds of contributor are kept apart (see content/quiz.toml): the items of the Magnesium Depletion
Score (Fan et al., J Nutr 2021;151:2226-35; validated but weak, AUC 0.63) and the practitioner's other,
*possible* contributors. The result names possible contributors and signals that fit; it never diagnoses.

Answers saved with an older question set are read through ``[[legacy_answers]]`` in content/quiz.toml
(see ``clean_answers``), so an old saved result still fills the quiz in and still raises today's
safety advice.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

from lib import logs
from lib import signals as signals_mod
from lib.content import load_toml
from lib.i18n import DEFAULT_LANG, normalise_lang, t

log = logs.get("quiz")

MDS = "mds"
MDS_ITEMS = 4  # the Magnesium Depletion Score's four questions
POSSIBLE = "possible"
# A signal "fits" (is among the top three) from "sometimes" on.
TOP_SIGNAL_FROM = 2


# One page run asks for the question set dozens of times: keep it, and let load_toml look at the
# file's modification time at most once a second (an edited file still shows up on the next load).
_RECHECK_SECONDS = 1.0
_memo: tuple[float, dict] | None = None


def _data() -> dict:
    global _memo
    now = time.monotonic()
    if _memo is not None and now - _memo[0] < _RECHECK_SECONDS:
        return _memo[1]
    data = load_toml("quiz.toml")
    _memo = (now, data)
    return data


def _text(raw: dict, field_name: str, lang: str | None) -> str:
    lang = normalise_lang(lang)
    table = raw.get(lang) if isinstance(raw.get(lang), dict) else None
    value = (table or {}).get(field_name)
    if value is None:
        value = raw[DEFAULT_LANG][field_name]
    return value


# -- the question set ------------------------------------------------------------------------------
def version() -> str:
    """The question set's version as saved with a result: the quiz's and the signal block's."""
    return f"{_data()['version']}+{signals_mod.version()}"


def steps() -> list[dict]:
    return list(_data()["steps"])


def step_title(step: dict, lang: str | None) -> str:
    return step.get(normalise_lang(lang)) or step[DEFAULT_LANG]


def questions(step: str | None = None) -> list[dict]:
    """The questions (raw TOML tables), in order; only one step's when ``step`` is given."""
    qs = _data()["questions"]
    return [q for q in qs if step is None or q["step"] == step]


def question_text(q: dict, lang: str | None) -> str:
    return _text(q, "text", lang)


def question_help(q: dict, lang: str | None) -> str | None:
    lang = normalise_lang(lang)
    return (q.get(lang) or {}).get("help") or (q.get(DEFAULT_LANG) or {}).get("help")


def option_labels(q: dict, lang: str | None) -> dict[str, str]:
    """Option id -> its label in ``lang`` (the question's own labels, else the shared yes/no ones)."""
    lang = normalise_lang(lang)
    own = (q.get(lang) or {}).get("options") or (q.get(DEFAULT_LANG) or {}).get("options")
    if own:
        return dict(zip(q["options"], own, strict=True))
    shared = _data()["option_labels"]
    table = shared.get(lang) or shared[DEFAULT_LANG]
    return {o: table.get(o, o) for o in q["options"]}


def contributor_defs() -> list[dict]:
    return list(_data()["contributors"])


def contributor_text(contributor_id: str, field_name: str, lang: str | None) -> str:
    """``name`` or ``why`` of a contributor in ``lang``."""
    for c in contributor_defs():
        if c["id"] == contributor_id:
            return _text(c, field_name, lang)
    return contributor_id


def safety_defs() -> list[dict]:
    return list(_data()["safety"])


def safety_text(flag_id: str, lang: str | None) -> str:
    lang = normalise_lang(lang)
    for s in safety_defs():
        if s["id"] == flag_id:
            return s.get(lang) or s[DEFAULT_LANG]
    return flag_id


def is_urgent(flag_id: str) -> bool:
    return any(s["id"] == flag_id and s.get("urgent") for s in safety_defs())


def safety_advice_markdown(flags: list[str], lang: str | None, intro_key: str = "quiz.safety.intro") -> str:
    """The advice to talk to a GP or pharmacist first, with one line per raised flag ("" without flags).

    Fixed texts from the content files only (no participant input), for ``st.error``. The Quiz page
    shows it above everything; the Challenge page repeats it (with its own intro) from
    ``saved_safety_flags``. Flag ids the content no longer has are left out, never shown raw.
    """
    known = [f for f in flags if any(s["id"] == f for s in safety_defs())]
    if not known:
        return ""
    lines = [f"**{t('quiz.safety.title', lang)}**", "", t(intro_key, lang), ""]
    lines += [f"- {safety_text(f, lang)}" for f in known]
    if any(is_urgent(f) for f in known):
        lines += ["", f"**{t('quiz.safety.urgent', lang)}**"]
    return "\n".join(lines)


# -- answers -----------------------------------------------------------------------------------------
def empty_answers() -> dict:
    return {"questions": {}, "signals": {}}


def _upgraded(given: dict, options: dict[str, set]) -> dict:
    """Answers with old answer codes read as today's questions (``[[legacy_answers]]`` in quiz.toml).

    A current answer always wins over one translated from an old code; an old code without an exact
    translation is dropped (the question stays open).
    """
    legacy = {(item["question"], item["answer"]): item.get("becomes", {})
              for item in _data().get("legacy_answers", [])}
    current: dict = {}
    translated: dict = {}
    for qid, value in given.items():
        if not isinstance(value, str):
            continue
        if qid in options and value in options[qid]:
            current[qid] = value
        elif (qid, value) in legacy:
            translated.update(legacy[(qid, value)])
    return translated | current


def clean_answers(raw: object) -> dict:
    """Only known questions with known options and known signals with 0-4 survive; the rest is dropped.

    Used on anything that comes back from outside the page (a parked quiz, a stored result). Answers
    given to an older version of the questions are first translated where that is exact.
    """
    out = empty_answers()
    if not isinstance(raw, dict):
        return out
    given_questions, given_signals = raw.get("questions"), raw.get("signals")
    options = {q["id"]: set(q["options"]) for q in questions()}
    given_questions = _upgraded(given_questions if isinstance(given_questions, dict) else {}, options)
    for qid, value in given_questions.items():
        if qid in options and isinstance(value, str) and value in options[qid]:
            out["questions"][qid] = value
    known = {s.id for s in signals_mod.signals()}
    for sid, value in (given_signals if isinstance(given_signals, dict) else {}).items():
        if sid in known and isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 4:
            out["signals"][sid] = value
    return out


# -- the result --------------------------------------------------------------------------------------
@dataclass
class Contributor:
    id: str
    kind: str  # MDS or POSSIBLE
    weight: float
    strength: float  # 0-1 from the answers
    score: float  # weight x strength: what the ranking sorts on
    learn: str  # the Learn section that explains it
    mds_points: int = 0


@dataclass
class QuizResult:
    version: str
    answers: dict
    contributors: list[Contributor]  # present ones only, ranked (highest score first)
    mds: int  # 0-5 from the answered MDS items (only the points the answers make sure of)
    mds_items_known: int  # of the four MDS items, how many had a definite answer
    mds_band: str  # "low" / "middle" / "high"
    signal_score: float | None  # 0-100 over the answered signals, None when none answered
    signals_answered: int
    signal_band: str | None  # "few" / "some" / "many", None without a score
    top_signals: list[str]  # up to three signal ids, most frequent first
    safety_flags: list[str]  # flag ids in the content file's order
    open_questions: int  # unanswered questions and signals (optional ones not counted)
    total_questions: int = field(default=0)
    # Points the MDS may be higher by, for an answer the validated rule cannot place exactly
    # ("kidneys less well, number unknown": 1 point sure, 2 if the eGFR is under 60).
    mds_uncertain: int = field(default=0)

    @property
    def urgent(self) -> bool:
        return any(is_urgent(f) for f in self.safety_flags)

    def rank_of(self, contributor_id: str) -> int | None:
        """1-based rank of a contributor, None when it is not present."""
        for i, c in enumerate(self.contributors, start=1):
            if c.id == contributor_id:
                return i
        return None

    def to_dict(self) -> dict:
        return asdict(self)


def heavy_drinking_limit_grams(sex: str | None) -> float:
    """Grams of alcohol a week above which the MDS counts heavy drinking: 98 for women and when not
    said (more than 1 US drink of 14 g a day), 196 for men (more than 2)."""
    limits = _data()["alcohol"]["heavy_above_grams_per_week"]
    return float(limits.get(sex or "unsaid", limits["unsaid"]))


def alcohol_grams_range(option: str) -> tuple[float, float] | None:
    """The grams of alcohol a week an answer to the alcohol question stands for (lowest, highest)."""
    cfg = _data()["alcohol"]
    q = next(q for q in questions() if q["id"] == cfg["question"])
    if option not in q["options"]:
        return None
    i = q["options"].index(option)
    grams = float(cfg["grams_per_glass"])
    return float(q["min_per_week"][i]) * grams, float(q["max_per_week"][i]) * grams


def _alcohol_min(answers: dict) -> int | None:
    """The smallest number of glasses a week the alcohol answer stands for (None when unanswered)."""
    cfg = _data()["alcohol"]
    span = alcohol_grams_range(answers.get(cfg["question"]))
    return None if span is None else int(span[0] / float(cfg["grams_per_glass"]))


def is_heavy_drinking(answers: dict) -> bool | None:
    """Above the MDS threshold for heavy drinking, in grams a week (see ``heavy_drinking_limit_grams``);
    None if unknown. The options are cut at the thresholds, so the lowest amount of an option decides."""
    cfg = _data()["alcohol"]
    span = alcohol_grams_range(answers.get(cfg["question"]))
    if span is None:
        return None
    return span[0] > heavy_drinking_limit_grams(answers.get(cfg["sex_question"]))


def _strength(c: dict, qa: dict, sa: dict) -> tuple[float, bool]:
    """The contributor's strength 0-1 and whether any of its questions was answered."""
    if "signal" in c:
        value = sa.get(c["signal"])
        if value is None:
            return 0.0, False
        return float(c["signal_levels"][int(value)]), True
    derived = c.get("derived")
    if derived is not None:
        heavy = is_heavy_drinking(qa)
        if heavy is None:
            return 0.0, False
        if derived == "alcohol_heavy":
            return (1.0 if heavy else 0.0), True
        if derived == "alcohol_moderate":
            return (1.0 if not heavy and (_alcohol_min(qa) or 0) > 0 else 0.0), True
        raise ValueError(f"unknown derived contributor {derived!r}")
    strength, answered = 1.0, False
    for qid in c["questions"]:
        value = qa.get(qid)
        if value is None:
            continue
        answered = True
        strength *= float(c.get("levels", {}).get(value, 0.0))
    return (strength if answered else 0.0), answered


def _mds_points(c: dict, qa: dict, strength: float) -> int:
    if c["kind"] != MDS:
        return 0
    if c.get("derived") == "alcohol_heavy":
        return int(c["mds_points"]["heavy"]) if strength > 0 else 0
    value = qa.get(c["questions"][0])
    return int(c.get("mds_points", {}).get(value, 0))


def _mds_uncertain(c: dict, qa: dict) -> int:
    if c["kind"] != MDS or c.get("derived"):
        return 0
    return int(c.get("mds_uncertain", {}).get(qa.get(c["questions"][0]), 0))


def _flag_raised(flag: dict, qa: dict) -> bool:
    def any_of(pairs) -> bool:
        return any(qa.get(qid) == option for qid, option in pairs)

    return any_of(flag["when"]) and ("also_when" not in flag or any_of(flag["also_when"]))


def safety_flags(answers: dict | None) -> list[str]:
    """The safety flags today's rules raise for these answers, in the content file's order."""
    qa = clean_answers(answers or {})["questions"]
    return [s["id"] for s in safety_defs() if _flag_raised(s, qa)]


def saved_safety_flags(saved: dict | None) -> list[str]:
    """The safety advice a saved result calls for now: the flags saved with it, together with those
    today's rules raise from its answers (a result saved before a flag existed still raises it).
    Flags the content no longer has are left out. In the content file's order."""
    if not saved:
        return []
    stored = saved.get("safety_flags") or []
    now = set(safety_flags(saved.get("answers")))
    return [s["id"] for s in safety_defs() if s["id"] in now or s["id"] in stored]


def _mds_item_known(c: dict, qa: dict) -> bool:
    if c.get("derived"):
        return is_heavy_drinking(qa) is not None
    value = qa.get(c["questions"][0])
    return value is not None and value != "unknown"


def signal_band(score: float | None) -> str | None:
    if score is None:
        return None
    bands = _data()["signal_bands"]
    if score >= bands["many_from"]:
        return "many"
    if score >= bands["some_from"]:
        return "some"
    return "few"


def mds_band(mds: int) -> str:
    cfg = _data()["mds"]
    if mds >= cfg["high_from"]:
        return "high"
    if mds >= cfg["middle_from"]:
        return "middle"
    return "low"


def score(answers: dict | None) -> QuizResult:
    """The feedback for a set of answers (pure: the same answers always give the same result)."""
    answers = clean_answers(answers or {})
    qa, sa = answers["questions"], answers["signals"]

    ranked: list[tuple[tuple, Contributor]] = []
    mds = 0
    mds_known = 0
    uncertain = 0
    for order, c in enumerate(contributor_defs()):
        strength, _answered = _strength(c, qa, sa)
        points = _mds_points(c, qa, strength)
        if c["kind"] == MDS:
            mds += points
            mds_known += _mds_item_known(c, qa)
            uncertain += _mds_uncertain(c, qa)
        if strength <= 0:
            continue
        weight = float(c["weight"])
        item = Contributor(c["id"], c["kind"], weight, round(strength, 4), round(weight * strength, 4),
                           c["learn"], points)
        ranked.append(((-item.score, -weight, order), item))
    ranked.sort(key=lambda pair: pair[0])
    mds_max = int(_data()["mds"]["max"])
    mds = min(mds, mds_max)
    uncertain = min(uncertain, mds_max - mds)

    sig_score, n_signals = signals_mod.signal_score(sa)
    block = [s.id for s in signals_mod.signals()]
    fitting = [sid for sid in block if sa.get(sid) is not None and sa[sid] >= TOP_SIGNAL_FROM]
    top = sorted(fitting, key=lambda sid: (-sa[sid], block.index(sid)))[:3]

    flags = [s["id"] for s in safety_defs() if _flag_raised(s, qa)]

    asked = [q for q in questions() if not q.get("optional")]
    open_q = sum(1 for q in asked if qa.get(q["id"]) is None) + (len(block) - n_signals)
    return QuizResult(
        version=version(),
        answers=answers,
        contributors=[item for _key, item in ranked],
        mds=mds,
        mds_items_known=mds_known,
        mds_band=mds_band(mds),
        signal_score=sig_score,
        signals_answered=n_signals,
        signal_band=signal_band(sig_score),
        top_signals=top,
        safety_flags=flags,
        open_questions=open_q,
        total_questions=len(asked) + len(block),
        mds_uncertain=uncertain,
    )


# -- after a sign-up or log-in -------------------------------------------------------------------------
def attach_pending(store, user_id: int, token: str) -> int | None:
    """Save the quiz she took before signing up or logging in to her account; return the new result's id.

    ``token`` is the parked quiz's token carried through the account forms. Nothing is saved (and the
    parked answers stay parked) when she has not agreed to storing health data; an unknown, used or
    expired token saves nothing. The token is single-use, so a second call saves nothing twice.
    """
    if not token or user_id is None:
        return None
    user = store.get_user(user_id)
    if user is None or not user.get("health_consent_at"):
        return None
    answers = store.claim_pending_quiz(token)
    if answers is None:
        return None
    quiz_id = store.save_quiz_result(user_id, score(answers))
    log.info("parked quiz saved after sign-up or log-in: user=%s quiz=%s", user_id, quiz_id)
    return quiz_id


def save(store, user_id: int, result: QuizResult) -> int:
    """Save her scored quiz to her account; the new result's id."""
    quiz_id = store.save_quiz_result(user_id, result)
    log.info("quiz saved: user=%s quiz=%s", user_id, quiz_id)
    return quiz_id
