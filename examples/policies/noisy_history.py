"""An example plug-in policy: what the real delegation did, but now and then something else.

Use it from the command line (the folder must be on Python's path):

    PYTHONPATH=examples/policies negotiation simulate moscow1945 --policy noisy_history:NoisyHistory --runs 500

or install a package that names it in the ``negotiation.policies`` entry-point group (see
docs/policies.md), and then ``--policy noisy-history``.
"""

from __future__ import annotations

import random

from negotiation import Action, Game


class NoisyHistory:
    """History, except that at each decision, with probability ``deviation``, a random legal move."""

    name = "noisy-history"
    deviation = 0.2

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # its own generator, seeded per game: the same seed, the same game

    def choose(self, game: Game) -> Action:
        """Return one of ``game.legal_actions()``."""
        legal = game.legal_actions()
        if self.rng.random() < self.deviation:
            return legal[self.rng.randrange(len(legal))]
        historical = game.historical_action()
        return next((a for a in legal if a.id == historical), legal[0])


class BoldHistory(NoisyHistory):
    """History with a random move at one decision in two."""

    name = "bold-history"
    deviation = 0.5
