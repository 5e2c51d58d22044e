"""The project's manifest of pinned ontologies (``ontologies/manifest.json``).

Each entry names an ontology (``id``, ``title``, ``version``), where it is published (``release``:
one or more files, OBO PURLs or tagged release files), the file a mirror holds for it (``mirror``:
path inside the mirror, format, sha256), which IRIs are its own terms (``term_prefixes``) and the
CURIE prefix its terms are shown with. A manifest that does not say what it must is an error
naming the entry and the field; nothing is guessed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.errors import ConfigError
from kg.resources import data_dir

FORMATS = ("turtle", "rdfxml", "ntriples", "nquads", "trig", "jsonld")  # what pyoxigraph parses
SHA256_LEN = 64


@dataclass(frozen=True)
class FileSpec:
    """One file to load: a URL (release) or a path inside a mirror."""

    location: str
    format: str
    sha256: str | None = None  # None: not known in advance (recorded, reported as unverified)
    note: str | None = None


@dataclass(frozen=True)
class OntologySpec:
    id: str
    title: str
    version: str
    license: str
    curie_prefix: str
    term_prefixes: tuple[str, ...]
    release: tuple[FileSpec, ...]
    mirror: FileSpec
    scope: str = "whole"
    ols4: str | None = None
    native: FileSpec | None = None  # the release's own OBO file, for peers in benchmarks
    term_types: tuple[str, ...] = ()  # when terms are not owl:Class (QUDT units: qudt:Unit)
    notes: str = ""
    namespace: str | None = None  # what ``curie_prefix`` expands to, when not the one term prefix

    @property
    def curie_namespace(self) -> str:
        return self.namespace or self.term_prefixes[0]

    def owns(self, iri: str) -> bool:
        return iri.startswith(self.term_prefixes)


@dataclass(frozen=True, eq=False)  # compared and hashed by identity (cache keys)
class Manifest:
    path: Path
    graph_base: str
    catalogue_graph: str
    rewrite_iri_prefixes: dict[str, str]
    ontologies: tuple[OntologySpec, ...]
    by_id: dict[str, OntologySpec] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_id.update({o.id: o for o in self.ontologies})

    def graph_iri(self, ontology_id: str) -> str:
        return self.graph_base + ontology_id

    def get(self, ontology_id: str) -> OntologySpec:
        try:
            return self.by_id[ontology_id]
        except KeyError:
            raise ConfigError(
                f"{self.path}: no ontology {ontology_id!r} in the manifest (known: {', '.join(self.by_id)})"
            ) from None

    def select(self, only: list[str] | None) -> list[OntologySpec]:
        """The entries named in ``only`` (manifest order), or all; unknown ids are one error."""
        if not only:
            return list(self.ontologies)
        unknown = [i for i in only if i not in self.by_id]
        if unknown:
            raise ConfigError(
                f"{self.path}: unknown ontology id(s) {', '.join(unknown)} "
                f"(expected one of: {', '.join(self.by_id)})"
            )
        wanted = set(only)
        return [o for o in self.ontologies if o.id in wanted]


def _need(entry: dict[str, Any], key: str, where: str, kind: type = str) -> Any:
    if key not in entry:
        raise ConfigError(f"{where}: field {key!r} is missing (expected a {kind.__name__})")
    value = entry[key]
    if not isinstance(value, kind):
        raise ConfigError(f"{where}: field {key!r} must be a {kind.__name__}, got {type(value).__name__}")
    return value


def _file(entry: dict[str, Any], where: str, location_key: str) -> FileSpec:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected an object with {location_key!r}, 'format' and 'sha256'")
    fmt = _need(entry, "format", where)
    if fmt not in FORMATS:
        raise ConfigError(f"{where}: format {fmt!r} cannot be loaded (expected one of {', '.join(FORMATS)})")
    sha = entry.get("sha256")
    if sha is not None and (
        not isinstance(sha, str) or len(sha) != SHA256_LEN or any(c not in "0123456789abcdef" for c in sha)
    ):
        raise ConfigError(f"{where}: sha256 {sha!r} is not 64 lower-case hex digits (or null)")
    return FileSpec(_need(entry, location_key, where), fmt, sha, entry.get("note"))


def _ontology(entry: dict[str, Any], where: str) -> OntologySpec:
    oid = _need(entry, "id", where)
    where = f"{where} ({oid})"
    prefixes = tuple(_need(entry, "term_prefixes", where, list))
    if not prefixes or not all(isinstance(p, str) and "://" in p for p in prefixes):
        raise ConfigError(f"{where}: term_prefixes must be a non-empty list of IRI prefixes")
    namespace = entry.get("curie_namespace")
    if namespace is None and len(prefixes) > 1:
        raise ConfigError(f"{where}: curie_namespace is needed when there are several term_prefixes")
    release = _need(entry, "release", where, list)
    if not release:
        raise ConfigError(f"{where}: release must list at least one file")
    native = entry.get("native")
    native_spec = None
    if native is not None:
        if not isinstance(native, dict) or "file" not in native:
            raise ConfigError(f"{where}.native: expected an object with 'file'")
        native_spec = FileSpec(native["file"], native.get("format", "obo"), native.get("sha256"))
    return OntologySpec(
        id=oid,
        title=_need(entry, "title", where),
        version=_need(entry, "version", where),
        license=_need(entry, "license", where),
        curie_prefix=_need(entry, "curie_prefix", where),
        term_prefixes=prefixes,
        release=tuple(_file(r, f"{where}.release[{i}]", "url") for i, r in enumerate(release)),
        mirror=_file(_need(entry, "mirror", where, dict), f"{where}.mirror", "file"),
        scope=entry.get("scope", "whole"),
        ols4=entry.get("ols4"),
        native=native_spec,
        term_types=tuple(entry.get("term_types", ())),
        notes=entry.get("notes", ""),
        namespace=namespace,
    )


def load_manifest(path: Path | None = None) -> Manifest:
    """Read and check a manifest (default: the project's ``ontologies/manifest.json``)."""
    path = path or data_dir("ontologies") / "manifest.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the ontology manifest: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}, line {exc.lineno}: not valid JSON: {exc.msg}") from exc
    where = str(path)
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a JSON object with 'ontologies'")
    entries = _need(raw, "ontologies", where, list)
    ontologies = tuple(_ontology(e, f"{where}: ontologies[{i}]") for i, e in enumerate(entries))
    ids = [o.id for o in ontologies]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ConfigError(f"{where}: ontology id(s) listed twice: {', '.join(dupes)}")
    rewrites = raw.get("rewrite_iri_prefixes", {})
    if not isinstance(rewrites, dict):
        raise ConfigError(f"{where}: rewrite_iri_prefixes must map IRI prefixes to IRI prefixes")
    return Manifest(
        path=path,
        graph_base=_need(raw, "graph_base", where),
        catalogue_graph=_need(raw, "catalogue_graph", where),
        rewrite_iri_prefixes=dict(rewrites),
        ontologies=ontologies,
    )


@lru_cache(maxsize=1)
def default_manifest() -> Manifest:
    return load_manifest()
