"""Moscow, Winter 1950: the golden historical playthrough and one test per rule case.

Each rule-case docstring names the historical situation it encodes (after the DATC suite of the
Diplomacy adjudicator); the facts are in shared/history/1950-negotiations.md, the levers' reasons in
the scenario's comments and notes.
"""

from __future__ import annotations

import datetime as dt

import pytest

from history import historical_until, kinds
from negotiation import Game, LoadedScenario, load_file
from negotiation.actors import ScriptedPolicy
from negotiation.engine import counterparts as cp
from negotiation.resources import scenario_path, scenarios_dir
from negotiation.scoring import score_card
from negotiation.sim import play

WEIGHTS = {"form": 15, "alliance": 10, "ccr": 20, "port_arthur": 15, "dalian": 5, "loan": 10, "mongolia": 5,
           "transit": 5, "third_countries": 5, "specialists": 5, "property": 5}
HISTORICAL = {"form": "new_treaty", "alliance": "all_means", "ccr": "end_1952", "port_arthur": "end_1952",
              "dalian": "chinese_1950", "loan": "five_years", "mongolia": "notes_confirm", "transit": "threat_oral",
              "third_countries": "reciprocal_secret", "specialists": "compensation", "property": "returned_free"}
SCRIPTS = scenarios_dir() / "scripts"


@pytest.fixture(scope="module")
def m50() -> LoadedScenario:
    return load_file(scenario_path("moscow1950"))


def rung(game: Game, art: str, name: str) -> int:
    return game.rules.articles[art].ids.index(name)


def acceptable(game: Game, art: str, name: str) -> bool:
    return cp.acceptable(game.rules, game.state, game.rules.articles[art], rung(game, art, name))


def position(game: Game, art: str) -> str:
    a = game.state.articles[art]
    return game.rules.articles[art].ids[a.settled if a.settled >= 0 else a.demand]


# ------------------------------------------------------------------ the golden playthrough
@pytest.mark.parametrize("seed", [0, 1, 7, 42, 1950, 2**40 + 3])
def test_historical_path_reproduces_the_treaty_of_14_february(m50: LoadedScenario, seed: int) -> None:
    """Playing what the real delegation did at every decision gives exactly the 1950 package."""
    game = Game(m50, seed)
    while not game.is_over():
        game.apply(game.historical_action() or "")
    card = score_card(game)
    assert card.ending == "treaty"
    assert card.signed_on == dt.date(1950, 2, 14) and card.days_from_history == 0
    assert card.interest == 0 and card.fidelity == 1.0
    assert {a.article: a.position for a in card.articles} == HISTORICAL


def test_the_articles_and_their_historical_rungs(m50: LoadedScenario) -> None:
    """Eleven articles, their weights, and the historical rung of each, never the best nor the worst."""
    arts = {a.id: a for a in m50.scenario.articles}
    assert {k: a.weight for k, a in arts.items()} == WEIGHTS
    assert {k: a.historical for k, a in arts.items()} == HISTORICAL
    for a in arts.values():
        values = [p.value["prc"] for p in a.positions]
        assert values == sorted(values, reverse=True), a.id
        ids = [p.id for p in a.positions]
        assert 0 < ids.index(a.historical) < len(ids) - 1, f"{a.id}: history must be beatable and losable"


def test_the_calendar_has_every_meeting(m50: LoadedScenario) -> None:
    """Stalin on 16 and 24 December and 22 January; Molotov on 2 January; Zhou's sessions of 24–26 January
    and 31 January–2 February; the signing on 14 February."""
    days = {d.date for d in m50.scenario.decisions}
    for day in (dt.date(1949, 12, 16), dt.date(1949, 12, 24), dt.date(1950, 1, 2), dt.date(1950, 1, 22),
                dt.date(1950, 1, 24), dt.date(1950, 1, 26), dt.date(1950, 1, 31), dt.date(1950, 2, 1),
                dt.date(1950, 2, 2), dt.date(1950, 2, 14)):
        assert day in days, day


def test_every_decision_cites_known_sources(m50: LoadedScenario) -> None:
    keys = set(m50.scenario.scenario.sources)
    for d in m50.scenario.decisions:
        assert d.sources and set(d.sources) <= keys, d.id
        assert d.history, d.id


