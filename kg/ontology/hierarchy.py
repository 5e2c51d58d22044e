"""The class hierarchy of the loaded ontologies, usable from SPARQL.

``rdfs:subClassOf*`` works in Oxigraph over the union of graphs, and is fast when the path is
evaluated from the ancestor down (0.5 ms for the descendants of FBbi fluorescence microscopy).
But a query written the natural way, data first (``?channel bkg:acquisitionModeTerm ?t .
?t rdfs:subClassOf* obo:FBbi_00000246``), evaluates the path once per channel: 2.7 s over 100k
channels, against 14 ms for the same query with the path first (docs/ontologies.md). So the
closure is materialised once per fetch, into one graph::

    ?sub bkg:subClassOfClosure ?super    # reflexive and transitive, across ontologies

which any query can join in any order (``?t bkg:subClassOfClosure obo:FBbi_00000246``).

Edges that make the closure: ``rdfs:subClassOf`` between named classes in every ontology graph,
and the named classes of an ``owl:equivalentClass`` intersection (``C ≡ A ⊓ ∃R.B`` implies
``C ⊑ A``: sound, and what the CL edit file states for its defined classes instead of asserted
parents). Inferred edges written by :func:`reason` (owlready2 + HermiT) are included too.
UBERON and EFO in the mirror have ``bkg:parentIsaOrPartOf`` (is_a or part_of, merged by their
source) rather than ``rdfs:subClassOf``; these are not subclass edges and stay out of the closure
(query them with ``bkg:parentIsaOrPartOf+``).
"""

from __future__ import annotations

import hashlib
import io
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import ConfigError
from kg.namespaces import BKG, OWL, RDF, RDFS
from kg.ontology.fetch import read_catalogue
from kg.ontology.manifest import Manifest, default_manifest
from kg.resources import data_dir
from kg.store import EmbeddedStore, SelectResult, Store

CLOSURE = BKG + "subClassOfClosure"
BUILT_FROM = BKG + "builtFrom"
PARENT_ISA_OR_PART_OF = BKG + "parentIsaOrPartOf"


def closure_graph(manifest: Manifest) -> str:
    return manifest.graph_base + "closure"


def bridges_graph(manifest: Manifest) -> str:
    return manifest.graph_base + "bridges"


def _bridges_file() -> Path:
    return data_dir("ontologies") / "bridges.ttl"


@lru_cache(maxsize=1)
def _bridges() -> tuple[str, tuple[tuple[Any, ox.NamedNode, Any], ...]]:
    path = _bridges_file()
    data = path.read_bytes()
    try:
        triples = tuple(
            (q.subject, q.predicate, q.object)
            for q in ox.parse(data, ox.RdfFormat.TURTLE, base_iri=path.as_uri())
        )
    except SyntaxError as exc:
        raise ConfigError(f"{path}: does not parse as Turtle: {exc}") from exc
    return hashlib.sha256(data).hexdigest(), triples


def bridge_edges() -> dict[str, set[str]]:
    """The subclass edges of ``ontologies/bridges.ttl`` (reviewed additions, see that file)."""
    out: dict[str, set[str]] = defaultdict(set)
    for s, p, o in _bridges()[1]:
        if p.value == RDFS + "subClassOf" and isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode):
            out[s.value].add(o.value)
    return dict(out)


def load_bridges(store: Store, manifest: Manifest | None = None) -> int:
    """Write ``ontologies/bridges.ttl`` into its graph (atomic), so ``rdfs:subClassOf*`` sees it."""
    manifest = manifest or default_manifest()
    sha, triples = _bridges()
    g = ox.NamedNode(bridges_graph(manifest))
    quads = [ox.Quad(s, p, o, g) for s, p, o in triples]
    quads.append(ox.Quad(g, ox.NamedNode(BKG + "sourceSha256"), ox.Literal(sha), g))
    return store.replace_graph(g, quads)


def inferred_graph(manifest: Manifest, ontology_id: str) -> str:
    return manifest.graph_base + "inferred/" + ontology_id


