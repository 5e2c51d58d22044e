"""Every OME-XML file in ../shared/corpora/ome-xml ingests or is refused with a specific reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.config import Settings
from kg.ingest import ingest_paths
from kg.store import EmbeddedStore, SelectResult

from .conftest import rows

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


SAMPLES = "corpora/ome-xml/ome-model/specification/samples/2016-06"


def _ingest(shared: Path, *names: str) -> EmbeddedStore:
    store = EmbeddedStore(None)
    rep = ingest_paths(store, Settings(), [shared / SAMPLES / n for n in names])
    assert rep.ok, [o.error for o in rep.failed]
    assert all(not o.unmapped for o in rep.outcomes), [o.unmapped for o in rep.outcomes]
    return store


def test_golden_map_annotation_pairs_linked_to_their_image(shared: Path) -> None:
    store = _ingest(shared, "mapannotation.ome.xml")
    found = rows(
        store,
        "SELECT ?k ?v WHERE { ?i a ome:Image ; ome:annotation ?a . ?a a ome:MapAnnotation ; ome:value/ome:m ?m . "
        "?m ome:k ?k ; ome:value ?v } ORDER BY ?k",
    )
    assert found == [
        ["SampleKeyA", "SampleValueA"],
        ["SampleKeyB-1", "SampleValueB-1"],
        ["SampleKeyB-2", "SampleValueB-2"],
    ]


def test_golden_plate_wells_and_images(shared: Path) -> None:
    store = _ingest(shared, "hcs.ome.xml")
    found = rows(
        store,
        "SELECT ?row ?col (COUNT(?ws) AS ?samples) WHERE { ?p a ome:Plate ; ome:well ?w . ?w ome:row ?row ; ome:column ?col . "
        "OPTIONAL { ?w ome:well_sample ?ws . ?ws ome:image ?img . ?img a ome:Image } } GROUP BY ?row ?col ORDER BY ?row ?col",
    )
    assert found and found[0][:2] == ["0", "0"]
    assert all(int(r[2]) >= 1 for r in found)


def test_golden_roi_summary(shared: Path) -> None:
    store = _ingest(shared, "ROI.ome.xml")
    total = rows(store, "SELECT (SUM(?n) AS ?t) WHERE { ?r a ome:ROI ; bkg:shapeCount ?n }")
    assert total == [["7"]]
    kinds = rows(store, "SELECT DISTINCT ?k WHERE { ?r bkg:shapeKind ?k } ORDER BY ?k")
    assert [k[0] for k in kinds] == ["Label", "Line", "Mask", "Point", "Rectangle"]


def test_golden_instrument_parts(shared: Path) -> None:
    store = _ingest(shared, "instrument.ome.xml")
    laser = rows(
        store,
        "SELECT ?medium ?power ?unit ?pumped WHERE { ?l a ome:Laser ; ome:laser_medium ?medium ; ome:power ?q ; ome:pump ?p . "
        "?q qudt:numericValue ?power ; qudt:unit ?unit . ?p ome:model ?pumped }",
    )
    assert laser == [["Ruby", "200", "http://qudt.org/vocab/unit/MilliW", "Arc60"]]
    filters = rows(
        store,
        "SELECT ?model ?cutin WHERE { ?c a ome:Channel ; ome:light_path/ome:emission_filter ?f . ?f ome:model ?model ; "
        "ome:transmittance_range/ome:cut_in/bkg:siValue ?cutin }",
    )
    assert len(filters) == 1 and filters[0][0] == "Delux Mk5"
    assert float(filters[0][1]) == pytest.approx(562e-9)  # CutIn="562" nm
    settings = rows(
        store,
        "SELECT ?gain ?binning WHERE { ?c ome:detector_settings ?d . ?d ome:gain ?gain ; ome:binning ?binning ; ome:detector/ome:type 'CCD' }",
    )
    assert settings == [["1.2", "2x2"]]
