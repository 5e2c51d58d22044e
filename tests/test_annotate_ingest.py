"""Later ingests reuse the mapping memory (the `mapping-memory` step of `kg.after_ingest`), stale
annotations after a changed file, and OLS4 as an opt-in source of suggestions.

Real components throughout: FBbi from ../shared/ontologies loaded with `kg ontologies fetch`'s
code (well under a second), OME-XML written for these tests and ingested with `ingest_paths`
(which runs the installed post-ingest steps), and the local OLS4-compatible server of
tests/ols4_server.py (FBbi, UO and PATO from the mirror); nothing touches the internet."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import pyoxigraph as ox
import pytest
import requests

from kg.config import Settings
from kg.ingest import IngestReport, ingest_paths
from kg.namespaces import BKG, OBO, sparql_prologue
from kg.ontology.annotate import (
    ANNOTATIONS_GRAPH,
    AnnotationRejected,
    Annotations,
    Annotator,
    after_ingest,
    stale_annotations,
)
from kg.ontology.fetch import fetch_ontologies
from kg.ontology.index import TermIndex, default_cache_path, extracts_dir
from kg.ontology.memory import Decision, MappingMemory
from kg.ontology.ols import OLSClient, OLSSettings
from kg.store import AskResult, EmbeddedStore, QueryResult, Store, Term

from .annotation_support import MIRROR, copy_store, ome_with_pairs
from .conftest import KgServer, rows
from .ols4_server import OLS4Server

BASE = "http://localhost:8000/id/"
FBBI = OBO + "FBbi_"
SPINNING_DISK = FBBI + "00000253"
FLUORESCENCE = FBBI + "00000246"
VALUE_TERM = BKG + "valueTerm"
STEP = "mapping-memory"
ANN = f"<{ANNOTATIONS_GRAPH}>"


# -- fixtures ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fbbi_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding FBbi only (its index cached beside it), made once for this module."""
    if not (MIRROR / "manifest.json").is_file():
        pytest.skip(f"the ontology mirror is absent ({MIRROR}); set KG_SHARED to the shared folder")
    path = tmp_path_factory.mktemp("fbbi") / "store"
    store = EmbeddedStore(path)
    try:
        cache = default_cache_path(path)
        report = fetch_ontologies(store, source=str(MIRROR), only=["fbbi"], extracts=extracts_dir(cache))
        assert report.ok, [o.error for o in report.outcomes if o.error]
        TermIndex.open(store, cache)
    finally:
        store.close()
    return path


@pytest.fixture
def store_path(fbbi_store: Path, tmp_path: Path) -> Path:
    return copy_store(fbbi_store, tmp_path)


@pytest.fixture
def store(store_path: Path) -> Iterator[EmbeddedStore]:
    s = EmbeddedStore(store_path)
    yield s
    s.close()




def ols_client(srv: OLS4Server, tmp_path: Path, index: TermIndex) -> OLSClient:
    fast = OLSSettings(
        base_url=srv.base_url,
        cache_dir=tmp_path / "ols-cache",
        connect_timeout_s=0.5,
        read_timeout_s=0.5,
        retries=1,
        backoff_s=0.01,
        max_backoff_s=0.02,
    )
    return OLSClient(fast, local=index)


def settings_for(store_path: Path) -> Settings:
    return Settings(store_path=store_path, base_iri=BASE)


def ingest(store: Store, store_path: Path, src: Path, pairs: list[tuple[str, str]]) -> IngestReport:
    src.write_text(ome_with_pairs(pairs, acquisition_mode="SpectralImaging"), encoding="utf-8")
    report = ingest_paths(store, settings_for(store_path), [src])
    assert report.ok, [o.error for o in report.outcomes]
    return report


def step_lines(report: IngestReport) -> list[str]:
    (f,) = [f for f in report.followups if f.step == STEP]
    assert f.error is None, f.error
    return f.messages


def annotation_quads(store: Store) -> set[tuple[str, str, str]]:
    return {
        (r[0], r[1], r[2]) for r in rows(store, f"SELECT ?s ?p ?o WHERE {{ GRAPH {ANN} {{ ?s ?p ?o }} }}")
    }


