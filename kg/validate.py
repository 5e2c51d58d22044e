"""SHACL validation of the store against shapes/, with findings in plain words.

Each source graph is validated on its own (OME objects do not link across sources), which keeps
the cost proportional to each source and tells for every finding which file it came from.
Findings say which object (type and label), which file, which field in words, what is expected
and what was found, instead of ``minCount 1`` on a node ID.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import ValidationSetupError
from kg.namespaces import BKG, DCT, RDF, RDFS, SH
from kg.resources import data_dir
from kg.store import GraphResult, SelectResult, Store

SEVERITIES = {SH + "Violation": "violation", SH + "Warning": "warning", SH + "Info": "info"}


@dataclass(frozen=True)
class Finding:
    severity: str  # "violation", "warning", "info"
    source: str  # file name of the source
    source_location: str  # the source's file: URI or URL
    focus: str  # IRI of the object
    focus_type: str  # "image", "pixels", ...
    focus_label: str
    field: str  # "acquisition date"
    message: str
    value: str | None = None

    def sentence(self) -> str:
        found = f" (found: {self.value})" if self.value is not None else ""
        return (
            f'{self.severity.upper():9} {self.focus_type} "{self.focus_label}" in {self.source}: '
            f"{self.field}: {self.message}{found}"
        )


@dataclass
class ValidationReport:
    findings: list[Finding] = field(default_factory=list)
    graphs: int = 0

    @property
    def counts(self) -> Counter[str]:
        return Counter(f.severity for f in self.findings)

    @property
    def conforms(self) -> bool:
        """True when there is no violation (warnings and infos do not break conformance)."""
        return self.counts["violation"] == 0

    def as_dict(self) -> dict[str, object]:
        return {
            "conforms": self.conforms,
            "graphs": self.graphs,
            "counts": {k: self.counts.get(k, 0) for k in ("violation", "warning", "info")},
            "findings": [asdict(f) for f in self.findings],
        }


def load_shapes(paths: list[Path] | None = None):  # type: ignore[no-untyped-def]
    import rdflib

    g = rdflib.Graph()
    files = paths or sorted(data_dir("shapes").glob("*.ttl"))
    for p in files:
        try:
            g.parse(p, format="turtle")
        except Exception as exc:
            raise ValidationSetupError(f"{p}: the shapes do not parse: {exc}") from exc
    return g


# Where an object's name is found: rdfs:label (OME objects), then the title or name that REMBI,
# instrument and provenance objects carry (dct:title, schema:name, ome:name, ome:model).
_LABEL_PREDICATES = (
    RDFS + "label",
    DCT + "title",
    "http://schema.org/name",
    "https://ld.openmicroscopy.org/core/name",
    "https://ld.openmicroscopy.org/core/model",
)


def _label(g, node, default: str) -> str:  # type: ignore[no-untyped-def]
    import rdflib

    for p in _LABEL_PREDICATES:
        lab = g.value(node, rdflib.URIRef(p))
        if lab is not None:
            return str(lab)
    return default


def validate_graph_triples(
    triples: list[ox.Triple],
    shapes: Any,
    *,
    source: str,
    location: str,
) -> list[Finding]:
    import pyshacl
    import rdflib

    buf = io.BytesIO()
    ox.serialize(triples, buf, ox.RdfFormat.N_TRIPLES)
    data = rdflib.Graph()
    data.parse(data=buf.getvalue().decode("utf-8"), format="nt")
    _conforms, results, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True, advanced=False
    )
    sh = rdflib.Namespace(SH)
    findings = []
    for r in results.objects(None, sh.result):  # not the sh:detail results nested under sh:node
        focus = results.value(r, sh.focusNode)
        severity = SEVERITIES.get(str(results.value(r, sh.resultSeverity)), "violation")
        source_shape = results.value(r, sh.sourceShape)
        field_name = shapes.value(source_shape, sh.name) if source_shape is not None else None
        path = results.value(r, sh.resultPath)
        if field_name is None and path is not None:
            field_name = str(path).rsplit("/", 1)[-1].replace("_", " ")
        message = results.value(r, sh.resultMessage)
        value = results.value(r, sh.value)
        node_shape = (
            next(iter(shapes.subjects(sh.property, source_shape)), None) if source_shape is not None else None
        )
        ftype = _label(shapes, node_shape, "") if node_shape is not None else ""
        if not ftype:
            t = data.value(focus, rdflib.RDF.type)
            ftype = str(t).rsplit("/", 1)[-1].lower() if t is not None else "object"
        findings.append(
            Finding(
                severity=severity,
                source=source,
                source_location=location,
                focus=str(focus),
                focus_type=ftype,
                focus_label=_label(data, focus, str(focus).rsplit("/", 1)[-1]),
                field=str(field_name or "value"),
                message=str(message or "does not conform"),
                value=None if value is None or value == focus else str(value),
            )
        )
    findings.sort(key=lambda f: (["violation", "warning", "info"].index(f.severity), f.focus, f.field))
    return findings


ENGINES = ("sparql", "pyshacl")


def validate_store(
    store: Store, *, shapes_paths: list[Path] | None = None, engine: str = "sparql"
) -> ValidationReport:
    """Validate ``store`` against the shapes.

    ``engine="sparql"`` (default): the shapes compiled to SPARQL SELECTs run in the store, over
    the union of all graphs (kg.shacl, docs/validation.md). ``engine="pyshacl"``: pySHACL on an
    rdflib copy of each source graph on its own.
    """
    if engine not in ENGINES:
        raise ValidationSetupError(f"unknown validation engine {engine!r}; use one of {', '.join(ENGINES)}")
    shapes = load_shapes(shapes_paths)
    if engine == "sparql":
        from kg.shacl.findings import validate_store_sparql

        return validate_store_sparql(store, shapes)
    sources = store.query(
        f"SELECT ?g ?label ?loc WHERE {{ GRAPH ?g {{ ?g <{RDF}type> <{BKG}Source> . "
        f"OPTIONAL {{ ?g <{RDFS}label> ?label }} OPTIONAL {{ ?g <{DCT}source> ?loc }} }} }} ORDER BY ?g"
    )
    assert isinstance(sources, SelectResult)
    report = ValidationReport()
    for g, label, loc in sources.rows:
        assert isinstance(g, ox.NamedNode)
        content = store.query(
            "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", substitutions={"g": g}
        )
        assert isinstance(content, GraphResult)
        report.graphs += 1
        report.findings.extend(
            validate_graph_triples(
                content.triples,
                shapes,
                source=label.value if label is not None else g.value,  # type: ignore[union-attr]
                location=loc.value if loc is not None else "",  # type: ignore[union-attr]
            )
        )
    return report
