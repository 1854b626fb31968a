"""Policies from outside: package.module:Class and the negotiation.policies entry-point group."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from negotiation import Game, LoadedScenario, NegotiationError
from negotiation.actors import make_policy, plugin_names
from negotiation.actors.policies import ScriptedPolicy, _plugin
from negotiation.cli import main
from negotiation.sim import play, simulate

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINI = str(FIXTURES / "mini.yaml")

POLICY_MODULE = '''
class Stubborn:
    """Hold whenever possible, otherwise the first legal move."""

    name = "stubborn"

    def __init__(self, seed):
        self.seed = seed

    def choose(self, game):
        legal = game.legal_actions()
        return next((a for a in legal if a.kind == "hold"), legal[0])


def not_a_policy(seed):
    return 42


VALUE = 3
'''


@pytest.fixture
def plugin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on sys.path with the module 'my_policies', and an installed distribution offering 'stubborn'."""
    (tmp_path / "my_policies.py").write_text(POLICY_MODULE, encoding="utf-8")
    dist = tmp_path / "my_policies-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: my-policies\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[negotiation.policies]\nstubborn = my_policies:Stubborn\n",
                                           encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    _plugin.cache_clear()
    yield tmp_path
    _plugin.cache_clear()


def test_a_class_named_by_module_and_name_plays(plugin_dir: Path, mini: LoadedScenario) -> None:
    game = play(Game(mini, 3), make_policy("my_policies:Stubborn", 3))
    assert game.is_over()
    assert game.actions[0] == "hold"


def test_an_installed_plugin_is_found_by_its_entry_point_name(plugin_dir: Path, mini: LoadedScenario) -> None:
    assert "stubborn" in plugin_names()
    by_name = simulate(mini, "stubborn", 4, seed=1)
    by_path = simulate(mini, "my_policies:Stubborn", 4, seed=1)
    assert by_name["runs"] == by_path["runs"]
    assert simulate(mini, "stubborn", 70, seed=1, workers=2)["runs"][:4] == by_name["runs"]


def test_simulate_command_takes_a_plugin(plugin_dir: Path, tmp_path: Path) -> None:
    assert main(["simulate", MINI, "--policy", "my_policies:Stubborn", "--runs", "3", "--json",
                 str(tmp_path / "r.json")]) == 0
    assert json.loads((tmp_path / "r.json").read_text())["policy"] == "my_policies:Stubborn"


@pytest.mark.parametrize(("name", "message"), [
    ("no_such_module:Thing", "cannot import 'no_such_module'"),
    ("my_policies:Missing", "'my_policies' has no 'Missing'"),
    ("my_policies:VALUE", "is a int, not a class or function"),
    ("my_policies:not_a_policy", "gave a int, which has no choose(game) method"),
    ("my policies:X", "write a plug-in policy as package.module:Class"),
    ("clever", "unknown policy 'clever'; choose from random"),
])
def test_plugin_errors_say_what_is_wrong(plugin_dir: Path, name: str, message: str) -> None:
    with pytest.raises(NegotiationError) as info:
        make_policy(name, 0)
    assert message in str(info.value)


def test_a_module_in_the_current_folder_gets_a_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "local_policies.py").write_text(POLICY_MODULE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _plugin.cache_clear()
    with pytest.raises(NegotiationError, match=r"run with PYTHONPATH=\. so that Python finds it"):
        make_policy("local_policies:Stubborn")


def test_a_script_file_cannot_name_a_plugin_as_its_fallback(plugin_dir: Path) -> None:
    """Code is imported only when the user asks on the command line, never because a data file says so."""
    with pytest.raises(NegotiationError, match="unknown fallback policy 'my_policies:Stubborn'"):
        ScriptedPolicy({"actions": [], "fallback": "my_policies:Stubborn"})
    with pytest.raises(NegotiationError, match="unknown fallback policy 'stubborn'"):
        ScriptedPolicy({"actions": [], "fallback": "stubborn"})
