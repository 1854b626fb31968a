"""Policies that play the player's side: each picks one legal action for a game."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from negotiation.engine.actions import Action
from negotiation.engine.game import Game
from negotiation.errors import NegotiationError
from negotiation.scenario.loader import read_data
from negotiation.scoring import score_card


class Policy(Protocol):
    """Chooses the player's next action."""

    name: str

    def choose(self, game: Game) -> Action:
        """Return one of ``game.legal_actions()``."""
        ...


class _Named:
    name = "policy"

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed


class RandomPolicy(_Named):
    """Uniform over the legal actions, from its own seeded generator."""

    name = "random"

    def __init__(self, seed: int = 0) -> None:
        super().__init__(seed)
        self.rng = random.Random(seed)

    def choose(self, game: Game) -> Action:
        legal = game.legal_actions()
        return legal[self.rng.randrange(len(legal))]


class HistoricalPolicy(_Named):
    """What the real delegation did; the first legal action where history is silent."""

    name = "historical"

    def choose(self, game: Game) -> Action:
        return _historical_or_first(game)


def _prefer(game: Game, order: Sequence[str], avoid: Sequence[str] = ()) -> Action:
    legal = game.legal_actions()
    for kind in order:
        for a in legal:
            if a.kind == kind:
                return a
    for a in legal:
        if a.kind not in avoid:
            return a
    return legal[0]


class AcceptPolicy(_Named):
    """Always concede: accept the demand on the table, sign when offered."""

    name = "accept"

    def choose(self, game: Game) -> Action:
        return _prefer(game, ("accept", "sign"))


class RefusePolicy(_Named):
    """Always hold firm; never accept or sign."""

    name = "refuse"

    def choose(self, game: Game) -> Action:
        return _prefer(game, ("hold",), avoid=("accept", "sign", "counter", "walkout"))


def _historical_or_first(game: Game) -> Action:
    legal = game.legal_actions()
    hist = game.historical_action()
    return next((a for a in legal if a.id == hist), legal[0])


class AskPolicy(_Named):
    """Ask the principal and the ally whenever possible; otherwise do what history did."""

    name = "ask"

    def choose(self, game: Game) -> Action:
        for a in game.legal_actions():
            if a.kind in ("mandate", "ally"):
                return a
        return _historical_or_first(game)


class BestRungPolicy(_Named):
    """Always propose the best rung for the player where there is an article; otherwise history."""

    name = "best"

    def choose(self, game: Game) -> Action:
        legal = game.legal_actions()
        counters = [a for a in legal if a.kind == "counter"]
        if counters:
            return counters[0]
        return _historical_or_first(game)


class WalkoutPolicy(_Named):
    """Walk out whenever possible; otherwise history."""

    name = "walkout"

    def choose(self, game: Game) -> Action:
        return _prefer(game, ("walkout",)) if any(a.kind == "walkout" for a in game.legal_actions()) \
            else _historical_or_first(game)


class SignFromPolicy(_Named):
    """History, but propose signing at the first chance from a date on (and again if he re-tables)."""

    name = "sign-from"

    def __init__(self, seed: int = 0, day: int = 0) -> None:
        super().__init__(seed)
        self.day = day

    def choose(self, game: Game) -> Action:
        if game.state.date >= self.day:
            for a in game.legal_actions():
                if a.kind == "sign":
                    return a
        return _historical_or_first(game)


def provisional_value(game: Game) -> float:
    """The player's weighted value of the terms as they stand.

    A settled article counts at its rung; an open one halfway between the player's best and the
    demand on the table (what is still to play for); a finished game at its final terms.
    """
    r = game.rules
    if game.is_over():
        card = score_card(game)
        weight = sum(a.weight for a in card.articles)
        return sum(a.weight * a.value for a in card.articles) / weight if weight else 0.0
    total = weight = 0.0
    for art_id, art in r.articles.items():
        a = game.state.articles[art_id]
        if a.settled < 0:
            total += art.model.weight * (art.player_value[0] + art.player_value[a.demand]) / 2
        else:
            total += art.model.weight * art.player_value[a.settled]
        weight += art.model.weight
    return total / weight if weight else 0.0


class GreedyPolicy(_Named):
    """The best immediate value for the player: one step of look-ahead, first action on ties."""

    name = "greedy"

    def choose(self, game: Game) -> Action:
        best: Action | None = None
        best_value = float("-inf")
        for a in game.legal_actions():
            trial = game.clone()
            trial.apply(a)
            value = provisional_value(trial)
            if trial.is_over() and not trial.rules.ending_by_id[trial.state.ending or ""].signed:
                value -= 100.0  # ending the talks without a treaty is never an immediate gain
            if value > best_value:
                best, best_value = a, value
        assert best is not None
        return best


