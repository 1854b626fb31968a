"""The counterpart, principal and ally as models: pure functions of the rules and the state.

The counterpart (Stalin and Molotov in 1945) judges offers by their value to his side against an
aspiration that moves with time, war, the ally's support and the player's walkouts, and he keeps
red lines unless a lever lifts them. He signs a treaty when the whole package, weighed article by
article against those aspirations, falls short by no more than his signing margin; otherwise he
names his price, rung by rung. The principal (Chiang) holds the mandate and must stand behind a
treaty. The ally (Washington) lends support that lowers the counterpart's aspiration on the
articles it cares for.
"""

from __future__ import annotations

from collections.abc import Mapping

from negotiation.engine.rules import ArticleRules, Rules
from negotiation.engine.state import GameState


def aspiration(rules: Rules, state: GameState, art: ArticleRules) -> float:
    """Value (counterpart's scale) an offer on ``art`` must reach to be accepted now."""
    support = 0.0
    if rules.ally is not None and art.ally_lever:
        support = state.variables.get(rules.ally.support, 0.0)
    a = state.articles[art.model.id]
    extra = float(art.adjust(state)) if art.adjust is not None else 0.0
    return float(rules.aspiration(state)) + art.offset + extra - art.ally_lever * support - a.softening


def aspiration_parts(rules: Rules, state: GameState, art: ArticleRules) -> list[tuple[str, float]]:
    """The terms of :func:`aspiration`, in order, as (what, value) pairs that add up to it (for traces)."""
    a = state.articles[art.model.id]
    parts = [("base", float(rules.aspiration(state))), ("offset", art.offset)]
    if art.adjust is not None:
        parts.append(("adjust", float(art.adjust(state))))
    if rules.ally is not None and art.ally_lever:
        parts.append(("ally", -art.ally_lever * state.variables.get(rules.ally.support, 0.0)))
    if a.softening:
        parts.append(("softening", -a.softening))
    return parts


def floor(art: ArticleRules, state: GameState) -> int:
    """The best rung for the player the counterpart can agree to now (his red line)."""
    if art.floor and art.floor_unless is not None and art.floor_unless(state):
        return 0
    return art.floor


def acceptable(rules: Rules, state: GameState, art: ArticleRules, rung: int) -> bool:
    """Whether the counterpart agrees to ``rung`` on ``art`` now."""
    return rung >= floor(art, state) and art.counter_value[rung] >= aspiration(rules, state, art)


def best_acceptable(rules: Rules, state: GameState, art: ArticleRules) -> int:
    """The best rung for the player that he would accept now (his worst rung if none)."""
    asp = aspiration(rules, state, art)
    lo = floor(art, state)
    values = art.counter_value
    for rung in range(lo, len(values)):
        if values[rung] >= asp:
            return rung
    return len(values) - 1


def bridge(rules: Rules, state: GameState, art: ArticleRules, pressure: float) -> int:
    """The mediator's proposal: the best rung for the player he accepts with his aspiration lowered by ``pressure``.

    Never past his red line, and never better for the player than what the player last offered
    on the article (a mediator does not outbid the party who asked him).
    """
    asp = aspiration(rules, state, art) - pressure
    a = state.articles[art.model.id]
    lo = max(floor(art, state), a.offer if a.offer >= 0 else 0)
    values = art.counter_value
    for rung in range(lo, a.demand):
        if values[rung] >= asp:
            return rung
    return a.demand


def concession(rules: Rules, state: GameState, art: ArticleRules, toward: int) -> int:
    """The counterpart's demand after a refusal: one rung toward the player if he can bear it."""
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


def treaty_shortfall(rules: Rules, state: GameState, positions: Mapping[str, int]) -> float:
    """How far a whole treaty falls short of what he needs to sign (<= 0: he signs).

    With ``sign_margin`` (format 2): the weighted average, over all articles, of his aspiration
    minus the rung's value, less the margin; a red line crossed anywhere is an infinite shortfall.
    With only ``sign_aspiration`` (format 1): the absolute threshold less the package's value.
    """
    if rules.sign_margin is None:
        need = float(rules.sign_aspiration(state)) if rules.sign_aspiration is not None else 0.0
        return need - package_value(rules, positions)
    total = weight = 0.0
    for art_id, rung in positions.items():
        art = rules.articles[art_id]
        if rung < floor(art, state):
            return float("inf")
        total += art.counter_weight * (aspiration(rules, state, art) - art.counter_value[rung])
        weight += art.counter_weight
    short = total / weight if weight else 0.0
    return short - float(rules.sign_margin(state))


def retable(rules: Rules, state: GameState, positions: Mapping[str, int]) -> dict[str, int]:
    """The terms on which he would sign: rungs raised, one at a time, until the shortfall is gone.

    Red lines first; then the rung that gains him most, open articles before agreed ones (he
    reopens an agreed article only when the open ones cannot make up the difference). Returns
    only the articles that change; an empty result means he cannot be satisfied at all.
    """
    terms = dict(positions)
    for art_id, rung in terms.items():
        lo = floor(rules.articles[art_id], state)
        if rung < lo:
            terms[art_id] = lo
    settled = {k for k, a in state.articles.items() if a.settled >= 0}
    for _ in range(sum(len(a.ids) for a in rules.articles.values())):
        if treaty_shortfall(rules, state, terms) <= 0:
            return {k: r for k, r in terms.items() if r != positions[k]}
        best: tuple[bool, float, str] | None = None
        for art_id, rung in terms.items():
            art = rules.articles[art_id]
            if rung + 1 >= len(art.ids):
                continue
            gain = art.counter_weight * (art.counter_value[rung + 1] - art.counter_value[rung])
            key = (art_id not in settled, gain, art_id)
            if best is None or key[:2] > best[:2]:
                best = key
        if best is None:
            break
        terms[best[2]] += 1
    return {k: r for k, r in terms.items() if r != positions[k]} if treaty_shortfall(rules, state, terms) <= 0 \
        else {}


def overreach(rules: Rules, state: GameState, art_id: str, rung: int) -> float:
    """Confidence the principal loses if ``art_id`` settles at ``rung`` (beyond the mandate)."""
    if rules.principal is None:
        return 0.0
    beyond = rung - state.articles[art_id].mandate
    return rules.principal.overreach_cost * beyond if beyond > 0 else 0.0


def grants(rules: Rules, state: GameState, art: ArticleRules) -> bool:
    """Whether the principal widens the mandate on ``art`` by one rung now (below its ceiling)."""
    a = state.articles[art.model.id]
    if a.mandate >= art.ceiling:
        return False
    cond = art.grant if art.grant is not None else rules.grant
    return bool(cond(state))
