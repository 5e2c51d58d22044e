"""The ontology store: pinned manifest, fetch from a mirror (directory or URL), checksums,
one named graph per ontology, the catalogue, status, and the subclass closure in SPARQL.

Real files from ../shared/ontologies (the mirror); only the small ontologies are loaded here.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.config import Settings
from kg.demo import DEMO_DIR
from kg.errors import ConfigError
from kg.ingest import ingest_paths
from kg.ontology.fetch import (
    ENV_SOURCE,
    RELEASE,
    fetch_ontologies,
    ontology_status,
    read_catalogue,
    resolve_source,
)
from kg.ontology.hierarchy import ancestors_map, build_closure, closure_is_current
from kg.ontology.manifest import default_manifest, load_manifest
from kg.store import EmbeddedStore

from .conftest import FIXTURES, SHARED, rows, run_kg

REQUIRED = {
    "fbbi", "uo", "obi", "pato", "ncbitaxon", "cl", "uberon", "go-cc", "chebi", "efo", "edam",
    "edam-bioimaging", "bao", "qudt-units",
}  # fmt: skip
MIRROR = SHARED / "ontologies"
GRAPH = "https://w3id.org/bioimage-kg/ontology/"


@pytest.fixture
def mirror() -> Path:
    if not (MIRROR / "manifest.json").is_file():
        pytest.skip(f"the ontology mirror is absent ({MIRROR}); set KG_SHARED to the shared folder")
    return MIRROR


def _graph_size(store: EmbeddedStore, iri: str) -> int:
    return sum(1 for _ in store.raw.quads_for_pattern(None, None, None, ox.NamedNode(iri)))


# -- the manifest ---------------------------------------------------------------------------


def test_manifest_pins_every_ontology_we_use() -> None:
    m = default_manifest()
    assert set(m.by_id) >= REQUIRED
    for o in m.ontologies:
        assert o.release and all(f.location.startswith(("http://", "https://")) for f in o.release), o.id
        assert o.mirror.sha256 is not None and len(o.mirror.sha256) == 64, o.id
        assert o.version and o.term_prefixes and o.curie_prefix, o.id
    assert (
        m.get("fbbi").release[0].location
        == "http://purl.obolibrary.org/obo/fbbi/releases/2020-11-06/fbbi.owl"
    )


def test_manifest_agrees_with_the_mirror(mirror: Path) -> None:
    """Every mirror file our manifest names exists there with the checksum we pin."""
    theirs = {e["file"]: e for e in json.loads((mirror / "manifest.json").read_text())["ontologies"]}
    for o in default_manifest().ontologies:
        assert o.mirror.location in theirs, o.id
        assert theirs[o.mirror.location]["sha256"] == o.mirror.sha256, o.id


def test_a_bad_manifest_names_the_entry_and_field(tmp_path: Path) -> None:
    raw = json.loads(default_manifest().path.read_text())
    raw["ontologies"][1]["mirror"]["sha256"] = "abc"
    bad = tmp_path / "manifest.json"
    bad.write_text(json.dumps(raw))
    with pytest.raises(ConfigError, match=r"ontologies\[1\] \(uo\)\.mirror: sha256 'abc' is not 64"):
        load_manifest(bad)
    with pytest.raises(ConfigError, match=r"unknown ontology id.*nope"):
        default_manifest().select(["fbbi", "nope"])


def test_source_comes_from_option_then_env_then_release() -> None:
    assert resolve_source("/m", {ENV_SOURCE: "/e"}) == "/m"
    assert resolve_source(None, {ENV_SOURCE: "/e"}) == "/e"
    assert resolve_source(None, {}) == RELEASE
    assert resolve_source("release", {ENV_SOURCE: "/e"}) == RELEASE


# -- fetch ----------------------------------------------------------------------------------


def test_fetch_loads_each_ontology_into_its_graph_with_a_catalogue_record(
    store: EmbeddedStore, mirror: Path
) -> None:
    theirs = {e["id"]: e for e in json.loads((mirror / "manifest.json").read_text())["ontologies"]}
    report = fetch_ontologies(store, source=str(mirror), only=["fbbi", "uo"])
    assert report.ok and [o.status for o in report.outcomes] == ["loaded", "loaded"]
    for o in report.outcomes:
        assert o.verified and o.sha256 == default_manifest().get(o.id).mirror.sha256
        assert o.triples == theirs[o.id]["triples"] == _graph_size(store, GRAPH + o.id)
    cat = read_catalogue(store)
    assert set(cat) == {"fbbi", "uo"}
    assert cat["fbbi"].version == "2020-11-06" and cat["fbbi"].triples == 6869 and cat["fbbi"].verified
    assert cat["fbbi"].file_version == "http://purl.obolibrary.org/obo/fbbi/releases/2020-11-06/fbbi.owl"
    assert cat["uo"].source.endswith("rdf/uo.ttl")
    # the FBbi terms are in FBbi's graph and nowhere else
    got = rows(store, "SELECT ?g WHERE { GRAPH ?g { obo:FBbi_00000251 rdfs:label ?l } }")
    assert got == [[GRAPH + "fbbi"]]

    again = fetch_ontologies(store, source=str(mirror), only=["fbbi", "uo"])
    assert [o.status for o in again.outcomes] == ["unchanged", "unchanged"]
    assert read_catalogue(store) == cat  # not even the load time changed


def test_checksum_mismatch_is_refused_and_nothing_is_loaded(
    store: EmbeddedStore, mirror: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "mirror"
    (bad / "rdf").mkdir(parents=True)
    data = (mirror / "rdf" / "uo.ttl").read_bytes()
    (bad / "rdf" / "uo.ttl").write_bytes(data + b"\n# one more line\n")
    report = fetch_ontologies(store, source=str(bad), only=["uo"])
    (o,) = report.outcomes
    assert not report.ok and o.status == "failed"
    expected = default_manifest().get("uo").mirror.sha256
    assert str(bad / "rdf" / "uo.ttl") in o.error
    assert f"expected sha256 {expected}" in o.error and "checksum mismatch" in o.error
    import hashlib

    assert hashlib.sha256(data + b"\n# one more line\n").hexdigest() in o.error
    assert not store.raw.contains_named_graph(ox.NamedNode(GRAPH + "uo"))
    assert read_catalogue(store) == {}

    # with the good file loaded first, a tampered refetch leaves it exactly as it was
    assert fetch_ontologies(store, source=str(mirror), only=["uo"]).ok
    before = _graph_size(store, GRAPH + "uo")
    assert fetch_ontologies(store, source=str(bad), only=["uo"], force=True).outcomes[0].status == "failed"
    assert _graph_size(store, GRAPH + "uo") == before == 7354


def test_a_missing_file_and_a_parse_error_name_the_file(store: EmbeddedStore, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (o,) = fetch_ontologies(store, source=str(empty), only=["fbbi"]).outcomes
    assert o.status == "failed" and str(empty / "rdf" / "fbbi.ttl") in o.error and "no such file" in o.error

    raw = json.loads(default_manifest().path.read_text())
    broken = tmp_path / "broken"
    (broken / "rdf").mkdir(parents=True)
    text = b"@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e \n"
    (broken / "rdf" / "fbbi.ttl").write_bytes(text)
    import hashlib

    raw["ontologies"][0]["mirror"]["sha256"] = hashlib.sha256(text).hexdigest()
    (tmp_path / "manifest.json").write_text(json.dumps(raw))
    m = load_manifest(tmp_path / "manifest.json")
    (o,) = fetch_ontologies(store, source=str(broken), only=["fbbi"], manifest=m).outcomes
    assert o.status == "failed" and "does not parse as turtle" in o.error and "fbbi.ttl" in o.error
    assert not store.raw.contains_named_graph(ox.NamedNode(GRAPH + "fbbi"))


def test_status_shows_loaded_stale_and_missing(store: EmbeddedStore, mirror: Path, tmp_path: Path) -> None:
    assert fetch_ontologies(store, source=str(mirror), only=["fbbi"]).ok
    states = {s.id: s for s in ontology_status(store)}
    assert states["fbbi"].state == "loaded" and states["fbbi"].loaded_version == "2020-11-06"
    assert states["uo"].state == "missing" and states["uo"].loaded_version is None
    assert {s.state for k, s in states.items() if k != "fbbi"} == {"missing"}

    raw = json.loads(default_manifest().path.read_text())
    raw["ontologies"][0]["version"] = "2099-01-01"
    (tmp_path / "manifest.json").write_text(json.dumps(raw))
    newer = load_manifest(tmp_path / "manifest.json")
    fbbi = next(s for s in ontology_status(store, newer) if s.id == "fbbi")
    assert fbbi.state == "stale" and "2099-01-01" in fbbi.detail and "2020-11-06" in fbbi.detail


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def mirror_url(mirror: Path) -> Iterator[str]:
    """The mirror served over HTTP on loopback."""
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(mirror)))
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/"
    srv.shutdown()
    srv.server_close()


def test_fetch_from_a_mirror_url(store: EmbeddedStore, mirror_url: str) -> None:
    report = fetch_ontologies(store, source=mirror_url, only=["uo"])
    (o,) = report.outcomes
    assert o.status == "loaded" and o.verified and o.source == mirror_url + "rdf/uo.ttl"
    assert _graph_size(store, GRAPH + "uo") == 7354


def test_unreachable_release_is_reported_not_raised(store: EmbeddedStore, tmp_path: Path) -> None:
    from kg.store import free_port

    raw = json.loads(default_manifest().path.read_text())
    url = f"http://127.0.0.1:{free_port()}/uo.owl"  # nothing listens there
    raw["ontologies"][1]["release"] = [{"url": url, "format": "rdfxml", "sha256": None}]
    (tmp_path / "manifest.json").write_text(json.dumps(raw))
    m = load_manifest(tmp_path / "manifest.json")
    (o,) = fetch_ontologies(store, source="release", only=["uo"], manifest=m).outcomes
    assert o.status == "failed" and url in o.error and "cannot download" in o.error


# -- the class hierarchy in SPARQL ------------------------------------------------------------


def test_ancestors_map_handles_cycles() -> None:
    got = ancestors_map({"a": {"b"}, "b": {"c"}, "c": {"a", "d"}})
    assert got["a"] == {"b", "c", "d"} and got["d"] == frozenset()


def test_fluorescence_microscopy_finds_confocal_and_sted_images(
    store: EmbeddedStore, settings: Settings, mirror: Path, tmp_path: Path
) -> None:
    """OME AcquisitionMode -> FBbi term (mappings/sssom) -> subclass closure -> query by the
    broader term. Confocal is under fluorescence microscopy in FBbi; STED through our bridge."""
    sted = tmp_path / "sted.ome.xml"
    sted.write_text(
        (FIXTURES / "ome-with-txt-extension.txt")
        .read_text()
        .replace('Name="only"', 'Name="only" AcquisitionMode="STED"')
    )
    files = [
        DEMO_DIR / "hela-confocal-zstack.ome.xml",
        DEMO_DIR / "zebrafish-widefield-timelapse.ome.xml",
        sted,
    ]
    assert ingest_paths(store, settings, files).ok
    assert fetch_ontologies(store, source=str(mirror), only=["fbbi"]).ok
    assert not closure_is_current(store)
    report = build_closure(store)
    assert report.pairs > 3000 and closure_is_current(store)

    images = (
        "SELECT DISTINCT ?name WHERE {{ ?img a ome:Image ; ome:name ?name ; ome:pixels/ome:channel ?c . "
        "?c bkg:acquisitionModeTerm ?t . {} }} ORDER BY ?name"
    )
    by_closure = rows(store, images.format("?t bkg:subClassOfClosure obo:FBbi_00000246"))
    assert by_closure == [["HeLa DAPI/Tubulin z-stack, field 1"], ["misnamed"]]
    # plain rdfs:subClassOf* over the union graph sees the same (FBbi plus the bridges graph)
    by_path = rows(store, images.format("?t rdfs:subClassOf* obo:FBbi_00000246"))
    assert by_path == by_closure
    # widefield illumination is not fluorescence microscopy: the zebrafish images stay out
    all_images = rows(store, images.format(""))
    assert len(all_images) > len(by_closure)


def test_closure_is_reflexive_and_crosses_ontologies(store: EmbeddedStore, mirror: Path) -> None:
    assert fetch_ontologies(store, source=str(mirror), only=["fbbi", "uo"]).ok
    build_closure(store)
    res = store.query(
        "ASK { GRAPH ?g { ?a ?p ?a } }",
        substitutions={"p": ox.NamedNode("https://w3id.org/bioimage-kg/vocab/subClassOfClosure")},
    )
    assert res.value  # type: ignore[union-attr]
    sup = rows(store, "SELECT ?s WHERE { obo:UO_0000017 bkg:subClassOfClosure ?s } ORDER BY ?s")
    assert ["http://purl.obolibrary.org/obo/UO_0000001"] in sup  # length unit
    assert ["http://purl.obolibrary.org/obo/UO_0000017"] in sup  # itself


# -- the CLI -------------------------------------------------------------------------------


def test_cli_fetch_status_search_show(mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from kg.cli import app

    monkeypatch.setenv(ENV_SOURCE, str(mirror))
    monkeypatch.setenv("KG_STORE", str(tmp_path / "store"))
    runner = CliRunner()

    r = runner.invoke(app, ["ontologies", "fetch", "--only", "uo", "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["source"] == str(mirror) and doc["outcomes"][0]["status"] == "loaded"
    assert (tmp_path / "store.terms.pickle").is_file()

    r = runner.invoke(app, ["ontologies", "status", "--format", "json"])
    assert r.exit_code == 1  # the others are missing
    states = {o["id"]: o["state"] for o in json.loads(r.stdout)["ontologies"]}
    assert states["uo"] == "loaded" and states["fbbi"] == "missing"

    r = runner.invoke(app, ["terms", "search", "µm", "--format", "json", "--limit", "3"])
    assert r.exit_code == 0, r.output
    hits = json.loads(r.stdout)["hits"]
    assert hits[0]["curie"] == "UO:0000017" and hits[0]["match"] == "exact synonym"

    r = runner.invoke(app, ["terms", "show", "uo:0000017"])
    assert r.exit_code == 0 and "micrometer" in r.stdout and "length unit" in r.stdout
    r = runner.invoke(app, ["terms", "show", "UO:9999999"])
    assert r.exit_code == 1 and "not found" in r.stderr
    r = runner.invoke(app, ["terms", "search", "qwxzv", "--no-fuzzy"])
    assert r.exit_code == 1


def test_cli_without_ontologies_says_what_to_do(tmp_path: Path) -> None:
    """The installed ``kg`` command, in its own process."""
    r = run_kg("--store", str(tmp_path / "s"), "terms", "search", "cell")
    assert r.returncode == 2 and "kg ontologies fetch" in r.stderr


def test_shared_files_are_not_copied_into_the_repository() -> None:
    repo = Path(__file__).resolve().parents[1]
    assert not list((repo / "ontologies").glob("*.obo"))
    assert not [p for p in (repo / "ontologies").glob("*.ttl") if p.stat().st_size > 100_000]
