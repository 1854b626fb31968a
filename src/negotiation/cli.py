"""The ``negotiation`` command: play, validate, simulate, replay, schema."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from negotiation import persist, resources
from negotiation.errors import NegotiationError, ScenarioError
from negotiation.scenario.loader import LoadedScenario, load_file


def _load(name: str | None) -> LoadedScenario:
    try:
        path = resources.scenario_path(name)
    except FileNotFoundError as exc:
        raise NegotiationError(str(exc)) from None
    return load_file(path)


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    if os.environ.get("SDL_VIDEODRIVER") in ("dummy", "offscreen"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def cmd_play(args: argparse.Namespace) -> int:
    use_text = args.text
    if not use_text:
        try:
            ui_app = importlib.import_module("negotiation.ui.app")  # the window front end, when installed
        except ImportError:
            use_text = True
        else:
            if not _has_display():
                print("No display found (no X or Wayland session): the window cannot open. "
                      "Play in the terminal instead with: negotiation play --text", file=sys.stderr)
                return 2
    if use_text:
        from negotiation.terminal import run

        loaded = _load(args.scenario)
        game = None
        if args.load:
            game = persist.load(args.load, loaded)
        run(loaded, seed=args.seed, save_path=args.save, game=game)
        return 0
    return int(ui_app.main(scenario=args.scenario, seed=args.seed) or 0)


def cmd_validate(args: argparse.Namespace) -> int:
    failed = 0
    for name in args.scenarios:
        try:
            loaded = _load(name)
        except ScenarioError as exc:
            failed += 1
            print(exc, file=sys.stderr)
            continue
        s = loaded.scenario
        print(f"{loaded.path}: ok — {s.scenario.title}: {len(s.articles)} articles, {len(s.phases)} phases, "
              f"{len(s.decisions)} decisions, {len(s.events)} events, {len(s.endings)} endings")
    return 1 if failed else 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from negotiation.sim import report_bytes, simulate

    if args.runs < 1:
        raise NegotiationError("--runs must be at least 1")
    loaded = _load(args.scenario)
    report = simulate(loaded, args.policy, args.runs, args.seed, args.script)
    data = report_bytes(report)
    if args.json:
        persist.write_atomic(args.json, data, keep_previous=False)
    s = report["summary"]
    last = args.seed + args.runs - 1
    print(f"{report['scenario']}: {s['games']} games, policy {args.policy}, seeds {args.seed}..{last}")
    print(f"  interest: mean {s['interest_mean']:+.2f}, median {s['interest_median']:+.2f} "
          f"(min {s['interest_min']:+.2f}, max {s['interest_max']:+.2f}); fidelity mean {s['fidelity_mean']:.3f}")
    print("  endings: " + ", ".join(f"{k} {v}" for k, v in s["endings"].items()))
    if args.json:
        print(f"  written to {args.json}")
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    from negotiation.scoring import score_card
    from negotiation.terminal.render import Style, score_card_text

    raw_path = Path(args.file)
    try:
        raw = raw_path.read_bytes()
    except OSError as exc:
        raise NegotiationError(f"{raw_path}: cannot read: {exc.strerror or exc}") from None
    data = persist.parse(raw, str(raw_path))
    loaded = _load(args.scenario or data["scenario"]["id"])
    game = persist.restore(data, loaded, str(raw_path), check_hash=not args.ignore_hash)
    verified = "snapshot verified" if "snapshot" in data else "no snapshot to verify"
    print(f"{raw_path}: {len(game.action_log)} actions replayed; {verified}.")
    if not game.is_over():
        print(f"The game is not over: it stands at decision {game.state.decision!r}.")
        return 0
    print(score_card_text(score_card(game), Style()))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from negotiation.scenario.schema import schema_text

    text = schema_text()
    if args.output:
        persist.write_atomic(args.output, text.encode("utf-8"), keep_previous=False)
        print(f"written to {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    p = argparse.ArgumentParser(prog="negotiation", description="Historical diplomatic negotiations: play, "
                                "check and simulate scenarios.")
    p.add_argument("--version", action="version", version="negotiation 0.1.0")
    sub = p.add_subparsers(dest="command", required=True)

    play = sub.add_parser("play", help="play a scenario (default: Moscow, Summer 1945)")
    play.add_argument("scenario", nargs="?", help="a scenario file or bundled id")
    play.add_argument("--text", action="store_true", help="play in the terminal instead of a window")
    play.add_argument("--seed", type=int, default=0)
    play.add_argument("--save", help="where 's' saves in the terminal game")
    play.add_argument("--load", help="continue from a save file (terminal game)")
    play.set_defaults(func=cmd_play)

    val = sub.add_parser("validate", help="check scenario files and report every problem")
    val.add_argument("scenarios", nargs="+", metavar="SCENARIO")
    val.set_defaults(func=cmd_validate)

    sim = sub.add_parser("simulate", help="run headless games with a policy")
    sim.add_argument("scenario", help="a scenario file or bundled id")
    sim.add_argument("--policy", default="random",
                     help="random, historical, greedy, accept, refuse, or scripted (with --script)")
    sim.add_argument("--runs", type=int, default=100)
    sim.add_argument("--seed", type=int, default=0, help="the first seed; run i uses seed+i")
    sim.add_argument("--script", help="YAML/JSON script for the scripted policy")
    sim.add_argument("--json", help="write the full report to this file")
    sim.set_defaults(func=cmd_simulate)

    rep = sub.add_parser("replay", help="replay a save or replay file, verify it, print the score card")
    rep.add_argument("file")
    rep.add_argument("--scenario", help="the scenario file (default: the bundled one the save names)")
    rep.add_argument("--ignore-hash", action="store_true", help="replay even if the scenario has changed")
    rep.set_defaults(func=cmd_replay)

    sch = sub.add_parser("schema", help="write the JSON Schema of the scenario format")
    sch.add_argument("-o", "--output", help="file to write (default: standard output)")
    sch.set_defaults(func=cmd_schema)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ScenarioError as exc:
        print(exc, file=sys.stderr)
        return 1
    except NegotiationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
