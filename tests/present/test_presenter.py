"""The presenter: what both front ends say of a move before and after it, and of the world, without spoilers."""

from __future__ import annotations

import pytest

from negotiation import Game, LoadedScenario, load_file
from negotiation.engine.actions import Action, MoveKind
from negotiation.present import KEYS, Presenter
from negotiation.resources import bundled_scenarios


def play_to(game: Game, decision: str) -> None:
    """Play the real delegation's moves until a decision comes up."""
    while (d := game.decision()) is not None and d.model.id != decision:
        hist = game.historical_action()
        assert hist is not None
        game.apply(hist)
    assert game.decision() is not None, f"{decision} never came up"


@pytest.mark.parametrize("sid", sorted(bundled_scenarios()))
def test_every_move_has_a_key_a_label_and_a_risk_line_on_the_historical_path(sid: str) -> None:
    """Every choice the window and the terminal show has a key of its own, a label and a risk line (issue 8)."""
    game = Game(load_file(bundled_scenarios()[sid]), 0)
    p = Presenter(game.rules)
    seen = 0
    while not game.is_over():
        choices = p.choices(game)
        keys = [c.key for c in choices]
        assert len(set(keys)) == len(keys), keys
        assert all(c.key and c.label and c.risk for c in choices)
        numbered = [c for c in choices if not c.standard]
        assert [c.action.kind == MoveKind.OPTION for c in numbered] == sorted(
            (c.action.kind == MoveKind.OPTION for c in numbered), reverse=True), "the scenario's options come first"
        for c in choices:
            if c.standard:
                assert c.key == KEYS[MoveKind(c.action.kind)], "standard moves keep their letter on every screen"
                assert c.short and len(c.short) <= 14
        seen += 1
        hist = game.historical_action()
        assert hist is not None
        game.apply(hist)
    assert seen > 2


def test_a_refusal_that_would_end_the_talks_is_flagged_as_danger(moscow: LoadedScenario) -> None:
    """With Stalin's patience nearly gone, a counter he will refuse warns that it may end the talks (the
    12 July case of issue 8: proposing one's own mandate broke the talks with no warning)."""
    game = Game(moscow, 0)
    play_to(game, "d0712_dairen")
    p = Presenter(game.rules)
    calm = {c.action.id: c for c in p.choices(game)}
    game.set_var("patience", 2)
    tense = {c.action.id: c for c in p.choices(game)}
    counters = [a for a in tense if a.startswith("counter:")]
    assert counters
    refused = [a for a in counters if not tense[a].stakes.answer.startswith(("he will probably accept",
                                                                             "he may accept"))]
    assert refused
    for a in refused:
        assert tense[a].danger and tense[a].tone == "danger"
        assert "may end the talks" in tense[a].risk
        assert not calm[a].danger


def test_stakes_of_an_option_show_its_text_its_risk_and_its_meters(moscow: LoadedScenario) -> None:
    game = Game(moscow, 0)
    p = Presenter(game.rules)
    protest = next(c for c in p.choices(game) if c.action.id == "option:protest")
    take = next(c for c in p.choices(game) if c.action.id == "option:take_copy")
    assert protest.stakes.note.startswith("Washington is bound")
    assert ("American backing", -5.0) in protest.stakes.meters
    assert dict(protest.stakes.changes) == {"us_support": -5.0, "confidence": 3.0}
    assert "Washington is bound by Yalta" in protest.risk
    assert take.stakes.said.startswith("Listen, thank the President")
    assert take.risk == "no cost you can foresee"  # a line of its own, in the same colour as the others
    assert take.tone == "plain" and protest.tone == "cost"


def test_no_calendar_entry_gives_away_an_outcome(moscow: LoadedScenario) -> None:
    """The calendar names phases, meetings (by speaker) and announced events, never a decision's or an
    unannounced event's title ('Stalin takes Dairen back into the zone')."""
    game = Game(moscow, 0)
    p = Presenter(game.rules)
    titles = {d.title for d in moscow.scenario.decisions} | {e.title for e in moscow.scenario.events if not e.announced}
    phases = {ph.title for ph in moscow.scenario.phases}
    for entry in p.calendar(game, limit=1000):
        assert entry.title not in titles - phases, entry
        assert entry.kind in ("phase", "session", "event")


