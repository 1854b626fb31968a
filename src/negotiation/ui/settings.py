"""Player settings that persist as JSON in the user config folder, and where saves live."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from negotiation.client.paths import config_dir, data_dir

TEXT_SIZES = {"small": 0.88, "medium": 1.0, "large": 1.16}
ANIMATION_SPEEDS = {"off": 0.0, "slow": 0.6, "normal": 1.0, "fast": 2.0}


@dataclass(slots=True)
class Settings:
    """What the player chose in the settings screen."""

    text_size: str = "medium"
    fullscreen: bool = False
    animation: str = "normal"
    sound: bool = True

    @property
    def text_scale(self) -> float:
        """Multiplier of every font size."""
        return TEXT_SIZES.get(self.text_size, 1.0)

    @property
    def animation_speed(self) -> float:
        """0 means no animation; 1 is the normal pace."""
        return ANIMATION_SPEEDS.get(self.animation, 1.0)

    @classmethod
    def path(cls) -> Path:
        """Where the settings file lives."""
        return config_dir() / "settings.json"

    @classmethod
    def load(cls) -> Settings:
        """Read the settings; any problem gives the defaults (settings are never worth a crash)."""
        try:
            raw: Any = json.loads(cls.path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        s = cls()
        names = {f.name for f in fields(cls)}
        for k, v in raw.items():
            if k in names and isinstance(v, type(getattr(s, k))):
                setattr(s, k, v)
        if s.text_size not in TEXT_SIZES:
            s.text_size = "medium"
        if s.animation not in ANIMATION_SPEEDS:
            s.animation = "normal"
        return s

    def save(self) -> None:
        """Write the settings atomically; a read-only disk is ignored."""
        from negotiation.persist import write_atomic

        try:
            text = json.dumps(asdict(self), indent=1, sort_keys=True) + "\n"
            write_atomic(self.path(), text.encode("utf-8"), keep_previous=False)
        except OSError:
            pass


__all__ = ["ANIMATION_SPEEDS", "TEXT_SIZES", "Settings", "config_dir", "data_dir"]
