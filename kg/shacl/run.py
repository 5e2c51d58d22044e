"""Run a compiled shapes program over a store: all graphs, or some named graphs incrementally.

Full validation takes the focus nodes of every root over the union of all graphs. Incremental
validation (:func:`validate_graphs`) takes the focus nodes *of the given graphs* (their target
triple is in one of them) and the targets over the union that those graphs mention without
typing them (what a new source links to or annotates); values are always looked up over the
union. Its cost follows the size of the graphs, not of the store.

Roots the compiler left to pySHACL (:attr:`Program.fallback`) are validated by pySHACL over an
rdflib copy of the union, with the shapes that root reaches; incremental runs keep the results
whose focus node is in scope. That path is as slow as pySHACL; the report says which roots took
it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Literal, TypeGuard

import pyoxigraph as ox
import rdflib
from rdflib.term import BNode, Node, URIRef

from kg.errors import QueryError, ValidationSetupError
from kg.namespaces import RDF, SH, XSD
from kg.shacl.compile import Check, Program, ScanEntry, compile_shapes, target_branches, term, values
from kg.shacl.model import Path, PredicatePath, ShapesModel, Target, Term, read_path, shape_id, to_ox
from kg.store import AskResult, GraphResult, SelectResult, Store

CHUNK = 500  # terms per VALUES block when the runner asks about many nodes at once
ShapesInput = Program | rdflib.Graph | Sequence[FsPath]


@dataclass(frozen=True)
class Result:
    """One validation result, with what a pySHACL ``sh:ValidationResult`` carries."""

    focus: Term  # sh:focusNode
    path: Path | None  # sh:resultPath
    value: Term | None  # sh:value
    shape: str  # sh:sourceShape (IRI, or "_:" + blank node id in the shapes graph)
    component: str  # sh:sourceConstraintComponent
    severity: str  # sh:resultSeverity
    messages: tuple[str, ...]  # sh:resultMessage (the shape's sh:message; else a generic one)
    root: str  # the shape with targets this result was reached from

    def key(self) -> tuple[str, str, str, str, str]:
        """(focus, path, component, severity, value), as N-Triples / SPARQL path text: what
        two engines' results are compared by."""
        return (
            str(self.focus),
            self.path.sparql() if self.path is not None else "",
            self.component,
            self.severity,
            str(self.value) if self.value is not None else "",
        )


@dataclass
class ShaclReport:
    results: list[Result] = field(default_factory=list)
    checks: int = 0  # SELECTs run
    fallback: dict[str, str] = field(default_factory=dict)  # roots pySHACL ran, and why
    seconds: float = 0.0
    timings: list[tuple[float, str]] = field(default_factory=list)  # (seconds, check) slowest first

    @property
    def conforms(self) -> bool:
        """SHACL's sh:conforms: true when there is no result at all."""
        return not self.results

    def keys(self) -> set[tuple[str, str, str, str, str]]:
        return {r.key() for r in self.results}


def report_keys(report: rdflib.Graph) -> set[tuple[str, str, str, str, str]]:
    """The keys of :meth:`Result.key` read from a SHACL validation report graph (pySHACL's),
    its top-level results only: what the two engines are compared by."""
    sh = rdflib.Namespace(SH)
    keys = set()
    for r in report.objects(None, sh.result):
        focus = report.value(r, sh.focusNode)
        p = report.value(r, sh.resultPath)
        v = report.value(r, sh.value)
        keys.add(
            (
                str(to_ox(focus)) if focus is not None else "",
                read_path(report, p, "report").sparql() if p is not None else "",
                str(report.value(r, sh.sourceConstraintComponent)),
                str(report.value(r, sh.resultSeverity)),
                str(to_ox(v)) if v is not None else "",
            )
        )
    return keys


# -- helpers ---------------------------------------------------------------------------------


def _select(store: Store, text: str, what: str) -> SelectResult:
    try:
        res = store.query(text)
    except QueryError as exc:
        raise QueryError(f"validation query for {what} failed: {exc}\n{text}") from exc
    assert isinstance(res, SelectResult)
    return res


def _is_term(t: object) -> TypeGuard[Term]:
    return isinstance(t, ox.NamedNode | ox.BlankNode | ox.Literal)


def _chunks(items: Sequence[Term], n: int = CHUNK) -> Iterable[Sequence[Term]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


_HAS_VALUE = SH + "HasValueConstraintComponent"
_TRUE = ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))


