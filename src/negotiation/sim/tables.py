"""Reports as tables: rows for CSV files and pandas data frames (pandas is optional, imported on use)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from negotiation.errors import NegotiationError

RUN_COLUMNS = ("seed", "ending", "signed_on", "interest", "fidelity", "decisions")


def read_report(source: Any) -> dict[str, Any]:
    """A report given as a dict or as the path of its JSON file."""
    if isinstance(source, dict):
        return source
    path = Path(source)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise NegotiationError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise NegotiationError(f"{path}: not a JSON report: {exc}") from None
    if not isinstance(data, dict) or not ("runs" in data or "points" in data):
        raise NegotiationError(f"{path}: not a report of 'negotiation simulate' or 'negotiation sweep'")
    return data


def run_rows(report: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The per-run table of a ``simulate`` report: columns and rows (articles by id)."""
    runs = report.get("runs", [])
    articles = sorted({a for r in runs for a in r.get("articles", {})})
    columns = [*RUN_COLUMNS, *(f"article.{a}" for a in articles)]
    rows = []
    for r in runs:
        terms = r.get("articles", {})
        rows.append([*(r.get(c) for c in RUN_COLUMNS), *(terms.get(a, {}).get("position") for a in articles)])
    return columns, rows


def rows_of(report: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The table of a report: per run (simulate) or per point (sweep)."""
    if "points" in report:
        from negotiation.sim.sweep import point_rows

        return point_rows(report)
    return run_rows(report)


def to_dataframe(source: Any) -> Any:
    """A pandas DataFrame of a report (see :func:`negotiation.sim.to_dataframe`)."""
    try:
        import pandas as pd
    except ImportError:
        raise NegotiationError("to_dataframe needs pandas: pip install 'negotiation[pandas]'") from None
    columns, rows = rows_of(read_report(source))
    frame = pd.DataFrame(rows, columns=columns)
    if "signed_on" in frame.columns:
        frame["signed_on"] = pd.to_datetime(frame["signed_on"])
    return frame


__all__ = ["RUN_COLUMNS", "read_report", "rows_of", "run_rows", "to_dataframe"]
