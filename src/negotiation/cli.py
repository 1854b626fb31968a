"""The ``negotiation`` command: play, validate, simulate, replay, schema, lint, graph, test, analyze, trace,
migrate, docs."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from negotiation import __version__, resources
from negotiation.errors import Diagnostic, NegotiationError, ScenarioError
from negotiation.text import printable

if TYPE_CHECKING:  # the loader, the models and the engine are imported by the commands that need them
    from negotiation.scenario.loader import LoadedScenario


def _load(name: str | None) -> LoadedScenario:
    from negotiation.scenario.loader import load_file

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
        if not _has_display():
            print("No display found (no X or Wayland session): the window cannot open. "
                  "Play in the terminal instead with: negotiation play --text", file=sys.stderr)
            if not (sys.stdin.isatty() and sys.stdout.isatty()):
                return 2
            answer = input("Play in the terminal now? [Y/n] ").strip().lower()
            if answer not in ("", "y", "yes"):
                return 2
            use_text = True
        if not use_text:
            try:
                ui_app = importlib.import_module("negotiation.ui.app")  # the window front end
            except ImportError as exc:
                print(f"The game window is unavailable ({exc}); playing in the terminal.", file=sys.stderr)
                use_text = True
    if use_text:
        from negotiation import persist
        from negotiation.client import scenario_of_save
        from negotiation.terminal import run

        scenario = args.scenario
        if args.load and not scenario:  # a save names its scenario: play that one
            scenario = scenario_of_save(args.load)
        loaded = _load(scenario)
        game = None
        if args.load:
            game = persist.load(args.load, loaded)
        run(loaded, seed=args.seed, save_path=args.save, game=game)
        return 0
    return int(ui_app.main(scenario=args.scenario, seed=args.seed, load=args.load) or 0)


STDOUT = "-"  # as a file name (--json -, -o -): standard output


def write_output(dest: str, data: bytes | str) -> bool:
    """Write a command's output to the file ``dest`` or, when ``dest`` is ``-``, to standard output.

    A file is written atomically with the user's normal permissions. Return True when the output went to
    standard output: a command then prints nothing else there, so that ``--json - | jq`` reads pure JSON.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if dest == STDOUT:
        sys.stdout.flush()
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()
        return True
    from negotiation import persist

    persist.write_atomic(dest, raw, keep_previous=False)
    return False


def add_json_option(parser: argparse.ArgumentParser, what: str) -> None:
    """The ``--json FILE`` option of a command (``-`` for standard output, then alone there)."""
    parser.add_argument("--json", metavar="FILE", help=f"also write {what} as JSON to FILE ('-': standard output, "
                        "instead of the summary)")


