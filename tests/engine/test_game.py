"""The Game facade on a small scenario: the pull API, legality, undo, determinism, the rules."""

from __future__ import annotations

import pytest

from negotiation import Action, Game, GameOverError, IllegalActionError, InvalidActionError, LoadedScenario
from negotiation.engine.rules import rules_for


def ids(game: Game) -> list[str]:
    return [a.id for a in game.legal_actions()]


def test_game_starts_at_the_first_decision_of_the_first_phase(mini: LoadedScenario) -> None:
    game = Game(mini, seed=3)
    assert game.state.phase == "talks"
    assert game.state.decision == "first"
    assert game.state.day.isoformat() == "1945-07-02"
    assert ids(game) == ["accept", "counter:ours", "counter:shared", "hold", "mandate", "ally", "walkout", "sign"]


@pytest.mark.parametrize("text", ["offer", "counter", "accept:now", "option", "", "sign:x"])
def test_malformed_actions_are_invalid(mini: LoadedScenario, text: str) -> None:
    """Syntax errors are InvalidActionError, distinct from illegal moves."""
    with pytest.raises(InvalidActionError):
        Game(mini).apply(text)


def test_well_formed_but_illegal_action_names_the_legal_ones(mini: LoadedScenario) -> None:
    game = Game(mini)
    with pytest.raises(IllegalActionError, match=r"'option:leave' is not legal at decision 'first': decision 'first' "
                       r"has no option 'leave' \(its options: none\); legal: accept"):
        game.apply("option:leave")
    with pytest.raises(IllegalActionError):
        game.apply("counter:theirs")  # not better than the demand


def test_accept_settles_at_the_demand_and_costs_confidence_beyond_mandate(mini: LoadedScenario) -> None:
    game = Game(mini)
    events = game.apply("accept")
    a = game.state.articles["port"]
    assert a.settled == 2
    assert game.state.variables["confidence"] == 50 - 8  # one rung beyond the mandate
    assert [e.kind for e in events][:4] == ["MoveMade", "Replied", "ArticleSettled", "MandateExceeded"]


def test_refused_counter_costs_patience_and_keeps_the_round(mini: LoadedScenario) -> None:
    game = Game(mini)
    game.apply("counter:ours")
    assert game.state.decision == "first" and game.state.round == 2
    assert game.state.variables["patience"] == 50 - 4
    assert game.state.articles["port"].offer == 0


def test_acceptable_counter_settles(mini: LoadedScenario) -> None:
    """Aspiration 60 - 2*days falls below 50 (the shared port's value to him) after five days."""
    game = Game(mini)
    game.apply("hold")
    game.apply("hold")
    assert game.state.decision == "second" and game.state.day.isoformat() == "1945-07-10"
    events = game.apply("counter:shared")
    assert game.state.articles["port"].settled == 1
    assert "OfferAccepted" in [e.kind for e in events]


def test_ally_support_arrives_between_sessions_and_lowers_aspiration(mini: LoadedScenario) -> None:
    """A request does not move the calendar: its answer comes after the session, two days on.

    'us' (format 1) is read as 'ally'. On 2 July he wants 58; on 10 July 42, and 10 points of
    support at lever 0.5 bring him to 37.
    """
    from negotiation.engine import counterparts as cp

    game = Game(mini)
    events = game.apply("us")
    assert [e.kind for e in events][:2] == ["MoveMade", "SupportAsked"]
    assert game.state.variables["us_support"] == 0 and game.state.day.isoformat() == "1945-07-02"
    assert "ally" not in ids(game)  # one request at a time
    assert game.state.decision == "first"  # asking takes no round
    game.apply("hold")
    events = game.apply("hold")  # the session ends; the answer arrives before the next one
    gained = next(e for e in events if e.kind == "SupportGained")
    assert gained.day.isoformat() == "1945-07-04" and game.state.variables["us_support"] == 10
    assert game.state.decision == "second"
    assert cp.aspiration(game.rules, game.state, game.rules.articles["port"]) == 60 - 2 * 9 - 0.5 * 10


def test_mandate_request_widens_between_sessions_when_confidence_allows(mini: LoadedScenario) -> None:
    game = Game(mini)
    game.apply("mandate")
    a = game.state.articles["port"]
    assert a.mandate == 1 and game.state.variables["confidence"] == 47  # the cable costs goodwill at once
    assert "mandate" not in ids(game)  # one cable on this article at a time
    game.apply("hold")
    game.apply("hold")  # the session ends; the answer (3 days) arrives before 10 July
    assert game.state.decision == "second" and game.state.articles["port"].mandate == 2
    assert "MandateWidened" in [e.kind for e in game.state.log]
    game.apply("accept")
    assert game.state.variables["confidence"] == 47  # within the mandate now: no cost


def test_walkout_is_a_seeded_gamble(mini: LoadedScenario) -> None:
    """With a 50% chance of a break, some seeds end the talks and others soften him."""
    endings = set()
    for seed in range(20):
        game = Game(mini, seed)
        game.apply("walkout")
        endings.add(game.state.ending)
        if game.state.ending is None:
            assert game.state.articles["port"].softening == 10
    assert endings == {None, "broken"}


