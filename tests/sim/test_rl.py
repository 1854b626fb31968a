"""The Gymnasium environment: Gymnasium's own checker, masks, rewards, and episodes that replay as games."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

gym = pytest.importorskip("gymnasium")
np = pytest.importorskip("numpy")

from gymnasium.utils.env_checker import check_env  # noqa: E402

from negotiation import Game, LoadedScenario, NegotiationError  # noqa: E402
from negotiation.engine.rules import rules_for  # noqa: E402
from negotiation.rl import ENV_ID, NegotiationEnv  # noqa: E402
from negotiation.scoring import score_card  # noqa: E402


def episode(env: NegotiationEnv, seed: int, pick: Any) -> tuple[list[str], list[float], dict[str, Any]]:
    """Play one episode; return the action ids played, the rewards and the last info."""
    obs, info = env.reset(seed=seed)
    played: list[str] = []
    rewards: list[float] = []
    rng = np.random.default_rng(seed)
    while True:
        obs, reward, terminated, truncated, info = env.step(pick(env, info, rng))
        assert obs in env.observation_space
        played.append(info["action"])
        rewards.append(float(reward))
        if terminated or truncated:
            return played, rewards, info


def masked_random(env: NegotiationEnv, info: dict[str, Any], rng: Any) -> int:
    return int(rng.choice(np.flatnonzero(info["action_mask"])))


@pytest.mark.parametrize("scenario", ["moscow1945", "moscow1950", "tutorial"])
def test_gymnasiums_checker_passes(scenario: str) -> None:
    env = gym.make(ENV_ID, scenario=scenario)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_env(env.unwrapped)
    assert [str(w.message) for w in caught] == []


def test_an_episode_replays_as_the_same_game_through_the_game_api(moscow: LoadedScenario) -> None:
    env = NegotiationEnv(moscow)
    for seed in range(5):
        played, _, info = episode(env, seed, masked_random)
        game = Game.replay(moscow, seed, played)
        card = score_card(game)
        assert game.is_over() and info["seed"] == seed
        assert (card.ending, card.interest, card.fidelity) == (info["ending"], info["interest"], info["fidelity"])


def test_the_mask_is_the_legal_actions_each_at_its_own_index(moscow: LoadedScenario) -> None:
    env = NegotiationEnv(moscow)
    _, info = env.reset(seed=3)
    for _ in range(40):
        game = env.game
        assert game is not None
        if game.is_over():
            break
        legal = game.legal_actions()
        indices = [env.actions.index(game, a) for a in legal]
        assert len(set(indices)) == len(legal)
        assert sorted(indices) == list(np.flatnonzero(info["action_mask"]))
        for i, a in zip(indices, legal, strict=True):
            name = env.action_names[i]
            assert name == a.kind or name.startswith(("counter@", f"option:{game.state.decision}/"))
        _, _, _, _, info = env.step(indices[-1])


def test_the_historical_line_through_the_environment_scores_zero(moscow: LoadedScenario) -> None:
    def history(env: NegotiationEnv, info: dict[str, Any], rng: Any) -> int:
        game = env.game
        assert game is not None
        hist = game.historical_action()
        legal = game.legal_actions()
        return env.actions.index(game, next((a for a in legal if a.id == hist), legal[0]))

    _, rewards, info = episode(NegotiationEnv(moscow), 0, history)
    assert info["interest"] == 0.0 and info["fidelity"] == 1.0 and sum(rewards) == 0.0


def test_rewards_interest_fidelity_and_shaped(moscow: LoadedScenario) -> None:
    for seed in range(3):
        _, rewards, info = episode(NegotiationEnv(moscow, reward="interest"), seed, masked_random)
        assert rewards[:-1] == [0.0] * (len(rewards) - 1) and rewards[-1] == pytest.approx(info["interest"] / 100)
        _, rewards, info = episode(NegotiationEnv(moscow, reward="fidelity"), seed, masked_random)
        assert rewards[-1] == pytest.approx(info["fidelity"]) and not any(rewards[:-1])
        env = NegotiationEnv(moscow, reward="shaped")
        env.reset(seed=seed)
        start = env._potential
        _, rewards, info = episode(env, seed, masked_random)
        assert sum(rewards) == pytest.approx(info["interest"] / 100 - start)


def test_an_illegal_action_costs_a_little_and_changes_nothing(moscow: LoadedScenario) -> None:
    env = NegotiationEnv(moscow, max_steps=3)
    obs, info = env.reset(seed=1)
    illegal = int(np.flatnonzero(info["action_mask"] == 0)[0])
    obs2, reward, terminated, truncated, info2 = env.step(illegal)
    assert reward == -0.01 and info2["illegal"] and not terminated and not truncated
    assert np.array_equal(obs, obs2) and env.game is not None and env.game.actions == []
    env.step(illegal)
    assert env.step(illegal)[3] is True  # truncated at max_steps
    strict = NegotiationEnv(moscow, illegal="raise")
    strict.reset(seed=1)
    with pytest.raises(NegotiationError, match="is not legal now"):
        strict.step(illegal)


def test_observations_are_named_bounded_and_fresh(moscow: LoadedScenario) -> None:
    env = NegotiationEnv(moscow)
    obs, info = env.reset(seed=0)
    assert obs.shape == (len(env.observation_names),) and obs.dtype == np.float32
    assert env.observation_names[0] == "calendar" and "var:patience" in env.observation_names
    assert obs[env.observation_names.index("table:none")] in (0.0, 1.0)
    again, info2 = env.reset(seed=0)
    assert np.array_equal(obs, again) and obs is not again and info["action_mask"] is not info2["action_mask"]


def test_render_shows_the_moves_with_their_indices(moscow: LoadedScenario) -> None:
    env = NegotiationEnv(moscow, render_mode="ansi")
    _, info = env.reset(seed=0)
    text = env.render()
    assert text is not None
    for i in np.flatnonzero(info["action_mask"]):
        assert f"[{i}]" in text


def test_bad_settings_are_refused(mini: LoadedScenario) -> None:
    with pytest.raises(NegotiationError, match="unknown reward"):
        NegotiationEnv(mini, reward="money")
    with pytest.raises(NegotiationError, match="no scenario 'atlantis'"):
        NegotiationEnv("atlantis")
    env = NegotiationEnv(rules_for(mini))
    with pytest.raises(NegotiationError, match="call reset"):
        env.step(0)


def test_the_example_agent_trains_and_reports_against_history() -> None:
    """examples/rl_agent.py, for a few seconds on the tutorial."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).parents[2] / "examples" / "rl_agent.py"
    out = subprocess.run([sys.executable, str(script), "--scenario", "tutorial", "--minutes", "0.05",
                          "--eval-seeds", "5"], capture_output=True, text=True, check=True, timeout=120)
    assert "trained agent" in out.stdout and "historical delegation" in out.stdout
    assert "+0.00" in out.stdout.split("historical delegation")[1]