def _write_text(text: str, output: str | None) -> int:
    """Write generated text to a file (atomically) or to standard output (no file, or ``-``)."""
    if output and not write_output(output, text):
        print(f"written to {output}")
    elif not output:
        sys.stdout.write(text)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from negotiation.scenario.diagnostics import diagnostic_github, diagnostics_json

    failed = 0
    found: list[Diagnostic] = []
    for name in args.scenarios:
        try:
            loaded = _load(name)
        except ScenarioError as exc:
            failed += 1
            found.extend(exc.diagnostics)
            if args.format == "text":
                print(exc, file=sys.stderr)
            elif args.format == "github":
                print("\n".join(diagnostic_github(d) for d in exc.diagnostics))
            continue
        except NegotiationError as exc:  # no such bundled id: the other files are still checked
            failed += 1
            found.append(Diagnostic(name, 1, 1, "", str(exc)))
            if args.format == "text":
                print(f"error: {printable(str(exc))}", file=sys.stderr)
            elif args.format == "github":
                print(diagnostic_github(found[-1]))
            continue
        if args.format != "json":
            s = loaded.scenario
            print(f"{printable(loaded.path)}: ok — {printable(s.scenario.title)}: {len(s.articles)} articles, "
                  f"{len(s.phases)} phases, {len(s.decisions)} decisions, {len(s.events)} events, "
                  f"{len(s.endings)} endings")
    if args.format == "json":
        sys.stdout.write(diagnostics_json(found))
    return 1 if failed else 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from negotiation.actors.policies import policy_factory
    from negotiation.progress import Bar
    from negotiation.sim.batch import available_cores, open_output, open_text_output, run_report

    if args.runs < 1:
        raise NegotiationError("--runs must be at least 1")
    workers = _workers(args.workers)
    if args.json == "-" and args.csv == "-":
        raise NegotiationError("--json - and --csv - cannot both write to standard output")
    loaded = _load(args.scenario)
    script = None
    if args.script:
        try:
            script = resources.script_path(args.script)
        except FileNotFoundError as exc:
            raise NegotiationError(str(exc)) from None
    policy_factory(args.policy, script)(args.seed)  # a bad policy or script fails here, before any game
    if script is not None:
        from negotiation.actors.policies import ScriptedPolicy

        ScriptedPolicy.from_file(script).check_scenario(loaded.scenario.scenario.id)
    with ExitStack() as stack:
        json_out = stack.enter_context(open_output(args.json)) if args.json else None
        csv_out = stack.enter_context(open_text_output(args.csv)) if args.csv else None
        bar = stack.enter_context(Bar(args.runs, "simulate", unit="game", quiet=args.quiet))
        report = run_report(loaded, args.policy, args.runs, args.seed, script, workers=workers or available_cores(),
                            trace=args.trace, json_out=json_out, csv_out=csv_out, progress=bar.advance_to)
    if "-" in (args.json, args.csv):
        return 0  # standard output holds the data only
    s = report["summary"]
    last = args.seed + args.runs - 1
    print(f"{report['scenario']}: {s['games']} games, policy {args.policy}, seeds {args.seed}..{last}")
    print(f"  interest: mean {s['interest_mean']:+.2f}, median {s['interest_median']:+.2f} "
          f"(min {s['interest_min']:+.2f}, max {s['interest_max']:+.2f}); fidelity mean {s['fidelity_mean']:.3f}")
    print("  endings: " + ", ".join(f"{k} {v}" for k, v in s["endings"].items()))
    for path in (args.json, args.csv):
        if path:
            print(f"  written to {path}")
    return 0


def _workers(value: int | None) -> int:
    """--workers: at least 1; 0 or nothing for every core available."""
    if value is None or value == 0:
        return 0
    if value < 0:
        raise NegotiationError("--workers must be at least 1 (or 0 for every core available)")
    return value


def cmd_replay(args: argparse.Namespace) -> int:
    from negotiation import persist
    from negotiation.scenario.loader import load_file
    from negotiation.scoring import score_card
    from negotiation.terminal.render import Style, score_card_text

    raw_path = Path(args.file)
    data = persist.parse(persist.read(raw_path), str(raw_path))
    if args.scenario:
        loaded = _load(args.scenario)
    else:  # the save names a bundled scenario by id; never read its text as a path
        sid = str(data["scenario"]["id"])
        bundled = resources.bundled_scenarios()
        if sid not in bundled:
            raise NegotiationError(f"{raw_path}: the save is for scenario {sid[:80]!r}, which is not bundled; "
                                   "give its file with --scenario")
        loaded = load_file(bundled[sid])
    game = persist.restore(data, loaded, str(raw_path), check_hash=not args.ignore_hash)
    verified = "snapshot verified" if "snapshot" in data else "a replay file (no snapshot to verify)"
    print(f"{raw_path}: {len(game.action_log)} actions replayed; {verified}.")
    if not game.is_over():
        d = game.decision()
        where = f"'{printable(d.model.title)}' ({d.model.id})" if d is not None else "no decision"
        print(f"The game is not over: on {game.state.day.isoformat()} it stands at {where}; "
              f"no score card yet. Continue it with: negotiation play --text --load {raw_path}")
        return 0
    print(score_card_text(score_card(game), Style()))
    return 0


SCHEMA_KINDS = {"scenario": "a scenario", "tests": "a playthrough-test file (*.tests.yaml)",
                "script": "a strategy script (simulate --script)"}


def cmd_schema(args: argparse.Namespace) -> int:
    from negotiation.scenario.schema import file_name, modeline, schema_text

    if args.install is None:
        return _write_text(schema_text("tests" if args.tests else "script" if args.script else "scenario"),
                           args.output)
    if args.output:
        raise NegotiationError("--install writes every schema into its folder; -o writes one schema")
    from negotiation import persist

    folder = Path(args.install).expanduser().resolve()
    for kind in SCHEMA_KINDS:
        persist.write_atomic(folder / file_name(kind), schema_text(kind).encode("utf-8"), keep_previous=False)
    print(f"schemas written to {printable(str(folder))}: {', '.join(map(file_name, SCHEMA_KINDS))}")
    print("Start a file with the line for its kind, and editors that use the YAML language server (VS Code's "
          "YAML extension, for one) complete and check it as you type, wherever the file is:")
    for kind, what in SCHEMA_KINDS.items():
        print(f"\n{what}:\n{printable(modeline(folder / file_name(kind)))}")
    return 0


