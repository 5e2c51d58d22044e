"""What every reader provides."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


@dataclass
class Source:
    """A source as read: its model (e.g. an ome_types.OME), the bytes' digest and facts about it."""

    path: Path | str  # a local path, or a URL as a string
    kind: str  # "OME-XML", ...
    model: Any
    sha256: str
    facts: dict[str, str] = field(default_factory=dict)  # e.g. {"schema": "2016-06"}
    companion_model: Any = None  # an OME model that comes with it (bioformats2raw's METADATA.ome.xml)
    warnings: list[str] = field(default_factory=list)  # what the reader tolerated, in words
    # OME-XML 2016-06 is mapped while it streams (kg.mapping.xml_mapper): then ``model`` is
    # None and this holds the file, or the XML bytes of a TIFF header
    stream: Path | bytes | None = None

    @property
    def name(self) -> str:
        return str(self.path).rstrip("/").rsplit("/", 1)[-1]


class Reader(Protocol):
    kind: str

    def accepts(self, path: Path, head: bytes) -> bool: ...

    def read(self, path: Path | str) -> Source: ...
