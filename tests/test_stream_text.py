"""The streaming mapper writes its quads as N-Quads text itself (``XmlStreamMapper.map_lines``),
and the store loads the mapping process's stream without checking IRIs again (pyoxigraph's
``lenient``). These tests check that the text is what pyoxigraph itself writes for the model
path's quads, line for line, also for IDs and names that need quoting or escaping, and that
values met after the mapper's caches are full keep their own literals."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
import pytest

from kg.errors import SourceError
from kg.mapping import MapResult, xml_mapper
from kg.mapping.xml_mapper import XmlStreamMapper
from kg.readers.ome_xml import parse_ome

from .test_stream import MAPPING, G, assert_same, both

NS = "http://www.openmicroscopy.org/Schemas/OME/2016-06"
# characters that N-Triples escapes, that IRIs may not hold, and beyond ASCII
AWKWARD = 'a"b\\c\td\re\nf\u2028g\x85h ü€𝔘 <x> {y} |z| ^`'


def awkward_document() -> bytes:
    name = quoteattr(AWKWARD).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    image_id = quoteattr('Image:ü"<>{}|^`\\%20')
    return (
        f'<OME xmlns="{NS}" Creator={name}>'
        f'<Instrument ID="Instrument:é/1"><Objective ID="Objective:0" LensNA="1.4" Model={name}/></Instrument>'
        f"<Image ID={image_id} Name={name}><Description>{escape(AWKWARD)}</Description>"
        '<InstrumentRef ID="Instrument:é/1"/>'
        '<Pixels ID="Pixels:%" DimensionOrder="XYZCT" Type="uint16" SizeX="2" SizeY="2" SizeZ="1" SizeC="1" '
        'SizeT="1" PhysicalSizeX="1e-3" PhysicalSizeY="0.5">'
        f'<Channel ID="Channel:0:0" Name={name} EmissionWavelength="1e3"/><MetadataOnly/></Pixels></Image>'
        "</OME>"
    ).encode()


def stream_text(doc: bytes, graph: ox.NamedNode | ox.DefaultGraph) -> str:
    mapper = XmlStreamMapper(MAPPING)
    lines = mapper.map_lines(
        io.BytesIO(doc), name="doc.ome.xml", source_iri=G.value, graph=graph, out=MapResult()
    )
    return "".join(line for batch in lines for line in batch)


def test_the_text_is_what_pyoxigraph_writes_for_the_model_path_quads() -> None:
    doc = awkward_document()
    model, _ = parse_ome(doc, "doc.ome.xml")
    expected = MAPPING.map(model, source_iri=G.value, graph=G)
    assert len(expected.quads) > 40  # the document is mapped, not refused
    assert any(q.object.value == AWKWARD for q in expected.quads if isinstance(q.object, ox.Literal))

    # in the default graph (what the mapping process sends): N-Triples, line for line
    text = stream_text(doc, ox.DefaultGraph())
    written = ox.serialize([q.triple for q in expected.quads], format=ox.RdfFormat.N_TRIPLES)
    assert sorted(text.split("\n")) == sorted(written.decode().split("\n"))
    # a strict parser (IRIs checked) reads it back to the same triples
    assert {q.triple for q in ox.parse(text, ox.RdfFormat.N_TRIPLES)} == {q.triple for q in expected.quads}

    # in a named graph: N-Quads
    text = stream_text(doc, G)
    written = ox.serialize(expected.quads, format=ox.RdfFormat.N_QUADS)
    assert sorted(text.split("\n")) == sorted(written.decode().split("\n"))

    a, b = both(doc, "doc.ome.xml")
    assert not isinstance(a, SourceError) and not isinstance(b, SourceError)
    assert_same(a, b[0], b[1], "awkward")
    assert b[2] == []  # all of it on the fast path


def wells(n: int) -> bytes:
    """A plate whose well samples hold distinct positions (and a few repeated ones)."""
    parts = [f'<OME xmlns="{NS}"><Plate ID="Plate:0" Name="p">']
    for i in range(n):
        x = "-0.0" if i == 1 else "0.0" if i == 2 else f"{i * 1.25}"
        parts.append(
            f'<Well ID="Well:{i}" Row="{i // 12}" Column="{i % 12}"><WellSample ID="WellSample:{i}" Index="{i}" '
            f'PositionX="{x}" PositionXUnit="µm" PositionY="{i % 3}" PositionYUnit="mm"/></Well>'
        )
    parts.append("</Plate></OME>")
    return "".join(parts).encode()


def test_values_met_after_the_caches_are_full_keep_their_own_literals(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(xml_mapper, "_CONVERTED_CACHE", 4)
    monkeypatch.setattr(xml_mapper, "_LITERAL_CACHE", 4)
    doc = wells(40)
    a, b = both(doc, "plate.ome.xml")
    assert not isinstance(a, SourceError) and not isinstance(b, SourceError)
    quads, out, fallbacks = b
    assert_same(a, quads, out, "plate")
    assert fallbacks == [] and out.objects["WellSample"] == 40
    numeric = ox.NamedNode("http://qudt.org/schema/qudt/numericValue")
    values = {q.object.value for q in quads if q.predicate == numeric}
    assert {"-0.0", "0.0", "48.75"} <= values  # -0.0 == 0.0 in Python, not in RDF

    # and the caches stay within their bounds
    mapper = XmlStreamMapper(MAPPING)
    for _ in mapper.map_lines(io.BytesIO(doc), name="p", source_iri=G.value, graph=G, out=MapResult()):
        pass
    assert mapper._plans and all(len(fp.cache) <= 4 for p in mapper._plans.values() for fp in p.fields)
    assert mapper._units and all(len(u.literals) <= 4 for u in mapper._units.values())
