"""Drive games turn by turn with a policy, and run batches of seeded games."""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from negotiation.actors.policies import Policy, make_policy
from negotiation.engine.game import Game
from negotiation.engine.rules import Rules, rules_for
from negotiation.scenario.loader import LoadedScenario
from negotiation.scoring import ScoreCard, score_card

MAX_STEPS = 10_000


def play(game: Game, policy: Policy, max_steps: int = MAX_STEPS) -> Game:
    """Let ``policy`` play ``game`` to its end; raise RuntimeError if it never ends."""
    for _ in range(max_steps):
        if game.is_over():
            return game
        game.apply(policy.choose(game))
    raise RuntimeError(f"the game did not end within {max_steps} actions")


def run_record(game: Game, card: ScoreCard, seed: int) -> dict[str, Any]:
    """The JSON record of one finished game."""
    return {
        "seed": seed,
        "ending": card.ending,
        "signed_on": card.signed_on.isoformat() if card.signed_on else None,
        "interest": round(card.interest, 6),
        "fidelity": round(card.fidelity, 6),
        "decisions": len(game.action_log),
        "articles": {a.article: {"position": a.position, "historical": a.historical} for a in card.articles},
    }


def simulate(
    scenario: LoadedScenario | Rules,
    policy: str,
    runs: int,
    seed: int = 0,
    script: str | Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Play ``runs`` games with seeds ``seed``, ``seed+1``, ... and return the JSON-ready report."""
    rules = scenario if isinstance(scenario, Rules) else rules_for(scenario)
    records = []
    for i in range(runs):
        s = seed + i
        game = play(Game(rules, s), make_policy(policy, s, script))
        records.append(run_record(game, score_card(game), s))
        if progress is not None:
            progress(i + 1)
    return {
        "scenario": rules.scenario.scenario.id,
        "policy": policy,
        "seed": seed,
        "runs": records,
        "summary": summarise(records),
    }


def summarise(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Means, medians and ending counts of a batch."""
    if not records:
        return {"games": 0}
    interest = [r["interest"] for r in records]
    fidelity = [r["fidelity"] for r in records]
    return {
        "games": len(records),
        "interest_mean": round(statistics.fmean(interest), 6),
        "interest_median": round(statistics.median(interest), 6),
        "interest_min": min(interest),
        "interest_max": max(interest),
        "fidelity_mean": round(statistics.fmean(fidelity), 6),
        "signed": sum(1 for r in records if r["signed_on"]),
        "endings": dict(sorted(Counter(r["ending"] for r in records).items())),
        "decisions_mean": round(statistics.fmean(r["decisions"] for r in records), 6),
    }


def report_bytes(report: dict[str, Any]) -> bytes:
    """Canonical JSON of a report: same seed, same bytes."""
    return (json.dumps(report, sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


__all__ = ["MAX_STEPS", "play", "report_bytes", "run_record", "simulate", "summarise"]