def loaded_fingerprint(store: Store, manifest: Manifest | None = None) -> str:
    """Changes whenever an ontology is loaded, reloaded or reasoned over (the catalogue changes)."""
    manifest = manifest or default_manifest()
    h = hashlib.sha256()
    for oid, rec in sorted(read_catalogue(store, manifest).items()):
        h.update(f"{oid}\t{rec.sha256}\t{rec.loaded_at}\n".encode())
    res = store.query(
        f"SELECT ?g ?from ?prefix WHERE {{ GRAPH ?g {{ ?g <{BUILT_FROM}> ?from }} "
        "FILTER(STRSTARTS(STR(?g), STR(?prefix))) } ORDER BY ?g",
        substitutions={"prefix": ox.Literal(inferred_graph(manifest, ""))},
    )
    assert isinstance(res, SelectResult)
    for g, frm, _ in res.rows:
        h.update(f"{g.value}\t{frm.value}\n".encode())  # type: ignore[union-attr]
    h.update(_bridges()[0].encode())
    return h.hexdigest()[:24]


def graph_triples(
    store: Store, graph: str | None, predicates: Iterable[str], *, graph_prefix: str | None = None
) -> Iterator[tuple[ox.NamedNode | ox.BlankNode, str, ox.NamedNode | ox.BlankNode | ox.Literal]]:
    """(subject, predicate IRI, object) of the triples with these predicates in ``graph`` (or in
    every graph whose name starts with ``graph_prefix``). An embedded store is read through its
    indexes directly, about 10x faster than materialising a SELECT; any other store by SPARQL."""
    if isinstance(store, EmbeddedStore):
        raw = store.raw
        g = ox.NamedNode(graph) if graph else None
        for p in predicates:
            for q in raw.quads_for_pattern(None, ox.NamedNode(p), None, g):
                if g is None and not (
                    isinstance(q.graph_name, ox.NamedNode)
                    and q.graph_name.value.startswith(graph_prefix or "")
                ):
                    continue
                yield q.subject, p, q.object  # type: ignore[misc]
        return
    values = " ".join(f"<{p}>" for p in predicates)
    if graph:
        res = store.query(
            f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?p {{ {values} }} }}",
            substitutions={"g": ox.NamedNode(graph)},
        )
    else:
        res = store.query(
            f"SELECT ?s ?p ?o ?base WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?p {{ {values} }} "
            "FILTER(STRSTARTS(STR(?g), STR(?base))) }",
            substitutions={"base": ox.Literal(graph_prefix or "")},
        )
    assert isinstance(res, SelectResult)
    for subj, pred, obj, _ in res.rows:
        if (
            isinstance(subj, ox.NamedNode | ox.BlankNode)
            and isinstance(pred, ox.NamedNode)
            and isinstance(obj, ox.NamedNode | ox.BlankNode | ox.Literal)
        ):
            yield subj, pred.value, obj


def subclass_edges(store: Store, manifest: Manifest | None = None) -> dict[str, set[str]]:
    """Direct named superclasses of every named class, over all ontology graphs."""
    manifest = manifest or default_manifest()
    base = ox.Literal(manifest.graph_base)
    parents: dict[str, set[str]] = defaultdict(set)
    for s, _p, o in graph_triples(store, None, [RDFS + "subClassOf"], graph_prefix=manifest.graph_base):
        if isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode) and s != o:
            parents[s.value].add(o.value)
    for query in (
        f"SELECT ?s ?o ?base WHERE {{ GRAPH ?g {{ ?s <{OWL}equivalentClass>/<{OWL}intersectionOf>/"
        f"<{RDF}rest>*/<{RDF}first> ?o }} "
        "FILTER(isIRI(?s) && isIRI(?o) && STRSTARTS(STR(?g), STR(?base))) }",
    ):
        res = store.query(query, substitutions={"base": base})
        assert isinstance(res, SelectResult)
        for sub, sup, _ in res.rows:
            if isinstance(sub, ox.NamedNode) and isinstance(sup, ox.NamedNode) and sub != sup:
                parents[sub.value].add(sup.value)
    return dict(parents)