def _default_message(check: Check | ScanEntry, component: str) -> tuple[str, ...]:
    if check.messages:
        return check.messages
    local = component[len(SH) :].removesuffix("ConstraintComponent")
    return (f"does not satisfy sh:{local[:1].lower()}{local[1:]} of {check.shape}",)


def _scan_results(
    check: Check, rows: list[list[object]], results: dict[Result, None]
) -> list[tuple[ScanEntry, list[Term]]]:
    """Count and sh:hasValue results of a scan's rows (added to ``results``), and for each
    property with bad values, the focus nodes to look at."""
    flagged: dict[ScanEntry, list[Term]] = {}
    for focus, codes in rows:
        if not _is_term(focus) or not isinstance(codes, ox.Literal):
            continue
        for code in codes.value.split():
            i, j = code.split(".")
            e = check.scan[int(i)]
            comp = e.outcomes[int(j)][1]
            if comp:
                msg = _default_message(e, comp)
                results[Result(focus, e.path, None, e.shape, comp, e.severity, msg, check.root)] = None
            else:
                flagged.setdefault(e, []).append(focus)
    return list(flagged.items())


def _results(
    check: Check, row: list[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None]
) -> Iterable[Result]:
    cells = dict(zip(check.columns, row, strict=True))
    focus = cells["this"]
    if focus is None or isinstance(focus, ox.Triple):
        return
    value = cells.get("value")
    value = None if isinstance(value, ox.Triple) else value
    path: Path | None = check.path
    p = cells.get("path")
    if isinstance(p, ox.NamedNode):
        path = PredicatePath(p.value)
    comps: list[tuple[str, Term | None]] = []
    if check.kind == "count":
        n_term = cells["n"]
        n = int(n_term.value) if isinstance(n_term, ox.Literal) else 0
        comps += [
            (c, None)
            for c, (b, k) in zip(check.components, check.bounds, strict=False)
            if (b == "min" and n < k) or (b == "max" and n > k)
        ]
    if check.kind == "value" and value is not None:
        comps += [(c, value) for i, c in enumerate(check.components) if cells.get(f"f{i}") == _TRUE]
    if check.kind == "plain":
        comps = [(check.components[0], value)]
    for comp, val in comps:
        if comp == _HAS_VALUE:  # on a node shape: pySHACL reports it without sh:value
            val = None
        yield Result(
            focus, path, val, check.shape, comp, check.severity, _default_message(check, comp), check.root
        )


def _mentioned_untyped(store: Store, graphs: Sequence[ox.NamedNode]) -> list[Term]:
    """IRIs the graphs use (as subject or object) without an rdf:type triple in them: nodes the
    graphs link to or say something about while another graph defines them."""
    g = values("?g", graphs)
    g2 = values("?g2", graphs)
    text = (
        f"SELECT DISTINCT ?n WHERE {{ {g} {{ GRAPH ?g {{ ?n ?p ?o }} }} UNION {{ GRAPH ?g {{ ?s ?p ?n }} }} "
        f"FILTER(isIRI(?n)) FILTER NOT EXISTS {{ {g2} GRAPH ?g2 {{ ?n <{RDF}type> ?t }} }} }}"
    )
    rows = _select(store, text, "the nodes the graphs mention").rows
    return [r[0] for r in rows if isinstance(r[0], ox.NamedNode)]


def _in_targets(store: Store, targets: Sequence[Target], nodes: Sequence[Term]) -> list[Term]:
    """Which of ``nodes`` are focus nodes of ``targets`` over the union."""
    found: dict[Term, None] = {}
    for part in _chunks(nodes):
        for branch in target_branches(targets, "?this"):
            text = f"SELECT DISTINCT ?this WHERE {{ {values('?this', part)} {branch} }}"
            found.update(
                (r[0], None) for r in _select(store, text, "linked focus nodes").rows if _is_term(r[0])
            )
    return list(found)


def _mentioned(store: Store, graphs: Sequence[ox.NamedNode], node: Term) -> bool:
    g = values("?g", graphs)
    res = store.query(
        f"ASK {{ {g} {{ GRAPH ?g {{ {term(node)} ?p ?o }} }} UNION {{ GRAPH ?g {{ ?s ?p {term(node)} }} }} }}"
    )
    assert isinstance(res, AskResult)
    return res.value


# -- running ---------------------------------------------------------------------------------


