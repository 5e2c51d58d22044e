"""``kg demo``: the whole loop on bundled files, on an embedded store.

Ingests the demo OME-XML files shipped in ``kg/demo_data`` (written for this project), validates
them, runs the example queries in ``kg/demo_data/queries`` and writes a Turtle export.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
from rich.console import Console
from rich.table import Table

from kg.config import Settings
from kg.ingest import ingest_paths
from kg.results import cell
from kg.store import EmbeddedStore, SelectResult
from kg.validate import validate_store

DEMO_DIR = Path(__file__).resolve().parent / "demo_data"


def demo_files() -> list[Path]:
    return sorted(DEMO_DIR.glob("*.ome.xml"))


def demo_queries() -> list[Path]:
    return sorted((DEMO_DIR / "queries").glob("*.rq"))


def run_demo(settings: Settings, export_path: Path, console: Console) -> int:
    store_path = settings.store_path.resolve()
    console.rule("bioimage-kg demo")
    with EmbeddedStore(store_path) as store:
        # 1. ingest
        report = ingest_paths(store, settings, demo_files())
        counts = Counter(o.status for o in report.outcomes)
        console.print(
            f"[bold]1. ingest[/]  {len(report.outcomes)} OME-XML files: {counts['ingested']} ingested, "
            f"{counts['unchanged']} unchanged, {counts['failed']} failed",
            highlight=False,
        )
        for o in report.outcomes:
            line = f"   {Path(o.path).name}: {o.status}"
            if o.triples:
                line += f", {o.triples} triples"
            if o.unmapped:
                groups = ", ".join(p for p, _n, _e in o.unmapped_summary())
                line += f"; not mapped yet: {groups}"
            console.print(line, highlight=False)
        for o in report.failed:
            console.print(f"   [red]failed[/] {o.error}", highlight=False)

        # 2. validate
        rep = validate_store(store)
        c = rep.counts
        console.print(
            f"[bold]2. validate[/]  {rep.graphs} sources: {c['violation']} violation(s), "
            f"{c['warning']} warning(s), {c['info']} note(s)",
            highlight=False,
        )
        for f in rep.findings:
            if f.severity != "info":
                console.print(f"   {f.sentence()}", highlight=False)

        # 3. query
        console.print("[bold]3. query[/]")
        for qfile in demo_queries():
            text = qfile.read_text(encoding="utf-8")
            question = text.splitlines()[0].lstrip("# ").strip()
            res = store.query(text, cap=settings.result_cap)
            assert isinstance(res, SelectResult)
            table = Table(*res.variables, title=f"{question}  ({qfile.name})", title_justify="left")
            for row in res.rows:
                table.add_row(*(cell(t) for t in row))
            console.print(table)

        # 4. export
        with export_path.open("wb") as fh:
            store.dump(fh, ox.RdfFormat.TURTLE)
        stats = store.stats()
    console.print(
        f"[bold]4. export[/]  {stats['triples']} triples in {stats['graphs']} graphs "
        f"written to {export_path.resolve()}",
        highlight=False,
    )
    console.rule()
    console.print(f"store:  {store_path}  (kg --store {store_path} query '...')", highlight=False)
    console.print(f"export: {export_path.resolve()}", highlight=False)
    console.print("next:   kg serve   then open http://127.0.0.1:8000/sparql", highlight=False)
    return 0 if report.ok else 1
