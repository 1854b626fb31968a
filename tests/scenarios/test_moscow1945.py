"""Moscow, Summer 1945: the golden historical playthrough and one test per rule case.

Each rule-case docstring names the historical situation it encodes (after the DATC suite of the
Diplomacy adjudicator); the facts are in shared/history/1945-negotiations.md.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from history import historical_until, kinds
from negotiation import Game, LoadedScenario, NegotiationError, load_file
from negotiation.actors import ScriptedPolicy
from negotiation.engine import counterparts as cp
from negotiation.resources import bundled_scenarios, scenarios_dir
from negotiation.scoring import score_card
from negotiation.sim import play

WEIGHTS = {"mongolia": 20, "port_arthur": 15, "dairen": 15, "railways": 15, "duration": 5, "withdrawal": 10,
           "aid": 10, "xinjiang": 5, "manchuria": 5}
HISTORICAL = {"mongolia": "plebiscite_existing", "port_arthur": "entrusted_commission",
              "dairen": "half_lease_wartime", "railways": "single_soviet_manager", "duration": "y30",
              "withdrawal": "three_months_minute", "aid": "written_note", "xinjiang": "written",
              "manchuria": "note_civil_affairs"}
SCRIPTS = scenarios_dir() / "scripts"


# ------------------------------------------------------------------ the golden playthrough
@pytest.mark.parametrize("seed", [0, 1, 7, 42, 1945, 2**40 + 3])
def test_historical_path_reproduces_the_treaty_of_14_august(moscow: LoadedScenario, seed: int) -> None:
    """Playing what the real delegation did at every decision gives exactly the 1945 treaty."""
    game = Game(moscow, seed)
    while not game.is_over():
        game.apply(game.historical_action() or "")
    card = score_card(game)
    assert card.ending == "treaty"
    assert card.signed_on == dt.date(1945, 8, 14) and card.days_from_history == 0
    assert card.interest == 0 and card.fidelity == 1.0
    assert {a.article: a.position for a in card.articles} == HISTORICAL
    assert len(game.action_log) >= 30


def test_the_articles_and_their_historical_rungs(moscow: LoadedScenario) -> None:
    """All nine articles of GAME.md, with its weights and the brief's final package marked."""
    arts = {a.id: a for a in moscow.scenario.articles}
    assert {k: a.weight for k, a in arts.items()} == WEIGHTS
    assert {k: a.historical for k, a in arts.items()} == HISTORICAL
    for a in arts.values():
        values = [p.value["china"] for p in a.positions]
        assert values == sorted(values, reverse=True), a.id


def test_the_calendar_has_every_session(moscow: LoadedScenario) -> None:
    """The sessions of 2, 7, 9, 11, 12 July, Molotov's drafting on 10 July, 7, 10, 13 August, signing on 14."""
    days = {d.date for d in moscow.scenario.decisions}
    for day in (dt.date(1945, 7, d) for d in (2, 7, 9, 10, 11, 12)):
        assert day in days
    for day in (dt.date(1945, 8, d) for d in (7, 10, 13, 14)):
        assert day in days
    phases = [(p.id, p.start, p.end) for p in moscow.scenario.phases]
    assert phases[0][1] == dt.date(1945, 6, 9) and phases[-1][0] == "epilogue"


def test_every_decision_cites_known_sources(moscow: LoadedScenario) -> None:
    keys = set(moscow.scenario.scenario.sources)
    for d in moscow.scenario.decisions:
        assert d.sources and set(d.sources) <= keys, d.id
        assert d.history, d.id


# ------------------------------------------------------------------ rule cases
def test_2_july_shelving_mongolia_is_refused(moscow: LoadedScenario) -> None:
    """2 July: Soong proposes to leave Outer Mongolia's status undefined; Stalin refuses."""
    game = historical_until(moscow, "d0702_mongolia")
    events = game.apply("counter:shelved")
    assert "OfferRefused" in kinds(events)
    assert game.rules.articles["mongolia"].ids[game.state.articles["mongolia"].demand] == "immediate"


def test_2_july_stalin_drops_the_word_lease(moscow: LoadedScenario) -> None:
    """2 July: the session opens on Port Arthur without the word 'lease' (the substance stays: Soviet rule)."""
    game = historical_until(moscow, "d0702_port_arthur")
    assert game.rules.articles["port_arthur"].ids[game.state.articles["port_arthur"].demand] == "soviet_admin"
    assert moscow.scenario.articles[1].demand == "tsarist_lease"  # Yalta's and Petrov's, in June