# ------------------------------------------------------------------ rule cases
def test_16_december_stalin_keeps_the_1945_treaty_in_form(m50: LoadedScenario) -> None:
    """16 December: with nothing yet behind Mao, Stalin will not change a clause of the 1945 treaty;
    not even a communiqué beside it is on offer."""
    game = Game(m50, 0)
    assert game.state.decision == "d1216_formula"
    assert position(game, "form") == "keep_1945"
    assert not acceptable(game, "form", "communique")
    assert "OfferRefused" in kinds(game.apply("counter:communique"))


def test_nothing_can_be_signed_before_the_soviet_drafts(m50: LoadedScenario) -> None:
    """Until 23 January there is no text to sign (the twelve Soviet drafts went to Stalin on 22 January):
    'sign' is never offered, whatever is played."""
    assert m50.scenario.signing.opens == dt.date(1950, 1, 23)
    game = historical_until(m50, "d0122_loan")
    assert "sign" not in [a.id for a in game.legal_actions()]
    game = historical_until(m50, "d0124_alliance")
    assert "sign" in [a.id for a in game.legal_actions()]


def test_2_january_molotov_chooses_a_new_treaty_once_the_sit_in_has_worked(m50: LoadedScenario) -> None:
    """2 January: after the sit-in, the rumours and the recognitions of Burma and India, Molotov at once
    chooses a new treaty; five points of leverage short, he would rather a statement (graded, no cliff)."""
    game = historical_until(m50, "d0102_molotov")
    assert game.state.variables["leverage"] == 55
    assert acceptable(game, "form", "new_treaty")
    short = game.clone()
    short.state.variables["leverage"] = 50
    assert not acceptable(short, "form", "new_treaty") and acceptable(short, "form", "signed_statement")
    game.apply("option:three_ways")
    assert position(game, "form") == "new_treaty"


def test_going_home_with_stalins_formula_signs_nothing_new(m50: LoadedScenario) -> None:
    """Brief §5a: had Mao taken Stalin's December formula the visit would have ended sooner, with no date
    for the railway and no alliance; nothing new is signed, so nothing new stands but the June credit."""
    game = historical_until(m50, "d1225_dacha")
    game.apply("option:go_home")
    card = score_card(game)
    assert card.ending == "formula" and card.signed_on is None
    terms = {a.article: a for a in card.articles}
    assert terms["form"].position == "keep_1945" and terms["ccr"].position == "keep_1945"
    assert terms["loan"].position == "five_years"
    assert terms["transit"].position_label.startswith("No protocol")  # not 'at will': nothing was signed
    assert terms["mongolia"].position_label.startswith("No new text")
    assert card.interest < -40


def test_pressing_the_capitals_counts_only_until_zhou_arrives(m50: LoadedScenario) -> None:
    """Rangoon, Delhi and London weighed while Stalin was deciding whether to have a treaty at all; once
    Zhou is in Moscow (20 January) pressing the point adds nothing, and it is no longer offered."""
    early = historical_until(m50, "d1224_second")
    early.apply("ally")
    while early.state.decision != "d1225_dacha":
        early.apply(early.historical_action() or "")
    assert early.state.variables["leverage"] == 10 + 8
    late = historical_until(m50, "d0124_alliance")
    decision = late.decision()
    assert decision is not None and "ally" in decision.moves  # the decision lists it ...
    assert "ally" not in [a.id for a in late.legal_actions()]  # ... but Zhou is in Moscow
    assert "date < 1950-01-20" in (late.why_not("ally") or "")


def test_22_january_mao_asks_for_three_or_four_years_and_stalin_keeps_five(m50: LoadedScenario) -> None:
    """22 January: Mao wanted deliveries in three or four years; Stalin kept five, from 1 January 1950.
    Only a Mao who had pressed Stalin much harder (leverage near 90) would have had them."""
    game = historical_until(m50, "d0122_loan")
    assert "OfferRefused" in kinds(game.clone().apply("counter:three_years"))
    game.state.variables["leverage"] = 81  # the capitals pressed twice: still not enough
    assert not acceptable(game, "loan", "three_years")
    game.state.variables["leverage"] = 90
    assert acceptable(game, "loan", "three_years")


