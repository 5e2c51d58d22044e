"""Ingest: atomic per source, idempotent, changed sources replace their graph, failures named."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.config import Settings
from kg.ingest import ingest_paths
from kg.store import STAGING_PREFIX, EmbeddedStore, OxigraphServer, RemoteStore, SelectResult, Store

from .conftest import FIXTURES


def snapshot(store: Store) -> bytes:
    buf = io.BytesIO()
    store.dump(buf, ox.RdfFormat.N_QUADS)
    return b"\n".join(sorted(buf.getvalue().splitlines()))


def test_reingest_unchanged_changes_nothing(
    store: EmbeddedStore, settings: Settings, demo_copy: Path
) -> None:
    first = ingest_paths(store, settings, [demo_copy])
    assert [o.status for o in first.outcomes] == ["ingested"] * 3
    before = snapshot(store)
    second = ingest_paths(store, settings, [demo_copy])
    assert [o.status for o in second.outcomes] == ["unchanged"] * 3
    assert snapshot(store) == before
    # a new store instance (a new process) also sees the source as unchanged
    store.close()
    again = EmbeddedStore(settings.store_path)
    third = ingest_paths(again, settings, [demo_copy])
    assert [o.status for o in third.outcomes] == ["unchanged"] * 3


def test_changed_source_replaces_its_graph(store: EmbeddedStore, settings: Settings, demo_copy: Path) -> None:
    f = demo_copy / "hela-confocal-zstack.ome.xml"
    ingest_paths(store, settings, [f])
    stats = store.stats()
    f.write_text(f.read_text().replace('LensNA="1.4"', 'LensNA="1.32"'))
    rep = ingest_paths(store, settings, [f])
    assert rep.outcomes[0].status == "ingested"
    res = store.query("SELECT ?na WHERE { ?o <https://ld.openmicroscopy.org/core/lens_na> ?na }")
    assert isinstance(res, SelectResult)
    assert [r[0].value for r in res.rows] == ["1.32"]  # type: ignore[union-attr]
    assert store.stats() == stats  # same shape of data, no duplicates, same single graph


def test_failed_file_leaves_store_as_it_was(
    store: EmbeddedStore, settings: Settings, demo_copy: Path
) -> None:
    ingest_paths(store, settings, [demo_copy])
    before = snapshot(store)
    f = demo_copy / "hela-confocal-zstack.ome.xml"
    # the same source, now broken: its old graph must survive untouched
    f.write_text(f.read_text().replace('Type="uint16"', 'Type="uint12"'))
    shutil.copy(FIXTURES / "bad-not-wellformed.ome.xml", demo_copy)
    rep = ingest_paths(store, settings, [demo_copy])
    failed = {o.path.name: o.error for o in rep.failed}
    assert set(failed) == {"hela-confocal-zstack.ome.xml", "bad-not-wellformed.ome.xml"}
    assert "uint12" in failed["hela-confocal-zstack.ome.xml"]
    assert "line 5" in failed["bad-not-wellformed.ome.xml"]
    assert snapshot(store) == before


def _fails_midway(n: int, graph: ox.NamedNode) -> Iterator[ox.Quad]:
    for i in range(n):
        yield ox.Quad(
            ox.NamedNode(f"http://x.org/s{i}"), ox.NamedNode("http://x.org/p"), ox.Literal(str(i)), graph
        )
    raise RuntimeError("mapping crashed midway")


def _check_atomic_replace(store: Store) -> None:
    g = ox.NamedNode("http://x.org/id/source/a")
    store.replace_graph(
        g, [ox.Quad(ox.NamedNode("http://x.org/old"), ox.NamedNode("http://x.org/p"), ox.Literal("v"), g)]
    )
    before = snapshot(store)
    with pytest.raises(RuntimeError, match="midway"):
        store.replace_graph(g, _fails_midway(30_000, g))
    assert snapshot(store) == before
    res = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert isinstance(res, SelectResult)
    assert not any(r[0].value.startswith(STAGING_PREFIX) for r in res.rows)  # type: ignore[union-attr]
    # and a successful replace really replaces
    store.replace_graph(
        g, [ox.Quad(ox.NamedNode("http://x.org/new"), ox.NamedNode("http://x.org/p"), ox.Literal("w"), g)]
    )
    res = store.query("SELECT ?s WHERE { ?s ?p ?o }")
    assert isinstance(res, SelectResult)
    assert [r[0].value for r in res.rows] == ["http://x.org/new"]  # type: ignore[union-attr]


def test_atomic_replace_embedded(store: EmbeddedStore) -> None:
    _check_atomic_replace(store)


def test_atomic_bulk_write_embedded(store: EmbeddedStore) -> None:
    """A large new graph goes through the bulk loader; a failure midway still leaves nothing."""
    from kg.store import BULK_THRESHOLD

    keep = ox.NamedNode("http://x.org/id/source/keep")
    store.replace_graph(keep, [ox.Quad(keep, ox.NamedNode("http://x.org/p"), ox.Literal("v"), keep)])
    before = snapshot(store)
    g = ox.NamedNode("http://x.org/id/source/big")
    with pytest.raises(RuntimeError, match="midway"):
        store.replace_graph(g, _fails_midway(BULK_THRESHOLD * 2 + 10, g))
    assert snapshot(store) == before
    assert store.replace_graph(g, list(_quads(BULK_THRESHOLD * 2 + 10, g))) == BULK_THRESHOLD * 2 + 10
    assert store.stats() == {"graphs": 2, "triples": BULK_THRESHOLD * 2 + 11}


def _quads(n: int, graph: ox.NamedNode) -> Iterator[ox.Quad]:
    for i in range(n):
        yield ox.Quad(
            ox.NamedNode(f"http://x.org/s{i}"), ox.NamedNode("http://x.org/p"), ox.Literal(str(i)), graph
        )


KILLED_WRITER = """
import sys, time
import pyoxigraph as ox
from pathlib import Path
from kg.store import EmbeddedStore, BULK_THRESHOLD
s = EmbeddedStore(Path(sys.argv[1]))
g = ox.NamedNode(sys.argv[2])
def quads():
    for i in range(BULK_THRESHOLD * 3):
        if i == BULK_THRESHOLD * 2:
            print("writing", flush=True)
            time.sleep(120)
        yield ox.Quad(ox.NamedNode(f"http://x.org/s{i}"), ox.NamedNode("http://x.org/p"), ox.Literal(str(i)), g)