def test_2_july_stalin_does_not_move_on_forty_five_years(moscow: LoadedScenario) -> None:
    """2 July: Soong does not take the 45-year term; Stalin does not move that night. By 9 July it is 40."""
    game = historical_until(moscow, "d0702_duration")
    assert "OfferRefused" in kinds(game.apply("hold"))
    game = historical_until(moscow, "d0709_duration")
    assert game.rules.articles["duration"].ids[game.state.articles["duration"].demand] == "y40"


def test_9_july_the_plebiscite_formula_is_accepted_only_as_a_package(moscow: LoadedScenario) -> None:
    """9 July: Chiang's formula (Mongolia for the pledges on the CCP and Xinjiang) is accepted as a whole,
    while the plebiscite offered alone, with nothing asked in return, would not be."""
    game = historical_until(moscow, "d0709_mongolia")
    alone = game.clone()
    alone.apply("counter:plebiscite_commission")
    assert alone.state.articles["mongolia"].settled < 0  # alone, he wants more for it
    game.apply("option:plebiscite_link")
    settled = {k: game.rules.articles[k].ids[a.settled] for k, a in game.state.articles.items() if a.settled >= 0}
    assert settled["mongolia"] == "plebiscite_commission"
    assert settled["aid"] == "written_note" and settled["xinjiang"] == "written"


def test_conceding_beyond_the_mandate_costs_chiangs_confidence(moscow: LoadedScenario) -> None:
    """2 July: accepting immediate recognition of Mongolia goes far beyond Chiang's mandate (autonomy at most)."""
    game = historical_until(moscow, "d0702_mongolia")
    before = game.state.variables["confidence"]
    mandate = game.state.articles["mongolia"].mandate
    assert game.rules.articles["mongolia"].ids[mandate] == "status_quo_autonomy"
    events = game.apply("accept")
    assert "MandateExceeded" in kinds(events)
    cost = game.rules.principal.overreach_cost  # type: ignore[union-attr]
    assert game.state.variables["confidence"] == before - (4 - mandate) * cost


def test_12_july_the_maximum_offer_on_the_railways_is_unsatisfactory(moscow: LoadedScenario) -> None:
    """12 July: Stalin calls Soong's split railway management unsatisfactory before Potsdam."""
    game = historical_until(moscow, "d0712_railways")
    assert "OfferRefused" in kinds(game.apply("counter:split_managers"))
    assert game.state.articles["railways"].settled < 0


def test_7_august_stalin_accepts_the_split_management_before_the_war(moscow: LoadedScenario) -> None:
    """7 August, the night before the Soviet entry: Stalin accepts Soong's railway formula."""
    game = historical_until(moscow, "d0807_railways")
    game.apply("accept")
    assert game.rules.articles["railways"].ids[game.state.articles["railways"].settled] == "split_managers"


def test_10_august_at_war_stalin_takes_back_dairen_and_the_railways(moscow: LoadedScenario) -> None:
    """10 August: with the Red Army in Manchuria he reopens what he had conceded on 7 August."""
    game = historical_until(moscow, "d0807_dairen")
    game.apply("hold")  # he comes down from the joint commission...
    game.apply("counter:outside_zone")  # ...and, with some American backing, leaves Dairen outside the zone
    if game.state.articles["dairen"].settled < 0:
        game.state.variables["us_support"] = 80
        game.apply("counter:outside_zone")
    assert game.rules.articles["dairen"].ids[game.state.articles["dairen"].settled] == "outside_zone"
    while game.state.decision != "d0808_eve":
        game.apply(game.historical_action() or "")
    game.apply("option:keep_talking")
    log = [e for e in game.state.log if e.kind == "ArticleReopened"]
    assert {e.article for e in log} >= {"dairen", "railways"}
    assert all(e.day == dt.date(1945, 8, 10) for e in log)


def test_after_the_soviet_entry_dairen_outside_the_zone_is_a_red_line(moscow: LoadedScenario) -> None:
    """10 August: 'otherwise nothing will come out' — at war, Dairen must be in the zone in wartime."""
    game = historical_until(moscow, "d0810_dairen")
    art = game.rules.articles["dairen"]
    assert cp.floor(art, game.state) == art.ids.index("half_lease_wartime")
    assert not cp.acceptable(game.rules, game.state, art, art.ids.index("outside_zone"))