def test_signing_with_open_articles_takes_the_demands(mini: LoadedScenario) -> None:
    game = Game(mini)
    game.apply("sign")
    out = game.outcome()
    assert out is not None and out.signed and out.terms == {"port": "theirs"}
    assert out.signed_on is not None and out.signed_on.isoformat() == "1945-07-02"
    with pytest.raises(GameOverError):
        game.apply("accept")
    assert game.legal_actions() == []


def test_non_treaty_ending_uses_its_fallback(mini: LoadedScenario) -> None:
    """At 'No treaty' every article falls to the worst rung, settled or not."""
    game = Game(mini)
    game.apply("counter:shared")
    game.apply("counter:shared")
    game.apply("counter:shared")  # 10 July: accepted
    game.apply("option:leave")
    out = game.outcome()
    assert out is not None and out.ending == "none" and not out.signed and out.terms == {"port": "theirs"}


def test_undo_any_number_of_steps_back_to_the_start(mini: LoadedScenario) -> None:
    game = Game(mini, seed=5)
    start = game.state.to_dict()
    game.apply("hold")
    after_one = game.state.to_dict()
    game.apply("ally")
    game.apply("counter:shared")
    game.undo(2)
    assert game.state.to_dict() == after_one
    game.undo()
    assert game.state.to_dict() == start and game.actions == []
    with pytest.raises(IllegalActionError):
        game.undo()


def test_undoing_the_signature_and_signing_again_ends_the_same_way(mini: LoadedScenario) -> None:
    """Undo forgets what the endings last read: signing again is judged afresh, not skipped as 'unchanged'."""
    game = Game(mini, seed=0)
    while not game.is_over():
        game.apply(game.legal_actions()[1 % len(game.legal_actions())])
    signed = game.state.to_dict()
    assert game.actions[-1] == "sign" and game.outcome() is not None and game.outcome().ending == "signed"
    game.undo()
    game.apply("sign")
    assert game.state.to_dict() == signed


def test_same_seed_and_actions_give_identical_states(mini: LoadedScenario) -> None:
    """Walkouts draw from the seeded generator kept in the state: replays agree exactly."""
    for seed in range(10):
        game = Game(mini, seed)
        while not game.is_over():
            game.apply("walkout" if "walkout" in ids(game) else game.legal_actions()[0])
        again = Game.replay(mini, seed, game.actions)
        assert again.state.to_dict() == game.state.to_dict()


def test_clone_is_independent(mini: LoadedScenario) -> None:
    game = Game(mini)
    twin = game.clone()
    twin.apply("accept")
    assert game.state.articles["port"].settled == -1
    assert twin.state.articles["port"].settled == 2


def test_events_fire_on_their_dates_before_later_decisions(mini: LoadedScenario) -> None:
    game = Game(mini)
    game.apply("hold")
    events = game.apply("hold")
    storm = next(e for e in events if e.kind == "EventOccurred")
    assert storm.day.isoformat() == "1945-07-05"
    kinds = [e.kind for e in events]
    assert kinds.index("EventOccurred") < kinds.index("DecisionPresented")


def test_rules_are_compiled_once_per_scenario(mini: LoadedScenario) -> None:
    """Every game of a scenario shares one Rules object and one phase machine."""
    a, b = Game(mini), Game(mini)
    assert a.rules is b.rules is rules_for(mini)
    assert a.rules.machine is b.rules.machine


def test_action_text_round_trip() -> None:
    for text in ["accept", "counter:x", "option:link", "sign"]:
        assert Action.parse(text).id == text


def test_phase_machine_conditions_are_our_callables(mini: LoadedScenario) -> None:
    """No scenario string reaches transitions' callback resolution (it imports dotted paths)."""
    machine = rules_for(mini).machine._machine
    transitions = [t for ts in machine.events["advance"].transitions.values() for t in ts]
    assert transitions
    for t in transitions:
        assert all(callable(c.func) and not isinstance(c.func, str) for c in t.conditions)
        assert not t.before and not t.after and not t.prepare


def test_a_phase_whose_transitions_all_fail_ends_with_the_default_ending(mini_text: str) -> None:
    """transitions (queued) reports a move even when no condition held; the engine must not loop."""
    from negotiation import load_text

    text = mini_text.replace("    transitions: [{to: wrapup}]", '    transitions: [{to: wrapup, when: "false"}]')
    game = Game(load_text(text, "x.yaml"))
    while not game.is_over():
        game.apply("hold")
    assert game.state.ending == "none" and game.state.phase == "talks"


def test_a_decision_condition_is_tested_on_its_own_date(mini_text: str) -> None:
    """'date >= its own date' holds when the decision comes up, after the events before it."""
    from negotiation import load_text

    text = mini_text.replace("    text: Again the port.\n",
                             '    text: Again the port.\n    when: "date >= 1945-07-10"\n')
    game = Game(load_text(text, "x.yaml"))
    game.apply("hold")
    game.apply("hold")
    assert game.state.decision == "second" and game.state.day.isoformat() == "1945-07-10"


