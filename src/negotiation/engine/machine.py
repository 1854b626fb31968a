"""The scenario's phases as one ``transitions`` state machine, built once per scenario.

This is the only module that imports ``transitions``. Conditions are our own closures: no string
from a scenario ever reaches transitions' callback resolution (which would import dotted paths).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from transitions import Machine, MachineError

Condition = Callable[[object], object]


class _Cursor:
    """The machine's model: which state is current, and the game state conditions read."""

    def __init__(self, initial: str) -> None:
        self.state = initial
        self.game: object = None


class PhaseMachine:
    """Phases and their guarded transitions; one instance serves every game of a scenario.

    Games do not own a model of their own (attaching one costs more than a whole game); the
    machine's single cursor is pointed at a game's phase with ``set_state`` (which fires no
    callbacks) just before a trigger. Not for concurrent use from several threads.
    """

    TRIGGER = "advance"

    def __init__(self, phases: Sequence[str], initial: str,
                 transitions: Sequence[tuple[str, str, Condition]]) -> None:
        self._cursor = _Cursor(initial)
        self._machine = Machine(
            model=self._cursor, states=list(phases), initial=initial,
            auto_transitions=False, queued=True, send_event=False,
        )
        for source, dest, cond in transitions:
            self._machine.add_transition(
                self.TRIGGER, source, dest, conditions=[self._guard(cond)],
            )

    def _guard(self, cond: Condition) -> Callable[[], bool]:
        cursor = self._cursor

        def guard() -> bool:
            return bool(cond(cursor.game))

        return guard

    def advance(self, phase: str, game: object) -> str | None:
        """Return the phase reached from ``phase`` by the first transition whose condition holds."""
        cursor = self._cursor
        self._machine.set_state(phase, model=cursor)
        cursor.game = game
        try:
            cursor.trigger(self.TRIGGER)  # type: ignore[attr-defined]
        except MachineError:
            return None  # the phase has no way out
        finally:
            cursor.game = None
        # with queued=True, trigger() returns True even when no condition held: compare the states.
        # Staying put (no condition held, or a transition to the phase itself) means no way out.
        return str(cursor.state) if cursor.state != phase else None