def load_program(
    shapes: ShapesInput, *, on_unsupported: Literal["fallback", "error"] = "fallback"
) -> Program:
    """A compiled program from a Program (as is), an rdflib shapes graph, or Turtle files."""
    if isinstance(shapes, Program):
        return shapes
    if isinstance(shapes, rdflib.Graph):
        return compile_shapes(shapes, on_unsupported=on_unsupported)
    g = rdflib.Graph()
    for p in shapes:
        try:
            g.parse(p, format="turtle")
        except Exception as exc:
            raise ValidationSetupError(f"{p}: the shapes do not parse: {exc}") from exc
    return compile_shapes(g, on_unsupported=on_unsupported)


def run(
    store: Store,
    program: Program,
    *,
    graphs: Sequence[ox.NamedNode | str] | None = None,
) -> ShaclReport:
    """Validate the store with ``program``; with ``graphs``, incrementally (see module doc)."""
    t0 = time.perf_counter()
    report = ShaclReport(fallback=dict(program.fallback))
    scope = (
        [g if isinstance(g, ox.NamedNode) else ox.NamedNode(g) for g in graphs]
        if graphs is not None
        else None
    )
    if scope is not None and not scope:
        report.seconds = time.perf_counter() - t0
        return report
    mentioned = _mentioned_untyped(store, scope) if scope is not None else []
    mentioned_set = frozenset(mentioned)
    extra_cache: dict[tuple[Target, ...], list[Term]] = {}
    branch_cache: dict[tuple[str, str], list[str]] = {}
    alive: dict[str, list[bool]] = {}

    def branches(root: str, var: str) -> list[str]:
        """The focus patterns of a root, each run on its own (see target_branches)."""
        key = (root, var)
        if key not in branch_cache:
            targets = program.roots[root]
            if scope is None:
                branch_cache[key] = target_branches(targets, var)
            else:
                if targets not in extra_cache:
                    extra_cache[targets] = _in_targets(store, targets, mentioned) if mentioned else []
                node_hits = frozenset(
                    t.term
                    for t in targets
                    if t.kind == "node" and (t.term in mentioned_set or _mentioned(store, scope, t.term))
                )
                found = target_branches(targets, var, graphs=scope, mentioned_nodes=node_hits)
                found += [values(var, part) for part in _chunks(extra_cache[targets])]
                branch_cache[key] = found
        return branch_cache[key]

    def pattern(root: str, var: str) -> str:
        found = branches(root, var)
        return " UNION ".join(f"{{ {b} }}" for b in found) if found else "FILTER(false)"

    results: dict[Result, None] = {}

    def execute(check: Check, focus: str) -> list[list[object]]:
        q0 = time.perf_counter()
        rows = _select(store, check.query(focus), check.shape).rows
        report.checks += 1
        where = check.path.sparql() if check.path else ""
        report.timings.append((time.perf_counter() - q0, f"{check.kind} {check.shape} {where}"))
        return rows  # type: ignore[return-value]

    for check in program.checks:
        if check.deferred:
            continue
        if check.root not in alive:  # skip the focus patterns of a root that find nothing
            alive[check.root] = []
            for b in branches(check.root, "?this"):
                res = store.query(f"ASK {{ {b} }}")
                assert isinstance(res, AskResult)
                alive[check.root].append(res.value)
        for live, branch in zip(alive[check.root], branches(check.root, check.focus_var), strict=True):
            if not live:
                continue
            rows = execute(check, branch)
            if check.kind == "scan":
                for entry, flagged in _scan_results(check, rows, results):
                    follow = entry.follow_up
                    assert follow is not None
                    if all(isinstance(f, ox.NamedNode) for f in flagged):
                        parts = [values("?this", part) for part in _chunks(flagged)]
                    else:  # a blank node cannot be named in a query: all the focus nodes again
                        parts = [branch]
                    for part in parts:
                        for row in execute(follow, part):
                            for r in _results(follow, row):  # type: ignore[arg-type]
                                results[r] = None
                continue
            for row in rows:
                for r in _results(check, row):  # type: ignore[arg-type]
                    results[r] = None
    if program.fallback:
        for r in _run_pyshacl(store, program, list(program.fallback), scope, pattern):
            results[r] = None
    report.results = list(results)
    report.timings.sort(reverse=True)
    report.seconds = time.perf_counter() - t0
    return report


