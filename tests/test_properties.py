"""Property tests: OME models generated with hypothesis map without error or loss, the same model
always gives the same graph, and the graph survives serialisation."""

from __future__ import annotations

import io
import string

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ome_types import model as m

from kg.mapping import ModelMapping
from kg.resources import data_dir

MAPPING = ModelMapping.load(data_dir("mappings") / "ome.yaml")
GRAPH = ox.NamedNode("http://x.org/id/source/generated-000000000000")

text = st.text(alphabet=string.ascii_letters + string.digits + " µ°é-_/'\"<>&\\\n", min_size=1, max_size=30)
positive = st.floats(min_value=1e-6, max_value=1e6, allow_nan=False, allow_infinity=False)
length_units = st.sampled_from([u for u in m.UnitsLength if u.value not in ("pixel", "reference frame")])
time_units = st.sampled_from(list(m.UnitsTime))


@st.composite
def channels(draw: st.DrawFn, image: int) -> list[m.Channel]:
    n = draw(st.integers(1, 4))
    return [
        m.Channel(
            id=f"Channel:{image}:{c}",
            name=draw(st.none() | text),
            acquisition_mode=draw(st.none() | st.sampled_from(list(m.Channel_AcquisitionMode))),
            contrast_method=draw(st.none() | st.sampled_from(list(m.Channel_ContrastMethod))),
            emission_wavelength=draw(st.none() | positive),
            emission_wavelength_unit=draw(length_units),
            excitation_wavelength=draw(st.none() | positive),
            fluor=draw(st.none() | text),
            pinhole_size=draw(st.none() | positive),
        )
        for c in range(n)
    ]


@st.composite
def ome_documents(draw: st.DrawFn) -> m.OME:
    objective = m.Objective(
        id="Objective:0",
        model=draw(st.none() | text),
        lens_na=draw(st.none() | st.floats(0.01, 1.7)),
        nominal_magnification=draw(st.none() | st.floats(1, 150)),
        immersion=draw(st.none() | st.sampled_from(list(m.Objective_Immersion))),
        working_distance=draw(st.none() | positive),
        working_distance_unit=draw(length_units),
    )
    detector = m.Detector(
        id="Detector:0",
        type=draw(st.none() | st.sampled_from(list(m.Detector_Type))),
        gain=draw(st.none() | positive),
    )
    laser = m.Laser(
        id="LightSource:0",
        type=draw(st.none() | st.sampled_from(list(m.Laser_Type))),
        wavelength=draw(st.none() | positive),
        power=draw(st.none() | positive),
    )
    instrument = m.Instrument(id="Instrument:0", objectives=[objective], detectors=[detector], lasers=[laser])
    pairs = draw(st.lists(st.tuples(text, text), max_size=4))
    annotations = m.StructuredAnnotations(
        map_annotations=[
            m.MapAnnotation(id="Annotation:0", value=m.Map(ms=[m.Map.M(k=k, value=v) for k, v in pairs]))
        ]
    )
    images = []
    for i in range(draw(st.integers(1, 3))):
        chans = draw(channels(i))
        images.append(
            m.Image(
                id=f"Image:{i}",
                name=draw(st.none() | text),
                acquisition_date=draw(st.none() | st.datetimes()),
                instrument_ref=m.InstrumentRef(id="Instrument:0"),
                objective_settings=draw(st.none() | st.just(m.ObjectiveSettings(id="Objective:0"))),
                annotation_refs=[m.AnnotationRef(id="Annotation:0")],
                pixels=m.Pixels(
                    id=f"Pixels:{i}",
                    dimension_order=draw(st.sampled_from(list(m.Pixels_DimensionOrder))),
                    type=draw(st.sampled_from(list(m.PixelType))),
                    size_x=draw(st.integers(1, 10**5)),
                    size_y=draw(st.integers(1, 10**5)),
                    size_z=draw(st.integers(1, 500)),
                    size_c=len(chans),
                    size_t=draw(st.integers(1, 1000)),
                    physical_size_x=draw(st.none() | positive),
                    physical_size_x_unit=draw(length_units),
                    physical_size_z=draw(st.none() | positive),
                    time_increment=draw(st.none() | positive),
                    time_increment_unit=draw(time_units),
                    channels=chans,
                    metadata_only=m.MetadataOnly(),
                ),
            )
        )
    return m.OME(images=images, instruments=[instrument], structured_annotations=annotations)


def _map(ome: m.OME) -> list[ox.Quad]:
    return MAPPING.map(ome, source_iri=GRAPH.value, graph=GRAPH).quads


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ome_documents())
def test_generated_models_map_completely_and_deterministically(ome: m.OME) -> None:
    result = MAPPING.map(ome, source_iri=GRAPH.value, graph=GRAPH)
    assert result.unmapped == []
    first = set(result.quads)
    assert first == set(_map(ome))  # no blank nodes: equal sets are isomorphic graphs
    # every image, channel and quantity is there, with its unit
    types = [q.object.value.rsplit("/", 1)[-1] for q in result.quads if q.predicate.value.endswith("#type")]
    assert types.count("Image") == len(ome.images)
    assert types.count("Channel") == sum(len(i.pixels.channels) for i in ome.images)
    quantities = {
        q.subject
        for q in result.quads
        if q.object == ox.NamedNode("http://qudt.org/schema/qudt/QuantityValue")
    }
    with_unit = {q.subject for q in result.quads if q.predicate.value == "http://qudt.org/schema/qudt/unit"}
    assert quantities == with_unit


@settings(max_examples=30, deadline=None)
@given(ome_documents())
def test_graph_survives_serialisation(ome: m.OME) -> None:
    quads = _map(ome)
    for fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        buf = io.BytesIO()
        ox.serialize(quads, buf, fmt)
        assert set(ox.parse(buf.getvalue(), fmt)) == set(quads)


@settings(max_examples=30, deadline=None)
@given(ome_documents())
def test_model_to_xml_and_back_maps_the_same(ome: m.OME) -> None:
    """What ome-types writes as OME-XML and reads back maps to the very same graph."""
    import ome_types

    again = ome_types.from_xml(ome_types.to_xml(ome).encode(), validate=False)
    assert set(_map(again)) == set(_map(ome))
