"""CURIE prefixes: the manifest's own prefixes first, then bioregistry's.

bioregistry (offline, thousands of prefixes) expands OBO CURIEs and their many spellings
(``ncbitaxon:9606``, ``taxonomy:9606``, ``obo:FBbi_00000246``). It lacks three namespaces we use,
declared here: ``unit:`` for QUDT units (``http://qudt.org/vocab/unit/``), ``EDAM:`` for EDAM and
EDAM-bioimaging, which share ``http://edamontology.org/`` (bioregistry splits it into
``edam.data``/``edam.operation``/…, and has no EDAM-bioimaging at all), and ``bkg:``, ours.
Prefixes are matched without regard to case (``fbbi:``, ``FBbi:`` and ``FBBI:`` are one).

bioregistry is imported only when a CURIE is not one of the manifest's (:func:`local_converter`
answers for every term the local index holds); its full converter (about 2 s to build) only to
compress an IRI outside the manifest's namespaces.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from kg.namespaces import BKG, OBO, UNIT
from kg.ontology.manifest import Manifest, default_manifest

if TYPE_CHECKING:
    import curies

# Local prefixes: (prefix, IRI prefix, synonyms). Provenance: QUDT units and EDAM-bioimaging are
# missing from bioregistry 0.15.6 (checked offline); EDAM's single namespace is EDAM's own usage.
LOCAL_PREFIXES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("bkg", BKG, ()),
    ("unit", UNIT, ("qudt.unit", "qudtunit", "qudt-unit")),
    ("EDAM", "http://edamontology.org/", ("edam", "edam-bioimaging", "edam.bioimaging", "edamontology")),
)

_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9._-]*):(\S+)$")
_IRI = re.compile(r"^(https?|urn|file):\S+$", re.IGNORECASE)


def looks_like_iri(text: str) -> bool:
    return bool(_IRI.match(text.strip()))


def split_curie(text: str) -> tuple[str, str] | None:
    """``("FBbi", "00000246")`` for ``FBbi:00000246``; None when it is not CURIE-shaped."""
    t = text.strip()
    if looks_like_iri(t):
        return None
    m = _CURIE.match(t)
    return (m.group(1), m.group(2)) if m else None


def _records(manifest: Manifest) -> list[dict[str, object]]:
    """Extended prefix map records: the local prefixes, then one per manifest CURIE prefix."""
    records: dict[str, dict[str, object]] = {}
    for prefix, uri, syn in LOCAL_PREFIXES:
        records[prefix] = {"prefix": prefix, "uri_prefix": uri, "prefix_synonyms": list(syn)}
    for ont in manifest.ontologies:
        if ont.curie_prefix in records:
            continue
        ns = ont.curie_namespace
        records[ont.curie_prefix] = {
            "prefix": ont.curie_prefix,
            "uri_prefix": ns,
            "prefix_synonyms": sorted(
                {ont.curie_prefix.lower(), ont.curie_prefix.upper()} - {ont.curie_prefix}
            ),
        }
    return list(records.values())


@lru_cache(maxsize=4)
def local_converter(manifest: Manifest | None = None) -> curies.Converter:
    """The manifest's prefixes and the local ones: fast, no bioregistry."""
    import curies

    return curies.Converter.from_extended_prefix_map(_records(manifest or default_manifest()))


@lru_cache(maxsize=1)
def converter() -> curies.Converter:
    """Local prefixes chained before bioregistry's (preferred prefixes, e.g. ``NCBITaxon``)."""
    import bioregistry
    import curies

    return curies.chain(
        [
            local_converter(default_manifest()),
            bioregistry.get_converter(prefix_priority=["preferred", "default"]),
        ]
    )


def compress(iri: str, *, local_only: bool = False) -> str | None:
    """A CURIE for ``iri``: a manifest or local prefix if one fits, else bioregistry's."""
    c = local_converter(default_manifest()).compress(iri)
    if c is not None or local_only:
        return c
    return converter().compress(iri)


def expand(curie: str) -> str | None:
    """The IRI of ``curie`` (any case of the prefix, any bioregistry synonym); None if unknown.

    The manifest's and local prefixes answer first; other prefixes are normalised by bioregistry
    (``taxonomy`` and ``NCBI_Taxon`` are ``ncbitaxon``) and expanded with its URI prefix, which
    needs bioregistry's data (about 1 s to import) but not its full converter.
    """
    parts = split_curie(curie)
    if parts is None:
        return None
    prefix, local = parts
    local_conv = local_converter(default_manifest())
    iri = local_conv.expand(f"{prefix}:{local}")
    if iri is not None:
        return iri
    folded = {p.lower(): r.prefix for r in local_conv.records for p in (r.prefix, *r.prefix_synonyms)}
    if prefix.lower() in folded:
        return local_conv.expand(f"{folded[prefix.lower()]}:{local}")
    import bioregistry

    norm = bioregistry.normalize_prefix(prefix)
    if norm is None:
        return None
    if norm == "obo":  # obo:FBbi_00000246
        return OBO + local
    uri_prefix = bioregistry.get_uri_prefix(norm)
    if uri_prefix is None:
        return None
    return uri_prefix + local


def to_iri(text: str) -> str | None:
    """``text`` as an IRI if it is an IRI or an expandable CURIE, else None."""
    t = text.strip()
    if t.startswith("<") and t.endswith(">"):
        t = t[1:-1]
    if looks_like_iri(t):
        return t
    return expand(t)