def test_22_january_a_date_for_the_railway_alone_is_refused(m50: LoadedScenario) -> None:
    """22 January: Stalin would keep the 1945 railway agreement in law and revise it in practice; the
    Chinese side did not agree, but a date for the railway on its own was not to be had."""
    game = historical_until(m50, "d0122_ccr")
    assert "OfferRefused" in kinds(game.apply("option:date_now"))
    assert game.state.articles["ccr"].settled < 0


def test_24_january_zhou_makes_may_into_shall_immediately(m50: LoadedScenario) -> None:
    """24 January: the Soviet draft's 'may render' aid becomes 'immediately ... with all means' in Zhou's
    redraft; aid against any aggressor at all is beyond what Stalin would give."""
    game = historical_until(m50, "d0124_alliance")
    assert position(game, "alliance") == "may_render"
    assert not acceptable(game, "alliance", "any_aggressor")
    game.apply("counter:all_means")
    assert position(game, "alliance") == "all_means"


def test_26_january_the_1952_dates_come_only_as_one_package(m50: LoadedScenario) -> None:
    """26 January: Zhou's single agreement for the railway, Port Arthur and Dalian. Neither 1952 date is
    acceptable to Stalin alone; the three together are, Dalian's slack paying for the rest."""
    game = historical_until(m50, "d0126_package")
    assert not acceptable(game, "ccr", "end_1952") and not acceptable(game, "port_arthur", "end_1952")
    assert acceptable(game, "dalian", "chinese_1950")
    events = game.apply("option:single_package")
    assert "OfferAccepted" in kinds(events)
    assert [position(game, a) for a in ("ccr", "port_arthur", "dalian")] == ["end_1952", "end_1952", "chinese_1950"]


def test_mongolia_buys_port_arthur_only_if_acheson_was_answered_as_moscow_asked(m50: LoadedScenario) -> None:
    """Shen Zhihua: Zhou tied Mongolia to the Northeast. After Hu Qiaomu's statement slighted Moscow over
    Outer Mongolia the bargain is not offered; after a Foreign Ministry answer it wins Port Arthur free."""
    hist = historical_until(m50, "d0126_package")
    assert "option:mongolia_link" not in [a.id for a in hist.legal_actions()]
    game = historical_until(m50, "d0117_acheson")
    game.apply("option:ministry")
    while game.state.decision != "d0126_package":
        game.apply(game.historical_action() or "")
    game.apply("option:mongolia_link")
    assert position(game, "port_arthur") == "no_compensation" and position(game, "mongolia") == "notes_confirm"


def test_31_january_reciprocity_is_refused_and_the_concession_lapses(m50: LoadedScenario) -> None:
    """31 January: Zhou asks for Chinese transit to Xinjiang; the Soviets limit their own right to a threat
    of war but call reciprocity a veiled counter-proposal. What they concede lapses with the session."""
    game = historical_until(m50, "d0131_transit")
    assert position(game, "transit") == "at_will"
    assert "DemandLowered" in kinds(game.apply("counter:reciprocal"))
    assert position(game, "transit") == "threat_oral"
    events = game.apply("counter:reciprocal")
    assert "OfferRefused" in kinds(events) and "ConcessionLapsed" in kinds(events)
    assert game.state.articles["transit"].settled < 0


def test_2_february_mikoyans_ten_years_for_reciprocity(m50: LoadedScenario) -> None:
    """2 February: insist on Chinese transit in writing and the railway stays joint to 1962. Paid for,
    the reciprocity survives the signing (it is no longer beyond Stalin's red line)."""
    game = historical_until(m50, "d0202_mikoyan")
    game.apply("option:insist")
    while not game.is_over():
        game.apply(game.historical_action() or "")
    card = score_card(game)
    terms = {a.article: a.position for a in card.articles}
    assert card.ending == "treaty" and terms["transit"] == "reciprocal" and terms["ccr"] == "end_1962"
    assert card.interest < 0


