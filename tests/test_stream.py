"""The streaming OME-XML mapper (kg.mapping.xml_mapper) gives exactly what the model mapper
gives over ome-types: the same quads, the same unmapped report, the same counts and the same
refusals, on every OME 2016-06 file of the corpus and on generated documents; a failure while
streaming leaves the store as it was."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import ome_types
import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from ome_types import model as m

from kg.config import Settings
from kg.errors import SourceError
from kg.ingest import Ingestor
from kg.mapping import MapResult, ModelMapping
from kg.mapping.xml_mapper import XmlStreamMapper
from kg.readers.ome_xml import parse_ome
from kg.resources import data_dir
from kg.store import IN_PROGRESS, EmbeddedStore

from .test_properties import ome_documents

MAPPING = ModelMapping.load(data_dir("mappings") / "ome.yaml")
G = ox.NamedNode("http://x.org/id/source/s-000000000000")


def both(data: bytes, name: str) -> tuple[MapResult | SourceError, tuple[list[ox.Quad], MapResult, list[str]] | SourceError]:
    try:
        model, _ = parse_ome(data, name)
        a: MapResult | SourceError = MAPPING.map(model, source_iri=G.value, graph=G)
    except SourceError as exc:
        a = exc
    mapper = XmlStreamMapper(MAPPING)
    out = MapResult()
    try:
        quads = list(mapper.map_stream(io.BytesIO(data), name=name, source_iri=G.value, graph=G, out=out))
        b: tuple[list[ox.Quad], MapResult, list[str]] | SourceError = (quads, out, mapper.fallbacks)
    except SourceError as exc:
        b = exc
    return a, b


def assert_same(a: MapResult, quads: list[ox.Quad], out: MapResult, where: str) -> None:
    model_quads, stream_quads = set(a.quads), set(quads)
    assert model_quads == stream_quads, (
        f"{where}: only model {sorted(map(str, model_quads - stream_quads))[:3]}, "
        f"only stream {sorted(map(str, stream_quads - model_quads))[:3]}"
    )
    assert len(quads) == len(stream_quads), f"{where}: the stream repeats quads"
    assert Counter((u.element, u.field) for u in a.unmapped) == Counter((u.element, u.field) for u in out.unmapped)
    assert Counter(map(str, a.unresolved)) == Counter(map(str, out.unresolved)), where
    assert a.dropped == out.dropped, where
    assert a.objects == out.objects, where


@pytest.mark.shared
def test_stream_equals_model_path_on_every_2016_06_corpus_file(shared: Path) -> None:
    files = [
        p
        for p in sorted((shared / "corpora" / "ome-xml").rglob("*"))
        if p.is_file() and b"Schemas/OME/2016-06" in p.read_bytes()[:4096]
    ]
    assert len(files) >= 30
    compared, refused, fallbacks = 0, 0, Counter[str]()
    for f in files:
        a, b = both(f.read_bytes(), str(f))
        if isinstance(a, SourceError) or isinstance(b, SourceError):
            # both refuse, or neither: the fast path never accepts what ome-types refuses
            assert isinstance(a, SourceError) and isinstance(b, SourceError), f"{f}: {a!r} vs {b!r}"
            refused += 1
            continue
        quads, out, fb = b
        if a.quads and not quads:
            continue  # not an OME 2016-06 root after all (a mention in a comment)
        assert_same(a, quads, out, str(f))
        compared += 1
        fallbacks.update(x.split(" line ")[0] for x in fb)
    assert compared >= 30
    # what goes the slow way is only what the fast path deliberately leaves to it
    assert set(fallbacks) <= {"ROI", "XMLAnnotation", "TimestampAnnotation"}, fallbacks


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ome_documents())
def test_stream_equals_model_path_on_generated_documents(ome: m.OME) -> None:
    xml = ome_types.to_xml(ome).encode()
    a, b = both(xml, "generated.ome.xml")
    assert not isinstance(a, SourceError) and not isinstance(b, SourceError)
    quads, out, fallbacks = b
    assert_same(a, quads, out, "generated")
    assert [f for f in fallbacks if not f.startswith("TimestampAnnotation")] == []


def plate(images: int, bad_at: int | None = None) -> bytes:
    ns = "http://www.openmicroscopy.org/Schemas/OME/2016-06"
    parts = [f'<OME xmlns="{ns}"><Instrument ID="Instrument:0"><Objective ID="Objective:0" LensNA="1.4"/></Instrument>']
    for i in range(images):
        kind = "uint17" if i == bad_at else "uint16"
        parts.append(
            f'<Image ID="Image:{i}" Name="img {i}"><InstrumentRef ID="Instrument:0"/>'
            f'<Pixels ID="Pixels:{i}" DimensionOrder="XYZCT" Type="{kind}" SizeX="512" SizeY="512" SizeZ="1" '
            f'SizeC="2" SizeT="1" PhysicalSizeX="0.1" PhysicalSizeY="0.1">'
            + "".join(
                f'<Channel ID="Channel:{i}:{c}" Name="c{c}" EmissionWavelength="{500 + c}" ExcitationWavelength="{480 + c}"/>'
                for c in range(2)
            )
            + '<MetadataOnly/></Pixels></Image>'
        )
    parts.append("</OME>")
    return "".join(parts).encode()


def test_a_bad_value_late_in_a_large_document_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    settings_ = Settings(store_path=tmp_path / "store")
    good = tmp_path / "good.ome.xml"
    good.write_bytes(plate(20))
    store = EmbeddedStore(settings_.store_path)
    try:
        assert Ingestor(store, settings_).ingest_file(good).status == "ingested"
        before = set(store.raw.quads_for_pattern(None, None, None))
        big = tmp_path / "big.ome.xml"
        big.write_bytes(plate(1500, bad_at=1450))  # > 50k quads: the bulk path, several chunks
        outcome = Ingestor(store, settings_).ingest_file(big)
        assert outcome.status == "failed"
        assert "big.ome.xml" in (outcome.error or "") and "uint17" in (outcome.error or "")
        assert "line" in (outcome.error or "")
        assert set(store.raw.quads_for_pattern(None, None, None)) == before
        assert not store.raw.contains_named_graph(ox.NamedNode(IN_PROGRESS))
        # the same document, fixed, ingests; its image count is right
        big.write_bytes(plate(1500))
        outcome = Ingestor(store, settings_).ingest_file(big)
        assert outcome.status == "ingested", outcome.error
        assert outcome.objects["Image"] == 1500 and outcome.objects["Channel"] == 3000
    finally:
        store.close()


def test_large_documents_mapped_in_a_second_process_give_the_same_graph(tmp_path: Path) -> None:
    doc = tmp_path / "plate.ome.xml"
    doc.write_bytes(plate(300))
    graphs = []
    for parallel in (False, True):
        settings_ = Settings(store_path=tmp_path / f"store-{parallel}")
        store = EmbeddedStore(settings_.store_path)
        try:
            ingestor = Ingestor(store, settings_)
            ingestor.parallel_min_bytes = 0 if parallel else 1 << 40
            outcome = ingestor.ingest_file(doc)
            assert outcome.status == "ingested", outcome.error
            assert outcome.objects["Image"] == 300
            quads = {
                q
                for q in store.raw.quads_for_pattern(None, None, None)
                if "generatedAtTime" not in q.predicate.value
            }
            assert len(quads) == outcome.triples - 1
            graphs.append(quads)
            # a changed file replaces the graph through staging, from the child process too
            doc.write_bytes(plate(300, bad_at=299))
            failed = ingestor.ingest_file(doc)
            assert failed.status == "failed" and "uint17" in (failed.error or "")
            assert {q for q in store.raw.quads_for_pattern(None, None, None) if "generatedAtTime" not in q.predicate.value} == quads
            doc.write_bytes(plate(300))
        finally:
            store.close()
    assert graphs[0] == graphs[1]


def test_wells_that_need_ome_types_inside_a_streamed_plate(tmp_path: Path) -> None:
    """Wells stream one by one; a well the fast path leaves to ome-types (no ID on its sample,
    an unknown attribute) still gives exactly the model path's graph and report."""
    ns = "http://www.openmicroscopy.org/Schemas/OME/2016-06"
    doc = (
        f'<OME xmlns="{ns}"><Plate ID="Plate:1" Name="p"><Description>d</Description>'
        '<Well ID="Well:0" Row="0" Column="0"><WellSample ID="WellSample:0" Index="0"><ImageRef ID="Image:0"/></WellSample></Well>'
        '<Well ID="Well:1" Row="0" Column="1" Color="-1" Mystery="x"><WellSample ID="WellSample:1" Index="1"/></Well>'
        '<Well ID="Well:2" Row="0" Column="2"/>'
        '<AnnotationRef ID="Annotation:0"/></Plate>'
        '<Image ID="Image:0"><Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint8" SizeX="1" SizeY="1" SizeZ="1" SizeC="1" SizeT="1"><MetadataOnly/></Pixels></Image>'
        '</OME>'
    ).encode()
    a, b = both(doc, "plate.ome.xml")
    assert not isinstance(a, SourceError) and not isinstance(b, SourceError)
    quads, out, fallbacks = b
    assert_same(a, quads, out, "plate")
    assert any(f.startswith("Well") for f in fallbacks)
    assert out.objects["Well"] == 3 and out.objects["Plate"] == 1
