"""Game.why_not: why an action is not legal, in an author's words (used by errors, lint and trace)."""

from __future__ import annotations

import pytest

from negotiation import Game, IllegalActionError, LoadedScenario, load_text
from negotiation.engine import counterparts as cp
from negotiation.engine.rules import rules_for


def test_a_legal_action_has_no_reason(mini: LoadedScenario) -> None:
    game = Game(mini)
    assert all(game.why_not(a) is None for a in game.legal_actions())


def test_a_counter_at_or_below_the_demand(mini: LoadedScenario) -> None:
    game = Game(mini)
    assert game.why_not("counter:theirs") == (
        "the demand on 'port' is already 'theirs' (rung 2): a counter-offer must ask for more than the demand on "
        "the table (a rung above 2)")
    assert "is not a position of article 'port' (its ladder: ours, shared, theirs)" in str(game.why_not("counter:x"))


def test_an_agreed_article_and_a_decision_without_one(mini: LoadedScenario) -> None:
    game = Game(mini)
    game.apply("accept")  # 'port' agreed at 'theirs'; the next decision on the port is passed over
    assert game.state.decision == "ceremony"
    assert game.why_not("hold") == "decision 'ceremony' does not offer 'hold' (its moves: sign)"
    assert game.why_not("option:stay") == "decision 'ceremony' has no option 'stay' (its options: leave)"


def test_signing_before_it_opens_names_the_date(mini_text: str) -> None:
    text = mini_text.replace("history: {ending: signed", "signing: {opens: 1945-07-16}\nhistory: {ending: signed")
    game = Game(load_text(text, "x.yaml"))
    assert game.why_not("sign") == "signing opens on 1945-07-16 (signing.opens)"


def test_a_false_condition_shows_the_values_of_its_names(mini_text: str) -> None:
    text = mini_text.replace("history: {ending: signed",
                             "signing: {when: 'patience >= 60 and date >= 1945-07-02'}\nhistory: {ending: signed")
    game = Game(load_text(text, "x.yaml"))
    assert game.why_not("sign") == ("signing.when 'patience >= 60 and date >= 1945-07-02' does not hold "
                                    "(date = 1945-07-02, patience = 50)")


def test_asks_used_up_and_asks_on_their_way(mini_text: str) -> None:
    old = 'ai: {kind: ally, support: us_support, gain: "10"}'
    assert old in mini_text
    text = mini_text.replace(old, 'ai: {kind: ally, support: us_support, gain: "10", max_asks: 1}')
    game = Game(load_text(text, "x.yaml"))
    game.apply("mandate")
    assert game.why_not("mandate") == ("an appeal on 'port' is already on its way (its answer comes between "
                                       "sessions)")
    game.apply("ally")
    assert game.why_not("ally") == "the ally's requests are used up (1 of max_asks 1)"


def test_the_illegal_action_error_carries_the_reason(mini: LoadedScenario) -> None:
    with pytest.raises(IllegalActionError, match=r"the demand on 'port' is already 'theirs'"):
        Game(mini).apply("counter:theirs")


def test_aspiration_parts_add_up_to_the_aspiration(moscow: LoadedScenario) -> None:
    """The trace's arithmetic is the engine's: along a whole game its parts sum to the aspiration."""
    rules = rules_for(moscow)
    game = Game(rules, seed=4)
    checked = 0
    while not game.is_over():
        for art in rules.articles.values():
            parts = cp.aspiration_parts(rules, game.state, art)
            assert sum(v for _, v in parts) == pytest.approx(cp.aspiration(rules, game.state, art))
            checked += 1
        hist = game.historical_action()
        legal = game.legal_actions()
        game.apply(next((a for a in legal if a.id == hist), legal[0]))
    assert checked > 100
