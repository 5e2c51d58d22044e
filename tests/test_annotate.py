"""The annotation engine over real ontologies from ../shared/ontologies (FBbi, UO, NCBITaxon slim,
CL, PATO, ChEBI slim): key-aware suggestions with reasons, obsolete terms, the mapping memory as
SSSOM (every file of ../shared/corpora/sssom), annotations from the graph, `kg terms check`, and
precision/recall against the project's gold set."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml

from kg.namespaces import BKG, OBO, OWL
from kg.ontology.annotate import (
    ANNOTATIONS_GRAPH,
    Annotations,
    Annotator,
    apply_memory,
    evaluate,
    graph_values,
    read_gold,
    split_key_value,
)
from kg.ontology.check import apply_replacements, check_terms
from kg.ontology.fields import default_fields
from kg.ontology.index import TermIndex, default_cache_path
from kg.ontology.memory import (
    MEMORY_GRAPH,
    SLOT_PROPERTIES,
    Decision,
    MappingMemory,
    SSSOMError,
    curator_iri,
    read_sssom,
)
from kg.store import EmbeddedStore

from .annotation_support import copy_store, ome_with_pairs, template_store
from .conftest import FIXTURES, SHARED, rows

BASE = "http://localhost:8000/id/"
FBBI = OBO + "FBbi_"
SSSOM_CORPUS = SHARED / "corpora" / "sssom"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmbeddedStore, TermIndex, Path]]:
    path = copy_store(template_store(tmp_path_factory), tmp_path_factory.mktemp("annotate"))
    store = EmbeddedStore(path)
    yield store, TermIndex.open(store, default_cache_path(path)), path
    store.close()


@pytest.fixture
def memory(loaded: tuple[EmbeddedStore, TermIndex, Path]) -> Iterator[MappingMemory]:
    store = loaded[0]
    yield MappingMemory(store, BASE, default_fields())
    store.drop_graph(ox.NamedNode(MEMORY_GRAPH))


def top(annotator: Annotator, text: str, key: str | None = None) -> tuple[str, str, bool | None]:
    s = annotator.suggest(text, key).top
    assert s is not None, f"no suggestion for {key}: {text}"
    return s.term.curie, s.reason, s.fits


# -- fields ---------------------------------------------------------------------------------------


def test_keys_pick_fields() -> None:
    fields = default_fields()
    cases = {
        "organism": "organism",
        "Study Organism": "organism",
        "Characteristics [Organism Part]": "anatomy",
        "Screen Imaging Method": "imaging_method",
        "AcquisitionMode": "acquisition_mode",
        "Cell Line": "cell_line",
        "cell type": "cell_type",
        "Channel content": "stain",
        "PhysicalSizeXUnit": "unit",
        "Tissue": "anatomy",
        "Sex": "sex",
    }
    assert {k: getattr(fields.resolve(k), "name", None) for k in cases} == cases
    assert fields.resolve("Comment") is None and fields.resolve("") is None
    assert split_key_value("organism: Homo sapiens") == ("organism", "Homo sapiens")
    assert split_key_value("NCBITaxon:9606") == (None, "NCBITaxon:9606")


# -- suggestions ----------------------------------------------------------------------------------


def test_issue_examples(loaded: tuple[EmbeddedStore, TermIndex, Path]) -> None:
    annotator = Annotator(loaded[1])
    curie, reason, fits = top(annotator, *reversed(split_key_value("organism: Homo sapiens")))
    assert (curie, fits) == ("NCBITaxon:9606", True)
    assert 'label "Homo sapiens" equals the query' in reason and "fits organism" in reason
    res = annotator.suggest("spinning disk", "imaging method")
    assert res.field_name == "imaging_method"
    assert res.suggestions[0].term.curie == "FBbi:00000253"
    assert res.suggestions[0].fits is True
    # the illumination method with the closer label is there, demoted, and says why
    other = next(s for s in res.suggestions if s.term.curie == "FBbi:00000288")
    assert other.fits is False and "NOT under FBbi:00000222" in other.reason
    assert other.score < res.suggestions[0].score
    # without a key nothing says it must be an imaging method: the closer label wins
    assert top(annotator, "spinning disk")[0] == "FBbi:00000288"


def test_key_decides_the_ontology(loaded: tuple[EmbeddedStore, TermIndex, Path]) -> None:
    annotator = Annotator(loaded[1])
    assert top(annotator, "ms", "ExposureTimeUnit")[0] == "UO:0000028"  # not mass spectrometry
    assert top(annotator, "µm", "PhysicalSizeXUnit")[0] == "UO:0000017"  # not micromolar
    assert top(annotator, "male", "Sex")[0] == "PATO:0000384"
    assert top(annotator, "DAPI", "stain")[0] in ("CHEBI:51231", "FBbi:00000056")
    assert top(annotator, "T-lymphocyte", "cell type")[0] == "CL:0000084"
    assert top(annotator, "mouse", "organism")[0] == "NCBITaxon:10090"  # species over the genus Mus
    assert top(annotator, "Homo sapiens (human)", "Organism")[0] == "NCBITaxon:9606"
    curie, reason, _ = top(annotator, "C. elegans", "organism")
    assert curie == "NCBITaxon:6239" and "genus Caenorhabditis" in reason
    curie, reason, _ = top(annotator, "TIRF", "imaging method")
    assert curie == "FBbi:00000617" and "mappings/sssom/ome-acquisition-mode.sssom.tsv" in reason
    curie, reason, _ = top(annotator, "SIM", "imaging method")
    assert curie == "FBbi:00000332" and "parenthesis" in reason


def test_obsolete_terms_give_way_or_are_demoted(loaded: tuple[EmbeddedStore, TermIndex, Path]) -> None:
    index = loaded[1]
    old = index.get("CL:0000054")
    assert old is not None and old.obsolete and old.replaced_by == OBO + "CL_0000062"
    s = Annotator(index).suggest("bone matrix secreting cell", "cell type").top
    assert s is not None and s.term.curie == "CL:0000062"
    assert s.replaces == OBO + "CL_0000054"
    assert "CL:0000054 is obsolete, replaced by CL:0000062" in s.reason
    # FBbi's obsolete terms name no replacement: still suggested, demoted, and said so
    res = Annotator(index).suggest("wide field light micrograph")
    hit = next(x for x in res.suggestions if x.term.curie == "FBbi:00000242")
    assert hit.term.obsolete and "names no replacement" in hit.reason and hit.score <= 0.5


def test_memory_comes_first_and_rejections_keep_terms_out(
    loaded: tuple[EmbeddedStore, TermIndex, Path], memory: MappingMemory
) -> None:
    index = loaded[1]
    who, name = curator_iri("Jane Doe", BASE)
    memory.add(
        [
            Decision("SD confocal", FBBI + "00000253", key="Imaging Method", curator=who, curator_label=name,
                     confidence=0.9, date="2026-01-02", term_label="spinning disk confocal microscopy"),
            Decision("spinning disk", FBBI + "00000288", curator=who, curator_label=name, negated=True),
        ]
    )  # fmt: skip
    annotator = Annotator(index, MappingMemory(loaded[0], BASE, default_fields()))
    s = annotator.suggest("SD Confocal", "imaging method").top  # same field, other spelling of the key
    assert s is not None and (s.term.curie, s.source) == ("FBbi:00000253", "memory")
    assert (
        "by Jane Doe on 2026-01-02" in s.reason and s.record_id and s.record_id.startswith(BASE + "mapping/")
    )
    res = annotator.suggest("spinning disk")
    assert "FBbi:00000288" not in [x.term.curie for x in res.suggestions]
    assert res.rejected and "FBbi:00000288" in res.rejected[0]
    # deciding again replaces the decision (same key, text and term), it does not add one
    memory.add(
        [Decision("SD confocal", FBBI + "00000253", key="imaging method", curator=who, confidence=1.0)]
    )
    assert len([d for d in memory.decisions() if d.text == "SD confocal"]) == 1


# -- the memory as SSSOM --------------------------------------------------------------------------


def test_memory_round_trips_as_standard_sssom(
    loaded: tuple[EmbeddedStore, TermIndex, Path], memory: MappingMemory
) -> None:
    import sssom_pydantic

    who, name = curator_iri("Jane Doe", BASE)
    memory.add(
        [
            Decision("spinning disk", FBBI + "00000253", key="Imaging Method", curator=who, curator_label=name,
                     confidence=0.95, date="2026-01-02", ontology_version="2020-11-06", comment="checked"),
            Decision("HeLa", OBO + "CL_0000000", curator=curator_iri("0000-0002-1825-0097", BASE)[0],
                     negated=True),
        ]
    )  # fmt: skip
    buf = io.StringIO()
    assert memory.export(buf) == 2
    text = buf.getvalue()
    meta = yaml.safe_load("".join(ln[1:] + "\n" for ln in text.splitlines() if ln.startswith("#")))
    assert meta["mapping_set_id"] and meta["license"] and meta["curie_map"]["FBbi"] == FBBI
    assert meta["extension_definitions"][0]["slot_name"] == "metadata_key"
    header = next(ln for ln in text.splitlines() if not ln.startswith("#")).split("\t")
    assert {"subject_label", "subject_type", "predicate_id", "object_id", "author_id", "mapping_date",
            "confidence", "object_source_version", "predicate_modifier", "metadata_key"} <= set(header)  # fmt: skip
    # another SSSOM implementation reads it, with no error
    mappings, _conv, _ms, errors = sssom_pydantic.read(io.StringIO(text), return_errors=True)
    assert not errors and len(mappings) == 2
    # and it comes back exactly
    back = read_sssom("memory.sssom.tsv", text=text)
    assert sorted(back.decisions, key=lambda d: d.text) == sorted(memory.decisions(), key=lambda d: d.text)


def test_slot_properties_follow_the_sssom_schema(shared: Path) -> None:
    schema = yaml.safe_load((SSSOM_CORPUS / "sssom/src/sssom_schema/schema/sssom_schema.yaml").read_text())
    prefixes = {"owl": OWL, **schema["prefixes"]}  # owl: comes with LinkML's own prefixes
    for slot, prop in SLOT_PROPERTIES.items():
        uri = schema["slots"][slot].get("slot_uri")
        expected = (
            prefixes[uri.split(":")[0]] + uri.split(":")[1] if uri else "https://w3id.org/sssom/" + slot
        )
        assert prop == expected, slot


def test_every_sssom_file_of_the_corpus_reads_or_is_refused_with_a_reason(shared: Path) -> None:
    files = sorted(SSSOM_CORPUS.rglob("*.tsv"))
    assert len(files) >= 60
    read, refused = {}, {}
    for f in files:
        try:
            rep = read_sssom(f)
        except SSSOMError as exc:
            assert str(f) in str(exc)
            refused[str(f.relative_to(SSSOM_CORPUS))] = str(exc)
            continue
        assert rep.rows == len(rep.decisions) + len(rep.skipped), f  # every row accounted for
        assert all(s.startswith("line ") for s in rep.skipped)
        read[str(f.relative_to(SSSOM_CORPUS))] = rep
    assert len(read) >= 50
    # files that are not valid SSSOM, each with its reason
    assert "mapping_justification 'Lexical' is not a CURIE" in refused["sssom-py/tests/data/bad_basic.tsv"]
    assert "lacks mapping_justification" in refused["sssom-py/tests/data/basic_strict_fail.tsv"]
    assert "not valid YAML" in refused["sssom-py/tests/data/test_validation1.sssom.tsv"]
    assert "not an SSSOM mapping table" in refused["sssom-py/tests/data/basic.ptable.tsv"]
    assert "prefix 'y1' is not declared" in refused["sssom-py/tests/data/test_clean_prefix.tsv"]
    assert "predicate_id 'noMatch' is not a CURIE" in refused["sssom-py/tests/data/bosch-wd-matches.tsv"]
    # literal mappings (no subject_id) are what the memory is made of
    lit = read["sssom/examples/schema/literals.sssom.tsv"]
    assert [d.text for d in lit.decisions] == ["alice", "bob", "daphne", "eve"]
    assert lit.decisions[0].term == "https://example.com/entities/0011"
    # external metadata beside the table; a missing mapping_set_id is named, with a note
    assert "metadata read from example1.sssom.yml" in read["sssom/examples/external/example1.sssom.tsv"].notes
    assert any("no mapping_set_id" in n for n in read["sssom/examples/schema/version.sssom.tsv"].notes)
    assert read["sssom-py/tests/data/trailing-tabs.sssom.tsv"].decisions
    # rows that are valid SSSOM but no decision are listed with the reason
    assert any(
        "NoTermFound" in s for s in read["sssom-py/tests/data/cardinality-with-NoTermFound.sssom.tsv"].skipped
    )
    assert any(
        "is a literal, not a term" in s for s in read["sssom-py/tests/data/literals.sssom.tsv"].skipped
    )


# -- values in the graph, annotations, the memory reused ---------------------------------------


def _ingest(store: EmbeddedStore, tmp_path: Path, pairs: list[tuple[str, str]], mode: str) -> None:
    from kg.config import Settings
    from kg.ingest import ingest_paths

    src = tmp_path / "pairs.ome.xml"
    src.write_text(ome_with_pairs(pairs, acquisition_mode=mode), encoding="utf-8")
    report = ingest_paths(store, Settings(store_path=tmp_path / "unused", base_iri=BASE), [src])
    assert report.ok, [o.error for o in report.outcomes]


def test_graph_values_and_reusing_the_memory(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = copy_store(template_store(tmp_path_factory), tmp_path)
    pairs = [
        ("organism", "Homo sapiens"),
        ("Imaging Method", "spinning disk"),
        ("Comment", "imaged on Tuesday"),
    ]
    store = EmbeddedStore(path)
    try:
        _ingest(store, tmp_path, pairs, "SpectralImaging")  # no OME table row: an unresolved term
        index = TermIndex.open(store, default_cache_path(path))
        values = graph_values(store)
        found = {(v.key, v.text, v.origin) for v in values}
        assert {(k, t, "key-value pair") for k, t in pairs} <= found
        unresolved = next(v for v in values if v.origin == "unresolved term")
        assert (unresolved.key, unresolved.text) == ("AcquisitionMode", "SpectralImaging")
        assert unresolved.subject and unresolved.property == BKG + "acquisitionModeTerm"
        memory = MappingMemory(store, BASE, default_fields())
        memory.add([Decision("spinning disk", FBBI + "00000253", key="imaging method", curator="Jane Doe")])
        annotator = Annotator(index, memory)
        written, notes = apply_memory(
            store, annotator, Annotations(store, index, BASE), values, curator="Jane Doe"
        )
        assert not notes
        assert [(a.text, a.term) for a in written] == [("spinning disk", FBBI + "00000253")]
        pair = next(v for v in values if v.text == "spinning disk")
        assert written[0].subject == pair.subject and written[0].from_decision
        got = rows(
            store,
            f"SELECT ?t ?who ?from WHERE {{ GRAPH <{ANNOTATIONS_GRAPH}> {{ <{pair.subject}> bkg:valueTerm ?t . "
            f"?a owl:annotatedSource <{pair.subject}> ; prov:wasAttributedTo ?who ; prov:wasDerivedFrom ?from }} }}",
        )
        assert got == [[FBBI + "00000253", BASE + "curator/jane-doe", written[0].from_decision]]
        # annotated values are no longer listed
        assert "spinning disk" not in {v.text for v in graph_values(store)}
    finally:
        store.close()


def test_annotation_checks_refuse_and_write_nothing(
    loaded: tuple[EmbeddedStore, TermIndex, Path], tmp_path: Path
) -> None:
    store, index, _ = loaded
    graph = ox.NamedNode("urn:x-test:pairs")
    m = ox.NamedNode(BASE + "test/pair/1")
    store.replace_graph(
        graph,
        [
            ox.Quad(m, ox.NamedNode("https://ld.openmicroscopy.org/core/k"), ox.Literal("organism"), graph),
            ox.Quad(m, ox.NamedNode("https://ld.openmicroscopy.org/core/value"), ox.Literal("HeLa"), graph),
        ],
    )
    ann = Annotations(store, index, BASE)
    before = store.stats()
    from kg.ontology.annotate import AnnotationRejected

    cases = {
        "FBbi:00000253": "is not under NCBITaxon:1",  # an imaging method for an organism
        "FBbi:00000242": "is obsolete",
        "FBbi:99999999": "not a term of the loaded ontologies",
    }
    for term, words in cases.items():
        with pytest.raises(AnnotationRejected, match=words):
            ann.create(m.value, BKG + "valueTerm", term, curator="Jane")
    with pytest.raises(AnnotationRejected, match="nothing is known about the subject"):
        ann.create(BASE + "test/nowhere", BKG + "valueTerm", "NCBITaxon:9606", curator="Jane")
    with pytest.raises(AnnotationRejected, match="not one that takes ontology terms"):
        ann.create(m.value, "http://example.org/anything", "NCBITaxon:9606", curator="Jane")
    assert store.stats() == before
    a = ann.create(m.value, BKG + "valueTerm", "NCBITaxon:9606", curator="Jane", text="HeLa")
    assert ann.list(subject=m.value) == [a] and a.iri == ann.iri_for(
        m.value, BKG + "valueTerm", OBO + "NCBITaxon_9606"
    )
    assert ann.delete(a.iri) == a and ann.list(subject=m.value) == []
    assert store.stats() == before
    store.drop_graph(graph)


# -- kg terms check ------------------------------------------------------------------------------


def test_terms_check_finds_each_kind_and_applies_replacements(
    loaded: tuple[EmbeddedStore, TermIndex, Path],
) -> None:
    store, index, _ = loaded
    g = ox.NamedNode("urn:x-test:check")
    N, L = ox.NamedNode, ox.Literal
    s = [N(BASE + f"test/check/{i}") for i in range(6)]
    store.replace_graph(
        g,
        [
            ox.Quad(s[0], N(BKG + "valueTerm"), N(OBO + "CL_0000054"), g),  # obsolete, replaced by CL:0000062
            ox.Quad(s[1], N(BKG + "organism"), N(FBBI + "00000253"), g),  # an imaging method as organism
            ox.Quad(s[2], N(BKG + "imagingMethod"), N(FBBI + "99999999"), g),  # no such FBbi term
            ox.Quad(s[3], N(BKG + "valueTerm"), N(OBO + "UBERON_0002107"), g),  # UBERON is not loaded
            ox.Quad(s[4], N(BKG + "imagingMethod"), N(FBBI + "00000242"), g),  # obsolete, no replacement
            ox.Quad(s[5], N(OWL + "annotatedTarget"), N(FBBI + "00000253"), g),  # a label copy that drifted
            ox.Quad(s[5], N(BKG + "termLabel"), L("spinning disk confocal"), g),
        ],
    )
    memory = MappingMemory(store, BASE)
    memory.add([Decision("bone matrix secreting cell", OBO + "CL_0000054", curator="Jane Doe", negated=True)])
    try:
        report = check_terms(store, index)
        kinds = {(f.kind, f.curie) for f in report.findings}
        assert {("obsolete", "CL:0000054"), ("branch", "FBbi:00000253"), ("unknown", "FBbi:99999999"),
                ("not loaded", "UBERON:0002107"), ("obsolete", "FBbi:00000242"), ("drift", "FBbi:00000253")} <= kinds  # fmt: skip
        obsolete = next(f for f in report.findings if f.curie == "CL:0000054")
        assert obsolete.replacement == OBO + "CL_0000062" and "replaced by CL:0000062" in obsolete.message
        assert (
            "names no replacement" in next(f for f in report.findings if f.curie == "FBbi:00000242").message
        )
        applied = apply_replacements(store, report, curator="Jane Doe", base_iri=BASE)
        assert (applied.terms, applied.replaced) == (1, 1)
        assert any("mapping memory" in k for k in applied.skipped)  # a reviewed decision stays as made
        got = rows(
            store,
            "SELECT ?new ?old ?who ?when WHERE { GRAPH <urn:x-test:check> { "
            f"<{s[0].value}> bkg:valueTerm ?new . ?r a bkg:TermReplacement ; owl:annotatedSource <{s[0].value}> ; "
            "bkg:replacedTerm ?old ; prov:wasAttributedTo ?who ; prov:generatedAtTime ?when } }",
        )
        assert len(got) == 1 and got[0][:3] == [
            OBO + "CL_0000062",
            OBO + "CL_0000054",
            BASE + "curator/jane-doe",
        ]
        after = {(f.kind, f.curie): f for f in check_terms(store, index).findings}
        assert after["obsolete", "CL:0000054"].graphs == [MEMORY_GRAPH]  # only the memory still names it
        assert ("obsolete", "FBbi:00000242") in after
        assert rows(
            store, f"SELECT ?t WHERE {{ GRAPH <{MEMORY_GRAPH}> {{ ?r owl:annotatedTarget ?t }} }}"
        ) == [[OBO + "CL_0000054"]]
    finally:
        store.drop_graph(g)
        store.drop_graph(ox.NamedNode(MEMORY_GRAPH))


# -- the CLI --------------------------------------------------------------------------------------


def test_cli_annotate_import_and_check(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, shared: Path
) -> None:
    """The real commands, run in this process (typer's runner) to save interpreter start-ups."""
    from typer.testing import CliRunner

    from kg.cli import app

    path = copy_store(template_store(tmp_path_factory), tmp_path)
    runner = CliRunner()

    def kg(*args: str) -> tuple[int, str]:
        res = runner.invoke(app, ["--store", str(path), *args])
        return res.exit_code, res.stdout

    code, out = kg("annotate", "organism: Homo sapiens", "imaging method: spinning disk", "--format", "json")
    assert code == 0, out
    doc = json.loads(out)
    assert [v["suggestions"][0]["curie"] for v in doc["values"]] == ["NCBITaxon:9606", "FBbi:00000253"]
    assert all(v["suggestions"][0]["reason"] for v in doc["values"])
    code, out = kg("mappings", "import", str(SSSOM_CORPUS / "sssom/examples/schema/literals.sssom.tsv"),
                   str(SSSOM_CORPUS / "sssom-py/tests/data/bad_basic.tsv"), "--format", "json")  # fmt: skip
    assert code == 1  # one file refused, the other imported
    doc = json.loads(out)
    assert doc["imported"][0]["decisions"] == 4 and "Lexical" in doc["refused"][0]
    code, out = kg(
        "mappings", "add", "bone matrix secreting cell", "CL:0000054", "--curator", "Jane Doe", "--reject"
    )
    assert code == 0, out
    code, out = kg("terms", "check", "--apply", "--format", "json")
    assert code == 1  # the obsolete term of the rejection stays: the memory is history
    doc = json.loads(out)
    assert [(f["kind"], f["curie"]) for f in doc["findings"]] == [("obsolete", "CL:0000054")]
    assert doc["applied"]["replaced"] == 0 and "mapping memory" in doc["applied"]["skipped"][0]


# -- the gold set -----------------------------------------------------------------------------------


def test_gold_set_precision_and_recall(loaded: tuple[EmbeddedStore, TermIndex, Path]) -> None:
    gold = read_gold(FIXTURES / "gold_annotations.tsv")
    assert len(gold) >= 60
    ev = evaluate(Annotator(loaded[1]), gold)
    # the rows whose terms are in the ontologies loaded here (EFO, UBERON, GO, OBI are not)
    assert ev.values >= 60, ev.skipped
    print(json.dumps({k: v for k, v in ev.as_dict().items() if k != "skipped"}, indent=1))
    assert ev.precision_at_1 >= 0.9, ev.misses
    assert ev.recall_at_1 >= 0.9, ev.misses
    assert ev.recall_at_3 >= 0.9, ev.misses
