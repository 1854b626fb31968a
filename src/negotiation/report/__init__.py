"""Reports people look at: plots of a ``simulate`` or ``sweep`` result, on one self-contained HTML page.

The plots are drawn with matplotlib's object API on the Agg canvas (no window, no global state),
written as PNG files beside the page and inlined in it as data URIs, so that the page can be
mailed on its own. matplotlib is an optional extra (``pip install 'negotiation[report]'``),
imported only here.

For a batch of runs: the interest scores against the historical line (0), the endings, each
article's rungs against history, and the meters over time (from the runs' traces, recorded with
``simulate --trace``, or else from replaying the first runs from their seeds). For a sweep: the
outcome against the varied parameters (a line for one parameter, heat maps for two or more), the
endings along the grid, and each article against history.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import itertools
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from negotiation.engine.game import UNSIGNED, Game
from negotiation.engine.rules import Rules
from negotiation.errors import NegotiationError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

HISTORY = "#c0392b"  # history, everywhere: the 0 line, the historical rung, the historical ending
MAIN = "#2c5d8f"
LIGHT = "#9db8d3"
GREY = "#8a8a8a"
DPI = 90
ENDING_COLOURS = ["#2c5d8f", "#5f9e6e", "#d8a03d", "#8e5ea2", "#c0392b", "#5b5b5b", "#3aa6a6", "#b87333"]


@dataclass
class Plot:
    """One figure of the report."""

    name: str
    title: str
    caption: str
    figure: Figure


def _mpl() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise NegotiationError("reports need matplotlib: pip install 'negotiation[report]'") from None
    matplotlib.rcParams.update({"font.size": 9, "axes.titlesize": 10, "axes.spines.top": False,
                                "axes.spines.right": False, "svg.hashsalt": "negotiation"})
    return matplotlib


def _figure(width: float, height: float) -> Figure:
    _mpl()
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=DPI, layout="constrained")


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _year(rules: Rules) -> str:
    s = rules.scenario
    return str(s.history.signed_on.year) if s.history.signed_on else "history"


# ---------------------------------------------------------------------- a batch of runs
def interest_plot(runs: Sequence[dict[str, Any]], rules: Rules, policy: str) -> Plot:
    """The distribution of interest scores, with history at 0."""
    values = [float(r["interest"]) for r in runs]
    fig = _figure(7.5, 3.4)
    ax = fig.add_subplot()
    lo, hi = min([*values, 0.0]), max([*values, 0.0])
    span = max(hi - lo, 1.0)
    width = span / 60  # bars of a fixed width, centred on the scores (which take few distinct values)
    counts = Counter(round(v / width) for v in values)
    ax.bar([k * width for k in counts], list(counts.values()), width=width * 0.9, color=MAIN)
    ranked = sorted(counts.values(), reverse=True)
    if len(ranked) > 1 and ranked[0] > 20 * ranked[1]:  # one score dominates: a log scale shows the others
        ax.set_yscale("log")
        ax.set_ylabel("games (log scale)")
    else:
        ax.set_ylabel("games")
    year = _year(rules)
    ax.axvline(0, color=HISTORY, linestyle="--", linewidth=1.5, label=f"the {year} treaty (0)")
    mean = statistics.fmean(values)
    ax.axvline(mean, color="black", linestyle=":", linewidth=1.2, label=f"mean {mean:+.1f}")
    pad = max(2.0, span * 0.05)
    ax.set_xlim(lo - pad, hi + pad)
    side = next((s.name for s in rules.scenario.sides if s.id == rules.player_side), "the player")
    ax.set_xlabel(f"interest score (0 = the {year} treaty; above 0 better for {side})")
    ax.legend(frameon=True, framealpha=0.9, edgecolor="none", loc="best")
    ax.set_title(f"Interest over {len(values):,} games, policy {policy}")
    better = sum(1 for v in values if v > 0) / len(values)
    return Plot("interest", "Interest against history",
                f"Mean {mean:+.2f}, median {statistics.median(values):+.2f}; {better:.0%} of the games end "
                f"better than the {year} treaty.", fig)


def endings_plot(counts: Counter[str], rules: Rules, note: str = "") -> Plot:
    """How the games ended, the historical ending marked."""
    endings = [e for e in rules.scenario.endings]
    names = [f"{_short(e.title, 38)}{'  (history)' if e.id == rules.scenario.history.ending else ''}"
             for e in endings]
    total = sum(counts.values()) or 1
    fig = _figure(7.5, 0.45 * len(endings) + 1.0)
    ax = fig.add_subplot()
    ys = list(range(len(endings)))[::-1]
    colours = [HISTORY if e.id == rules.scenario.history.ending else MAIN for e in endings]
    values = [counts.get(e.id, 0) for e in endings]
    ax.barh(ys, values, color=colours)
    ax.set_yticks(ys, names)
    for y, v in zip(ys, values, strict=True):
        ax.text(v, y, f"  {v:,} ({v / total:.0%})", va="center", fontsize=8)
    ax.set_xlim(0, max([*values, 1]) * 1.25)
    ax.set_xlabel("games")
    ax.set_title(f"Endings of {total:,} games")
    return Plot("endings", "Endings", note or "How the games ended; the ending history took is in red.", fig)


def articles_plot(runs: Sequence[dict[str, Any]], rules: Rules) -> Plot:
    """Each article's rungs reached, against the historical rung."""
    arts = list(rules.articles.values())
    ncols = 3 if len(arts) > 4 else max(1, len(arts))
    nrows = -(-len(arts) // ncols)
    rows_per = max(len(a.ids) + (1 if a.model.unsigned is not None else 0) for a in arts)
    fig = _figure(13.5, nrows * (0.25 * rows_per + 0.8) + 0.4)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    n = len(runs) or 1
    year = _year(rules)
    for i, art in enumerate(arts):
        ax: Axes = axes[i // ncols][i % ncols]
        counts = Counter(r["articles"][art.model.id]["position"] for r in runs if art.model.id in r["articles"])
        ids = list(art.ids) + ([UNSIGNED] if art.model.unsigned is not None else [])
        labels = [_short(p.label, 36) for p in art.model.positions]
        if art.model.unsigned is not None:
            label = art.model.unsigned.label
            labels.append(_short(label if label.lower().startswith("no treaty") else f"(no treaty) {label}", 36))
        ys = list(range(len(ids)))[::-1]
        shares = [counts.get(pid, 0) / n for pid in ids]
        colours = [HISTORY if j == art.historical else (GREY if pid == UNSIGNED else MAIN)
                   for j, pid in enumerate(ids)]
        hist_y = ys[art.historical]
        ax.axhspan(hist_y - 0.5, hist_y + 0.5, color=HISTORY, alpha=0.08, linewidth=0)
        ax.barh(ys, shares, color=colours, height=0.7)
        for y, share in zip(ys, shares, strict=True):
            if share <= 0:
                continue
            text = f"{share:.0%}" if share >= 0.01 else "<1%"
            if share > 0.85:  # inside the bar's end
                ax.text(share - 0.01, y, text, va="center", ha="right", fontsize=7, color="white")
            else:
                ax.text(share + 0.01, y, text, va="center", fontsize=7)
        ax.set_yticks(ys, labels, fontsize=7)
        ticks = ax.get_yticklabels()
        ticks[art.historical].set_color(HISTORY)
        ticks[art.historical].set_fontweight("bold")
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.6, len(ids) - 0.4)
        ax.xaxis.set_major_formatter(_percent())
        ax.tick_params(axis="x", labelsize=7)
        ax.set_title(_short(art.model.title, 44), loc="left")
    for j in range(len(arts), nrows * ncols):
        axes[j // ncols][j % ncols].set_visible(False)
    fig.suptitle(f"Where each article ended, in {len(runs):,} games (the player's best rung at the top; "
                 f"the rung of {year} in red)", fontsize=10)
    return Plot("articles", "Articles against history",
                f"For each article, the share of games that left it at each rung; the rung of {year} is red (its "
                "band is shaded even when no game reached it), the term that stands without a treaty grey.", fig)


def _percent() -> Any:
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(1.0, decimals=0)


def meters_plot(traces: Sequence[Sequence[Sequence[Any]]], rules: Rules, source: str) -> Plot | None:
    """The visible meters over the calendar across runs: median and 10-90% band, history dashed."""
    visible = list(rules.visible)
    if not visible or not traces:
        return None
    import numpy as np

    variables = {v.id: v for v in rules.scenario.variables}
    start = rules.start
    initial = [variables[k].initial for k in visible]
    history = Game(rules, 0)
    while not history.is_over():
        legal = history.legal_actions()
        hist = history.historical_action()
        history.apply(next((a for a in legal if a.id == hist), legal[0]))
    hist_trace = [[t, dt.date.fromordinal(d).isoformat(), list(v)] for t, d, v in history.state.trace]
    last = max([_last_day(t, start) for t in [*traces, hist_trace]])
    days = np.arange(start, last + 1)
    grid = np.stack([_steps(t, start, days, initial, len(visible)) for t in traces])  # runs x days x meters
    hist_grid = _steps(hist_trace, start, days, initial, len(visible), to_the_end=True)
    ncols = 2 if len(visible) > 1 else 1
    nrows = -(-len(visible) // ncols)
    fig = _figure(11, 2.6 * nrows + 0.6)
    axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True)
    dates = [dt.date.fromordinal(int(d)) for d in days]
    in_play = np.sum(~np.isnan(grid[:, :, 0]), axis=0)
    keep = in_play >= max(5, 0.02 * len(traces))  # where enough games are still going to draw a band
    year = _year(rules)
    for i, k in enumerate(visible):
        ax = axes[i // ncols][i % ncols]
        values = grid[:, :, i]
        with np.errstate(all="ignore"):
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                lo, med, hi = np.nanpercentile(values, [10, 50, 90], axis=0)
        lo, med, hi = (np.where(keep, x, np.nan) for x in (lo, med, hi))
        ax.fill_between(dates, lo, hi, color=LIGHT, alpha=0.6, linewidth=0, label="10–90% of games in play")
        ax.plot(dates, med, color=MAIN, linewidth=1.6, label="median")
        ax.plot(dates, hist_grid[:, i], color=HISTORY, linestyle="--", linewidth=1.2, label=f"history ({year})")
        v = variables[k]
        ax.set_ylim(v.min, v.max)
        ax.set_title(v.label, loc="left")
        if i == 0:
            ax.legend(frameon=False, fontsize=7, loc="best")
    for j in range(len(visible), nrows * ncols):
        axes[j // ncols][j % ncols].set_visible(False)
    from matplotlib.dates import ConciseDateFormatter, MonthLocator, WeekdayLocator

    for row in axes:
        for ax in row:
            ax.xaxis.set_major_locator(MonthLocator())
            ax.xaxis.set_minor_locator(WeekdayLocator(byweekday=0))
            ax.xaxis.set_major_formatter(ConciseDateFormatter(ax.xaxis.get_major_locator()))
    fig.suptitle(f"The meters over the calendar across {len(traces):,} games", fontsize=10)
    return Plot("meters", "Meters over time",
                f"Median and 10–90% band of the games still in play on each day ({source}); the dashed line is "
                "the historical path.", fig)


def _last_day(trace: Sequence[Sequence[Any]], start: int) -> int:
    return max([start, *(dt.date.fromisoformat(str(d)).toordinal() for _, d, _ in trace)])


def _steps(trace: Sequence[Sequence[Any]], start: int, days: Any, initial: list[float], n: int,
           to_the_end: bool = False) -> Any:
    """A run's meters on each day: the last value recorded by then, while the game is in play.

    The day of its last move (the day it ended) is left out, unless ``to_the_end``: a game's final
    blow (a recall, a break) is how it ended, not where the games in play stood that day.
    """
    import numpy as np

    out = np.full((len(days), n), np.nan)
    value = list(initial)
    day = start
    for _, d, v in trace:
        d2 = dt.date.fromisoformat(str(d)).toordinal()
        out[(days >= day) & (days < d2)] = value
        value, day = list(v), d2
    if to_the_end:
        out[days == day] = value
    return out


def run_plots(results: dict[str, Any], rules: Rules, replays: int = 100,
              progress: Callable[[int], None] | None = None) -> tuple[list[Plot], list[str]]:
    """The plots of a ``simulate`` result, and notes on what could not be drawn."""
    runs = results["runs"]
    notes: list[str] = []
    plots = [interest_plot(runs, rules, results.get("policy", "?")),
             endings_plot(Counter(r["ending"] for r in runs), rules),
             articles_plot(runs, rules)]
    traces = [r["trace"] for r in runs if "trace" in r]
    source = "recorded with --trace"
    if not traces and replays > 0:
        traces, why = _replayed_traces(results, rules, replays, progress=progress)
        source = f"the first {len(traces):,} runs replayed from their seeds"
        if why:
            notes.append(why)
    meters = meters_plot(traces, rules, source) if traces else None
    if meters is not None:
        plots.append(meters)
    elif rules.visible and not notes:
        notes.append("The meters over time need traces: run simulate with --trace, or report with --replays N.")
    return plots, notes


def _replayed_traces(results: dict[str, Any], rules: Rules, replays: int, workers: int = 0,
                     progress: Callable[[int], None] | None = None) -> tuple[list[Any], str]:
    """Replay the first runs from their seeds with the same policy, checking each ends as recorded."""
    import json

    from negotiation.actors.policies import policy_factory
    from negotiation.sim.batch import available_cores, play_batch

    policy = str(results.get("policy", ""))
    if policy == "scripted":
        return [], "The meters over time are not drawn: a scripted batch cannot be replayed without its script " \
                   "(run simulate with --trace)."
    try:
        policy_factory(policy)
    except NegotiationError as exc:
        return [], f"The meters over time are not drawn: the policy cannot be made here ({exc})."
    runs = results["runs"][:replays]
    seed = int(results.get("seed", runs[0]["seed"] if runs else 0))
    if [int(r["seed"]) for r in runs] != list(range(seed, seed + len(runs))):
        return [], "The meters over time are not drawn: the runs' seeds are not those of one batch."
    out: list[Any] = []
    for chunk in play_batch(rules, policy, len(runs), seed, workers=workers or available_cores(), trace=True):
        for rec in json.loads(f"[{chunk.json}]"):
            run = runs[len(out)]
            if rec["ending"] != run["ending"] or rec["interest"] != run["interest"]:
                return [], ("The meters over time are not drawn: replaying the runs does not give the recorded "
                            "games (the scenario has changed since?); run simulate with --trace.")
            out.append(rec["trace"])
        if progress is not None:
            progress(len(out))
    return out, ""


# ---------------------------------------------------------------------- a sweep
def _axis_values(values: Sequence[Any]) -> list[Any]:
    return [dt.date.fromisoformat(v) if isinstance(v, str) else v for v in values]


def sweep_plots(results: dict[str, Any], rules: Rules | None) -> list[Plot]:
    """The plots of a sweep: the outcome against the varied parameters, the endings, the articles."""
    vary = results["vary"]
    points = results["points"]
    if len(vary) == 1:
        plots = [_sweep_line(results), _sweep_endings(results, rules)]
    else:
        plots = [_sweep_heat(results, "interest_mean", "mean interest", diverging=True),
                 _sweep_heat(results, "signed_share", "share of games signed", diverging=False)]
    if results.get("articles") and len(points) <= 60:
        plots.append(_sweep_articles(results, rules))
    return plots


def _sweep_line(results: dict[str, Any]) -> Plot:
    v = results["vary"][0]
    points = results["points"]
    xs = _axis_values([p["values"][v["path"]] for p in points])
    mean = [p["summary"]["interest_mean"] for p in points]
    q1 = [p["interest_quartiles"][0] for p in points]
    q3 = [p["interest_quartiles"][2] for p in points]
    signed = [p["summary"]["signed"] / p["summary"]["games"] for p in points]
    fig = _figure(7.5, 4.6)
    ax, ax2 = fig.subplots(2, 1, sharex=True, height_ratios=[2, 1])
    ax.fill_between(xs, q1, q3, color=LIGHT, alpha=0.7, linewidth=0, label="middle half of the games")
    ax.plot(xs, mean, color=MAIN, marker="o", markersize=4, label="mean")
    ax.plot(xs, [p["summary"]["interest_median"] for p in points], color=MAIN, linestyle=":", linewidth=1.2,
            label="median")
    ax.axhline(0, color=HISTORY, linestyle="--", linewidth=1.2, label="history (0)")
    if v.get("base") is not None:
        base = _axis_values([v["base"]])[0]
        ax.axvline(base, color=GREY, linestyle=":", linewidth=1)
        ax2.axvline(base, color=GREY, linestyle=":", linewidth=1)
        ax2.annotate("the scenario's value", (base, 0), xycoords=("data", "axes fraction"), fontsize=7,
                     color=GREY, ha="left", va="bottom", xytext=(3, 2), textcoords="offset points")
    ax.set_ylabel("interest score")
    ax.legend(frameon=True, framealpha=0.9, edgecolor="none", fontsize=7, loc="best")
    fig.suptitle(f"The outcome against {v['path']}\n{results['runs_per_point']:,} games a point, policy "
                 f"{_short(str(results['policy']), 40)}", fontsize=10)
    ax2.plot(xs, signed, color=MAIN, marker="o", markersize=4)
    ax2.set_ylim(0, 1)
    ax2.yaxis.set_major_formatter(_percent())
    ax2.set_ylabel("signed")
    ax2.set_xlabel(v["path"])
    return Plot("sweep", "Outcome against the parameter",
                "Mean interest (0 = history) with the middle half of the games, and the share of games that end "
                "in a signed treaty, at each value.", fig)


def _sweep_endings(results: dict[str, Any], rules: Rules | None) -> Plot:
    v = results["vary"][0]
    points = results["points"]
    labels = [_show(p["values"][v["path"]]) for p in points]
    endings = list(results.get("endings") or sorted({e for p in points for e in p["summary"]["endings"]}))
    titles = {e.id: e.title for e in rules.scenario.endings} if rules is not None else {}
    fig = _figure(7.5, 3.2)
    ax = fig.add_subplot()
    bottom = [0.0] * len(points)
    xs = list(range(len(points)))
    for i, e in enumerate(endings):
        share = [p["summary"]["endings"].get(e, 0) / p["summary"]["games"] for p in points]
        if not any(share):
            continue
        ax.bar(xs, share, bottom=bottom, color=ENDING_COLOURS[i % len(ENDING_COLOURS)],
               label=_short(titles.get(e, e), 40))
        bottom = [b + s for b, s in zip(bottom, share, strict=True)]
    ax.set_xticks(xs, labels, rotation=45 if max(len(x) for x in labels) > 5 else 0, ha="right"
                  if max(len(x) for x in labels) > 5 else "center", fontsize=7)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(_percent())
    ax.set_xlabel(v["path"])
    ax.legend(frameon=False, fontsize=7, bbox_to_anchor=(1.01, 1), loc="upper left")
    ax.set_title("Endings at each value")
    return Plot("endings", "Endings along the grid", "The share of games ending each way at each value.", fig)


def _grid_2d(results: dict[str, Any], metric: str, fixed: dict[str, Any]) -> tuple[list[Any], list[Any], Any]:
    import numpy as np

    vx, vy = results["vary"][0], results["vary"][1]
    xs, ys = vx["values"], vy["values"]
    grid = np.full((len(ys), len(xs)), np.nan)
    for p in results["points"]:
        if any(p["values"][k] != x for k, x in fixed.items()):
            continue
        s = p["summary"]
        value = s["signed"] / s["games"] if metric == "signed_share" else s[metric]
        grid[ys.index(p["values"][vy["path"]]), xs.index(p["values"][vx["path"]])] = value
    return xs, ys, grid


def _sweep_heat(results: dict[str, Any], metric: str, label: str, diverging: bool) -> Plot:
    import numpy as np
    from matplotlib.colors import TwoSlopeNorm

    vary = results["vary"]
    rest = vary[2:]
    combos = list(itertools.product(*(v["values"] for v in rest)))[:9]
    ncols = min(3, len(combos))
    nrows = -(-len(combos) // ncols)
    xs, ys = vary[0]["values"], vary[1]["values"]
    cell = 0.55 if len(xs) <= 10 else 0.35
    fig = _figure(max(7.0, ncols * (len(xs) * cell + 2.2)), max(3.6, nrows * (len(ys) * cell + 1.4) + 0.6))
    axes = fig.subplots(nrows, ncols, squeeze=False)
    grids = [_grid_2d(results, metric, {v["path"]: c for v, c in zip(rest, combo, strict=True)})[2]
             for combo in combos]
    finite = np.concatenate([g[np.isfinite(g)] for g in grids]) if grids else np.array([0.0])
    if diverging:
        span = max(1e-6, float(np.max(np.abs(finite))) if finite.size else 1.0)
        norm: Any = TwoSlopeNorm(vcenter=0.0, vmin=-span, vmax=span)
        cmap = "RdBu"
    else:
        from matplotlib.colors import Normalize

        norm, cmap = Normalize(0, 1), "Blues"
    image = None
    for i, (combo, grid) in enumerate(zip(combos, grids, strict=True)):
        ax = axes[i // ncols][i % ncols]
        image = ax.imshow(grid, origin="lower", cmap=cmap, norm=norm, aspect="auto")
        ax.set_xticks(range(len(xs)), [_show(x) for x in xs], fontsize=7, rotation=45 if len(xs) > 6 else 0)
        ax.set_yticks(range(len(ys)), [_show(y) for y in ys], fontsize=7)
        ax.set_xlabel(vary[0]["path"], fontsize=8)
        ax.set_ylabel(vary[1]["path"], fontsize=8)
        if rest:
            ax.set_title(", ".join(f"{v['path'].rsplit('.', 1)[-1]}={_show(c)}" for v, c in zip(rest, combo,
                                                                                                 strict=True)),
                         fontsize=8)
        if len(xs) * len(ys) <= 144:
            for (yi, xi), value in np.ndenumerate(grid):
                if np.isfinite(value):
                    text = _signed(value) if diverging else f"{value:.0%}"
                    dark = abs(norm(value) - 0.5) > 0.3 if diverging else norm(value) > 0.6
                    ax.text(xi, yi, text, ha="center", va="center", fontsize=7, color="white" if dark else "black")
    for j in range(len(combos), nrows * ncols):
        axes[j // ncols][j % ncols].set_visible(False)
    if image is not None:
        fig.colorbar(image, ax=axes, shrink=0.8, label=label)
    more = " (the first nine combinations of the other parameters)" if len(vary) > 2 and len(
        list(itertools.product(*(v["values"] for v in rest)))) > 9 else ""
    name = "sweep" if metric == "interest_mean" else "signed"
    what = "mean interest (red below history, blue above)" if diverging else "share of games that sign a treaty"
    fig.suptitle(f"{label.capitalize()} at each point of the grid\n{results['runs_per_point']:,} games a point, "
                 f"policy {_short(str(results['policy']), 40)}", fontsize=10)
    return Plot(name, label.capitalize(), f"The {what} at each point of the grid{more}.", fig)


def _sweep_articles(results: dict[str, Any], rules: Rules | None) -> Plot:
    """Articles x points: the mean number of rungs better (+) or worse (-) than history, signed terms only."""
    import numpy as np
    from matplotlib.colors import TwoSlopeNorm

    articles = results["articles"]
    points = results["points"]
    paths = [v["path"] for v in results["vary"]]
    grid = np.full((len(articles), len(points)), np.nan)
    for j, p in enumerate(points):
        for i, (a, info) in enumerate(articles.items()):
            ladder = [x for x in info["positions"] if x != UNSIGNED]
            hist = ladder.index(info["historical"])
            counts = {pos: c for pos, c in p["articles"].get(a, {}).items() if pos in ladder}
            n = sum(counts.values())
            if n:
                grid[i, j] = sum((hist - ladder.index(pos)) * c for pos, c in counts.items()) / n
    fig = _figure(max(7.5, 0.55 * len(points) + 4.0), 0.42 * len(articles) + 1.8)
    ax = fig.add_subplot()
    names = [_short(rules.articles[a].model.title, 30) if rules is not None and a in rules.articles else a
             for a in articles]
    span = float(np.nanmax(np.abs(grid))) if np.isfinite(grid).any() else 1.0
    norm = TwoSlopeNorm(vcenter=0.0, vmin=-max(span, 0.5), vmax=max(span, 0.5))
    image = ax.imshow(grid, cmap="RdBu", norm=norm, aspect="auto")
    ax.set_yticks(range(len(articles)), names, fontsize=8)
    labels = [", ".join(_show(p["values"][k]) for k in paths) for p in points]
    ax.set_xticks(range(len(points)), labels, fontsize=7, rotation=45 if len(points) > 6 else 0,
                  ha="right" if len(points) > 6 else "center")
    ax.set_xlabel(" / ".join(paths), fontsize=8)
    if grid.size <= 400:
        for (i, j), value in np.ndenumerate(grid):
            if np.isfinite(value):
                ax.text(j, i, _signed(value), ha="center", va="center", fontsize=6,
                        color="white" if abs(norm(value) - 0.5) > 0.3 else "black")
            else:
                ax.text(j, i, "·", ha="center", va="center", fontsize=7, color=GREY)
    fig.colorbar(image, ax=ax, shrink=0.8, label="rungs from history (+ better)")
    ax.set_title("Each article: mean rungs better (+) or worse (−) than history,\nin the games that signed a "
                 "treaty", fontsize=10)
    return Plot("articles", "Articles along the grid",
                "Blue: the article ends better for the player than in history, on average over the games that "
                "signed; red: worse; a dot: no game signed there.", fig)


def _signed(x: float) -> str:
    text = f"{x:+.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else text


def _show(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:g}"
    return str(x)


# ---------------------------------------------------------------------- the page
def png_bytes(plot: Plot) -> bytes:
    """The plot as PNG, in 256 colours (a third of the size; the same plot gives the same bytes)."""
    from PIL import Image  # Pillow comes with matplotlib

    buf = io.BytesIO()
    plot.figure.savefig(buf, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white")
    buf.seek(0)
    with Image.open(buf) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()


def plots_for(results: dict[str, Any], rules: Rules | None, replays: int = 100,
              progress: Callable[[int], None] | None = None) -> tuple[list[Plot], list[str]]:
    """Every plot of a result, and notes on what could not be drawn (``progress``: runs replayed)."""
    if "points" in results:
        return sweep_plots(results, rules), []
    if rules is None:
        raise NegotiationError("a report of runs needs the scenario")
    return run_plots(results, rules, replays, progress)


def check_matches(results: dict[str, Any], rules: Rules) -> None:
    """Raise if the results name articles or positions the scenario does not have."""
    arts = rules.articles
    runs = results.get("runs") or []
    for run in runs[:50]:
        for a, term in run.get("articles", {}).items():
            if a not in arts or (term["position"] not in arts[a].ids and term["position"] != UNSIGNED):
                raise NegotiationError(f"the results name {a}: {term['position']}, which the scenario "
                                       f"'{rules.scenario.scenario.id}' does not have; give the scenario they "
                                       "were run on with --scenario FILE")


def write_report(results: dict[str, Any], rules: Rules | None, output: str | Path, replays: int = 100,
                 source: str = "", progress: Callable[[int], None] | None = None) -> list[Path]:
    """Write the HTML page and a PNG per plot beside it; return the files written."""
    from negotiation.sim.batch import open_output

    out = Path(output)
    if rules is not None and "points" not in results:
        check_matches(results, rules)
    plots, notes = plots_for(results, rules, replays, progress)
    written: list[Path] = []
    figures = []
    for plot in plots:
        data = png_bytes(plot)
        png = out.with_name(f"{out.stem}-{plot.name}.png")
        with open_output(png) as fh:
            fh.write(data)
        written.append(png)
        figures.append((plot, data, png.name))
    page = _page(results, rules, figures, notes, source)
    with open_output(out) as fh:
        fh.write(page.encode("utf-8"))
    return [out, *written]


def _page(results: dict[str, Any], rules: Rules | None, figures: list[tuple[Plot, bytes, str]], notes: list[str],
          source: str) -> str:
    e = html.escape
    scenario = rules.scenario.scenario.title if rules is not None else results.get("scenario", "")
    sweep = "points" in results
    kind = "Sweep" if sweep else "Simulation"
    head = [f"<h1>{e(kind)}: {e(scenario)}</h1>",
            f"<p class=meta>Scenario <code>{e(str(results.get('scenario')))}</code> · policy "
            f"<code>{e(str(results.get('policy')))}</code> · first seed {e(str(results.get('seed')))}"
            + (f" · from <code>{e(source)}</code>" if source else "") + "</p>"]
    body = [_sweep_table(results) if sweep else _summary_table(results, rules)]
    for note in notes:
        body.append(f"<p class=note>{e(note)}</p>")
    for plot, data, name in figures:
        uri = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
        body.append(f"<figure id='{e(plot.name)}'><h2>{e(plot.title)}</h2><img src='{uri}' alt='{e(plot.title)}'>"
                    f"<figcaption>{e(plot.caption)} <a href='{e(name)}'>{e(name)}</a></figcaption></figure>")
    style = ("body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
             "h1{font-size:1.5em}h2{font-size:1.1em;margin:1.6em 0 .4em}.meta{color:#555}"
             "table{border-collapse:collapse;font-size:.9em}td,th{padding:.2em .7em;border-bottom:1px solid #ddd;"
             "text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}"
             "img{max-width:100%;height:auto}figcaption{color:#555;font-size:.9em}.note{color:#8a4b00}")
    return ("<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
            f"<title>{e(kind)}: {e(scenario)}</title><style>{style}</style></head><body>\n"
            + "\n".join(head + body) + "\n</body></html>\n")


def _summary_table(results: dict[str, Any], rules: Rules | None) -> str:
    s = results["summary"]
    e = html.escape
    titles = {x.id: x.title for x in rules.scenario.endings} if rules is not None else {}
    rows = [("Games", f"{s['games']:,}"), ("Interest, mean", f"{s['interest_mean']:+.2f}"),
            ("Interest, median", f"{s['interest_median']:+.2f}"),
            ("Interest, min … max", f"{s['interest_min']:+.2f} … {s['interest_max']:+.2f}"),
            ("Fidelity, mean", f"{s['fidelity_mean']:.1%}"), ("Signed", f"{s['signed'] / s['games']:.0%}")]
    rows += [(f"Ending: {titles.get(k, k)}", f"{v:,}") for k, v in s["endings"].items()]
    return "<table>" + "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows) + "</table>"


def _sweep_table(results: dict[str, Any]) -> str:
    e = html.escape
    paths = [v["path"] for v in results["vary"]]
    head = "".join(f"<th>{e(p)}</th>" for p in paths) + \
        "<th>interest</th><th>median</th><th>fidelity</th><th>signed</th><th>most common ending</th>"
    rows = []
    for p in results["points"]:
        s = p["summary"]
        common = max(s["endings"].items(), key=lambda kv: kv[1])
        rows.append("<tr>" + "".join(f"<td>{e(_show(p['values'][k]))}</td>" for k in paths)
                    + f"<td>{s['interest_mean']:+.2f}</td><td>{s['interest_median']:+.2f}</td>"
                    f"<td>{s['fidelity_mean']:.1%}</td><td>{s['signed'] / s['games']:.0%}</td>"
                    f"<td>{e(common[0])} ({common[1] / s['games']:.0%})</td></tr>")
    return (f"<p>{len(results['points'])} points × {results['runs_per_point']:,} games (the same seeds at every "
            "point).</p>"
            f"<table><tr>{head}</tr>{''.join(rows)}</table>")


__all__ = ["Plot", "articles_plot", "endings_plot", "interest_plot", "meters_plot", "plots_for", "png_bytes",
           "run_plots", "sweep_plots", "write_report"]
