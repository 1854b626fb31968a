"""Drive games turn by turn with a policy, and run batches of seeded games."""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from negotiation.actors.policies import Policy
from negotiation.engine.game import Game
from negotiation.engine.rules import Rules, rules_for
from negotiation.scenario.loader import LoadedScenario
from negotiation.sim.records import run_record

MAX_STEPS = 10_000


def play(game: Game, policy: Policy, max_steps: int = MAX_STEPS) -> Game:
    """Let ``policy`` play ``game`` to its end; raise RuntimeError if it never ends."""
    for _ in range(max_steps):
        if game.is_over():
            return game
        game.apply(policy.choose(game))
    raise RuntimeError(f"the game did not end within {max_steps} actions")


def simulate(
    scenario: LoadedScenario | Rules,
    policy: str,
    runs: int,
    seed: int = 0,
    script: str | Path | None = None,
    progress: Callable[[int], None] | None = None,
    workers: int = 1,
    trace: bool = False,
) -> dict[str, Any]:
    """Play ``runs`` games with seeds ``seed``, ``seed+1``, ... and return the JSON-ready report.

    ``workers`` processes play them (the report is the same for any number); ``trace`` adds each
    run's meters after every move (``trace``: ``[turn, date, [values]]``, the meters named in the
    report's ``meters``). The whole report is held in memory: for large batches, stream it to a
    file with :func:`negotiation.sim.batch.run_report`.
    """
    from negotiation.sim.batch import Player, play_batch

    rules = scenario if isinstance(scenario, Rules) else rules_for(scenario)
    records: list[dict[str, Any]] = []
    if workers <= 1:
        player = Player(rules, policy, script, trace)
        for i in range(runs):
            records.append(player.record(seed + i)[0])
            if progress is not None:
                progress(i + 1)
    else:
        for chunk in play_batch(rules, policy, runs, seed, script, workers, trace):
            records.extend(json.loads(f"[{chunk.json}]"))
            if progress is not None:
                progress(len(records))
    report: dict[str, Any] = {
        "scenario": rules.scenario.scenario.id,
        "policy": policy,
        "seed": seed,
        "runs": records,
        "summary": summarise(records),
    }
    if trace:
        report["meters"] = list(rules.visible)
    return report


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


def to_dataframe(source: Any) -> Any:
    """A pandas DataFrame of a report: one row per run of a ``simulate`` report, one per point of a ``sweep``.

    ``source`` is the report (a dict) or the path of its JSON file. Runs have the columns ``seed``,
    ``ending``, ``signed_on``, ``interest``, ``fidelity``, ``decisions`` and ``article.<id>`` (the
    position each article ended at); sweep points those of :func:`negotiation.sim.sweep.point_rows`.
    Needs pandas (``pip install 'negotiation[pandas]'``).
    """
    from negotiation.sim.tables import to_dataframe as frame

    return frame(source)


__all__ = ["MAX_STEPS", "play", "report_bytes", "run_record", "simulate", "summarise", "to_dataframe"]