def test_places_and_roles_are_not_said_twice(moscow: LoadedScenario) -> None:
    game = Game(moscow, 0)
    p = Presenter(game.rules)
    assert p.where(game) == "Washington and Chungking"  # not '… · Washington; Chungking'
    assert p.role("truman") == "President of the United States"  # not '…, United States'
    assert p.role("stalin").endswith(", Soviet Union")
    play_to(game, "d0630_call")
    assert p.where(game) == "Moscow, first round · The Kremlin"


def test_citations_are_readable_and_unknown_keys_stay(moscow: LoadedScenario) -> None:
    p = Presenter(Game(moscow, 0).rules)
    got = p.citations(["F7-643", "W-0702", "F7-643", "nowhere"])
    assert len(got) == 3
    assert "Foreign Relations of the United States" in got[0] and "643" in got[0]
    assert "Wilson Center" in got[1]
    assert got[2] == "nowhere"


def test_meter_changes_and_the_closing_scene(mini: LoadedScenario) -> None:
    game = Game(mini, 0)
    p = Presenter(game.rules)
    events = game.apply(Action.parse("hold"))
    changes = p.meter_changes(events)
    assert changes and all(v < 0 for v in changes.values()) and "patience" in changes
    assert p.closing(game) is None
    while not game.is_over():
        events = game.apply(Action.parse("walkout")) if any(
            a.kind == "walkout" for a in game.legal_actions()) else game.apply(game.legal_actions()[0])
    close = p.closing(game, events)
    assert close is not None
    assert close.kind in ("broken", "signed", "ended", "recalled")
    if game.state.variables["patience"] <= 0:
        assert close.kind == "broken" and close.stamp == "TALKS BROKEN OFF"
    assert all(ln.kind != "MetersChanged" for ln in close.lines)


def test_the_live_mandate_follows_the_state(mini: LoadedScenario) -> None:
    game = Game(mini, 0)
    p = Presenter(game.rules)
    before = p.mandate(game)
    assert before[0].mandate == "Shared" and before[0].status.startswith("Open")
    game.apply(Action.parse("accept"))
    after = p.mandate(game)
    assert after[0].status == "Agreed: Theirs" and after[0].beyond


def test_a_signature_the_principal_would_disown_is_flagged_as_danger(moscow: LoadedScenario) -> None:
    """On 11 July the draft is far beyond Chiang's mandate: proposing to sign ends the game in his
    repudiation, and the move says so before it is made."""
    game = Game(moscow, 0)
    play_to(game, "d0711_railways")
    sign = next(c for c in Presenter(game.rules).choices(game) if c.action.kind == MoveKind.SIGN)
    assert not game.ratified(game.terms_on_table())
    assert sign.danger and "would disown it" in sign.risk
    game.apply(sign.action)
    assert game.is_over() and game.outcome() is not None and not game.outcome().signed  # type: ignore[union-attr]


def test_the_mediator_has_his_key_his_words_and_his_stakes(mini_text: str) -> None:
    from negotiation import load_text

    text = mini_text.replace("  - {id: b, name: Side B}\n", "  - {id: b, name: Side B}\n  - {id: c, name: Side C}\n")
    sage = ("  - id: sage\n    name: The Sage\n    side: c\n    role: mediator\n"
            "    ai: {kind: mediator, pressure: '12', max_asks: 2, patience_cost: 3}\n")
    assert "variables:\n" in text
    text = text.replace("variables:\n", sage + "variables:\n", 1)
    game = Game(load_text(text, "m.yaml"))
    p = Presenter(game.rules)
    choice = next(c for c in p.choices(game) if c.action.kind == MoveKind.MEDIATE)
    assert choice.key == "G" and choice.standard and choice.short == "Mediation"
    assert choice.label == "Ask The Sage to propose terms on The port"
    assert "1 more request to The Sage after this one" in choice.risk
    assert ("Patience", -3.0) in choice.stakes.meters
    lines = [ln.text for ln in p.lines(game.apply("mediate")) if ln.kind == "Mediated"]
    assert lines == ["The Sage proposes, on The port: Shared. The demand comes down to it for this session."]
    assert "Mediations left: 1" in p.consultations(game, short=True)


