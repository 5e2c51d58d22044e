"""The ``kg`` command line. Errors become exit codes here and nowhere else.

Exit codes: 0 success (``validate``: conforms), 1 some input failed (``validate``: violations),
2 usage or system error (bad settings, store locked, query refused or timed out).
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections import Counter
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg import __version__
from kg.config import Settings
from kg.errors import KGError, QueryTimeoutError
from kg.store import EmbeddedStore, GraphResult, SelectResult, Store, open_store

app = typer.Typer(
    name="kg",
    help="bioimage-kg: microscopy metadata as a validated, queryable knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)
T = TypeVar("T")


def _fail(exc: BaseException, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False)
    return typer.Exit(code)


def settings_of(ctx: typer.Context) -> Settings:
    s = ctx.obj
    assert isinstance(s, Settings)
    return s


@app.callback()
def _options(
    ctx: typer.Context,
    store: Annotated[
        Path | None,
        typer.Option("--store", help="Embedded store directory [env KG_STORE; default ./kg-store]"),
    ] = None,
    endpoint: Annotated[
        str | None, typer.Option("--endpoint", help="Remote SPARQL endpoint instead [env KG_ENDPOINT]")
    ] = None,
    base_iri: Annotated[
        str | None, typer.Option("--base-iri", help="Prefix of minted IRIs [env KG_BASE_IRI]")
    ] = None,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit")] = False,
) -> None:
    if version:
        out.print(f"bioimage-kg {__version__}")
        raise typer.Exit(0)
    try:
        ctx.obj = Settings.from_env(store_path=store, endpoint=endpoint, base_iri=base_iri)
    except KGError as exc:
        raise _fail(exc) from exc


def _open(settings: Settings) -> Store:
    try:
        return open_store(settings)
    except KGError as exc:
        raise _fail(exc) from exc


def run_with_deadline(fn: Callable[[], T], timeout_s: float) -> T:
    """Run ``fn`` in a worker thread; raise QueryTimeoutError if it is not done in time.

    An embedded Oxigraph query cannot be interrupted (oxigraph issue 1926), so on timeout the
    caller must end the process; the CLI does.
    """
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:
            box["error"] = exc

    t = threading.Thread(target=work, daemon=True)
    t.start()
    t.join(timeout_s)
    if t.is_alive():
        raise QueryTimeoutError(
            f"the query ran longer than {timeout_s:g} s and was stopped (KG_QUERY_TIMEOUT)"
        )
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


# -- ingest ---------------------------------------------------------------------------------


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[
        list[str], typer.Argument(help="Files, folders (walked), OME-Zarr folders or http(s) OME-Zarr URLs")
    ],
    report: Annotated[
        Path | None,
        typer.Option(
            "--report", help="Write a JSON report: per file, status, errors and every unmapped value"
        ),
    ] = None,
) -> None:
    """Detect, map and load sources; each source gets its own named graph."""
    from kg.ingest import ingest_paths
    from kg.readers import walk

    settings = settings_of(ctx)
    sources: list[Path | str] = [p if p.startswith(("http://", "https://")) else Path(p) for p in paths]
    total = sum(1 for _ in walk(sources))
    with _open(settings) as store:
        with Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=total < 5 or not err.is_terminal,
        ) as progress:
            task = progress.add_task("ingesting", total=total)
            result = ingest_paths(store, settings, sources, on_file=lambda o: progress.advance(task))
        if isinstance(store, EmbeddedStore) and sum(o.triples for o in result.outcomes) > 1_000_000:
            store.optimize()  # FACTS.md: analytic queries are much faster after optimize()

    counts = Counter(o.status for o in result.outcomes)
    out.print(
        f"{counts['ingested']} ingested, {counts['unchanged']} unchanged, "
        f"{counts['failed']} failed, {counts['skipped']} skipped (not a recognised format) "
        f"— store: {store.description}",
        highlight=False,
    )
    for o in result.outcomes:
        if o.status == "skipped":
            out.print(f"  skipped {o.path}", style="dim", highlight=False)
        for w in o.warnings:
            out.print(f"  [yellow]warning[/] {o.path}: {w}", highlight=False)
    unmapped: Counter[str] = Counter()
    for o in result.outcomes:
        for pattern, n, _example in o.unmapped_summary():
            unmapped[pattern] += n
    if unmapped:
        files = sum(1 for o in result.outcomes if o.unmapped)
        table = Table(
            title=f"Not carried into the graph ({sum(unmapped.values())} values in {files} file(s))"
        )
        table.add_column("element / attribute")
        table.add_column("count", justify="right")
        for pattern, n in unmapped.most_common(20):
            table.add_row(pattern, str(n))
        if len(unmapped) > 20:
            table.caption = f"... and {len(unmapped) - 20} more; see --report"
        out.print(table)
    unresolved: Counter[str] = Counter()
    for o in result.outcomes:
        for u in o.unresolved:
            unresolved[f"{u.field} = {u.value}"] += 1
    if unresolved:
        table = Table(title="Kept as text, no ontology term yet (mappings/sssom/)")
        table.add_column("value")
        table.add_column("count", justify="right")
        for key, n in unresolved.most_common(20):
            table.add_row(key, str(n))
        out.print(table)
    if report:
        report.write_text(json.dumps([o.as_dict() for o in result.outcomes], indent=2), encoding="utf-8")
        out.print(f"report written to {report}")
    for o in result.failed:
        err.print(f"[red]failed[/] {o.error}", highlight=False)
    raise typer.Exit(0 if result.ok else 1)


# -- validate -------------------------------------------------------------------------------


@app.command()
def validate(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
) -> None:
    """Check the store against the SHACL shapes. Exit 0 conforms, 1 violations, 2 error."""
    from kg.validate import validate_store

    if fmt not in ("text", "json"):
        raise _fail(ValueError(f"--format must be text or json, not {fmt!r}"))
    try:
        with _open(settings_of(ctx)) as store:
            rep = validate_store(store)
    except KGError as exc:
        raise _fail(exc) from exc
    if fmt == "json":
        sys.stdout.write(json.dumps(rep.as_dict(), indent=2) + "\n")
    else:
        for f in rep.findings:
            style = {"violation": "red", "warning": "yellow", "info": "dim"}[f.severity]
            out.print(f.sentence(), style=style, highlight=False)
        c = rep.counts
        out.print(
            f"{rep.graphs} source(s) checked: {c['violation']} violation(s), {c['warning']} warning(s), "
            f"{c['info']} note(s) — {'conforms' if rep.conforms else 'DOES NOT CONFORM'}",
            highlight=False,
        )
    raise typer.Exit(0 if rep.conforms else 1)


# -- query ----------------------------------------------------------------------------------


@app.command()
def query(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="A SPARQL query, or @FILE to read it from a file")],
    fmt: Annotated[
        str, typer.Option("--format", help="table, json, csv, tsv, xml (CONSTRUCT: ttl, nt, jsonld)")
    ] = "table",
) -> None:
    """Run a read-only SPARQL query over all graphs (SERVICE is refused)."""
    from kg.results import SHORT, cell, serialize
    from kg.sparql_guard import guard_query

    settings = settings_of(ctx)
    if text.startswith("@"):
        try:
            text = Path(text[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise _fail(exc) from exc
    try:
        guard_query(text)
        store = _open(settings)
        result = run_with_deadline(
            lambda: store.query(text, cap=settings.result_cap), settings.query_timeout_s
        )
    except QueryTimeoutError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False)
        sys.stderr.flush()
        os._exit(2)  # the embedded query is still running in its thread and cannot be stopped
    except KGError as exc:
        raise _fail(exc) from exc
    if result.truncated:
        err.print(f"[yellow]note:[/] only the first {settings.result_cap} results are shown (KG_RESULT_CAP)")
    if fmt == "table":
        if isinstance(result, SelectResult):
            table = Table(*result.variables)
            for row in result.rows:
                table.add_row(*(cell(t) for t in row))
            out.print(table)
            out.print(f"{len(result.rows)} row(s)")
        elif isinstance(result, GraphResult):
            sys.stdout.write(serialize(result, "text/turtle").decode("utf-8"))
        else:
            out.print("true" if result.value else "false")
        raise typer.Exit(0)
    try:
        media = SHORT.get(fmt, fmt)
        if isinstance(result, GraphResult) and fmt == "json":
            media = "application/ld+json"
        sys.stdout.buffer.write(serialize(result, media))
    except ValueError as exc:
        raise _fail(exc) from exc


# -- export ---------------------------------------------------------------------------------

EXPORT_FORMATS = {"ttl": "TURTLE", "nq": "N_QUADS", "jsonld": "JSON_LD", "trig": "TRIG", "nt": "N_TRIPLES"}


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[
        str, typer.Option("--format", help="ttl, nq (streams, keeps graphs), trig, jsonld or nt")
    ] = "ttl",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write (default: standard output)")
    ] = None,
) -> None:
    """Export the store. N-Quads and TriG keep each source's graph; Turtle merges them."""
    import pyoxigraph as ox

    if fmt not in EXPORT_FORMATS:
        raise _fail(ValueError(f"--format must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}"))
    rdf_format = getattr(ox.RdfFormat, EXPORT_FORMATS[fmt])
    try:
        with _open(settings_of(ctx)) as store:
            if output:
                tmp = output.with_name(output.name + ".partial")
                with tmp.open("wb") as fh:
                    store.dump(fh, rdf_format)
                tmp.replace(output)  # a failed export never leaves half a file under the real name
                err.print(f"exported to {output}")
            else:
                store.dump(sys.stdout.buffer, rdf_format)
    except KGError as exc:
        raise _fail(exc) from exc


# -- demo -----------------------------------------------------------------------------------


@app.command()
def demo(
    ctx: typer.Context,
    export_path: Annotated[Path, typer.Option("--export", help="Where to write the Turtle export")] = Path(
        "kg-demo-export.ttl"
    ),
) -> None:
    """Ingest the bundled demo OME-XML files, validate, query and export: the whole loop."""
    from kg.demo import run_demo

    try:
        code = run_demo(settings_of(ctx), export_path, out)
    except KGError as exc:
        raise _fail(exc) from exc
    raise typer.Exit(code)


def _load_plugins() -> None:
    """Add commands other packages contribute (``kg serve`` comes from api/), loading each only
    when it is asked for or help is shown, so that kg never imports api on its own."""
    argv = sys.argv[1:]
    wants_help = not argv or "--help" in argv or "-h" in argv
    for ep in entry_points(group="kg.commands"):
        if wants_help or ep.name in argv:
            try:
                app.command(name=ep.name)(ep.load())
            except Exception as exc:  # a broken plugin must not take the whole CLI down
                err.print(f"[yellow]warning:[/] command {ep.name!r} unavailable: {exc}")


def main() -> None:
    _load_plugins()
    app()


if __name__ == "__main__":
    main()
