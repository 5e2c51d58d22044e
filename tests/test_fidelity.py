"""Measured fidelity over the OME-XML corpus: at least 99% of values of 2016-06 files are in the graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.config import Settings
from kg.ingest import ingest_paths
from kg.store import EmbeddedStore, GraphResult

from .fidelity import Fidelity, measure


def test_fidelity_2016_06(shared: Path) -> None:
    files = sorted((shared / "corpora/ome-xml/ome-model/specification/samples/2016-06").glob("*.ome.xml"))
    assert len(files) == 32
    store = EmbeddedStore(None)
    rep = ingest_paths(store, Settings(), files)
    assert rep.ok
    fid = Fidelity()
    for o in rep.outcomes:
        content = store.query(
            "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
            substitutions={"g": ox.NamedNode(o.graph or "")},
        )
        assert isinstance(content, GraphResult)
        measure(o.path, content.triples, fid)
    print(f"\nfidelity over {len(files)} 2016-06 files: {fid.found}/{fid.total} = {fid.ratio:.4%}")
    assert fid.total > 1000
    assert fid.ratio >= 0.99, "\n".join(fid.missing[:40])
