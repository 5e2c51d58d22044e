"""The LinkML schema (shapes/schema/) and what is generated from it (shapes/generated/).

- regenerating every artefact gives the committed bytes;
- the example documents validate against the generated JSON Schema, bad ones fail naming the field;
- YAML -> RDF (linkml-runtime's rdflib dumper) -> YAML gives the document back, with the IRIs
  the profile shapes target;
- the generated SQL DDL creates the tables; FBbi terms of the schema exist in the ontology mirror;
- every term of our vocabulary the schema uses is defined, with a label and a definition.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import rdflib
import yaml
from rdflib.compare import isomorphic

from .schema_support import EXAMPLES, GENERATED, GOOD, REPO, load_example, model, schemaview, to_rdf

BKG = "https://w3id.org/bioimage-kg/vocab/"


def _generator() -> Any:
    pytest.importorskip("linkml", reason="the regeneration check needs linkml (the [test] extra)")
    spec = importlib.util.spec_from_file_location("generate_schema", REPO / "tools" / "generate_schema.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_regenerating_the_artefacts_changes_nothing(tmp_path: Path) -> None:
    gen = _generator()
    files = gen.build()
    written = gen.write(files, tmp_path)
    assert sorted(written) == sorted(files)  # everything was written into the empty folder
    for rel in files:
        committed = REPO / rel
        assert committed.exists(), f"{rel} is not committed; run python tools/generate_schema.py"
        assert committed.read_bytes() == (tmp_path / rel).read_bytes(), (
            f"{rel} differs from a fresh generation; run python tools/generate_schema.py"
        )
    stale = {p.name for p in GENERATED.iterdir() if p.is_file()} - {Path(r).name for r in files}
    assert not stale, f"files in shapes/generated/ that the generator no longer writes: {stale}"


def _json_schema_for(cls: str) -> Any:
    import jsonschema

    js = json.loads((GENERATED / "bioimage_kg.schema.json").read_text(encoding="utf-8"))
    root = {k: v for k, v in js.items() if k not in ("properties", "required", "additionalProperties")}
    root["$ref"] = f"#/$defs/{cls}"
    return jsonschema.validators.validator_for(js)(root)


def _deepest(errors: list[Any]) -> list[Any]:
    """The most specific errors (jsonschema nests the reasons an anyOf failed in .context)."""
    out = []
    for e in errors:
        out.extend(_deepest(list(e.context)) if e.context else [e])
    return out


@pytest.mark.parametrize("name", sorted(GOOD))
def test_examples_validate_against_the_json_schema(name: str) -> None:
    doc = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
    errors = list(_json_schema_for(GOOD[name]).iter_errors(doc))
    assert not errors, [e.message for e in errors]


@pytest.mark.parametrize(
    ("name", "cls", "path", "words"),
    [
        ("study-missing-title.yaml", "Study", [], "'title' is a required property"),
        ("instrument-bad-na.yaml", "Instrument", ["objectives", 0, "lens_na"], "2.5 is greater than the maximum of 1.7"),
        ("analysis-bad-digest.yaml", "AnalysisRun", ["container_image", "sha256"], "'latest' does not match"),
    ],
)
def test_bad_examples_fail_naming_the_field(name: str, cls: str, path: list[object], words: str) -> None:
    doc = yaml.safe_load((EXAMPLES / "bad" / name).read_text(encoding="utf-8"))
    errors = _deepest(list(_json_schema_for(cls).iter_errors(doc)))
    assert errors, f"{name} should not validate"
    assert any(list(e.absolute_path) == path and words in e.message for e in errors), [
        (list(e.absolute_path), e.message) for e in errors
    ]


def _expanded(value: Any) -> Any:
    """The document with CURIEs expanded (the loader gives back orcid:0000-... for an
    https://orcid.org/0000-... written in full: the same IRI)."""
    sv = schemaview()
    if isinstance(value, dict):
        return {k: _expanded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_expanded(v) for v in value]
    if isinstance(value, str) and ":" in value and not value.startswith(("http://", "https://")):
        prefix = value.split(":", 1)[0]
        if prefix in sv.namespaces():
            return sv.expand_curie(value)
    return value


@pytest.mark.parametrize("name", sorted(GOOD))
def test_yaml_to_rdf_to_yaml_round_trip(name: str) -> None:
    from linkml_runtime.dumpers import json_dumper
    from linkml_runtime.loaders import rdflib_loader

    obj = load_example(name)
    graph = to_rdf(obj)
    back = rdflib_loader.load(graph, target_class=type(obj), schemaview=schemaview())
    assert _expanded(json.loads(json_dumper.dumps(back))) == _expanded(json.loads(json_dumper.dumps(obj)))
    # and the second trip gives the same graph
    assert isomorphic(to_rdf(back), graph)


def test_rdf_uses_the_iris_the_profiles_target() -> None:
    g = to_rdf(load_example("rembi-study.yaml"))
    study = rdflib.URIRef("http://localhost:8000/id/study/S-TEST1")
    assert (study, rdflib.RDF.type, rdflib.URIRef(BKG + "Study")) in g
    assert (study, rdflib.URIRef("http://purl.org/dc/terms/title"), None) in g
    biosample = rdflib.URIRef("http://localhost:8000/id/study/S-TEST1/biosample/1")
    assert g.value(biosample, rdflib.URIRef(BKG + "organism")) == rdflib.URIRef(
        "http://purl.obolibrary.org/obo/NCBITaxon_9606"
    )
    acq = rdflib.URIRef("http://localhost:8000/id/study/S-TEST1/acquisition/1")
    assert g.value(acq, rdflib.URIRef(BKG + "imagingMethod")) == rdflib.URIRef(
        "http://purl.obolibrary.org/obo/FBbi_00000251"
    )
    assert g.value(acq, rdflib.URIRef("https://ld.openmicroscopy.org/core/instrument")) == rdflib.URIRef(
        "http://localhost:8000/id/instrument/lsm880"
    )

    ig = to_rdf(load_example("instrument-tier2.yaml"))
    obj = rdflib.URIRef("http://localhost:8000/id/instrument/lsm880/objective/1")
    ome = "https://ld.openmicroscopy.org/core/"
    assert (obj, rdflib.RDF.type, rdflib.URIRef(ome + "Objective")) in ig
    assert ig.value(obj, rdflib.URIRef(ome + "lens_na")) == rdflib.Literal(1.4)
    assert ig.value(obj, rdflib.URIRef(ome + "immersion")) == rdflib.Literal("Oil")
    wd = ig.value(obj, rdflib.URIRef(ome + "working_distance"))
    assert (wd, rdflib.RDF.type, rdflib.URIRef("http://qudt.org/schema/qudt/QuantityValue")) in ig
    assert ig.value(wd, rdflib.URIRef("http://qudt.org/schema/qudt/unit")) == rdflib.URIRef(
        "http://qudt.org/vocab/unit/MilliM"
    )

    ag = to_rdf(load_example("analysis-run.yaml"))
    run = rdflib.URIRef("http://localhost:8000/id/run/2024-05-02T10-00-00")
    assert (run, rdflib.RDF.type, rdflib.URIRef("http://schema.org/CreateAction")) in ag
    seed = ag.value(run, rdflib.URIRef(BKG + "randomSeed"))
    assert ag.value(seed, rdflib.URIRef(BKG + "seedValue")) == rdflib.Literal(12345)
    hw = ag.value(run, rdflib.URIRef(BKG + "hardware"))
    assert ag.value(hw, rdflib.URIRef(BKG + "cpuModel")) == rdflib.Literal("AMD EPYC 7B13")
    weights = ag.value(run, rdflib.URIRef(BKG + "modelWeights"))
    assert ag.value(weights, rdflib.URIRef("https://w3id.org/ro/terms/workflow-run#sha256")) is not None


def test_required_fields_are_required_by_the_python_model() -> None:
    with pytest.raises(ValueError, match="title"):
        load_example("bad/study-missing-title.yaml", "Study")


def test_sql_ddl_creates_the_schema_tables() -> None:
    ddl = (GENERATED / "bioimage_kg.sql").read_text(encoding="utf-8")
    con = sqlite3.connect(":memory:")
    con.executescript(ddl)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"Study", "StudyComponent", "Biosample", "Instrument", "Objective", "AnalysisRun"} <= tables
    cols = {r[1] for r in con.execute('PRAGMA table_info("Objective")')}
    assert {"lens_na", "nominal_magnification", "immersion"} <= cols


