"""Batches of seeded games on several processes, streamed to the report in order.

Run *i* of a batch plays seed ``seed + i`` with a policy made for that seed, whatever process plays
it, so the report is the same bytes for any number of workers. The seeds are cut into chunks;
each worker plays a chunk and returns its runs already written as JSON (the pure-Python encoder
that ``indent=1`` needs then runs in parallel too) and as rows of numbers; the parent writes the
chunks in order as they come and keeps only what the summary needs (see :class:`Tally`).
"""

from __future__ import annotations

import array
import json
import math
import multiprocessing
import os
import statistics
import tempfile
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from itertools import islice
from pathlib import Path
from typing import IO, Any, TypeVar

from negotiation.actors.policies import PolicyFactory, policy_factory
from negotiation.engine.game import Game
from negotiation.engine.rules import Rules, rules_for
from negotiation.scenario.loader import LoadedScenario
from negotiation.scoring import score_card
from negotiation.sim.records import run_record

MAX_STEPS = 10_000
CHUNK_MAX = 200  # games a worker plays before it reports (the progress bar moves at least this often)
GAMES_PER_WORKER = 32  # fewer games than this a worker are played in this process: a fork would cost more

Row = tuple[int, str, str | None, float, float, int, tuple[str, ...]]
"""One run as numbers: seed, ending, signed_on, interest, fidelity, decisions, the terms (articles by id)."""

T = TypeVar("T")
R = TypeVar("R")


def available_cores() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


# ---------------------------------------------------------------------- playing
@dataclass(frozen=True, slots=True)
class Chunk:
    """Consecutive runs of a batch: their records as they stand in the report, and their rows."""

    start: int
    json: str
    rows: tuple[Row, ...]


class Player:
    """Plays seeds of one scenario with one policy, and writes each game's record."""

    def __init__(self, rules: Rules, policy: str, script: str | Path | None = None, trace: bool = False,
                 want_json: bool = True) -> None:
        self.rules = rules
        self.factory: PolicyFactory = policy_factory(policy, script)
        self.trace = trace
        self.want_json = want_json
        self.order = sorted(rules.articles)  # the table's columns: articles by id

    def play(self, seed: int) -> Game:
        """One game to its end."""
        game = Game(self.rules, seed)
        policy = self.factory(seed)
        for _ in range(MAX_STEPS):
            if game.is_over():
                return game
            game.apply(policy.choose(game))
        raise RuntimeError(f"the game did not end within {MAX_STEPS} actions")

    def record(self, seed: int) -> tuple[dict[str, Any], Row]:
        """Play one seed; return its JSON record and its row."""
        game = self.play(seed)
        card = score_card(game)
        rec = run_record(game, card, seed)
        if self.trace:
            rec["trace"] = [[t, self.rules.date_of(d).isoformat(), list(v)] for t, d, v in game.state.trace]
        terms = {a.article: a.position for a in card.articles}
        row: Row = (seed, rec["ending"], rec["signed_on"], rec["interest"], rec["fidelity"], rec["decisions"],
                    tuple(terms[k] for k in self.order))
        return rec, row

    def chunk(self, start: int, count: int) -> Chunk:
        """Play seeds ``start .. start+count-1``."""
        texts: list[str] = []
        rows: list[Row] = []
        for seed in range(start, start + count):
            rec, row = self.record(seed)
            if self.want_json:
                texts.append(record_text(rec))
            rows.append(row)
        return Chunk(start, SEPARATOR.join(texts), tuple(rows))


# the worker processes' player, built once per process by the pool's initializer
_player: Player | None = None


def _init_worker(loaded: LoadedScenario, policy: str, script: str | Path | None, trace: bool, want_json: bool) -> None:
    global _player
    _player = Player(rules_for(loaded), policy, script, trace, want_json)


def _play_chunk(start: int, count: int) -> Chunk:
    assert _player is not None, "the worker was not initialised"
    return _player.chunk(start, count)


def chunks(seed: int, runs: int, workers: int) -> list[tuple[int, int]]:
    """Cut seeds ``seed .. seed+runs-1`` into (start, count) pieces: a few per worker, at most CHUNK_MAX games."""
    size = max(1, min(CHUNK_MAX, math.ceil(runs / (max(workers, 1) * 8))))
    return [(s, min(size, seed + runs - s)) for s in range(seed, seed + runs, size)]


