"""Provenance of real analysis runs: ``kg record -- python script.py`` and the
``kg.provenance.record`` context manager. The scripts here really run, seed numpy, read an input
and write an output; the records are checked against what happened (checksums of the files,
the git commit of the folder, the installed numpy), against the schema's JSON Schema, and
against the ``analysis`` profile after ingest."""

from __future__ import annotations

import hashlib
import json
import os
import random
import subprocess
import sys
import textwrap
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from kg.cli import app
from kg.config import Settings
from kg.ingest import ingest_paths
from kg.profiles import shape_files
from kg.provenance import container_image, record, run_and_record
from kg.store import EmbeddedStore
from kg.validate import validate_store

from .schema_support import GENERATED

SCRIPT = textwrap.dedent(
    """
    import random
    import sys

    import numpy as np

    random.seed(3)
    np.random.seed(7)
    rng = np.random.default_rng(seed=1234)
    data = np.loadtxt(sys.argv[1])
    np.savetxt(sys.argv[2], data + rng.normal(size=data.shape) + np.random.rand())
    sys.exit(int(sys.argv[3]) if len(sys.argv) > 3 else 0)
    """
)


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _git(folder: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    return subprocess.run(
        ["git", "-C", str(folder), *args], check=True, capture_output=True, text=True, env=env
    ).stdout


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A git work tree with an analysis script and its input, committed."""
    d = tmp_path / "analysis"
    d.mkdir()
    (d / "analyse.py").write_text(SCRIPT, encoding="utf-8")
    (d / "cells.txt").write_text("1 2 3\n4 5 6\n", encoding="utf-8")
    _git(d, "init", "-q")
    _git(d, "add", ".")
    _git(d, "commit", "-qm", "analysis")
    return d


def _schema_errors(data: dict[str, Any]) -> list[str]:
    jsonschema = pytest.importorskip("jsonschema")
    js = json.loads((GENERATED / "bioimage_kg.schema.json").read_text(encoding="utf-8"))
    root = {k: v for k, v in js.items() if k not in ("properties", "required", "additionalProperties")}
    root["$ref"] = "#/$defs/AnalysisRun"
    validator = jsonschema.validators.validator_for(js)(root)
    return [
        f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(json.loads(json.dumps(data)))
    ]


def _ingest_and_check(path: Path) -> list[Any]:
    store = EmbeddedStore(None)
    try:
        rep = ingest_paths(store, Settings(store_path=Path("unused")), [path])
        assert rep.ok, [o.error for o in rep.outcomes]
        assert rep.outcomes[0].kind == "Analysis provenance"
        return validate_store(store, shapes_paths=shape_files(["analysis"])).findings
    finally:
        store.close()


def test_kg_record_captures_a_real_seeded_run(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    monkeypatch.setenv("KG_ORCID", "0000-0002-1825-0097")
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    monkeypatch.delenv("KG_CONTAINER_IMAGE", raising=False)
    store = tmp_path / "store"
    res = CliRunner().invoke(
        app,
        [
            "--store",
            str(store),
            "record",
            "--ingest",
            "--record",
            "run.prov.yaml",
            "--",
            sys.executable,
            "analyse.py",
            "cells.txt",
            "noisy.txt",
        ],
    )
    assert res.exit_code == 0, res.output
    rec = yaml.safe_load((project / "run.prov.yaml").read_text(encoding="utf-8"))
    # the seeds the script itself set, seen in the child process
    seeds = {(s["generator"], s["seed_value"]) for s in rec["random_seeds"]}
    assert seeds == {("random.seed", 3), ("numpy.random.seed", 7), ("numpy.random.default_rng", 1234)}
    # inputs and outputs with the checksums of the real files; the script is the software
    assert [(f["path"], f["sha256"]) for f in rec["inputs"]] == [("cells.txt", _sha(project / "cells.txt"))]
    assert [(f["path"], f["sha256"]) for f in rec["outputs"]] == [("noisy.txt", _sha(project / "noisy.txt"))]
    sw = rec["software"]
    head = _git(project, "rev-parse", "HEAD").strip()
    assert (sw["name"], sw["version"], sw["git_commit"], sw["git_dirty"]) == ("analyse.py", head, head, False)
    # the child's own environment: its numpy, with the version it imported
    lock = {d["name"].lower(): d["version"] for d in rec["environment_lock"]}
    assert lock["numpy"] == np.__version__
    assert {"name": "arg1", "value": "cells.txt"} in rec["parameters"]
    assert {"name": "env:OMP_NUM_THREADS", "value": "1"} in rec["parameters"]
    assert rec["start_time"] <= rec["end_time"] and rec["exit_code"] == 0
    assert rec["agent"]["orcid"] == "https://orcid.org/0000-0002-1825-0097"
    assert rec["hardware"]["cpu_count"] >= 1 and rec["hardware"]["cpu_model"]
    assert "container_image" not in rec
    assert _schema_errors(rec) == []
    # --ingest put it in the store; the analysis profile finds nothing required missing
    check = EmbeddedStore(store)
    try:
        findings = validate_store(check, shapes_paths=shape_files(["analysis"])).findings
    finally:
        check.close()
    assert [f.sentence() for f in findings if f.severity == "violation"] == []
    assert not [f for f in findings if f.severity == "warning"]


def test_a_failing_command_keeps_its_exit_code_and_is_recorded(project: Path) -> None:
    rec = run_and_record(
        [sys.executable, "analyse.py", "cells.txt", "out.txt", "3"],
        cwd=project,
        record_path=project / "fail.prov.json",
    )
    assert rec.exit_code == 3 and rec.data["exit_code"] == 3
    assert json.loads((project / "fail.prov.json").read_text(encoding="utf-8"))["exit_code"] == 3
    assert [f["path"] for f in rec.data["outputs"]] == ["out.txt"]


def test_a_command_that_does_not_exist_is_an_error(project: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["--store", str(tmp_path / "s"), "record", "--", "no-such-program-kg", "x"])
    assert res.exit_code == 2
    assert "no-such-program-kg: command not found" in res.output


def test_the_context_manager_records_the_block(project: Path) -> None:
    before = (np.random.default_rng, random.seed)
    with record(
        "smooth",
        params={"sigma": 2.0, "mode": "reflect"},
        inputs=["cells.txt"],
        outputs=["smooth.txt"],
        seed=5,
        cwd=project,
        path=project / "smooth.prov.yaml",
    ) as run:
        rng = np.random.default_rng(99)
        data = np.loadtxt(project / "cells.txt")
        np.savetxt(project / "smooth.txt", data * rng.random())
    assert (np.random.default_rng, random.seed) == before  # unwrapped after the block
    rec = run.data
    assert (
        run.path == project / "smooth.prov.yaml"
        and yaml.safe_load(run.path.read_text(encoding="utf-8")) == rec
    )
    assert {(s["generator"], s["seed_value"]) for s in rec["random_seeds"]} == {
        ("given", 5),
        ("numpy.random.default_rng", 99),
    }
    assert [(f["path"], f["sha256"]) for f in rec["outputs"]] == [
        ("smooth.txt", _sha(project / "smooth.txt"))
    ]
    assert {"name": "sigma", "value": "2.0"} in rec["parameters"]
    lock = {d["name"].lower(): d["version"] for d in rec["environment_lock"]}
    assert lock["numpy"] == metadata.version("numpy")
    assert _schema_errors(rec) == []
    findings = _ingest_and_check(run.path)
    assert [f.sentence() for f in findings if f.severity == "violation"] == []


def test_the_context_manager_records_a_failed_block_and_reraises(project: Path) -> None:
    with (
        pytest.raises(ZeroDivisionError),
        record("broken", inputs=["cells.txt"], cwd=project, path=project / "broken.prov.yaml") as run,
    ):
        _ = 1 / 0
    assert run.data["exit_code"] == 1
    assert "ZeroDivisionError" in run.data["description"]


def test_container_image_digest_only_when_known(monkeypatch: pytest.MonkeyPatch) -> None:
    digest = "a" * 64
    monkeypatch.setenv(
        "KG_CONTAINER_IMAGE", f"quay.io/biocontainers/cellpose:3.0.1--pyhdfd78af_0@sha256:{digest}"
    )
    assert container_image() == {
        "name": "biocontainers/cellpose",
        "sha256": digest,
        "registry": "quay.io",
        "tag": "3.0.1--pyhdfd78af_0",
    }
    monkeypatch.setenv("KG_CONTAINER_IMAGE", "biocontainers/cellpose:latest")  # a tag alone is no digest
    assert container_image() is None or Path("/run/.containerenv").exists()
