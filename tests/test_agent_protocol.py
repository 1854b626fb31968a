"""The stdio agent protocol, driven as an outside program drives it: one JSON line in, one JSON line out."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from negotiation import Game, LoadedScenario
from negotiation.agent import OPS, AgentSession, serve
from negotiation.cli import main
from negotiation.scoring import score_card

FIXTURES = Path(__file__).parent / "fixtures"
MINI = str(FIXTURES / "mini.yaml")


class Agent:
    """A subprocess running `negotiation agent --stdio`, asked one request at a time."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "negotiation", "agent", "--stdio", *args],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, encoding="utf-8")

    def send(self, line: str) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        return json.loads(answer)  # every answer is one line of JSON

    def ask(self, **request: Any) -> dict[str, Any]:
        return self.send(json.dumps(request))

    def close(self) -> tuple[int, str]:
        assert self.proc.stdin is not None and self.proc.stderr is not None
        self.proc.stdin.close()
        code = self.proc.wait(timeout=30)
        return code, self.proc.stderr.read()


def test_a_program_plays_a_whole_game_and_gets_the_score_card(moscow: LoadedScenario) -> None:
    agent = Agent()
    hello = agent.ask(id=0, op="hello")
    assert hello["ok"] and hello["protocol"] == 1 and "moscow1945" in hello["scenarios"]
    started = agent.ask(id=1, op="new", scenario="moscow1945", seed=4)
    assert started["id"] == 1 and started["ok"] and started["observation"]["date"] == "1945-06-09"
    assert "MOSCOW, SUMMER 1945" in started["observation"]["text"]
    played = []
    for i in range(200):
        moves = agent.ask(id=f"legal-{i}", op="legal")["moves"]
        assert all({"action", "key", "label", "risk", "stakes"} <= set(m) for m in moves)
        choice = moves[i % len(moves)]
        result = agent.ask(id=i, op="apply", action=choice["key"] if i % 2 else choice["action"])
        assert result["ok"], result
        played.append(choice["action"])
        assert result["events"][0] == {"date": result["events"][0]["date"], "who": "You",
                                       "text": choice["label"], "tone": "move", "kind": "MoveMade"}
        if result["observation"]["over"]:
            break
    else:
        pytest.fail("the game did not end")
    score = agent.ask(id="s", op="score")
    card = score_card(Game.replay(moscow, 4, played))  # the same game, through the Game API
    assert score["score"]["interest"] == round(card.interest, 6) and score["score"]["ending"] == card.ending
    assert "SCORE CARD" in score["text"]
    assert agent.ask(op="quit")["bye"] is True
    assert agent.close() == (0, "")


MALFORMED = [
    ("not json at all", "bad_json"),
    ('{"op": "observe"', "bad_json"),
    ("[1, 2, 3]", "bad_request"),
    ('"observe"', "bad_request"),
    ("null", "bad_request"),
    ('{"id": 5}', "unknown_op"),
    ('{"id": 6, "op": "fly"}', "unknown_op"),
    ('{"id": 7, "op": 3}', "unknown_op"),
    ('{"op": "observe"}', "no_game"),
    ('{"op": "legal"}', "no_game"),
    ('{"op": "apply", "action": "hold"}', "no_game"),
    ('{"op": "new", "scenario": "atlantis"}', "unknown_scenario"),
    ('{"op": "new", "seed": "seven"}', "bad_request"),
    ('{"op": "new", "seed": -1}', "bad_request"),
    ('{"op": "new", "scenario": 42}', "bad_request"),
]


def test_every_malformed_request_gets_a_json_error_and_the_session_goes_on() -> None:
    agent = Agent()
    for line, code in MALFORMED:
        answer = agent.send(line)
        assert answer["ok"] is False and answer["error"]["code"] == code, (line, answer)
        assert answer["error"]["message"]
    assert agent.ask(id=9, op="new", seed=1)["ok"]
    for request, code in [({"op": "apply"}, "bad_request"), ({"op": "apply", "action": ""}, "bad_request"),
                          ({"op": "apply", "action": "dance"}, "invalid_action"),
                          ({"op": "apply", "action": "counter:nowhere"}, "illegal_action"),
                          ({"op": "apply", "action": "Q"}, "illegal_action"),
                          ({"op": "undo", "steps": 0}, "bad_request"), ({"op": "undo"}, "bad_request"),
                          ({"op": "undo", "steps": "one"}, "bad_request"), ({"op": "score"}, "not_over"),
                          ({"op": "log", "since": -1}, "bad_request"), ({"id": [1], "op": "fly"}, "unknown_op")]:
        answer = agent.ask(**request)
        assert answer["ok"] is False and answer["error"]["code"] == code, (request, answer)
    assert agent.ask(id={"a": 1}, op="observe")["id"] is None  # an id that is not a string or number is not echoed
    assert agent.send("\xff\xfe garbage \u0000")["ok"] is False
    code, err = agent.close()
    assert code == 0 and err == ""


def test_bytes_that_are_not_utf8_are_an_error_line() -> None:
    out = io.StringIO()
    serve(io.BytesIO(b'\xff\xfe{"op": "hello"}\n{"op": "hello"}\n'), out)
    first, second = (json.loads(x) for x in out.getvalue().splitlines())
    assert first["error"]["code"] == "bad_json" and second["ok"] is True


def test_undo_and_log(mini: LoadedScenario) -> None:
    from negotiation.engine.rules import rules_for

    session = AgentSession(load=lambda name: rules_for(mini))
    assert session.handle({"op": "new", "scenario": "mini", "seed": 2})["ok"]
    before = session.handle({"op": "observe"})["observation"]
    assert session.handle({"op": "apply", "action": "hold"})["ok"]
    undone = session.handle({"op": "undo", "steps": 1})
    assert undone["observation"] == before
    log = session.handle({"op": "log"})
    assert session.game is not None and log["next"] == len(session.game.state.log)
    assert any(e["tone"] == "session" for e in log["events"])
    assert session.handle({"op": "log", "since": log["next"]})["events"] == []


def test_a_game_over_refuses_moves_and_keeps_the_score(mini: LoadedScenario) -> None:
    from negotiation.engine.rules import rules_for

    session = AgentSession(load=lambda name: rules_for(mini))
    session.handle({"op": "new"})
    result: dict[str, Any] = {}
    for _ in range(50):
        moves = session.handle({"op": "legal"})["moves"]
        result = session.handle({"op": "apply", "action": moves[0]["action"]})
        if result["observation"]["over"]:
            break
    assert result["score"]["ending"] and "SCORE CARD" in result["observation"]["text"]
    assert session.handle({"op": "apply", "action": "hold"})["error"]["code"] == "game_over"
    assert session.handle({"op": "legal"})["moves"] == []
    assert session.handle({"op": "score"})["ok"]


def test_every_op_is_documented() -> None:
    doc = (Path(__file__).parents[1] / "docs" / "agent-protocol.md").read_text(encoding="utf-8")
    for op in OPS:
        assert f'"op": "{op}"' in doc, op


def test_agent_needs_a_transport(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["agent"]) == 1
    assert "--stdio" in capsys.readouterr().err


def test_a_scenario_file_can_be_played(tmp_path: Path) -> None:
    out = io.StringIO()
    serve(io.BytesIO(json.dumps({"op": "new", "scenario": MINI}).encode() + b"\n"), out)
    assert json.loads(out.getvalue())["observation"]["scenario"] == "mini"