def test_every_own_term_is_defined_in_the_vocabulary() -> None:
    sv = schemaview()
    used = {str(sv.get_uri(c, expand=True)) for c in sv.all_classes()}
    used |= {str(sv.get_uri(s, expand=True)) for s in sv.all_slots().values()}
    for f in sorted((REPO / "shapes" / "profiles").glob("*.ttl")):
        g = rdflib.Graph().parse(f)
        used |= {str(o) for o in g.objects(None, rdflib.URIRef("http://www.w3.org/ns/shacl#path"))}
        used |= {str(o) for o in g.objects(None, rdflib.URIRef("http://www.w3.org/ns/shacl#targetObjectsOf"))}
    own = {u for u in used if u.startswith(BKG)}
    vocab = rdflib.Graph().parse(REPO / "ontologies" / "bioimage-kg.ttl")
    undefined = sorted(
        u
        for u in own
        if vocab.value(rdflib.URIRef(u), rdflib.RDFS.label) is None
        or vocab.value(rdflib.URIRef(u), rdflib.RDFS.comment) is None
    )
    assert not undefined, f"bkg: terms without label and definition in ontologies/bioimage-kg.ttl: {undefined}"
    for term in ("randomSeed", "seedValue", "hardware", "cpuModel", "gpuModel", "gpuDriverVersion"):
        assert BKG + term in own


