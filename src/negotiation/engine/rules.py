"""A scenario compiled for play: indices, compiled expressions, sorted calendars, the phase machine."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from negotiation.engine.actions import Action
from negotiation.engine.machine import PhaseMachine
from negotiation.engine.state import GameState, join_title
from negotiation.errors import ExpressionError
from negotiation.scenario.checks import ARTICLE_ATTRS, namespace
from negotiation.scenario.expr import Getter, compile_node, parse
from negotiation.scenario.loader import LoadedScenario
from negotiation.scenario.models import (
    ARTICLE_MOVES,
    Actor,
    AllyAI,
    Article,
    CounterpartAI,
    Decision,
    Ending,
    Event,
    PrincipalAI,
    Scenario,
)


@dataclass(frozen=True, slots=True)
class ArticleRules:
    """An article's ladder as numbers, for the hot path."""

    model: Article
    index: int
    ids: tuple[str, ...]
    player_value: tuple[float, ...]
    counter_value: tuple[float, ...]
    historical: int
    floor: int
    floor_unless: Getter | None
    offset: float
    us_lever: float
    adjust: Getter | None
    counter_weight: float

    def position(self, ident: str) -> int:
        """Return the ladder index of a position id."""
        return self.ids.index(ident)


@dataclass(frozen=True, slots=True)
class DecisionRules:
    """A decision with its condition compiled and its moves resolved."""

    model: Decision
    when: Getter
    moves: tuple[str, ...]
    option_when: tuple[Getter, ...]
    demand: int
    text: str


