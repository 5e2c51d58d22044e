"""Mapping: golden values queried back with SPARQL, units, unmapped report, stable IRIs."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from kg.config import Settings
from kg.demo import DEMO_DIR
from kg.ingest import ingest_paths
from kg.iris import object_iri, source_iri, source_key
from kg.mapping import ModelMapping
from kg.namespaces import sparql_prologue
from kg.resources import data_dir
from kg.store import EmbeddedStore, SelectResult

from .conftest import FIXTURES

PFX = sparql_prologue()


def select(store: EmbeddedStore, q: str, **subs: ox.NamedNode | ox.Literal) -> list[list[str | None]]:
    res = store.query(PFX + q, substitutions=subs or None)
    assert isinstance(res, SelectResult)
    return [[t.value if t is not None else None for t in row] for row in res.rows]


@pytest.fixture
def demo(store: EmbeddedStore, settings: Settings) -> EmbeddedStore:
    rep = ingest_paths(store, settings, sorted(DEMO_DIR.glob("*.ome.xml")))
    assert rep.ok, [o.error for o in rep.failed]
    return store


def test_objective_values_are_typed(demo: EmbeddedStore) -> None:
    rows = select(
        demo,
        "SELECT ?na ?mag ?imm (DATATYPE(?na) AS ?dt) WHERE { ?o a ome:Objective ; ome:model ?m ; ome:lens_na ?na ;"
        " ome:nominal_magnification ?mag ; ome:immersion ?imm FILTER(STRSTARTS(?m, 'Plan-Apo')) }",
    )
    assert rows == [["1.4", "63", "Oil", "http://www.w3.org/2001/XMLSchema#double"]]


def test_pixel_size_has_unit_iris_and_si_value(demo: EmbeddedStore) -> None:
    rows = select(
        demo,
        "SELECT ?v ?unit ?uo ?si WHERE { ?i a ome:Image ; ome:name ?n ; ome:pixels/ome:physical_size_x ?q ."
        " ?q qudt:numericValue ?v ; qudt:unit ?unit ; bkg:uoUnit ?uo ; bkg:siValue ?si FILTER(STRSTARTS(?n, 'HeLa')) }",
    )
    assert len(rows) == 1
    v, unit, uo, si = rows[0]
    assert float(v) == 0.0659
    assert unit == "http://qudt.org/vocab/unit/MicroM"
    assert uo == "http://purl.obolibrary.org/obo/UO_0000017"
    assert float(si) == pytest.approx(6.59e-8, rel=1e-12)


def test_nm_and_um_compare_equal_through_si_values(demo: EmbeddedStore) -> None:
    # embryo 1 says 650 nm, embryo 2 says 0.65 µm: the same pixel size
    rows = select(
        demo,
        "SELECT ?n ?v ?unit ?si WHERE { ?i a ome:Image ; ome:name ?n ; ome:pixels/ome:physical_size_x ?q ."
        " ?q qudt:numericValue ?v ; qudt:unit ?unit ; bkg:siValue ?si FILTER(STRSTARTS(?n, 'embryo')) } ORDER BY ?n",
    )
    assert [r[2].rsplit("/", 1)[-1] for r in rows] == ["NanoM", "MicroM"]
    assert float(rows[0][3]) == float(rows[1][3]) == pytest.approx(6.5e-7)
    # and the time increment: 15 min vs 900 s
    rows = select(demo, "SELECT ?si WHERE { ?p a ome:Pixels ; ome:time_increment/bkg:siValue ?si }")
    assert sorted(float(r[0]) for r in rows) == [900.0, 900.0]


def test_channels_and_links(demo: EmbeddedStore) -> None:
    rows = select(
        demo,
        "SELECT ?name ?fluor ?em WHERE { ?i ome:name ?iname ; ome:pixels/ome:channel ?c . ?c ome:name ?name ;"
        " ome:fluor ?fluor ; ome:emission_wavelength/qudt:numericValue ?em FILTER(STRSTARTS(?iname, 'HeLa')) } ORDER BY ?name",
    )
    assert rows == [["DAPI", "DAPI", "461"], ["alpha-tubulin AF488", "Alexa Fluor 488", "0.519"]]
    rows = select(
        demo,
        "SELECT ?m WHERE { ?i a ome:Image ; ome:objective_settings/ome:objective/ome:model ?m ; ome:name ?n FILTER(STRSTARTS(?n, 'HeLa')) }",
    )
    assert rows == [["Plan-Apochromat 63x/1.40 Oil DIC M27"]]
    rows = select(
        demo,
        "SELECT ?d WHERE { ?i a ome:Image ; ome:acquisition_date ?d ; ome:name ?n FILTER(STRSTARTS(?n, 'HeLa')) }",
    )
    assert rows == [["2024-03-14T10:22:05"]]


def test_unmapped_values_are_reported_and_recorded(
    store: EmbeddedStore, settings: Settings, tmp_path: Path
) -> None:
    """A mapping without rules for Detector and Plane: their values are listed, not lost."""
    import yaml

    from kg.ingest import Ingestor

    doc = yaml.safe_load((data_dir("mappings") / "ome.yaml").read_text())
    del doc["classes"]["Instrument"]["fields"]["detectors"]
    del doc["classes"]["Pixels"]["fields"]["planes"]
    reduced = tmp_path / "reduced.yaml"
    reduced.write_text(yaml.safe_dump(doc, allow_unicode=True))
    ingestor = Ingestor(store, settings, ModelMapping.load(reduced))
    o = ingestor.ingest_file(DEMO_DIR / "legacy-scan-incomplete.ome.xml")
    assert o.status == "ingested"
    assert sorted(f"{u.element}/{u.field}" for u in o.unmapped) == [
        "OME/Image[Image:0]/Pixels[Pixels:0]/Plane[0]",
        "OME/Instrument[Instrument:0]/Detector[Detector:0]",
    ]
    notes = select(store, "SELECT ?n WHERE { GRAPH ?g { ?g bkg:unmapped ?n } }")
    assert any("Detector[Detector:0]" in r[0] for r in notes)
    assert select(store, "SELECT ?c WHERE { GRAPH ?g { ?g bkg:unmappedCount ?c } }") == [["2"]]
    assert o.dropped == {"Pixels.MetadataOnly": 1}  # deliberately dropped by a rule, and counted


def test_whole_model_is_mapped(store: EmbeddedStore, settings: Settings) -> None:
    rep = ingest_paths(store, settings, [DEMO_DIR / "legacy-scan-incomplete.ome.xml"])
    o = rep.outcomes[0]
    assert o.unmapped == []
    rows = select(
        store,
        "SELECT ?model ?type WHERE { ?i a ome:Instrument ; ome:detector ?d . ?d ome:model ?model ; ome:type ?type }",
    )
    assert rows == [["CoolSNAP HQ2", "CCD"]]
    rows = select(store, "SELECT ?si WHERE { ?p a ome:Plane ; ome:position_x/bkg:siValue ?si }")
    assert [float(r[0]) for r in rows] == [pytest.approx(1.2005e-3)]


def test_iris_are_stable_and_documented(tmp_path: Path) -> None:
    base = "https://data.example.org/id/"
    key = source_key(DEMO_DIR / "hela-confocal-zstack.ome.xml")
    assert key.startswith("file:///")
    src = source_iri(base, key)
    assert src.startswith(base + "source/hela-confocal-zstack-")
    assert source_iri(base, key) == src  # deterministic
    assert object_iri(src, "Image", "Image:0") == src + "/Image/Image:0"
    assert object_iri(src, "Image", "urn:lsid:x.org:Image:1 a") == src + "/Image/urn:lsid:x.org:Image:1%20a"


def test_same_file_twice_gives_identical_quads() -> None:
    import ome_types

    mapping = ModelMapping.load(data_dir("mappings") / "ome.yaml")
    model = ome_types.from_xml((DEMO_DIR / "hela-confocal-zstack.ome.xml").read_bytes())
    g = ox.NamedNode("http://x.org/id/source/s")
    a = mapping.map(model, source_iri=g.value, graph=g)
    b = mapping.map(model, source_iri=g.value, graph=g)
    assert a.quads == b.quads and len(a.quads) > 100


@hsettings(max_examples=40, deadline=None)
@given(
    value=st.floats(min_value=1e-6, max_value=1e6, allow_nan=False),
    unit=st.sampled_from(["nm", "µm", "mm", "Å", "pm", "cm"]),
)
def test_any_length_maps_to_its_si_value(value: float, unit: str) -> None:
    from ome_types import model as m

    factors = {"nm": 1e-9, "µm": 1e-6, "mm": 1e-3, "Å": 1e-10, "pm": 1e-12, "cm": 1e-2}
    ome = m.OME(
        images=[
            m.Image(
                id="Image:0",
                pixels=m.Pixels(
                    id="Pixels:0",
                    dimension_order="XYZCT",
                    type="uint8",
                    size_x=1,
                    size_y=1,
                    size_z=1,
                    size_c=1,
                    size_t=1,
                    physical_size_x=value,
                    physical_size_x_unit=unit,
                    metadata_only=True,
                ),
            )
        ]
    )
    mapping = ModelMapping.load(data_dir("mappings") / "ome.yaml")
    g = ox.NamedNode("http://x.org/id/source/s")
    res = mapping.map(ome, source_iri=g.value, graph=g)
    si = [q.object.value for q in res.quads if q.predicate.value.endswith("/siValue")]
    assert len(si) == 1
    assert float(si[0]) == pytest.approx(value * factors[unit], rel=1e-12)
    assert not res.unmapped


def test_mixed_units_in_one_fixture(store: EmbeddedStore, settings: Settings) -> None:
    rep = ingest_paths(store, settings, [FIXTURES / "ome-with-txt-extension.txt"])
    assert rep.ok
    rows = select(store, "SELECT ?si WHERE { ?p ome:physical_size_x/bkg:siValue ?si }")
    rows += select(store, "SELECT ?si WHERE { ?p ome:physical_size_y/bkg:siValue ?si }")
    assert [float(r[0]) for r in rows] == [pytest.approx(1e-7), pytest.approx(1e-7)]