def play_batch(loaded: LoadedScenario | Rules, policy: str, runs: int, seed: int = 0,
               script: str | Path | None = None, workers: int = 1, trace: bool = False,
               want_json: bool = True) -> Iterator[Chunk]:
    """Play a batch and yield its chunks in seed order, on ``workers`` processes (1: in this one)."""
    rules = loaded if isinstance(loaded, Rules) else rules_for(loaded)
    workers = min(workers, math.ceil(runs / GAMES_PER_WORKER))
    pieces = chunks(seed, runs, workers)
    workers = min(workers, len(pieces))
    if workers <= 1:
        player = Player(rules, policy, script, trace, want_json)
        for start, count in pieces:
            yield player.chunk(start, count)
        return
    yield from ordered_map(_play_chunk, pieces, workers, _init_worker,
                           (rules.loaded, policy, script, trace, want_json))


def ordered_map(fn: Callable[..., R], items: Sequence[tuple[Any, ...]], workers: int,
                initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = (),
                window: int = 4) -> Iterator[R]:
    """``fn(*item)`` for each item on a pool of processes; results in the items' order.

    At most ``window`` items per worker are in flight, so results that wait for an earlier one
    never pile up. Forked workers (where the system has fork) inherit the compiled scenario.
    """
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=initializer, initargs=initargs)
    try:
        it = iter(items)
        pending: deque[Future[R]] = deque(pool.submit(fn, *item) for item in islice(it, workers * window))
        while pending:
            result = pending.popleft().result()
            nxt = next(it, None)
            if nxt is not None:
                pending.append(pool.submit(fn, *nxt))
            yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------------- the summary
class Tally:
    """The summary of a batch, kept as the runs arrive: the same numbers as :func:`negotiation.sim.summarise`.

    It holds 8 bytes per game (the interest scores, for their median) and a few counters; the
    means are exact sums (what ``statistics.fmean`` computes), so the result does not depend on
    how the runs were chunked.
    """

    def __init__(self) -> None:
        self.interest = array.array("d")
        self.fidelity_sum = Fraction(0)
        self.decisions_sum = 0
        self.signed = 0
        self.endings: Counter[str] = Counter()

    def add(self, row: Row) -> None:
        """Count one run."""
        _, ending, signed_on, interest, fidelity, decisions, _ = row
        self.interest.append(interest)
        self.fidelity_sum += Fraction(fidelity)
        self.decisions_sum += decisions
        self.signed += 1 if signed_on else 0
        self.endings[ending] += 1

    def summary(self) -> dict[str, Any]:
        """Means, medians and ending counts, as ``summarise`` gives them."""
        n = len(self.interest)
        if not n:
            return {"games": 0}
        return {
            "games": n,
            "interest_mean": round(statistics.fmean(self.interest), 6),
            "interest_median": round(statistics.median(self.interest), 6),
            "interest_min": min(self.interest),
            "interest_max": max(self.interest),
            "fidelity_mean": round(float(self.fidelity_sum) / n, 6),
            "signed": self.signed,
            "endings": dict(sorted(self.endings.items())),
            "decisions_mean": round(float(self.decisions_sum) / n, 6),
        }


# ---------------------------------------------------------------------- the report, streamed
SEPARATOR = ",\n  "  # between two runs of the report's list, as json.dumps(indent=1) writes it
_RUNS = "\u2063runs\u2063"  # a placeholder where the runs go; no key or value of a report can hold it


def record_text(record: dict[str, Any]) -> str:
    """One run as it stands in the report (canonical JSON, indented for its place in the list)."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False, indent=1).replace("\n", "\n  ")


def frame(fields: dict[str, Any]) -> tuple[str, str]:
    """The report's text before and after its runs, for the other fields (``runs`` aside)."""
    text = json.dumps({**fields, "runs": [_RUNS]}, sort_keys=True, ensure_ascii=False, indent=1) + "\n"
    head, tail = text.split(json.dumps(_RUNS, ensure_ascii=False))
    return head, tail


