"""The `kg` command line, run as a user runs it (a real process, real files)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox

from kg.demo import demo_files

from .conftest import FIXTURES, run_kg


def test_readme_demo_command(tmp_path: Path) -> None:
    """The README's first command ends in `kg demo`: run it as a new user would."""
    r = run_kg("demo", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "3 ingested" in r.stdout
    assert "0 violation(s), 5 warning(s)" in r.stdout
    assert "alpha-tubulin AF488" in r.stdout  # a query answer
    export = tmp_path / "kg-demo-export.ttl"
    triples = list(ox.parse(path=str(export), format=ox.RdfFormat.TURTLE))
    assert len(triples) > 300
    assert (tmp_path / "kg-store").is_dir()
    # running it again is idempotent
    again = run_kg("demo", cwd=tmp_path)
    assert again.returncode == 0 and "3 unchanged" in again.stdout


def test_ingest_exit_codes_and_summary(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for f in demo_files():
        shutil.copy(f, data)
    shutil.copy(FIXTURES / "bad-pixel-type.ome.xml", data)
    store = str(tmp_path / "store")
    r = run_kg("--store", store, "ingest", str(data), "--report", str(tmp_path / "report.json"))
    assert r.returncode == 1
    assert "3 ingested, 0 unchanged, 1 failed" in r.stdout
    assert "bad-pixel-type.ome.xml" in r.stderr and "uint17" in r.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    by_name = {Path(o["path"]).name: o for o in report}
    assert by_name["bad-pixel-type.ome.xml"]["status"] == "failed"
    legacy = by_name["legacy-scan-incomplete.ome.xml"]
    assert legacy["unmapped"] == [] and legacy["dropped"] == {"Pixels.MetadataOnly": 1}
    assert legacy["objects"]["Detector"] == 1 and legacy["objects"]["Plane"] == 1
    (data / "bad-pixel-type.ome.xml").unlink()
    ok = run_kg("--store", store, "ingest", str(data))
    assert ok.returncode == 0 and "0 ingested, 3 unchanged, 0 failed" in ok.stdout


def test_validate_text_and_json(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    run_kg("--store", store, "ingest", *(str(f) for f in demo_files()))
    r = run_kg("--store", store, "validate")
    assert r.returncode == 0, r.stdout + r.stderr
    assert 'image "scan_0007" in legacy-scan-incomplete.ome.xml: acquisition date' in r.stdout
    j = run_kg("--store", store, "validate", "--format", "json")
    doc = json.loads(j.stdout)
    assert doc["conforms"] is True and doc["counts"]["warning"] == 5
    # a violation: pixels without a width, as another writer might have stored them
    from kg.store import EmbeddedStore

    g = ox.NamedNode("http://localhost:8000/id/source/handmade-0")
    px = ox.NamedNode(g.value + "/Pixels/Pixels:0")
    ome = "https://ld.openmicroscopy.org/core/"
    s = EmbeddedStore(Path(store))
    s.replace_graph(
        g,
        [
            ox.Quad(
                g,
                ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode("https://w3id.org/bioimage-kg/vocab/Source"),
                g,
            ),
            ox.Quad(
                g,
                ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                ox.Literal("handmade.ome.xml"),
                g,
            ),
            ox.Quad(
                px,
                ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode(ome + "Pixels"),
                g,
            ),
            ox.Quad(
                px,
                ox.NamedNode(ome + "size_y"),
                ox.Literal("4", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
                g,
            ),
        ],
    )
    s.close()
    del s
    v = run_kg("--store", store, "validate", "--format", "json")
    assert v.returncode == 1
    doc = json.loads(v.stdout)
    assert doc["conforms"] is False
    fields = {(f["field"], f["source"]) for f in doc["findings"] if f["severity"] == "violation"}
    assert ("width (SizeX)", "handmade.ome.xml") in fields
    t = run_kg("--store", store, "validate")
    assert t.returncode == 1 and "DOES NOT CONFORM" in t.stdout


def test_query_formats_and_refusals(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    run_kg("--store", store, "ingest", *(str(f) for f in demo_files()))
    q = "SELECT ?n WHERE { ?i a <https://ld.openmicroscopy.org/core/Image> ; <https://ld.openmicroscopy.org/core/name> ?n } ORDER BY ?n"
    r = run_kg("--store", store, "query", q, "--format", "json")
    assert r.returncode == 0
    assert len(json.loads(r.stdout)["results"]["bindings"]) == 4
    qf = tmp_path / "q.rq"
    qf.write_text(q)
    r = run_kg("--store", store, "query", f"@{qf}", "--format", "csv")
    import csv
    import io

    assert list(csv.reader(io.StringIO(r.stdout)))[1] == ["HeLa DAPI/Tubulin z-stack, field 1"]
    r = run_kg("--store", store, "query", q)
    assert "4 row(s)" in r.stdout
    r = run_kg("--store", store, "query", "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert r.returncode == 2 and "SERVICE" in r.stderr
    r = run_kg("--store", store, "query", "DROP ALL")
    assert r.returncode == 2 and "read-only" in r.stderr


def test_query_timeout_in_the_cli(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    run_kg("--store", store, "ingest", *(str(f) for f in demo_files()))
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    r = run_kg("--store", store, "query", q, env={"KG_QUERY_TIMEOUT": "1"}, timeout=60)
    assert r.returncode == 2
    assert "longer than 1 s" in r.stderr


def test_export_formats(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    run_kg("--store", store, "ingest", *(str(f) for f in demo_files()))
    nq = tmp_path / "all.nq"
    assert run_kg("--store", store, "export", "--format", "nq", "-o", str(nq)).returncode == 0
    quads = list(ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS))
    assert len({q.graph_name for q in quads}) == 3
    for fmt, rdf in (("ttl", ox.RdfFormat.TURTLE), ("jsonld", ox.RdfFormat.JSON_LD)):
        out = tmp_path / f"all.{fmt}"
        assert run_kg("--store", store, "export", "--format", fmt, "-o", str(out)).returncode == 0
        assert len(list(ox.parse(path=str(out), format=rdf))) == len(quads)


def test_store_in_use_is_reported(tmp_path: Path) -> None:
    from kg.store import EmbeddedStore

    store = tmp_path / "store"
    holder = EmbeddedStore(store)
    try:
        r = run_kg("--store", str(store), "ingest", str(demo_files()[0]))
        assert r.returncode == 2
        assert "open in another process" in r.stderr
    finally:
        holder.close()


def test_bad_settings_are_explained(tmp_path: Path) -> None:
    r = run_kg("--base-iri", "not an iri", "validate", cwd=tmp_path)
    assert r.returncode == 2 and "KG_BASE_IRI" in r.stderr
