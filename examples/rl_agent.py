"""Train a small tabular agent on the Gymnasium environment, then compare it with the historical delegation.

The agent is Monte Carlo control with an epsilon-greedy policy over the legal moves (the action
mask), its table keyed by a coarse view of the observation: the calendar, the phase, the article
on the table and the exchange's round exactly, the meters in quarters. It learns from the final
interest score only. No deep learning library: NumPy and the standard library, a few minutes on
one core.

    pip install 'negotiation[rl]'
    python examples/rl_agent.py --minutes 2            # moscow1945 by default
    python examples/rl_agent.py --scenario tutorial --minutes 0.5

It prints, on seeds it never trained on: the trained agent, a masked random agent and the
historical line (interest 0 and fidelity 100% by construction): interest mean, signed share,
fidelity, endings.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np

from negotiation.rl import NegotiationEnv

Key = tuple[Any, ...]
Picker = Callable[[NegotiationEnv, np.ndarray, dict[str, Any]], int]


def make_key(names: list[str]) -> Callable[[np.ndarray], Key]:
    """A coarse, hashable view of an observation: meters in quarters, the rest to two decimals."""
    coarse = np.array([n.startswith("var:") for n in names])

    def key(obs: np.ndarray) -> Key:
        view = np.where(coarse, np.round(obs * 4), np.round(obs * 100))
        return tuple(view.astype(np.int16).tolist())

    return key


class TabularAgent:
    """Monte Carlo control: Q(state, action) moves toward each episode's final reward."""

    def __init__(self, env: NegotiationEnv, alpha: float = 0.1, seed: int = 0) -> None:
        self.key = make_key(env.observation_names)
        self.n = int(env.action_space.n)
        self.q: dict[Key, np.ndarray] = defaultdict(lambda: np.zeros(self.n))  # 0 = as good as history: optimistic
        self.alpha = alpha
        self.rng = np.random.default_rng(seed)

    def pick(self, obs: np.ndarray, mask: np.ndarray, epsilon: float) -> int:
        legal = np.flatnonzero(mask)
        if self.rng.random() < epsilon:
            return int(self.rng.choice(legal))
        values = self.q[self.key(obs)][legal]
        best = legal[values == values.max()]
        return int(best[0])  # ties: the first legal move (options first, as the game lists them)

    def learn(self, visited: list[tuple[Key, int]], reward: float) -> None:
        for key, action in visited:
            row = self.q[key]
            row[action] += self.alpha * (reward - row[action])


def train(env: NegotiationEnv, agent: TabularAgent, seconds: float, seeds: range) -> tuple[int, int]:
    """Play and learn until the time is up; return (episodes, steps)."""
    start = time.monotonic()
    episodes = steps = 0
    while time.monotonic() - start < seconds:
        progress = (time.monotonic() - start) / seconds
        epsilon = max(0.02, 0.3 * (1 - progress))
        obs, info = env.reset(seed=seeds[episodes % len(seeds)])
        visited: list[tuple[Key, int]] = []
        reward = 0.0
        while True:
            action = agent.pick(obs, info["action_mask"], epsilon)
            visited.append((agent.key(obs), action))
            obs, r, terminated, truncated, info = env.step(action)
            reward += float(r)
            steps += 1
            if terminated or truncated:
                break
        agent.learn(visited, reward)
        episodes += 1
    return episodes, steps


def evaluate(env: NegotiationEnv, pick: Picker, seeds: range) -> dict[str, Any]:
    """Play one episode per seed; sum up the final scores."""
    interest, fidelity, endings = [], [], Counter()
    for seed in seeds:
        obs, info = env.reset(seed=seed)
        while True:
            obs, _, terminated, truncated, info = env.step(pick(env, obs, info))
            if terminated or truncated:
                break
        interest.append(info.get("interest", float("nan")))
        fidelity.append(info.get("fidelity", float("nan")))
        endings[info.get("ending", "unfinished")] += 1
    signed = sum(c for e, c in endings.items() if env.rules.ending_by_id.get(e) is not None
                 and env.rules.ending_by_id[e].signed)
    return {"interest": statistics.fmean(interest), "best": max(interest), "fidelity": statistics.fmean(fidelity),
            "signed": signed / len(seeds), "endings": dict(endings.most_common())}


def historical(env: NegotiationEnv, obs: np.ndarray, info: dict[str, Any]) -> int:
    game = env.game
    assert game is not None
    legal = game.legal_actions()
    hist = game.historical_action()
    return env.actions.index(game, next((a for a in legal if a.id == hist), legal[0]))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", default="moscow1945")
    p.add_argument("--minutes", type=float, default=2.0, help="training time (default 2)")
    p.add_argument("--train-seeds", type=int, default=50, help="seeds it trains on (default 50)")
    p.add_argument("--eval-seeds", type=int, default=200, help="held-out seeds it is judged on (default 200)")
    args = p.parse_args()

    env = NegotiationEnv(args.scenario, reward="interest")
    agent = TabularAgent(env)
    print(f"{args.scenario}: {len(env.observation_names)} observations, {env.action_space.n} actions; "
          f"training for {args.minutes:g} min on seeds 0..{args.train_seeds - 1}")
    episodes, steps = train(env, agent, args.minutes * 60, range(args.train_seeds))
    print(f"  {episodes:,} episodes, {steps:,} steps ({steps / (args.minutes * 60):,.0f} a second), "
          f"{len(agent.q):,} states in the table")

    held_out = range(10_000, 10_000 + args.eval_seeds)
    rng = np.random.default_rng(1)
    rows = {
        "trained agent": evaluate(env, lambda e, o, i: agent.pick(o, i["action_mask"], 0.0), held_out),
        "masked random": evaluate(env, lambda e, o, i: int(rng.choice(np.flatnonzero(i["action_mask"]))), held_out),
        "historical delegation": evaluate(env, historical, held_out),
    }
    print(f"\nOn {len(held_out)} seeds it never trained on (interest: history = 0, above 0 better for the player):")
    print(f"  {'':<22} {'interest':>9} {'best':>7} {'signed':>7} {'fidelity':>9}  endings")
    for name, r in rows.items():
        ends = ", ".join(f"{k} {v}" for k, v in r["endings"].items())
        print(f"  {name:<22} {r['interest']:+9.2f} {r['best']:+7.2f} {r['signed']:7.0%} {r['fidelity']:9.1%}  {ends}")


if __name__ == "__main__":
    main()
