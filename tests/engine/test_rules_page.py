"""docs/rules.md kept true: one test per rule tag, played on tests/fixtures/protocol.yaml.

A tag on the page without a test here fails ``test_every_rule_on_the_page_has_a_test``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from negotiation import Game, LoadedScenario, load_file, load_text
from negotiation.engine import counterparts as cp
from negotiation.engine.game import UNSIGNED
from negotiation.scoring import score_card

HERE = Path(__file__).parent
PAGE = HERE.parents[1] / "docs" / "rules.md"
FIXTURE = HERE.parent / "fixtures" / "protocol.yaml"


@pytest.fixture(scope="module")
def proto() -> LoadedScenario:
    return load_file(FIXTURE)


@pytest.fixture(scope="module")
def proto_text() -> str:
    return FIXTURE.read_text(encoding="utf-8")


def kinds(game: Game) -> list[str]:
    return [e.kind for e in game.state.log]


def day(game: Game) -> str:
    return game.state.day.isoformat()


def test_every_rule_on_the_page_has_a_test() -> None:
    tags = sorted(set(re.findall(r"\*\*\[(R\d+)\]", PAGE.read_text(encoding="utf-8"))), key=lambda t: int(t[1:]))
    tested = {name.split("_")[1].upper() for name in globals() if re.match(r"test_r\d+_", name)}
    assert tags and not set(tags) - tested, f"rules without a test: {sorted(set(tags) - tested)}"


def test_r1_sessions_are_the_decisions_of_one_date(proto: LoadedScenario) -> None:
    game = Game(proto)
    assert game.state.protocol == "in_session" and game.state.decision == "d1"
    opened = [e for e in game.state.log if e.kind == "SessionOpened"]
    assert len(opened) == 1 and opened[0].day == dt.date(1950, 3, 3)
    game.apply("hold")  # d1 done: d2 is in the same session
    assert game.state.decision == "d2" and kinds(game).count("SessionOpened") == 1
    game.apply("hold")
    assert game.state.decision == "d3" and kinds(game).count("SessionAdjourned") == 1


def test_r2_between_sessions_events_then_answers_in_date_order(proto: LoadedScenario) -> None:
    game = Game(proto)
    game.apply("ally")  # answered 3 days on: 6 March, after the squall of the 4th
    game.apply("hold")
    game.apply("hold")
    order = [(e.kind, e.day.isoformat()) for e in game.state.log if e.kind in ("EventOccurred", "SupportGained")]
    assert order == [("EventOccurred", "1950-03-04"), ("SupportGained", "1950-03-06")]
    assert "A calm" not in " ".join(e.text for e in game.state.log)  # its 'when' failed on its date


def test_r3_the_calendar_does_not_move_inside_a_session(proto: LoadedScenario, proto_text: str) -> None:
    game = Game(proto)
    for move in ("mandate", "ally", "hold"):
        game.apply(move)
        assert day(game) == "1950-03-03"
    text = proto_text.replace("{id: take, label: Take it, reply: \"Enjoy it.\", effects: [{add: {patience: 5}}]}",
                              "{id: take, label: Take it, effects: [{days: 4}]}")
    game = Game(load_text(text, "x.yaml"))
    game.apply("hold")
    game.apply("hold")
    game.apply("accept")
    game.apply("option:take")
    assert game.state.decision == "d5"
    later = Game(load_text(text.replace("1950-03-20, title: Sign?", "1950-03-10, title: Sign?")
                           .replace("start: 1950-03-16", "start: 1950-03-09"), "y.yaml"))
    for move in ("hold", "hold", "accept"):
        later.apply(move)
    assert day(later) == "1950-03-08"
    later.apply("option:take")  # four days wait for the adjournment: the 10 March session opens on the 12th
    assert later.state.decision == "d5" and day(later) == "1950-03-12"


def test_r4_convening_tables_every_demand_of_the_session(proto: LoadedScenario) -> None:
    game = Game(proto)
    game.apply("hold")
    game.apply("hold")  # the 8 March session opens: d3 tables 'shared' on the port
    a = game.state.articles["port"]
    assert a.standing == a.demand == 1


def test_r5_a_decision_on_an_agreed_article_is_passed_over(proto: LoadedScenario) -> None:
    game = Game(proto)
    game.apply("accept")  # the port agreed on 3 March: d3 (the port again) never comes up
    game.apply("hold")
    assert game.state.decision == "d4"


def test_r6_unaccepted_concessions_lapse_when_the_session_adjourns(proto: LoadedScenario) -> None:
    game = Game(proto)
    game.apply("hold")  # 68 >= 50? no: his aspiration is 68 and 'shared' is worth 50 to him — no concession
    game2 = Game(proto)
    game2.state.variables["support"] = 30  # 68 - 30 = 38: he can bear 'shared'
    game2.apply("hold")
    assert game2.state.articles["port"].demand == 1 and game2.state.decision == "d1"  # answered in the decision
    game2.apply("hold")  # refused flatly now ('ours' is beyond him): the decision ends
    game2.apply("hold")  # d2 ends: the session adjourns
    lapsed = [e for e in game2.state.log if e.kind == "ConcessionLapsed"]
    assert lapsed and lapsed[0].article == "port"
    assert game.state.articles["port"].standing == 2


def test_r7_legal_actions_options_first_then_the_moves_in_order(proto: LoadedScenario) -> None:
    game = Game(proto)
    assert [a.id for a in game.legal_actions()] == ["accept", "counter:ours", "counter:shared", "hold", "mandate",
                                                   "ally", "walkout"]  # 3 March: no signing before the 5th
    for move in ("hold", "hold", "accept"):
        game.apply(move)
    assert [a.id for a in game.legal_actions()][:2] == ["option:take", "option:package"]


def test_r8_aspiration_offset_lever_and_red_line(proto: LoadedScenario) -> None:
    game = Game(proto)
    port, fish = game.rules.articles["port"], game.rules.articles["fish"]
    assert cp.aspiration(game.rules, game.state, port) == 70 - 2
    assert cp.aspiration(game.rules, game.state, fish) == 70 - 2 - 10
    game.state.variables["support"] = 20
    game.state.articles["port"].softening = 5
    assert cp.aspiration(game.rules, game.state, port) == 70 - 2 - 20 - 5


def test_r9_refusals_concessions_and_concede_within(proto: LoadedScenario) -> None:
    game = Game(proto)
    game.state.variables["support"] = 30
    game.apply("counter:ours")  # two rungs off with concede_within 1: a flat refusal, 4 patience
    assert game.state.variables["patience"] == 46 and game.state.articles["port"].demand == 2
    assert game.state.decision == "d2"  # the one round is spent
    game = Game(proto)
    game.state.variables["support"] = 30
    game.apply("counter:shared")  # 'shared' (50) >= 68 - 30: accepted
    assert game.state.articles["port"].settled == 1


def test_r10_cables_answer_between_sessions_within_the_ceiling(proto: LoadedScenario) -> None:
    game = Game(proto)
    game.apply("mandate")
    assert game.state.variables["confidence"] == 45 and game.state.articles["port"].mandate == 0
    assert "mandate" not in [a.id for a in game.legal_actions()]  # one cable on this article at a time
    game.apply("hold")
    game.apply("hold")
    widened = [e for e in game.state.log if e.kind == "MandateWidened"]
    assert widened and widened[0].day == dt.date(1950, 3, 5) and game.state.articles["port"].mandate == 1
    assert cp.grants(game.rules, game.state, game.rules.articles["port"]) is False  # 'shared' is the ceiling


def test_r11_settling_beyond_the_mandate_costs_confidence_per_rung(proto: LoadedScenario) -> None:
    game = Game(proto)
    game.apply("accept")  # 'theirs' is two rungs beyond 'ours'
    assert game.state.variables["confidence"] == 50 - 2 * 10


def test_r12_walkouts_break_or_soften_and_end_the_session(proto: LoadedScenario) -> None:
    outcomes = set()
    for seed in range(30):
        game = Game(proto, seed)
        game.apply("walkout")
        if game.is_over():
            outcomes.add("broken")
            assert game.state.ending == "broken" and game.state.variables["patience"] == 0
        else:
            outcomes.add("survived")
            assert game.state.articles["port"].softening == 10
            assert game.state.decision == "d3"  # d2, the rest of the session, was passed over
    assert outcomes == {"broken", "survived"}


def test_r13_a_package_is_weighed_as_a_whole(proto: LoadedScenario) -> None:
    game = Game(proto)
    for move in ("hold", "hold", "accept"):
        game.apply(move)
    alone = game.clone()
    game.state.variables["support"] = 40  # port: 63 - 40 = 23 -> 'shared' +27; fish: 53 -> 'quota' -3
    game.apply("option:package")
    assert game.state.articles["fish"].settled == 1  # the port's surplus carries the fish
    alone.apply("option:package")  # without the support: port 50 - 63, fish 50 - 53 -> refused
    assert alone.state.articles["fish"].settled < 0 and "OfferRefused" in kinds(alone)


def test_r14_signing_opens_on_its_date_and_he_re_tables_his_terms(proto: LoadedScenario) -> None:
    game = Game(proto)
    assert "sign" not in [a.id for a in game.legal_actions()]  # 3 March: before 5 March
    for move in ("hold", "hold"):
        game.apply(move)
    assert "sign" in [a.id for a in game.legal_actions()]  # 8 March: on or after 5 March
    game.state.articles["fish"].demand = game.state.articles["fish"].standing = 0  # a treaty far too good for him
    game.state.variables["confidence"] = 100
    events = game.apply("sign")
    retabled = [e for e in events if e.kind == "TermsRetabled"]
    assert retabled and not game.is_over()
    assert game.state.articles["fish"].demand > 0  # he names his price
    game.apply("sign")
    assert game.is_over() and game.state.ending == "signed"


def test_r15_a_treaty_the_principal_will_not_ratify_ends_in_repudiation(proto: LoadedScenario) -> None:
    game = Game(proto)
    for move in ("hold", "hold"):
        game.apply(move)
    game.state.variables["confidence"] = 25  # 'theirs' on the port, 1 rung beyond 'shared': 10 -> 15 <= 20
    game.state.articles["port"].mandate = 1
    game.state.articles["port"].demand = game.state.articles["port"].standing = 2
    game.apply("sign")
    assert game.state.ending == "disowned" and game.state.signed_on is None


def squall_breaks(proto: LoadedScenario) -> Game:
    """Agree the port on 3 March, then see the squall of 4 March take the last of his patience."""
    game = Game(proto)
    game.apply("accept")
    game.state.variables["patience"] = 2  # + 3 for the next accept, - 5 in the squall
    game.apply("accept")
    return game


def test_r16_endings_are_tested_after_events_between_sessions(proto: LoadedScenario) -> None:
    game = squall_breaks(proto)
    assert game.state.ending == "broken" and day(game) == "1950-03-04"


def test_r17_terms_at_a_non_treaty_ending(proto: LoadedScenario) -> None:
    game = squall_breaks(proto)
    out = game.outcome()
    assert out is not None and out.terms == {"port": "theirs", "fish": UNSIGNED}  # nothing signed stands


def test_r18_interest_is_the_weighted_value_difference(proto: LoadedScenario) -> None:
    card = score_card(squall_breaks(proto))
    assert card.interest == ((0 - 60) * 10 + (30 - 50) * 10) / 20


def test_r19_fidelity_terms_and_timeline(proto: LoadedScenario) -> None:
    game = Game(proto)
    for move in ("hold", "hold", "accept", "option:take"):
        game.apply(move)
    game.apply("sign")  # 20 March, as history; the fish falls to 'all', one rung from 'quota' of two
    card = score_card(game)
    assert card.signed_on == dt.date(1950, 3, 20)
    assert card.fidelity == pytest.approx(0.8 * (10 * 1.0 + 10 * 0.5) / 20 + 0.2 * 1.0)


def test_r20_lines_by_article_condition_and_rotation(proto: LoadedScenario) -> None:
    game = Game(proto)
    game.state.variables["support"] = 30
    events = game.apply("hold")
    assert [e.text for e in events if e.kind == "DemandLowered"] == ["Then Shared."]  # {position}
    calm = Game(proto)
    assert [e.text for e in calm.apply("hold") if e.kind == "OfferRefused"] == ["No."]  # 'when' fails at 44
    angry = Game(proto)
    angry.state.variables["patience"] = 45
    angry.state.articles["port"].demand = angry.state.articles["port"].standing = 1
    said = [e.text for e in angry.apply("counter:ours") if e.kind == "OfferRefused"]  # 45 - 4 = 41: calm
    said += [e.text for e in angry.apply("hold") if e.kind == "OfferRefused"]  # d2 (fish), 35: angry
    assert said == ["No.", "Never, while I am angry."]


MEDIATOR = """\
  - id: sage
    name: The Sage
    side: c
    role: mediator
    ai: {kind: mediator, pressure: "{pressure}", goodwill: goodwill, ask_cost: 10, patience_cost: 2, max_asks: 3}
