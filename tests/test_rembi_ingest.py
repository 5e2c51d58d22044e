"""Ingest of REMBI studies (YAML, JSON, CSV), real BioStudies submissions, BioImage Archive
RO-Crates and instrument descriptions: what reaches the graph, what is reported, what fails.

The schema examples (tests/fixtures/schema/) are mapped exactly as linkml-runtime's rdflib
dumper maps them, and come back as the same documents through linkml-runtime's loader; the real
submissions and crates of ../shared all ingest and are scored by kg completeness.
"""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
import yaml
from rdflib.compare import isomorphic

from kg.completeness import completeness_store
from kg.config import Settings
from kg.demo import demo_files
from kg.ingest import FileOutcome, Ingestor, ingest_paths
from kg.mapping.schema_mapper import DocumentMapper, TermResolver, fbbi_iri, taxon_iri
from kg.profiles import shape_files
from kg.readers import detect
from kg.readers.biostudies import aliases, normalise_name
from kg.store import EmbeddedStore, GraphResult
from kg.validate import validate_store

from .conftest import rows
from .schema_support import EXAMPLES, GOOD, load_example, schemaview, to_rdf

BKG = "https://w3id.org/bioimage-kg/vocab/"
OBO = "http://purl.obolibrary.org/obo/"
FIX = Path(__file__).resolve().parent / "fixtures" / "rembi"


@pytest.fixture
def mem() -> Any:
    store = EmbeddedStore(None)
    yield store
    store.close()


def ingest(store: EmbeddedStore, *paths: Path | str) -> list[FileOutcome]:
    return ingest_paths(store, Settings(store_path=Path("unused")), list(paths)).outcomes


def graph_of(store: EmbeddedStore, graph: str) -> rdflib.Graph:
    """The triples of one source graph, without the source's own description."""
    res = store.query(
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?s != ?g) }",
        substitutions={"g": ox.NamedNode(graph)},
    )
    assert isinstance(res, GraphResult)
    nt = "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in res.triples)
    return rdflib.Graph().parse(data=nt, format="nt")


# -- documents written for kg -------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(GOOD))
def test_documents_are_detected_by_content_and_mapped_as_linkml_maps_them(name: str, tmp_path: Path) -> None:
    # the file name says nothing: detection reads the keys
    copy = tmp_path / "document.yaml"
    shutil.copy(EXAMPLES / name, copy)
    reader = detect(copy)
    assert (
        reader.kind
        == {"Study": "REMBI", "Instrument": "Instrument", "AnalysisRun": "Analysis provenance"}[GOOD[name]]
    )
    source = reader.read(copy)
    res = DocumentMapper().map(
        source.model, source_iri="http://localhost:8000/id/source/x", graph=ox.NamedNode("http://g")
    )
    nt = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in res.quads)
    mine = rdflib.Graph().parse(data=nt, format="nt")
    assert isomorphic(mine, to_rdf(load_example(name)))
    assert res.unmapped == []