def test_the_last_exchange_warns_that_a_concession_lapses() -> None:
    """Holding firm on a decision's last exchange, after he conceded a rung, warns that the concession lapses
    with the session (R6); before he concedes there is nothing to lose, and no such warning."""
    game = Game(load_file(bundled_scenarios()["tutorial"]), 0)
    play_to(game, "sakhalin_session")
    p = Presenter(game.rules)

    def lapse_warnings() -> list[str]:
        hold = next(c for c in p.choices(game) if c.action.kind == MoveKind.HOLD)
        return [w for w in hold.stakes.warnings if "lapses with the session" in w]

    assert lapse_warnings() == []
    game.apply("hold")  # he comes down to the south ceded, the north bought back
    assert game.state.articles["sakhalin"].demand != game.state.articles["sakhalin"].standing
    warned = lapse_warnings()
    assert warned and "The south ceded, the north bought back" in warned[0]
    accept = next(c for c in p.choices(game) if c.action.kind == MoveKind.ACCEPT)
    assert not any("lapses" in w for w in accept.stakes.warnings)


def test_proposing_a_signature_names_the_open_articles_it_would_sign_at_his_demand(moscow: LoadedScenario) -> None:
    game = Game(moscow, 0)
    play_to(game, "d0808_eve")
    p = Presenter(game.rules)
    sign = next(c for c in p.choices(game) if c.action.kind == MoveKind.SIGN)
    still = [k for k, a in game.state.articles.items() if a.settled < 0]
    assert still
    said = [w for w in sign.stakes.warnings if w.startswith("open, and signed at his demand")]
    assert said and all(p.article_name(k) in said[0] for k in still)


def test_cables_say_what_a_yes_would_bring(moscow: LoadedScenario) -> None:
    """Asking the principal or the ally says what it is for, not only when the answer comes (issue 8 play-test)."""
    game = Game(moscow, 0)
    play_to(game, "d0702_mongolia")
    risks = {c.action.kind: c.risk for c in Presenter(game.rules).choices(game)}
    assert "a yes widens your mandate on Outer Mongolia by one step" in risks[MoveKind.MANDATE]
    assert "a yes adds to American backing" in risks[MoveKind.ALLY]


def test_a_cabled_answer_on_an_article_agreed_meanwhile_says_it_changes_nothing() -> None:
    game = Game(load_file(bundled_scenarios()["tutorial"]), 0)
    game.apply("option:study")
    game.apply("mandate")  # the Tsar's answer is due between sessions
    events = game.apply("counter:changchun")  # meanwhile Komura agrees
    answer = next(e for e in events if e.kind in ("MandateWidened", "MandateRefused"))
    assert answer.get("agreed") is True
    line = Presenter(game.rules).event_line(answer)
    assert line is not None and "comes after it was agreed" in line.text


def test_telegrams_carry_each_events_meters_and_the_table_keeps_the_answers_to_cables(moscow: LoadedScenario) -> None:
    """The world's events come with what they did to the meters; the meters moved by a cabled answer stay with that
    answer at the table (a telegram of meters alone was shown empty in the window)."""
    from negotiation.client.session import GameSession
    from negotiation.engine.events import NEWS, Kind

    sess = GameSession(moscow, Game(moscow, 0), autosave=False)
    seen_event_meters = seen_answer = asked = False
    while not sess.game.is_over():
        hist = sess.game.historical_action()
        assert hist is not None
        d = sess.game.decision()
        assert d is not None
        ask = d.model.id == "d0702_mongolia" and not asked
        asked |= ask
        sess.apply("ally" if ask else hist)
        events = {e.get("event") for e in sess.news if e.kind == Kind.EVENT_OCCURRED}
        for e in sess.news:
            assert e.kind in NEWS or (e.kind == Kind.METERS_CHANGED and e.get("source") in events)
            seen_event_meters |= e.kind == Kind.METERS_CHANGED
        if any(e.kind in (Kind.SUPPORT_GAINED, Kind.SUPPORT_DENIED) for e in sess.reply):
            seen_answer = True
            assert any(e.kind == Kind.METERS_CHANGED and e.get("source") == "ally" for e in sess.reply)
    assert seen_event_meters and seen_answer
