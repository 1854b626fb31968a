"""Aimed searches: a distance to each target steers a best-first search to what the broad exploration missed."""

from __future__ import annotations

from pathlib import Path

import pytest

from negotiation import Game, LoadedScenario
from negotiation.engine.rules import rules_for
from negotiation.sim.explore import Bounds, explore, state_key
from negotiation.sim.reach import Targets, condition_distance, search


@pytest.mark.parametrize(("text", "expected"), [
    ("patience < 20", 31.0),  # patience is 50: 30 points to go, and one more to be strictly below
    ("patience <= 20", 30.0),
    ("patience >= 60", 10.0),
    ("patience > 40", 0.0),
    ("patience >= 60 and confidence >= 70", 30.0),  # 'and' adds up what each part lacks
    ("patience >= 60 or confidence >= 70", 10.0),  # 'or' takes the nearest
    ("not (patience > 40)", 10.0),  # negation turns ">" into "<="
    ("signed", 1.0),
    ("not signed", 0.0),
    ("patience == 45", 5.0),
])
def test_the_distance_of_a_condition(mini: LoadedScenario, text: str, expected: float) -> None:
    game = Game(mini)
    assert condition_distance(game.rules, text)(game.state) == pytest.approx(expected)


def _spine(game: Game) -> list[Game]:
    out = []
    while not game.is_over():
        out.append(game.clone())
        hist = game.historical_action()
        legal = game.legal_actions()
        game.apply(next((a for a in legal if a.id == hist), legal[0]))
    return out


def test_a_decision_on_an_article_history_agrees_early_is_found(moscow: LoadedScenario) -> None:
    """13 August's withdrawal decision needs the withdrawal still open, which history closed on 11 July."""
    rules = rules_for(moscow)
    target = Targets(rules).decision("d0813_withdrawal")
    verdict, game = search(target, _spine(Game(rules, 0)), state_key, budget=1500)
    assert verdict.reached and game is not None
    assert game.state.decision == "d0813_withdrawal" and game.state.articles["withdrawal"].settled < 0
    assert Game.replay(rules, 0, game.actions).state.decision == "d0813_withdrawal"  # a real line of play


def test_a_target_out_of_reach_gets_its_closest_approach(mini: LoadedScenario) -> None:
    """In the small scenario the principal never loses all his confidence: the search says how close it came."""
    rules = rules_for(mini)
    found = explore(mini, Bounds(max_states=3000, playthroughs=50))
    verdict = found.verdicts[("ending", "recalled")]
    assert not verdict.reached and verdict.exhausted
    text = verdict.text()
    assert text.startswith("not reachable: a search aimed at it explored every state that could still lead there")
    assert "where 'confidence <= 0' did not hold (confidence = " in text
    assert Targets(rules).ending("recalled").distance(Game(rules)) == 50.0


def test_an_ending_always_preempted_by_an_earlier_one_says_which(mini_text: str, tmp_path: Path) -> None:
    """'every game that ends in angry ends in broken first': the ending listed earlier wins the same moment."""
    from negotiation.sim.explore import lint_file

    text = mini_text.replace("default_ending: none", "  - {id: angry, title: Angry, when: \"patience <= 0\"}\n"
                             "default_ending: none")
    assert "id: angry" in text
    path = tmp_path / "angry.yaml"
    path.write_text(text, encoding="utf-8")
    result = lint_file(path, Bounds(max_states=1500, playthroughs=40))
    neg204 = [f for f in result.findings if f.code == "NEG204" and "'angry'" in f.message]
    assert len(neg204) == 1
    assert "its condition held, but an ending checked before it ended the game first: 'broken' (" in neg204[0].message
