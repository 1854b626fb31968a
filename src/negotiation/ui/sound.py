"""Two small sounds made by code: a typewriter clack for a move and a stamp for an agreement."""

from __future__ import annotations

import math
import random
from array import array

import pygame

RATE = 22050


def _samples(kind: str) -> array[int]:
    rng = random.Random(kind)
    out = array("h")
    if kind == "stamp":
        n = int(RATE * 0.16)
        for i in range(n):
            t = i / RATE
            env = math.exp(-t * 30)
            v = math.sin(2 * math.pi * 90 * t) * 0.7 + (rng.random() * 2 - 1) * 0.3 * math.exp(-t * 80)
            out.append(int(v * env * 12000))
    else:
        n = int(RATE * 0.035)
        for i in range(n):
            t = i / RATE
            env = math.exp(-t * 160)
            v = (rng.random() * 2 - 1) * 0.8 + math.sin(2 * math.pi * 1800 * t) * 0.2
            out.append(int(v * env * 9000))
    return out


class Sounds:
    """Plays the sounds if a mixer can be opened; silent otherwise."""

    def __init__(self) -> None:
        self._sounds: dict[str, pygame.mixer.Sound] = {}
        self.ok: bool | None = None  # the mixer opens at the first sound, so a silent game keeps no audio thread

    def _open(self) -> bool:
        try:
            if not pygame.mixer.get_init():
                pygame.mixer.init(RATE, -16, 1, 512)
            return pygame.mixer.get_init() is not None
        except pygame.error:
            return False

    def available(self) -> bool:
        """Whether there is an audio device to play on (asked once; the settings say so if there is not)."""
        if self.ok is None:
            self.ok = self._open()
        return self.ok

    def play(self, kind: str) -> None:
        """Play a sound by name ('type' or 'stamp')."""
        if self.ok is None:
            self.ok = self._open()
        if not self.ok:
            return
        snd = self._sounds.get(kind)
        if snd is None:
            try:
                snd = pygame.mixer.Sound(buffer=_samples(kind).tobytes())
            except pygame.error:
                self.ok = False
                return
            snd.set_volume(0.5)
            self._sounds[kind] = snd
        snd.play()
