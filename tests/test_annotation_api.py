"""The annotation API over real HTTP: `kg serve` started by the test on a store holding small
ontologies from ../shared/ontologies and an ingested OME-XML file with key-value pairs; writes
go through the `oxigraph` server that holds the store, as in production."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kg.config import Settings
from kg.ingest import ingest_paths
from kg.ontology.memory import read_sssom
from kg.store import EmbeddedStore

from .annotation_support import copy_store, ome_with_pairs, template_store
from .conftest import SHARED, KgServer

TOKEN = "annotation-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BASE = "http://localhost:8000/id/"
PAIRS = [("organism", "Homo sapiens"), ("Imaging Method", "spinning disk"), ("Cell Line", "HeLa")]
VALUE_TERM = "https://w3id.org/bioimage-kg/vocab/valueTerm"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[KgServer, dict[str, str]]]:
    d = tmp_path_factory.mktemp("annotation-api")
    path = copy_store(template_store(tmp_path_factory), d)
    src = d / "pairs.ome.xml"
    src.write_text(ome_with_pairs(PAIRS), encoding="utf-8")
    store = EmbeddedStore(path)
    try:
        report = ingest_paths(store, Settings(store_path=path, base_iri=BASE), [src])
        assert report.ok, [o.error for o in report.outcomes]
        from .conftest import rows

        pairs = rows(store, "SELECT ?k ?m WHERE { ?m ome:k ?k }")
    finally:
        store.close()
    srv = KgServer(path, env={"KG_WRITE_TOKEN": TOKEN, "KG_BASE_IRI": BASE})
    yield srv, dict(pairs)
    srv.stop()


def triples(srv: KgServer) -> int:
    return int(requests.get(srv.url + "/health", timeout=10).json()["triples"])


def test_every_endpoint_is_in_the_openapi_schema(api: tuple[KgServer, dict[str, str]]) -> None:
    srv, _ = api
    doc = requests.get(srv.url + "/openapi.json", timeout=10).json()
    wanted = {
        ("/terms/search", "get"),
        ("/annotate/suggest", "get"),
        ("/annotate/suggest", "post"),
        ("/annotations", "get"),
        ("/annotations", "post"),
        ("/annotations/{ident}", "get"),
        ("/annotations/{ident}", "delete"),
        ("/mappings", "get"),
        ("/mappings", "post"),
        ("/mappings/{ident}", "delete"),
        ("/mappings/export", "get"),
        ("/mappings/import", "post"),
    }
    have = {(p, m) for p, ops in doc["paths"].items() for m in ops}
    assert wanted <= have
    for path, method in wanted:
        op = doc["paths"][path][method]
        assert op["summary"] and op["tags"] == ["annotation"]
        ok = next(c for c in ("200", "201", "204") if c in op["responses"])
        if ok != "204":
            assert op["responses"][ok]["content"], (path, method)  # a documented response body
    schema = doc["paths"]["/annotations"]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/AnnotationOut")
    assert "Rejection" in doc["components"]["schemas"]


def test_search_and_suggest(api: tuple[KgServer, dict[str, str]]) -> None:
    srv, _ = api
    r = requests.get(srv.url + "/terms/search", params={"q": "micrometre", "ontology": "uo"}, timeout=10)
    assert r.status_code == 200
    hit = r.json()["hits"][0]
    assert (hit["curie"], hit["match"]) == ("UO:0000017", "exact label") and hit["reason"]
    r = requests.post(
        srv.url + "/annotate/suggest", json={"text": "spinning disk", "key": "imaging method"}, timeout=10
    )
    assert r.status_code == 200
    doc = r.json()
    assert doc["field"] == "imaging_method"
    first = doc["suggestions"][0]
    assert (first["curie"], first["fits_field"], first["source"]) == ("FBbi:00000253", True, "index")
    r = requests.get(
        srv.url + "/annotate/suggest", params={"text": "Homo sapiens", "key": "organism"}, timeout=10
    )
    assert r.json()["suggestions"][0]["curie"] == "NCBITaxon:9606"
    assert requests.post(srv.url + "/annotate/suggest", json={"text": ""}, timeout=10).status_code == 422


def test_annotations_are_checked_and_a_rejected_write_changes_nothing(
    api: tuple[KgServer, dict[str, str]],
) -> None:
    srv, pairs = api
    organism = pairs["organism"]
    body = {"subject": organism, "property": "bkg:valueTerm", "term": "NCBITaxon:9606", "curator": "Jane Doe"}
    before = triples(srv)
    assert requests.post(srv.url + "/annotations", json=body, timeout=10).status_code == 403  # no token
    bad = [
        ({**body, "term": "FBbi:00000253"}, "is not under NCBITaxon:1"),  # an imaging method as organism
        ({**body, "term": "FBbi:00000242"}, "is obsolete"),
        ({**body, "term": "NCBITaxon:99999999999"}, "not a term of the loaded ontologies"),
        ({**body, "subject": BASE + "nothing/here"}, "nothing is known about the subject"),
        ({**body, "property": "http://example.org/p"}, "not one that takes ontology terms"),
    ]
    for payload, words in bad:
        r = requests.post(srv.url + "/annotations", json=payload, headers=AUTH, timeout=10)
        assert r.status_code == 422, r.text
        assert any(words in p for p in r.json()["problems"]), r.json()
    assert triples(srv) == before  # nothing was written

    body["text"] = "Homo sapiens"
    body["suggestion"] = {"score": 1.0, "reason": 'label "Homo sapiens" equals the query; fits organism'}
    r = requests.post(srv.url + "/annotations", json=body, headers=AUTH, timeout=10)
    assert r.status_code == 201, r.text
    ann = r.json()
    assert (
        ann["term"] == "http://purl.obolibrary.org/obo/NCBITaxon_9606" and ann["curator_label"] == "Jane Doe"
    )
    assert ann["created"] and ann["suggestion_score"] == 1.0 and ann["text"] == "Homo sapiens"
    ident = ann["iri"].rsplit("/", 1)[1]
    assert requests.get(f"{srv.url}/annotations/{ident}", timeout=10).json() == ann
    listed = requests.get(srv.url + "/annotations", params={"subject": organism}, timeout=10).json()
    assert listed == [ann]
    # the triple itself is in the graph, for SPARQL
    q = f"ASK {{ <{organism}> <{VALUE_TERM}> <http://purl.obolibrary.org/obo/NCBITaxon_9606> }}"
    assert requests.get(srv.url + "/sparql", params={"query": q, "format": "json"}, timeout=10).json()[
        "boolean"
    ]
    # creating it again replaces it (same IRI), deleting takes it all away
    assert (
        requests.post(srv.url + "/annotations", json=body, headers=AUTH, timeout=10).json()["iri"]
        == ann["iri"]
    )
    assert requests.delete(f"{srv.url}/annotations/{ident}", timeout=10).status_code == 403
    assert requests.delete(f"{srv.url}/annotations/{ident}", headers=AUTH, timeout=10).status_code == 204
    assert requests.delete(f"{srv.url}/annotations/{ident}", headers=AUTH, timeout=10).status_code == 404
    assert triples(srv) == before


def test_mapping_memory_read_write(api: tuple[KgServer, dict[str, str]], shared: Path) -> None:
    srv, _ = api
    decision = {"text": "SD confocal", "key": "imaging method", "term": "FBbi:00000253", "curator": "Jane Doe",
                "confidence": 0.9}  # fmt: skip
    assert requests.post(srv.url + "/mappings", json=decision, timeout=10).status_code == 403
    r = requests.post(
        srv.url + "/mappings", json={**decision, "term": "FBbi:00000242"}, headers=AUTH, timeout=10
    )
    assert r.status_code == 422 and "is obsolete" in r.json()["problems"][0]
    r = requests.post(srv.url + "/mappings", json=decision, headers=AUTH, timeout=10)
    assert r.status_code == 201, r.text
    rec = r.json()
    assert rec["term_curie"] == "FBbi:00000253" and rec["ontology_version"] == "2020-11-06" and rec["date"]
    got = requests.get(
        srv.url + "/mappings", params={"text": "sd confocal", "key": "Imaging Method"}, timeout=10
    )
    assert [d["record_id"] for d in got.json()] == [rec["record_id"]]
    # the memory comes first in suggestions now
    s = requests.post(
        srv.url + "/annotate/suggest", json={"text": "SD confocal", "key": "imaging method"}, timeout=10
    )
    first = s.json()["suggestions"][0]
    assert (first["source"], first["record_id"]) == ("memory", rec["record_id"]) and "Jane Doe" in first[
        "reason"
    ]
    # export as SSSOM/TSV, import SSSOM/TSV
    tsv = requests.get(srv.url + "/mappings/export", timeout=10)
    assert tsv.headers["content-type"].startswith("text/tab-separated-values")
    assert [d.text for d in read_sssom("export.sssom.tsv", text=tsv.text).decisions] == ["SD confocal"]
    before = triples(srv)
    bad = (SHARED / "corpora/sssom/sssom-py/tests/data/bad_basic.tsv").read_text(encoding="utf-8")
    r = requests.post(srv.url + "/mappings/import", data=bad.encode(), headers={**AUTH, "Content-Type": "text/tab-separated-values"}, timeout=10)  # fmt: skip
    assert r.status_code == 422 and "Lexical" in r.json()["detail"]
    assert triples(srv) == before  # a refused file changes nothing
    good = (SHARED / "corpora/sssom/sssom/examples/schema/literals.sssom.tsv").read_text(encoding="utf-8")
    r = requests.post(srv.url + "/mappings/import", data=good.encode(), headers={**AUTH, "Content-Type": "text/tab-separated-values"}, timeout=10)  # fmt: skip
    assert r.status_code == 200 and r.json()["decisions"] == 4
    assert len(requests.get(srv.url + "/mappings", timeout=10).json()) == 5
    ident = rec["record_id"].rsplit("/", 1)[1]
    assert requests.delete(f"{srv.url}/mappings/{ident}", headers=AUTH, timeout=10).status_code == 204
    assert requests.delete(f"{srv.url}/mappings/{ident}", headers=AUTH, timeout=10).status_code == 404
