"""The JSON record of one finished game: one row of a batch's report (simulate, sweep, the workers)."""

from __future__ import annotations

from typing import Any

from negotiation.engine.game import Game
from negotiation.scoring import ScoreCard


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


__all__ = ["run_record"]
