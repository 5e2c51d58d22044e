"""What the term index needs from an ontology, collected while its file is loaded.

Reading 350k triples back out of an on-disk Oxigraph store costs about 5 s on a 2-core machine
(about 70k quads/s: every term is decoded into a Python object), while a pass over the parsed
file takes about 0.2 s per 100k triples, in a thread beside the store's own bulk load of the
same file. So ``kg ontologies fetch`` keeps the few predicates the index uses (labels,
synonyms, definitions, deprecation, replacements, types, parents, and the lists of
``owl:equivalentClass`` intersections) as plain tuples, saved beside the store and named by
the file's checksum. The index uses an extract only when its checksum is
the one the catalogue records for what is loaded; otherwise it reads the store.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.namespaces import BKG, DCT, OWL, RDF, RDFS

OBO = "http://purl.obolibrary.org/obo/"
OIO = "http://www.geneontology.org/formats/oboInOwl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
QUDT = "http://qudt.org/schema/qudt/"
EXTRACT_FORMAT = 1

LABELS = (RDFS + "label", SKOS + "prefLabel")
SYNONYM_SCOPES: dict[str, str] = {
    OIO + "hasExactSynonym": "exact",
    SKOS + "altLabel": "exact",
    OBO + "IAO_0000118": "exact",  # alternative label
    "http://edamontology.org/abbreviation": "exact",
    QUDT + "symbol": "symbol",
    QUDT + "ucumCode": "symbol",
    OIO + "hasRelatedSynonym": "related",
    OIO + "hasNarrowSynonym": "narrow",
    OIO + "hasBroadSynonym": "broad",
}
DEFINITIONS = (OBO + "IAO_0000115", OIO + "hasDefinition", SKOS + "definition", DCT + "description")
DEPRECATED = (OWL + "deprecated", OBO + "deprecated", QUDT + "deprecated")
REPLACED_BY = (OBO + "IAO_0100001", OIO + "replacedBy", DCT + "isReplacedBy")
CONSIDER = (OIO + "consider",)
TYPE = RDF + "type"
SUBCLASS = RDFS + "subClassOf"
PARENT_ISA_OR_PART_OF = BKG + "parentIsaOrPartOf"
EQUIVALENT = OWL + "equivalentClass"
INTERSECTION = OWL + "intersectionOf"
FIRST, REST = RDF + "first", RDF + "rest"

TERM_PREDICATES = frozenset(
    [
        *LABELS,
        *SYNONYM_SCOPES,
        *DEFINITIONS,
        *DEPRECATED,
        *REPLACED_BY,
        *CONSIDER,
        TYPE,
        PARENT_ISA_OR_PART_OF,
    ]
)
STRUCTURE_PREDICATES = frozenset([SUBCLASS, EQUIVALENT, INTERSECTION, FIRST, REST])
PREDICATES = TERM_PREDICATES | STRUCTURE_PREDICATES

# A triple as the index sees it: (subject, predicate, object value, object kind), where the
# kind is "iri", "bnode", "lit" (no language) or "@lang". Blank nodes are "_:" + their id.
Row = tuple[str, str, str, str]


def _node(t: Any) -> str:
    return t.value if isinstance(t, ox.NamedNode) else "_:" + t.value


def to_row(s: Any, p: str, o: Any) -> Row:
    if isinstance(o, ox.Literal):
        return (_node(s), p, o.value, "@" + o.language if o.language else "lit")
    return (_node(s), p, _node(o), "iri" if isinstance(o, ox.NamedNode) else "bnode")


_KEEP = {ox.NamedNode(p): p for p in PREDICATES}
_LIST_PREDICATES = frozenset([INTERSECTION, FIRST, REST])  # the only ones read on blank nodes


class Collector:
    """Keeps the rows the index needs as the quads of a file go by, and counts the quads.

    Rows the index never reads are not kept: blank-node subjects other than the lists of
    ``owl:intersectionOf``, and ``rdfs:subClassOf`` restrictions (blank-node objects). IRIs are
    shared between rows (one string per IRI), which makes the extract smaller to hold and to
    pickle."""

    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.triples = 0
        self._iris: dict[str, str] = {}

    def consume(self, quads: Iterable[ox.Quad | ox.Triple]) -> None:
        keep, rows, iris = _KEEP, self.rows, self._iris
        NamedNode, BlankNode, Literal = ox.NamedNode, ox.BlankNode, ox.Literal
        n = 0
        for q in quads:
            n += 1
            p = keep.get(q.predicate)
            if p is None:
                continue
            s = q.subject
            if isinstance(s, NamedNode):
                subj = s.value
                subj = iris.setdefault(subj, subj)
            elif isinstance(s, BlankNode) and p in _LIST_PREDICATES:
                subj = "_:" + s.value
            else:
                continue
            o = q.object
            if isinstance(o, Literal):
                lang = o.language
                rows.append((subj, p, o.value, "@" + lang if lang else "lit"))
            elif isinstance(o, NamedNode):
                v = o.value
                rows.append((subj, p, iris.setdefault(v, v), "iri"))
            elif isinstance(o, BlankNode) and p != SUBCLASS:
                rows.append((subj, p, "_:" + o.value, "bnode"))
        self.triples += n


def extract_path(directory: Path, ontology_id: str, sha256: str) -> Path:
    return directory / f"{ontology_id}.{sha256[:16]}.extract.pickle"


def save_extract(directory: Path, ontology_id: str, sha256: str, rows: list[Row]) -> Path:
    """Write atomically; remove this ontology's older extracts."""
    directory.mkdir(parents=True, exist_ok=True)
    path = extract_path(directory, ontology_id, sha256)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=path.name + ".", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump({"format": EXTRACT_FORMAT, "sha256": sha256, "rows": rows}, fh, protocol=5)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    for old in directory.glob(f"{ontology_id}.*.extract.pickle"):
        if old != path:
            old.unlink(missing_ok=True)
    return path


class _SafeUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"unexpected object {module}.{name} in an ontology extract")


def load_extract(directory: Path, ontology_id: str, sha256: str) -> list[Row] | None:
    """The extract of exactly this file (by checksum), or None."""
    path = extract_path(directory, ontology_id, sha256)
    try:
        with path.open("rb") as fh:
            payload = _SafeUnpickler(fh).load()
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
        return None
    if (
        not isinstance(payload, dict)
        or payload.get("format") != EXTRACT_FORMAT
        or payload.get("sha256") != sha256
    ):
        return None
    rows = payload.get("rows")
    return rows if isinstance(rows, list) else None
