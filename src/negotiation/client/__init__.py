"""What a person playing needs around the engine, for the window and the terminal alike (pygame-free).

:class:`GameSession` plays moves, takes them back, autosaves after every move, saves to named
slots or files, and loads a save of whichever scenario it names. The front ends are views of a
session: they never drive the engine directly.
"""

from negotiation.client.session import GameSession, load_for, scenario_of_save

__all__ = ["GameSession", "load_for", "scenario_of_save"]
