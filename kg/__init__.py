"""bioimage-kg: microscopy metadata as a validated, queryable knowledge graph.

The public surface is small on purpose:

- :class:`kg.config.Settings` — where the store is, which base IRI, query limits.
- :func:`kg.store.open_store` — an embedded Oxigraph store or a remote SPARQL endpoint.
- :func:`kg.ingest.ingest_paths` — detect, map and load sources, one named graph each.
- :func:`kg.validate.validate_store` — SHACL validation with messages in plain words.
- :func:`kg.export.export_store` — Turtle, N-Quads or JSON-LD.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("bioimage-kg")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