def test_after_the_shanghai_raid_air_cover_makes_the_secret_agreement_a_red_line(m50: LoadedScenario) -> None:
    """7–8 February: one account ties the supplementary agreement to Soviet air cover for Shanghai. Asked
    for, the agreement cannot be refused; not asked for, Beijing's confidence pays and it can."""
    game = historical_until(m50, "d0208_third")
    assert not acceptable(game, "third_countries", "none")
    game = historical_until(m50, "d0207_air_cover")
    before = game.state.variables["confidence"]
    game.apply("option:no_cover")
    assert game.state.variables["confidence"] == before - 25
    assert acceptable(game, "third_countries", "none")


def test_12_february_stalins_counter_offer_on_the_specialists(m50: LoadedScenario) -> None:
    """12 February: Zhou proposes paying in goods; the Soviets come down from 2,000–4,000 roubles to
    1,500–3,000, in roubles, and Zhou lets it go."""
    game = historical_until(m50, "d0212_specialists")
    assert position(game, "specialists") == "draft_rates"
    assert "DemandLowered" in kinds(game.apply("counter:goods_lower"))
    assert position(game, "specialists") == "compensation"
    game.apply("accept")
    assert position(game, "specialists") == "compensation"


def test_13_february_publication_is_referred_to_moscow_while_secrets_remain(m50: LoadedScenario) -> None:
    """13 February: Zhou asks to publish all the agreements; Vyshinsky refers it to his government, and
    the supplementary agreement and the protocols stay secret."""
    game = historical_until(m50, "d0213_publish")
    assert "OfferRefused" in kinds(game.apply("option:publish_all"))
    assert position(game, "form") == "new_treaty"


def test_14_february_a_gain_beyond_history_is_retabled_not_refused(m50: LoadedScenario) -> None:
    """The knife-edge of 14 August 1945, in 1950: a term won beyond Stalin's red line is still in the draft
    at the signing. He names his terms instead of refusing, and signing them gives a treaty."""
    game = historical_until(m50, "d0214_sign")
    st = game.state.articles["transit"]
    st.settled = st.demand = st.standing = rung(game, "transit", "reciprocal")
    events = game.apply("sign")
    assert "TermsRetabled" in kinds(events) and not game.is_over()
    assert position(game, "transit") == "threat_oral"
    game.apply("sign")
    assert game.state.ending == "treaty"


def test_beijing_must_stand_behind_the_treaty(m50: LoadedScenario) -> None:
    """Liu Shaoqi and the Politburo: a signature that would take the delegation past Beijing's confidence
    is not made; the game ends with Beijing refusing to stand behind it."""
    game = historical_until(m50, "d0212_specialists")
    game.state.variables["confidence"] = 5  # what is left after, say, Shanghai left bare and a lone Mao
    events = game.apply("sign")  # the specialists open at the Soviet draft rates, a rung beyond the mandate
    assert "SigningVetoed" in kinds(events)
    assert game.state.ending == "beijing_balks" and score_card(game).signed_on is None


def test_a_walkout_is_riskier_the_less_patient_stalin_is(m50: LoadedScenario) -> None:
    """Mao's threat to leave worked, but only after two weeks: walking out breaks the talks more often as
    Stalin's patience runs down (graded, not a fixed draw)."""
    def breaks(patience: float) -> int:
        base = historical_until(m50, "d1225_dacha")
        base.state.variables["patience"] = patience
        count = 0
        for seed in range(200):
            g = base.clone()
            g.state.rng = seed
            g.apply("walkout")
            count += g.state.ending == "talks_broken"
        return count

    assert 0 < breaks(70) < breaks(45) < breaks(25)


def test_the_mongolian_script_beats_history_modestly(m50: LoadedScenario) -> None:
    """A thoughtful line: answer Acheson as Moscow asks, trade Mongolia's note for Port Arthur, leave
    Shanghai bare and refuse the secret agreement, then publish everything."""
    game = play(Game(m50, 0), ScriptedPolicy.from_file(SCRIPTS / "moscow1950-mongolia-link.yaml"))
    card = score_card(game)
    assert card.ending == "treaty" and card.signed_on == dt.date(1950, 2, 14)
    assert 5 < card.interest < 20
    terms = {a.article: a.position for a in card.articles}
    assert terms["port_arthur"] == "no_compensation" and terms["third_countries"] == "none"
    assert terms["form"] == "published"
