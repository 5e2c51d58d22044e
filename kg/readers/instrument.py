"""Instrument descriptions: a YAML or JSON document whose root is an ``Instrument`` of the
schema (shapes/schema/instrument.yaml): stand, objectives, light sources, detectors, filters,
dichroics, filter sets and calibrations, with the fields the NBO tiers ask for.

Recognised by content (top-level keys such as ``microscope``, ``objectives``, ``detectors``);
read strictly, as REMBI documents are (kg.readers.rembi): a value that does not fit its field
fails the file naming the element and what was expected. See docs/rembi.md.
"""

from __future__ import annotations

from kg.readers.rembi import DocumentReader


class InstrumentReader(DocumentReader):
    kind = "Instrument"
    root = "Instrument"


__all__ = ["InstrumentReader"]
