"""Helpers for the schema and profile tests: the example documents of tests/fixtures/schema/,
loaded with the generated Python model and turned into RDF with linkml-runtime's dumper, as the
readers will."""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pyoxigraph as ox

from kg.namespaces import BKG, RDF, RDFS
from kg.store import Store

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO / "shapes" / "schema" / "bioimage_kg.yaml"
GENERATED = REPO / "shapes" / "generated"
EXAMPLES = Path(__file__).resolve().parent / "fixtures" / "schema"

# example file -> the schema class at its root
GOOD = {
    "rembi-study.yaml": "Study",
    "instrument-tier1.yaml": "Instrument",
    "instrument-tier2.yaml": "Instrument",
    "analysis-run.yaml": "AnalysisRun",
}


@functools.cache
def model() -> ModuleType:
    """The generated dataclasses (shapes/generated/bioimage_kg_model.py)."""
    spec = importlib.util.spec_from_file_location("bioimage_kg_model", GENERATED / "bioimage_kg_model.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bioimage_kg_model"] = mod
    spec.loader.exec_module(mod)
    return mod


@functools.cache
def schemaview() -> Any:
    from linkml_runtime.utils.schemaview import SchemaView

    return SchemaView(str(SCHEMA))


def load_example(name: str, cls: str | None = None) -> Any:
    from linkml_runtime.loaders import yaml_loader

    path = EXAMPLES / name
    return yaml_loader.load(str(path), target_class=getattr(model(), cls or GOOD[name]))


def to_rdf(obj: Any) -> Any:
    """An rdflib Graph of ``obj``, as linkml-runtime's rdflib dumper writes it."""
    from linkml_runtime.dumpers import rdflib_dumper

    return rdflib_dumper.as_rdf_graph(obj, schemaview=schemaview())


def graph_quads(graph: Any, source: str) -> tuple[ox.NamedNode, list[ox.Quad]]:
    """The triples of an rdflib graph as one source's named graph, described as kg does
    (``<g> a bkg:Source ; rdfs:label "file name"``), so that kg validate and kg completeness
    see it like an ingested source."""
    g = ox.NamedNode(f"http://localhost:8000/id/source/{source.replace('.', '-')}")
    quads = [
        ox.Quad(g, ox.NamedNode(RDF + "type"), ox.NamedNode(BKG + "Source"), g),
        ox.Quad(g, ox.NamedNode(RDFS + "label"), ox.Literal(source), g),
    ]
    data = graph.serialize(format="nt").encode("utf-8")
    quads += [ox.Quad(t.subject, t.predicate, t.object, g) for t in ox.parse(data, ox.RdfFormat.N_TRIPLES)]
    return g, quads


def add_source(store: Store, graph: Any, source: str) -> ox.NamedNode:
    g, quads = graph_quads(graph, source)
    store.replace_graph(g, quads)
    return g
