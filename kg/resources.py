"""Locate the data directories kg reads: shapes/, mappings/ and ontologies/.

In an installed wheel they live in ``kg/_data/``; in a source checkout they are the top-level
folders beside ``kg/``. Nothing here reads a file at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg.errors import ConfigError

_PKG = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the directory for ``name`` ("shapes", "mappings" or "ontologies")."""
    for candidate in (_PKG / "_data" / name, _PKG.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"bioimage-kg data folder {name!r} not found in {_PKG / '_data'} or {_PKG.parent}; "
        "the installation is incomplete (reinstall the package)"
    )


def load_yaml(path: Path, what: str) -> Any:
    """A YAML configuration file (mapping rules, field tables, baselines, instruments…) parsed
    safely; a ConfigError names the file and ``what`` it was meant to hold."""
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read {what}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: {what} is not valid YAML: {exc}") from exc
