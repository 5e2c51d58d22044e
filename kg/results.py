"""Serialise query results in the SPARQL 1.1 formats, for the CLI and the web API alike.

SELECT/ASK results go out as SPARQL JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE results as Turtle,
N-Triples, JSON-LD or RDF/XML. pyoxigraph does the serialising: we only build the JSON form of
a (capped) result and let pyoxigraph write every other format from it.
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox

from kg.namespaces import PREFIXES
from kg.store import AskResult, GraphResult, QueryResult, SelectResult, Term

# media type -> format, in our order of preference (first is the default)
SOLUTION_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
}
GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/json": ox.RdfFormat.JSON_LD,
}
# short names for ?format= and the CLI
SHORT = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


def term_to_json(term: Term) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": term_to_json(term.subject),
            "predicate": term_to_json(term.predicate),
            "object": term_to_json(term.object),
        },
    }


def to_json_dict(result: SelectResult | AskResult) -> dict[str, Any]:
    if isinstance(result, AskResult):
        return {"head": {}, "boolean": result.value}
    bindings = [
        {v: term_to_json(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
        for row in result.rows
    ]
    return {"head": {"vars": result.variables}, "results": {"bindings": bindings}}


def serialize(result: QueryResult, media_type: str) -> bytes:
    """Bytes of ``result`` in ``media_type``; ValueError if that type does not fit the result."""
    if isinstance(result, GraphResult):
        fmt = GRAPH_TYPES.get(media_type)
        if fmt is None:
            raise ValueError(f"{media_type} cannot carry a graph; use one of {', '.join(GRAPH_TYPES)}")
        prefixes = dict(PREFIXES) if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
        return ox.serialize(result.triples, format=fmt, prefixes=prefixes) or b""
    rfmt = SOLUTION_TYPES.get(media_type)
    if rfmt is None:
        raise ValueError(f"{media_type} cannot carry query solutions; use one of {', '.join(SOLUTION_TYPES)}")
    data = json.dumps(to_json_dict(result)).encode("utf-8")
    if rfmt == ox.QueryResultsFormat.JSON:
        return data
    if isinstance(result, AskResult) and rfmt in (ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV):
        raise ValueError("an ASK result has no CSV or TSV form; use JSON or XML")
    parsed = ox.parse_query_results(data, ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=rfmt) or b""


def cell(term: Term | None) -> str:
    """A short human form of a term, for tables."""
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.NamedNode):
        for p, ns in PREFIXES.items():
            if term.value.startswith(ns) and len(term.value) > len(ns):
                return f"{p}:{term.value[len(ns) :]}"
        return term.value
    return str(term)
