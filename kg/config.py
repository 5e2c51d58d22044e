"""Settings, read from the environment only when asked for (never at import time).

| variable           | meaning                                                   | default                  |
|--------------------|-----------------------------------------------------------|--------------------------|
| KG_STORE           | directory of the embedded Oxigraph store                  | ./kg-store               |
| KG_ENDPOINT        | SPARQL 1.1 query URL of a remote store (replaces KG_STORE) | unset                    |
| KG_UPDATE_ENDPOINT | its SPARQL update URL                                     | KG_ENDPOINT              |
| KG_BASE_IRI        | prefix of every IRI kg mints                              | http://localhost:8000/id/ |
| KG_QUERY_TIMEOUT   | seconds a query may run                                   | 30                       |
| KG_RESULT_CAP      | most rows (or triples) a query returns                    | 10000                    |
| KG_WRITE_TOKEN     | bearer token that enables writes through the web API      | unset (read-only)        |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from kg.errors import ConfigError

DEFAULT_BASE_IRI = "http://localhost:8000/id/"


@dataclass(frozen=True)
class Settings:
    store_path: Path = Path("kg-store")
    endpoint: str | None = None
    update_endpoint: str | None = None
    base_iri: str = DEFAULT_BASE_IRI
    query_timeout_s: float = 30.0
    result_cap: int = 10_000
    write_token: str | None = None

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_iri)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(
                f"KG_BASE_IRI {self.base_iri!r} is not an http(s) IRI "
                "(expected something like https://data.example.org/id/)"
            )
        if not self.base_iri.endswith(("/", "#")):
            raise ConfigError(f"KG_BASE_IRI {self.base_iri!r} must end with '/' or '#'")
        if any(c in self.base_iri for c in ' <>"{}|\\^`'):
            raise ConfigError(f"KG_BASE_IRI {self.base_iri!r} contains characters not allowed in IRIs")
        if not self.query_timeout_s > 0:
            raise ConfigError(
                f"KG_QUERY_TIMEOUT must be a positive number of seconds, got {self.query_timeout_s}"
            )
        if self.result_cap < 1:
            raise ConfigError(f"KG_RESULT_CAP must be at least 1, got {self.result_cap}")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from ``env`` (default ``os.environ``); keyword overrides win."""
        e = os.environ if env is None else env
        try:
            s = cls(
                store_path=Path(e.get("KG_STORE", "kg-store")),
                endpoint=e.get("KG_ENDPOINT") or None,
                update_endpoint=e.get("KG_UPDATE_ENDPOINT") or None,
                base_iri=e.get("KG_BASE_IRI", DEFAULT_BASE_IRI),
                query_timeout_s=float(e.get("KG_QUERY_TIMEOUT", "30")),
                result_cap=int(e.get("KG_RESULT_CAP", "10000")),
                write_token=e.get("KG_WRITE_TOKEN") or None,
            )
        except ValueError as exc:
            if isinstance(exc, ConfigError):
                raise
            raise ConfigError(f"bad number in KG_QUERY_TIMEOUT or KG_RESULT_CAP: {exc}") from exc
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(s, **given) if given else s  # type: ignore[arg-type]
