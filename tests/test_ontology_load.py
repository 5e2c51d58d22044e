"""Loading the ontologies fast without changing what is loaded, and the search index's fast
paths checked against plain reference computations.

- Files without IRI rewrites are bulk-loaded by the store while a thread reads the index's rows
  from the same files; files with rewrites (the mirror's own namespaces), and datasets (TriG),
  pass through Python. Both must load exactly the file's triples into the one graph.
- The index built from those rows must be the index built from the store.
- The numpy trigram index must hold exactly the trigrams of :func:`_trigrams`; the prefix tier
  must give the shortest keys first; the fuzzy tier's pruning must not lose the best match that
  scoring every key finds.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyoxigraph as ox
import pytest
from rapidfuzz import fuzz, process

from kg.ontology import index as index_module
from kg.ontology.fetch import fetch_ontologies
from kg.ontology.hierarchy import build_closure, closure_is_current
from kg.ontology.index import (
    _PREFIX_SCAN,
    FUZZY_CUTOFF,
    TermIndex,
    _token_sorted,
    _trigrams,
    default_cache_path,
    extracts_dir,
    normalise,
)
from kg.ontology.manifest import Manifest, default_manifest, load_manifest
from kg.store import IN_PROGRESS, STAGING_PREFIX, EmbeddedStore

from .conftest import SHARED

MIRROR = SHARED / "ontologies"
GRAPH = "https://w3id.org/bioimage-kg/ontology/"
BKG_VOCAB = "https://w3id.org/bioimage-kg/vocab/"
OBO = "http://purl.obolibrary.org/obo/"


def _quads(store: EmbeddedStore, graph: str) -> list[ox.Quad]:
    return list(store.raw.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmbeddedStore, Path, list[int]]]:
    if not (MIRROR / "manifest.json").is_file():
        pytest.skip(f"the ontology mirror is absent ({MIRROR}); set KG_SHARED to the shared folder")
    path = tmp_path_factory.mktemp("load") / "store"
    store = EmbeddedStore(path)
    cache = default_cache_path(path)
    report = fetch_ontologies(
        store, source=str(MIRROR), only=["fbbi", "uo", "chebi"], extracts=extracts_dir(cache)
    )
    assert report.ok, [o.error for o in report.outcomes]
    yield store, cache, [o.triples for o in report.outcomes]
    store.close()


@pytest.fixture(scope="module")
def index(loaded: tuple[EmbeddedStore, Path, list[int]]) -> TermIndex:
    store, cache, _ = loaded
    return TermIndex.open(store, cache)


def test_bulk_loaded_and_rewritten_files_hold_exactly_their_triples(
    loaded: tuple[EmbeddedStore, Path, list[int]],
) -> None:
    store, _, counts = loaded
    theirs = {e["id"]: e["triples"] for e in json.loads((MIRROR / "manifest.json").read_text())["ontologies"]}
    # fbbi and uo go to the bulk loader as files; chebi names the mirror's slim namespace, rewritten
    assert counts == [theirs["fbbi"], theirs["uo"], theirs["chebi"]] == [6869, 7354, 3130]
    for oid, n in zip(["fbbi", "uo", "chebi"], counts, strict=True):
        assert len(_quads(store, GRAPH + oid)) == n, oid
    chebi = _quads(store, GRAPH + "chebi")
    assert not [q for q in chebi if "urn:x-ontobundle:" in str(q)]
    slim = ox.NamedNode("https://w3id.org/bioimage-kg/ontology/slim/chebi-imaging-slim")
    assert [
        q.object.value for q in chebi if q.subject == slim and q.predicate.value.endswith("#versionInfo")
    ] == ["2026-05-01 (chebi_lite)"]


def test_the_index_from_the_extracts_is_the_index_from_the_store(
    loaded: tuple[EmbeddedStore, Path, list[int]],
) -> None:
    store, cache, _ = loaded
    fast = TermIndex.build(store, extracts=extracts_dir(cache))
    slow = TermIndex.build(store)
    assert fast.report is not None and fast.report.read_from_store == []
    assert slow.report is not None and slow.report.read_from_store == ["fbbi", "uo", "chebi"]

    def comparable(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
        return [(*r[:8], frozenset(r[8]), *r[9:]) for r in rows]  # 'consider' comes in file or store order

    assert comparable(fast.rows) == comparable(slow.rows)  # type: ignore[arg-type]
    assert len(fast.rows) > 1000
    assert fast.keys == slow.keys and fast.postings == slow.postings
    assert fast.parents == slow.parents and fast.part_parents == slow.part_parents
    assert fast.foreign_labels == slow.foreign_labels


def _tiny_mirror(tmp_path: Path, name: str, fmt: str, data: bytes) -> Manifest:
    """A manifest whose FBbi entry is the file ``rdf/<name>`` of a mirror in ``tmp_path``."""
    raw = json.loads(default_manifest().path.read_text())
    entry = raw["ontologies"][0]
    assert entry["id"] == "fbbi"
    entry["mirror"] = {"file": f"rdf/{name}", "format": fmt, "sha256": hashlib.sha256(data).hexdigest()}
    (tmp_path / "mirror" / "rdf").mkdir(parents=True)
    (tmp_path / "mirror" / "rdf" / name).write_bytes(data)
    (tmp_path / "manifest.json").write_text(json.dumps(raw))
    return load_manifest(tmp_path / "manifest.json")


def test_a_dataset_goes_into_the_ontology_graph_with_the_mirror_namespaces_rewritten(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    trig = (
        b"@prefix obo: <http://purl.obolibrary.org/obo/> .\n"
        b"@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        b"@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        b"@prefix bv: <urn:x-ontobundle:vocab#> .\n"
        b'obo:FBbi_1 a owl:Class ; rdfs:label "one" ; bv:parentIsaOrPartOf obo:FBbi_2 .\n'
        b"<urn:x-ontobundle:slim:tiny> a owl:Ontology .\n"
        b'<http://example.org/g> { obo:FBbi_2 a owl:Class ; rdfs:label "two" . }\n'
    )
    m = _tiny_mirror(tmp_path, "tiny.trig", "trig", trig)
    cache = default_cache_path(store.path)
    (o,) = fetch_ontologies(
        store, source=str(tmp_path / "mirror"), only=["fbbi"], manifest=m, extracts=extracts_dir(cache)
    ).outcomes
    assert o.status == "loaded" and o.triples == 6, o.error
    quads = _quads(store, GRAPH + "fbbi")
    assert len(quads) == 6  # the named graph's triples too: everything goes into the one graph
    assert not store.raw.contains_named_graph(ox.NamedNode("http://example.org/g"))
    assert ox.NamedNode(BKG_VOCAB + "parentIsaOrPartOf") in {q.predicate for q in quads}
    assert ox.NamedNode("https://w3id.org/bioimage-kg/ontology/slim/tiny") in {q.subject for q in quads}
    assert not [q for q in quads if "urn:x-ontobundle:" in str(q)]
    # and the index's rows were collected after the rewrite
    index = TermIndex.build(store, m, extracts=extracts_dir(cache))
    assert index.report is not None and index.report.read_from_store == []
    assert index.part_parents == {OBO + "FBbi_1": (OBO + "FBbi_2",)}
    assert sorted(r[2] for r in index.rows) == ["one", "two"]


def test_a_parse_error_on_the_rewriting_path_names_the_file_and_loads_nothing(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    bad = b"@prefix bv: <urn:x-ontobundle:vocab#> .\n<http://a> bv:p <http://b> .\n<http://c> bv:q \n"
    m = _tiny_mirror(tmp_path, "bad.ttl", "turtle", bad)
    (o,) = fetch_ontologies(store, source=str(tmp_path / "mirror"), only=["fbbi"], manifest=m).outcomes
    assert o.status == "failed" and "does not parse as turtle" in o.error and "bad.ttl" in o.error  # type: ignore[operator]
    assert not store.raw.contains_named_graph(ox.NamedNode(GRAPH + "fbbi"))


def test_the_trigram_index_holds_exactly_the_trigrams_of_each_key(index: TermIndex) -> None:
    mask = (1 << 21) - 1
    names = ["".join(map(chr, (c >> 42, (c >> 21) & mask, c & mask))) for c in index.tri_codes.tolist()]
    found: list[set[str]] = [set() for _ in index.keys]
    offsets, keys = index.tri_offsets.tolist(), index.tri_keys.tolist()
    for t, name in enumerate(names):
        members = keys[offsets[t] : offsets[t + 1]]
        # shortest keys first within a trigram, so that a query can bisect for the lengths it can match
        assert members == sorted(members, key=lambda k: (len(index.keys[k]), k))
        for k in members:
            found[k].add(name)
    assert all(found[i] == _trigrams(k) for i, k in enumerate(index.keys))
    assert index.key_ntri.tolist() == [len(_trigrams(k)) for k in index.keys]
    assert np.all(np.diff(index.tri_sort) >= 0)


@pytest.mark.parametrize("prefix", ["m", "micro", "cell", "confocal", "zzzz"])
@pytest.mark.parametrize("cap", [_PREFIX_SCAN, 50])
def test_the_prefix_tier_takes_the_shortest_keys_first(
    index: TermIndex, prefix: str, cap: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "_PREFIX_SCAN", cap)
    keys = index.keys
    starting = [i for i, k in enumerate(keys) if k.startswith(prefix) and k != prefix]
    expected = sorted(starting, key=lambda i: (len(keys[i]), i))[:cap]
    assert list(index._prefix_keys(prefix, 30)) == expected
    if prefix == "m":
        assert len(starting) > 200  # more than one round of the partition, and past the small cap


def _typos(index: TermIndex) -> list[str]:
    """One-letter typos (substitution, deletion, swap) of every 12th key of six or more letters,
    normalised as queries are."""
    labels = [k for k in index.keys if len(k) >= 6][::12]
    out = []
    for n, label in enumerate(labels):
        i = len(label) // 2
        out.append(
            [
                label[:i] + ("x" if label[i] != "x" else "q") + label[i + 1 :],
                label[:i] + label[i + 1 :],
                label[:i] + label[i + 1] + label[i] + label[i + 2 :],
            ][n % 3]
        )
    return [normalise(t) for t in out]


def test_the_fuzzy_tier_finds_the_best_score_that_scoring_every_key_finds(index: TermIndex) -> None:
    everything = [_token_sorted(k) for k in index.keys]
    queries = _typos(index)
    assert len(queries) > 100
    for text in queries:
        key = _token_sorted(text)
        best = process.extractOne(key, everything, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        got = index._fuzzy(text)
        if best is None:
            assert got == [], text
        else:
            assert got and got[0][1] == best[1], (text, got[:1], best)


def test_the_closure_is_rebuilt_in_place(
    loaded: tuple[EmbeddedStore, Path, list[int]], index: TermIndex
) -> None:
    store, _, _ = loaded
    first = build_closure(store, parents=index.parents)
    again = build_closure(store, parents=index.parents)  # the old closure is dropped, the new bulk-loaded
    quads = _quads(store, GRAPH + "closure")
    assert first.pairs == again.pairs == len(quads) - 1 > 1000  # (and the built-from stamp)
    assert closure_is_current(store)
    micrometre = ox.NamedNode(OBO + "UO_0000017")
    assert {q.object.value for q in quads if q.subject == micrometre} >= {
        OBO + "UO_0000017",
        OBO + "UO_0000001",
    }
    left = [g.value for g in store.raw.named_graphs() if isinstance(g, ox.NamedNode)]
    assert not [g for g in left if g.startswith((STAGING_PREFIX, IN_PROGRESS))]
