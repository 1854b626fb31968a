"""The pygame front end: the only package that imports pygame.

Nothing here initialises pygame at import time; :func:`negotiation.ui.app.main` does.
"""