def ancestors_map(parents: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str]]:
    """Every class's ancestors (itself excluded). Cycles are tolerated: each node is walked
    breadth-first, reusing only finished answers."""
    done: dict[str, frozenset[str]] = {}

    def walk(start: str) -> frozenset[str]:
        seen: set[str] = set()
        todo = list(parents.get(start, ()))
        while todo:
            p = todo.pop()
            if p in seen:
                continue
            seen.add(p)
            if p in done:
                seen |= done[p]
            else:
                todo.extend(parents.get(p, ()))
        seen.discard(start)
        return frozenset(seen)

    # parents before children where possible: a DFS post-order, iterative
    order: list[str] = []
    state: dict[str, int] = {}
    for root in parents:
        if root in state:
            continue
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(parents.get(root, ())))]
        state[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                state[node] = 2
                order.append(node)
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(parents.get(nxt, ()))))
    for node in order:
        done[node] = walk(node)
    return done


@dataclass
class ClosureReport:
    classes: int
    pairs: int  # triples written, reflexive ones included
    seconds: float
    fingerprint: str


def build_closure(
    store: Store, manifest: Manifest | None = None, parents: Mapping[str, Iterable[str]] | None = None
) -> ClosureReport:
    """(Re)write the closure graph from the ontology graphs now in the store: atomic on a
    remote store; on an embedded one the old closure is dropped first (see below).

    ``parents`` (the term index's subclass edges, same rules) saves reading them from the store.
    """
    manifest = manifest or default_manifest()
    t0 = time.perf_counter()
    load_bridges(store, manifest)
    fingerprint = loaded_fingerprint(store, manifest)
    edges: dict[str, set[str]] = defaultdict(set)
    for child, ps in (parents if parents is not None else subclass_edges(store, manifest)).items():
        edges[child].update(ps)
    for child, ps in bridge_edges().items():
        edges[child].update(ps)
    ancestors = ancestors_map(edges)
    graph = ox.NamedNode(closure_graph(manifest))
    nodes = set(ancestors)
    for a in ancestors.values():
        nodes |= a
    # written as N-Triples for the store to parse and bulk-load itself: a Python object per pair
    # cost more than the store's writing. The IRIs all come from parsed RDF, so they are valid.
    lines = [f"{graph} <{BUILT_FROM}> {ox.Literal(fingerprint)} .\n"]
    pred = f" <{CLOSURE}> "
    for n in sorted(nodes):
        sub = f"<{n}>"
        lines.append(f"{sub}{pred}{sub} .\n")
        lines.extend(f"{sub}{pred}<{a}> .\n" for a in sorted(ancestors.get(n, ())))
    data = io.BytesIO("".join(lines).encode())
    if isinstance(store, EmbeddedStore):
        # The closure is derived data, and no other process reads an embedded store while this
        # one writes it (it is locked): dropping the old closure first lets the bulk loader
        # write the new one as a new graph, about 10 s instead of 20 s through a staging graph
        # and one MOVE (measured for the mirror's 231k pairs). Interrupted, the closure is
        # missing rather than wrong, and closure_is_current() has it rebuilt.
        store.drop_graph(graph)
    store.replace_graph_files(graph, [(data, ox.RdfFormat.N_TRIPLES, None)])
    return ClosureReport(len(nodes), len(lines) - 1, time.perf_counter() - t0, fingerprint)


def closure_is_current(store: Store, manifest: Manifest | None = None) -> bool:
    manifest = manifest or default_manifest()
    res = store.query(
        f"SELECT ?from ?g WHERE {{ GRAPH ?g {{ ?g <{BUILT_FROM}> ?from }} }}",
        substitutions={"g": ox.NamedNode(closure_graph(manifest))},
    )
    assert isinstance(res, SelectResult)
    return (
        bool(res.rows)
        and res.rows[0][0] is not None
        and (
            res.rows[0][0].value == loaded_fingerprint(store, manifest)  # type: ignore[union-attr]
        )
    )


def ensure_closure(
    store: Store, manifest: Manifest | None = None, parents: Mapping[str, Iterable[str]] | None = None
) -> ClosureReport | None:
    """Rebuild the closure when the loaded ontologies changed; None when it was current."""
    if closure_is_current(store, manifest):
        return None
    return build_closure(store, manifest, parents)