def _scenario_file(name: str) -> str:
    try:
        return str(resources.scenario_path(name))
    except FileNotFoundError as exc:
        raise NegotiationError(str(exc)) from None


def cmd_lint(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from negotiation.scenario.lint import CODES, failed, render_json, render_text
    from negotiation.sim.explore import Bounds, lint_file

    ignore = {c.strip().upper() for group in args.ignore for c in group.split(",") if c.strip()}
    unknown = sorted(ignore - set(CODES))
    if unknown:
        raise NegotiationError(f"--ignore: unknown lint code {unknown[0]} (see docs/lint-codes.md)")
    if args.max_states < 1 or args.playthroughs < 0:
        raise NegotiationError("--max-states must be at least 1 and --playthroughs at least 0")
    bounds = Bounds(max_states=args.max_states, playthroughs=args.playthroughs, seed=args.seed)
    files: list[str] = []
    for name in args.scenarios:
        if Path(name).is_dir():  # a folder: its scenarios and their test files
            files.extend(str(p) for p in sorted(Path(name).glob("*.yaml")))
        else:
            files.append(_scenario_file(name))
    if not files:
        raise NegotiationError(f"no .yaml files in {', '.join(args.scenarios)}")
    from negotiation.progress import Bar

    results = []
    for name in files:
        with Bar(None, f"lint {Path(name).name}", unit="step", quiet=args.quiet or args.no_play) as bar:
            def progress(done: int, total: int, bar: Bar = bar) -> None:
                bar.set_total(total)
                bar.advance_to(done)

            result = lint_file(name, bounds, play=not args.no_play, progress=progress if bar.shown else None)
        results.append(replace(result, findings=[f for f in result.findings if f.code not in ignore]))
    if args.format == "github":
        from negotiation.scenario.diagnostics import lint_github

        sys.stdout.write(lint_github(results, strict=args.strict))
    else:
        sys.stdout.write((render_json if args.format == "json" else render_text)(results, strict=args.strict))
    return 1 if failed(results, args.strict) else 0


def cmd_test(args: argparse.Namespace) -> int:
    from negotiation.sim.playtest import discover, render_json, render_text, run_file

    paths = list(discover(args.paths or [resources.scenarios_dir()]))
    if not paths:
        where = ", ".join(args.paths) if args.paths else str(resources.scenarios_dir())
        raise NegotiationError(f"no test files (*.tests.yaml) in {where}")
    results = [run_file(p, args.name) for p in paths]
    sys.stdout.write((render_json if args.format == "json" else render_text)(results))
    return 0 if all(r.passed for r in results) else 1


def cmd_graph(args: argparse.Namespace) -> int:
    from negotiation.scenario.graph import draw, draw_machine

    if args.protocol:
        from negotiation.engine.machine import SessionMachine

        machine = SessionMachine()
        text = draw_machine(machine.STATES, machine.describe(), args.format)
    elif args.scenario is None:
        raise NegotiationError("name a scenario (file or bundled id), or draw the session protocol with --protocol")
    else:
        text = draw(_load(args.scenario).scenario, args.format, decisions=args.decisions)
    return _write_text(text, args.output)


def cmd_analyze(args: argparse.Namespace) -> int:
    import json

    from negotiation.engine.rules import rules_for
    from negotiation.sim.analyze import analyze, render_text

    if args.width < 1 or args.seeds < 1:
        raise NegotiationError("--width and --seeds must be at least 1")
    rules = rules_for(_load(args.scenario))

    from negotiation.progress import Bar

    with Bar(None, "analyze", unit="stage", quiet=args.quiet) as bar:
        def progress(text: str) -> None:
            bar.describe(text)
            bar.update()

        result = analyze(rules, width=args.width, seeds=args.seeds, seed=args.seed, hold_seeds=args.hold_seeds,
                         progress=progress)
    if args.json and write_output(args.json, json.dumps(result.to_dict(), sort_keys=True, ensure_ascii=False) + "\n"):
        return 0
    sys.stdout.write(render_text(result, rules))
    if args.json:
        print(f"written to {args.json}")
    return 0


def cmd_trace(args: argparse.Namespace) -> int:
    import json

    from negotiation.actors.policies import ScriptedPolicy
    from negotiation.engine.rules import rules_for
    from negotiation.sim.trace import render_text, trace

    rules = rules_for(_load(args.scenario))
    actions = None
    policy = None
    if args.play is not None:
        actions = [a.strip() for a in args.play.replace(",", " ").split() if a.strip()]
    elif args.script:
        try:
            path = resources.script_path(args.script)
        except FileNotFoundError as exc:
            raise NegotiationError(str(exc)) from None
        scripted = ScriptedPolicy.from_file(path, args.seed)
        scripted.check_scenario(rules.scenario.scenario.id)
        policy = scripted
    result = trace(rules, args.seed, actions, policy, until=args.until)
    if args.json and write_output(args.json, json.dumps(result.to_dict(), ensure_ascii=False, indent=1) + "\n"):
        return 0
    sys.stdout.write(printable(render_text(result), keep_newlines=True) + "\n")
    if args.json:
        print(f"written to {args.json}")
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    import csv

    from negotiation.actors.policies import policy_factory
    from negotiation.progress import Bar
    from negotiation.sim.batch import open_output, open_text_output
    from negotiation.sim.sweep import grid_points, point_rows, read_base, render_text, report_bytes, sweep

    if args.runs < 1:
        raise NegotiationError("--runs must be at least 1")
    workers = _workers(args.workers)
    if args.json == "-" and args.csv == "-":
        raise NegotiationError("--json - and --csv - cannot both write to standard output")
    if args.scheduler and args.executor != "dask":
        raise NegotiationError("--scheduler is for --executor dask")
    script = None
    if args.script:
        try:
            script = str(resources.script_path(args.script))
        except FileNotFoundError as exc:
            raise NegotiationError(str(exc)) from None
    policy_factory(args.policy, script)(args.seed)  # a bad policy or script fails here, before any game
    base = read_base(_scenario_file(args.scenario), args.policy, script, args.vary)
    total = len(grid_points(base.varies)) * args.runs
    with Bar(total, "sweep", unit="game", quiet=args.quiet) as bar:
        report = sweep(base, args.runs, args.seed, workers=workers, executor=args.executor,
                       scheduler=args.scheduler, progress=bar.advance_to)
    if args.json:
        with open_output(args.json) as out:
            out.write(report_bytes(report))
    if args.csv:
        columns, rows = point_rows(report)
        with open_text_output(args.csv) as text:
            table = csv.writer(text, lineterminator="\n")
            table.writerow(columns)
            table.writerows(rows)
    if "-" in (args.json, args.csv):
        return 0
    sys.stdout.write(render_text(report))
    for path in (args.json, args.csv):
        if path:
            print(f"written to {path}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from negotiation.engine.rules import rules_for
    from negotiation.report import write_report
    from negotiation.sim.tables import read_report

    if args.replays < 0:
        raise NegotiationError("--replays must be at least 0")
    results = read_report(args.results)
    rules = None
    if args.scenario:
        rules = rules_for(_load(args.scenario))
    else:  # the results name a bundled scenario by id; never read their text as a path
        sid = str(results.get("scenario", ""))
        bundled = resources.bundled_scenarios()
        if sid in bundled:
            rules = rules_for(_load(str(bundled[sid])))
        elif "points" not in results:
            raise NegotiationError(f"{args.results}: the runs are of scenario {sid[:80]!r}, which is not bundled; "
                                   "give its file with --scenario")
    output = args.output or str(Path(args.results).with_suffix(".html"))
    from negotiation.progress import Bar

    replays = 0 if "points" in results or any("trace" in r for r in results.get("runs", [])[:1]) else \
        min(args.replays, len(results.get("runs", [])))
    with Bar(replays or None, "replaying runs for the meters", unit="game", quiet=args.quiet or not replays) as bar:
        written = write_report(results, rules, output, replays=args.replays, source=Path(args.results).name,
                               progress=bar.advance_to)
    print(f"written to {written[0]} (and {len(written) - 1} PNG files beside it)")
    return 0


def cmd_agent(args: argparse.Namespace) -> int:
    from negotiation.agent import AgentSession, serve

    if not args.stdio:
        raise NegotiationError("choose how the agent connects: --stdio (JSON lines on standard input and output)")
    return serve(session=AgentSession(default_scenario=args.scenario, default_seed=args.seed))


def cmd_docs(args: argparse.Namespace) -> int:
    from negotiation.scenario.docs import lint_codes_text, reference_text

    text = lint_codes_text() if args.lint_codes else reference_text()
    return _write_text(text, args.output)


def cmd_migrate(args: argparse.Namespace) -> int:
    from negotiation.scenario.migrate import UnknownKindError, migrate_file, targets

    files = targets(args.files)
    if not files:
        raise NegotiationError(f"no .yaml files in {', '.join(args.files)}")
    to_stdout = not (args.check or args.in_place or args.output)
    if len(files) > 1 and (to_stdout or args.output):
        raise NegotiationError("several files: rewrite them with --in-place, or list the changes with --check")
    say = sys.stderr if to_stdout else sys.stdout
    failed = changed = skipped = 0
    for path, named in files:
        try:
            m = migrate_file(path)
        except ScenarioError as exc:
            if isinstance(exc, UnknownKindError) and not named:  # in a folder: not ours to migrate
                print(f"{printable(str(path))}: skipped (not a scenario, test file or script)", file=say)
                skipped += 1
                continue
            failed += 1
            print(exc, file=sys.stderr)
            continue
        changed += m.changed
        verb = "would change: " if args.check and m.changed else ""
        print(f"{printable(str(path))}: {verb}{m.summary()}", file=say)
        for c in m.changes:
            print(f"  {printable(str(path))}:{printable(str(c))}", file=say)
        if to_stdout:
            sys.stdout.write(m.text)
        elif args.output or (args.in_place and m.changed):
            target = Path(args.output) if args.output else path
            mode = (target if target.exists() else path).stat().st_mode & 0o777  # keep the file's permissions
            from negotiation import persist

            persist.write_atomic(target, m.text.encode("utf-8"), keep_previous=False, mode=mode)
            print(f"  written to {printable(str(target))}", file=say)
    if len(files) > 1:
        current = len(files) - changed - failed - skipped
        print(f"{len(files)} files: {changed} {'to migrate' if args.check else 'migrated'}, {current} already current, "
              f"{skipped} skipped, {failed} failed", file=say)
    if args.check and changed:
        print("run `negotiation migrate --in-place FILE...` to rewrite them", file=say)
    return 1 if failed or (args.check and changed) else 0


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    p = argparse.ArgumentParser(prog="negotiation", description="Historical diplomatic negotiations: play, "
                                "check and simulate scenarios.")
    p.add_argument("--version", action="version", version=f"negotiation {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    play = sub.add_parser("play", help="play a scenario (default: Moscow, Summer 1945)")
    play.add_argument("scenario", nargs="?", help="a scenario file or bundled id")
    play.add_argument("--text", action="store_true", help="play in the terminal instead of a window")
    play.add_argument("--seed", type=int, default=0)
    play.add_argument("--save", help="where 's' saves in the terminal game")
    play.add_argument("--load", help="continue from a save file (window or terminal)")
    play.set_defaults(func=cmd_play)

    val = sub.add_parser("validate", help="check scenario files and report every problem",
                         description="Check scenario files (paths or bundled ids) and report every problem, located "
                         "as file:line:column. Exit status 1 if any file has one.")
    val.add_argument("scenarios", nargs="+", metavar="SCENARIO")
    val.add_argument("--format", choices=("text", "json", "github"), default="text",
                     help="text: 'ok' lines, problems on standard error; json: a list of diagnostics "
                     "({file, line, column, severity, field, message, hint}; [] when all are valid); "
                     "github: GitHub Actions annotations (::error file=...,line=...,col=...::...)")
    val.set_defaults(func=cmd_validate)

    sim = sub.add_parser(
        "simulate", help="run headless games with a policy",
        description="Play seeded games with a policy and summarise them; run i uses seed+i. Examples: "
        "'negotiation simulate moscow1945 --policy random --runs 2000 --json runs.json', "
        "'negotiation simulate moscow1945 --runs 500 --csv runs.csv --workers 2', "
        "'negotiation simulate moscow1945 --policy mypolicies:Cautious --json - | jq .summary'.")
    sim.add_argument("scenario", help="a scenario file or bundled id")
    sim.add_argument("--policy", default="random",
                     help="random, historical, greedy, accept, refuse, ask, best, walkout, scripted (with --script), "
                     "package.module:Class (your own), or a policy an installed package offers (docs/policies.md)")
    sim.add_argument("--runs", type=int, default=100)
    sim.add_argument("--seed", type=int, default=0, help="the first seed; run i uses seed+i")
    sim.add_argument("--script", help="YAML/JSON script for the scripted policy: a path, or a bundled "
                     "script's name (e.g. settle-7-august)")
    sim.add_argument("--json", metavar="FILE", help="write the full report to this file ('-': standard output "
                     "only); the same seed gives the same bytes, whatever --workers")
    sim.add_argument("--csv", metavar="FILE", help="write one row per run to this CSV file ('-': standard output)")
    sim.add_argument("--workers", type=int, default=None, metavar="N",
                     help="processes that play the games (default: every core available)")
    sim.add_argument("--trace", action="store_true", help="record each run's meters after every move (for the "
                     "report's meters-over-time plot; makes the JSON larger)")
    sim.add_argument("--quiet", action="store_true", help="no progress bar on standard error")
    sim.set_defaults(func=cmd_simulate)

    rep = sub.add_parser("replay", help="replay a save or replay file, verify it, print the score card")
    rep.add_argument("file")
    rep.add_argument("--scenario", help="the scenario file (default: the bundled one the save names)")
    rep.add_argument("--ignore-hash", action="store_true", help="replay even if the scenario has changed")
    rep.set_defaults(func=cmd_replay)

    sch = sub.add_parser("schema", help="write the JSON Schema of the scenario format (or of test files, scripts), "
                         "or install them all for editors")
    sch.add_argument("-o", "--output", metavar="FILE", help="file to write (default, or '-': standard output)")
    which = sch.add_mutually_exclusive_group()
    which.add_argument("--tests", action="store_true", help="the schema of playthrough-test files instead")
    which.add_argument("--script", action="store_true", help="the schema of strategy scripts instead")
    which.add_argument("--install", metavar="DIR", help="write all three schemas into DIR and print the first "
                       "line that points an editor at each, from any folder")
    sch.set_defaults(func=cmd_schema)

    lint = sub.add_parser("lint", help="find what validation lets through: dead ends, unreachable phases and "
                          "endings, impossible conditions, texts too long, history that does not replay")
    lint.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="scenario files, bundled ids or folders; "
                      "test files (*.tests.yaml) are checked without running")
    lint.add_argument("--strict", action="store_true", help="fail on warnings too")
    lint.add_argument("--format", choices=("text", "json", "github"), default="text",
                      help="github: GitHub Actions annotations (errors, warnings, infos as notices)")
    lint.add_argument("--no-play", action="store_true", help="static checks only: do not explore the game")
    lint.add_argument("--max-states", type=int, default=5000, help="distinct states the breadth-first search "
                      "visits (default 5000)")
    lint.add_argument("--playthroughs", type=int, default=500, help="random games played (default 500)")
    lint.add_argument("--seed", type=int, default=0, help="seed of the search and the first random game")
    lint.add_argument("--ignore", action="append", default=[], metavar="CODES",
                      help="leave out findings with these codes (comma-separated, repeatable)")
    lint.add_argument("--quiet", action="store_true", help="no progress bar on standard error")
    lint.set_defaults(func=cmd_lint)

    graph = sub.add_parser("graph", help="draw the phase machine (and each phase's decisions) for docs and reviews",
                           description="Draw a scenario's phase machine, or with --protocol the engine's session "
                           "machine (sessions convened and adjourned, the end), read from the running machine.")
    graph.add_argument("scenario", nargs="?", help="a scenario file or bundled id")
    graph.add_argument("--protocol", action="store_true", help="draw the session machine every scenario runs on")
    graph.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")
    graph.add_argument("--decisions", action="store_true", help="draw each phase's decisions inside it")
    graph.add_argument("-o", "--output", metavar="FILE", help="file to write (default, or '-': standard output)")
    graph.set_defaults(func=cmd_graph)

    test = sub.add_parser("test", help="run playthrough tests (<scenario>.tests.yaml): play, then check the "
                          "ending, terms, variables, scores and log")
    test.add_argument("paths", nargs="*", metavar="PATH", help="test files, scenarios (their test file beside "
                      "them) or folders (default: the bundled scenarios)")
    test.add_argument("--format", choices=("text", "json"), default="text")
    test.add_argument("-k", "--name", default="", help="run only tests whose name contains this text")
    test.set_defaults(func=cmd_test)

    ana = sub.add_parser(
        "analyze", help="what the score means: the best line a search finds, simple strategies, pivotal decisions, "
        "the reach of every article and ending",
        description="Play a scenario many ways and report what its score against history means. Examples: "
        "'negotiation analyze moscow1945', 'negotiation analyze my.yaml --width 50 --json report.json'.")
    ana.add_argument("scenario", help="a scenario file or bundled id")
    ana.add_argument("--width", type=int, default=100, help="beam width of the search (default 100)")
    ana.add_argument("--seeds", type=int, default=10, help="seeds each simple strategy plays (default 10)")
    ana.add_argument("--hold-seeds", type=int, default=100, help="seeds the best line is replayed on (default 100)")
    ana.add_argument("--seed", type=int, default=0, help="the first seed")
    add_json_option(ana, "the analysis")
    ana.add_argument("--quiet", action="store_true", help="no progress bar on standard error")
    ana.set_defaults(func=cmd_analyze)

    tr = sub.add_parser(
        "trace", help="play a line step by step and show the state and the counterpart's arithmetic at each move",
        description="Show why a game goes as it does: after each move the changes, and before it the "
        "counterpart's aspiration and its parts, each rung's value to him, his red line, the treaty's shortfall "
        "against his signing margin. Without --play or --script the historical path is traced. Examples: "
        "'negotiation trace moscow1945 --until d0807_port_arthur', "
        "'negotiation trace my.yaml --play \"hold, counter:letters\"'.")
    tr.add_argument("scenario", help="a scenario file or bundled id")
    how = tr.add_mutually_exclusive_group()
    how.add_argument("--play", metavar="MOVES", help="the moves to play, separated by commas or spaces "
                     "(e.g. 'hold, counter:y30, option:link'); the trace stops after the last")
    how.add_argument("--script", metavar="FILE", help="a strategy script (as for simulate --policy scripted)")
    tr.add_argument("--until", metavar="DECISION", help="stop when this decision comes up (before it is answered)")
    tr.add_argument("--seed", type=int, default=0)
    add_json_option(tr, "the trace")
    tr.set_defaults(func=cmd_trace)

    mig = sub.add_parser("migrate", help="rewrite scenarios, test files and scripts of an older format in the "
                         "current one, keeping comments and layout")
    mig.add_argument("files", nargs="+", metavar="FILE", help="files or folders (their *.yaml files, recursively)")
    out = mig.add_mutually_exclusive_group()
    out.add_argument("--check", action="store_true", help="list what would change, write nothing; exit 1 if "
                     "anything would")
    out.add_argument("--in-place", action="store_true", help="rewrite the files that change (atomically)")
    out.add_argument("-o", "--output", help="write the migrated file here (one file only; default: standard output)")
    mig.set_defaults(func=cmd_migrate)

    swp = sub.add_parser(
        "sweep", help="counterfactuals: vary scenario parameters over a grid and run a seeded batch at each point",
        description="Vary numeric parameters of a scenario over a grid; at each point the scenario is rebuilt "
        "and validated, and the policy plays the same seeds. A path names a field by the ids of list items "
        "(docs/sweeps.md). Examples: 'negotiation sweep moscow1945 --vary actors.stalin.ai.hold_cost=3:9:2 "
        "--runs 200', 'negotiation sweep moscow1945 --vary articles.dairen.counterpart.ally_lever=0:1:0.25 "
        "--vary events.trinity.date=-14:14:7 --policy greedy --csv sweep.csv', "
        "'negotiation sweep moscow1945 --vary actors.stalin.ai.refusal_cost=1,3,5 --executor dask "
        "--scheduler tcp://10.0.0.5:8786 --json sweep.json'.")
    swp.add_argument("scenario", help="a scenario file or bundled id")
    swp.add_argument("--vary", action="append", default=[], metavar="PATH=START:STOP:STEP",
                     help="a parameter and its values: START:STOP:STEP (STOP included), or A,B,C; dates as "
                     "YYYY-MM-DD or days from the scenario's date, STEP in days (repeatable: the grid is every "
                     "combination)")
    swp.add_argument("--policy", default="random", help="the policy at every point (as for simulate)")
    swp.add_argument("--script", help="the script of the scripted policy")
    swp.add_argument("--runs", type=int, default=100, help="games at each point (default 100)")
    swp.add_argument("--seed", type=int, default=0, help="the first seed; every point plays seeds seed..seed+runs-1")
    swp.add_argument("--workers", type=int, default=None, metavar="N",
                     help="local processes (default: every core available)")
    swp.add_argument("--executor", choices=("local", "dask"), default="local",
                     help="local processes, or a Dask cluster (pip install 'negotiation[distributed]')")
    swp.add_argument("--scheduler", metavar="ADDRESS", help="the Dask scheduler's address, e.g. tcp://host:8786")
    swp.add_argument("--json", metavar="FILE", help="write the sweep as JSON ('-': standard output only)")
    swp.add_argument("--csv", metavar="FILE", help="write one row per point as CSV ('-': standard output only)")
    swp.add_argument("--quiet", action="store_true", help="no progress bar on standard error")
    swp.set_defaults(func=cmd_sweep)

    rpt = sub.add_parser(
        "report", help="a page of plots of simulate or sweep results (HTML, with PNG files beside it)",
        description="Plot the results of 'simulate --json' or 'sweep --json' on one self-contained HTML page: "
        "the interest against history, the endings, each article's rungs, the meters over time; for a sweep "
        "the outcome against the varied parameters. Needs matplotlib (pip install 'negotiation[report]'). "
        "Examples: 'negotiation report runs.json -o report.html', "
        "'negotiation report sweep.json -o sweep.html', 'negotiation report runs.json --scenario my.yaml'.")
    rpt.add_argument("results", help="a JSON file written by simulate --json or sweep --json")
    rpt.add_argument("-o", "--output", help="the HTML file to write (default: the results' name with .html); "
                     "each plot is also written beside it as <name>-<plot>.png")
    rpt.add_argument("--scenario", help="the scenario the results were run on (default: the bundled one they name)")
    rpt.add_argument("--replays", type=int, default=100, metavar="N",
                     help="without traces in the results (simulate --trace), replay the first N runs from their "
                     "seeds for the meters over time (default 100; 0: no meters plot)")
    rpt.add_argument("--quiet", action="store_true", help="no progress bar on standard error")
    rpt.set_defaults(func=cmd_report)

    agt = sub.add_parser(
        "agent", help="let a program or an LLM agent play, one JSON request per line (docs/agent-protocol.md)",
        description="Serve the JSON-lines agent protocol: each line in is a request such as "
        '{"id": 1, "op": "new", "scenario": "moscow1945", "seed": 3}, {"op": "legal"} or '
        '{"op": "apply", "action": "hold"}; each line out is its answer, with the observation in words and '
        "numbers. Errors are answers too. Example: "
        """'printf '{"op":"new"}\\n{"op":"legal"}\\n' | negotiation agent --stdio'.""")
    agt.add_argument("--stdio", action="store_true", help="requests on standard input, answers on standard output")
    agt.add_argument("--scenario", default="moscow1945", help="the scenario of 'new' when a request names none")
    agt.add_argument("--seed", type=int, default=0, help="the seed of 'new' when a request names none")
    agt.set_defaults(func=cmd_agent)

    docs = sub.add_parser("docs", help="write the reference of the file formats (or of lint codes), from the code")
    docs.add_argument("-o", "--output", metavar="FILE", help="file to write (default, or '-': standard output)")
    docs.add_argument("--lint-codes", action="store_true", help="the list of lint codes instead")
    docs.set_defaults(func=cmd_docs)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status. Never ends in a traceback."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ScenarioError as exc:
        print(exc, file=sys.stderr)
        return 1
    except NegotiationError as exc:
        print(f"error: {printable(str(exc), keep_newlines=True)}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away (`negotiation docs | head`): stop quietly
        _silence_stdout()
        return 0
    except OSError as exc:  # a file that cannot be written or read: say which and why
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {printable(where + str(exc.strerror or exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a fault of ours: the details go to the log, one line here
        return resources.last_resort(exc, f"negotiation {args.command}")


def _silence_stdout() -> None:
    """Point standard output at devnull so that the flush at exit does not fail again (Python docs, SIGPIPE)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (e.g. captured in tests)
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
