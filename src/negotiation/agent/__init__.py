"""A JSON-lines protocol on standard input and output, so that any program (or an LLM agent) can play.

Each line in is one request, a JSON object ``{"id": ..., "op": ..., ...}``; each line out is its
response, ``{"id": ..., "ok": true, ...}`` or ``{"id": ..., "ok": false, "error": {"code", "message"}}``.
Nothing else is ever written to standard output, and no request, however malformed, ends the
session with a traceback. The words are the presenter's, as the terminal front end shows them.
The protocol is documented in docs/agent-protocol.md.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterable
from typing import IO, Any

from negotiation.engine.actions import Action
from negotiation.engine.game import Game
from negotiation.engine.rules import Rules, rules_for
from negotiation.errors import (
    GameOverError,
    IllegalActionError,
    InvalidActionError,
    NegotiationError,
    ScenarioError,
)
from negotiation.present import Choice, Presenter, long_date
from negotiation.scoring import ScoreCard, score_card

PROTOCOL = 1
MAX_LINE = 1 << 20  # bytes in one request
OPS = ("hello", "new", "observe", "legal", "apply", "undo", "score", "log", "quit")


class ProtocolError(NegotiationError):
    """A request the protocol cannot carry out: its code says which kind."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class AgentSession:
    """One connection: at most one game at a time, driven request by request."""

    def __init__(self, default_scenario: str = "moscow1945", default_seed: int = 0,
                 load: Callable[[str], Rules] | None = None) -> None:
        self.default_scenario = default_scenario
        self.default_seed = default_seed
        self._load = load or _load_rules
        self.game: Game | None = None
        self.presenter: Presenter | None = None
        self.seen = 0  # log entries already sent as events
        self.closed = False

    # ------------------------------------------------------------------ the loop
    def handle_line(self, line: str) -> dict[str, Any]:
        """Answer one line of input (never raises)."""
        if len(line) > MAX_LINE:
            return _error(None, "bad_request", f"a request is at most {MAX_LINE:,} bytes")
        try:
            request = json.loads(line)
        except ValueError as exc:
            return _error(None, "bad_json", f"not JSON: {exc}")
        return self.handle(request)

    def handle(self, request: Any) -> dict[str, Any]:
        """Answer one request (never raises)."""
        rid = request.get("id") if isinstance(request, dict) else None
        if not _plain(rid):
            rid = None
        try:
            if not isinstance(request, dict):
                raise ProtocolError("bad_request", 'a request is a JSON object, e.g. {"op": "observe"}')
            op = request.get("op")
            if not isinstance(op, str) or op not in OPS:
                raise ProtocolError("unknown_op", f"unknown op {str(op)[:40]!r}; ops: {', '.join(OPS)}")
            body = getattr(self, f"op_{op}")(request)
            return {"id": rid, "ok": True, **body}
        except ProtocolError as exc:
            return _error(rid, exc.code, str(exc))
        except ScenarioError as exc:
            return _error(rid, "scenario_error", str(exc))
        except InvalidActionError as exc:
            return _error(rid, "invalid_action", str(exc))
        except GameOverError as exc:
            return _error(rid, "game_over", str(exc))
        except IllegalActionError as exc:
            return _error(rid, "illegal_action", str(exc))
        except NegotiationError as exc:
            return _error(rid, "error", str(exc))
        except Exception as exc:  # the last resort: a bug of ours must not kill the agent's session
            return _error(rid, "internal_error", f"{type(exc).__name__}: {exc}")

    # ------------------------------------------------------------------ the operations
    def op_hello(self, request: dict[str, Any]) -> dict[str, Any]:
        from negotiation.resources import bundled_scenarios

        return {"protocol": PROTOCOL, "ops": list(OPS), "scenarios": sorted(bundled_scenarios()),
                "game": self.game is not None}

    def op_new(self, request: dict[str, Any]) -> dict[str, Any]:
        scenario = request.get("scenario", self.default_scenario)
        seed = request.get("seed", self.default_seed)
        if not isinstance(scenario, str) or not scenario:
            raise ProtocolError("bad_request", "'scenario' is a bundled id (e.g. moscow1945) or a file path")
        if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**63:
            raise ProtocolError("bad_request", "'seed' is a whole number from 0")
        rules = self._load(scenario)
        self.game = Game(rules, seed)
        self.presenter = Presenter(rules)
        self.seen = 0
        return {"observation": self.observation(), "events": self._events()}

    def op_observe(self, request: dict[str, Any]) -> dict[str, Any]:
        return {"observation": self.observation()}

    def op_legal(self, request: dict[str, Any]) -> dict[str, Any]:
        game, p = self._game()
        return {"moves": [_move(c) for c in p.choices(game)]}

    def op_apply(self, request: dict[str, Any]) -> dict[str, Any]:
        game, p = self._game()
        text = request.get("action")
        if not isinstance(text, str) or not text.strip():
            raise ProtocolError("bad_request", "'action' is a move's action (e.g. hold, counter:<position>) or "
                                "its key (e.g. H, 1)")
        if game.is_over():
            raise GameOverError("the game is over: ask for the score, or start a new game")
        action = _choose(p.choices(game), text.strip())
        game.apply(action)
        out: dict[str, Any] = {"events": self._events(), "observation": self.observation()}
        if game.is_over():
            out["score"] = _card(score_card(game))
        return out

    def op_undo(self, request: dict[str, Any]) -> dict[str, Any]:
        game, _ = self._game()
        steps = request.get("steps", 1)
        if not isinstance(steps, int) or isinstance(steps, bool) or steps < 1:
            raise ProtocolError("bad_request", "'steps' is a whole number from 1")
        if steps > len(game.action_log):
            raise ProtocolError("bad_request", f"cannot undo {steps} move(s): {len(game.action_log)} made")
        game.undo(steps)
        self.seen = len(game.state.log)
        return {"observation": self.observation()}

    def op_score(self, request: dict[str, Any]) -> dict[str, Any]:
        game, _ = self._game()
        if not game.is_over():
            raise ProtocolError("not_over", "the game is not over: no score card yet")
        card = score_card(game)
        return {"score": _card(card), "text": _render(lambda st: _score_text(card, st))}

    def op_log(self, request: dict[str, Any]) -> dict[str, Any]:
        game, p = self._game()
        since = request.get("since", 0)
        if not isinstance(since, int) or isinstance(since, bool) or since < 0:
            raise ProtocolError("bad_request", "'since' is a whole number from 0 (an index into the log)")
        return {"events": _lines(p, game.state.log[since:]), "next": len(game.state.log)}

    def op_quit(self, request: dict[str, Any]) -> dict[str, Any]:
        self.closed = True
        return {"bye": True}

    # ------------------------------------------------------------------ helpers
    def _game(self) -> tuple[Game, Presenter]:
        if self.game is None or self.presenter is None:
            raise ProtocolError("no_game", 'no game: start one with {"op": "new", "scenario": "moscow1945", "seed": 0}')
        return self.game, self.presenter

    def _events(self) -> list[dict[str, Any]]:
        game, p = self._game()
        new = game.state.log[self.seen:]
        self.seen = len(game.state.log)
        return _lines(p, new)

    def observation(self) -> dict[str, Any]:
        """The state of the game in numbers and in words (what the terminal shows)."""
        game, p = self._game()
        r = game.rules
        st = game.state
        ph = r.phases[st.phase]
        d = game.decision()
        obs: dict[str, Any] = {
            "scenario": r.scenario.scenario.id, "seed": game.seed, "turn": st.turn, "over": game.is_over(),
            "date": st.day.isoformat(), "date_text": long_date(st.day),
            "phase": {"id": ph.id, "title": ph.title, "location": ph.location},
            "meters": [{"id": k, "label": label, "value": value, "min": lo, "max": hi}
                       for k, label, value, lo, hi in p.meters(game)],
            "articles": [_article(game, a) for a in r.articles],
            "consultations": p.consultations(game),
            "signing": p.signing_note(game),
            "decision": None,
        }
        if d is not None:
            m = d.model
            obs["decision"] = {"id": m.id, "title": m.title, "text": m.text, "speaker": p.actor(m.speaker),
                               "article": m.article, "exchange": st.round, "exchanges": m.rounds}
        if game.is_over():
            card = score_card(game)
            obs["ending"] = {"id": card.ending, "title": card.ending_title}
            obs["text"] = _render(lambda sty: _score_text(card, sty))
        else:
            obs["text"] = _render(lambda sty: _table_text(game, sty))
        return obs


