"""Draw a scenario's phase machine (and, optionally, each phase's decisions) as Mermaid or Graphviz DOT.

For documentation and reviews: the drawing is made from the scenario file alone, never in the game
loop. Transitions are numbered in the order they are tried (the first whose condition holds wins).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import Literal

from negotiation.scenario.models import Decision, Phase, Scenario

Format = Literal["mermaid", "dot"]
FORMATS: tuple[Format, ...] = ("mermaid", "dot")


def _dates(p: Phase) -> str:
    return f"{p.start} – {p.end}"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def decisions_by_phase(s: Scenario) -> dict[str, list[Decision]]:
    """Each phase's decisions in the order the game presents them (by date, then file order)."""
    out: dict[str, list[Decision]] = {p.id: [] for p in s.phases}
    for d in s.decisions:
        out.setdefault(d.phase, []).append(d)
    return {k: sorted(v, key=lambda d: d.date) for k, v in out.items()}


def _decision_lines(d: Decision) -> list[str]:
    lines = [f"{d.date} · {_short(d.title, 40)}"]
    facts = []
    if d.article:
        facts.append(f"article {d.article}")
    if d.rounds > 1:
        facts.append(f"{d.rounds} rounds")
    if facts:
        lines.append(", ".join(facts))
    if d.when.strip() != "true":
        lines.append(f"only if {_short(d.when, 50)}")
    if d.options:
        lines.append("options: " + _short(", ".join(o.id for o in d.options), 50))
    lines.append("history: " + _short(", ".join(d.historical), 50))
    return lines


def _phase_lines(p: Phase) -> list[str]:
    lines = [p.title, _dates(p)]
    if p.allow_signing:
        lines.append("signing allowed")
    return lines


def _transition_label(i: int, when: str, count: int = 2) -> str:
    always = when.strip() in ("true", "1")
    if count == 1:  # a single way out needs no order
        return "" if always else _short(when, 50)
    return f"{i}" if always else f"{i}: {_short(when, 50)}"


