"""Validation profiles (kg validate --profile) and the completeness report (kg completeness),
on the example documents of tests/fixtures/schema/ turned into RDF by linkml-runtime and loaded
into an embedded store, one source graph each, as ingest would."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import rdflib
from typer.testing import CliRunner

from kg.cli import app
from kg.completeness import completeness_store, profile_fields
from kg.profiles import PROFILES, ProfileError, parse_profile_names, profile_files, shape_files
from kg.resources import data_dir
from kg.store import EmbeddedStore
from kg.validate import Finding, validate_store

from .schema_support import GOOD, add_source, load_example, to_rdf

BKG = "https://w3id.org/bioimage-kg/vocab/"
OME = "https://ld.openmicroscopy.org/core/"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def graphs() -> dict[str, Any]:
    return {name: to_rdf(load_example(name)) for name in GOOD}


@pytest.fixture
def examples(graphs: dict[str, Any]) -> Iterator[EmbeddedStore]:
    """An in-memory store with the four good examples, one source graph each."""
    store = EmbeddedStore(None)
    for name, g in graphs.items():
        add_source(store, g, name)
    yield store
    store.close()


def _findings(store: EmbeddedStore, *profiles: str, source: str | None = None) -> list[Finding]:
    rep = validate_store(store, shapes_paths=shape_files(list(profiles)))
    return [f for f in rep.findings if source is None or f.source == source]


def _by(findings: list[Finding], severity: str) -> set[tuple[str, str]]:
    return {(f.focus_type, f.field) for f in findings if f.severity == severity}


# -- the registry ------------------------------------------------------------------------


def test_profile_names_repeat_or_comma_and_unknown_names_are_refused() -> None:
    assert parse_profile_names(["rembi,nbo-tier1", "analysis", "rembi"]) == ["rembi", "nbo-tier1", "analysis"]
    assert parse_profile_names(None) == ["ome-core"]
    with pytest.raises(ProfileError, match=r"unknown profile 'nbo-tier4'; known profiles: ome-core, rembi"):
        parse_profile_names(["nbo-tier4"])


def test_the_default_profile_is_todays_shapes() -> None:
    assert profile_files("ome-core") == sorted(data_dir("shapes").glob("*.ttl"))


def test_a_higher_nbo_tier_includes_the_lower_ones() -> None:
    t1, t2, t3 = (set(profile_files(f"nbo-tier{n}")) for n in (1, 2, 3))
    assert t1 < t2 < t3
    names = {p.name for p in t3}
    assert {"profile-nbo-tier1.ttl", "profile-nbo-tier2.ttl", "profile-nbo-tier3.ttl", "nbo-tier1.ttl"} <= names
    # shared files appear once when profiles are combined
    files = shape_files(["rembi", "analysis", "nbo-tier1"])
    assert len(files) == len(set(files))


@pytest.mark.parametrize("name", sorted(set(PROFILES) - {"ome-core"}))
def test_every_shape_names_its_field_and_says_what_is_expected(name: str) -> None:
    for f in profile_files(name):
        g = rdflib.Graph().parse(f)
        for node_shape in g.subjects(rdflib.RDF.type, SH.NodeShape):
            if (node_shape, SH.closed, rdflib.Literal(True)) in g:
                assert g.value(node_shape, SH.message), f"{f.name}: {node_shape} has no sh:message"
                continue
            props = list(g.objects(node_shape, SH.property))
            assert props, f"{f.name}: {node_shape} has no property shapes"
            for p in props:
                assert g.value(p, SH.name), f"{f.name}: a property of {node_shape} has no sh:name"
                message = g.value(p, SH.message)
                assert message and len(str(message)) > 20, f"{f.name}: {g.value(p, SH.name)} has no useful message"


def test_shapes_stay_in_the_shacl_core_subset_that_compiles_to_sparql() -> None:
    allowed = {
        "minCount", "maxCount", "datatype", "class", "nodeKind", "pattern", "in", "hasValue", "node",
        "closed", "ignoredProperties", "severity", "message", "name", "path", "property", "targetClass",
        "targetObjectsOf", "minInclusive", "maxInclusive", "minExclusive", "alternativePath", "NodeShape",
    }  # fmt: skip
    for name in set(PROFILES) - {"ome-core"}:
        for f in profile_files(name):
            g = rdflib.Graph().parse(f)
            used = {str(p)[len(str(SH)) :] for p in g.predicates() if str(p).startswith(str(SH))}
            used |= {str(o)[len(str(SH)) :] for o in g.objects(None, rdflib.RDF.type) if str(o).startswith(str(SH))}
            assert used <= allowed, f"{f.name} uses {used - allowed}"


# -- severities on the examples ------------------------------------------------------------


def test_rembi_profile_on_a_good_study_gives_warnings_and_notes_only(examples: EmbeddedStore) -> None:
    found = _findings(examples, "rembi", source="rembi-study.yaml")
    assert _by(found, "violation") == set()
    assert _by(found, "warning") == {
        ("annotation set", "annotation coverage"),
        ("annotation set", "annotation criteria"),
        ("biosample", "biosample description"),
        ("image data", "description"),
        ("specimen", "signal/contrast mechanism"),
    }
    info = _by(found, "info")
    assert ("specimen", "growth protocol") in info
    assert ("study component", "analysed data") in info
    assert len(info) == 9
    growth = next(f for f in found if f.field == "growth protocol")
    assert growth.focus_label == "Live cells in glass-bottom dishes"
    assert "REMBI suggests it" in growth.message
    # the other sources hold no REMBI objects: nothing to say about them
    assert not [f for f in _findings(examples, "rembi") if f.source != "rembi-study.yaml"]


def test_rembi_profile_names_a_missing_title_a_wrong_term_and_an_unknown_field(graphs: dict[str, Any]) -> None:
    g = rdflib.Graph()
    for t in graphs["rembi-study.yaml"]:
        g.add(t)
    study = rdflib.URIRef("http://localhost:8000/id/study/S-TEST1")
    g.remove((study, rdflib.URIRef("http://purl.org/dc/terms/title"), None))
    g.add((study, rdflib.URIRef(BKG + "keywrods"), rdflib.Literal("misspelt")))
    biosample = rdflib.URIRef("http://localhost:8000/id/study/S-TEST1/biosample/1")
    g.set((biosample, rdflib.URIRef(BKG + "organism"), rdflib.URIRef("http://purl.obolibrary.org/obo/UBERON_0000955")))
    store = EmbeddedStore(None)
    add_source(store, g, "broken-study.yaml")
    found = _findings(store, "rembi")
    violations = {(f.focus_type, f.field): f for f in found if f.severity == "violation"}
    assert set(violations) == {("study", "title"), ("biosample", "organism term (NCBITaxon)")}
    assert "REMBI requires it for every study" in violations[("study", "title")].message
    assert violations[("study", "title")].focus_label == "S-TEST1"  # no title any more: the IRI's last part
    assert "NCBI Taxonomy IRI" in violations[("biosample", "organism term (NCBITaxon)")].message
    assert violations[("biosample", "organism term (NCBITaxon)")].value.endswith("UBERON_0000955")
    closed = [f for f in found if f.severity == "warning" and f.value == "misspelt"]
    assert len(closed) == 1 and "misspelt" in closed[0].message
    store.close()


def test_nbo_tiers(examples: EmbeddedStore) -> None:
    tier1, tier2 = "instrument-tier1.yaml", "instrument-tier2.yaml"
    assert _findings(examples, "nbo-tier1", source=tier1) == []
    assert _findings(examples, "nbo-tier2", source=tier2) == []
    t2_on_t1 = _by(_findings(examples, "nbo-tier2", source=tier1), "violation")
    assert ("objective", "working distance") in t2_on_t1
    assert ("detector", "quantum efficiency") in t2_on_t1
    assert ("light emitting diode", "peak wavelength") in t2_on_t1
    assert all(sev == "violation" for sev in {f.severity for f in _findings(examples, "nbo-tier2", source=tier1)})
    t3_on_t2 = _by(_findings(examples, "nbo-tier3", source=tier2), "violation")
    assert ("optical calibration", "lateral asymmetry") in t3_on_t2
    assert ("objective", "serial number") in t3_on_t2
    assert ("instrument", "optical calibrations") not in t3_on_t2  # it has one
    assert ("instrument", "optical calibrations") in _by(_findings(examples, "nbo-tier3", source=tier1), "violation")


def test_nbo_tier1_asks_for_a_light_source_and_units(graphs: dict[str, Any]) -> None:
    g = rdflib.Graph()
    for s, p, o in graphs["instrument-tier1.yaml"]:
        if p != rdflib.URIRef(OME + "light_emitting_diode"):
            g.add((s, p, o))
    unit = rdflib.URIRef("http://qudt.org/schema/qudt/unit")
    cut_in = next(o for o in g.objects(None, rdflib.URIRef(OME + "cut_in")))
    g.set((cut_in, unit, rdflib.URIRef("http://qudt.org/vocab/unit/SEC")))
    store = EmbeddedStore(None)
    add_source(store, g, "no-light.yaml")
    found = {(f.focus_type, f.field): f for f in _findings(store, "nbo-tier1") if f.severity == "violation"}
    assert set(found) == {("instrument", "light sources"), ("wavelength", "wavelength unit")}
    assert "no light source is described" in found[("instrument", "light sources")].message
    assert found[("wavelength", "wavelength unit")].value == "http://qudt.org/vocab/unit/SEC"
    store.close()


def test_analysis_profile(examples: EmbeddedStore, graphs: dict[str, Any]) -> None:
    found = _findings(examples, "analysis", source="analysis-run.yaml")
    assert {(f.severity, f.focus_type, f.field) for f in found} == {
        ("info", "analysis run", "container image"),
        ("info", "software application", "software URL"),
        ("info", "GPU", "GPU memory"),
    }
    g = rdflib.Graph()
    for t in graphs["analysis-run.yaml"]:
        g.add(t)
    sha = rdflib.URIRef("https://w3id.org/ro/terms/workflow-run#sha256")
    inp = rdflib.URIRef("http://localhost:8000/id/run/2024-05-02T10-00-00/input/1")
    g.remove((inp, sha, None))
    run = rdflib.URIRef("http://localhost:8000/id/run/2024-05-02T10-00-00")
    seed = g.value(run, rdflib.URIRef(BKG + "randomSeed"))
    g.set((seed, rdflib.URIRef(BKG + "seedValue"), rdflib.Literal("twelve")))
    store = EmbeddedStore(None)
    add_source(store, g, "run.yaml")
    violations = {(f.focus_type, f.field) for f in _findings(store, "analysis") if f.severity == "violation"}
    assert violations == {("input or output file", "SHA-256 checksum"), ("random seed", "seed value")}
    store.close()


# -- completeness ----------------------------------------------------------------------------


def test_completeness_lists_the_missing_fields(examples: EmbeddedStore) -> None:
    rep = completeness_store(examples, ["rembi", "nbo-tier1", "nbo-tier2", "analysis"])
    subjects = {(s.kind, s.label): s for s in rep.subjects}
    assert set(subjects) == {
        ("study", "Nuclear envelope dynamics in dividing HeLa cells"),
        ("image", "Time-lapse series"),
        ("instrument", "Facility widefield 1"),
        ("instrument", "LSM 880 (room 2.14)"),
        ("analysis", "Nucleus segmentation"),
    }
    study = subjects[("study", "Nuclear envelope dynamics in dividing HeLa cells")]
    assert set(study.scores) == {"rembi"}  # the other profiles ask nothing of a study
    missing = {(m.object_type, m.field, m.severity) for m in study.scores["rembi"].missing}
    assert ("specimen", "growth protocol", "info") in missing
    assert ("specimen", "signal/contrast mechanism", "warning") in missing
    assert not [m for m in missing if m[2] == "violation"]

    lsm = subjects[("instrument", "LSM 880 (room 2.14)")]
    assert lsm.scores["nbo-tier1"].score == 1.0 and lsm.scores["nbo-tier2"].score == 1.0
    wf = subjects[("instrument", "Facility widefield 1")]
    assert wf.scores["nbo-tier1"].score == 1.0
    t2 = wf.scores["nbo-tier2"]
    assert 0 < t2.score < 1
    assert {(m.object_label, m.field) for m in t2.missing} >= {
        ("CFI Plan Apochromat Lambda D 40X", "working distance"),
        ("ORCA-Fusion BT", "quantum efficiency"),
        ("ET525/50m", "coating method"),
    }
    assert t2.present == t2.total - len(t2.missing)
    run = subjects[("analysis", "Nucleus segmentation")]
    assert {m.field for m in run.scores["analysis"].missing} == {"container image", "software URL", "GPU memory"}
    gpu = next(m for m in run.scores["analysis"].missing if m.field == "GPU memory")
    assert gpu.object_label == "Nucleus segmentation/hardware/gpu"
    assert not rep.complete  # widefield 1 misses tier-2 fields


def test_completeness_scores_follow_the_documented_weights(examples: EmbeddedStore) -> None:
    rep = completeness_store(examples, ["rembi"])
    sc = next(s for s in rep.subjects if s.kind == "study").scores["rembi"]
    weights = {"violation": 3, "warning": 2, "info": 1}
    lost = sum(weights[m.severity] for m in sc.missing)
    assert sc.weighted == pytest.approx((sc.weighted_total - lost) / sc.weighted_total)
    assert sc.score == pytest.approx((sc.total - len(sc.missing)) / sc.total)
    assert sc.weighted > sc.score  # only SHOULD and MAY fields are missing
    assert rep.complete  # no MUST field is missing in the study


def test_completeness_fields_are_the_profile_shapes_that_ask_for_a_value() -> None:
    fields = profile_fields("nbo-tier1")
    names = {(f.object_label, f.name) for f in fields}
    assert ("objective", "numerical aperture") in names
    assert ("instrument", "light sources") in names
    light = next(f for f in fields if f.name == "light sources")
    assert OME + "laser" in light.paths and OME + "light_emitting_diode" in light.paths


# -- the command line ------------------------------------------------------------------------


@pytest.fixture
def disk_store(tmp_path: Path, graphs: dict[str, Any]) -> Path:
    path = tmp_path / "store"
    store = EmbeddedStore(path)
    for name, g in graphs.items():
        add_source(store, g, name)
    store.close()
    return path


def test_cli_validate_and_completeness_with_profiles(disk_store: Path) -> None:
    runner = CliRunner()
    base = ["--store", str(disk_store)]
    wide = {"COLUMNS": "300"}
    r = runner.invoke(app, [*base, "validate", "--profile", "rembi,analysis", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["conforms"] and data["counts"]["violation"] == 0 and data["counts"]["warning"] == 5
    r = runner.invoke(app, [*base, "validate", "--profile", "nbo-tier1", "--profile", "nbo-tier2"], env=wide)
    assert r.exit_code == 1
    assert 'objective "CFI Plan Apochromat Lambda D 40X" in instrument-tier1.yaml: working distance' in r.stdout
    r = runner.invoke(app, [*base, "validate", "--profile", "nbo-tier9"])
    assert r.exit_code == 2 and "unknown profile 'nbo-tier9'" in r.output
    r = runner.invoke(app, [*base, "completeness", "--profile", "rembi", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["complete"] is True
    kinds = {s["kind"] for s in data["subjects"]}
    assert kinds == {"study", "image", "instrument", "analysis"}
    r = runner.invoke(app, [*base, "completeness"], env=wide)
    assert r.exit_code == 1
    assert "missing: working distance of objective" in r.stdout
