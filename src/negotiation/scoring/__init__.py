"""Score a finished game against the historical record, article by article."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from negotiation.engine.game import UNSIGNED, Game, Outcome
from negotiation.engine.rules import Rules


@dataclass(frozen=True, slots=True)
class ArticleScore:
    """One line of the score card."""

    article: str
    title: str
    weight: float
    position: str
    position_label: str
    position_text: str
    historical: str
    historical_label: str
    historical_text: str
    rung: int
    historical_rung: int
    value: float
    historical_value: float
    difference: float
    explanation: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ScoreCard:
    """The player's treaty against history: per article, the interest score and the fidelity."""

    scenario: str
    ending: str
    ending_title: str
    signed: bool
    signed_on: dt.date | None
    historical_signed_on: dt.date | None
    days_from_history: int | None
    articles: tuple[ArticleScore, ...]
    interest: float
    fidelity: float
    epilogue: str

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-ready data."""
        return {
            "scenario": self.scenario,
            "ending": self.ending,
            "signed_on": self.signed_on.isoformat() if self.signed_on else None,
            "historical_signed_on": self.historical_signed_on.isoformat() if self.historical_signed_on else None,
            "interest": round(self.interest, 6),
            "fidelity": round(self.fidelity, 6),
            "articles": {
                a.article: {"position": a.position, "historical": a.historical, "difference": round(a.difference, 6)}
                for a in self.articles
            },
        }


def _explain(rules: Rules, art_id: str, rung: int, hist: int, diff: float) -> str:
    art = rules.articles[art_id].model
    s = rules.scenario
    year = s.history.signed_on.year if s.history.signed_on else "history"
    side = "better" if diff > 0 else "worse" if diff < 0 else "different but of equal value"
    if rung < 0:  # the term that stands without a treaty
        note = art.unsigned.note if art.unsigned is not None else ""
        return f"No treaty: {side} for your side than in {year}. {note}".strip()
    pos = art.positions[rung]
    if rung == hist:
        return f"As in {year}. {pos.note}".strip()
    steps = abs(rung - hist)
    return f"{side.capitalize()} for your side than in {year}, {steps} rung{'s' if steps > 1 else ''} " \
           f"{'up' if rung < hist else 'down'} the ladder. {pos.note}".strip()


def score_outcome(rules: Rules, outcome: Outcome) -> ScoreCard:
    """Score an outcome against the scenario's historical record."""
    s = rules.scenario
    lines: list[ArticleScore] = []
    num = den = fid_num = 0.0
    side = rules.player_side
    for art_id, ar in rules.articles.items():
        art = ar.model
        term = outcome.terms[art_id]
        hist = ar.historical
        hvalue = ar.player_value[hist]
        hpos = art.positions[hist]
        span = max(len(ar.ids) - 1, 1)
        if term == UNSIGNED and art.unsigned is not None:
            rung = -1
            value = art.unsigned.value.get(side, 0.0)
            label, text, sources = art.unsigned.label, art.unsigned.text, tuple(hpos.sources)
            closeness = 1.0 - min(1.0, abs(value - hvalue) / 100.0)
        else:
            rung = ar.ids.index(term)
            pos = art.positions[rung]
            value = ar.player_value[rung]
            label, text = pos.label, pos.text
            sources = tuple(dict.fromkeys([*pos.sources, *hpos.sources]))
            closeness = 1.0 - abs(rung - hist) / span
        diff = value - hvalue
        num += art.weight * diff
        den += art.weight
        fid_num += art.weight * closeness
        lines.append(ArticleScore(
            art_id, art.title, art.weight, term, label, text, hpos.id, hpos.label, hpos.text,
            rung, hist, value, hvalue, diff, _explain(rules, art_id, rung, hist, diff), sources,
        ))
    interest = num / den if den else 0.0
    terms_fidelity = fid_num / den if den else 1.0
    hist_day = s.history.signed_on
    days: int | None = None
    if outcome.signed and outcome.signed_on is not None and hist_day is not None:
        days = (outcome.signed_on - hist_day).days
        timeline = max(0.0, 1.0 - abs(days) / s.scoring.timeline_days)
    else:
        timeline = 1.0 if (not outcome.signed and hist_day is None) else 0.0
    tw = s.scoring.timeline_weight
    fidelity = (1.0 - tw) * terms_fidelity + tw * timeline
    ending = rules.ending_by_id[outcome.ending]
    return ScoreCard(
        s.scenario.id, outcome.ending, outcome.title, outcome.signed, outcome.signed_on, hist_day, days,
        tuple(lines), interest, fidelity, ending.epilogue,
    )


def interest(rules: Rules, outcome: Outcome) -> float:
    """The interest score alone (the card's ``interest``), without building the card: for searches."""
    num = den = 0.0
    side = rules.player_side
    for art_id, ar in rules.articles.items():
        term = outcome.terms[art_id]
        w = ar.model.weight
        unsigned = ar.model.unsigned
        value = unsigned.value.get(side, 0.0) if term == UNSIGNED and unsigned is not None else \
            ar.player_value[ar.ids.index(term)]
        num += w * (value - ar.player_value[ar.historical])
        den += w
    return num / den if den else 0.0


def score_card(game: Game) -> ScoreCard:
    """Score a finished game; raise ValueError if it is not over yet."""
    outcome = game.outcome()
    if outcome is None:
        raise ValueError("the game is not over yet: no score card")
    return score_outcome(game.rules, outcome)


__all__ = ["ArticleScore", "ScoreCard", "interest", "score_card", "score_outcome"]