def _table_text(game: Game, st: Any) -> str:
    from negotiation.terminal.render import decision_block, header

    return header(game, st) + "\n" + decision_block(game, st)


def _score_text(card: ScoreCard, st: Any) -> str:
    from negotiation.terminal.render import score_card_text

    return score_card_text(card, st)


def _render(draw: Callable[[Any], str]) -> str:
    """Text as the terminal lays it out, without colours, 100 columns wide."""
    from negotiation.terminal.render import Style

    return draw(Style(io.StringIO(), width=100)).rstrip() + "\n"


def _article(game: Game, art_id: str) -> dict[str, Any]:
    art = game.rules.articles[art_id]
    a = game.state.articles[art_id]
    pos = art.model.positions

    def rung(i: int) -> dict[str, Any] | None:
        return {"rung": i, "id": pos[i].id, "label": pos[i].label} if 0 <= i < len(pos) else None

    return {"id": art_id, "title": art.model.title, "weight": art.model.weight,
            "agreed": rung(a.settled), "demand": rung(a.demand) if a.settled < 0 else None,
            "mandate": rung(a.mandate), "offer": rung(a.offer) if a.settled < 0 else None,
            "rungs": [p.id for p in pos]}


def _move(c: Choice) -> dict[str, Any]:
    s = c.stakes
    return {"action": c.action.id, "key": c.key, "label": c.label, "risk": c.risk, "danger": c.danger,
            "confirm": c.confirm,
            "stakes": {"term": s.term, "against_history": s.against_history, "answer": s.answer,
                       "meters": [{"label": k, "change": v} for k, v in s.meters],
                       "warnings": [w.lstrip("! ") for w in s.warnings]}}


