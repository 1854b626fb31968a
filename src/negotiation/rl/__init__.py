"""A Gymnasium environment: the player's side of a scenario, for reinforcement learning.

``NegotiationEnv(scenario="moscow1945", reward="interest")`` plays one game per episode through
the ordinary :class:`negotiation.Game` API, so an episode is the game the same seed and the same
moves give anywhere else (a save, ``simulate``, the window). Gymnasium and NumPy are an optional
extra: ``pip install 'negotiation[rl]'``. See docs/rl.md for the observation, the actions and the
rewards, index by index.

* **Actions**: ``Discrete(n)`` with a fixed meaning per scenario: the six standard moves (accept,
  hold, mandate, ally, walkout, sign), then a counter-offer at each rung of the article on the
  table (rung 0 = the player's best), then every option of every decision, as
  ``(decision, option)`` pairs in file order. Which are legal now is ``info["action_mask"]``
  (``int8``, 1 = legal): sample with ``env.action_space.sample(mask=info["action_mask"])``.
* **Observation**: a ``float32`` vector in [0, 1], named by ``env.observation_names``.
* **Rewards**: ``interest`` (the final interest score / 100, at the end), ``fidelity`` (the final
  fidelity, 0-1, at the end) or ``shaped`` (the change in the provisional value of the terms at
  every step, potential-based, summing to the final interest / 100 minus its value at the start).
"""

from __future__ import annotations

from typing import Any, SupportsFloat

try:
    import gymnasium as gym
    import numpy as np
    from gymnasium import spaces
except ImportError as exc:  # pragma: no cover - depends on the installation
    from negotiation.errors import NegotiationError

    raise NegotiationError("the Gymnasium environment needs gymnasium and numpy: "
                           "pip install 'negotiation[rl]'") from exc

from negotiation.actors.policies import provisional_value
from negotiation.engine.actions import Action, MoveKind
from negotiation.engine.game import Game
from negotiation.engine.rules import Rules, rules_for
from negotiation.errors import NegotiationError
from negotiation.scenario.loader import LoadedScenario
from negotiation.scoring import score_card

STANDARD = (MoveKind.ACCEPT, MoveKind.HOLD, MoveKind.MANDATE, MoveKind.ALLY, MoveKind.WALKOUT, MoveKind.SIGN,
            MoveKind.MEDIATE)
REWARDS = ("interest", "fidelity", "shaped")