class ReportWriter:
    """Writes a report as its runs arrive, byte for byte what ``report_bytes`` gives for the whole report.

    The fields before ``runs`` in key order (``meters``, ``policy``) are written first; the summary
    and the rest, which sort after it, when the batch is done.
    """

    def __init__(self, out: IO[bytes], fields: dict[str, Any]) -> None:
        self.out = out
        self.fields = fields
        self.head, _ = frame({**fields, "summary": {}})
        self.first = True
        out.write(self.head.encode("utf-8"))

    def add(self, text: str) -> None:
        """Append runs (one record's text, or several joined by SEPARATOR)."""
        if not text:
            return
        if not self.first:
            self.out.write(SEPARATOR.encode("utf-8"))
        self.out.write(text.encode("utf-8"))
        self.first = False

    def finish(self, summary: dict[str, Any]) -> None:
        """Write the summary and the closing fields."""
        head, tail = frame({**self.fields, "summary": summary})
        assert head == self.head, "a field that sorts before 'runs' changed during the batch"
        self.out.write(tail.encode("utf-8"))


@contextmanager
def open_output(path: str | Path) -> Iterator[IO[bytes]]:
    """A file to write a report into: written to a temporary file beside it, then moved into place.

    ``-`` is standard output. If the block fails, the target is left as it was.
    """
    if str(path) == "-":
        import sys

        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(21, "is a folder, not a file", str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, _new_file_mode(target))  # mkstemp makes it private; a report is meant to be shared
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _new_file_mode(target: Path) -> int:
    """The mode of the file being replaced, or what the umask gives a new file."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask


@contextmanager
def open_text_output(path: str | Path) -> Iterator[IO[str]]:
    """:func:`open_output` for text (UTF-8, newlines as written)."""
    import io

    with open_output(path) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=True)
        try:
            yield text
            text.flush()
        finally:
            text.detach()  # the binary file stays open_output's to close and move into place


def run_report(loaded: LoadedScenario | Rules, policy: str, runs: int, seed: int = 0,
               script: str | Path | None = None, workers: int = 1, trace: bool = False,
               json_out: IO[bytes] | None = None, csv_out: IO[str] | None = None,
               progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Play a batch, streaming the report to ``json_out`` and the per-run table to ``csv_out``.

    The JSON is byte for byte ``report_bytes(simulate(...))``; only the summary's numbers are kept
    in memory. Return the report without its runs. ``progress`` is called with the games done.
    """
    import csv

    rules = loaded if isinstance(loaded, Rules) else rules_for(loaded)
    fields: dict[str, Any] = {"scenario": rules.scenario.scenario.id, "policy": policy, "seed": seed}
    if trace:
        fields["meters"] = list(rules.visible)
    writer = ReportWriter(json_out, fields) if json_out is not None else None
    table = csv.writer(csv_out, lineterminator="\n") if csv_out is not None else None
    if table is not None:
        table.writerow(csv_header(sorted(rules.articles)))
    tally = Tally()
    done = 0
    for chunk in play_batch(rules, policy, runs, seed, script, workers, trace, want_json=writer is not None):
        if writer is not None:
            writer.add(chunk.json)
        for row in chunk.rows:
            tally.add(row)
            if table is not None:
                table.writerow(csv_cells(row))
        done += len(chunk.rows)
        if progress is not None:
            progress(done)
    summary = tally.summary()
    if writer is not None:
        writer.finish(summary)
    return {**fields, "summary": summary}


def csv_header(article_ids: Iterable[str]) -> list[str]:
    """The columns of the per-run table (CSV and data frame)."""
    return ["seed", "ending", "signed_on", "interest", "fidelity", "decisions",
            *(f"article.{a}" for a in article_ids)]


def csv_cells(row: Row) -> list[Any]:
    """A row of the per-run table."""
    seed, ending, signed_on, interest, fidelity, decisions, terms = row
    return [seed, ending, signed_on or "", interest, fidelity, decisions, *terms]


__all__ = ["Chunk", "Player", "ReportWriter", "Row", "Tally", "available_cores", "chunks", "csv_cells",
           "csv_header", "frame", "open_output", "open_text_output", "ordered_map", "play_batch", "record_text",
           "run_report"]
