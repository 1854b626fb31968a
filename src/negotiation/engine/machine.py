"""The negotiation's protocol as ``transitions`` state machines, built once per scenario.

Two machines, each shared by every game of a scenario and pointed at one game's state just
before a trigger (``set_state`` fires no callbacks):

* the **phase machine**: the scenario's phases (from the YAML) and their guarded transitions;
* the **session machine**: the protocol at the table, ``adjourned`` → ``in_session`` →
  ``adjourned`` … → ``over``. Convening a session tables the counterpart's terms; adjourning it
  lets unaccepted concessions lapse; between sessions the calendar moves, dated events fire and
  cabled answers arrive. Its callbacks are the game's own methods and emit the game's events.

The exchange inside a session (demand, answer, counter) is handled by the move handlers of
:mod:`negotiation.engine.moves` without a trigger each: a trigger costs about as much as a whole
decision's other work, so the machine works at the grain of sessions.

This is the only module that imports ``transitions``. No string from a scenario ever reaches
transitions' callback resolution (which would import dotted paths): callbacks are our own callables.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Protocol

from transitions import Event, EventData, Machine, MachineError, State, Transition

from negotiation.engine.state import ADJOURNED, IN_SESSION, OVER

Condition = Callable[[object], object]


class _State(State):
    """A state that skips its enter and exit steps (and their log lines) when it has no callbacks."""

    def enter(self, event_data: Any) -> None:
        if self.on_enter:
            super().enter(event_data)

    def exit(self, event_data: Any) -> None:
        if self.on_exit:
            super().exit(event_data)


class _Transition(Transition):
    """A transition whose steps are the library's, in its order, without a debug log line per step."""

    def execute(self, event_data: Any) -> bool:
        machine = event_data.machine
        game = event_data.model.game
        for func in self.prepare:
            func(game)  # type: ignore[operator]  # ours are all callables of the game (see _Machine)
        for cond in self.conditions:
            if bool(cond.func(game)) != cond.target:  # type: ignore[operator]
                return False
        if machine.before_state_change or self.before:
            for func in (*machine.before_state_change, *self.before):
                func(game)
        if self.dest:  # None: an internal transition, with no change of state
            self._change_state(event_data)
        for func in (*self.after, *machine.after_state_change) if machine.after_state_change else self.after:
            func(game)  # type: ignore[operator]
        return True


class _Event(Event):
    """An event that runs its transitions directly when the machine has no event-wide callbacks (ours has none).

    Our machines are not queued (a trigger never fires another: see :meth:`SessionMachine.fire`), so a
    trigger runs at once, as the library runs it then, without wrapping it for a queue.
    """

    def trigger(self, model: Any, *args: Any, **kwargs: Any) -> Any:
        machine = self.machine
        if machine.has_queue or machine._transition_queue:
            return super().trigger(model, *args, **kwargs)
        return self._trigger(EventData(None, self, machine, model, args=args, kwargs=kwargs))

    def _trigger(self, event_data: Any) -> Any:
        machine = self.machine
        if machine.prepare_event or machine.finalize_event or machine.on_exception:
            return super()._trigger(event_data)
        state = event_data.state = machine.get_model_state(event_data.model)
        candidates = self.transitions.get(state.name)
        if candidates is None:  # not defined from this state: the library raises (or ignores it), as configured
            return super()._trigger(event_data)
        for trans in candidates:
            event_data.transition = trans
            if trans.execute(event_data):
                event_data.result = True
                break
        return event_data.result


class _Machine(Machine):
    """transitions' Machine for callbacks that are functions of the game the cursor points at (ours all are).

    Each callback is called directly with the game: no lookup of names on the model, no
    per-callback log line. Everything else (states, triggers, conditions, prepare and after
    callbacks) is the library's.
    """

    state_cls = _State
    transition_cls = _Transition
    event_cls = _Event

    def get_model_state(self, model: Any) -> Any:
        return self.states[getattr(model, self.model_attribute)]  # our states are plain names

    @staticmethod
    def resolve_callable(func: Any, event_data: Any) -> Any:
        return func

    def callbacks(self, funcs: Any, event_data: Any) -> None:
        game = event_data.model.game
        for func in funcs:
            func(game)

    def callback(self, func: Any, event_data: Any) -> None:
        func(event_data.model.game)


class Table(Protocol):
    """What the session machine needs of a game: its state and its callbacks."""

    state: Any
    _firing: bool

    def find_session(self) -> None:
        """Between sessions: let the calendar run to the next session with something to present."""

    def found_session(self) -> bool:
        """Whether the search found a session to convene (and the game goes on)."""

    def on_convene(self) -> None:
        """The session opens: the counterpart's terms are tabled."""

    def on_adjourn(self) -> None:
        """The session ends: unaccepted concessions lapse."""

    def on_finish(self) -> None:
        """The game ends."""


class _Cursor:
    """A machine's model: which state is current, and the game its callbacks act on."""

    def __init__(self, initial: str) -> None:
        self.state = initial
        self.game: Any = None


