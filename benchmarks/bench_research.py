"""Headless research at scale: workers, memory, sweeps, the Gymnasium environment, light imports.

Whole commands are timed from outside, in alternation (A B A B ...), keeping each one's median,
so that a machine whose speed drifts moves both sides alike. Peak memory is the operating
system's account of the largest process of a command (the command and its worker processes).

    python benchmarks/bench_research.py                  # everything (about ten minutes on 2 cores)
    python benchmarks/bench_research.py workers memory   # some of it
    python benchmarks/bench_research.py --quick          # smaller sizes, to try it out

Goals (issue 11): --workers 2 at least 1.7x faster than one worker on 10,000 games; memory flat
from 10,000 to 100,000 games.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PY = sys.executable
CLI = [PY, "-m", "negotiation"]


def run(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak memory (KiB, the largest process) of one command, run in a fresh wrapper."""
    probe = ("import resource, subprocess, sys, time, json\n"
             "t = time.perf_counter()\n"
             "subprocess.run(json.loads(sys.argv[1]), check=True, stdout=subprocess.DEVNULL)\n"
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    out = subprocess.run([PY, "-c", probe, json.dumps(cmd)], capture_output=True, text=True, check=True)
    seconds, kib = out.stdout.split()
    return float(seconds), int(kib)


def paired(a: list[str], b: list[str], rounds: int) -> tuple[list[float], list[float]]:
    """Alternate two commands; return the wall seconds of each."""
    ta, tb = [], []
    for _ in range(rounds):
        ta.append(run(a)[0])
        tb.append(run(b)[0])
    return ta, tb


def spread(xs: list[float]) -> str:
    return f"median {statistics.median(xs):.2f} s (min {min(xs):.2f}, max {max(xs):.2f}, n={len(xs)})"


SPIN = """
import multiprocessing as mp, sys, time
def spin(n):
    x = 0
    for i in range(n):
        x += i * i
    return x
if __name__ == "__main__":
    n = 8_000_000
    t = time.perf_counter(); spin(n); spin(n); one = time.perf_counter() - t
    with mp.get_context("fork").Pool(2) as pool:
        t = time.perf_counter(); pool.map(spin, [n, n]); two = time.perf_counter() - t
    print(one / two)
"""


def ceiling() -> float:
    """The speed-up two processes get now on a pure loop: what the machine can give, whatever our code does."""
    out = subprocess.run([PY, "-c", SPIN], capture_output=True, text=True, check=True)
    return float(out.stdout)


def bench_workers(games: int, rounds: int, out: Path) -> None:
    one = [*CLI, "simulate", "moscow1945", "--runs", str(games), "--workers", "1", "--json", str(out / "w1.json")]
    two = [*CLI, "simulate", "moscow1945", "--runs", str(games), "--workers", "2", "--json", str(out / "w2.json")]
    t1, t2, ceil = [], [], []
    for _ in range(rounds):  # a pure two-process loop beside each pair says how many cores the machine gave
        ceil.append(ceiling())
        a, b = paired(one, two, 1)
        t1 += a
        t2 += b
    ceil.append(ceiling())
    ratios = [a / b for a, b in zip(t1, t2, strict=True)]
    same = (out / "w1.json").read_bytes() == (out / "w2.json").read_bytes()
    print(f"simulate moscow1945 --runs {games:,} (random policy), whole command:")
    print(f"  --workers 1: {spread(t1)}")
    print(f"  --workers 2: {spread(t2)}")
    print(f"  speed-up: median {statistics.median(ratios):.2f}x (pairs: {', '.join(f'{r:.2f}' for r in ratios)}); "
          f"goal >= 1.7x; JSON identical: {same}")
    print(f"  the machine's ceiling, two processes on a pure loop around each pair: "
          f"{', '.join(f'{c:.2f}' for c in ceil)}x")


def bench_memory(sizes: list[int], out: Path) -> None:
    print("Peak memory of the largest process, simulate moscow1945 --workers 2 --json FILE:")
    for n in sizes:
        seconds, kib = run([*CLI, "simulate", "moscow1945", "--runs", str(n), "--workers", "2", "--json",
                            str(out / "m.json"), "--quiet"])
        size = (out / "m.json").stat().st_size
        print(f"  {n:>7,} games: {kib / 1024:6.1f} MiB peak, {seconds:6.1f} s, report {size / 2**20:6.1f} MiB")
    n = sizes[0]
    code = ("from negotiation import load_file; from negotiation.resources import scenario_path; "
            "from negotiation.sim import simulate, report_bytes; import sys; "
            f"sys.stdout.buffer.write(report_bytes(simulate(load_file(scenario_path('moscow1945')), 'random', {n})))")
    seconds, kib = run([PY, "-c", code])
    print(f"  for comparison, the whole report held in memory (simulate() then report_bytes), {n:,} games: "
          f"{kib / 1024:.1f} MiB peak, {seconds:.1f} s")


def bench_sweep(points: int, runs: int) -> None:
    from negotiation.sim.sweep import read_base, sweep

    base = read_base(str(_flagship()), "random", None, [f"actors.stalin.ai.hold_cost=1:{points}:1"])
    games = points * runs
    print(f"Sweep of moscow1945, {points} points x {runs} games (random policy), in this process:")
    for workers in (1, 2):
        t = time.perf_counter()
        local = sweep(base, runs, workers=workers)
        dt = time.perf_counter() - t
        print(f"  local, {workers} worker{'s' if workers > 1 else ''}: {dt:6.2f} s, {games / dt:7.0f} games/s")
    try:
        from distributed import LocalCluster
    except ImportError:
        print("  (dask's distributed is not installed: pip install 'negotiation[distributed]')")
        return
    for processes in (True, False):
        t0 = time.perf_counter()
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=processes, dashboard_address=None) as lc:
            started = time.perf_counter() - t0
            t = time.perf_counter()
            remote = sweep(base, runs, executor="dask", scheduler=lc.scheduler_address)
            dt = time.perf_counter() - t
        kind = "2 worker processes" if processes else "2 worker threads"
        print(f"  Dask LocalCluster, {kind}: {dt:6.2f} s, {games / dt:7.0f} games/s (cluster start {started:.1f} s); "
              f"same results as local: {remote == local}")