def _choose(choices: list[Choice], text: str) -> Action:
    """The legal move an agent names by its action or its key."""
    for c in choices:
        if c.action.id == text:
            return c.action
    for c in choices:
        if c.key.lower() == text.lower():
            return c.action
    shown = ", ".join(f"{c.action.id} ({c.key})" for c in choices)
    if len(text) <= 2 and ":" not in text:
        raise IllegalActionError(f"no move has the key {text!r} now; legal: {shown}")
    action = Action.parse(text)  # malformed: InvalidActionError; well formed but not on offer: illegal
    raise IllegalActionError(f"{action.id!r} is not a legal move now; legal: {shown}")


def _lines(p: Presenter, events: Iterable[Any]) -> list[dict[str, Any]]:
    return [{"date": ln.date.isoformat(), "who": ln.who, "text": ln.text, "tone": ln.tone, "kind": ln.kind}
            for ln in p.lines(list(events))]


def _card(card: ScoreCard) -> dict[str, Any]:
    return {**card.to_dict(), "ending_title": card.ending_title, "signed": card.signed,
            "articles": [{"article": a.article, "title": a.title, "weight": a.weight, "term": a.position_label,
                          "historical": a.historical_label, "difference": round(a.difference, 6),
                          "explanation": a.explanation} for a in card.articles],
            "epilogue": card.epilogue}


def _error(rid: Any, code: str, message: str) -> dict[str, Any]:
    return {"id": rid, "ok": False, "error": {"code": code, "message": message}}


def _plain(value: Any) -> bool:
    """An id the protocol echoes back: a string, a number or null."""
    return value is None or (isinstance(value, (str, int, float)) and not isinstance(value, bool))


def _load_rules(name: str) -> Rules:
    from negotiation.resources import scenario_path
    from negotiation.scenario.loader import load_file

    try:
        path = scenario_path(name)
    except FileNotFoundError as exc:
        raise ProtocolError("unknown_scenario", str(exc)) from None
    return rules_for(load_file(path))


def encode(response: dict[str, Any]) -> str:
    """One line of output; a response that cannot be written as JSON becomes an error response."""
    try:
        return json.dumps(response, ensure_ascii=False, allow_nan=False, default=str)
    except (TypeError, ValueError) as exc:
        return json.dumps(_error(response.get("id"), "internal_error", f"the response cannot be written: {exc}"))


def serve(stdin: IO[bytes] | None = None, stdout: IO[str] | None = None, session: AgentSession | None = None) -> int:
    """Answer requests line by line until the input ends or a ``quit``; return the exit status (0)."""
    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout
    session = session or AgentSession()
    for raw in stdin:
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            response = _error(None, "bad_json", f"not UTF-8 text: {exc}")
        else:
            if not line.strip():
                continue
            response = session.handle_line(line)
        stdout.write(encode(response) + "\n")
        stdout.flush()
        if session.closed:
            break
    return 0


__all__ = ["OPS", "PROTOCOL", "AgentSession", "ProtocolError", "encode", "serve"]
