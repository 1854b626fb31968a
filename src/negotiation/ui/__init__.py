"""The pygame front end: the only package that imports pygame.

Nothing here initialises pygame at import time; :func:`negotiation.ui.app.main` does.
"""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # no banner on stdout from a game