class ActionTable:
    """The fixed numbering of a scenario's moves: standard moves, counters by rung, options by decision."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.rungs = max(len(a.ids) for a in rules.articles.values())
        self.options = [(d.id, o.id) for d in rules.scenario.decisions for o in d.options]
        self.names = ([str(k) for k in STANDARD] + [f"counter@{r}" for r in range(self.rungs)]
                      + [f"option:{d}/{o}" for d, o in self.options])
        self._standard = {str(k): i for i, k in enumerate(STANDARD)}
        self._option = {key: len(STANDARD) + self.rungs + i for i, key in enumerate(self.options)}

    def __len__(self) -> int:
        return len(self.names)

    def index(self, game: Game, action: Action) -> int:
        """The index of a legal action of ``game``."""
        if action.kind == MoveKind.COUNTER:
            d = game.decision()
            assert d is not None and d.model.article is not None
            return len(STANDARD) + self.rules.articles[d.model.article].ids.index(action.arg)
        if action.kind == MoveKind.OPTION:
            d = game.decision()
            assert d is not None
            return self._option[(d.model.id, action.arg)]
        return self._standard[action.kind]

    def legal(self, game: Game) -> dict[int, Action]:
        """Index -> action, for the actions legal now."""
        return {self.index(game, a): a for a in game.legal_actions()}


class Observer:
    """Turns a game's state into the observation vector, and names each entry."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        s = rules.scenario
        self.variables = [v for v in s.variables if v.show]
        self.articles = list(rules.articles.values())
        self.phases = [p.id for p in s.phases]
        names = ["calendar"]
        names += [f"var:{v.id}" for v in self.variables]
        for a in self.articles:
            names += [f"{a.model.id}:demand", f"{a.model.id}:mandate", f"{a.model.id}:agreed", f"{a.model.id}:term"]
        names += [f"table:{a.model.id}" for a in self.articles] + ["table:none"]
        names += ["round", "step", "signing_open", "in_session", "cables_left", "requests_left",
                  "cable_pending", "request_pending"]
        names += [f"phase:{p}" for p in self.phases]
        self.names = names
        self._span = max(1, rules.end - rules.start)

    def __call__(self, game: Game) -> np.ndarray:
        """The observation of ``game`` now (a new array)."""
        r = self.rules
        st = game.state
        out: list[float] = [(st.date - r.start) / self._span]
        for v in self.variables:
            width = v.max - v.min
            out.append((st.variables[v.id] - v.min) / width if width else 0.0)
        for a in self.articles:
            x = st.articles[a.model.id]
            top = max(1, len(a.ids) - 1)
            out += [x.demand / top, x.mandate / top, 1.0 if x.settled >= 0 else 0.0,
                    x.settled / top if x.settled >= 0 else 0.0]
        d = game.decision()
        on_table = d.model.article if d is not None else None
        out += [1.0 if a.model.id == on_table else 0.0 for a in self.articles] + [1.0 if on_table is None else 0.0]
        rounds = d.model.rounds if d is not None else 1
        pending = {kind for _, kind, _ in st.pending}
        principal, ally = r.principal, r.ally
        out += [
            st.round / max(1, rounds), min(st.step, 10) / 10, 1.0 if d is not None and game.signing_open() else 0.0,
            1.0 if st.in_session else 0.0,
            1 - st.asks.get("mandate", 0) / principal.max_asks if principal is not None and principal.max_asks else 0.0,
            1 - st.asks.get("ally", 0) / ally.max_asks if ally is not None and ally.max_asks else 0.0,
            1.0 if "mandate" in pending else 0.0, 1.0 if "ally" in pending else 0.0,
        ]
        out += [1.0 if p == st.phase else 0.0 for p in self.phases]
        return np.clip(np.asarray(out, dtype=np.float32), 0.0, 1.0)


