"""The graph half of the QC module: observations, re-import, CSV and microscope-metrics imports,
instrument matching, baselines, per-image QC state, the named queries (CLI, API, remote store),
the report. Real components throughout: embedded Oxigraph, the `oxigraph` server, the CLI,
FastAPI's test client, headless Chromium for the report page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import pyoxigraph as ox
import pytest
import typer
from typer.testing import CliRunner

from kg.config import Settings
from kg.errors import ConfigError, QueryError, SourceError
from kg.ingest import ingest_paths
from kg.store import EmbeddedStore, OxigraphServer, RemoteStore, SelectResult
from qc.baseline import Baseline, derive, read_baselines, write_baselines
from qc.graph import QcIris, ensure_vocabulary, measurement_quads, store_measurement
from qc.importers import import_files, read_csv
from qc.instruments import InstrumentSpec, OmeInstrument, match, save_instrument
from qc.model import MetricResult, MetricValue, Rejected
from qc.queries import bind, get, load_queries, run
from qc.state import recompute
from qc.vocab import QCV, metrics

from .conftest import rows, run_kg

NS = "http://www.openmicroscopy.org/Schemas/OME/2016-06"
KEYS = [
    "fi_uniformity", "fi_centre_offset_x", "fi_centre_offset_y", "fi_centre_offset", "fi_corner_centre_ratio",
    "psf_fwhm_x", "psf_fwhm_y", "psf_fwhm_z", "psf_bead_count", "psf_rejected_count",
    "det_offset", "det_read_noise", "det_snr", "det_gain",
    "chrom_shift_x", "chrom_shift_y", "chrom_shift_z", "chrom_shift",
    "power_mean", "power_cv", "power_drift",
]  # fmt: skip
SOSA = "PREFIX sosa: <http://www.w3.org/ns/sosa/>\n"


def ome_xml(images: list[tuple[str, str]], *, serial: str = "SN-1", plate: str | None = None) -> str:
    """An OME-XML document: one instrument (Zeiss LSM 980 with ``serial``), images (name, acquisition
    date), optionally all in wells of one plate."""
    wells = ""
    if plate:
        wells = f'<Plate ID="Plate:0" Name="{plate}">' + "".join(
            f'<Well ID="Well:{i}" Column="{i}" Row="0"><WellSample ID="WellSample:{i}" Index="{i}">'
            f'<ImageRef ID="Image:{i}"/></WellSample></Well>'
            for i in range(len(images))
        ) + "</Plate>"
    micro = f'<Microscope Manufacturer="Zeiss" Model="LSM 980"{f" SerialNumber={chr(34)}{serial}{chr(34)}" if serial else ""}/>'
    imgs = "".join(
        f'<Image ID="Image:{i}" Name="{name}"><AcquisitionDate>{date}</AcquisitionDate><InstrumentRef ID="Instrument:0"/>'
        f'<Pixels ID="Pixels:{i}" DimensionOrder="XYZCT" Type="uint16" SizeX="1" SizeY="1" SizeZ="1" SizeC="1" SizeT="1">'
        "<MetadataOnly/></Pixels></Image>"
        for i, (name, date) in enumerate(images)
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><OME xmlns="{NS}">{wells}<Instrument ID="Instrument:0">{micro}</Instrument>{imgs}</OME>'


def psf_result(day: str, fwhm: float, *, dataset: str | None = None) -> MetricResult:
    return MetricResult(
        "psf",
        dataset or f"/calibration/beads-{day}.ome.tiff",
        values=[
            MetricValue("psf_fwhm_x", fwhm, "µm", channel=0, uncertainty=0.004),
            MetricValue("psf_fwhm_x", fwhm * 1.02, "µm", channel=0, item="bead-1"),
            MetricValue("psf_fwhm_x", fwhm * 0.98, "µm", channel=0, item="bead-2"),
            MetricValue("psf_bead_count", 2, "1", channel=0),
            MetricValue("psf_rejected_count", 1, "1", channel=0),
        ],
        rejected=[Rejected("bead-3", "too close to the image edge")],
        software="bioimage-kg",
        software_version="9.9.9",
        result_time=dt.datetime.fromisoformat(f"{day}T08:00:00"),
    )


@pytest.fixture
def iris(settings: Settings) -> QcIris:
    return QcIris(settings.base_iri)


@pytest.fixture
def qc_store(tmp_path: Path, settings: Settings, store: EmbeddedStore, iris: QcIris) -> EmbeddedStore:
    """Images of one confocal (serial SN-1) on 2024-03-05 (plate A) and 2024-03-15 (plate B);
    PSF QC on 03-01 (0.25 µm), 03-10 (0.26), 03-12 (0.34: 36 % wider), 03-20 (0.25); baseline
    0.25 µm ± 20 %, upper side."""
    (tmp_path / "a.ome.xml").write_text(ome_xml([("early-1", "2024-03-05T10:00:00"), ("early-2", "2024-03-05T11:00:00")], plate="A"))
    (tmp_path / "b.ome.xml").write_text(ome_xml([("late-1", "2024-03-15T10:00:00")], plate="B"))
    rep = ingest_paths(store, settings, [tmp_path / "a.ome.xml", tmp_path / "b.ome.xml"])
    assert rep.ok, [o.error for o in rep.outcomes]
    ensure_vocabulary(store)
    save_instrument(store, iris, InstrumentSpec("confocal-1", "LSM 980 room 2", "Zeiss", "LSM 980", "SN-1", 14))
    for day, f in [("2024-03-01", 0.25), ("2024-03-10", 0.26), ("2024-03-12", 0.34), ("2024-03-20", 0.25)]:
        store_measurement(store, measurement_quads(psf_result(day, f), "confocal-1", iris))
    write_baselines(store, iris, [Baseline("confocal-1", "psf_fwhm_x", 0.25, "µm", tolerance_rel=0.2)])
    recompute(store, iris)
    return store


# -- vocabulary ------------------------------------------------------------------------------------


def test_vocabulary_has_a_term_per_metric_key() -> None:
    ms = metrics()
    assert sorted(ms) == sorted(KEYS)
    for key, m in ms.items():
        assert m.iri == QCV + key
        assert m.label and m.definition and m.kind, key
        assert m.quantity_kind.startswith("http://qudt.org/vocab/quantitykind/"), key
        assert m.worse_when in ("higher", "lower", "either"), key
        assert m.default_symbol, key
        assert m.quarep_name or m.matches, f"{key} has neither a QUAREP-LiMi name nor a microscope-metrics match"
    assert ms["psf_fwhm_x"].default_symbol == "µm" and ms["power_drift"].default_symbol == "%/h"


@pytest.mark.shared
def test_vocabulary_matches_name_real_microscope_metrics_terms(shared: Path) -> None:
    owl = shared / "corpora/qc/microscopemetrics-schema/project/owl/microscopemetrics_schema.owl.ttl"
    g = ox.Store()
    g.load(path=str(owl), format=ox.RdfFormat.TURTLE)
    declared = {str(q.subject.value) for q in g.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), None)}
    linked = [(k, iri) for k, m in metrics().items() for _p, iri in m.matches]
    assert len(linked) >= 15
    missing = [(k, iri) for k, iri in linked if iri not in declared]
    assert not missing


# -- observations --------------------------------------------------------------------------------


def test_measurement_round_trip(store: EmbeddedStore, iris: QcIris) -> None:
    r = psf_result("2024-03-01", 0.25)
    r.values.append(MetricValue("chrom_shift_x", 0.031, "µm", channel=1, item="vs-ch0"))
    m = measurement_quads(r, "confocal-1", iris)
    store_measurement(store, m)
    obs = rows(
        store,
        SOSA + """SELECT ?o ?prop ?foi ?v ?unit ?si ?t ?unc ?series ?sw WHERE {
        ?o a sosa:Observation ; sosa:observedProperty ?prop ; sosa:hasFeatureOfInterest ?foi ; sosa:resultTime ?t ;
           sosa:hasResult ?r ; prov:wasGeneratedBy ?act ; prov:wasDerivedFrom <file:///calibration/beads-2024-03-01.ome.tiff> .
        ?act bkg:softwareVersion ?sw .
        ?r a qudt:QuantityValue ; qudt:numericValue ?v ; qudt:unit ?unit .
        OPTIONAL { ?r bkg:siValue ?si } OPTIONAL { ?r qudt:standardUncertainty ?unc } OPTIONAL { ?o bkg:series ?series }
        FILTER(?prop = bkgqc:psf_fwhm_x && NOT EXISTS { ?o bkg:item ?i }) }""".replace("SELECT", "PREFIX bkgqc: <" + QCV + ">\nSELECT", 1),
    )
    assert len(obs) == 1
    o = obs[0]
    assert o[2] == iris.component("confocal-1", 0, None)
    assert float(o[3]) == 0.25 and o[4] == "http://qudt.org/vocab/unit/MicroM" and float(o[5]) == pytest.approx(2.5e-7)
    assert o[6] == "2024-03-01T08:00:00" and float(o[7]) == 0.004 and o[9] == "9.9.9"
    assert o[8] == iris.series("confocal-1", "psf_fwhm_x", 0, None)
    # per-bead values are samples of the summary, not series points
    beads = rows(store, "SELECT ?o ?item ?of WHERE { ?o bkg:item ?item ; bkg:sampleOf ?of FILTER NOT EXISTS { ?o bkg:series ?s } }")
    assert sorted(b[1] for b in beads) == ["bead-1", "bead-2"] and {b[2] for b in beads} == {o[0]}
    # a chromatic shift "vs-ch0" has no summary: it is a series point with a component
    chrom = rows(store, "SELECT ?series ?c WHERE { ?o bkg:component ?c ; bkg:series ?series }")
    assert chrom == [[iris.series("confocal-1", "chrom_shift_x", 1, "vs-ch0"), "vs-ch0"]]
    reasons = rows(store, "SELECT ?item ?why WHERE { ?m bkg:rejected ?r . ?r bkg:item ?item ; rdfs:comment ?why }")
    assert reasons == [["bead-3", "too close to the image edge"]]
    assert m.observations == 6 and m.series_points == 4


def test_reimport_gives_the_same_iris_and_no_duplicates(store: EmbeddedStore, iris: QcIris) -> None:
    first = measurement_quads(psf_result("2024-03-01", 0.25), "confocal-1", iris)
    store_measurement(store, first)
    before = rows(store, SOSA + "SELECT ?o WHERE { ?o a sosa:Observation } ORDER BY ?o")
    n_before = store.stats()["triples"]
    again = measurement_quads(psf_result("2024-03-01", 0.27), "confocal-1", iris)  # same dataset, re-measured
    assert again.iri == first.iri
    store_measurement(store, again)
    assert rows(store, SOSA + "SELECT ?o WHERE { ?o a sosa:Observation } ORDER BY ?o") == before
    assert store.stats()["triples"] == n_before
    values = rows(store, SOSA + "SELECT ?v WHERE { ?o bkg:series ?s ; sosa:observedProperty ?p ; sosa:hasResult/qudt:numericValue ?v FILTER(STRENDS(STR(?p), 'psf_fwhm_x')) }")
    assert values == [["0.27"]]
    other = measurement_quads(psf_result("2024-03-01", 0.25), "confocal-2", iris)
    assert other.iri != first.iri  # another instrument's measurement of a file with that name


def test_bad_result_writes_nothing(store: EmbeddedStore, iris: QcIris) -> None:
    r = psf_result("2024-03-01", 0.25)
    r.values.append(MetricValue("psf_fwhm_y", 0.3, "furlong", channel=0))
    with pytest.raises(ConfigError, match="furlong"):
        store_measurement(store, measurement_quads(r, "confocal-1", iris))
    r = psf_result("2024-03-01", 0.25)
    r.values.append(MetricValue("psf_sharpness", 1.0, "1"))
    with pytest.raises(ConfigError, match="unknown QC metric 'psf_sharpness'"):
        measurement_quads(r, "confocal-1", iris)
    with pytest.raises(ConfigError, match="instrument ID"):
        measurement_quads(psf_result("2024-03-01", 0.25), "confocal 1/../x", iris)
    assert store.stats()["triples"] == 0


# -- CSV and microscope-metrics imports ------------------------------------------------------------


def test_csv_import(tmp_path: Path, store: EmbeddedStore, iris: QcIris) -> None:
    f = tmp_path / "qc.csv"
    f.write_text(
        "Instrument,Metric,Value,Unit,Time,Channel,Item\n"
        "confocal-1,psf_fwhm_x,0.25,µm,2024-03-01T08:00:00,0,\n"
        "confocal-1,psf_fwhm_z,700,nm,2024-03-01T08:00:00,0,\n"
        "confocal-1,psf_fwhm_x,0.26,µm,2024-03-08T08:00:00,0,\n"
        "widefield-1,power_mean,12.5,mW,2024-03-02T09:00:00,,laser 488\n",
        encoding="utf-8",
    )
    out = import_files(store, iris, [f])
    assert [o.status for o in out] == ["imported"]
    assert len(out[0].measurements) == 3 and out[0].instruments == {"confocal-1", "widefield-1"}
    si = rows(store, SOSA + "SELECT ?si WHERE { ?o sosa:hasResult ?r . ?r qudt:unit unit:NanoM ; bkg:siValue ?si }")
    assert float(si[0][0]) == pytest.approx(7e-7)
    # re-import: same graphs, nothing doubled
    n = store.stats()["triples"]
    import_files(store, iris, [f])
    assert store.stats()["triples"] == n


def test_csv_malformed_row_names_file_line_and_column(tmp_path: Path, store: EmbeddedStore, iris: QcIris) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(
        "metric,value,unit,time,instrument\n"
        "psf_fwhm_x,0.25,µm,2024-03-01T08:00:00,confocal-1\n"
        "psf_fwhm_x,0.2x6,µm,2024-03-08T08:00:00,confocal-1\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError) as e:
        read_csv(f)
    assert e.value.path == str(f) and e.value.line == 3 and e.value.element == "column 'value'"
    assert str(e.value).startswith(f"{f}, line 3, element column 'value': '0.2x6' is not a number")
    out = import_files(store, iris, [f])
    assert out[0].status == "failed" and "line 3" in (out[0].message or "")
    assert store.stats()["triples"] == 0  # the good first row was not written either
    f.write_text("metric,value,time,colour\npsf_fwhm_x,1,2024-01-01T00:00:00,red\n", encoding="utf-8")
    with pytest.raises(SourceError, match="column 'colour' is not one kg reads"):
        read_csv(f, instrument_id="x")
    f.write_text("metric,value,time\npsf_fwhm_x,1,last tuesday\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"line 2, element column 'time'"):
        read_csv(f, instrument_id="x")


@pytest.mark.shared
def test_microscope_metrics_examples_import(shared: Path, store: EmbeddedStore, iris: QcIris) -> None:
    root = shared / "corpora/qc/microscopemetrics-schema"
    ex = root / "src/data/examples"
    files = [ex / "FieldIlluminationDataset-001.yaml", ex / "ArgolightBDataset-001.yaml", ex / "MetricsDataset-001.yaml",
             ex / "MetricsDataset-002.yaml", root / "examples/MetricsDataset-001.yaml", ex / "invalid/MetricsDataset-001.yaml"]
    out = {(o.path.parent.name, o.path.name): o for o in import_files(store, iris, files)}
    fi = out[("examples", "FieldIlluminationDataset-001.yaml")]
    assert fi.status == "imported" and fi.instruments == {"my-microscope"}
    assert "microscope-metrics warning: A warning" in fi.warnings
    vals = {r[0].rsplit("/", 1)[-1]: (float(r[1]), r[2]) for r in rows(
        store, SOSA + "SELECT ?p ?v ?u WHERE { ?o sosa:observedProperty ?p ; sosa:hasResult ?r . ?r qudt:numericValue ?v ; qudt:unit ?u }")}
    corners = (0.7681339169518 + 0.8191155960292067 + 0.7777750430716219 + 0.8118543933054393) / 4
    assert vals["fi_corner_centre_ratio"][0] == pytest.approx(corners)
    # centre_fitted 264 px in a 512 px image with 0.1 µm pixels: (264 - 255.5) * 0.1 µm
    assert vals["fi_centre_offset_x"] == (pytest.approx(0.85), "http://qudt.org/vocab/unit/MicroM")
    assert vals["fi_centre_offset"][0] == pytest.approx(math.hypot(0.85, (288 - 255.5) * 0.1))
    assert any("center_of_mass_x = 264.1675555226803" in u for u in fi.unmapped)
    notes = rows(store, "SELECT (COUNT(?n) AS ?c) WHERE { ?m bkg:unmapped ?n }")
    assert int(notes[0][0]) == len(fi.unmapped) > 20
    spec = rows(store, "SELECT ?sn ?model WHERE { ?i a bkg:FacilityInstrument ; ome:serial_number ?sn ; ome:model ?model }")
    assert spec == [["654321", "OMX-V4"]]
    arg = out[("examples", "ArgolightBDataset-001.yaml")]
    assert arg.status == "skipped" and "argolight b analyses have no terms" in (arg.message or "")
    assert out[("examples", "MetricsDataset-001.yaml")].status == "skipped"
    assert "not processed" in (out[("examples", "MetricsDataset-001.yaml")].message or "")
    assert out[("examples", "MetricsDataset-002.yaml")].status == "skipped"
    bad = out[("invalid", "MetricsDataset-001.yaml")]
    assert bad.status == "failed" and "unknown field(s) age_in_years, id, primary_email" in (bad.message or "")


def test_microscope_metrics_psf_and_power_datasets(tmp_path: Path, store: EmbeddedStore, iris: QcIris) -> None:
    psf = tmp_path / "psf.yaml"
    psf.write_text(
        "name: beads\nmicroscope: {name: Conf, manufacturer: Zeiss, model: LSM 980, serial_number: SN-1}\n"
        "acquisition_datetime: '2024-02-01T09:00:00'\nprocessed: true\n"
        "input_data: {psf_beads_images: [{name: beads, shape_x: 512}]}\n"
        "output:\n  processing_application: microscope-metrics\n  processing_version: 0.2.1\n"
        "  processing_datetime: '2024-02-02T00:00:00'\n"
        "  key_measurements:\n"
        "    channel_nr: [0, 1]\n    total_bead_count: [12, 9]\n    considered_valid_count: [10, 9]\n"
        "    fwhm_micron_x_median: [0.21, 0.25]\n    fwhm_micron_y_median: [0.22, 0.26]\n    fwhm_micron_z_median: [0.61, .nan]\n"
        "    intensity_max_mean: [100.0, 120.0]\n",
        encoding="utf-8",
    )
    power = tmp_path / "power.yaml"
    power.write_text(
        "name: lasers\nmicroscope: {name: Conf, manufacturer: Zeiss, model: LSM 980, serial_number: SN-1}\n"
        "acquisition_datetime: '2024-02-03T09:00:00'\nprocessed: true\n"
        "input_data: {power_measurements: []}\n"
        "output:\n  processing_application: [microscope-metrics]\n  processing_version: [0.2.1]\n"
        "  processing_datetime: '2024-02-03T10:00:00'\n"
        "  key_measurements:\n    - {light_source: {name: laser 488, wavelength_nm: 488}, power_mean_mw: 2.0, power_std_mw: 0.05}\n",
        encoding="utf-8",
    )
    out = import_files(store, iris, [psf, power])
    assert [o.status for o in out] == ["imported", "imported"]
    assert out[0].instruments == out[1].instruments == {"conf"}  # the second found the first by serial number
    got = rows(store, SOSA + "SELECT ?p ?ch ?c ?v WHERE { ?o bkg:series ?s ; sosa:observedProperty ?p ; sosa:hasResult/qudt:numericValue ?v . OPTIONAL { ?o bkg:channel ?ch } OPTIONAL { ?o bkg:component ?c } }")
    table = {(p.rsplit("/", 1)[-1], ch, c): float(v) for p, ch, c, v in got}
    assert table[("psf_fwhm_x", "1", "")] == 0.25 and table[("psf_rejected_count", "0", "")] == 2
    assert ("psf_fwhm_z", "1", "") not in table  # NaN in the dataset: no value
    assert table[("power_cv", "", "laser 488")] == pytest.approx(2.5)
    assert "output.key_measurements[0].intensity_max_mean = 100.0" in out[0].unmapped


# -- instruments ------------------------------------------------------------------------------------


def test_instrument_matching_rules() -> None:
    specs = {
        "conf-a": InstrumentSpec("conf-a", manufacturer="Zeiss", model="LSM 980", serial_number="SN-A"),
        "conf-b": InstrumentSpec("conf-b", manufacturer="Zeiss", model="LSM 980", serial_number="SN-B"),
        "wf": InstrumentSpec("wf", manufacturer="Nikon", model="Ti2-E", sources=("*/old-scans/*",)),
        "sp8": InstrumentSpec("sp8", manufacturer="Leica", model="SP8", ome_instruments=("urn:x:i5",)),
    }
    oms = [
        OmeInstrument("urn:x:i1", "file:///d/a.ome.xml", "ZEISS", "LSM  980", " sn-b "),  # serial, case/space-insensitive
        OmeInstrument("urn:x:i2", "file:///d/b.ome.xml", "Nikon", "Ti2-E", None),  # manufacturer + model
        OmeInstrument("urn:x:i3", "file:///d/c.ome.xml", "Zeiss", "LSM 980", None),  # two LSM 980s: ambiguous
        OmeInstrument("urn:x:i4", "file:///d/old-scans/x.ome.xml", None, None, None),  # explicit by source
        OmeInstrument("urn:x:i5", None, None, None, None),  # explicit by IRI
        OmeInstrument("urn:x:i6", "file:///d/old-scans/y.ome.xml", "Zeiss", "LSM 980", "SN-A"),  # serial beats explicit
        OmeInstrument("urn:x:i7", "file:///d/z.ome.xml", "Zeiss", "LSM 980", "SN-Z"),  # unknown serial: no model match
    ]
    rep = match(specs, oms)
    assert rep.matched["conf-b"] == [("urn:x:i1", "serial_number")]
    assert rep.matched["wf"] == [("urn:x:i2", "manufacturer_model"), ("urn:x:i4", "explicit")]
    assert rep.matched["sp8"] == [("urn:x:i5", "explicit")]
    assert rep.matched["conf-a"] == [("urn:x:i6", "serial_number")]
    assert [(o.iri, ids) for o, ids in rep.ambiguous] == [("urn:x:i3", ["conf-a", "conf-b"])]
    assert len(rep.conflicts) == 1 and "urn:x:i6" in rep.conflicts[0] and "wf" in rep.conflicts[0]
    assert [o.iri for o in rep.unmatched] == ["urn:x:i7"]


# -- baselines and state ------------------------------------------------------------------------------


def test_out_of_tolerance_image_is_found_and_a_within_one_is_not(qc_store: EmbeddedStore, iris: QcIris) -> None:
    res = run(qc_store, "out-of-tolerance-images", {"instrument": "confocal-1"}, iris)
    found = {(r[res.variables.index("image_name")].value, r[res.variables.index("status")].value) for r in res.rows}  # type: ignore[union-attr]
    # late-1 (03-15) was acquired after the 03-12 QC measured 0.34 µm (> 0.30): out.
    # early-* (03-05) lie between QC within tolerance (03-01 0.25, 03-10 0.26): not listed.
    assert found == {("late-1", "out")}
    row = res.rows[0]
    assert float(row[res.variables.index("before_value")].value) == 0.34  # type: ignore[union-attr]
    assert float(row[res.variables.index("after_value")].value) == 0.25  # type: ignore[union-attr]
    states = dict((r[0], r[1]) for r in rows(qc_store, "SELECT ?name ?status WHERE { ?i ome:name ?name ; bkg:qcState/bkg:status ?status }"))
    assert states == {"early-1": "ok", "early-2": "ok", "late-1": "out"}
    # the same question with a parameter that excludes it
    assert run(qc_store, "out-of-tolerance-images", {"status": "suspect"}, iris).rows == []


def test_state_per_metric_and_batches(qc_store: EmbeddedStore, iris: QcIris) -> None:
    early_iri = rows(qc_store, "SELECT ?i WHERE { ?i ome:name 'early-1' }")[0][0]
    res = run(qc_store, "image-qc-state", {"image": early_iri}, iris)
    v = res.variables
    by_metric = {r[v.index("metric")].value.rsplit("/", 1)[-1]: r for r in res.rows}  # type: ignore[union-attr]
    assert set(by_metric) == {"psf_fwhm_x", "psf_bead_count", "psf_rejected_count"}
    early = by_metric["psf_fwhm_x"]
    assert early[v.index("before_time")].value == "2024-03-01T08:00:00"  # type: ignore[union-attr]
    assert early[v.index("after_time")].value == "2024-03-10T08:00:00"  # type: ignore[union-attr]
    assert early[v.index("before_within")].value == "true" and early[v.index("status")].value == "ok"  # type: ignore[union-attr]
    assert by_metric["psf_bead_count"][v.index("status")].value == "unknown"  # type: ignore[union-attr]  # no baseline
    res = run(qc_store, "instrument-image-states", {"instrument": "confocal-1", "metric": "psf_fwhm_x"}, iris)
    v = res.variables
    got = sorted((str(r[v.index("acquired")].value), r[v.index("status")].value, r[v.index("before_value")].value) for r in res.rows)  # type: ignore[union-attr]
    assert got == [("2024-03-05T10:00:00", "ok", "0.25"), ("2024-03-05T11:00:00", "ok", "0.25"), ("2024-03-15T10:00:00", "out", "0.34")]
    res = run(qc_store, "batch-differences", {"metric": "psf_fwhm_x"}, iris)
    v = res.variables
    batches = {(r[v.index("date")].value, r[v.index("plate_name")].value): r for r in res.rows}  # type: ignore[union-attr]
    a, b = batches[("2024-03-05", "A")], batches[("2024-03-15", "B")]
    assert int(a[v.index("images")].value) == 2 and a[v.index("batch_status")].value == "ok"  # type: ignore[union-attr]
    assert b[v.index("batch_status")].value == "out" and float(b[v.index("qc_value")].value) == 0.34  # type: ignore[union-attr]
    assert float(b[v.index("deviation")].value) == pytest.approx(0.36)  # type: ignore[union-attr]
    assert float(b[v.index("change")].value) == pytest.approx(0.34 - 0.25)  # type: ignore[union-attr]
    res = run(qc_store, "metric-drift-monthly", {"metric": "psf_fwhm_x"}, iris)
    v = res.variables
    (march,) = res.rows
    assert march[v.index("month")].value == "2024-03" and int(march[v.index("count")].value) == 4  # type: ignore[union-attr]
    vals = np.array([0.25, 0.26, 0.34, 0.25])
    assert float(march[v.index("mean")].value) == pytest.approx(vals.mean())  # type: ignore[union-attr]
    assert float(march[v.index("sd")].value) == pytest.approx(vals.std(ddof=1))  # type: ignore[union-attr]
    assert int(march[v.index("out_of_tolerance")].value) == 1  # type: ignore[union-attr]


def test_state_is_recomputed_when_a_new_image_arrives(tmp_path: Path, settings: Settings, qc_store: EmbeddedStore, iris: QcIris) -> None:
    (tmp_path / "c.ome.xml").write_text(ome_xml([("later", "2024-03-13T09:00:00")]))
    rep = ingest_paths(qc_store, settings, [tmp_path / "c.ome.xml"])
    assert rep.ok
    q = "SELECT ?status WHERE { ?i ome:name 'later' . OPTIONAL { ?i bkg:qcState/bkg:status ?status } }"
    assert rows(qc_store, q) == [["out"]]  # the ingest's QC step recomputed confocal-1's state
    (step,) = [f for f in rep.followups if f.step == "qc-state"]
    assert step.step == "qc-state" and step.error is None
    assert step.messages == ["QC state of confocal-1 recomputed: 4 image(s) (ok 2, out 2)"]
    # new QC arrives: a re-measurement of the 03-12 dataset within tolerance clears both images
    store_measurement(qc_store, measurement_quads(psf_result("2024-03-12", 0.27), "confocal-1", iris))
    recompute(qc_store, iris, ["confocal-1"])
    assert rows(qc_store, q) == [["ok"]]
    assert run(qc_store, "out-of-tolerance-images", {}, iris).rows == []
    # a changed file moves its image to another microscope: the old instrument's state drops it
    (tmp_path / "c.ome.xml").write_text(ome_xml([("later", "2024-03-13T09:00:00")], serial="SN-2"))
    rep = ingest_paths(qc_store, settings, [tmp_path / "c.ome.xml"])
    (step,) = [f for f in rep.followups if f.step == "qc-state"]
    assert any(m.startswith("no facility instrument matches") and "SN-2" in m for m in step.messages)
    assert "QC state of confocal-1 recomputed: 3 image(s) (ok 3)" in step.messages
    assert rows(qc_store, q) == [[""]]


def test_ingest_without_qc_data_has_no_qc_step_work(tmp_path: Path, settings: Settings, store: EmbeddedStore) -> None:
    (tmp_path / "c.ome.xml").write_text(ome_xml([("x", "2024-03-13T09:00:00")]))
    rep = ingest_paths(store, settings, [tmp_path / "c.ome.xml"])
    assert [(f.messages, f.error) for f in rep.followups if f.step == "qc-state"] == [([], None)]
    assert rows(store, "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(STR(?g), '/qc/')) } LIMIT 1") == []


def test_baseline_derived_from_first_n(store: EmbeddedStore, iris: QcIris) -> None:
    values = [0.25, 0.252, 0.247, 0.251, 0.249, 0.32, 0.33]  # drift after the fifth
    for i, v in enumerate(values):
        store_measurement(store, measurement_quads(psf_result(f"2024-04-{i + 1:02d}", v), "confocal-1", iris))
    rep = derive(store, iris, "confocal-1", metric_key="psf_fwhm_x", first=5, k=2.0)
    (b,) = rep.derived
    first = np.array(values[:5])
    assert b.value == pytest.approx(first.mean()) and b.tolerance == pytest.approx(2 * first.std(ddof=1))
    assert b.derivation == "first-n" and b.n == 5 and b.effective_side == "upper"
    stored = read_baselines(store, iris, "confocal-1")
    assert stored == [dataclasses.replace(b, side="upper")]  # stored with the side in force
    got = rows(store, "SELECT ?v ?hi ?n WHERE { ?b a bkg:QCBaseline ; bkg:baselineValue ?v ; bkg:upperLimit ?hi ; bkg:derivedFromCount ?n }")
    assert float(got[0][0]) == pytest.approx(first.mean()) and got[0][2] == "5"
    assert float(got[0][1]) == pytest.approx(first.mean() + 2 * first.std(ddof=1))
    rep = recompute(store, iris)
    outs = rows(store, "SELECT ?o WHERE { ?o bkg:withinTolerance false }")
    assert len(outs) == 2  # the two drifted values
    with pytest.raises(ConfigError, match="at least 2"):
        derive(store, iris, "confocal-1", first=1)


def test_overdue_and_query_parameters(qc_store: EmbeddedStore, iris: QcIris) -> None:
    res = run(qc_store, "overdue-instruments", {}, iris)
    assert [r[1].value for r in res.rows] == ["confocal-1"]  # type: ignore[union-attr]  # last QC 2024-03-20, every 14 days
    assert res.rows[0][res.variables.index("due")].value == "2024-04-03T08:00:00Z"  # type: ignore[union-attr]
    q = get("out-of-tolerance-images")
    with pytest.raises(QueryError, match="has no parameter 'colour'"):
        bind(q, {"colour": "red"}, iris)
    with pytest.raises(QueryError, match="unknown QC metric 'psf_wobble'"):
        bind(q, {"metric": "psf_wobble"}, iris)
    with pytest.raises(QueryError, match="unknown QC query"):
        get("nope")
    for nq in load_queries().values():
        assert nq.title and nq.question and nq.params
        for p in nq.params:
            assert f"?{p.name}" in nq.text.split("WHERE")[0]


def test_named_queries_mean_the_same_on_a_remote_store(qc_store: EmbeddedStore, iris: QcIris, tmp_path: Path) -> None:
    """Substitutions (embedded) and a trailing VALUES block (remote endpoints) give the same rows."""
    expected = {
        (name, tuple(sorted(p.items()))): sorted(map(str, run(qc_store, name, p, iris).rows))
        for name, p in [
            ("out-of-tolerance-images", {"instrument": "confocal-1"}),
            ("out-of-tolerance-images", {"status": "suspect"}),
            ("batch-differences", {"metric": "psf_fwhm_x", "date": "2024-03-15"}),
            ("metric-drift-monthly", {"month": "2024-03"}),
            ("overdue-instruments", {"instrument": "confocal-1"}),
            ("instrument-image-states", {"instrument": "confocal-1", "status": "out"}),
        ]
    }
    path = qc_store.path
    assert path is not None
    qc_store.close()
    with OxigraphServer(path, timeout_s=10) as srv:
        remote = RemoteStore(srv.query_url, timeout_s=10)
        for (name, p), want in expected.items():
            assert sorted(map(str, run(remote, name, dict(p), iris).rows)) == want, name


def test_api_lists_and_runs_named_queries(qc_store: EmbeddedStore, settings: Settings) -> None:
    """Over real HTTP, through `kg serve` (its store is held by the oxigraph server child)."""
    import requests

    from .conftest import KgServer

    qc_store.close()  # kg serve opens the store itself
    assert settings.store_path is not None
    server = KgServer(settings.store_path)
    try:
        http = requests.Session()
        r = http.get(server.url + "/qc/queries", timeout=30)
        assert r.status_code == 200
        listed = {q["name"]: q for q in r.json()}
        assert set(listed) == set(load_queries())
        assert {"name": "instrument", "type": "instrument"}.items() <= listed["out-of-tolerance-images"]["parameters"][0].items()
        r = http.get(server.url + "/qc/queries/out-of-tolerance-images", params={"instrument": "confocal-1"}, timeout=30)
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/sparql-results+json")
        names = [b["image_name"]["value"] for b in r.json()["results"]["bindings"]]
        assert names == ["late-1"]
        r = http.get(server.url + "/qc/queries/metric-drift-monthly", params={"format": "csv"}, timeout=30)
        assert r.status_code == 200 and r.text.splitlines()[0].startswith("instrument,metric,channel")
        assert http.get(server.url + "/qc/queries/nope", timeout=30).status_code == 404
        r = http.get(server.url + "/qc/queries/out-of-tolerance-images", params={"metric": "psf_wobble"}, timeout=30)
        assert r.status_code == 400 and "psf_wobble" in r.json()["detail"]
    finally:
        server.stop()


# -- CLI and report ---------------------------------------------------------------------------------


def qc_cli() -> typer.Typer:
    """kg's CLI with `kg qc` added, as the kg.commands entry point does, to run in-process
    (each `kg` process costs about a second to start; one test below runs it as a process)."""
    from kg.cli import app
    from qc.cli import app as qc_app

    if not any(g.typer_instance is qc_app for g in app.registered_groups):
        app.add_typer(qc_app, name="qc")
    return app


def test_cli_import_state_query_and_report(tmp_path: Path) -> None:
    (tmp_path / "imgs.ome.xml").write_text(ome_xml([("img-a", "2024-05-02T10:00:00"), ("img-b", "2024-05-20T10:00:00")]))
    lines = ["instrument,metric,value,unit,time,channel"]
    for day, v in [(1, 0.25), (8, 0.251), (15, 0.249), (22, 0.31), (29, 0.25)]:
        lines.append(f"confocal-1,psf_fwhm_x,{v},µm,2024-05-{day:02d}T08:00:00,0")
    (tmp_path / "qc.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "instruments.yaml").write_text(
        "instruments:\n  confocal-1: {label: Confocal one, manufacturer: Zeiss, model: LSM 980, serial_number: SN-1}\n"
    )
    runner, app = CliRunner(), qc_cli()
    base = ["--store", str(tmp_path / "store")]
    wide = {"COLUMNS": "200"}
    r = runner.invoke(app, [*base, "ingest", str(tmp_path / "imgs.ome.xml")])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, [*base, "qc", "instrument", "load", str(tmp_path / "instruments.yaml")], env=wide)
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, [*base, "qc", "import", str(tmp_path / "qc.csv")], env=wide)
    assert r.exit_code == 0, r.output
    assert "5 measurement(s), 5 value(s) on confocal-1" in r.stdout
    r = runner.invoke(app, [*base, "qc", "baseline", "set", "-i", "confocal-1", "-m", "psf_fwhm_x", "--value", "0.25", "-t", "10%"], env=wide)
    assert r.exit_code == 0, r.output
    assert "2 image(s) (ok 1, suspect 1)" in r.stdout  # img-b: QC before ok, QC after (0.31) out
    r = runner.invoke(app, [*base, "qc", "query", "out-of-tolerance-images", "--format", "json"])
    assert r.exit_code == 0, r.output
    bindings = json.loads(r.stdout)["results"]["bindings"]
    assert [(b["image_name"]["value"], b["status"]["value"]) for b in bindings] == [("img-b", "suspect")]
    report = tmp_path / "qc.html"
    r = runner.invoke(app, [*base, "qc", "report", "-o", str(report), "--query", "batch-differences"], env=wide)
    assert r.exit_code == 0, r.output
    html = report.read_text(encoding="utf-8")
    assert html.count('<img src="data:image/svg+xml;base64,') == 1
    assert "Confocal one" in html and "1 out of tolerance" in html and "QC differences between acquisition batches" in html
    assert "http://" not in html.split("<footer>")[0].replace("http://www.w3.org/2000/svg", "")  # self-contained
    bad = tmp_path / "bad.csv"
    bad.write_text("metric,value,time\npsf_fwhm_x,x,2024-05-01T00:00:00\n")
    r = runner.invoke(app, [*base, "qc", "import", str(bad), "--instrument", "confocal-1"], env=wide)
    assert r.exit_code == 1 and f"{bad}, line 2, element column 'value'" in r.stderr.replace("\n", "")
    r = runner.invoke(app, [*base, "qc", "query", "out-of-tolerance-images", "-p", "metric=nope"], env=wide)
    assert r.exit_code == 2 and "unknown QC metric 'nope'" in r.stderr


def test_cli_measure_stores_and_prints(tmp_path: Path) -> None:
    """`kg qc measure` with the real metric code (qc.metrics): a power-meter series with a known
    mean, stored as observations on a new instrument."""
    from .qc_synthetic import power_series, write_power_csv

    t, p = power_series(300, duration_s=1800, mean=5.0, cv_pct=0.5, drift_pct_per_h=1.0)
    csv = tmp_path / "laser488.csv"
    write_power_csv(csv, t, p, header="time,power (mW)", iso_start=dt.datetime(2024, 6, 3, 9, 0))
    st = str(tmp_path / "store")
    r = run_kg("--store", st, "qc", "measure", "power-stability", str(csv), "--instrument", "laser-bench", "--format", "json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    vals = {v["metric"]: v for v in doc["values"]}
    assert vals["power_mean"]["value"] == pytest.approx(float(np.mean(p)), rel=1e-6) and vals["power_mean"]["unit"] == "mW"
    assert doc["result_time"] == "2024-06-03T09:00:00" and doc["graph"].startswith("http://localhost:8000/id/qc/measurement/power-stability-laser488-")
    with EmbeddedStore(Path(st)) as s:
        got = rows(s, SOSA + "SELECT ?v WHERE { ?o sosa:observedProperty ?p ; sosa:hasResult ?r . ?r qudt:numericValue ?v ; qudt:unit unit:MilliW }")
        assert [float(g[0]) for g in got] == [pytest.approx(vals["power_mean"]["value"])]
        assert rows(s, "SELECT ?id WHERE { ?i a bkg:FacilityInstrument ; bkg:instrumentId ?id }") == [["laser-bench"]]
    r = CliRunner().invoke(qc_cli(), ["--store", st, "qc", "measure", "psf", str(tmp_path / "missing.ome.tiff"), "-i", "laser-bench"])
    assert r.exit_code == 1 and "missing.ome.tiff" in r.stderr


@pytest.mark.browser
def test_report_page_renders(qc_store: EmbeddedStore, iris: QcIris, tmp_path: Path) -> None:
    from qc.report import build_report, render_html

    from .test_browser import render

    html = render_html(build_report(qc_store, iris, queries=["overdue-instruments"]))
    assert "LATEST QC WITHIN TOLERANCE" in html and "1 out</span>" in html
    assert html.count("<figure") == 3  # psf_fwhm_x, bead count, rejected count
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    shot = tmp_path / "report.png"
    render(page.as_uri(), tmp_path / "profile", screenshot=shot)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_large_state_graph_is_updated_by_difference_in_one_step(
    tmp_path: Path, settings: Settings, qc_store: EmbeddedStore, iris: QcIris, monkeypatch: pytest.MonkeyPatch
) -> None:
    import qc.graph
    from qc.state import compute_instrument

    monkeypatch.setattr(qc.graph, "SMALL_GRAPH", 5)  # every state graph counts as large here
    g = ox.NamedNode(iris.state_graph("confocal-1"))
    quads, _ = compute_instrument(qc_store, iris, "confocal-1")
    assert qc.graph.update_by_difference(qc_store, g, quads) == (0, 0)  # literals read back as written
    updates: list[str] = []
    real_update = qc_store.update
    monkeypatch.setattr(qc_store, "update", lambda text: (updates.append(text), real_update(text))[1])
    (tmp_path / "c.ome.xml").write_text(ome_xml([("later", "2024-03-13T09:00:00")]))
    assert ingest_paths(qc_store, settings, [tmp_path / "c.ome.xml"]).ok
    state_updates = [u for u in updates if str(g) in u]
    assert len(state_updates) == 1 and "DELETE DATA" in state_updates[0]  # one transaction
    expected, _ = compute_instrument(qc_store, iris, "confocal-1")
    canonical = ox.Store()  # literals in the store's canonical form ("2.0"^^xsd:double is "2")
    canonical.extend(ox.Quad(q.subject, q.predicate, q.object, g) for q in expected)
    assert set(qc_store.raw.quads_for_pattern(None, None, None, g)) == set(canonical)
    assert rows(qc_store, "SELECT ?s WHERE { ?i ome:name 'later' ; bkg:qcState/bkg:status ?s }") == [["out"]]


def test_parameters_bind_the_same_rows_wherever_the_values_block_goes(qc_store: EmbeddedStore, iris: QcIris) -> None:
    q = get("batch-differences")
    assert q.bind_at == "start" and get("out-of-tolerance-images").bind_at == "end"
    terms = bind(q, {"metric": "psf_fwhm_x", "instrument": "confocal-1"}, iris)
    at_start = q.bound(terms)
    at_end = dataclasses.replace(q, bind_at="end").bound(terms)  # the default is "start"
    assert at_start.index("VALUES") < at_start.index("bkg:hasBatch") < at_end.index("VALUES")
    assert "psf_fwhm_x>" in at_start and "'" not in at_start.split("VALUES")[1].split("}")[0]
    a, b = (qc_store.query(t) for t in (at_start, at_end))
    assert isinstance(a, SelectResult) and isinstance(b, SelectResult)
    assert a.rows and sorted(map(str, a.rows)) == sorted(map(str, b.rows))
    assert {str(r[a.variables.index("metric")]) for r in a.rows} == {f"<{QCV}psf_fwhm_x>"}
