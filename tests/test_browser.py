"""The SPARQL page as a person sees it: headless Chromium (Debian `chromium`) against `kg serve`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlencode

import pytest

from .conftest import KgServer

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.fail(
            "headless Chromium is required for page tests: `apt-get install chromium` (scripts/test.sh does it)"
        )
    return exe


def render(url: str, tmp: Path, screenshot: Path | None = None) -> str:
    args = [chromium(), *FLAGS, f"--user-data-dir={tmp}", "--virtual-time-budget=5000"]
    if screenshot:
        args += [f"--screenshot={screenshot}", "--window-size=1280,900"]
    else:
        args += ["--dump-dom"]
    r = subprocess.run([*args, url], capture_output=True, text=True, timeout=90)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout


@pytest.mark.browser
def test_query_page_shows_results(server: KgServer, tmp_path: Path) -> None:
    q = (
        "PREFIX ome: <https://ld.openmicroscopy.org/core/>\n"
        "SELECT ?name ?type WHERE { ?i a ome:Image ; ome:name ?name ; ome:pixels/ome:type ?type } ORDER BY ?name"
    )
    dom = render(f"{server.url}/sparql?{urlencode({'query': q})}", tmp_path / "profile")
    assert '<table id="results">' in dom
    assert "4 result(s)" in dom
    for name in ("HeLa DAPI/Tubulin z-stack, field 1", "embryo 1, 24-48 hpf", "scan_0007"):
        assert f"<td>{name}</td>" in dom
    assert "<td>uint16</td>" in dom


@pytest.mark.browser
def test_query_page_explains_refusals(server: KgServer, tmp_path: Path) -> None:
    q = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    dom = render(f"{server.url}/sparql?{urlencode({'query': q})}", tmp_path / "profile")
    assert 'id="error"' in dom and "SERVICE" in dom
    assert '<table id="results">' not in dom


@pytest.mark.browser
def test_query_page_renders(server: KgServer, tmp_path: Path) -> None:
    shot = tmp_path / "sparql.png"
    render(f"{server.url}/sparql", tmp_path / "profile", screenshot=shot)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
