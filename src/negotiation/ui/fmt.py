"""Words for the screens: the presenter's, re-exported for the window's modules."""

from __future__ import annotations

from negotiation.engine.events import NEWS
from negotiation.present import (
    CALENDAR_LEGEND,
    Choice,
    Coming,
    Line,
    Presenter,
    Shadow,
    iso_to_text,
    long_date,
    short_date,
    signed_number,
)

NEWS_KINDS = tuple(str(k) for k in NEWS)

__all__ = ["CALENDAR_LEGEND", "NEWS_KINDS", "Choice", "Coming", "Line", "Presenter", "Shadow", "iso_to_text",
           "long_date", "short_date", "signed_number"]
