"""Analysis provenance records: a YAML or JSON document whose root is an ``AnalysisRun`` of the
schema (shapes/schema/provenance.yaml), as ``kg record`` and ``kg.provenance.record`` write
them, or written by hand or by another tool.

Recognised by content (top-level keys such as ``software``, ``inputs``, ``outputs``,
``start_time``, ``random_seeds``); read strictly (kg.readers.rembi). See docs/provenance.md.
"""

from __future__ import annotations

from kg.readers.rembi import DocumentReader


class ProvenanceReader(DocumentReader):
    kind = "Analysis provenance"
    root = "AnalysisRun"


__all__ = ["ProvenanceReader"]
