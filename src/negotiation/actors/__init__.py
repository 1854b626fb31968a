"""Player policies for headless play: random, historical, greedy, accept, refuse, scripted, and plug-ins."""

from negotiation.actors.policies import (
    ENTRY_POINTS,
    POLICIES,
    Policy,
    PolicyFactory,
    ScriptedPolicy,
    make_policy,
    plugin_names,
    policy_factory,
)

__all__ = ["ENTRY_POINTS", "POLICIES", "Policy", "PolicyFactory", "ScriptedPolicy", "make_policy", "plugin_names",
           "policy_factory"]