class NegotiationEnv(gym.Env[np.ndarray, np.int64]):
    """The player's side of a scenario as a Gymnasium environment (see the module's docstring)."""

    metadata = {"render_modes": ("ansi",), "render_fps": 1}  # noqa: RUF012 - Gymnasium's own attribute

    def __init__(self, scenario: str | LoadedScenario | Rules = "moscow1945", reward: str = "interest",
                 max_steps: int = 500, illegal: str = "penalty", illegal_penalty: float = -0.01,
                 render_mode: str | None = None) -> None:
        if reward not in REWARDS:
            raise NegotiationError(f"unknown reward {reward!r}; choose from {', '.join(REWARDS)}")
        if illegal not in ("penalty", "raise"):
            raise NegotiationError("illegal is 'penalty' (no move, a small negative reward) or 'raise'")
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise NegotiationError(f"unknown render mode {render_mode!r}; this environment renders 'ansi'")
        self.rules = _rules(scenario)
        self.reward_kind = reward
        self.max_steps = max_steps
        self.illegal = illegal
        self.illegal_penalty = illegal_penalty
        self.render_mode = render_mode
        self.actions = ActionTable(self.rules)
        self.observe = Observer(self.rules)
        self.observation_names = self.observe.names
        self.action_names = self.actions.names
        self.action_space = spaces.Discrete(len(self.actions))
        self.observation_space = spaces.Box(0.0, 1.0, shape=(len(self.observation_names),), dtype=np.float32)
        weights = sum(a.model.weight for a in self.rules.articles.values()) or 1.0
        self._history_value = sum(a.model.weight * a.player_value[a.historical]
                                  for a in self.rules.articles.values()) / weights
        self.game: Game | None = None
        self._legal: dict[int, Action] = {}
        self._steps = 0
        self._potential = 0.0

    # ------------------------------------------------------------------ the Gymnasium API
    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[np.ndarray,
                                                                                                 dict[str, Any]]:
        """Start a game: with ``seed``, the game of that seed; without, the next seed of the environment's generator."""
        super().reset(seed=seed)
        game_seed = seed if seed is not None else int(self.np_random.integers(0, 2**31 - 1))
        self.game = Game(self.rules, game_seed)
        self._steps = 0
        self._potential = self._value()
        self._legal = self.actions.legal(self.game)
        return self.observe(self.game), self._info()

    def step(self, action: Any) -> tuple[np.ndarray, SupportsFloat, bool, bool, dict[str, Any]]:
        """Play the move with this index; an illegal index plays nothing and costs ``illegal_penalty``."""
        game = self.game
        if game is None:
            raise NegotiationError("call reset() before step()")
        if game.is_over():
            raise NegotiationError("the game is over: call reset()")
        index = int(action)
        self._steps += 1
        chosen = self._legal.get(index)
        if chosen is None:
            if self.illegal == "raise":
                shown = ", ".join(self.action_names[i] for i in sorted(self._legal))
                raise NegotiationError(f"action {index} is not legal now (legal: {shown})")
            truncated = self._steps >= self.max_steps
            return self.observe(game), self.illegal_penalty, False, truncated, self._info(illegal=True)
        game.apply(chosen)
        terminated = game.is_over()
        self._legal = self.actions.legal(game) if not terminated else {}
        reward = self._reward(terminated)
        truncated = not terminated and self._steps >= self.max_steps
        return self.observe(game), reward, terminated, truncated, self._info(action=chosen)

    def render(self) -> str | None:
        """The decision on the table and the legal moves, in words (render mode 'ansi')."""
        if self.render_mode != "ansi" or self.game is None:
            return None
        from negotiation.present import Presenter

        game = self.game
        p = Presenter(self.rules)
        if game.is_over():
            card = score_card(game)
            return f"{card.ending_title}: interest {card.interest:+.2f}, fidelity {card.fidelity:.1%}\n"
        d = game.decision()
        lines = [f"{game.state.day.isoformat()}  {d.text if d is not None else ''}"]
        lines += [f"  {label}: {value:.0f}" for _, label, value, _, _ in p.meters(game)]
        for c in p.choices(game):
            lines.append(f"  [{self.actions.index(game, c.action)}] {c.label} — {c.risk}")
        return "\n".join(lines) + "\n"

    # ------------------------------------------------------------------ helpers
    def action_mask(self) -> np.ndarray:
        """1 for each legal action now, 0 otherwise (``int8``)."""
        mask = np.zeros(len(self.actions), dtype=np.int8)
        if self._legal:
            mask[list(self._legal)] = 1
        return mask

    def _info(self, action: Action | None = None, illegal: bool = False) -> dict[str, Any]:
        game = self.game
        assert game is not None
        info: dict[str, Any] = {"action_mask": self.action_mask(), "seed": game.seed,
                                "decision": game.state.decision}
        if action is not None:
            info["action"] = action.id
        if illegal:
            info["illegal"] = True
        if game.is_over():
            card = score_card(game)
            info.update(ending=card.ending, interest=card.interest, fidelity=card.fidelity)
        return info

    def _value(self) -> float:
        """The potential of the shaped reward: the provisional value of the terms against history, / 100."""
        assert self.game is not None
        return (provisional_value(self.game) - self._history_value) / 100.0

    def _reward(self, terminated: bool) -> float:
        game = self.game
        assert game is not None
        if self.reward_kind == "shaped":
            now = self._value()
            reward, self._potential = now - self._potential, now
            return reward
        if not terminated:
            return 0.0
        card = score_card(game)
        return card.interest / 100.0 if self.reward_kind == "interest" else card.fidelity


def _rules(scenario: str | LoadedScenario | Rules) -> Rules:
    if isinstance(scenario, Rules):
        return scenario
    if isinstance(scenario, str):
        from negotiation.resources import scenario_path
        from negotiation.scenario.loader import load_file

        try:
            path = scenario_path(scenario)
        except FileNotFoundError as exc:
            raise NegotiationError(str(exc)) from None
        scenario = load_file(path)
    return rules_for(scenario)


ENV_ID = "negotiation/Negotiation-v0"
"""The registered id: ``gymnasium.make("negotiation/Negotiation-v0", scenario="moscow1950")``."""

if ENV_ID not in gym.registry:
    gym.register(id=ENV_ID, entry_point="negotiation.rl:NegotiationEnv", kwargs={"scenario": "moscow1945"},
                 nondeterministic=False)


__all__ = ["ENV_ID", "REWARDS", "STANDARD", "ActionTable", "NegotiationEnv", "Observer"]
