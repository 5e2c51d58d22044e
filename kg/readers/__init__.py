"""Readers: one per input kind. A reader knows its format and nothing about RDF.

``detect(path)`` looks at the content (not only the extension) and returns the reader that
accepts it, or raises :class:`kg.errors.UnsupportedSourceError` naming what was found.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kg.errors import UnsupportedSourceError
from kg.readers.base import Reader, Source
from kg.readers.ome_tiff import OmeTiffReader
from kg.readers.ome_xml import OmeXmlReader

# Most specific first; each reader decides by content.
READERS: tuple[Reader, ...] = (OmeTiffReader(), OmeXmlReader())

_SKIP_DIRS = {".git", "__pycache__", ".venv", "node_modules"}


def detect(path: Path) -> Reader:
    head = b""
    if path.is_file():
        with path.open("rb") as fh:
            head = fh.read(4096)
    for reader in READERS:
        if reader.accepts(path, head):
            return reader
    kinds = ", ".join(r.kind for r in READERS)
    raise UnsupportedSourceError(str(path), "no reader recognises this file", expected=f"one of: {kinds}")


def walk(paths: list[Path]) -> Iterator[Path]:
    """Files under ``paths`` (directories walked, sorted, hidden entries skipped)."""
    for p in paths:
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                rel = child.relative_to(p).parts
                if any(part.startswith(".") or part in _SKIP_DIRS for part in rel):
                    continue
                if child.is_file():
                    yield child
        else:
            yield p


__all__ = ["READERS", "Reader", "Source", "detect", "walk"]