def _expanded(value: Any) -> Any:
    """The document with CURIEs expanded and lists in a fixed order (RDF keeps no order)."""
    sv = schemaview()
    if isinstance(value, dict):
        return {k: _expanded(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((_expanded(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, str) and ":" in value and not value.startswith(("http://", "https://")):
        prefix = value.split(":", 1)[0]
        if prefix in sv.namespaces():
            return sv.expand_curie(value)
    return value


@pytest.mark.parametrize("name", sorted(GOOD))
def test_yaml_to_graph_to_yaml_through_ingest(name: str, mem: EmbeddedStore) -> None:
    """The document, ingested, read back from the store with linkml-runtime's loader, is the document."""
    from linkml_runtime.dumpers import json_dumper
    from linkml_runtime.loaders import rdflib_loader

    (out,) = ingest(mem, EXAMPLES / name)
    assert out.status == "ingested", out.error
    g = graph_of(mem, out.graph or "")
    obj = load_example(name)
    back = rdflib_loader.load(g, target_class=type(obj), schemaview=schemaview())
    assert _expanded(json.loads(json_dumper.dumps(back))) == _expanded(json.loads(json_dumper.dumps(obj)))


def test_json_document_gives_the_graph_of_the_yaml_one(mem: EmbeddedStore, tmp_path: Path) -> None:
    doc = yaml.safe_load((EXAMPLES / "rembi-study.yaml").read_text(encoding="utf-8"))
    js = tmp_path / "study.json"
    js.write_text(json.dumps(doc, default=str), encoding="utf-8")
    a, b = ingest(mem, EXAMPLES / "rembi-study.yaml", js)
    assert (a.status, b.status) == ("ingested", "ingested")
    assert b.kind == "REMBI"
    assert isomorphic(graph_of(mem, a.graph or ""), graph_of(mem, b.graph or ""))


def test_csv_study_is_placed_linked_and_its_terms_resolved_or_reported(mem: EmbeddedStore) -> None:
    (out,) = ingest(mem, FIX / "study.csv")
    assert out.status == "ingested", out.error
    assert out.kind == "REMBI"
    g = out.graph
    # one study, its author with the organisation, one component holding every part
    got = rows(
        mem,
        f"""SELECT ?title ?author ?org ?comp WHERE {{ GRAPH <{g}> {{
        ?s a bkg:Study ; dct:title ?title ; <http://schema.org/author> ?a ; dct:hasPart ?c .
        ?a <http://schema.org/name> ?author ; <http://schema.org/affiliation>/<http://schema.org/name> ?org .
        ?c <http://schema.org/name> ?comp ; bkg:biosample ?b ; bkg:specimen ?sp ; bkg:imageAcquisition ?acq ;
           bkg:imageData ?img .
        ?sp bkg:fromBiosample ?b . ?img bkg:fromSpecimen ?sp ; bkg:acquiredBy ?acq ; bkg:fromBiosample ?b . }} }}""",
    )
    assert got == [
        [
            "Mitochondrial networks in starved yeast",
            "Ana Example",
            "Example Institute",
            "Starvation time course",
        ]
    ]
    # the imaging method is one of the schema's values: its FBbi term; the organism stays text
    (method,) = rows(mem, f"SELECT ?m WHERE {{ GRAPH <{g}> {{ ?a bkg:imagingMethod ?m }} }}")
    assert method == [OBO + "FBbi_00000253"]
    assert [(u.field, u.value) for u in out.unresolved] == [("organism_name", "Saccharomyces cerevisiae")]
    noted = rows(mem, f"SELECT ?n WHERE {{ GRAPH <{g}> {{ <{g}> bkg:unresolvedTerm ?n }} }}")
    assert len(noted) == 1 and "Saccharomyces cerevisiae" in noted[0][0]
    # the signal channel is an object of the specimen
    (ch,) = rows(
        mem, f"SELECT ?m WHERE {{ GRAPH <{g}> {{ ?s bkg:signalChannel/bkg:signalContrastMechanism ?m }} }}"
    )
    assert ch == ["GFP fusion"]


def test_reingest_is_idempotent_and_iris_are_stable(mem: EmbeddedStore, tmp_path: Path) -> None:
    csv = tmp_path / "study.csv"
    shutil.copy(FIX / "study.csv", csv)
    (first,) = ingest(mem, csv)
    named = "SELECT ?s WHERE { GRAPH ?g { ?s a ?t } FILTER(isIRI(?s)) }"
    iris = sorted(r[0] for r in rows(mem, named))
    (again,) = ingest(mem, csv)
    assert again.status == "unchanged"
    csv.write_text(
        csv.read_text(encoding="utf-8").replace("mitochondria\n", "mitochondrial dynamics\n"),
        encoding="utf-8",
    )
    (changed,) = ingest(mem, csv)
    assert changed.status == "ingested" and changed.graph == first.graph
    assert sorted(r[0] for r in rows(mem, named)) == iris
    assert rows(
        mem, "SELECT (COUNT(?k) AS ?n) WHERE { GRAPH ?g { ?s <http://schema.org/keywords> ?k } }"
    ) == [["2"]]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        (
            "bad-date.yaml",
            "bad-date.yaml, element Study: release_date: 'next spring' is not a date (expected a date as YYYY-MM-DD)",
        ),
        (
            "bad-reference.yaml",
            "element Study/components[0]/specimens[0]: biosample: refers to 'b2', which no Biosample in this document has as its id (expected one of: b1)",
        ),
    ],
)
def test_bad_documents_fail_naming_file_field_and_expectation_and_change_nothing(
    mem: EmbeddedStore, name: str, words: str
) -> None:
    ingest(mem, EXAMPLES / "instrument-tier1.yaml")
    before = mem.stats()
    (out,) = ingest(mem, FIX / name)
    assert out.status == "failed"
    assert words in (out.error or "")
    assert mem.stats() == before


def test_bad_values_in_csv_and_instruments_name_line_and_field(mem: EmbeddedStore, tmp_path: Path) -> None:
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("section,id,field,value\nStudy,,title,T\nBiosample,b,colour,blue\n", encoding="utf-8")
    bad_scope = tmp_path / "scope.yaml"
    doc = yaml.safe_load((EXAMPLES / "instrument-tier1.yaml").read_text(encoding="utf-8"))
    doc["objectives"][0]["lens_na"] = "high"
    bad_scope.write_text(yaml.safe_dump(doc), encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("title: x\nlicense: CC0-1.0\ncomponents: [\n", encoding="utf-8")
    a, b, c = ingest(mem, bad_csv, bad_scope, broken)
    assert "bad.csv, line 3: Biosample has no field 'colour' (expected one of: biological_entity" in (
        a.error or ""
    )
    assert "element Instrument/objectives[0]: lens_na: 'high' is not a number (expected a number)" in (
        b.error or ""
    )
    assert c.status == "failed" and "broken.yaml, line 4: not valid YAML" in (c.error or "")
    assert rows(mem, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == [["0"]]


def test_unknown_keys_are_reported_not_dropped(mem: EmbeddedStore, tmp_path: Path) -> None:
    doc = yaml.safe_load((EXAMPLES / "rembi-study.yaml").read_text(encoding="utf-8"))
    doc["favourite_colour"] = "blue"
    doc["components"][0]["biosamples"][0]["strain"] = "CCL-2"
    p = tmp_path / "study.yaml"
    p.write_text(yaml.safe_dump(doc), encoding="utf-8")
    (out,) = ingest(mem, p)
    assert out.status == "ingested"
    assert {(u.element, u.field, u.value) for u in out.unmapped} == {
        ("Study", "favourite_colour", "blue"),
        ("Study/components[0]/biosamples[0]", "strain", "CCL-2"),
    }
    notes = {r[0] for r in rows(mem, f"SELECT ?n WHERE {{ GRAPH <{out.graph}> {{ ?g bkg:unmapped ?n }} }}")}
    assert notes == {"Study/favourite_colour = blue", "Study/components[0]/biosamples[0]/strain = CCL-2"}


# -- instruments --------------------------------------------------------------------------------


def test_instruments_ingest_and_validate_against_the_nbo_tiers(mem: EmbeddedStore) -> None:
    outs = ingest(
        mem,
        EXAMPLES / "instrument-tier1.yaml",
        EXAMPLES / "instrument-tier2.yaml",
        FIX / "instrument-bad-tier1.yaml",
    )
    assert [o.kind for o in outs] == ["Instrument"] * 3 and all(o.status == "ingested" for o in outs)
    tier1 = validate_store(mem, shapes_paths=shape_files(["nbo-tier1"]))
    v1 = {(f.source, f.focus_type, f.field) for f in tier1.findings if f.severity == "violation"}
    assert v1 == {
        ("instrument-bad-tier1.yaml", "objective", "numerical aperture"),
        ("instrument-bad-tier1.yaml", "detector", "detector type"),
    }
    tier2 = validate_store(mem, shapes_paths=shape_files(["nbo-tier2"]))
    v2 = {(f.source, f.focus_type, f.field) for f in tier2.findings if f.severity == "violation"}
    assert ("instrument-tier1.yaml", "objective", "working distance") in v2
    assert not {x for x in v2 if x[0] == "instrument-tier2.yaml"}


# -- names in real submissions ------------------------------------------------------------------


def test_names_are_normalised_for_case_spacing_punctuation_and_number() -> None:
    same = [
        "Image acquisition parameters",
        "ImageAcquisitionParameters",
        "image_acquisition_parameter",
        " IMAGE  acquisition-Parameters ",
    ]
    assert len({normalise_name(n) for n in same}) == 1
    assert normalise_name("E-mail") == normalise_name("Email") == "email"
    assert normalise_name("Keywords") == normalise_name("keyword")
    assert normalise_name("Address") == "address"  # "ss" stays
    al = aliases()
    assert (
        al.sections[normalise_name("Organization")]
        == al.sections[normalise_name("organisation")]
        == "Organisation"
    )
    assert (
        taxon_iri("NCBI:txid45351")
        == taxon_iri("NCBITaxon_45351")
        == taxon_iri("45351")
        == OBO + "NCBITaxon_45351"
    )
    assert fbbi_iri("fbbi_00000251") == fbbi_iri("FBbi:00000251") == OBO + "FBbi_00000251"
    assert taxon_iri("Homo sapiens") is None


def _submission(tmp_path: Path, file_list: list[dict[str, Any]] | None) -> Path:
    """A BioStudies submission written for the tests: variant spellings on purpose."""
    sub = {
        "accno": "S-TESTBS1",
        "attributes": [
            {"name": "ReleaseDate", "value": "2024-07-01"},
            {"name": "AttachTo", "value": "BioImages"},
        ],
        "section": {
            "type": "Study",
            "attributes": [
                {"name": "Title", "value": "HeLa z-stacks"},
                {"name": "Description", "value": "Confocal z-stacks of HeLa cells."},
                {"name": "License", "value": "CC BY 4.0"},
                {"name": "Keyword", "value": "HeLa"},
                {"name": "keywords", "value": "confocal"},
                {"name": "Favourite colour", "value": "blue"},
            ],
            "subsections": [
                {
                    "type": "Author",
                    "attributes": [
                        {"name": "Name", "value": "Ada Example"},
                        {"name": "e-mail", "value": "ada@example.org"},
                        {"name": "ORCID", "value": "0000-0002-1825-0097"},
                        {"name": "affiliation", "value": "o1", "reference": True},
                    ],
                },
                {
                    "accno": "o1",
                    "type": "ORGANIZATION",
                    "attributes": [{"name": "Name", "value": "Example Institute"}],
                },
                {
                    "accno": "Biosample-1",
                    "type": "biosample",
                    "attributes": [
                        {"name": "Title", "value": "HeLa"},
                        {
                            "name": "Organism",
                            "value": "Homo sapiens (human)",
                            "valqual": [
                                {"name": "Ontology", "value": "NCBITaxon"},
                                {"name": "TermId", "value": "9606"},
                            ],
                        },
                        {"name": "Biological Entity", "value": "HeLa cells"},
                    ],
                },
                {
                    "accno": "Specimen-2",
                    "type": "Specimen",
                    "attributes": [
                        {"name": "Title", "value": "Fixed"},
                        {"name": "Sample Preparation Protocol", "value": "Fixed in 4% PFA."},
                    ],
                },
                {
                    "accno": "Image acquisition-3",
                    "type": "IMAGE ACQUISITION",
                    "attributes": [
                        {"name": "Title", "value": "Confocal"},
                        {"name": "Imaging Instrument", "value": "Zeiss LSM 880"},
                        {"name": "Imaging method", "value": "Confocal Microscopy"},
                    ],
                },
                {
                    "accno": "Mystery-9",
                    "type": "Mystery section",
                    "attributes": [{"name": "Colour", "value": "red"}],
                },
                {
                    "accno": "Study Component-4",
                    "type": "Study component",
                    "attributes": [
                        {"name": "Name", "value": "Z-stacks"},
                        {"name": "Description", "value": "Three z-stacks."},
                        {"name": "File List", "value": "files.json"},
                    ],
                    "subsections": [
                        {
                            "type": "Associations",
                            "attributes": [
                                {"name": "Biosample", "value": "HeLa"},
                                {"name": "Specimen", "value": "fixed"},
                                {"name": "Image Acquisition", "value": "Confocal"},
                            ],
                        }
                    ],
                },
            ],
        },
        "type": "submission",
    }
    folder = tmp_path / "submission"
    folder.mkdir()
    p = folder / "S-TESTBS1.json"
    p.write_text(json.dumps(sub), encoding="utf-8")
    if file_list is not None:
        (folder / "files.json").write_text(json.dumps(file_list), encoding="utf-8")
    return p


def test_biostudies_variant_names_are_placed_and_the_rest_reported(
    mem: EmbeddedStore, tmp_path: Path
) -> None:
    p = _submission(tmp_path, None)
    (out,) = ingest(mem, p)
    assert out.status == "ingested" and out.kind == "BioStudies", out.error
    g = out.graph
    got = rows(
        mem,
        f"""SELECT ?lic ?email ?orcid ?org ?org_term ?method ?b ?sp WHERE {{ GRAPH <{g}> {{
        ?s a bkg:Study ; dct:license ?lic ; <http://schema.org/author> ?a ; dct:hasPart ?c .
        ?a <http://schema.org/email> ?email ; bkg:orcid ?orcid ;
           <http://schema.org/affiliation>/<http://schema.org/name> ?org .
        ?c bkg:biosample ?bs . ?bs bkg:organism ?org_term .
        ?c bkg:imageAcquisition/bkg:imagingMethod ?method .
        ?c bkg:imageData ?img . ?img bkg:fromBiosample/<http://schema.org/name> ?b ;
             bkg:fromSpecimen/<http://schema.org/name> ?sp . }} }}""",
    )
    assert got == [
        [
            "CC-BY-4.0",
            "ada@example.org",
            "https://orcid.org/0000-0002-1825-0097",
            "Example Institute",
            OBO + "NCBITaxon_9606",
            OBO + "FBbi_00000251",
            "HeLa",
            "Fixed",
        ]
    ]
    assert len(rows(mem, f"SELECT ?k WHERE {{ GRAPH <{g}> {{ ?s <http://schema.org/keywords> ?k }} }}")) == 2
    lost = {(u.element, u.field) for u in out.unmapped}
    assert {
        ("Study", "Favourite colour"),
        ("Study", "Mystery section"),
        ("Study/Mystery section[Mystery-9]", "Colour"),
        ("submission", "AttachTo"),
        ("Study/Study component[Study Component-4]", "File List"),
    } <= lost
    assert any("file list not found beside the submission" in u.value for u in out.unmapped)
    notes = rows(mem, f"SELECT ?n WHERE {{ GRAPH <{g}> {{ ?g bkg:unmapped ?n }} }}")
    assert len(notes) == len({str(u) for u in out.unmapped})


def test_biostudies_file_list_links_image_data_to_ingested_ome_images(
    mem: EmbeddedStore, tmp_path: Path
) -> None:
    p = _submission(
        tmp_path,
        [
            {
                "path": "hela-confocal-zstack.ome.xml",
                "size": 12,
                "type": "file",
                "attributes": [
                    {"name": "Md5", "value": "9e107d9d372bb6826bd81d3542a419d6"},
                    {"name": "Stage", "value": "G1"},
                ],
            },
        ],
    )
    ome = p.parent / "hela-confocal-zstack.ome.xml"
    shutil.copy(next(f for f in demo_files() if f.name == ome.name), ome)
    o1, o2 = ingest(mem, ome, p)
    assert (o1.status, o2.status) == ("ingested", "ingested")
    images = {r[0] for r in rows(mem, f"SELECT ?i WHERE {{ GRAPH <{o1.graph}> {{ ?i a ome:Image }} }}")}
    linked = {
        r[0]
        for r in rows(
            mem, f"SELECT ?i WHERE {{ GRAPH <{o2.graph}> {{ ?d a bkg:ImageData ; bkg:omeImage ?i }} }}"
        )
    }
    assert images and linked == images
    (md5,) = rows(
        mem,
        f"SELECT ?m WHERE {{ GRAPH <{o2.graph}> {{ ?f <https://w3id.org/ro/terms/workflow-run#md5> ?m }} }}",
    )
    assert md5 == ["9e107d9d372bb6826bd81d3542a419d6"]
    assert any(u.field == "Stage" and u.value == "G1" for u in o2.unmapped)


def _submissions(shared: Path) -> list[Path]:
    found = sorted((shared / "corpora" / "rembi").rglob("*_original.json"))
    if not found:
        pytest.skip(f"no *_original.json under {shared / 'corpora' / 'rembi'}")
    return found


@pytest.mark.shared
def test_every_real_biostudies_submission_ingests(shared: Path, mem: EmbeddedStore) -> None:
    subs = _submissions(shared)
    outs = ingest(mem, *subs)
    failed = [(o.path, o.error) for o in outs if o.status != "ingested"]
    assert not failed
    assert all(o.kind == "BioStudies" for o in outs)
    studies = rows(mem, "SELECT ?g (COUNT(?s) AS ?n) WHERE { GRAPH ?g { ?s a bkg:Study } } GROUP BY ?g")
    assert len(studies) == len(subs) and all(n == "1" for _, n in studies)
    # every attribute is placed or reported: the reports are in the graphs too
    for o in outs:
        (n,) = rows(mem, f"SELECT (COUNT(?u) AS ?n) WHERE {{ GRAPH <{o.graph}> {{ ?g bkg:unmapped ?u }} }}")
        assert int(n[0]) == len({str(u) for u in o.unmapped})


@pytest.mark.shared
def test_real_submissions_place_terms_and_are_scored(shared: Path, mem: EmbeddedStore) -> None:
    subs = {p.name.split("_")[0]: p for p in _submissions(shared)}
    needed = {"S-BIAD1261", "S-BIAD590", "S-BIAD628", "S-BIAD15"}
    if not needed <= set(subs):
        pytest.skip(f"missing submissions: {needed - set(subs)}")
    outs = {o.path.name.split("_")[0]: o for o in ingest(mem, *(subs[k] for k in sorted(needed)))}  # type: ignore[union-attr]
    # taxon ids written three ways, and FBbi ids in a nested "Imaging Method" section
    assert rows(mem, f"SELECT ?t WHERE {{ GRAPH <{outs['S-BIAD590'].graph}> {{ ?b bkg:organism ?t }} }}") == [
        [OBO + "NCBITaxon_9606"]
    ]
    assert rows(
        mem, f"SELECT DISTINCT ?t WHERE {{ GRAPH <{outs['S-BIAD628'].graph}> {{ ?b bkg:organism ?t }} }}"
    ) == [[OBO + "NCBITaxon_45351"]]
    assert rows(
        mem, f"SELECT DISTINCT ?m WHERE {{ GRAPH <{outs['S-BIAD628'].graph}> {{ ?a bkg:imagingMethod ?m }} }}"
    ) == [[OBO + "FBbi_00000369"]]
    # the template before REMBI: the experiment's imaging methods become an acquisition
    methods = {
        r[0]
        for r in rows(
            mem, f"SELECT ?m WHERE {{ GRAPH <{outs['S-BIAD15'].graph}> {{ ?a bkg:imagingMethod ?m }} }}"
        )
    }
    assert methods == {OBO + "FBbi_00000246", OBO + "FBbi_00000258", OBO + "FBbi_00000243"}
    assert ("Study", "Study type") in {(u.element, u.field) for u in outs["S-BIAD15"].unmapped}
    # free-text organisms without a term index stay text and are reported
    assert ("organism_name", "Wistar rat") in {(u.field, u.value) for u in outs["S-BIAD1261"].unresolved}

    rep = completeness_store(mem, ["rembi"])
    by_source = {}
    for s in rep.subjects:
        if s.kind == "study":
            by_source[s.source.split("_")[0]] = s.scores["rembi"]
    sc = by_source["S-BIAD1261"]
    assert 0.3 < sc.score < 0.9 and sc.score == sc.present / sc.total
    missing = {(m.object_type, m.field, m.severity) for m in sc.missing}
    # its one author has an e-mail but no name; no funding, no publication; its organism is text only
    assert ("author", "author name", "violation") in missing
    assert ("study", "funding", "warning") in missing
    assert ("study", "related publications", "warning") in missing
    assert ("biosample", "organism term (NCBITaxon)", "warning") in missing
    # S-BIAD590 gives its taxon id: the organism term is not missing there
    assert not [m for m in by_source["S-BIAD590"].missing if m.field == "organism term (NCBITaxon)"]
    assert not rep.complete


# -- RO-Crates ----------------------------------------------------------------------------------


@pytest.mark.shared
def test_bia_ro_crates_ingest_without_network(
    shared: Path, mem: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    crates = sorted((shared / "corpora" / "rembi").rglob("ro-crate-metadata.json"))
    if not crates:
        pytest.skip("no ro-crate-metadata.json in ../shared/corpora/rembi")

    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the RO-Crate reader tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    outs = ingest(mem, *crates)
    assert [(o.path, o.error) for o in outs if o.status != "ingested"] == []
    assert all(o.kind == "RO-Crate" for o in outs)
    wing = next(o for o in outs if "S-BIAD843" in str(o.path))
    g = wing.graph
    got = rows(
        mem,
        f"""SELECT ?title ?acc ?organism ?name WHERE {{ GRAPH <{g}> {{
        ?s a bkg:Study ; dct:title ?title ; dct:identifier ?acc ; dct:hasPart/bkg:biosample ?b .
        ?b bkg:organism ?organism ; bkg:organismName ?name }} }}""",
    )
    assert set(map(tuple, got)) == {
        (
            "3D cell shape of Drosophila Wing Disc",
            "S-BIAD843",
            OBO + "NCBITaxon_7227",
            "Drosophila melanogaster",
        )
    }
    methods = {r[0] for r in rows(mem, f"SELECT ?m WHERE {{ GRAPH <{g}> {{ ?a bkg:imagingMethod ?m }} }}")}
    assert methods == {OBO + "FBbi_00000251", OBO + "FBbi_00000254"}
    files = rows(
        mem,
        f"""SELECT ?p WHERE {{ GRAPH <{g}> {{ ?d a bkg:ImageData ; <http://schema.org/name> "Confocal fluorescence images" ;
        <http://schema.org/hasPart>/bkg:filePath ?p }} }} ORDER BY ?p""",
    )
    assert [r[0].rsplit("/", 1)[-1] for r in files] == [
        "WD1_15-02_WT_confocalonly.ome.zarr.zip",
        "WD2.1_21-02_WT_confocalonly.ome.zarr.zip",
    ]
    # what the crate says that has no place is reported (its genotype association property)
    assert ("_:a0", "genotype") in {(u.element, u.field) for u in wing.unmapped}


def test_a_remote_context_is_refused_and_changes_nothing(mem: EmbeddedStore, tmp_path: Path) -> None:
    crate = tmp_path / "ro-crate-metadata.json"
    crate.write_text(
        json.dumps(
            {
                "@context": [
                    "https://w3id.org/ro/crate/1.1/context",
                    "https://example.org/evil-context.jsonld",
                ],
                "@graph": [{"@id": "./", "@type": ["Dataset", "bia:Study"], "name": "x"}],
            }
        ),
        encoding="utf-8",
    )
    (out,) = ingest(mem, crate)
    assert out.status == "failed"
    assert (
        "element @context: the @context names 'https://example.org/evil-context.jsonld', which is never fetched"
        in (out.error or "")
    )
    assert rows(mem, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == [["0"]]


# -- terms --------------------------------------------------------------------------------------


def test_without_a_term_index_only_the_schema_values_resolve() -> None:
    r = TermResolver(None)
    assert r.imaging_method("  Spinning disk confocal   microscopy ") == OBO + "FBbi_00000253"
    assert r.imaging_method("FRAP") is None
    assert r.organism("Homo sapiens (human)") is None


def test_ingestor_reads_documents_through_one_mapper(mem: EmbeddedStore) -> None:
    ing = Ingestor(mem, Settings(store_path=Path("unused")))
    assert ing.document_mapper is ing.document_mapper
    assert ing.document_mapper.resolver.index is None  # no term index was built for this store


@pytest.mark.shared
def test_with_the_ontology_layer_free_text_resolves_to_exact_terms(shared: Path, tmp_path: Path) -> None:
    """The real ontology layer: FBbi and NCBITaxon from the mirror, the term index built for the
    store; then "Homo sapiens (human)" and "FRAP" become terms, "TIRF" (no such label) stays text."""
    from kg.ontology.fetch import fetch_ontologies
    from kg.ontology.index import TermIndex, default_cache_path, extracts_dir

    mirror = shared / "ontologies"
    subs = shared / "corpora/rembi/bia-integrator/bia-ingest/submission_overrides/biostudies"
    files = [subs / "S-BIAD1043/S-BIAD1043_original.json", subs / "S-BIAD1201/S-BIAD1201_original.json"]
    if not (mirror / "manifest.json").is_file() or not all(f.is_file() for f in files):
        pytest.skip("the ontology mirror or the submissions are absent from ../shared")
    path = tmp_path / "store"
    store = EmbeddedStore(path)
    try:
        cache = default_cache_path(path)
        rep = fetch_ontologies(
            store, source=str(mirror), only=["fbbi", "ncbitaxon"], extracts=extracts_dir(cache)
        )
        assert rep.ok, [o.error for o in rep.outcomes]
        TermIndex.open(store, cache)  # built and cached next to the store, as `kg terms` does
        outs = ingest_paths(store, Settings(store_path=path), files).outcomes
        assert [o.status for o in outs] == ["ingested", "ingested"]
        hela, talin = outs
        assert not [u for u in hela.unresolved if u.field == "organism_name"]
        assert rows(
            store, f"SELECT DISTINCT ?t WHERE {{ GRAPH <{hela.graph}> {{ ?b bkg:organism ?t }} }}"
        ) == [[OBO + "NCBITaxon_9606"]]
        methods = {
            r[0]
            for r in rows(store, f"SELECT ?m WHERE {{ GRAPH <{talin.graph}> {{ ?a bkg:imagingMethod ?m }} }}")
        }
        assert methods == {OBO + "FBbi_00000366"}  # FRAP
        assert ("imaging_method_name", "TIRF") in {(u.field, u.value) for u in talin.unresolved}
    finally:
        store.close()