s.replace_graph(g, quads())
"""


def test_killed_bulk_write_is_undone_at_next_open(tmp_path: Path) -> None:
    """SIGKILL in the middle of a bulk write: the next open finds the store as it was."""
    import os
    import signal
    import subprocess
    import sys

    path = tmp_path / "store"
    s = EmbeddedStore(path)
    keep = ox.NamedNode("http://x.org/id/source/keep")
    s.replace_graph(keep, [ox.Quad(keep, ox.NamedNode("http://x.org/p"), ox.Literal("v"), keep)])
    before = snapshot(s)
    s.close()
    del s
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(path), "http://x.org/id/source/big"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "writing"  # two bulk chunks are on disk by now
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    again = EmbeddedStore(path)
    assert snapshot(again) == before


def test_atomic_first_write_embedded(store: EmbeddedStore) -> None:
    """A new graph is written by a single extend: a failure midway leaves nothing behind."""
    g = ox.NamedNode("http://x.org/id/source/new")
    before = snapshot(store)
    with pytest.raises(RuntimeError, match="midway"):
        store.replace_graph(g, _fails_midway(30_000, g))
    assert snapshot(store) == before
    assert store.stats() == {"graphs": 0, "triples": 0}


def test_atomic_replace_remote_oxigraph_server(tmp_path: Path) -> None:
    with OxigraphServer(tmp_path / "remote", timeout_s=10) as srv:
        remote = RemoteStore(srv.query_url, srv.update_url, timeout_s=10)
        remote.CHUNK = 5_000  # several INSERT DATA requests before the failure
        _check_atomic_replace(remote)


def test_ingest_into_remote_store(tmp_path: Path, demo_copy: Path) -> None:
    settings = Settings(store_path=tmp_path / "unused")
    with OxigraphServer(tmp_path / "remote", timeout_s=10) as srv:
        remote = RemoteStore(srv.query_url, srv.update_url, timeout_s=10)
        rep = ingest_paths(remote, settings, [demo_copy])
        assert rep.ok
        local = EmbeddedStore(None)
        ingest_paths(local, settings, [demo_copy])
        # the same triples whichever store took them, apart from ingest timestamps
        strip = lambda b: [ln for ln in b.splitlines() if b"generatedAtTime" not in ln]  # noqa: E731
        assert strip(snapshot(remote)) == strip(snapshot(local))
        assert [o.status for o in ingest_paths(remote, settings, [demo_copy]).outcomes] == ["unchanged"] * 3


def test_staging_graphs_from_a_killed_run_are_removed(tmp_path: Path) -> None:
    path = tmp_path / "store"
    s = EmbeddedStore(path)
    s.raw.add(
        ox.Quad(
            ox.NamedNode("http://x.org/s"),
            ox.NamedNode("http://x.org/p"),
            ox.Literal("o"),
            ox.NamedNode(STAGING_PREFIX + "dead"),
        )
    )
    s.close()
    del s
    s2 = EmbeddedStore(path)
    assert s2.stats() == {"graphs": 0, "triples": 0}


def test_unknown_files_in_folders_are_skipped_but_named_files_fail(
    store: EmbeddedStore, settings: Settings, tmp_path: Path
) -> None:
    d = tmp_path / "mixed"
    d.mkdir()
    (d / "README.txt").write_text("notes")
    shutil.copy(FIXTURES / "ome-with-txt-extension.txt", d / "image.txt")
    rep = ingest_paths(store, settings, [d])
    assert sorted((o.path.name, o.status) for o in rep.outcomes) == [
        ("README.txt", "skipped"),
        ("image.txt", "ingested"),
    ]
    rep = ingest_paths(store, settings, [d / "README.txt", tmp_path / "missing.ome.xml"])
    assert [o.status for o in rep.outcomes] == ["failed", "failed"]
    assert "no such file" in (rep.outcomes[1].error or "")
