"""A tiny seeded generator whose whole state is one integer, so it fits in a save."""

from __future__ import annotations

_MASK = (1 << 64) - 1


def seed_state(seed: int) -> int:
    """Return the generator state for a seed (any integer)."""
    return seed & _MASK


def next_float(state: int) -> tuple[float, int]:
    """Draw a float in [0, 1) with SplitMix64; return it and the new state."""
    state = (state + 0x9E3779B97F4A7C15) & _MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    z ^= z >> 31
    return (z >> 11) / float(1 << 53), state
