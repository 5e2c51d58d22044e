"""Readers: one per input kind. A reader knows its format and nothing about RDF.

``detect(path)`` looks at the content (not only the extension) and returns the reader that
accepts it, or raises :class:`kg.errors.UnsupportedSourceError` naming what was found.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kg.errors import UnsupportedSourceError
from kg.readers.base import Reader, Source
from kg.readers.biostudies import BioStudiesReader
from kg.readers.instrument import InstrumentReader
from kg.readers.ngff import NgffReader, has_ngff_metadata, is_url
from kg.readers.ome_tiff import OmeTiffReader
from kg.readers.ome_xml import OmeXmlReader
from kg.readers.provenance import ProvenanceReader
from kg.readers.rembi import RembiCsvReader, RembiReader
from kg.readers.rocrate import RoCrateReader

# Most specific first; each reader decides by content.
READERS: tuple[Reader, ...] = (
    NgffReader(),
    OmeTiffReader(),
    OmeXmlReader(),
    BioStudiesReader(),
    RoCrateReader(),
    RembiReader(),
    InstrumentReader(),
    ProvenanceReader(),
    RembiCsvReader(),
)

_SKIP_DIRS = {".git", "__pycache__", ".venv", "node_modules"}


def detect(path: Path | str) -> Reader:
    if is_url(path):
        return READERS[0]  # an http(s) location is read as OME-Zarr, the one format served that way
    path = Path(path)
    head = b""
    if path.is_file():
        with path.open("rb") as fh:
            head = fh.read(4096)
    for reader in READERS:
        if reader.accepts(path, head):
            return reader
    kinds = ", ".join(dict.fromkeys(r.kind for r in READERS))
    raise UnsupportedSourceError(str(path), "no reader recognises this file", expected=f"one of: {kinds}")


def walk(paths: list[Path | str]) -> Iterator[Path | str]:
    """Sources under ``paths``: files, and OME-Zarr folders as one source each (never walked
    into); other folders are walked in sorted order, hidden entries skipped. URLs pass through."""
    for p in paths:
        if is_url(p):
            yield str(p)
            continue
        p = Path(p)
        if p.is_dir():
            yield from _walk_dir(p)
        else:
            yield p


def _walk_dir(d: Path) -> Iterator[Path]:
    if has_ngff_metadata(d):
        yield d
        return
    for child in sorted(d.iterdir()):
        if child.name.startswith(".") or child.name in _SKIP_DIRS:
            continue
        if child.is_dir():
            yield from _walk_dir(child)
        elif child.is_file():
            yield child


__all__ = ["READERS", "Reader", "Source", "detect", "walk"]
