"""The SPARQL endpoint over real HTTP: `kg serve` started by the test, Oxigraph behind it."""

from __future__ import annotations

import csv
import io
import json
import time

import pyoxigraph as ox
import pytest
import requests

from .conftest import KgServer

Q = "SELECT ?name WHERE { ?i a <https://ld.openmicroscopy.org/core/Image> ; <https://ld.openmicroscopy.org/core/name> ?name } ORDER BY ?name"
NAMES = ["HeLa DAPI/Tubulin z-stack, field 1", "embryo 1, 24-48 hpf", "embryo 2, 24-48 hpf", "scan_0007"]
C = "CONSTRUCT { ?o ?p ?v } WHERE { ?o a <https://ld.openmicroscopy.org/core/Objective> ; ?p ?v }"


def names_from_json(body: bytes) -> list[str]:
    return [b["name"]["value"] for b in json.loads(body)["results"]["bindings"]]


def test_get_json(server: KgServer) -> None:
    r = requests.get(
        server.url + "/sparql", params={"query": Q}, headers={"Accept": "application/sparql-results+json"}
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    assert "Accept" in r.headers["vary"]
    assert names_from_json(r.content) == NAMES


def test_post_form_and_post_sparql_query(server: KgServer) -> None:
    r = requests.post(server.url + "/sparql", data={"query": Q}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert [row[0] for row in csv.reader(io.StringIO(r.text))][1:] == NAMES
    r = requests.post(
        server.url + "/sparql",
        data=Q.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "text/tab-separated-values"},
    )
    assert r.status_code == 200
    assert r.text.splitlines()[0] == "?name"
    assert r.text.splitlines()[1] == '"HeLa DAPI/Tubulin z-stack, field 1"'


def test_xml_results_and_q_values(server: KgServer) -> None:
    r = requests.get(
        server.url + "/sparql",
        params={"query": Q},
        headers={"Accept": "text/csv;q=0.5, application/sparql-results+xml;q=0.9"},
    )
    assert r.headers["content-type"].startswith("application/sparql-results+xml")
    parsed = ox.parse_query_results(r.content, ox.QueryResultsFormat.XML)
    assert [s["name"].value for s in parsed] == NAMES


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
    ],
)
def test_construct_by_content_negotiation(server: KgServer, accept: str, fmt: ox.RdfFormat) -> None:
    r = requests.get(server.url + "/sparql", params={"query": C}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    triples = list(ox.parse(r.content, fmt))
    models = {t.object.value for t in triples if t.predicate.value.endswith("/model")}
    assert models == {"Plan-Apochromat 63x/1.40 Oil DIC M27", "CFI Plan Fluor 10X", "40x"}


def test_format_parameter_overrides_accept(server: KgServer) -> None:
    r = requests.get(
        server.url + "/sparql",
        params={"query": Q, "format": "csv"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.headers["content-type"].startswith("text/csv")


def test_unacceptable_type_is_406(server: KgServer) -> None:
    r = requests.get(server.url + "/sparql", params={"query": Q}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "application/sparql-results+json" in r.json()["detail"]


def test_service_is_refused_and_nothing_is_fetched(server: KgServer) -> None:
    for q in (
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
    ):
        r = requests.get(
            server.url + "/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"}
        )
        assert r.status_code == 403
        assert "SERVICE" in r.json()["detail"]


def test_updates_need_the_token(server: KgServer) -> None:
    upd = "INSERT DATA { GRAPH <http://x.org/g> { <http://x.org/a> <http://x.org/b> 'c' } }"
    r = requests.post(server.url + "/sparql", data={"update": upd})
    assert r.status_code == 403
    r = requests.post(
        server.url + "/sparql",
        data=upd,
        headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer wrong"},
    )
    assert r.status_code == 403
    r = requests.post(
        server.url + "/sparql",
        data=upd,
        headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer s3cret-token"},
    )
    assert r.status_code == 204
    ask = requests.get(
        server.url + "/sparql",
        params={"query": "ASK { <http://x.org/a> <http://x.org/b> 'c' }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert ask.json()["boolean"] is True
    r = requests.post(
        server.url + "/sparql",
        data="DROP GRAPH <http://x.org/g>",
        headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer s3cret-token"},
    )
    assert r.status_code == 204


def test_result_cap(server: KgServer) -> None:
    r = requests.get(
        server.url + "/sparql",
        params={"query": "SELECT * WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200
    assert len(json.loads(r.content)["results"]["bindings"]) == 50
    assert r.headers["x-result-truncated"] == "true"
    r = requests.get(
        server.url + "/sparql", params={"query": Q}, headers={"Accept": "application/sparql-results+json"}
    )
    assert "x-result-truncated" not in r.headers


def test_timeout_stops_a_runaway_query(server: KgServer) -> None:
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    t0 = time.monotonic()
    r = requests.get(
        server.url + "/sparql",
        params={"query": q},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    elapsed = time.monotonic() - t0
    assert r.status_code == 504, r.text
    assert elapsed < 20
    # the server is still healthy afterwards
    assert requests.get(server.url + "/health").json()["status"] == "ok"


def test_syntax_error_is_400_with_the_reason(server: KgServer) -> None:
    r = requests.get(
        server.url + "/sparql",
        params={"query": "SELECT ?x WHERE { ?x"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 400
    assert r.json()["detail"]


def test_health(server: KgServer) -> None:
    h = requests.get(server.url + "/health").json()
    assert h["status"] == "ok" and h["graphs"] == 3 and h["triples"] > 300


def test_entity_iris_dereference(server: KgServer) -> None:
    r = requests.get(
        server.url + "/sparql",
        params={
            "query": "SELECT ?i WHERE { ?i a <https://ld.openmicroscopy.org/core/Objective> ; <https://ld.openmicroscopy.org/core/model> '40x' }"
        },
        headers={"Accept": "application/sparql-results+json"},
    )
    iri = r.json()["results"]["bindings"][0]["i"]["value"]
    assert iri.startswith("http://localhost:8000/id/source/legacy-scan-incomplete-")
    path = iri.removeprefix("http://localhost:8000")
    ttl = requests.get(server.url + path, headers={"Accept": "text/turtle"})
    assert ttl.status_code == 200 and ttl.headers["content-type"].startswith("text/turtle")
    assert any(t.object == ox.Literal("40x") for t in ox.parse(ttl.content, ox.RdfFormat.TURTLE))
    html = requests.get(server.url + path, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert html.headers["content-type"].startswith("text/html") and "40x" in html.text
    assert requests.get(server.url + "/id/source/nothing-here").status_code == 404


def test_openapi_documents_the_endpoint(server: KgServer) -> None:
    spec = requests.get(server.url + "/openapi.json").json()
    assert "/sparql" in spec["paths"] and "/health" in spec["paths"]


def test_describe_and_ask(server: KgServer) -> None:
    r = requests.get(
        server.url + "/sparql",
        params={
            "query": "DESCRIBE ?o WHERE { ?o a <https://ld.openmicroscopy.org/core/Objective> ; <https://ld.openmicroscopy.org/core/model> '40x' }"
        },
        headers={"Accept": "application/n-triples"},
    )
    assert r.status_code == 200
    assert any(t.object == ox.Literal("40x") for t in ox.parse(r.content, ox.RdfFormat.N_TRIPLES))
    r = requests.get(
        server.url + "/sparql",
        params={"query": "ASK { ?i a <https://ld.openmicroscopy.org/core/Image> }"},
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert r.status_code == 200 and "<boolean>true</boolean>" in r.text


def test_browser_without_query_gets_the_page(server: KgServer) -> None:
    r = requests.get(server.url + "/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<textarea" in r.text
