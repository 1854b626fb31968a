"""The counterpart's lines are spoken by someone who can say them: nobody names himself in the third person."""

from __future__ import annotations

import pytest

from negotiation import load_file
from negotiation.resources import scenario_path


@pytest.mark.parametrize("name", ["moscow1945", "moscow1950", "tutorial"])
def test_no_line_names_its_own_speaker(name: str) -> None:
    s = load_file(scenario_path(name)).scenario
    surname = {a.id: a.name.split()[-1] for a in s.actors}
    counterpart = next(a.id for a in s.actors if a.ai is not None and a.ai.kind == "counterpart")
    pools = list(next(a for a in s.actors if a.id == counterpart).ai.lines.items())  # type: ignore[union-attr]
    pools += [(f"{a.id}.{k}", v) for a in s.articles if a.counterpart for k, v in a.counterpart.lines.items()]
    checked = 0
    for key, lines in pools:
        for line in lines:
            text, speaker = (line, None) if isinstance(line, str) else (line.text, line.speaker)
            who = speaker or counterpart
            assert surname[who] not in text, f"{name}: {who} speaks of himself in a '{key}' line: {text!r}"
            checked += 1
    assert checked > 10
