"""Offline geoparsing: diurna's gazetteer, toponym resolution and event locations (see docs/places.md).

The gazetteer itself is ``diurna.places.gazetteer`` (``gazetteer.gazetteer()`` is the loaded index)."""

from diurna.places.location import INFERRED_CONFIDENCE, locate_events
from diurna.places.normalise import normalise
from diurna.places.resolve import find_arabic_places, find_places

__all__ = ["INFERRED_CONFIDENCE", "find_arabic_places", "find_places", "locate_events", "normalise"]
