"""What every reader provides."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from kg.errors import SourceError


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


def read_json(path: Path, *, max_bytes: int, what: str) -> tuple[bytes, Any]:
    """A JSON document's bytes (for its digest) and its parsed content. Errors name the file:
    unreadable, larger than ``max_bytes`` ("the <what> is N bytes"), not UTF-8, not JSON."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(name, f"cannot read file: {exc.strerror or exc}") from exc
    if len(raw) > max_bytes:
        raise SourceError(name, f"the {what} is {len(raw)} bytes", expected=f"at most {max_bytes}")
    try:
        return raw, json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SourceError(name, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise SourceError(name, f"not valid JSON: {exc.msg}", line=exc.lineno) from exc
