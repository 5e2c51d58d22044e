"""How kg mints IRIs. The rules are documented in docs/iris.md and are part of the contract:
the same source under the same base IRI always yields the same IRIs.

- A *source* is identified by a key: the ``file:`` URI of its resolved path, or a URL.
- The source's IRI, which is also the name of its graph: ``{base}source/{slug}-{hash12}``,
  where slug is the file name made URL-safe and hash12 the first 12 hex digits of the SHA-256
  of the key. The slug is for people; the hash keeps two ``image.ome.xml`` files apart.
- An object with an OME ID: ``{source}/{Class}/{ID}``, the ID percent-encoded except ``:`` and
  ``/`` (``.../Image/Image:0``; an OME-Zarr group path stays readable: ``.../Image/A/1/0``).
- An object without an ID (an Image's ObjectiveSettings): ``{parent}/{field}``, plus
  ``/{index}`` inside a list.
- A quantity (value with unit): ``{subject}/{property}`` (``.../Pixels/Pixels:0/physical_size_x``).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import quote

_SLUG_BAD = re.compile(r"[^a-z0-9]+")
_PLAIN_ID = re.compile(r"[A-Za-z0-9_.~:/-]*")  # what quote(id, safe=":/") leaves as it is


def source_key(path: Path | str) -> str:
    """The identity of a source: a URL as given, a local path as its resolved ``file:`` URI."""
    s = str(path)
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", s):
        return s
    return Path(s).expanduser().resolve().as_uri()


def source_iri(base: str, key: str) -> str:
    name = key.rstrip("/").rsplit("/", 1)[-1]
    for ext in (".ome.xml", ".ome.tiff", ".ome.tif", ".ome.zarr", ".xml", ".ome", ".companion.ome"):
        if name.lower().endswith(ext):
            name = name[: -len(ext)]
            break
    slug = _SLUG_BAD.sub("-", name.lower()).strip("-")[:40] or "source"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    return f"{base}source/{slug}-{digest}"


def object_iri(source: str, cls: str, ome_id: str) -> str:
    if _PLAIN_ID.fullmatch(ome_id):  # the usual IDs ("Image:0"): quote() would leave them as they are
        return f"{source}/{cls}/{ome_id}"
    return f"{source}/{cls}/{quote(ome_id, safe=':/')}"


def nested_iri(parent: str, field: str, index: int | None = None) -> str:
    return f"{parent}/{field}" if index is None else f"{parent}/{field}/{index}"