class PhaseMachine:
    """Phases and their guarded transitions; one instance serves every game of a scenario.

    Games do not own a model of their own (attaching one costs more than a whole game); the
    machine's single cursor is pointed at a game's phase with ``set_state`` just before a
    trigger. Not for concurrent use from several threads.
    """

    TRIGGER = "advance"

    def __init__(self, phases: Sequence[str], initial: str,
                 transitions: Sequence[tuple[str, str, Condition]]) -> None:
        self._cursor = _Cursor(initial)
        self._machine = _Machine(
            model=self._cursor, states=list(phases), initial=initial,
            auto_transitions=False, queued=False, send_event=False,
        )
        self.edges = tuple((source, dest) for source, dest, _ in transitions)
        for source, dest, cond in transitions:
            self._machine.add_transition(self.TRIGGER, source, dest, conditions=[self._guard(cond)])

    @staticmethod
    def _guard(cond: Condition) -> Callable[[Any], bool]:
        def guard(game: Any) -> bool:
            return bool(cond(game.state))

        return guard

    def advance(self, phase: str, game: object) -> str | None:
        """Return the phase reached from ``phase`` by the first transition whose condition holds."""
        if not self.edges:
            return None  # a scenario of one phase (or phases with no transitions at all): no way out
        cursor = self._cursor
        self._machine.set_state(phase, model=cursor)
        cursor.game = game
        try:
            cursor.trigger(self.TRIGGER)  # type: ignore[attr-defined]
        except MachineError:
            return None  # the phase has no way out
        finally:
            cursor.game = None
        # Staying put (no condition held, or a transition to the phase itself) means no way out.
        return str(cursor.state) if cursor.state != phase else None


def _name(callback: object) -> str:
    return callback if isinstance(callback, str) else str(getattr(callback, "__name__", callback))


# The session machine's callbacks, each called with the game the machine's cursor points at.
def on_adjourn(game: Table) -> None:
    game.on_adjourn()


def find_session(game: Table) -> None:
    game.find_session()


def found_session(game: Table) -> bool:
    return bool(game.found_session())


def on_convene(game: Table) -> None:
    game.on_convene()


def on_finish(game: Table) -> None:
    game.on_finish()


class SessionMachine:
    """The protocol at the table: sessions convened and adjourned, and the end of the game.

    ``convene`` (from ``adjourned`` at the start, or from ``in_session`` when the open session has
    nothing more) first adjourns the open session (``on_adjourn``: concessions lapse), then lets
    the calendar run to the next session with something to present (``find_session``: dated
    events and cabled answers on the way, and the phase machine's hand-overs when a phase is
    done), and convenes it (``on_convene``: the counterpart's terms are tabled); when there is
    none, the game is over and the session stays ``adjourned``. ``finish`` (either → over) ends
    the game (``on_finish``). One trigger per session: a trigger costs about as much as a
    decision's other work. Callbacks do work and emit events; an ending reached inside a
    callback is finished by :meth:`fire` once the trigger is done, never by a nested trigger.
    """

    STATES = (ADJOURNED, IN_SESSION, OVER)
    EDGES = (("convene", ADJOURNED, IN_SESSION), ("convene", IN_SESSION, IN_SESSION),
             ("convene", IN_SESSION, ADJOURNED), ("finish", ADJOURNED, OVER), ("finish", IN_SESSION, OVER))

    def __init__(self) -> None:
        cursor = self._cursor = _Cursor(ADJOURNED)
        self._machine = _Machine(model=cursor, states=list(self.STATES), initial=ADJOURNED,
                                auto_transitions=False, queued=False, send_event=False)

        m = self._machine  # the callbacks call the game's own methods (Table); see below
        m.add_transition("convene", ADJOURNED, IN_SESSION, prepare=[find_session], conditions=[found_session],
                         after=[on_convene])
        m.add_transition("convene", IN_SESSION, None, prepare=[on_adjourn, find_session], conditions=[found_session],
                         after=[on_convene])
        m.add_transition("convene", IN_SESSION, ADJOURNED)  # no session left: the game is over
        m.add_transition("finish", [ADJOURNED, IN_SESSION], OVER, after=[on_finish])

    CALLBACKS: ClassVar[dict[str, str]] = {
        "on_adjourn": "on_adjourn: concessions lapse",
        "find_session": "find_session: the calendar runs (events, answers, phases)",
        "found_session": "a session with something to present",
        "on_convene": "on_convene: his terms are tabled",
        "on_finish": "on_finish: the ending is told",
    }
    """What each callback of the machine does, in words, for its drawing (``negotiation graph --protocol``)."""

    def describe(self) -> list[tuple[str, str, str, str]]:
        """The machine's transitions as (trigger, source, destination, what happens), read from the machine itself."""
        out = []
        for name, event in self._machine.events.items():
            for source, transitions in event.transitions.items():
                for t in transitions:
                    steps = [_name(f) for f in (*t.prepare, *(c.func for c in t.conditions), *t.after)]
                    words = " · ".join(self.CALLBACKS.get(s, s) for s in steps)
                    if not steps and name == "convene":
                        words = "no session left"
                    out.append((name, source, t.dest or source, words))
        return out

    def fire(self, trigger: str, game: Table) -> bool:
        """Fire ``trigger`` for ``game`` (its ``state.protocol`` is read and written); return whether it moved.

        If the game reached an ending inside the trigger's callbacks, ``finish`` follows at once.
        """
        cursor = self._cursor
        st = game.state
        before = st.protocol
        if cursor.state != before:
            self._machine.set_state(before, model=cursor)
        cursor.game = game
        game._firing = True
        try:
            getattr(cursor, trigger)()
            if st.ending is not None and cursor.state != OVER:
                cursor.finish()  # type: ignore[attr-defined]
        except MachineError:
            return False
        finally:
            cursor.game = None
            game._firing = False
        st.protocol = cursor.state
        return bool(cursor.state != before)


__all__ = ["PhaseMachine", "SessionMachine"]