def ask(store: Store, query: str) -> bool:
    res = store.query(sparql_prologue() + query)
    assert isinstance(res, AskResult), res
    return res.value


def pair_subject(store: Store, key: str) -> str:
    (row,) = rows(store, f'SELECT ?m WHERE {{ ?m ome:k "{key}" }}')
    return row[0]


DECISIONS = [
    Decision("spinning disk", SPINNING_DISK, key="imaging method", curator="Jane Doe", date="2024-05-02"),
    Decision("HeLa", SPINNING_DISK, key="organism", curator="Jane Doe"),  # does not fit an organism
    Decision(
        "SpectralImaging",
        FLUORESCENCE,
        predicate="http://www.w3.org/2004/02/skos/core#broadMatch",
        key="AcquisitionMode",
        curator="0000-0002-1825-0097",
    ),
]
PAIRS = [("Comment", "imaged on Tuesday"), ("organism", "HeLa"), ("Imaging Method", "spinning disk")]


# -- (a) an ingest applies the memory, with provenance ------------------------------------------------


def test_ingest_annotates_values_the_memory_has_reviewed_decisions_for(
    store: EmbeddedStore, store_path: Path, tmp_path: Path
) -> None:
    memory = MappingMemory(store, BASE)
    decided = memory.add(DECISIONS)
    report = ingest(store, store_path, tmp_path / "pairs.ome.xml", PAIRS)
    lines = step_lines(report)
    assert lines[0] == (
        "2 value(s) annotated from reviewed decisions, 2 left for review (kg annotate --from-graph)"
    )
    # the decision that does not fit is reported, not skipped in silence
    assert lines[1:] == [
        "not applied: organism = 'HeLa': the decision's term FBbi:00000253 is not under NCBITaxon:1, "
        "which organism expects"
    ]
    pair = pair_subject(store, "Imaging Method")
    (ann,) = Annotations(store, TermIndex.open(store, default_cache_path(store_path)), BASE).list(
        subject=pair
    )
    assert (ann.property, ann.term, ann.text) == (VALUE_TERM, SPINNING_DISK, "spinning disk")
    # attributed to the decision's own curator, derived from the decision, and said to be automatic
    assert (ann.curator, ann.curator_label) == (BASE + "curator/jane-doe", "Jane Doe")
    assert ann.from_decision == decided[0].record_id
    assert ann.note is not None and ann.note.startswith(
        "applied automatically at ingest from the mapping memory"
    )
    assert "by Jane Doe on 2024-05-02" in ann.note and "this object itself was not reviewed" in ann.note
    assert ann.created and ann.term_label == "spinning disk confocal microscopy"
    # the same in RDF: the triple and its provenance are in the annotations graph
    got = rows(
        store,
        f"SELECT ?who ?from ?note WHERE {{ GRAPH {ANN} {{ <{pair}> bkg:valueTerm <{SPINNING_DISK}> . "
        f"?a owl:annotatedSource <{pair}> ; prov:wasAttributedTo ?who ; prov:wasDerivedFrom ?from ; "
        "rdfs:comment ?note ; prov:generatedAtTime ?when } }",
    )
    assert got == [[BASE + "curator/jane-doe", decided[0].record_id, ann.note]]
    # an unresolved OME value (no table row for SpectralImaging) annotated with its field's predicate
    got = rows(
        store,
        f"SELECT ?s ?who WHERE {{ GRAPH {ANN} {{ ?s bkg:acquisitionModeTerm <{FLUORESCENCE}> . "
        "?a owl:annotatedSource ?s ; prov:wasAttributedTo ?who } }",
    )
    assert len(got) == 1 and got[0][0].endswith("/Channel/Channel:0:0")
    assert got[0][1] == "https://orcid.org/0000-0002-1825-0097"


# -- (b) re-ingesting duplicates nothing; a changed file leaves stale annotations, reported -----------


