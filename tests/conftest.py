"""Shared fixtures. Tests use real components: embedded Oxigraph, the real `oxigraph` server,
`kg serve` over HTTP, headless Chromium. Tests that read ../shared skip, with the reason, only
when it is absent."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import requests

from kg.config import Settings
from kg.demo import demo_files
from kg.namespaces import sparql_prologue
from kg.store import EmbeddedStore, SelectResult, Store, free_port

if TYPE_CHECKING:
    from .ols4_server import OLS4Server

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(os.environ.get("KG_SHARED", REPO.parent / "shared"))
KG = str(Path(sys.executable).parent / "kg") if (Path(sys.executable).parent / "kg").exists() else "kg"


def rows(store: Store, query: str) -> list[list[str]]:
    """Run a SELECT with kg's prefixes; each row's values as strings ("" for unbound)."""
    res = store.query(sparql_prologue() + query)
    assert isinstance(res, SelectResult), res
    return [[t.value if t is not None else "" for t in r] for r in res.rows]  # type: ignore[union-attr]


@pytest.fixture
def shared() -> Path:
    if not (SHARED / "corpora").is_dir():
        pytest.skip(f"../shared is absent ({SHARED}); set KG_SHARED to the shared folder to run this test")
    return SHARED


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(store_path=tmp_path / "store")


@pytest.fixture
def store(settings: Settings) -> Iterator[EmbeddedStore]:
    s = EmbeddedStore(settings.store_path)
    yield s
    s.close()


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """The demo OME-XML files copied to a folder the test may change."""
    d = tmp_path / "data"
    d.mkdir()
    for f in demo_files():
        shutil.copy(f, d / f.name)
    return d


def run_kg(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 120):
    return subprocess.run(
        [KG, *args],
        cwd=cwd,
        env={**os.environ, **(env or {}), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class KgServer:
    def __init__(self, store: Path, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [KG, "--store", str(store), "serve", "--port", str(self.port)],
            env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"kg serve exited: {self.proc.stderr.read().decode() if self.proc.stderr else ''}"
                )
            try:
                if requests.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("kg serve did not start in 60 s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stderr:
            self.proc.stderr.close()


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store holding the demo files (made with the real CLI)."""
    d = tmp_path_factory.mktemp("demo-store")
    r = run_kg("--store", str(d / "store"), "ingest", *map(str, demo_files()))
    assert r.returncode == 0, r.stderr
    return d / "store"


@pytest.fixture(scope="session")
def server(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[KgServer]:
    """`kg serve` over a copy of the demo store, small limits so that the tests can reach them."""
    copy = tmp_path_factory.mktemp("served") / "store"
    shutil.copytree(demo_store, copy)
    srv = KgServer(
        copy, env={"KG_RESULT_CAP": "50", "KG_QUERY_TIMEOUT": "2", "KG_WRITE_TOKEN": "s3cret-token"}
    )
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def ols4_stand_in() -> Iterator[OLS4Server]:
    """The local OLS4-compatible server (tests/ols4_server.py), one per test module; skipped with
    a reason without ../shared."""
    from .ols4_server import CORPUS, MIRROR, OLS4Server

    if not CORPUS.is_dir() or not (MIRROR / "fbbi.ttl").is_file():
        pytest.skip(f"../shared is absent ({CORPUS}); set KG_SHARED to the shared folder to run this test")
    with OLS4Server() as srv:
        yield srv


@pytest.fixture
def ols4(ols4_stand_in: OLS4Server) -> Iterator[OLS4Server]:
    """The module's OLS4 stand-in with no faults injected and no requests recorded."""
    ols4_stand_in.reset()
    yield ols4_stand_in
    ols4_stand_in.reset()