def bench_env(episodes: int) -> None:
    import numpy as np

    from negotiation.rl import NegotiationEnv

    env = NegotiationEnv("moscow1945")
    rng = np.random.default_rng(0)
    best = 0.0
    for _ in range(3):
        steps = 0
        t = time.perf_counter()
        for ep in range(episodes):
            _, info = env.reset(seed=ep)
            while True:
                action = int(rng.choice(np.flatnonzero(info["action_mask"])))
                _, _, terminated, truncated, info = env.step(action)
                steps += 1
                if terminated or truncated:
                    break
        best = max(best, steps / (time.perf_counter() - t))
    print(f"Gymnasium environment, moscow1945, masked random actions: {best:,.0f} steps/s (best of 3 x {episodes} "
          "episodes, one process)")


def bench_import(rounds: int) -> None:
    version = [*CLI, "--version"]
    bare = [PY, "-c", "pass"]
    tv, tb = paired(version, bare, rounds)
    print(f"negotiation --version: {spread(tv)}; a bare interpreter: {spread(tb)}")
    out = subprocess.run([PY, "-X", "importtime", "-c", "import negotiation.cli"], capture_output=True, text=True)
    total = sum(int(line.split("|")[1]) for line in out.stderr.splitlines()
                if line.startswith("import time:") and line.split("|")[2].strip() == "negotiation.cli")
    print(f"  importing negotiation.cli: {total / 1000:.1f} ms (python -X importtime, cumulative)")


def _flagship() -> Path:
    from negotiation.resources import scenario_path

    return scenario_path("moscow1945")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("parts", nargs="*", default=["workers", "memory", "sweep", "env", "import"],
                   help="workers, memory, sweep, env, import (default: all)")
    p.add_argument("--quick", action="store_true", help="smaller sizes")
    args = p.parse_args()
    parts: dict[str, Callable[[Path], None]] = {
        "workers": lambda d: bench_workers(2000 if args.quick else 10_000, 2 if args.quick else 3, d),
        "memory": lambda d: bench_memory([1000, 10_000] if args.quick else [10_000, 100_000], d),
        "sweep": lambda d: bench_sweep(4, 100 if args.quick else 500),
        "env": lambda d: bench_env(100 if args.quick else 500),
        "import": lambda d: bench_import(5 if args.quick else 10),
    }
    unknown = [x for x in args.parts if x not in parts]
    if unknown:
        p.error(f"unknown part {unknown[0]!r}; choose from {', '.join(parts)}")
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.parts:
            print()
            parts[name](Path(tmp))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
