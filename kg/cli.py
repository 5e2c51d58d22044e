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
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg import __version__
from kg.config import Settings
from kg.errors import KGError, QueryTimeoutError
from kg.store import EmbeddedStore, GraphResult, SelectResult, Store, open_store

if TYPE_CHECKING:
    from kg.validate import ValidationReport

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
    validate_new: Annotated[
        bool,
        typer.Option(
            "--validate", help="Validate the new sources and what they link to (SPARQL engine)"
        ),
    ] = False,
    validate_profile: Annotated[
        list[str] | None,
        typer.Option("--profile", help="Profiles for --validate, as for kg validate (implies --validate)"),
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
        checked = None
        if validate_new or validate_profile:
            new = [o.graph for o in result.outcomes if o.status == "ingested" and o.graph]
            checked = _validate_new(store, new, validate_profile)

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
    for f in result.followups:
        for line in f.messages:
            out.print(f"  {f.step}: {line}", highlight=False)
        if f.error:
            err.print(f"[yellow]warning[/] after ingest, {f.step} failed: {f.error}", highlight=False)
    if report:
        report.write_text(json.dumps([o.as_dict() for o in result.outcomes], indent=2), encoding="utf-8")
        out.print(f"report written to {report}")
    for o in result.failed:
        err.print(f"[red]failed[/] {o.error}", highlight=False)
    if checked is not None:
        _print_findings(checked, "new source(s) validated")
    raise typer.Exit(0 if result.ok else 1)


def _validate_new(store: Store, graphs: list[str], profile: list[str] | None) -> ValidationReport:
    """Incremental validation of the graphs just ingested (kg.shacl.validate_graphs)."""
    from kg.profiles import parse_profile_names, shape_files
    from kg.shacl.findings import validate_store_sparql
    from kg.validate import load_shapes

    try:
        shapes = load_shapes(shape_files(parse_profile_names(profile)) if profile else None)
        return validate_store_sparql(store, shapes, graphs=graphs)
    except KGError as exc:
        raise _fail(exc) from exc


def _print_findings(rep: ValidationReport, what: str) -> None:
    for f in rep.findings:
        style = {"violation": "red", "warning": "yellow", "info": "dim"}[f.severity]
        out.print(f.sentence(), style=style, highlight=False)
    c = rep.counts
    out.print(
        f"{rep.graphs} {what}: {c['violation']} violation(s), {c['warning']} warning(s), "
        f"{c['info']} note(s) — {'conforms' if rep.conforms else 'DOES NOT CONFORM'}",
        highlight=False,
    )


# -- validate -------------------------------------------------------------------------------


@app.command()
def validate(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
    profile: Annotated[
        list[str] | None,
        typer.Option(
            "--profile",
            help="ome-core (default), rembi, nbo-tier1, nbo-tier2, nbo-tier3, analysis; "
            "repeat or comma-separate",
        ),
    ] = None,
    engine: Annotated[
        str,
        typer.Option("--engine", help="sparql (shapes compiled to SPARQL, default) or pyshacl"),
    ] = "sparql",
) -> None:
    """Check the store against the SHACL shapes. Exit 0 conforms, 1 violations, 2 error."""
    from kg.profiles import parse_profile_names, shape_files
    from kg.validate import validate_store

    if fmt not in ("text", "json"):
        raise _fail(ValueError(f"--format must be text or json, not {fmt!r}"))
    try:
        files = shape_files(parse_profile_names(profile)) if profile else None
        with _open(settings_of(ctx)) as store:
            rep = validate_store(store, shapes_paths=files, engine=engine)
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


# -- completeness ---------------------------------------------------------------------------


@app.command()
def completeness(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
    profile: Annotated[
        list[str] | None,
        typer.Option("--profile", help="profiles to score (default: all); repeat or comma-separate"),
    ] = None,
) -> None:
    """Score each study, image, instrument and analysis per profile; list missing fields.
    Exit 0 when no required field is missing, 1 otherwise, 2 on error."""
    from kg.completeness import completeness_store
    from kg.profiles import PROFILES, parse_profile_names

    if fmt not in ("text", "json"):
        raise _fail(ValueError(f"--format must be text or json, not {fmt!r}"))
    try:
        names = parse_profile_names(profile) if profile else list(PROFILES)
        with _open(settings_of(ctx)) as store:
            rep = completeness_store(store, names)
    except KGError as exc:
        raise _fail(exc) from exc
    if fmt == "json":
        sys.stdout.write(json.dumps(rep.as_dict(), indent=2) + "\n")
    else:
        out.print(rep.text(), highlight=False, markup=False)
    raise typer.Exit(0 if rep.complete else 1)


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
    """Export the store. N-Quads and TriG keep each source's graph; Turtle merges them.
    ``--format sqlite -o FILE``: the schema's classes as SQL tables (kg.export_sql)."""
    import pyoxigraph as ox

    if fmt == "sqlite":
        from kg.export_sql import export_sqlite

        if output is None:
            raise _fail(ValueError("--format sqlite needs -o FILE"))
        try:
            with _open(settings_of(ctx)) as store:
                counts = export_sqlite(store, output)
        except KGError as exc:
            raise _fail(exc) from exc
        err.print(f"exported {sum(counts.values())} row(s) in {len(counts)} table(s) to {output}")
        raise typer.Exit(0)
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


# -- record (kg/provenance.py) --------------------------------------------------------------


@app.command(context_settings={"allow_interspersed_args": False})
def record(
    ctx: typer.Context,
    command: Annotated[list[str], typer.Argument(help="The command and its arguments, after --")],
    record_path: Annotated[
        Path | None, typer.Option("--record", help="Where to write the record (default NAME-TIME.prov.yaml)")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Name of the run")] = None,
    inputs: Annotated[list[Path] | None, typer.Option("--input", help="An input file (repeat)")] = None,
    outputs: Annotated[list[Path] | None, typer.Option("--output", help="An output file (repeat)")] = None,
    seeds: Annotated[
        list[int] | None, typer.Option("--seed", help="A seed the command was given (repeat)")
    ] = None,
    weights: Annotated[
        list[Path] | None, typer.Option("--weights", help="A model weights file (repeat)")
    ] = None,
    env_names: Annotated[
        list[str] | None, typer.Option("--env", help="Record this environment variable (repeat)")
    ] = None,
    watch: Annotated[bool, typer.Option(help="Outputs: also files created or changed under the cwd")] = True,
    ingest_it: Annotated[bool, typer.Option("--ingest", help="Ingest the record into the store")] = False,
) -> None:
    """Run COMMAND and record its provenance (environment, parameters, seeds, git commit,
    input and output checksums). Exits with the command's exit code."""
    from kg.provenance import run_and_record

    try:
        rec = run_and_record(
            command,
            name=name,
            record_path=record_path,
            inputs=inputs or [],
            outputs=outputs or [],
            seeds=seeds or [],
            weights=weights or [],
            env_names=env_names or [],
            watch=watch,
        )
    except KGError as exc:
        raise _fail(exc) from exc
    err.print(f"run recorded in {rec.path} (exit code {rec.exit_code})", highlight=False)
    if ingest_it:
        from kg.ingest import ingest_paths

        settings = settings_of(ctx)
        with _open(settings) as store:
            res = ingest_paths(store, settings, [rec.path])
        for o in res.outcomes:
            err.print(f"{o.status} {o.path}" + (f": {o.error}" if o.error else ""), highlight=False)
        if not res.ok:
            raise typer.Exit(rec.exit_code or 1)
    raise typer.Exit(rec.exit_code)


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


# -- ontologies and terms (kg/ontology/cli.py) ----------------------------------------------
from kg.ontology.cli import (  # noqa: E402 - the sub-apps use kg.cli lazily
    annotate,
    mappings_app,
    ontologies_app,
    terms_app,
)

app.add_typer(ontologies_app, name="ontologies")
app.add_typer(terms_app, name="terms")
app.add_typer(mappings_app, name="mappings")
app.command("annotate")(annotate)


def _load_plugins() -> None:
    """Add commands other packages contribute (``kg serve`` comes from api/), loading each only
    when it is asked for or help is shown, so that kg never imports api on its own."""
    argv = sys.argv[1:]
    wants_help = not argv or "--help" in argv or "-h" in argv
    for ep in entry_points(group="kg.commands"):
        if wants_help or ep.name in argv:
            try:
                obj = ep.load()
                if isinstance(obj, typer.Typer):  # a command group (kg qc ...)
                    app.add_typer(obj, name=ep.name)
                else:
                    app.command(name=ep.name)(obj)
            except Exception as exc:  # a broken plugin must not take the whole CLI down
                err.print(f"[yellow]warning:[/] command {ep.name!r} unavailable: {exc}")


def main() -> None:
    _load_plugins()
    app()


if __name__ == "__main__":
    main()