# --------------------------------------------------------------------------- mermaid
def _mm(text: str) -> str:
    """Escape text for a quoted Mermaid label."""
    return text.replace("&", "#38;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def _mermaid(s: Scenario, decisions: bool) -> str:
    out = ["flowchart TD", "  start((start))"]
    by_phase = decisions_by_phase(s)
    for p in s.phases:
        pid = f"p_{p.id}"
        if decisions:
            out.append(f'  subgraph {pid}["{_mm(" · ".join(_phase_lines(p)))}"]')
            out.append("    direction TB")
            chain = by_phase.get(p.id, [])
            if not chain:
                out.append(f'    {pid}_empty["no decisions"]')
            for d in chain:
                out.append(f'    d_{d.id}["{"<br/>".join(_mm(x) for x in _decision_lines(d))}"]')
            for a, b in pairwise(chain):
                out.append(f"    d_{a.id} --> d_{b.id}")
            out.append("  end")
        else:
            out.append(f'  {pid}["{"<br/>".join(_mm(x) for x in _phase_lines(p))}"]')
    out.append(f"  start --> p_{s.start_phase}")
    for p in s.phases:
        for i, t in enumerate(p.transitions, 1):
            label = _transition_label(i, t.when, len(p.transitions))
            arrow = f'-->|"{_mm(label)}"|' if label else "-->"
            out.append(f"  p_{p.id} {arrow} p_{t.to}")
        if not p.transitions:
            out.append(f'  p_{p.id} -.->|"nothing left to play"| fin_{p.id}(["ending {_mm(s.default_ending)}"])')
    if s.endings:
        ends = "<br/>".join(_mm(f"{e.id}: {_short(e.when, 40)}") for e in s.endings)
        out.append(f'  endings[/"Endings, checked after every step:<br/>{ends}"/]')
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- dot
def _dq(text: str) -> str:
    """Quote text for DOT."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _dot(s: Scenario, decisions: bool) -> str:
    out = [
        "digraph scenario {",
        "  rankdir=TB;",
        "  compound=true;",
        '  node [shape=box, style=rounded, fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=10];',
        '  start [shape=circle, label="start"];',
    ]
    by_phase = decisions_by_phase(s)
    for p in s.phases:
        pid = f"p_{p.id}"
        if decisions:
            out.append(f"  subgraph cluster_{p.id} {{")
            out.append(f"    label={_dq(' · '.join(_phase_lines(p)))};")
            out.append(f'    {pid} [shape=point, label=""];')
            chain = by_phase.get(p.id, [])
            prev = pid
            for d in chain:
                out.append(f"    d_{d.id} [label={_dq(chr(10).join(_decision_lines(d)))}];")
                out.append(f"    {prev} -> d_{d.id};")
                prev = f"d_{d.id}"
            out.append("  }")
        else:
            out.append(f"  {pid} [label={_dq(chr(10).join(_phase_lines(p)))}];")
    out.append(f"  start -> p_{s.start_phase};")
    for p in s.phases:
        # in clusters, leave from the last decision so that the next phase is drawn below this one
        chain = by_phase.get(p.id, [])
        tail = f"d_{chain[-1].id}" if decisions and chain else f"p_{p.id}"
        for i, t in enumerate(p.transitions, 1):
            extra = f", ltail=cluster_{p.id}, lhead=cluster_{t.to}" if decisions and t.to != p.id else ""
            out.append(f"  {tail} -> p_{t.to} [label={_dq(_transition_label(i, t.when, len(p.transitions)))}{extra}];")
        if not p.transitions:
            out.append(f'  fin_{p.id} [shape=oval, style=dashed, label={_dq("ending " + s.default_ending)}];')
            extra = f", ltail=cluster_{p.id}" if decisions else ""
            out.append(f'  {tail} -> fin_{p.id} [style=dashed, label="nothing left to play"{extra}];')
    if s.endings:
        ends = "\n".join(f"{e.id}: {_short(e.when, 40)}" for e in s.endings)
        out.append(f"  endings [shape=note, label={_dq('Endings, checked after every step:' + chr(10) + ends)}];")
    out.append("}")
    return "\n".join(out) + "\n"


RENDERERS: dict[str, Callable[[Scenario, bool], str]] = {"mermaid": _mermaid, "dot": _dot}


def draw_machine(states: Sequence[str], edges: Sequence[tuple[str, str, str, str]], fmt: Format = "mermaid",
                 initial: str | None = None) -> str:
    """A state machine given as states and (trigger, source, destination, what happens) edges, as Mermaid or DOT."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown graph format {fmt!r}; use one of {', '.join(FORMATS)}")
    first = initial or (states[0] if states else "")
    if fmt == "mermaid":
        out = ["stateDiagram-v2", f"  [*] --> {first}"]
        for trigger, src, dst, words in edges:
            label = trigger + (f": {words}" if words else "")
            out.append(f"  {src} --> {dst}: {_mm(label)}")
        return "\n".join(out) + "\n"
    out = ["digraph protocol {", "  rankdir=LR;", '  node [shape=ellipse, fontname="Helvetica", fontsize=11];',
           '  edge [fontname="Helvetica", fontsize=10];', '  start [shape=point, label=""];', f"  start -> {first};"]
    out.extend(f"  {s};" for s in states)
    for trigger, src, dst, words in edges:
        out.append(f"  {src} -> {dst} [label={_dq(trigger + (chr(10) + words if words else ''))}];")
    out.append("}")
    return "\n".join(out) + "\n"


def draw(s: Scenario, fmt: Format = "mermaid", decisions: bool = False) -> str:
    """The phase machine as Mermaid or DOT text; with ``decisions``, each phase's decisions inside it."""
    try:
        render = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown graph format {fmt!r}; use one of {', '.join(FORMATS)}") from None
    return render(s, decisions)


__all__ = ["FORMATS", "decisions_by_phase", "draw", "draw_machine"]
