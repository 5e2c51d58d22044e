"""``kg export --format sqlite``: the schema-shaped data as SQLite tables made by the generated
DDL; rows for studies, instruments and runs, and joins across them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kg.cli import app
from kg.config import Settings
from kg.export_sql import export_sqlite
from kg.ingest import ingest_paths
from kg.store import EmbeddedStore

from .schema_support import EXAMPLES

SOURCES = ("rembi-study.yaml", "instrument-tier2.yaml", "analysis-run.yaml")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    tmp_path = tmp_path_factory.mktemp("sql")
    store_dir = tmp_path / "store"
    store = EmbeddedStore(store_dir)
    try:
        rep = ingest_paths(store, Settings(store_path=store_dir), [EXAMPLES / n for n in SOURCES])
        assert rep.ok, [o.error for o in rep.outcomes]
    finally:
        store.close()
    out = tmp_path / "kg.sqlite"
    res = CliRunner().invoke(app, ["--store", str(store_dir), "export", "--format", "sqlite", "-o", str(out)])
    assert res.exit_code == 0, res.output
    con = sqlite3.connect(out)
    yield con
    con.close()


def test_rows_for_a_study_an_instrument_and_a_run(exported: sqlite3.Connection) -> None:
    assert exported.execute("SELECT id, title, license FROM Study").fetchall() == [
        (
            "http://localhost:8000/id/study/S-TEST1",
            "Nuclear envelope dynamics in dividing HeLa cells",
            "CC-BY-4.0",
        )
    ]
    assert exported.execute("SELECT id, name FROM Instrument").fetchall() == [
        ("http://localhost:8000/id/instrument/lsm880", "LSM 880 (room 2.14)")
    ]
    assert exported.execute("SELECT name, exit_code FROM AnalysisRun").fetchall() == [
        ("Nucleus segmentation", 0)
    ]
    assert sorted(r[0] for r in exported.execute("SELECT keywords FROM Study_keywords")) == [
        "mitosis",
        "nuclear envelope",
    ]


def test_joins_follow_the_schema(exported: sqlite3.Connection) -> None:
    # study -> component -> biosample, and the acquisition's instrument (another source) -> objective
    got = exported.execute(
        """SELECT s.accession, b.organism_name, o.model, o.lens_na, q.numeric_value, q.unit
           FROM Study s JOIN StudyComponent c ON c.Study_id = s.id
           JOIN Biosample b ON b.StudyComponent_id = c.id
           JOIN ImageAcquisition a ON a.StudyComponent_id = c.id
           JOIN Instrument i ON i.id = a.instrument
           JOIN Objective o ON o.Instrument_id = i.id
           JOIN QuantityValue q ON q.id = o.working_distance_id"""
    ).fetchall()
    assert got == [
        (
            "S-TEST1",
            "Homo sapiens",
            "Plan-Apochromat 63x/1.40 Oil DIC M27",
            1.4,
            0.19,
            "http://qudt.org/vocab/unit/MilliM",
        )
    ]
    seeds = exported.execute(
        "SELECT r.name, s.seed_value, s.generator FROM RandomSeed s JOIN AnalysisRun r ON s.AnalysisRun_id = r.id"
    ).fetchall()
    assert seeds == [("Nucleus segmentation", 12345, "numpy.random.default_rng")]
    specimen = exported.execute(
        "SELECT b.name FROM Specimen sp JOIN Biosample b ON sp.biosample = b.id"
    ).fetchall()
    assert specimen == [("HeLa LMNA-GFP",)]
    methods = exported.execute("SELECT imaging_method FROM ImageAcquisition_imaging_method").fetchall()
    assert methods == [("http://purl.obolibrary.org/obo/FBbi_00000251",)]


def test_incomplete_data_is_exported_with_nulls(tmp_path: Path) -> None:
    doc = yaml.safe_load((EXAMPLES / "rembi-study.yaml").read_text(encoding="utf-8"))
    del doc["license"]  # REMBI requires it; the DDL says NOT NULL
    p = tmp_path / "study.yaml"
    p.write_text(yaml.safe_dump(doc), encoding="utf-8")
    store = EmbeddedStore(None)
    try:
        assert ingest_paths(store, Settings(store_path=tmp_path / "s"), [p]).ok
        counts = export_sqlite(store, tmp_path / "out.sqlite")
    finally:
        store.close()
    assert counts["Study"] == 1
    con = sqlite3.connect(tmp_path / "out.sqlite")
    assert con.execute("SELECT title, license FROM Study").fetchall() == [
        ("Nuclear envelope dynamics in dividing HeLa cells", None)
    ]
    con.close()


def test_sqlite_needs_an_output_file(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["--store", str(tmp_path / "s"), "export", "--format", "sqlite"])
    assert res.exit_code == 2 and "--format sqlite needs -o FILE" in res.output