def test_reingest_duplicates_nothing(store: EmbeddedStore, store_path: Path, tmp_path: Path) -> None:
    MappingMemory(store, BASE).add(DECISIONS)
    src = tmp_path / "pairs.ome.xml"
    ingest(store, store_path, src, PAIRS)
    before = annotation_quads(store)
    assert len({s for s, p, _o in before if p.endswith("#annotatedSource")}) == 2
    again = ingest(store, store_path, src, PAIRS)  # unchanged: nothing runs, nothing is written
    assert [o.status for o in again.outcomes] == ["unchanged"] and again.followups == []
    changed = ingest(store, store_path, src, [*PAIRS, ("Comment 2", "second day")])  # a changed file
    assert [o.status for o in changed.outcomes] == ["ingested"]
    assert step_lines(changed) == [
        "0 value(s) annotated from reviewed decisions, 3 left for review (kg annotate --from-graph)",
        "not applied: organism = 'HeLa': the decision's term FBbi:00000253 is not under NCBITaxon:1, "
        "which organism expects",
    ]
    assert annotation_quads(store) == before  # same records, same times: not written again


def test_a_changed_file_leaves_stale_annotations_that_are_reported_then_removed(
    store: EmbeddedStore, store_path: Path, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from kg.cli import app

    MappingMemory(store, BASE).add(DECISIONS)
    src = tmp_path / "pairs.ome.xml"
    ingest(store, store_path, src, PAIRS)
    pair = pair_subject(store, "Imaging Method")  # the third pair: .../value/ms/2
    # the value under the annotated pair changed: reported, kept
    report = ingest(store, store_path, src, [*PAIRS[:2], ("Imaging Method", "confocal")])
    lines = step_lines(report)
    assert lines[-2].startswith(
        "1 annotation(s) of the re-ingested source(s) no longer fit: 0 name an object that is gone, "
        "1 a value that changed; kept"
    )
    assert lines[-1].endswith(
        f"{pair} bkg:valueTerm FBbi:00000253: annotated for 'spinning disk', which the object no longer holds"
    )
    assert ask(store, f"ASK {{ GRAPH {ANN} {{ <{pair}> bkg:valueTerm ?t }} }}")
    # the pair is gone altogether: reported as gone
    report = ingest(store, store_path, src, PAIRS[:2])
    (stale,) = stale_annotations(store, [report.outcomes[0].graph or ""])
    assert (stale.subject, stale.why, stale.term) == (pair, "gone", SPINNING_DISK)
    assert any("1 name an object that is gone" in line for line in step_lines(report))
    # the acquisition mode annotation of the channel still fits: not stale
    assert all(not s.subject.endswith("Channel:0:0") for s in stale_annotations(store))
    store.close()
    res = CliRunner().invoke(
        app, ["--store", str(store_path), "annotate", "--remove-stale", "--format", "json"]
    )
    assert res.exit_code == 0, res.stdout
    doc = json.loads(res.stdout)
    assert [(s["subject"], s["why"]) for s in doc["removed_stale"]] == [(pair, "gone")]
    reopened = EmbeddedStore(store_path)
    try:
        assert stale_annotations(reopened) == []
        assert not ask(reopened, f"ASK {{ GRAPH {ANN} {{ <{pair}> ?p ?t }} }}")
        assert len(rows(reopened, f"SELECT ?a WHERE {{ GRAPH {ANN} {{ ?a a bkg:TermAnnotation }} }}")) == 1
    finally:
        reopened.close()


# -- (c) an empty memory costs one query and writes nothing -----------------------------------------


class CountingStore(Store):
    """The real store, with its queries and updates counted (the step under test is not replaced)."""

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self.description = inner.description
        self.queries: list[str] = []
        self.updates: list[str] = []

    def query(
        self, sparql: str, *, substitutions: dict[str, Term] | None = None, cap: int | None = None
    ) -> QueryResult:
        self.queries.append(sparql)
        return self.inner.query(sparql, substitutions=substitutions, cap=cap)

    def update(self, sparql_update: str) -> None:
        self.updates.append(sparql_update)
        self.inner.update(sparql_update)

    def replace_graph(self, graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> int:
        raise AssertionError("the step must not replace graphs")

    def drop_graph(self, graph: ox.NamedNode) -> None:
        raise AssertionError("the step must not drop graphs")

    def dump(self, out: IO[bytes], fmt: ox.RdfFormat) -> None:
        raise AssertionError("the step must not dump the store")


def test_an_empty_memory_costs_one_query_no_index_and_no_writes(
    store: EmbeddedStore, store_path: Path, tmp_path: Path
) -> None:
    cache = default_cache_path(store_path)
    cache.unlink()  # were the index opened, it would be built and cached again
    report = ingest(store, store_path, tmp_path / "pairs.ome.xml", PAIRS)
    assert step_lines(report) == []
    assert not cache.exists()
    assert annotation_quads(store) == set()
    graphs = [o.graph or "" for o in report.outcomes]
    counting = CountingStore(store)
    assert after_ingest(counting, settings_for(store_path), graphs) == []
    assert (len(counting.queries), counting.updates) == (1, [])
    # a memory holding only rejections cannot annotate anything: still one query
    MappingMemory(store, BASE).add(
        [Decision("spinning disk", SPINNING_DISK, curator="Jane Doe", negated=True)]
    )
    counting = CountingStore(store)
    assert after_ingest(counting, settings_for(store_path), graphs) == []
    assert (len(counting.queries), counting.updates) == (1, [])
    assert not cache.exists()


def test_a_memory_without_loaded_ontologies_is_not_applied_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / "bare"
    store = EmbeddedStore(path)
    try:
        MappingMemory(store, BASE).add(DECISIONS[:1])
        counting = CountingStore(store)
        lines = after_ingest(counting, settings_for(path), [BASE + "source/x"])
        assert lines == [
            "the mapping memory was not applied: no ontologies are loaded, so its terms cannot be "
            "checked (kg ontologies fetch)"
        ]
        assert (len(counting.queries), counting.updates) == (1, [])
    finally:
        store.close()


# -- (d) OLS4 as a source of suggestions --------------------------------------------------------------


def test_ols4_suggests_terms_the_local_store_lacks_after_the_local_ones(
    store: EmbeddedStore, store_path: Path, ols4: OLS4Server, tmp_path: Path
) -> None:
    index = TermIndex.open(store, default_cache_path(store_path))
    assert "pato" not in index.ontologies  # only FBbi is loaded here; the OLS4 server has PATO
    with ols_client(ols4, tmp_path, index) as client:
        annotator = Annotator(index, ols=client)
        res = annotator.suggest("female", "sex")
        top = res.top
        assert top is not None and res.notice is None
        assert (top.source, top.term.curie, top.term.label) == ("ols4", "PATO:0000383", "female")
        assert top.fits is None and not top.in_local_store  # cannot be checked without PATO
        assert top.reason.startswith("from OLS4 (search of pato): exact label match")
        assert "NOT in the local store (pato is not loaded here)" in top.reason
        assert "cannot be written as an annotation" in top.reason
        assert all(s.source == "ols4" for s in res.suggestions)
        assert res.as_dict()["suggestions"][0]["in_local_store"] is False
        # a term of a loaded ontology found only by OLS4 is checked against the branch
        res = annotator.suggest("selective plane", "imaging method")
        spim = next(s for s in res.suggestions if s.term.curie == "FBbi:00000369")
        assert (spim.source, spim.fits, spim.in_local_store) == ("ols4", True, True)
        assert "also in the local store (fbbi " in spim.reason and spim.reason.endswith("fits imaging method")
        # a local exact hit under the branch: OLS4 is not asked, the local term comes first
        asked = len(ols4.requests)
        res = annotator.suggest("confocal microscopy", "imaging method")
        assert len(ols4.requests) == asked
        assert res.top is not None and (res.top.source, res.top.term.curie) == ("index", "FBbi:00000251")
        assert all(s.source != "ols4" for s in res.suggestions)
    # a term that is not in the local store is never written as an annotation
    pair = BASE + "test/pair/1"
    g = ox.NamedNode("urn:x-test:pairs")
    store.replace_graph(
        g,
        [
            ox.Quad(
                ox.NamedNode(pair), ox.NamedNode("https://ld.openmicroscopy.org/core/k"), ox.Literal("sex"), g
            ),
            ox.Quad(
                ox.NamedNode(pair),
                ox.NamedNode("https://ld.openmicroscopy.org/core/value"),
                ox.Literal("female"),
                g,
            ),
        ],
    )
    with pytest.raises(AnnotationRejected, match="not a term of the loaded ontologies"):
        Annotations(store, index, BASE).create(
            pair, VALUE_TERM, top.term.iri, curator="Jane Doe", suggestion=top
        )
    assert annotation_quads(store) == set()


# -- (e) OLS4 down: the local suggestions, with the notice -------------------------------------------


def test_ols4_down_gives_the_local_suggestions_with_a_notice(
    store: EmbeddedStore, store_path: Path, ols4: OLS4Server, tmp_path: Path
) -> None:
    index = TermIndex.open(store, default_cache_path(store_path))
    local = Annotator(index).suggest("spinning disk", "imaging method")
    ols4.inject(503, path="/search", times=None)
    with ols_client(ols4, tmp_path, index) as client:
        annotator = Annotator(index, ols=client)
        res = annotator.suggest("spinning disk", "imaging method")  # a prefix match only: OLS4 is asked
        assert [s.term.iri for s in res.suggestions] == [s.term.iri for s in local.suggestions]
        assert res.top is not None and res.top.term.iri == SPINNING_DISK
        assert res.notice == "OLS4 unreachable (HTTP 503, 2 attempts); answered from the local ontology store"
        assert client.stats.fallbacks == 1
        # OLS4 is not asked again by this annotator: later values do not wait for it
        asked = len(ols4.requests)
        res = annotator.suggest("confocal laser scanning", "imaging method")
        assert (
            len(ols4.requests) == asked
            and res.notice is not None
            and res.notice.startswith("OLS4 unreachable")
        )
        assert all(s.source == "index" for s in res.suggestions)


# -- the CLI and the API -----------------------------------------------------------------------------


def test_cli_annotate_with_ols(store_path: Path, ols4: OLS4Server, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kg.cli import app

    env = {"KG_OLS_URL": ols4.base_url, "KG_CACHE_DIR": str(tmp_path / "cache")}
    res = CliRunner().invoke(
        app, ["--store", str(store_path), "annotate", "sex: female", "--ols", "--format", "json"], env=env
    )
    assert res.exit_code == 0, res.stdout
    (value,) = json.loads(res.stdout)["values"]
    first = value["suggestions"][0]
    assert (first["curie"], first["source"], first["in_local_store"]) == ("PATO:0000383", "ols4", False)
    res = CliRunner().invoke(app, ["--store", str(store_path), "annotate", "sex: female", "--format", "json"])
    assert res.exit_code == 1  # without --ols nothing local fits: no suggestion
    assert json.loads(res.stdout)["values"][0]["suggestions"] == []


def test_api_suggest_with_ols(store_path: Path, ols4: OLS4Server, tmp_path: Path) -> None:
    env = {"KG_OLS_URL": ols4.base_url, "KG_CACHE_DIR": str(tmp_path / "cache"), "KG_OLS_RETRIES": "0"}
    srv = KgServer(store_path, env=env)
    try:
        body = {"text": "female", "key": "sex", "ols": True}
        r = requests.post(srv.url + "/annotate/suggest", json=body, timeout=30)
        assert r.status_code == 200, r.text
        first = r.json()["suggestions"][0]
        assert (first["curie"], first["source"], first["in_local_store"]) == ("PATO:0000383", "ols4", False)
        assert "from OLS4" in first["reason"]
        r = requests.get(srv.url + "/annotate/suggest", params={"text": "female", "key": "sex"}, timeout=30)
        assert r.json()["suggestions"] == []  # OLS4 only when asked for
        ols4.inject(503, path="/search", times=None)
        params = {"text": "confocal laser scanning", "key": "imaging method", "ols": "true"}
        r = requests.get(srv.url + "/annotate/suggest", params=params, timeout=30)
        doc = r.json()
        assert r.status_code == 200 and doc["notice"].startswith("OLS4 unreachable (HTTP 503")
        assert all(s["source"] == "index" for s in doc["suggestions"])
    finally:
        srv.stop()
