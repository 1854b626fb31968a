"""The counterpart, principal and ally as models: pure functions of the rules and the state.

The counterpart (Stalin and Molotov in 1945) judges offers by their value to his side against an
aspiration that moves with time, war, the ally's support and the player's walkouts, and he keeps
red lines unless a lever lifts them. The principal (Chiang) holds the mandate. The ally
(Washington) lends support that lowers the counterpart's aspiration on the articles it cares for.
"""

from __future__ import annotations

from collections.abc import Mapping

from negotiation.engine.rules import ArticleRules, Rules
from negotiation.engine.state import GameState


def aspiration(rules: Rules, state: GameState, art: ArticleRules) -> float:
    """Value (counterpart's scale) an offer on ``art`` must reach to be accepted now."""
    support = 0.0
    if rules.ally is not None:
        support = state.variables.get(rules.ally.support, 0.0)
    a = state.articles[art.model.id]
    extra = float(art.adjust(state)) if art.adjust is not None else 0.0
    return float(rules.aspiration(state)) + art.offset + extra - art.us_lever * support - a.softening


def floor(art: ArticleRules, state: GameState) -> int:
    """The best rung for the player the counterpart can agree to now (his red line)."""
    if art.floor and art.floor_unless is not None and art.floor_unless(state):
        return 0
    return art.floor


def acceptable(rules: Rules, state: GameState, art: ArticleRules, rung: int) -> bool:
    """Whether the counterpart agrees to ``rung`` on ``art`` now."""
    return rung >= floor(art, state) and art.counter_value[rung] >= aspiration(rules, state, art)


def concession(rules: Rules, state: GameState, art: ArticleRules, toward: int) -> int:
    """The counterpart's new demand after a refusal: one rung toward the player if he can bear it."""
    demand = state.articles[art.model.id].demand
    step = demand - 1
    if step >= max(toward, 0) and acceptable(rules, state, art, step):
        return step
    return demand


def package_margin(rules: Rules, state: GameState, offer: Mapping[str, int]) -> float:
    """Weighted margin of a package over his aspirations; he accepts it when >= 0 and no red line is crossed."""
    margin = 0.0
    for art_id, rung in offer.items():
        art = rules.articles[art_id]
        if rung < floor(art, state):
            return float("-inf")
        margin += art.counter_weight * (art.counter_value[rung] - aspiration(rules, state, art))
    return margin


def package_value(rules: Rules, positions: Mapping[str, int]) -> float:
    """Weighted value of a whole treaty to the counterpart (0-100)."""
    total = weight = 0.0
    for art_id, rung in positions.items():
        art = rules.articles[art_id]
        total += art.counter_weight * art.counter_value[rung]
        weight += art.counter_weight
    return total / weight if weight else 0.0


def overreach(rules: Rules, state: GameState, art_id: str, rung: int) -> float:
    """Confidence the principal loses if ``art_id`` settles at ``rung`` (beyond the mandate)."""
    if rules.principal is None:
        return 0.0
    beyond = rung - state.articles[art_id].mandate
    return rules.principal.overreach_cost * beyond if beyond > 0 else 0.0
