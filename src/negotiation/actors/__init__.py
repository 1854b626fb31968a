"""Player policies for headless play: random, historical, greedy, accept, refuse, scripted."""

from negotiation.actors.policies import POLICIES, Policy, ScriptedPolicy, make_policy

__all__ = ["POLICIES", "Policy", "ScriptedPolicy", "make_policy"]
