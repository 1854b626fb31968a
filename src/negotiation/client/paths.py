"""Where a player's saves, settings and error log live (pygame-free, shared by both front ends)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "negotiation"


def data_dir() -> Path:
    """The user data folder (saves, error log); NEGOTIATION_DATA_DIR overrides it."""
    env = os.environ.get("NEGOTIATION_DATA_DIR")
    return Path(env) if env else Path(platformdirs.user_data_dir(APP, appauthor=False))


def config_dir() -> Path:
    """The user config folder; NEGOTIATION_CONFIG_DIR, else NEGOTIATION_DATA_DIR/config, overrides it."""
    env = os.environ.get("NEGOTIATION_CONFIG_DIR")
    if env:
        return Path(env)
    data = os.environ.get("NEGOTIATION_DATA_DIR")
    if data:
        return Path(data) / "config"
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def error_log() -> Path:
    """The file where unexpected errors are written in full."""
    return data_dir() / "error.log"
