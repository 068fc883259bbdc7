"""The eight signals (quiz block, pre/post-test) and their daily ratings, from content/signals.toml."""

from __future__ import annotations

from dataclasses import dataclass

from lib.content import load_toml
from lib.i18n import DEFAULT_LANG, normalise_lang

HIGHER_BETTER = "higher_better"
LOWER_BETTER = "lower_better"
FREQUENCY_MAX = 4  # "almost every day"


@dataclass(frozen=True)
class Signal:
    id: str
    rating: str  # the daily log's column
    direction: str  # HIGHER_BETTER or LOWER_BETTER for the daily rating
    texts: dict  # lang -> {question, short, rating, scale}

    def text(self, field: str, lang: str | None) -> str:
        lang = normalise_lang(lang)
        return self.texts.get(lang, {}).get(field) or self.texts[DEFAULT_LANG][field]

    @property
    def higher_is_better(self) -> bool:
        return self.direction == HIGHER_BETTER


def _data() -> dict:
    return load_toml("signals.toml")


def version() -> str:
    return str(_data()["version"])


def signals() -> list[Signal]:
    out = []
    for raw in _data()["signals"]:
        texts = {k: v for k, v in raw.items() if isinstance(v, dict)}
        out.append(Signal(raw["id"], raw["rating"], raw["direction"], texts))
    return out


def rating_columns() -> tuple[str, ...]:
    """The daily log's 0-10 ratings (their stored names), in the order the daily log shows them."""
    return tuple(_data()["ratings"])


def by_rating() -> dict[str, Signal]:
    """Daily rating column -> its signal."""
    return {s.rating: s for s in signals()}


def frequency_labels(lang: str | None) -> list[str]:
    freq = _data()["frequency"]
    return list(freq.get(normalise_lang(lang)) or freq[DEFAULT_LANG])


def signal_score(answers: dict[str, int | None]) -> tuple[float | None, int]:
    """0-100 over the answered signals (frequency 0-4 each) and how many were answered.

    Unanswered signals are left out of the denominator; with none answered the score is None.
    """
    known = {s.id for s in signals()}
    values = [int(v) for k, v in answers.items() if k in known and v is not None]
    if not values:
        return None, 0
    return round(100 * sum(values) / (FREQUENCY_MAX * len(values)), 1), len(values)
