"""Results of the SPARQL engine as kg's findings: which object, which file, which field, in words.

The findings are built as ``kg.validate`` builds them from a pySHACL report (same fields, same
rules: the field is the shape's ``sh:name``, the object type the ``rdfs:label`` of the node
shape that holds the property shape, else the object's ``rdf:type``), so the two engines give
the same :class:`kg.validate.Finding` objects. The source of a finding is the named graph that
holds the focus node (a ``bkg:Source`` graph first), looked up in batches.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
import rdflib

from kg.namespaces import BKG, DCT, RDF, RDFS, SH
from kg.shacl.compile import Program, values
from kg.shacl.model import PredicatePath
from kg.shacl.run import CHUNK, Result, ShaclReport, _select, load_program, run
from kg.store import SelectResult, Store

if TYPE_CHECKING:
    from kg.validate import Finding, ValidationReport

Term = ox.NamedNode | ox.BlankNode | ox.Literal
SEVERITIES = {SH + "Violation": "violation", SH + "Warning": "warning", SH + "Info": "info"}


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _sources(store: Store, graphs: Sequence[ox.NamedNode] | None) -> list[tuple[ox.NamedNode, str, str]]:
    """(graph, label, location) of the bkg:Source graphs (all, or those in ``graphs``)."""
    restrict = values("?g", graphs) if graphs is not None else ""
    text = (
        f"SELECT ?g ?label ?loc WHERE {{ {restrict} GRAPH ?g {{ ?g <{RDF}type> <{BKG}Source> . "
        f"OPTIONAL {{ ?g <{RDFS}label> ?label }} OPTIONAL {{ ?g <{DCT}source> ?loc }} }} }} ORDER BY ?g"
    )
    out = []
    for g, label, loc in _select(store, text, "the sources").rows:
        if isinstance(g, ox.NamedNode):
            out.append(
                (
                    g,
                    label.value if isinstance(label, ox.Literal) else g.value,
                    loc.value if isinstance(loc, ox.Literal | ox.NamedNode) else "",
                )
            )
    return out


class _NodeInfo:
    """Graph, label and types of the focus nodes, fetched in batches of VALUES."""

    def __init__(self, store: Store, nodes: list[Term], prefer: Sequence[ox.NamedNode] | None) -> None:
        from kg.validate import _LABEL_PREDICATES

        self.graphs: dict[Term, list[ox.NamedNode]] = {}
        self.labels: dict[Term, dict[str, str]] = {}
        self.types: dict[Term, list[str]] = {}
        self.preferred = {g.value for g in prefer or []}
        iris = [n for n in nodes if isinstance(n, ox.NamedNode)]
        blanks = [n for n in nodes if isinstance(n, ox.BlankNode)]
        label_preds = values("?p", [ox.NamedNode(p) for p in _LABEL_PREDICATES])
        self.order = list(_LABEL_PREDICATES)
        queries = [
            ("graph", "SELECT DISTINCT ?this ?g WHERE { {vals} GRAPH ?g { ?this ?anyp ?anyo } }"),
            ("label", f"SELECT ?this ?p ?l WHERE {{ {{vals}} {label_preds} ?this ?p ?l }}"),
            ("type", f"SELECT ?this ?t WHERE {{ {{vals}} ?this <{RDF}type> ?t }}"),
        ]
        for part in [iris[i : i + CHUNK] for i in range(0, len(iris), CHUNK)]:
            vals = values("?this", part)
            for kind, template in queries:
                self._take(kind, _select(store, template.replace("{vals}", vals), "finding details"))
        for b in blanks:  # a blank node can only be passed by substitution
            for kind, template in queries:
                res = store.query(template.replace("{vals}", ""), substitutions={"this": b})
                assert isinstance(res, SelectResult)
                self._take(kind, res)

    def _take(self, kind: str, res: SelectResult) -> None:
        for row in res.rows:
            node = row[0]
            if node is None or isinstance(node, ox.Triple):
                continue
            if kind == "graph" and isinstance(row[1], ox.NamedNode):
                self.graphs.setdefault(node, []).append(row[1])
            elif kind == "label" and isinstance(row[1], ox.NamedNode) and isinstance(row[2], ox.Literal):
                self.labels.setdefault(node, {}).setdefault(row[1].value, row[2].value)
            elif kind == "type" and isinstance(row[1], ox.NamedNode):
                self.types.setdefault(node, []).append(row[1].value)

    def graph(self, node: Term, sources: dict[str, tuple[str, str]]) -> ox.NamedNode | None:
        """The graph a finding is reported under: one of the graphs validated, else a source
        graph, else any graph holding the node (the smallest IRI of the best kind)."""
        found = self.graphs.get(node, [])
        if not found:
            return None
        return min(found, key=lambda g: (g.value not in self.preferred, g.value not in sources, g.value))

    def label(self, node: Term) -> str | None:
        found = self.labels.get(node, {})
        for p in self.order:
            if p in found:
                return found[p]
        return None


def _shape_label(program: Program, sid: str) -> str:
    """The label of the node shape holding property shape ``sid`` (rdfs:label, dct:title...)."""
    from kg.validate import _LABEL_PREDICATES

    g = program.shapes_graph
    for parent in program.model.parents.get(sid, []):
        node = program.model.shapes[parent].node
        for p in _LABEL_PREDICATES:
            lab = g.value(node, rdflib.URIRef(p))
            if lab is not None:
                return str(lab)
    return ""


def to_findings(
    store: Store, program: Program, report: ShaclReport, *, graphs: Sequence[ox.NamedNode] | None = None
) -> list[Finding]:
    """kg findings for the results of ``report`` (see module doc)."""
    from kg.validate import Finding

    sources = {g.value: (label, loc) for g, label, loc in _sources(store, None)}
    foci = list(dict.fromkeys(r.focus for r in report.results))
    info = _NodeInfo(store, foci, graphs)
    findings: dict[Finding, None] = {}
    for r in report.results:
        findings[_finding(Finding, program, info, sources, r)] = None
    out = list(findings)
    out.sort(key=lambda f: (["violation", "warning", "info"].index(f.severity), f.focus, f.field))
    return out


def _finding(
    cls: type[Finding], program: Program, info: _NodeInfo, sources: dict[str, tuple[str, str]], r: Result
) -> Finding:
    shape = program.model.shapes.get(r.shape)
    field = shape.name if shape is not None and shape.name else None
    if field is None and r.path is not None:
        field = _local(r.path.iri).replace("_", " ") if isinstance(r.path, PredicatePath) else r.path.words()
    ftype = _shape_label(program, r.shape)
    if not ftype:
        types = sorted(info.types.get(r.focus, []))
        ftype = _local(types[0]).lower() if types else "object"
    g = info.graph(r.focus, sources)
    source, location = sources.get(g.value, (g.value, "")) if g is not None else ("", "")
    focus = r.focus.value if isinstance(r.focus, ox.NamedNode | ox.BlankNode | ox.Literal) else str(r.focus)
    value = None if r.value is None or r.value == r.focus else r.value.value
    return cls(
        severity=SEVERITIES.get(r.severity, "violation"),
        source=source,
        source_location=location,
        focus=focus,
        focus_type=ftype,
        focus_label=info.label(r.focus) or _local(focus),
        field=str(field or "value"),
        message=r.messages[0] if r.messages else "does not conform",
        value=value,
    )


def validate_store_sparql(
    store: Store,
    shapes: rdflib.Graph | Program | Sequence[Path],
    *,
    graphs: Sequence[ox.NamedNode | str] | None = None,
) -> ValidationReport:
    """kg's ValidationReport from the SPARQL engine: the whole store, or (``graphs``) those
    graphs and what they link to."""
    from kg.validate import ValidationReport

    program = load_program(shapes)
    scope = (
        [g if isinstance(g, ox.NamedNode) else ox.NamedNode(g) for g in graphs]
        if graphs is not None
        else None
    )
    report = run(store, program, graphs=scope)
    rep = ValidationReport(graphs=len(_sources(store, scope)) if scope is None or scope else 0)
    rep.findings = to_findings(store, program, report, graphs=scope)
    return rep