def test_enum_values_keep_their_descriptions_and_terms() -> None:
    """LinkML's SHACL drops enum value descriptions (linkml issue 2891); enums.ttl keeps them."""
    g = rdflib.Graph().parse(GENERATED / "enums.ttl")
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    confocal = next(c for c in g.subjects(skos.notation, rdflib.Literal("confocal microscopy")))
    assert g.value(confocal, skos.exactMatch) == rdflib.URIRef("http://purl.obolibrary.org/obo/FBbi_00000251")
    assert "pinhole" in str(g.value(confocal, skos.definition))
    sv = schemaview()
    n_values = sum(len(sv.get_enum(e).permissible_values) for e in sv.all_enums() if e != "RequirementLevel")
    assert len(set(g.subjects(skos.notation, None))) == n_values
    assert all(str(d) for d in g.objects(None, skos.definition))


def test_closed_shapes_accept_the_fields_of_subclasses() -> None:
    """linkml issue 1249: a closed shape must list every field of its class, inherited ones
    included, and ignore those of its subclasses; the generated closed shapes do."""
    g = rdflib.Graph().parse(GENERATED / "profile-analysis.ttl")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    shapes = {str(s).rsplit("/", 1)[-1]: s for s in g.subjects(sh.closed, rdflib.Literal(True))}
    assert "ModelWeights" in shapes
    paths = {str(o) for p in g.objects(shapes["ModelWeights"], sh.property) for o in g.objects(p, sh.path)}
    assert "https://w3id.org/ro/terms/workflow-run#sha256" in paths  # inherited from File
    assert "http://schema.org/url" in paths  # its own


def test_schema_fbbi_terms_exist_in_the_ontology_mirror(shared: Path) -> None:
    fbbi = shared / "ontologies" / "rdf" / "fbbi.ttl"
    if not fbbi.exists():
        pytest.skip(f"{fbbi} is absent from the ontology mirror")
    g = rdflib.Graph().parse(fbbi)
    sv = schemaview()
    enum = sv.get_enum("ImagingMethod")
    for pv in enum.permissible_values.values():
        iri = rdflib.URIRef(sv.expand_curie(pv.meaning))
        assert g.value(iri, rdflib.RDFS.label) is not None, f"{pv.meaning} ({pv.text}) is not in FBbi"
        deprecated = g.value(iri, rdflib.OWL.deprecated)
        assert deprecated is None or not deprecated.toPython(), f"{pv.meaning} is deprecated in FBbi"


def test_generated_model_is_importable() -> None:
    m = model()
    assert {"Study", "Instrument", "AnalysisRun", "RandomSeed", "Hardware"} <= set(dir(m))