def test_days_lost_before_a_phase_are_not_given_back(mini_text: str) -> None:
    """An event on the eve of a phase that costs days moves the phase's start, never back in time."""
    from negotiation import load_text

    text = mini_text.replace("events:\n", "events:\n  - {id: delay, date: 1945-07-15, title: Delay, "
                                          "effects: [{days: 4}]}\n")
    game = Game(load_text(text, "x.yaml"))
    game.apply("accept")
    entered = [e for e in game.state.log if e.kind == "PhaseEntered"][-1]
    assert entered.day.isoformat() == "1945-07-19" and game.state.day.isoformat() == "1945-07-19"


def test_phases_that_hand_over_to_each_other_with_nothing_to_play_end_the_game(mini_text: str) -> None:
    from negotiation import load_text

    text = mini_text.replace("    end: 1945-07-20\n    allow_signing: true\n",
                             '    end: 1945-07-20\n    allow_signing: true\n    transitions: [{to: talks}]\n')
    game = Game(load_text(text, "x.yaml"))
    game.apply("accept")
    game.apply("option:leave")
    assert game.is_over() and game.state.ending == "none"


def test_a_decision_with_no_legal_action_is_passed_over(mini_text: str) -> None:
    """Only 'counter' offered while the demand is already the player's best: nothing to do, so no stop.

    Its demand was tabled with the session's terms when the session opened, and it stands.
    """
    from negotiation import load_text

    text = mini_text.replace("    text: Again the port.\n", "    text: Again the port.\n    moves: [counter]\n"
                                                                 "    demand: ours\n")
    game = Game(load_text(text, "x.yaml"))
    game.apply("hold")
    game.apply("hold")
    assert game.state.decision == "ceremony" and game.legal_actions()
    assert game.state.articles["port"].demand == 0


def test_lines_without_an_article_never_show_placeholders(mini_text: str) -> None:
    """A refused signing names no article: its line's placeholders read as plain words."""
    from negotiation import load_text

    text = mini_text.replace('sign_aspiration: "40"', 'sign_aspiration: "101"').replace(
        '      walkout_break: "0.5"\n',
        '      walkout_break: "0.5"\n      lines: {refuse_sign: ["Not on {article}: {position}."]}\n')
    game = Game(load_text(text, "x.yaml"))
    events = game.apply("sign")
    refused = next(e for e in events if e.kind == "SigningRefused")
    assert refused.text == "Not on this: these terms."


def test_an_article_can_have_its_own_lever(mini_text: str) -> None:
    """'adjust' moves his price on one article with any variable, not only the ally's support."""
    from negotiation import load_text
    from negotiation.engine import counterparts as cp

    text = mini_text.replace("    counterpart: {ally_lever: 0.5}", '    counterpart: {adjust: "-0.5 * confidence"}')
    game = Game(load_text(text, "x.yaml"))
    art = game.rules.articles["port"]
    assert cp.aspiration(game.rules, game.state, art) == 60 - 2 * 1 - 0.5 * 50
    game.apply("counter:shared")
    assert game.state.articles["port"].settled == 1  # 33 <= 50: accepted at once


def test_a_scenario_of_one_phase_ends_in_the_default_ending(mini_text: str) -> None:
    """A phase without transitions ends the game when its decisions are done, even the only phase."""
    from negotiation import load_text

    text = mini_text.replace("    transitions: [{to: wrapup}]\n  - id: wrapup\n    title: Wrap-up\n"
                             "    start: 1945-07-16\n    end: 1945-07-20\n    allow_signing: true\n", "")
    text = text.replace("phase: wrapup", "phase: talks").replace("date: 1945-07-17", "date: 1945-07-14")
    game = Game(load_text(text, "one.yaml"))
    game.apply("accept")  # the port agreed: the second decision is passed over
    assert game.state.decision == "ceremony"
    game.apply("option:leave")
    assert game.is_over() and game.state.ending == "none"


def test_the_ally_is_asked_only_while_its_condition_holds(mini_text: str) -> None:
    """An ally's 'available' hides the request outside it; why_not says why; the meters line says 'not now'."""
    from negotiation import load_text
    from negotiation.present import Presenter

    text = mini_text.replace('gain: "10"}', 'gain: "10", available: "patience >= 50"}')
    scenario = load_text(text, "ally.yaml")
    game = Game(scenario)
    assert "ally" in ids(game)
    game.state.variables["patience"] = 49
    game._legal = None  # the state was edited by hand: legal actions are computed again
    assert "ally" not in ids(game)
    assert game.why_not("ally") == "the ally cannot be asked now: 'patience >= 50' does not hold (patience = 49)"
    assert any(line.endswith("(not now)") for line in Presenter(game.rules).consultations(game))