MAX_SCRIPT_BYTES = 1024 * 1024  # a strategy script (the bundled ones are under 2 KB)


class ScriptedPolicy(_Named):
    """Plays a script: a list of actions in order, and/or actions by decision id, then a fallback.

    A script file (YAML or JSON) is a list of action ids, or a mapping with ``scenario`` (the id it is
    written for, checked by the commands that play it), ``actions`` (list),
    ``decisions`` (decision id -> action, or a list of actions taken there in turn) and ``fallback`` (a policy
    name, default ``historical``). The action ``historical`` means what the real delegation did.
    """

    name = "scripted"

    def __init__(self, script: Any, seed: int = 0, source: str = "<script>") -> None:
        super().__init__(seed)
        self.source = source
        if isinstance(script, list):
            script = {"actions": script}
        if not isinstance(script, Mapping):
            raise NegotiationError(f"{source}: a script is a list of actions or a mapping with 'actions'")
        unknown = set(script) - {"scenario", "actions", "decisions", "fallback"}
        if unknown:
            raise NegotiationError(f"{source}: unknown keys {sorted(unknown)} (allowed: scenario, actions, decisions, "
                                   "fallback)")
        scenario = script.get("scenario")
        if scenario is not None and not isinstance(scenario, str):
            raise NegotiationError(f"{source}: 'scenario' must be a scenario id, e.g. moscow1945")
        self.scenario: str | None = scenario
        actions = script.get("actions", [])
        decisions = script.get("decisions", {})
        if not isinstance(actions, list) or not all(isinstance(a, str) for a in actions):
            raise NegotiationError(f"{source}: 'actions' must be a list of actions, e.g. [hold, counter:y30]")
        if not isinstance(decisions, Mapping) or not all(
            isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v))
            for v in decisions.values()
        ):
            raise NegotiationError(f"{source}: 'decisions' must map decision ids to an action or a list of actions")
        self.queue = list(actions)
        self.by_decision = {str(k): (list(v) if isinstance(v, list) else [v]) for k, v in decisions.items()}
        fallback = str(script.get("fallback", "historical"))
        if fallback not in POLICIES or fallback == "scripted":
            raise NegotiationError(f"{source}: unknown fallback policy {fallback!r}")
        self.fallback: Policy = POLICIES[fallback](seed)
        self.step = 0

    @classmethod
    def from_file(cls, path: str | Path, seed: int = 0) -> ScriptedPolicy:
        """Read a script from a YAML or JSON file."""
        p = Path(path)
        return cls(read_data(p, "script", MAX_SCRIPT_BYTES), seed, str(p))

    def check_scenario(self, scenario_id: str) -> None:
        """Raise NegotiationError if the script names another scenario than the one it is to play."""
        if self.scenario is not None and self.scenario != scenario_id:
            raise NegotiationError(f"{self.source}: this script is written for scenario '{self.scenario}', not "
                                   f"'{scenario_id}'")

    def choose(self, game: Game) -> Action:
        text: str | None = None
        d = game.state.decision
        if d is not None and d in self.by_decision:
            steps = self.by_decision[d]
            text = steps[min(game.state.step, len(steps) - 1)]
        elif self.step < len(self.queue):
            text = self.queue[self.step]
            self.step += 1
        if text is None:
            return self.fallback.choose(game)
        if text == "historical":
            return HistoricalPolicy().choose(game)
        action = Action.parse(text)
        if action not in game.legal_actions():
            legal = ", ".join(a.id for a in game.legal_actions())
            raise NegotiationError(f"{self.source}: {text!r} is not legal at decision {d!r} (legal: {legal})")
        return action


POLICIES: dict[str, Callable[[int], Policy]] = {
    "random": RandomPolicy,
    "historical": HistoricalPolicy,
    "greedy": GreedyPolicy,
    "accept": AcceptPolicy,
    "refuse": RefusePolicy,
    "ask": AskPolicy,
    "best": BestRungPolicy,
    "walkout": WalkoutPolicy,
}


def make_policy(name: str, seed: int = 0, script: str | Path | None = None) -> Policy:
    """Build a policy by name; ``scripted`` needs a script file."""
    if name == "scripted":
        if script is None:
            raise NegotiationError("the scripted policy needs a script file (--script FILE)")
        return ScriptedPolicy.from_file(script, seed)
    try:
        return POLICIES[name](seed)
    except KeyError:
        raise NegotiationError(f"unknown policy {name!r}; choose from {', '.join([*POLICIES, 'scripted'])}") from None
