"""Which kind of term a value should become: fields, the keys that name them, and their branches.

``ontologies/fields.yaml`` says, per field (organism, imaging method, cell type, stain, unit…),
which keys people write for it, which ontologies to search and which branch a term must sit
under (a field of ``ontologies/branches.yaml``, or roots of its own). It also says which
predicates carry terms of which field (``properties``), and which literals stored next to a term
should equal its label (``label_pairs``). The annotation engine, ``kg terms check`` and the
annotation API read it through :func:`load_fields`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import ConfigError
from kg.namespaces import BKG, PREFIXES
from kg.ontology import curies
from kg.resources import data_dir, load_yaml

if TYPE_CHECKING:
    from kg.ontology.index import TermIndex

VALUE_TERM = BKG + "valueTerm"  # the term for the value of a key-value pair (ome:M)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise_key(key: str) -> str:
    """``"Characteristics [Organism Part]"`` -> ``"characteristics organism part"``;
    ``"AcquisitionMode"`` -> ``"acquisition mode"``."""
    return _NON_WORD.sub(" ", _CAMEL.sub(" ", key.strip()).lower()).strip()


@dataclass(frozen=True)
class Field:
    name: str
    keys: tuple[str, ...]
    ontologies: tuple[str, ...]
    roots: tuple[str, ...] = ()  # IRIs of the branch roots
    types: tuple[str, ...] = ()  # or an instance of one of these (QUDT units)
    label_pattern: re.Pattern[str] | None = None
    property: str = VALUE_TERM  # the predicate an accepted term is written with
    branch: str | None = None  # the field of branches.yaml the roots come from
    prefer_specific: bool = False  # on equal scores, the deeper term first (species over genus)
    rewrites: tuple[tuple[re.Pattern[str], str, str], ...] = ()  # (pattern, replacement, why)

    def expected(self) -> str:
        """The branch in words, for reasons and error messages."""
        parts = [curies.compress(r, local_only=True) or r for r in self.roots + self.types]
        if self.label_pattern is not None:
            parts.append(f"a label matching /{self.label_pattern.pattern}/ in {', '.join(self.ontologies)}")
        if not parts:
            return f"a term of {', '.join(self.ontologies)}"
        return " or ".join(parts)


@dataclass(frozen=True)
class FieldTable:
    path: Path
    fields: dict[str, Field]
    properties: dict[str, str | None]  # predicate IRI -> field name; None: from the pair's key
    label_pairs: tuple[tuple[str, str], ...]  # (term predicate IRI, label predicate IRI)
    term_labels: tuple[str, ...]  # label predicates asserted on a term itself
    _keys: tuple[tuple[str, str], ...] = field(
        default=(), repr=False
    )  # (normalised key, field), longest first

    def resolve(self, key: str | None) -> Field | None:
        """The field a key names: an exact key, a field name, or the longest key the key
        contains as whole words; None when nothing fits."""
        if not key:
            return None
        norm = normalise_key(key)
        if not norm:
            return None
        if norm.replace(" ", "_") in self.fields:
            return self.fields[norm.replace(" ", "_")]
        padded = f" {norm} "
        for k, name in self._keys:
            if k == norm or f" {k} " in padded:
                return self.fields[name]
        return None

    def for_property(self, prop: str) -> Field | None:
        """The field of a predicate listed in ``properties`` (None for bkg:valueTerm and for a
        predicate not listed; see :meth:`knows_property`)."""
        name = self.properties.get(prop)
        return self.fields.get(name) if name else None

    def knows_property(self, prop: str) -> bool:
        return prop in self.properties

    def by_name(self, name: str) -> Field:
        try:
            return self.fields[name]
        except KeyError:
            raise ConfigError(
                f"{self.path}: no field {name!r} (known: {', '.join(sorted(self.fields))})"
            ) from None


# prefixes the data files use that are neither the manifest's nor local ones: answered here, so
# that reading fields.yaml never needs bioregistry (about 1.5 s to import)
_STANDARD = {
    **PREFIXES,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "sssom": "https://w3id.org/sssom/",
    "dcterms": "http://purl.org/dc/terms/",
}


def _iri(value: Any, where: str) -> str:
    prefix, sep, local = str(value).partition(":")
    if sep and prefix in _STANDARD and not local.startswith("//"):
        return _STANDARD[prefix] + local
    iri = curies.to_iri(str(value))
    if iri is None:
        raise ConfigError(f"{where}: {value!r} is not a known CURIE or an IRI")
    return iri


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings, found {value!r}")
    return tuple(value)


def load_fields(path: Path | None = None) -> FieldTable:
    """Read ``ontologies/fields.yaml`` (and the branches it names from ``branches.yaml``)."""
    from kg.ontology.index import load_branches

    path = path or data_dir("ontologies") / "fields.yaml"
    raw = load_yaml(path, "the field table")
    if not isinstance(raw, dict) or not isinstance(raw.get("fields"), dict):
        raise ConfigError(
            f"{path}: expected a mapping 'fields: {{name: {{keys: [...], ontologies: [...]}}}}'"
        )
    branches = load_branches()
    fields: dict[str, Field] = {}
    keys: list[tuple[str, str]] = []
    for name, spec in raw["fields"].items():
        where = f"{path}: field {name!r}"
        if not isinstance(spec, dict):
            raise ConfigError(f"{where}: expected a mapping with keys, ontologies, branch or under")
        ontologies = _strings(spec.get("ontologies"), where + ", ontologies")
        if not ontologies:
            raise ConfigError(f"{where}: 'ontologies' is missing (expected a list of manifest ids)")
        roots: tuple[str, ...] = ()
        types: tuple[str, ...] = ()
        branch = spec.get("branch")
        if branch is not None:
            b = branches.get(str(branch))
            if b is None:
                raise ConfigError(
                    f"{where}: branch {branch!r} is not a field of ontologies/branches.yaml "
                    f"(known: {', '.join(sorted(branches))})"
                )
            roots, types = b.roots, b.types
        if spec.get("under"):
            roots = roots + tuple(_iri(c, where + ", under") for c in _strings(spec.get("under"), where))
        pattern = spec.get("label_pattern")
        try:
            compiled = re.compile(str(pattern), re.IGNORECASE) if pattern else None
        except re.error as exc:
            raise ConfigError(
                f"{where}: label_pattern {pattern!r} is not a regular expression: {exc}"
            ) from exc
        prop = _iri(spec["property"], where + ", property") if spec.get("property") else VALUE_TERM
        rewrites = []
        for item in spec.get("rewrites") or []:
            if not isinstance(item, dict) or not {"from", "to"} <= set(item):
                raise ConfigError(
                    f"{where}: rewrites: expected {{from: REGEX, to: TEXT, why: WORDS}}, found {item!r}"
                )
            try:
                rewrites.append(
                    (re.compile(str(item["from"]), re.IGNORECASE), str(item["to"]), str(item.get("why", "")))
                )
            except re.error as exc:
                raise ConfigError(
                    f"{where}: rewrites: {item['from']!r} is not a regular expression: {exc}"
                ) from exc
        f = Field(
            name=str(name),
            keys=_strings(spec.get("keys"), where + ", keys"),
            ontologies=ontologies,
            roots=roots,
            types=types,
            label_pattern=compiled,
            property=prop,
            branch=str(branch) if branch is not None else None,
            prefer_specific=bool(spec.get("prefer_specific", False)),
            rewrites=tuple(rewrites),
        )
        fields[f.name] = f
        for k in (f.name.replace("_", " "), *f.keys):
            nk = normalise_key(k)
            if nk:
                keys.append((nk, f.name))
    keys.sort(key=lambda kv: (-len(kv[0]), kv[0]))
    properties: dict[str, str | None] = {}
    for prop, name in (raw.get("properties") or {}).items():
        if name is not None and name not in fields:
            raise ConfigError(f"{path}: properties: {prop} names no field {name!r}")
        properties[_iri(prop, f"{path}: properties")] = name
    for f in fields.values():
        properties.setdefault(f.property, f.name if f.property != VALUE_TERM else None)
    pairs = []
    for item in raw.get("label_pairs") or []:
        if not isinstance(item, dict) or "term" not in item or "label" not in item:
            raise ConfigError(f"{path}: label_pairs: expected {{term: CURIE, label: CURIE}}, found {item!r}")
        pairs.append(
            (_iri(item["term"], f"{path}: label_pairs"), _iri(item["label"], f"{path}: label_pairs"))
        )
    term_labels = tuple(_iri(x, f"{path}: term_labels") for x in raw.get("term_labels") or [])
    return FieldTable(path, fields, properties, tuple(pairs), term_labels, tuple(keys))


@lru_cache(maxsize=1)
def default_fields() -> FieldTable:
    return load_fields()


class BranchChecker:
    """Whether a term fits a field, remembered per (term, field): the annotation engine asks the
    same questions for thousands of values."""

    def __init__(self, index: TermIndex) -> None:
        self.index = index
        self._cache: dict[tuple[str, str], bool] = {}

    def fits(self, iri: str, f: Field) -> bool:
        key = (iri, f.name)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self._fits(iri, f)
        return hit

    def _fits(self, iri: str, f: Field) -> bool:
        idx = self.index
        row = idx.by_iri.get(iri)
        if f.roots and idx.is_under(iri, f.roots):
            return True
        if f.types and row is not None and not set(f.types).isdisjoint(idx.rows[row][10]):
            return True
        if f.label_pattern is not None and row is not None and set(f.ontologies) & set(idx.rows[row][9]):
            labels = [idx.rows[row][2]] + [idx.label(a) or "" for a in idx.ancestors(iri)]
            return any(f.label_pattern.search(lab) for lab in labels)
        if not (f.roots or f.types or f.label_pattern):
            return row is not None and bool(set(f.ontologies) & set(idx.rows[row][9]))
        return False


__all__ = [
    "VALUE_TERM",
    "BranchChecker",
    "Field",
    "FieldTable",
    "default_fields",
    "load_fields",
    "normalise_key",
]