variables:
  - {id: goodwill, label: Goodwill, initial: 30}
"""


def test_r21_the_mediator_proposes_what_his_pressure_makes_acceptable(proto_text: str) -> None:
    """The proposal is the engine's bridge; taken or not, it is a concession for the session only."""
    for pressure, bridged in (("30", True), ("0", False)):
        game = Game(load_text(proto_text.replace("variables:\n", MEDIATOR.replace("{pressure}", pressure), 1),
                              "m.yaml"))
        r = game.rules
        art = r.articles["port"]
        expected = cp.bridge(r, game.state, art, float(pressure))
        before = dict(game.state.variables)
        game.apply("mediate")
        port = game.state.articles["port"]
        assert game.state.variables["goodwill"] == before["goodwill"] - 10
        assert game.state.variables["patience"] == before["patience"] - 2
        if bridged:
            assert expected < 2 and port.demand == expected and "Mediated" in kinds(game)
            assert game.state.decision == "d1" and game.state.round == 1
            game.apply("hold")  # the session goes on to d2, then adjourns: the mediated demand lapses
            while game.state.decision == "d2" or game.state.decision == "d1":
                game.apply("hold")
            lapsed = [e for e in game.state.log if e.kind == "ConcessionLapsed" and e.article == "port"]
            assert lapsed and lapsed[0].data == {"rung": expected, "standing": 2}
        else:
            assert expected == 2 and port.demand == 2 and "NoBridge" in kinds(game)
            assert game.state.decision == "d2"  # no bridge spends a round, and d1 has only one
