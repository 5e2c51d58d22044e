"""What every reader provides."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


@dataclass
class Source:
    """A source as read: its model (e.g. an ome_types.OME), the bytes' digest and facts about it."""

    path: Path
    kind: str  # "OME-XML", ...
    model: Any
    sha256: str
    facts: dict[str, str] = field(default_factory=dict)  # e.g. {"schema": "2016-06"}


class Reader(Protocol):
    kind: str

    def accepts(self, path: Path, head: bytes) -> bool: ...

    def read(self, path: Path) -> Source: ...