def test_harrimans_letters_lower_stalins_price_on_dairen(moscow: LoadedScenario) -> None:
    """9 and 12 August: American support is what brings Dairen down to the historical lease."""
    game = historical_until(moscow, "d0813_dairen")
    art = game.rules.articles["dairen"]
    rung = art.ids.index("half_lease_wartime")
    assert cp.acceptable(game.rules, game.state, art, rung)
    without = game.clone()
    without.state.variables["us_support"] = 0
    assert not cp.acceptable(without.rules, without.state, art, rung)


def test_always_conceding_gets_the_delegation_recalled(moscow: LoadedScenario) -> None:
    """Accepting every Soviet demand outruns Chiang's mandate: he recalls the delegation."""
    game = Game(moscow, 3)
    while not game.is_over():
        legal = [a.id for a in game.legal_actions()]
        game.apply("accept" if "accept" in legal else next(a for a in legal if a != "sign"))
    assert game.state.ending == "recalled"


def test_always_holding_firm_breaks_the_talks_in_july(moscow: LoadedScenario) -> None:
    """Refusing everything exhausts Stalin's patience before Soong can go home for Potsdam."""
    game = Game(moscow, 3)
    while not game.is_over():
        legal = [a.id for a in game.legal_actions()]
        game.apply("hold" if "hold" in legal else next(a for a in legal if a not in ("sign", "accept")))
    assert game.state.ending == "talks_broken" and game.state.day <= dt.date(1945, 7, 14)


def test_settling_before_the_soviet_entry_beats_history(moscow: LoadedScenario) -> None:
    """A thoughtful line: keep the term and the withdrawal open in July, win Washington's backing in the
    recess, press every article on 7 August while Stalin is in a hurry, sign on the eve of the war."""
    game = play(Game(moscow, 0), ScriptedPolicy.from_file(SCRIPTS / "settle-7-august.yaml"))
    card = score_card(game)
    assert card.ending == "treaty_before_entry" and card.signed_on == dt.date(1945, 8, 8)
    assert 5 < card.interest < 20
    positions = {a.article: a.position for a in card.articles}
    assert positions["dairen"] == "outside_zone" and positions["railways"] == "split_managers"
    assert positions["withdrawal"] == "two_months_treaty" and positions["port_arthur"] == "joint_use_no_say"


def test_refusing_to_sign_runs_into_japans_surrender(moscow: LoadedScenario) -> None:
    """Stalling past 14 August: Japan surrenders with the Red Army in Manchuria and nothing signed."""
    game = historical_until(moscow, "d0814_sign")
    game.apply("option:go_home")
    card = score_card(game)
    assert card.ending == "no_treaty" and card.signed_on is None and card.interest < 0
    terms = {a.article: a for a in card.articles}
    assert terms["aid"].position == "nothing"
    assert terms["duration"].position_label.startswith("No term")  # no '45 years' where nothing was signed
    assert terms["mongolia"].position_label.startswith("No treaty")  # not 'question shelved', a gain


def test_a_walkout_is_riskier_once_the_ussr_is_at_war(moscow: LoadedScenario) -> None:
    """With his patience the same, walking out before the entry breaks the talks less often than at war;
    and the lower his patience, the likelier the break."""
    def breaks(decision: str, patience: float = 50) -> int:
        base = historical_until(moscow, decision)
        base.state.variables["patience"] = patience
        count = 0
        for seed in range(200):
            g = base.clone()
            g.state.rng = seed
            g.apply("walkout")
            count += g.state.ending == "talks_broken"
        return count

    assert breaks("d0712_railways", 70) < breaks("d0712_railways", 40)

    assert 0 < breaks("d0712_railways") < breaks("d0810_railways") <= 200


def test_the_bundled_scripts_beat_history_on_their_own_scenarios() -> None:
    """Each bundled script names its scenario and is the 'thoughtful line' its comment says: a treaty above 0."""
    paths = sorted(Path(SCRIPTS).glob("*.yaml"))
    assert len(paths) >= 2
    for path in paths:
        policy = ScriptedPolicy.from_file(path)
        assert policy.scenario in bundled_scenarios(), path
        game = play(Game(load_file(bundled_scenarios()[policy.scenario]), 0), policy)
        card = score_card(game)
        assert game.rules.ending_by_id[card.ending].signed and card.interest > 0, (path, card.ending, card.interest)
        with pytest.raises(NegotiationError, match="is written for scenario"):
            policy.check_scenario("tutorial")
