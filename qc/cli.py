"""``kg qc``: QC measurements, imports, baselines, per-image QC state, queries and the report.

Contributed to the kg CLI through the ``kg.commands`` entry point (``qc = "qc.cli:app"``).
Exit codes as in kg: 0 success, 1 some input failed, 2 usage or system error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from kg.cli import _fail, _open, err, out, settings_of
from kg.errors import ConfigError, KGError
from kg.store import Store

app = typer.Typer(
    name="qc",
    help="Microscope QC: measure and import QC metrics, baselines, per-image QC state, "
    "batch-effect queries, report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
baseline_app = typer.Typer(
    help="Baselines and tolerances per instrument and metric: set, derive, show.", no_args_is_help=True
)
instrument_app = typer.Typer(
    help="Facility instruments and how images are matched to them: add, load, show.", no_args_is_help=True
)
app.add_typer(baseline_app, name="baseline")
app.add_typer(instrument_app, name="instrument")

InstrumentOpt = Annotated[
    str | None, typer.Option("--instrument", "-i", help="Facility instrument ID, e.g. confocal-1")
]
FormatOpt = Annotated[str, typer.Option("--format", help="text or json")]


def _iris(ctx: typer.Context) -> Any:
    from qc.graph import QcIris

    return QcIris(settings_of(ctx).base_iri)


def _kv(pairs: list[str] | None, what: str) -> dict[str, str]:
    outd: dict[str, str] = {}
    for p in pairs or []:
        k, sep, v = p.partition("=")
        if not sep or not k.strip():
            raise _fail(ConfigError(f"{what} {p!r}: expected NAME=VALUE"))
        outd[k.strip()] = v
    return outd


def _state_summary(store: Store, iris: Any, instruments: list[str] | None) -> Any:
    from qc.state import recompute

    rep = recompute(store, iris, instruments)
    for st in rep.instruments:
        out.print(
            f"QC state of [bold]{st.instrument}[/]: {st.images_summary()}; "
            f"{st.points} QC value(s) in {st.series} series; latest QC {st.latest_status}",
            highlight=False,
        )
        for w in st.warnings[:5]:
            out.print(f"  [yellow]warning[/] {w}", highlight=False)
    return rep


# -- measure --------------------------------------------------------------------------------------


@app.command()
def measure(
    ctx: typer.Context,
    kind: Annotated[
        str, typer.Argument(help="field-illumination, psf, detector, chromatic or power-stability")
    ],
    paths: Annotated[
        list[Path], typer.Argument(help="Calibration images (OME-TIFF, OME-Zarr, .npy) or a power CSV")
    ],
    instrument: InstrumentOpt = None,
    fmt: FormatOpt = "text",
    option: Annotated[
        list[str] | None,
        typer.Option("--option", "-o", help="Metric option NAME=VALUE (e.g. pixel_size_um=0.1); repeatable"),
    ] = None,
) -> None:
    """Compute QC metrics from calibration data, store them as observations and print them."""
    from qc.graph import ensure_vocabulary, measurement_quads, store_measurement
    from qc.instruments import ensure_instrument
    from qc.model import KINDS

    if kind not in KINDS:
        raise _fail(ConfigError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}"))
    if fmt not in ("text", "json"):
        raise _fail(ConfigError(f"--format must be text or json, not {fmt!r}"))
    if not instrument:
        raise _fail(
            ConfigError("--instrument is required: the facility instrument the calibration data comes from")
        )
    iris = _iris(ctx)
    try:
        iris.instrument(instrument)
        from qc.metrics import measure as compute
    except ImportError as exc:
        raise _fail(KGError(f"the QC metric computation (qc.metrics) is not available: {exc}")) from exc
    except KGError as exc:
        raise _fail(exc) from exc
    try:
        result = compute(kind, list(paths), options=_kv(option, "--option") or None)  # type: ignore[arg-type]
    except KGError as exc:
        raise _fail(exc, 1) from exc
    try:
        m = measurement_quads(result, instrument, iris)
        with _open(settings_of(ctx)) as store:
            ensure_vocabulary(store)
            ensure_instrument(store, iris, instrument)
            store_measurement(store, m)
            if fmt == "text":
                _print_result(result, m)
            rep = (
                _state_summary(store, iris, [instrument])
                if fmt == "text"
                else _quiet_state(store, iris, [instrument])
            )
    except KGError as exc:
        raise _fail(exc) from exc
    if fmt == "json":
        st = rep.instruments[0]
        doc = {
            "instrument": instrument,
            "kind": result.kind,
            "dataset": result.dataset,
            "graph": m.iri,
            "result_time": m.result_time.isoformat(),
            "software": result.software,
            "software_version": result.software_version,
            "values": [
                {
                    "metric": v.metric,
                    "value": v.value,
                    "unit": v.unit,
                    "channel": v.channel,
                    "item": v.item,
                    "uncertainty": v.uncertainty,
                }
                for v in result.values
            ],
            "rejected": [{"item": r.item, "reason": r.reason} for r in result.rejected],
            "warnings": result.warnings + m.warnings,
            "parameters": result.parameters,
            "state": {"images": st.images, "status": dict(st.image_status), "latest_qc": st.latest_status},
        }
        sys.stdout.write(json.dumps(doc, indent=2, default=str) + "\n")


def _quiet_state(store: Store, iris: Any, instruments: list[str]) -> Any:
    from qc.state import recompute

    return recompute(store, iris, instruments)


def _print_result(result: Any, m: Any) -> None:
    table = Table(title=f"{result.kind} — {result.dataset}")
    for col in ("metric", "channel", "item", "value", "unit", "±"):
        table.add_column(col, justify="right" if col in ("value", "±", "channel") else "left")
    for v in result.values:
        table.add_row(
            v.metric,
            "" if v.channel is None else str(v.channel),
            v.item or "",
            f"{v.value:.4g}",
            v.unit,
            "" if v.uncertainty is None else f"{v.uncertainty:.2g}",
        )
    out.print(table)
    for r in result.rejected:
        out.print(f"  rejected {r.item}: {r.reason}", highlight=False)
    for w in result.warnings + m.warnings:
        out.print(f"  [yellow]warning[/] {w}", highlight=False)
    out.print(f"stored {m.observations} observation(s) in {m.iri}", highlight=False)


# -- import ---------------------------------------------------------------------------------------


@app.command("import")
def import_(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(help="microscope-metrics datasets (.yaml) or QC tables (.csv, .tsv)")
    ],
    instrument: InstrumentOpt = None,
) -> None:
    """Import QC results: microscope-metrics datasets and CSV tables. Each file is checked
    completely before it is written; a bad file changes nothing."""
    from qc.graph import ensure_vocabulary
    from qc.importers import import_files

    iris = _iris(ctx)
    try:
        if instrument:
            iris.instrument(instrument)
        with _open(settings_of(ctx)) as store:
            ensure_vocabulary(store)
            outcomes = import_files(store, iris, list(paths), instrument_id=instrument)
            for o in outcomes:
                if o.status == "imported":
                    n = sum(m.observations for m in o.measurements)
                    insts = ", ".join(sorted(o.instruments))
                    out.print(
                        f"imported {o.path}: {len(o.measurements)} measurement(s), {n} value(s) on {insts}",
                        highlight=False,
                    )
                    for w in o.warnings:
                        out.print(f"  [yellow]warning[/] {w}", highlight=False)
                    if o.unmapped:
                        out.print(
                            f"  {len(o.unmapped)} value(s) not carried over (kept as bkg:unmapped notes):",
                            highlight=False,
                        )
                        for u in o.unmapped[:10]:
                            out.print(f"    {u}", style="dim", highlight=False)
                        if len(o.unmapped) > 10:
                            out.print(f"    ... and {len(o.unmapped) - 10} more", style="dim")
                elif o.status == "skipped":
                    out.print(f"[yellow]not imported[/] {o.path}: {o.message}", highlight=False)
                else:
                    err.print(f"[red]failed[/] {o.message}", highlight=False)
            touched = sorted({i for o in outcomes for i in o.instruments})
            if touched:
                _state_summary(store, iris, touched)
    except KGError as exc:
        raise _fail(exc) from exc
    raise typer.Exit(1 if any(o.status == "failed" for o in outcomes) else 0)


# -- baselines ------------------------------------------------------------------------------------


@baseline_app.command("set")
def baseline_set(
    ctx: typer.Context,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="YAML file with a 'baselines' list")
    ] = None,
    instrument: InstrumentOpt = None,
    metric: Annotated[str | None, typer.Option("--metric", "-m", help="Metric key, e.g. psf_fwhm_x")] = None,
    value: Annotated[float | None, typer.Option("--value", help="Baseline value")] = None,
    tolerance: Annotated[
        str | None, typer.Option("--tolerance", "-t", help="Absolute (0.05) or relative (20%)")
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="Unit of the value (default: the metric's)")
    ] = None,
    channel: Annotated[int | None, typer.Option("--channel", help="Only this channel")] = None,
    component: Annotated[
        str | None, typer.Option("--component", help="Only this component (e.g. vs-ch0)")
    ] = None,
    side: Annotated[
        str | None, typer.Option("--side", help="upper, lower or both (default: from the metric)")
    ] = None,
) -> None:
    """Configure baselines from a YAML file or the options, then recompute the QC state."""
    from qc.baseline import load_baselines_yaml, make_baseline, write_baselines
    from qc.graph import ensure_vocabulary
    from qc.instruments import ensure_instrument

    iris = _iris(ctx)
    try:
        if file is not None:
            baselines = load_baselines_yaml(file)
        else:
            given = {
                "instrument": instrument,
                "metric": metric,
                "value": value,
                "tolerance": tolerance,
                "unit": unit,
                "channel": channel,
                "component": component,
                "side": side,
            }
            baselines = [
                make_baseline({k: v for k, v in given.items() if v is not None}, "kg qc baseline set")
            ]
        with _open(settings_of(ctx)) as store:
            ensure_vocabulary(store)
            for iid in sorted({b.instrument for b in baselines}):
                ensure_instrument(store, iris, iid)
            write_baselines(store, iris, baselines)
            for b in baselines:
                where = (
                    b.metric
                    + (f" channel {b.channel}" if b.channel is not None else "")
                    + (f" {b.component}" if b.component else "")
                )
                out.print(
                    f"baseline {b.instrument} {where}: {b.value:.4g} {b.unit} ± {b.describe_tolerance()} "
                    f"({b.effective_side})",
                    highlight=False,
                )
            _state_summary(store, iris, sorted({b.instrument for b in baselines}))
    except KGError as exc:
        raise _fail(exc) from exc


@baseline_app.command("derive")
def baseline_derive(
    ctx: typer.Context,
    instrument: InstrumentOpt = None,
    metric: Annotated[str | None, typer.Option("--metric", "-m", help="Only this metric")] = None,
    first: Annotated[
        int, typer.Option("--first", "-n", help="Use the first N observations of each series")
    ] = 10,
    k: Annotated[float, typer.Option("--k", help="Tolerance: k standard deviations")] = 3.0,
) -> None:
    """Derive baselines from the first N observations of each series: mean ± k·sd."""
    from qc.baseline import derive

    if not instrument:
        raise _fail(ConfigError("--instrument is required"))
    iris = _iris(ctx)
    try:
        with _open(settings_of(ctx)) as store:
            rep = derive(store, iris, instrument, metric_key=metric, first=first, k=k)
            for b in rep.derived:
                where = (
                    b.metric
                    + (f" channel {b.channel}" if b.channel is not None else "")
                    + (f" {b.component}" if b.component else "")
                )
                out.print(
                    f"baseline {instrument} {where}: {b.value:.4g} {b.unit} ± {b.tolerance:.3g} "
                    f"(mean ± {k:g}·sd of the first {b.n})",
                    highlight=False,
                )
            for s in rep.skipped:
                out.print(f"  [yellow]not derived[/] {s}", highlight=False)
            if not rep.derived:
                err.print(f"no baseline could be derived for {instrument}")
                raise typer.Exit(1)
            _state_summary(store, iris, [instrument])
    except KGError as exc:
        raise _fail(exc) from exc


@baseline_app.command("show")
def baseline_show(ctx: typer.Context, instrument: InstrumentOpt = None, fmt: FormatOpt = "text") -> None:
    """List the baselines in the store."""
    from qc.baseline import read_baselines

    iris = _iris(ctx)
    try:
        with _open(settings_of(ctx)) as store:
            bs = read_baselines(store, iris, instrument)
    except KGError as exc:
        raise _fail(exc) from exc
    if fmt == "json":
        rows = [
            {
                "instrument": b.instrument,
                "metric": b.metric,
                "channel": b.channel,
                "component": b.component,
                "value": b.value,
                "unit": b.unit,
                "tolerance_abs": b.tolerance_abs,
                "tolerance_rel": b.tolerance_rel,
                "side": b.effective_side,
                "lower": b.limits()[0],
                "upper": b.limits()[1],
                "derivation": b.derivation,
                "n": b.n,
                "k": b.k,
            }
            for b in bs
        ]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    table = Table(title="QC baselines")
    for col in ("instrument", "metric", "channel", "baseline", "tolerance", "limits", "how"):
        table.add_column(col)
    for b in bs:
        lo, hi = b.limits()
        lim = f"{'' if lo is None else f'{lo:.4g}'} … {'' if hi is None else f'{hi:.4g}'}"
        table.add_row(
            b.instrument,
            b.metric,
            "" if b.channel is None else str(b.channel) + (f" {b.component}" if b.component else ""),
            f"{b.value:.4g} {b.unit}",
            b.describe_tolerance(),
            lim,
            b.derivation,
        )
    out.print(table)


# -- instruments ----------------------------------------------------------------------------------


@instrument_app.command("add")
def instrument_add(
    ctx: typer.Context,
    instrument_id: Annotated[str, typer.Argument(help="Facility instrument ID, e.g. confocal-1")],
    label: Annotated[str | None, typer.Option("--label")] = None,
    manufacturer: Annotated[str | None, typer.Option("--manufacturer")] = None,
    model: Annotated[str | None, typer.Option("--model")] = None,
    serial: Annotated[
        str | None, typer.Option("--serial", help="Microscope serial number (as in the OME metadata)")
    ] = None,
    qc_every: Annotated[int, typer.Option("--qc-every", help="QC interval in days (overdue after)")] = 30,
) -> None:
    """Register (or replace) a facility instrument, then relink images and recompute its state."""
    from qc.graph import ensure_vocabulary
    from qc.instruments import InstrumentSpec, read_instruments, save_instrument

    iris = _iris(ctx)
    try:
        if qc_every < 1:
            raise ConfigError(f"--qc-every {qc_every}: expected a number of days ≥ 1")
        with _open(settings_of(ctx)) as store:
            ensure_vocabulary(store)
            old = read_instruments(store, iris).get(instrument_id)
            spec = InstrumentSpec(
                instrument_id,
                label,
                manufacturer,
                model,
                serial,
                qc_every,
                old.sources if old else (),
                old.ome_instruments if old else (),
            )
            save_instrument(store, iris, spec)
            rep = _state_summary(store, iris, [instrument_id])
            _print_links(rep.links)
    except KGError as exc:
        raise _fail(exc) from exc


@instrument_app.command("load")
def instrument_load(
    ctx: typer.Context, file: Annotated[Path, typer.Argument(help="instruments YAML (docs/qc.md)")]
) -> None:
    """Register the instruments of a YAML file (details and explicit image mappings)."""
    from qc.graph import ensure_vocabulary
    from qc.instruments import load_instruments_yaml, save_instrument

    iris = _iris(ctx)
    try:
        specs = load_instruments_yaml(file)
        with _open(settings_of(ctx)) as store:
            ensure_vocabulary(store)
            for spec in specs:
                save_instrument(store, iris, spec)
            rep = _state_summary(store, iris, None)
            _print_links(rep.links)
    except KGError as exc:
        raise _fail(exc) from exc


@instrument_app.command("show")
def instrument_show(ctx: typer.Context) -> None:
    """List facility instruments, the OME instruments matched to each, and what matched none."""
    from qc.instruments import match, ome_instruments, read_instruments

    iris = _iris(ctx)
    try:
        with _open(settings_of(ctx)) as store:
            specs = read_instruments(store, iris)
            rep = match(specs, ome_instruments(store))
    except KGError as exc:
        raise _fail(exc) from exc
    table = Table(title="Facility instruments")
    for col in ("ID", "label", "manufacturer / model", "serial", "QC every", "OME instruments matched"):
        table.add_column(col)
    for s in specs.values():
        hows = ", ".join(f"{n} by {h}" for h, n in sorted(_count(rep.matched.get(s.id, [])).items()))
        table.add_row(
            s.id,
            s.label or "",
            " ".join(p for p in (s.manufacturer, s.model) if p),
            s.serial_number or "",
            f"{s.qc_interval_days} d",
            hows or "0",
        )
    out.print(table)
    _print_links(rep)


def _count(links: list[tuple[str, str]]) -> dict[str, int]:
    c: dict[str, int] = {}
    for _iri, how in links:
        c[how] = c.get(how, 0) + 1
    return c


def _print_links(rep: Any) -> None:
    if rep is None:
        return
    for c in rep.conflicts:
        out.print(f"  [yellow]conflict[/] {c}", highlight=False)
    for om, ids in rep.ambiguous:
        out.print(
            f"  [yellow]ambiguous[/] {om.describe()} fits {', '.join(ids)}: add an explicit mapping",
            highlight=False,
        )
    if rep.unmatched:
        out.print(
            f"  {len(rep.unmatched)} OME instrument(s) match no facility instrument, e.g.:", highlight=False
        )
        for om in rep.unmatched[:5]:
            out.print(f"    {om.describe()}", style="dim", highlight=False)


# -- state ----------------------------------------------------------------------------------------


@app.command()
def state(ctx: typer.Context, instrument: InstrumentOpt = None) -> None:
    """Recompute the per-image QC state of every instrument (ingest and QC writes do it for theirs)."""
    from qc.graph import ensure_vocabulary

    iris = _iris(ctx)
    try:
        with _open(settings_of(ctx)) as store:
            ensure_vocabulary(store)
            rep = _state_summary(store, iris, [instrument] if instrument else None)
            _print_links(rep.links)
            if not rep.instruments:
                out.print(
                    "no facility instruments yet: `kg qc instrument add` or `kg qc measure --instrument`"
                )
            out.print(f"state recomputed in {rep.seconds:.2f} s")
    except KGError as exc:
        raise _fail(exc) from exc


# -- queries and report ---------------------------------------------------------------------------


@app.command()
def query(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="A named query (omit to list them)")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE; repeatable")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, json, csv, tsv")] = "table",
) -> None:
    """Run a named batch-effect query (qc/queries/*.rq), or list them."""
    from qc.queries import load_queries, run

    if name is None:
        for q in load_queries().values():
            params = ", ".join(f"{p.name} ({p.type})" for p in q.params)
            out.print(
                f"[bold]{q.name}[/] — {q.title}\n  {q.question}\n  parameters: {params or 'none'}",
                highlight=False,
            )
        return
    settings = settings_of(ctx)
    try:
        with _open(settings) as store:
            res = run(store, name, _kv(param, "--param"), _iris(ctx), cap=settings.result_cap)
    except KGError as exc:
        raise _fail(exc) from exc
    _print_result_table(res, fmt, name)


def _print_result_table(res: Any, fmt: str, title: str) -> None:
    from kg.results import SHORT, cell, serialize

    if fmt == "table":
        table = Table(*res.variables, title=title)
        for row in res.rows:
            table.add_row(*(cell(t) for t in row))
        out.print(table)
        out.print(f"{len(res.rows)} row(s)" + (" (capped: KG_RESULT_CAP)" if res.truncated else ""))
        return
    try:
        sys.stdout.buffer.write(serialize(res, SHORT.get(fmt, fmt)))
    except ValueError as exc:
        raise _fail(exc) from exc


@app.command()
def report(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", help="HTML file to write")] = Path(
        "qc-report.html"
    ),
    query_names: Annotated[
        list[str] | None, typer.Option("--query", "-q", help="Also run this named query; repeatable")
    ] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE for the queries; repeatable")
    ] = None,
    instrument: InstrumentOpt = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Plot QC from this date on (YYYY-MM-DD)")
    ] = None,
) -> None:
    """Print a QC summary and write a self-contained HTML report with trend plots."""
    from qc.report import build_report, render_html, summary_table

    settings = settings_of(ctx)
    iris = _iris(ctx)
    try:
        with _open(settings) as store:
            rep = build_report(
                store,
                iris,
                instrument=instrument,
                since=since,
                queries=query_names or [],
                params=_kv(param, "--param"),
                cap=settings.result_cap,
            )
    except KGError as exc:
        raise _fail(exc) from exc
    tmp = output.with_name(output.name + ".partial")  # the file first: printing may be cut short
    tmp.write_text(render_html(rep), encoding="utf-8")
    tmp.replace(output)
    out.print(summary_table(rep))
    for qr in rep.queries:
        _print_result_table(qr.result, "table", f"{qr.query.name}: {qr.query.title}")
    out.print(f"report written to {output}", highlight=False)
