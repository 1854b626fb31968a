"""Problems found in scenario files, for machines: JSON, and GitHub Actions annotations.

``negotiation validate --format json`` writes one JSON list, ``[]`` when every file is valid; each item is a
diagnostic::

    {"file": "my.yaml", "line": 12, "column": 5, "severity": "error",
     "field": "articles[0].positions", "message": "...", "hint": "..."}

``file`` is the path as given (a bundled id resolves to the file in the package), ``line`` and ``column``
count from 1, ``field`` is the path in the data ("" for the whole document), ``hint`` says how to fix it
("" if there is nothing to add). ``--format github`` writes one workflow command a problem,
``::error file=F,line=L,col=C,title=T::field: message (hint)``, which a GitHub Actions job shows as an
annotation on the line.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from negotiation.errors import Diagnostic
from negotiation.text import printable, show

if TYPE_CHECKING:
    from negotiation.scenario.lint import LintResult

SEVERITIES = ("error", "warning", "notice")  # GitHub's annotation levels


def diagnostic_dict(d: Diagnostic, severity: str = "error") -> dict[str, Any]:
    """One diagnostic as JSON-ready data (the fields the module docstring lists)."""
    return {"file": d.file, "line": d.line, "column": d.column, "severity": severity, "field": d.field,
            "message": d.message, "hint": d.hint}


def diagnostics_json(diagnostics: Iterable[Diagnostic]) -> str:
    """A JSON list of diagnostics (``[]`` when there are none), indented, keys sorted, ending in a newline."""
    return json.dumps([diagnostic_dict(d) for d in diagnostics], indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    """A workflow command's message: ``%``, CR and LF are escaped (GitHub's toolkit escapeData)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """A workflow command's property value: as a message, and ``:`` and ``,`` too (escapeProperty)."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _relative(path: str) -> str:
    """A path below the working folder made relative to it (GitHub attaches annotations to repository paths)."""
    p = Path(path)
    if p.is_absolute():
        try:
            return p.relative_to(Path(os.getcwd()).resolve()).as_posix()
        except ValueError:
            return path
    return p.as_posix()


def github_annotation(severity: str, file: str, line: int, column: int, text: str,
                      title: str = "negotiation") -> str:
    """One GitHub Actions workflow command: ``::error file=…,line=…,col=…,title=…::text``."""
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}, not {severity!r}")
    props = ",".join(f"{k}={_escape_property(str(v))}" for k, v in
                     (("file", printable(_relative(file))), ("line", line), ("col", column), ("title", title)))
    return f"::{severity} {props}::{_escape_data(text)}"


def diagnostic_github(d: Diagnostic, severity: str = "error", title: str = "negotiation validate") -> str:
    """A diagnostic as a GitHub annotation; control characters escaped and long parts cut as in text output."""
    where = show(d.field, 200) if d.field else "<document>"
    hint = f" ({show(d.hint, 600)})" if d.hint else ""
    return github_annotation(severity, d.file, d.line, d.column, f"{where}: {show(d.message, 1000)}{hint}", title)


def lint_github(results: Iterable[LintResult], strict: bool = False) -> str:
    """``negotiation lint --format github``: an annotation a finding (info as a notice), then the summary lines."""
    from negotiation.scenario.lint import render_text

    level = {"error": "error", "warning": "warning", "info": "notice"}
    results = list(results)
    lines = []
    for r in results:
        for f in r.findings:
            where = f"{show(f.field, 200)}: " if f.field else ""
            hint = f" ({show(f.hint, 600)})" if f.hint else ""
            lines.append(github_annotation(level[f.severity], f.file, f.line, f.column,
                                           f"{where}{show(f.message, 1000)}{hint}", f"negotiation lint {f.code}"))
    shown = {str(f) for r in results for f in r.findings}  # the text output less its findings: coverage, verdict
    rest = [line for line in render_text(results, strict).splitlines() if line not in shown]
    return "\n".join([*lines, *rest]) + "\n"


__all__ = ["SEVERITIES", "diagnostic_dict", "diagnostic_github", "diagnostics_json", "github_annotation",
           "lint_github"]