def validate_graphs(
    store: Store,
    shapes: ShapesInput,
    graphs: Sequence[ox.NamedNode | str],
) -> ShaclReport:
    """Validate the named ``graphs`` "plus what they link to": their focus nodes, and the
    targets they mention without defining, with values looked up over the whole store.
    ``shapes``: a compiled Program (compile once, validate many), an rdflib graph or files."""
    return run(store, load_program(shapes), graphs=graphs)


def validate_all(store: Store, shapes: ShapesInput) -> ShaclReport:
    """Validate the whole store (the union of its graphs)."""
    return run(store, load_program(shapes))


# -- pySHACL for the roots the compiler left out ---------------------------------------------

_SHAPE_LINKS = frozenset(URIRef(SH + p) for p in ("property", "node", "not", "qualifiedValueShape"))
_TARGET_PREDICATES = frozenset(
    URIRef(SH + p) for p in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")
)


def shapes_closure(model: ShapesModel, root_id: str) -> rdflib.Graph:
    """The triples describing ``root_id`` and every shape it reaches, with the targets of the
    shapes other than the root removed (each root is validated on its own)."""
    g = model.graph
    root = model.shapes[root_id].node
    out = rdflib.Graph()
    seen: set[Node] = set()
    todo: list[Node] = [root]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in g.predicate_objects(node):
            if node != root and p in _TARGET_PREDICATES:
                continue
            if (
                node != root
                and p == URIRef(RDF + "type")
                and str(o) != SH + "NodeShape"
                and str(o) != SH + "PropertyShape"
            ):
                continue  # an rdfs:Class type would be an implicit target
            out.add((node, p, o))
            if isinstance(o, BNode) or (p in _SHAPE_LINKS and isinstance(o, URIRef)):
                todo.append(o)
            elif isinstance(o, URIRef) and shape_id(o) in model.shapes and p == URIRef(RDF + "first"):
                todo.append(o)  # a member of an sh:and / sh:or / sh:xone list
    return out


def rdflib_graph(triples: Iterable[ox.Triple | ox.Quad]) -> rdflib.Graph:
    """An rdflib graph of ``triples`` that keeps each literal's lexical form and each blank
    node's id as the store has them (parsing N-Triples would renumber blank nodes and rdflib
    would rewrite ``"0.000000488"^^xsd:double`` as ``4.88e-07``), so that pySHACL's results
    name the same terms as the store's."""
    xsd_string = ox.NamedNode(XSD + "string")
    cache: dict[object, Node] = {}

    def conv(t: object) -> Node:
        got = cache.get(t)
        if got is not None:
            return got
        out: Node
        if isinstance(t, ox.NamedNode):
            out = URIRef(t.value)
        elif isinstance(t, ox.BlankNode):
            out = BNode(t.value)
        elif isinstance(t, ox.Literal):
            if t.language:
                out = rdflib.Literal(t.value, lang=t.language, normalize=False)
            elif t.datatype == xsd_string:
                out = rdflib.Literal(t.value, normalize=False)
            else:
                out = rdflib.Literal(t.value, datatype=URIRef(t.datatype.value), normalize=False)
        else:
            raise ValidationSetupError(f"pySHACL cannot validate the RDF-star term {t}")
        cache[t] = out
        return out

    g = rdflib.Graph()
    for t in triples:
        g.add((conv(t.subject), conv(t.predicate), conv(t.object)))
    return g


def _union_graph(store: Store) -> rdflib.Graph:
    res = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert isinstance(res, GraphResult)
    return rdflib_graph(res.triples)


def _run_pyshacl(
    store: Store,
    program: Program,
    roots: list[str],
    scope: Sequence[ox.NamedNode] | None,
    pattern: Callable[[str, str], str],
) -> list[Result]:
    import pyshacl

    data = _union_graph(store)
    sh = rdflib.Namespace(SH)
    out: list[Result] = []
    for root in roots:
        in_scope: set[Term] | None = None
        if scope is not None:
            rows = _select(store, f"SELECT DISTINCT ?this WHERE {{ {pattern(root, '?this')} }}", root).rows
            in_scope = {r[0] for r in rows if _is_term(r[0])}
            if not in_scope:
                continue
        try:
            _conforms, rg, _text = pyshacl.validate(
                data,
                shacl_graph=shapes_closure(program.model, root),
                inference="none",
                allow_warnings=True,
                advanced=False,
            )
        except Exception as exc:  # pySHACL raises its own errors, re.error, RuntimeError...
            raise ValidationSetupError(
                f"pySHACL could not validate {program.model.shapes[root].describe()} "
                f"({program.fallback[root]}): {exc}"
            ) from exc
        # top-level results only: pySHACL also types the sh:detail results nested under sh:node
        for r in rg.objects(None, sh.result):
            focus = to_ox(rg.value(r, sh.focusNode), "pySHACL report")
            if in_scope is not None and focus not in in_scope:
                continue
            path_node = rg.value(r, sh.resultPath)
            value = rg.value(r, sh.value)
            out.append(
                Result(
                    focus=focus,
                    path=read_path(rg, path_node, "pySHACL report") if path_node is not None else None,
                    value=to_ox(value, "pySHACL report") if value is not None else None,
                    shape=shape_id(rg.value(r, sh.sourceShape)),
                    component=str(rg.value(r, sh.sourceConstraintComponent)),
                    severity=str(rg.value(r, sh.resultSeverity)),
                    messages=tuple(sorted(str(m) for m in rg.objects(r, sh.resultMessage))),
                    root=root,
                )
            )
    return out


