"""Declarative mapping from input models to RDF quads (rules live in mappings/)."""

from kg.mapping.model_mapper import MapResult, ModelMapping, Unmapped

__all__ = ["MapResult", "ModelMapping", "Unmapped"]
