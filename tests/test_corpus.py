"""Every OME-XML file in ../shared/corpora/ome-xml ingests or is refused with a specific reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.config import Settings
from kg.ingest import ingest_paths
from kg.store import EmbeddedStore, SelectResult

# Files the OME model itself cannot read, with the reason the test expects in the message.
EXPECTED_REFUSALS = {
    "XMLAnnotationTest.ome": "urn:uuid",
    "2008-09.ome": "ParserError",
    "one-of-everything-no-problems.xml": "valid number",
    "one-of-everything.xml": "valid number",
    "sample-2003-FC.ome": "XMLschemas/OME/FC",
    "Iron-Plate-2003-FC.ome.tiff.xml": "XMLschemas/OME/FC",
    "sample-2007-06.ome": "greater than 0",
    "sample-2008-02.ome": "greater than 0",
    "sample-2008-09.ome": "greater than 0",
    "sample-2009-09.ome": "greater than 0",
    "sample-2010-04.ome": "valid number",
}


def test_whole_ome_xml_corpus(shared: Path, tmp_path: Path) -> None:
    corpus = shared / "corpora" / "ome-xml"
    store = EmbeddedStore(None)
    rep = ingest_paths(store, Settings(store_path=tmp_path), [corpus])
    failed = {o.path.name: o.error or "" for o in rep.failed}
    assert set(failed) == set(EXPECTED_REFUSALS), sorted(set(failed) ^ set(EXPECTED_REFUSALS))
    for name, reason in EXPECTED_REFUSALS.items():
        msg = failed[name]
        assert name in msg and reason in msg, msg
        assert "Traceback" not in msg
    ingested = rep.by_status("ingested")
    assert len(ingested) >= 200
    # every 2016-06 sample ingests
    samples = sorted((corpus / "ome-model/specification/samples/2016-06").glob("*.ome.xml"))
    assert {p.name for p in samples} <= {o.path.name for o in ingested}
    assert all(
        o.path.suffix not in (".xml", ".ome")
        for o in rep.by_status("skipped")
        if o.path.name.startswith("sample")
    )


def test_golden_values_from_instrument_units_alternate(shared: Path) -> None:
    f = shared / "corpora/ome-xml/ome-model/specification/samples/2016-06/instrument-units-alternate.ome.xml"
    store = EmbeddedStore(None)
    rep = ingest_paths(store, Settings(), [f])
    assert rep.ok
    res = store.query(
        "PREFIX ome: <https://ld.openmicroscopy.org/core/> PREFIX qudt: <http://qudt.org/schema/qudt/> "
        "PREFIX bkg: <https://w3id.org/bioimage-kg/vocab/> "
        "SELECT ?v ?u ?si WHERE { ?o a ome:Objective ; ome:working_distance ?q . ?q qudt:numericValue ?v ; qudt:unit ?u ; bkg:siValue ?si }"
    )
    assert isinstance(res, SelectResult) and len(res.rows) == 1
    v, unit, si = (t.value for t in res.rows[0])  # type: ignore[union-attr]
    # the file says WorkingDistance=".02" WorkingDistanceUnit="mm": 20 µm
    assert float(v) == 0.02
    assert unit == "http://qudt.org/vocab/unit/MilliM"
    assert float(si) == pytest.approx(2e-5, rel=1e-12)