def report_triples(report: ShaclReport) -> list[ox.Triple]:
    """The report as a SHACL ``sh:ValidationReport`` in RDF (blank-node results)."""
    sh = SH
    rdf_type = ox.NamedNode(RDF + "type")
    rep = ox.BlankNode()
    triples = [
        ox.Triple(rep, rdf_type, ox.NamedNode(sh + "ValidationReport")),
        ox.Triple(
            rep,
            ox.NamedNode(sh + "conforms"),
            ox.Literal(
                str(report.conforms).lower(),
                datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"),
            ),
        ),
    ]

    def path_node(p: Path) -> ox.NamedNode | ox.BlankNode:
        from kg.shacl.model import AlternativePath, InversePath, RepeatPath, SequencePath

        if isinstance(p, PredicatePath):
            return ox.NamedNode(p.iri)
        b = ox.BlankNode()
        if isinstance(p, InversePath):
            triples.append(ox.Triple(b, ox.NamedNode(sh + "inversePath"), path_node(p.path)))
        elif isinstance(p, RepeatPath):
            pred = {"*": "zeroOrMorePath", "+": "oneOrMorePath", "?": "zeroOrOnePath"}[p.mod]
            triples.append(ox.Triple(b, ox.NamedNode(sh + pred), path_node(p.path)))
        elif isinstance(p, SequencePath | AlternativePath):
            members = p.steps if isinstance(p, SequencePath) else p.options
            head = _rdf_list([path_node(m) for m in members], triples)
            if isinstance(p, SequencePath):
                return head
            triples.append(ox.Triple(b, ox.NamedNode(sh + "alternativePath"), head))
        return b

    for res in report.results:
        r = ox.BlankNode()
        triples.append(ox.Triple(rep, ox.NamedNode(sh + "result"), r))
        triples.append(ox.Triple(r, rdf_type, ox.NamedNode(sh + "ValidationResult")))
        triples.append(ox.Triple(r, ox.NamedNode(sh + "focusNode"), res.focus))
        triples.append(ox.Triple(r, ox.NamedNode(sh + "resultSeverity"), ox.NamedNode(res.severity)))
        triples.append(
            ox.Triple(r, ox.NamedNode(sh + "sourceConstraintComponent"), ox.NamedNode(res.component))
        )
        shape: ox.NamedNode | ox.BlankNode = (
            ox.BlankNode(res.shape[2:]) if res.shape.startswith("_:") else ox.NamedNode(res.shape)
        )
        triples.append(ox.Triple(r, ox.NamedNode(sh + "sourceShape"), shape))
        if res.path is not None:
            triples.append(ox.Triple(r, ox.NamedNode(sh + "resultPath"), path_node(res.path)))
        if res.value is not None:
            triples.append(ox.Triple(r, ox.NamedNode(sh + "value"), res.value))
        for m in res.messages:
            triples.append(ox.Triple(r, ox.NamedNode(sh + "resultMessage"), ox.Literal(m)))
    return triples


def _rdf_list(
    items: list[ox.NamedNode | ox.BlankNode], triples: list[ox.Triple]
) -> ox.NamedNode | ox.BlankNode:
    head: ox.NamedNode | ox.BlankNode = ox.NamedNode(RDF + "nil")
    for item in reversed(items):
        cell = ox.BlankNode()
        triples.append(ox.Triple(cell, ox.NamedNode(RDF + "first"), item))
        triples.append(ox.Triple(cell, ox.NamedNode(RDF + "rest"), head))
        head = cell
    return head
