"""Trace a game step by step: the state after each move and the counterpart's arithmetic behind each answer.

For authors: ``negotiation trace`` shows why a game went as it did (why a counter-offer was
refused, why the demand came down, why a signature was refused) with the engine's own numbers:
his aspiration and its parts, each rung's value to him, his red line, the treaty's shortfall
against his signing margin. Nothing here decides anything: the arithmetic is read from
:mod:`negotiation.engine.counterparts`, the outcome from the game's events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from negotiation.actors.policies import Policy
from negotiation.engine import counterparts as cp
from negotiation.engine.actions import Action, MoveKind
from negotiation.engine.events import GameEvent, Kind
from negotiation.engine.game import Game
from negotiation.engine.rules import Rules
from negotiation.engine.state import GameState
from negotiation.errors import NegotiationError
from negotiation.present import Presenter

PART_NAMES = {
    "base": "counterpart.aspiration",
    "offset": "the article's counterpart.offset",
    "adjust": "the article's counterpart.adjust",
    "ally": "ally support × ally_lever",
    "softening": "softened by walkouts",
}


def _r(x: float) -> float:
    return round(float(x), 3)


def appraisal(game: Game, art_id: str) -> dict[str, Any]:
    """The counterpart's view of one article now: aspiration and its parts, red line, each rung's value."""
    rules, st = game.rules, game.state
    art = rules.articles[art_id]
    a = st.articles[art_id]
    parts = cp.aspiration_parts(rules, st, art)
    asp = sum(v for _, v in parts)
    floor = cp.floor(art, st)
    return {
        "article": art_id,
        "demand": art.ids[a.demand],
        "standing": art.ids[a.standing],
        "mandate": art.ids[a.mandate],
        "settled": art.ids[a.settled] if a.settled >= 0 else None,
        "aspiration": _r(asp),
        "parts": [{"part": k, "value": _r(v)} for k, v in parts],
        "red_line": art.ids[floor] if floor else None,
        "red_line_lifted": bool(art.floor and not floor),
        "rungs": [{"id": i, "value": _r(v), "acceptable": cp.acceptable(rules, st, art, n)}
                  for n, (i, v) in enumerate(zip(art.ids, art.counter_value, strict=True))],
        "best_acceptable": art.ids[cp.best_acceptable(rules, st, art)],
    }


def signing_appraisal(rules: Rules, state: GameState, positions: dict[str, int]) -> dict[str, Any]:
    """The treaty as it would be signed, article by article against his aspirations, and the margin."""
    rows = []
    for art_id, rung in positions.items():
        art = rules.articles[art_id]
        asp = cp.aspiration(rules, state, art)
        rows.append({"article": art_id, "rung": art.ids[rung], "value": _r(art.counter_value[rung]),
                     "aspiration": _r(asp), "weight": _r(art.counter_weight),
                     "past_red_line": rung < cp.floor(art, state)})
    out: dict[str, Any] = {"articles": rows, "shortfall": _r(cp.treaty_shortfall(rules, state, positions))
                           if all(not r["past_red_line"] for r in rows) else None}
    if rules.sign_margin is not None:
        out["margin"] = _r(rules.sign_margin(state))
    else:
        out["legacy_sign_aspiration"] = _r(rules.sign_aspiration(state)) if rules.sign_aspiration else 0.0
        out["package_value"] = _r(cp.package_value(rules, positions))
    return out


def _package(rules: Rules, state: GameState, offer: dict[str, int]) -> dict[str, Any]:
    rows = []
    for art_id, rung in offer.items():
        art = rules.articles[art_id]
        rows.append({"article": art_id, "rung": art.ids[rung], "value": _r(art.counter_value[rung]),
                     "aspiration": _r(cp.aspiration(rules, state, art)), "weight": _r(art.counter_weight),
                     "past_red_line": rung < cp.floor(art, state)})
    margin = cp.package_margin(rules, state, offer)
    return {"articles": rows, "margin": None if margin == float("-inf") else _r(margin)}


@dataclass
class Step:
    """One move and what followed it."""

    number: int
    date: dt.date
    phase: str
    decision: str
    round: int
    action: str
    why: dict[str, Any] = field(default_factory=dict)  # the arithmetic before the move
    said: list[str] = field(default_factory=list)  # what happened, in words
    changes: dict[str, Any] = field(default_factory=dict)  # what changed, as data
    outcome: str = ""  # what the counterpart did, in a word (accepted, conceded, refused, signed, ...)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {"step": self.number, "date": self.date.isoformat(), "phase": self.phase, "decision": self.decision,
                "round": self.round, "action": self.action, "outcome": self.outcome, "why": self.why,
                "said": self.said, "changes": self.changes}


@dataclass
class TraceResult:
    """A traced game: its steps and where it stopped."""

    scenario: str
    seed: int
    steps: list[Step]
    now: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {"scenario": self.scenario, "seed": self.seed, "steps": [s.to_dict() for s in self.steps],
                "now": self.now}


def _snapshot(st: GameState) -> dict[str, Any]:
    return {"date": st.date, "phase": st.phase, "variables": dict(st.variables),
            "articles": {k: (a.demand, a.standing, a.mandate, a.settled, a.softening) for k, a in st.articles.items()}}


ARTICLE_FIELDS = ("demand", "standing", "mandate", "settled", "softening")


def _changes(rules: Rules, before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if before["date"] != after["date"]:
        out["date"] = [dt.date.fromordinal(before["date"]).isoformat(), dt.date.fromordinal(after["date"]).isoformat()]
    if before["phase"] != after["phase"]:
        out["phase"] = [before["phase"], after["phase"]]
    var = {k: [_r(v), _r(after["variables"][k])] for k, v in before["variables"].items()
           if v != after["variables"][k]}
    if var:
        out["variables"] = var
    arts: dict[str, Any] = {}
    for k, old in before["articles"].items():
        new = after["articles"][k]
        ids = rules.articles[k].ids
        diff: dict[str, list[Any]] = {}
        for name, x, y in zip(ARTICLE_FIELDS, old, new, strict=True):
            if x != y:
                if name == "softening":
                    diff[name] = [_r(x), _r(y)]
                else:
                    diff[name] = [ids[x] if x >= 0 else None, ids[y] if y >= 0 else None]
        if diff:
            arts[k] = diff
    if arts:
        out["articles"] = arts
    return out


OUTCOMES = (
    (Kind.TREATY_SIGNED, "signed"), (Kind.SIGNING_VETOED, "vetoed by the principal"),
    (Kind.TERMS_RETABLED, "re-tabled his terms"), (Kind.SIGNING_REFUSED, "refused to sign"),
    (Kind.TALKS_BROKEN, "broke off the talks"), (Kind.WALKED_OUT, "let you walk out"),
    (Kind.MEDIATED, "the mediator proposed terms"), (Kind.NO_BRIDGE, "the mediator found no bridge"),
    (Kind.OFFER_ACCEPTED, "accepted"), (Kind.DEMAND_LOWERED, "conceded a rung"),
    (Kind.OFFER_REFUSED, "refused"), (Kind.MANDATE_ASKED, "appeal cabled"), (Kind.SUPPORT_ASKED, "request cabled"),
    (Kind.ARTICLE_SETTLED, "agreed"),
)


def _outcome(events: list[GameEvent]) -> str:
    kinds = {e.kind for e in events}
    for kind, word in OUTCOMES:
        if kind in kinds:
            return word
    return ""


def mediation(game: Game, art_id: str) -> dict[str, Any]:
    """The mediator's arithmetic if asked now on ``art_id``: the state after his request's costs, his
    pressure, the value his proposal must reach, the rungs it may not pass, and the proposal.

    The costs are paid before he proposes (R21), so they are made on a copy of the game first, as
    :class:`negotiation.engine.moves.Mediate` makes them: an aspiration or a pressure that reads the
    goodwill or the patience sees them.
    """
    trial = game.clone()
    rules, st = trial.rules, trial.state
    m = rules.mediator
    assert m is not None
    st.asks["mediator"] = st.asks.get("mediator", 0) + 1
    trial.add_var(m.goodwill, -m.ask_cost)
    if rules.counterpart is not None:
        trial.add_var(rules.counterpart.patience, -m.patience_cost)
    art = rules.articles[art_id]
    a = st.articles[art_id]
    pressure = float(rules.pressure(st))
    table = appraisal(trial, art_id)
    proposal = cp.bridge(rules, st, art, pressure)
    return {"table": table, "pressure": _r(pressure), "target": _r(table["aspiration"] - pressure),
            "your_offer": art.ids[a.offer] if a.offer >= 0 else None,
            "your_offer_binds": a.offer > max(cp.floor(art, st), 0), "proposal": art.ids[proposal],
            "bridge": proposal < a.demand}


def _why(game: Game, action: Action) -> dict[str, Any]:
    """The arithmetic that decides the answer to ``action``, read before it is made."""
    rules, st = game.rules, game.state
    dec = game.decision()
    assert dec is not None
    art_id = dec.model.article
    open_ = art_id is not None and st.articles[art_id].settled < 0
    why: dict[str, Any] = {}
    if open_ and action.kind in (MoveKind.ACCEPT, MoveKind.COUNTER, MoveKind.HOLD, MoveKind.WALKOUT, MoveKind.OPTION,
                                 MoveKind.MANDATE):
        assert art_id is not None
        why["table"] = appraisal(game, art_id)
        ai = rules.counterpart
        if action.kind in (MoveKind.COUNTER, MoveKind.HOLD) and ai is not None:
            art = rules.articles[art_id]
            a = st.articles[art_id]
            toward = art.ids.index(action.arg) if action.kind == MoveKind.COUNTER else 0
            if action.kind == MoveKind.COUNTER:
                why["offer"] = {"id": action.arg, "value": _r(art.counter_value[toward]),
                                "acceptable": cp.acceptable(rules, st, art, toward)}
                if why["offer"]["acceptable"]:
                    return why
            if a.demand - 1 >= max(toward, 0):
                why["next_rung"] = {"id": art.ids[a.demand - 1], "value": _r(art.counter_value[a.demand - 1]),
                                    "acceptable": cp.acceptable(rules, st, art, a.demand - 1)}
            if action.kind == MoveKind.COUNTER and ai.concede_within is not None:
                why["concede_within"] = ai.concede_within
                why["distance"] = a.demand - toward
    if open_ and action.kind == MoveKind.MEDIATE and rules.mediator is not None:
        assert art_id is not None
        why["mediation"] = mediation(game, art_id)
    if action.kind == MoveKind.SIGN:
        why["signing"] = signing_appraisal(rules, st, game.terms_on_table())
    if action.kind == MoveKind.WALKOUT:
        why["break_chance"] = _r(game.walkout_chance(after_cost=True))
    if action.kind == MoveKind.OPTION:
        o = rules.options[dec.model.id][action.arg]
        if o.offer:
            offer = {k: rules.articles[k].ids.index(v) for k, v in o.offer.items()}
            why["package"] = _package(rules, st, offer)
    return why


def trace(rules: Rules, seed: int = 0, actions: Iterable[str] | None = None, policy: Policy | None = None,
          until: str | None = None, max_steps: int = 2000) -> TraceResult:
    """Play ``actions`` (or let ``policy`` play) from the start, recording each step; stop at ``until``.

    ``until`` names a decision: the trace stops when it is presented (before it is answered).
    Without actions or policy, the historical path is played. An action that is not legal raises
    NegotiationError saying why, after the steps before it.
    """
    game = Game(rules, seed)
    pres = Presenter(rules)
    steps: list[Step] = []
    queue = list(actions) if actions is not None else None
    if until is not None and until not in rules.decisions:
        raise NegotiationError(f"no decision '{until}' in the scenario (--until names a decision id)")
    for _ in range(max_steps):
        if game.is_over() or (until is not None and game.state.decision == until):
            break
        if queue is not None:
            if not queue:
                break
            text = queue.pop(0)
            reason = game.why_not(text)
            if reason is not None:
                return TraceResult(rules.scenario.scenario.id, seed, steps,
                                   _now(game, pres, stopped=f"'{text}' is not legal: {reason}"))
            action = Action.parse(text)
        elif policy is not None:
            action = policy.choose(game)
        else:
            hist = game.historical_action()
            legal = game.legal_actions()
            found = next((a for a in legal if a.id == hist), None)
            if found is None:
                return TraceResult(rules.scenario.scenario.id, seed, steps, _now(
                    game, pres, stopped=f"the historical action '{hist}' is not legal: {game.why_not(str(hist))}"))
            action = found
        st = game.state
        step = Step(len(steps) + 1, st.day, st.phase, str(st.decision), st.round, action.id, _why(game, action))
        before = _snapshot(st)
        events = game.apply(action)
        step.changes = _changes(rules, before, _snapshot(game.state))
        step.outcome = _outcome(events)
        for e in events:
            if e.kind == Kind.MOVE_MADE:
                continue
            line = pres.event_line(e)
            if line is not None and line.text:
                step.said.append(f"{line.who}: {line.text}" if line.who else line.text)
        steps.append(step)
    return TraceResult(rules.scenario.scenario.id, seed, steps, _now(game, pres))


def _now(game: Game, pres: Presenter, stopped: str = "") -> dict[str, Any]:
    st = game.state
    rules = game.rules
    now: dict[str, Any] = {"date": st.day.isoformat(), "phase": st.phase, "decision": st.decision,
                           "round": st.round if st.decision else None,
                           "variables": {k: _r(v) for k, v in st.variables.items()},
                           "articles": {k: {"demand": rules.articles[k].ids[a.demand],
                                            "mandate": rules.articles[k].ids[a.mandate],
                                            "settled": rules.articles[k].ids[a.settled] if a.settled >= 0 else None}
                                        for k, a in st.articles.items()}}
    if stopped:
        now["stopped"] = stopped
    out = game.outcome()
    if out is not None:
        now["ending"] = out.ending
        now["signed_on"] = out.signed_on.isoformat() if out.signed_on else None
        return now
    dec = game.decision()
    if dec is not None:
        now["legal"] = [a.id for a in game.legal_actions()]
        hist = game.historical_action()
        now["historical"] = hist
        if hist is not None and game.why_not(hist) is not None:
            now["historical_not_legal"] = game.why_not(hist)
        art_id = dec.model.article
        if art_id is not None and st.articles[art_id].settled < 0:
            now["table"] = appraisal(game, art_id)
        if game.signing_open():
            now["signing"] = signing_appraisal(rules, st, game.terms_on_table())
    return now


# ---------------------------------------------------------------------- text
def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".") if x != int(x) else f"{int(x)}"


def _parts_text(table: dict[str, Any]) -> str:
    terms = []
    for i, p in enumerate(table["parts"]):
        v = p["value"]
        name = p["part"]
        if i and not v:
            continue
        if i == 0:
            terms.append(f"{_num(v)} ({name})")
        else:
            terms.append(f"{'−' if v < 0 else '+'} {_num(abs(v))} ({name})")
    return f"aspiration {_num(table['aspiration'])} = " + " ".join(terms)


def _table_text(table: dict[str, Any], indent: str) -> list[str]:
    out = [f"{indent}{table['article']}: demand '{table['demand']}', mandate '{table['mandate']}'"
           + (f", standing '{table['standing']}'" if table["standing"] != table["demand"] else ""),
           f"{indent}  {_parts_text(table)}"]
    line = "  ".join(f"{r['id']} {_num(r['value'])}{'✓' if r['acceptable'] else ''}" for r in table["rungs"])
    out.append(f"{indent}  value to him (✓ = he accepts now): {line}")
    if table["red_line"]:
        out.append(f"{indent}  red line: nothing better for you than '{table['red_line']}'")
    elif table["red_line_lifted"]:
        out.append(f"{indent}  red line lifted (its floor_unless holds)")
    return out


def _signing_text(sig: dict[str, Any], indent: str) -> list[str]:
    out = []
    wa = max((len(r["article"]) for r in sig["articles"]), default=0)
    wr = max((len(r["rung"]) for r in sig["articles"]), default=0)
    for r in sig["articles"]:
        gap = r["aspiration"] - r["value"]
        mark = "  PAST HIS RED LINE" if r["past_red_line"] else ""
        out.append(f"{indent}  {r['article']:<{wa}}  {r['rung']:<{wr}}  value {_num(r['value']):>5}  aspiration "
                   f"{_num(r['aspiration']):>5}  short {_num(gap):>6}  weight {_num(r['weight'])}{mark}")
    if "margin" in sig:
        if sig["shortfall"] is None:
            out.append(f"{indent}  a red line is crossed: he cannot sign this")
        else:
            avg = sig["shortfall"] + sig["margin"]
            out.append(f"{indent}  weighted average short {_num(avg)} − sign_margin {_num(sig['margin'])} = "
                       f"{_num(sig['shortfall'])} ({'he signs' if sig['shortfall'] <= 0 else 'he does not sign'})")
    else:
        out.append(f"{indent}  package value {_num(sig['package_value'])} against sign_aspiration "
                   f"{_num(sig['legacy_sign_aspiration'])}")
    return out


def _mediation_text(med: dict[str, Any], indent: str) -> list[str]:
    table = med["table"]
    out = _table_text(table, indent)
    out[0] += " (after the request's costs)"
    limits = []
    if table["red_line"]:
        limits.append(f"his red line '{table['red_line']}'")
    if med["your_offer"] is not None and med["your_offer_binds"]:
        limits.append(f"your own offer '{med['your_offer']}'")
    beyond = f", and nothing better for you than {' or '.join(limits)}" if limits else ""
    out.append(f"{indent}the mediator's pressure {_num(med['pressure'])}: the best rung for you worth at least "
               f"{_num(table['aspiration'])} − {_num(med['pressure'])} = {_num(med['target'])} to him{beyond}")
    out.append(f"{indent}" + (f"he proposes '{med['proposal']}', better for you than the demand '{table['demand']}'"
                              if med["bridge"] else
                              f"none is better for you than the demand '{table['demand']}': no bridge"))
    return out


def render_text(result: TraceResult) -> str:
    """The trace as an author reads it."""
    out = [f"{result.scenario}, seed {result.seed}"]
    for s in result.steps:
        out.append("")
        out.append(f"{s.number:>3}. {s.date.isoformat()} · {s.phase} · {s.decision}"
                   + (f" (round {s.round})" if s.round > 1 else "") + f" — {s.action}"
                   + (f" → {s.outcome}" if s.outcome else ""))
        why = s.why
        if "table" in why:
            out.extend(_table_text(why["table"], "     "))
        if "offer" in why:
            of = why["offer"]
            asp = why["table"]["aspiration"]
            out.append(f"     '{of['id']}' is worth {_num(of['value'])} to him: "
                       + ("he accepts it" if of["acceptable"] else
                          f"below his aspiration {_num(asp)} or past his red line, so he refuses it"
                          if of["value"] >= asp else f"below his aspiration {_num(asp)}, so he refuses it"))
        if "next_rung" in why:
            nr = why["next_rung"]
            out.append(f"     a concession to '{nr['id']}' (worth {_num(nr['value'])}) "
                       + ("he can bear" if nr["acceptable"] else "he cannot bear"))
        if "concede_within" in why and why["distance"] > why["concede_within"]:
            out.append(f"     the offer is {why['distance']} rungs from his demand, beyond concede_within "
                       f"{why['concede_within']}: refused flatly")
        if "mediation" in why:
            out.extend(_mediation_text(why["mediation"], "     "))
        if "package" in why:
            pk = why["package"]
            for r in pk["articles"]:
                out.append(f"     package {r['article']} '{r['rung']}': value {_num(r['value'])} against aspiration "
                           f"{_num(r['aspiration'])} × weight {_num(r['weight'])}"
                           + ("  PAST HIS RED LINE" if r["past_red_line"] else ""))
            out.append(f"     package margin {_num(pk['margin'])} (he accepts at ≥ 0)" if pk["margin"] is not None
                       else "     a red line is crossed: he refuses the package")
        if "signing" in why:
            out.append("     the treaty as it would be signed:")
            out.extend(_signing_text(why["signing"], "     "))
        if "break_chance" in why:
            out.append(f"     chance that the walkout breaks the talks: {why['break_chance'] * 100:.0f}%")
        for line in s.said:
            out.append(f"     | {line}")
        ch = s.changes
        bits = []
        if "date" in ch:
            bits.append(f"date {ch['date'][0]} → {ch['date'][1]}")
        if "phase" in ch:
            bits.append(f"phase {ch['phase'][0]} → {ch['phase'][1]}")
        for k, (a, b) in ch.get("variables", {}).items():
            bits.append(f"{k} {_num(a)} → {_num(b)}")
        for art, diff in ch.get("articles", {}).items():
            for name, (a, b) in diff.items():
                bits.append(f"{art}.{name} {a} → {b}")
        if bits:
            out.append("     changed: " + "; ".join(bits))
    now = result.now
    out.append("")
    if "ending" in now:
        out.append(f"ended: '{now['ending']}'" + (f", signed on {now['signed_on']}" if now.get("signed_on") else "")
                   + f" ({now['date']})")
        return "\n".join(out)
    out.append(f"now: {now['date']} · {now['phase']} · decision {now['decision']}"
               + (f" (round {now['round']})" if now.get("round", 1) and now.get("round", 1) > 1 else ""))
    if now.get("stopped"):
        out.append(f"  stopped: {now['stopped']}")
    out.append("  " + ", ".join(f"{k} {_num(v)}" for k, v in now["variables"].items()))
    if "table" in now:
        out.extend(_table_text(now["table"], "  "))
    if "legal" in now:
        out.append(f"  legal: {', '.join(now['legal'])}")
    if now.get("historical"):
        out.append(f"  history: {now['historical']}"
                   + (f" (not legal: {now['historical_not_legal']})" if now.get("historical_not_legal") else ""))
    if "signing" in now:
        out.append("  if you proposed signing now:")
        out.extend(_signing_text(now["signing"], "  "))
    return "\n".join(out)


__all__ = ["Step", "TraceResult", "appraisal", "mediation", "render_text", "signing_appraisal", "trace"]