class Rules:
    """Everything a game needs from a scenario, computed once and shared by every game."""

    def __init__(self, loaded: LoadedScenario) -> None:
        s: Scenario = loaded.scenario
        self.loaded = loaded
        self.scenario = s
        self.hash = loaded.hash
        self.start = s.scenario.start_date.toordinal()
        self.end = s.scenario.end_date.toordinal()
        self.player_side = s.scenario.player_side
        self.counter_side = s.scenario.counterpart_side
        self.variables = {v.id: v for v in s.variables}
        self.names = namespace(s)
        self.actors: dict[str, Actor] = {a.id: a for a in s.actors}
        ais = [a.ai for a in s.actors if a.ai is not None]
        self.counterpart: CounterpartAI | None = next((x for x in ais if isinstance(x, CounterpartAI)), None)
        self.principal: PrincipalAI | None = next((x for x in ais if isinstance(x, PrincipalAI)), None)
        self.ally: AllyAI | None = next((x for x in ais if isinstance(x, AllyAI)), None)
        self.phases = {p.id: p for p in s.phases}
        self.articles: dict[str, ArticleRules] = {}
        for i, a in enumerate(s.articles):
            ids = tuple(p.id for p in a.positions)
            cp = a.counterpart
            self.articles[a.id] = ArticleRules(
                model=a, index=i, ids=ids,
                player_value=tuple(p.value[self.player_side] for p in a.positions),
                counter_value=tuple(p.value[self.counter_side] for p in a.positions),
                historical=ids.index(a.historical),
                floor=ids.index(cp.floor) if cp.floor else 0,
                floor_unless=self.compile(cp.floor_unless) if cp.floor_unless else None,
                offset=cp.offset, us_lever=cp.us_lever,
                adjust=self.compile(cp.adjust) if cp.adjust else None,
                counter_weight=cp.weight if cp.weight is not None else a.weight,
            )
        self.events: tuple[tuple[Event, Getter], ...] = tuple(
            (e, self.compile(e.when)) for e in sorted(s.events, key=lambda e: e.date)
        )
        by_phase: dict[str, list[DecisionRules]] = {p.id: [] for p in s.phases}
        self.decisions: dict[str, DecisionRules] = {}
        for d in s.decisions:
            moves = tuple(d.moves) if d.moves is not None else (ARTICLE_MOVES if d.article else ())
            demand = self.articles[d.article].position(d.demand) if d.article and d.demand else -1
            text = join_title(d.title, d.text)
            rules = DecisionRules(d, self.compile(d.when), moves,
                                  tuple(self.compile(o.when) for o in d.options), demand, text)
            self.decisions[d.id] = rules
            by_phase[d.phase].append(rules)
        self.by_phase = {k: tuple(sorted(v, key=lambda r: r.model.date)) for k, v in by_phase.items()}
        self.endings: tuple[tuple[Ending, Getter], ...] = tuple((e, self.compile(e.when)) for e in s.endings)
        self.ending_by_id = {e.id: e for e in s.endings}
        cp_ai = self.counterpart
        self.aspiration = self.compile(cp_ai.aspiration) if cp_ai else _zero
        self.sign_aspiration = self.compile(cp_ai.sign_aspiration) if cp_ai else _zero
        self.walkout_break = self.compile(cp_ai.walkout_break) if cp_ai else _zero
        self.grant = self.compile(self.principal.grant) if self.principal else _zero
        self.ally_gain = self.compile(self.ally.gain) if self.ally else _zero
        self.machine = PhaseMachine(
            [p.id for p in s.phases], s.start_phase,
            [(p.id, t.to, self.compile(t.when)) for p in s.phases for t in p.transitions],
        )
        self.counter_actions: dict[str, tuple[Action, ...]] = {
            k: tuple(Action("counter", i) for i in a.ids) for k, a in self.articles.items()}
        self.option_labels: dict[str, dict[str, str]] = {d.id: {o.id: o.label for o in d.options}
                                                         for d in s.decisions}
        self.option_actions: dict[str, tuple[Action, ...]] = {
            d.id: tuple(Action("option", o.id) for o in d.options) for d in s.decisions}
        with_ai = [a for a in s.actors if a.ai is not None or a.role == "player"]
        self.role_names: dict[str, str] = {a.role: a.name for a in reversed(with_ai)}
        self.role_ids: dict[str, str] = {a.role: a.id for a in reversed(with_ai)}
        self.player = self.role_ids["player"]
        self.speaker_of_counterpart = next(
            (a.id for a in s.actors if a.ai is not None and a.ai.kind == "counterpart"), None)

    def compile(self, text: str) -> Getter:
        """Compile an expression of this scenario into a closure over a GameState."""
        return compile_node(parse(text), self._resolve)

    def _resolve(self, name: str) -> Callable[[GameState], float]:
        if name not in self.names:
            raise ExpressionError(f"unknown name {name!r}")
        start = self.start
        if name in self.variables:
            return lambda s: s.variables[name]
        if name == "date":
            return lambda s: s.date
        if name == "days":
            return lambda s: s.date - start
        if name == "signed":
            return lambda s: s.signed_on is not None
        if name.startswith("asks."):
            key = name[5:]
            return lambda s: s.asks.get(key, 0)
        head, _, attr = name.partition(".")
        if head == "phase" and attr in self.phases:
            return lambda s: s.phase == attr
        if head in {a.id for a in self.scenario.articles}:
            art = head
            ids = [p.id for a in self.scenario.articles if a.id == art for p in a.positions]
            if attr == "settled":
                return lambda s: s.articles[art].settled >= 0
            if attr == "position":
                return lambda s: s.articles[art].settled
            if attr in ARTICLE_ATTRS:
                return lambda s: getattr(s.articles[art], attr)
            if attr in ids:
                const = ids.index(attr)
                return lambda s: const
        raise ExpressionError(f"unknown name {name!r}")

    def date_of(self, ordinal: int) -> dt.date:
        """Return a calendar date."""
        return dt.date.fromordinal(ordinal)


def _zero(_: object) -> float:
    return 0.0


_cache: OrderedDict[str, Rules] = OrderedDict()
CACHE_SIZE = 8  # scenarios kept compiled; hot reloads add a new one each time


def rules_for(loaded: LoadedScenario) -> Rules:
    """Return the compiled rules of a scenario, built once per content hash (the last few are kept)."""
    rules = _cache.get(loaded.hash)
    if rules is None:
        rules = Rules(loaded)
        _cache[loaded.hash] = rules
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    else:
        _cache.move_to_end(loaded.hash)
    return rules


__all__ = ["ArticleRules", "DecisionRules", "Rules", "rules_for"]
