"""Namespaces used in the graph. See docs/iris.md for the reasoning behind each choice."""

from __future__ import annotations

from typing import Final

OME: Final = "https://ld.openmicroscopy.org/core/"  # the OME model as linked data (ome-ld)
BKG: Final = "https://w3id.org/bioimage-kg/vocab/"  # our own small vocabulary (ontologies/)
NGFF: Final = "https://w3id.org/bioimage-kg/vocab/ngff/"  # OME-NGFF metadata (no official RDF yet)
QUDT: Final = "http://qudt.org/schema/qudt/"
UNIT: Final = "http://qudt.org/vocab/unit/"
QUANTITYKIND: Final = "http://qudt.org/vocab/quantitykind/"
OBO: Final = "http://purl.obolibrary.org/obo/"
RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS: Final = "http://www.w3.org/2000/01/rdf-schema#"
XSD: Final = "http://www.w3.org/2001/XMLSchema#"
PROV: Final = "http://www.w3.org/ns/prov#"
DCT: Final = "http://purl.org/dc/terms/"
SH: Final = "http://www.w3.org/ns/shacl#"
OWL: Final = "http://www.w3.org/2002/07/owl#"

PREFIXES: Final[dict[str, str]] = {
    "ome": OME,
    "bkg": BKG,
    "ngff": NGFF,
    "qudt": QUDT,
    "unit": UNIT,
    "quantitykind": QUANTITYKIND,
    "obo": OBO,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "prov": PROV,
    "dct": DCT,
    "sh": SH,
    "owl": OWL,
}


def expand(curie: str, prefixes: dict[str, str] | None = None) -> str:
    """Expand ``ome:Image`` to a full IRI; a string that is already an IRI is returned as is."""
    table = prefixes or PREFIXES
    if curie.startswith(("http://", "https://", "urn:")):
        return curie
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in table:
        raise KeyError(f"unknown prefix in {curie!r}; known: {', '.join(sorted(table))}")
    return table[prefix] + local


def sparql_prologue() -> str:
    """PREFIX lines for the namespaces above, for the queries kg ships (never user text)."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
