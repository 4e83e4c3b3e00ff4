"""The Arabic layer: normalisation, entities, cross-lingual person linking and event triggers for the
Arabic passages of English reports. Entry point: `read_arabic`."""

from diurna.arabic.normalise import Normalised, norm, normalise
from diurna.arabic.reader import CODER, read_arabic

__all__ = ["CODER", "Normalised", "norm", "normalise", "read_arabic"]
