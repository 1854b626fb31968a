"""Policies that play the player's side: each picks one legal action for a game."""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import random
import re
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

PolicyFactory = Callable[[int], Policy]
"""Makes the policy for one game from its seed."""

ENTRY_POINTS = "negotiation.policies"
"""The entry-point group where installed packages offer policies (name -> a class taking the seed)."""


def make_policy(name: str, seed: int = 0, script: str | Path | None = None) -> Policy:
    """Build a policy by name (see :func:`policy_factory`); ``scripted`` needs a script file."""
    return policy_factory(name, script)(seed)


def policy_factory(name: str, script: str | Path | None = None) -> PolicyFactory:
    """What makes a policy for each seed, by name.

    A built-in name (``random``, ``greedy``, ...), ``scripted`` with a script file (read once),
    ``package.module:Class`` (the user's own code, imported on request), or the name of a policy
    an installed package offers in the ``negotiation.policies`` entry-point group. The class (or
    any callable) is called with the game's seed and must return an object with ``choose(game)``.
    Never called with text from a scenario or a script file.
    """
    if name == "scripted":
        if script is None:
            raise NegotiationError("the scripted policy needs a script file (--script FILE)")
        data, source = _read_script(script)
        return lambda seed: ScriptedPolicy(data, seed, source)
    if name in POLICIES:
        return POLICIES[name]
    return _plugin(name)


def plugin_names() -> list[str]:
    """The policies installed packages offer (entry-point group ``negotiation.policies``)."""
    return sorted({ep.name for ep in importlib.metadata.entry_points(group=ENTRY_POINTS)})


_MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


@functools.lru_cache(maxsize=32)
def _plugin(name: str) -> PolicyFactory:
    """Import a policy named 'package.module:Class' or offered by an installed package."""
    obj: Any
    if ":" in name:
        module_name, _, attr = name.partition(":")
        if not _MODULE.match(module_name) or not _MODULE.match(attr):
            raise NegotiationError(f"policy {name!r}: write a plug-in policy as package.module:Class")
        try:
            obj = importlib.import_module(module_name)
        except ImportError as exc:
            hint = ""
            if Path(f"{module_name.split('.')[0]}.py").is_file() or Path(module_name.split(".")[0]).is_dir():
                hint = " (it is in the current folder: run with PYTHONPATH=. so that Python finds it)"
            raise NegotiationError(f"policy {name!r}: cannot import {module_name!r}: {exc}{hint}") from None
        except Exception as exc:  # the user's module failed while importing: say how, without a traceback
            raise NegotiationError(f"policy {name!r}: importing {module_name!r} failed: "
                                   f"{type(exc).__name__}: {exc}") from None
        for part in attr.split("."):
            try:
                obj = getattr(obj, part)
            except AttributeError:
                raise NegotiationError(f"policy {name!r}: {module_name!r} has no {attr!r}") from None
    else:
        found = list(importlib.metadata.entry_points(group=ENTRY_POINTS, name=name))
        if not found:
            installed = plugin_names()
            extra = f"; installed plug-ins: {', '.join(installed)}" if installed else ""
            raise NegotiationError(f"unknown policy {name!r}; choose from {', '.join([*POLICIES, 'scripted'])}, "
                                   f"or name your own as package.module:Class{extra}")
        try:
            obj = found[0].load()
        except Exception as exc:
            raise NegotiationError(f"policy {name!r} ({found[0].value}) failed to load: "
                                   f"{type(exc).__name__}: {exc}") from None
    if not callable(obj):
        raise NegotiationError(f"policy {name!r} is a {type(obj).__name__}, not a class or function to call "
                               "with the seed")
    return _Checked(name, obj)


class _Checked:
    """A plug-in's maker that checks what it makes."""

    def __init__(self, name: str, make: Callable[[int], Any]) -> None:
        self.name = name
        self.make = make

    def __call__(self, seed: int) -> Policy:
        policy = self.make(seed)
        if not callable(getattr(policy, "choose", None)):
            raise NegotiationError(f"policy {self.name!r}: calling it with the seed gave a "
                                   f"{type(policy).__name__}, which has no choose(game) method")
        return policy  # type: ignore[no-any-return]


def _read_script(script: str | Path) -> tuple[Any, str]:
    """A script's data, read through the guarded reader and checked once (rather than in every game)."""
    p = Path(script)
    data = read_data(p, "script", MAX_SCRIPT_BYTES)
    ScriptedPolicy(data, 0, str(p))
    return data, str(p)
