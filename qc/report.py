"""``kg qc report``: a summary table for the terminal and a self-contained HTML report.

The HTML has, per facility instrument, one trend plot per QC series (metric, channel): the values
over time (out-of-tolerance ones red), the baseline and its tolerance band, and the image
acquisitions along the time axis coloured by the QC status they got for that metric (red: out,
orange: suspect). Plots are drawn with matplotlib as SVG and embedded as data URIs, so the file
has no outside references. Named queries asked for with ``--query`` are added as tables.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import numpy as np
import pyoxigraph as ox

from kg import __version__
from kg.store import SelectResult, Store
from qc.baseline import Baseline, read_baselines
from qc.graph import N, QcIris, SeriesInfo, parse_time, series_points, text
from qc.instruments import InstrumentSpec, read_instruments
from qc.queries import NamedQuery, get, run
from qc.state import STATUS, InstrumentState, _flags
from qc.vocab import QCV, metrics, prologue

COLOURS = {"out": "#c62828", "suspect": "#ef8f00", "ok": "#2e7d32", "unknown": "#757575"}


@dataclass
class SeriesPlot:
    series: SeriesInfo
    title: str
    points: int
    out_points: int
    baseline: Baseline | None
    latest: float | None
    latest_status: str
    svg_data_uri: str


@dataclass
class BatchRow:
    date: str
    plate: str
    images: int
    status: str
    metrics: list[str]


@dataclass
class InstrumentSection:
    spec: InstrumentSpec
    last_qc: dt.datetime | None
    due: dt.datetime | None
    overdue: bool
    latest_status: str
    images: int
    image_status: dict[str, int]
    plots: list[SeriesPlot] = field(default_factory=list)
    batches: list[BatchRow] = field(default_factory=list)
    computed_at: str | None = None


@dataclass
class QueryTable:
    query: NamedQuery
    result: SelectResult
    params: dict[str, str]


@dataclass
class Report:
    generated: str
    store: str
    instruments: list[InstrumentSection]
    queries: list[QueryTable]
    since: str | None


def _one(store: Store, sparql: str, subs: dict[str, Any]) -> dict[str, str]:
    res = store.query(prologue() + sparql, substitutions=subs)
    assert isinstance(res, SelectResult)
    if not res.rows:
        return {}
    return {v: str(t.value) for v, t in zip(res.variables, res.rows[0], strict=True) if t is not None}  # type: ignore[union-attr]


def _section(
    store: Store, iris: QcIris, spec: InstrumentSpec, since: dt.datetime | None, now: dt.datetime
) -> InstrumentSection:
    inst = N(iris.instrument(spec.id))
    info = _one(
        store,
        "SELECT ?inst ?last ?latest ?images ?computed WHERE { GRAPH ?g {"
        " ?inst bkg:stateComputedAt ?computed ."
        " OPTIONAL { ?inst bkg:lastQcTime ?last } OPTIONAL { ?inst bkg:latestStatus ?latest }"
        " OPTIONAL { ?inst bkg:imageCount ?images } } }",
        {"inst": inst},
    )
    res = store.query(
        prologue() + "SELECT ?inst ?status (COUNT(?img) AS ?n) WHERE {"
        " ?inst bkg:hasState ?state . ?state bkg:status ?status ."
        " ?img bkg:qcState ?state } GROUP BY ?inst ?status",
        substitutions={"inst": inst},
    )
    assert isinstance(res, SelectResult)
    counts = {str(text(r[1])): int(text(r[2]) or 0) for r in res.rows}
    last = parse_time(info["last"]) if "last" in info else None
    due = last + dt.timedelta(days=spec.qc_interval_days) if last else None
    sec = InstrumentSection(
        spec=spec,
        last_qc=last,
        due=due,
        overdue=due is None or due < now,
        latest_status=info.get("latest", "unknown"),
        images=int(info.get("images", "0")),
        image_status=counts,
        computed_at=info.get("computed"),
    )
    # acquisitions per series, for the marks on the plots
    res = store.query(
        prologue()
        + """SELECT ?inst ?date ?plate ?n ?bstatus ?series ?status WHERE {
  ?inst bkg:hasBatch ?b .
  ?b bkg:date ?date ; bkg:imageCount ?n ; bkg:status ?bstatus ; bkg:metricAtAcquisition ?m .
  ?m bkg:series ?series ; bkg:status ?status .
  OPTIONAL { ?b bkg:plateName ?plate } }""",
        substitutions={"inst": inst},
    )
    assert isinstance(res, SelectResult)
    marks: dict[str, list[tuple[dt.datetime, int, str]]] = {}
    batches: dict[tuple[str, str], BatchRow] = {}
    for r in res.rows:
        date, plate, n, bstatus, series, status = (text(t) or "" for t in r[1:])
        if series:
            marks.setdefault(series, []).append((dt.datetime.fromisoformat(date), int(n), status))
        row = batches.setdefault((date, plate), BatchRow(date, plate, int(n), bstatus, []))
        if status in ("out", "suspect") and series:
            row.metrics.append(f"{unquote(series.rsplit('/series/', 1)[-1]).replace('/', ' ')} ({status})")
    sec.batches = sorted(
        (b for b in batches.values() if b.status in ("out", "suspect")), key=lambda b: (b.date, b.plate)
    )

    pts = series_points(store, iris, spec.id)
    baselines = read_baselines(store, iris, spec.id)
    within, _dev, resolved = _flags(pts, baselines, InstrumentState(spec.id))
    for i, s in enumerate(pts.series):
        sel = np.flatnonzero(pts.sidx == i)
        sel = sel[np.argsort(pts.times[sel], kind="stable")]
        if since is not None:
            sel = sel[pts.times[sel] >= np.datetime64(since)]
        if sel.size == 0:
            continue
        m = metrics().get(s.metric)
        title = (
            (m.label if m else s.metric)
            + (f", channel {s.channel}" if s.channel is not None else "")
            + (f", {s.component}" if s.component else "")
        )
        t = pts.times[sel].astype("datetime64[s]")
        v = pts.values[sel]
        w = within[sel]
        b = resolved[i]
        acq = [a for a in marks.get(s.iri, []) if since is None or a[0] >= since]
        last_flag = int(w[-1])
        sec.plots.append(
            SeriesPlot(
                series=s,
                title=title,
                points=int(sel.size),
                out_points=int((w == 0).sum()),
                baseline=b,
                latest=float(v[-1]),
                latest_status="out" if last_flag == 0 else ("ok" if last_flag == 1 else "unknown"),
                svg_data_uri=_plot(title, s.unit, t, v, w, b, acq),
            )
        )
    sec.plots.sort(
        key=lambda p: (
            p.latest_status != "out",
            p.series.metric,
            p.series.channel or 0,
            p.series.component or "",
        )
    )
    return sec


def _plot(
    title: str,
    unit: str,
    times: Any,
    values: Any,
    within: Any,
    b: Baseline | None,
    acquisitions: list[tuple[dt.datetime, int, str]],
) -> str:
    """One trend plot as an SVG data URI."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "bioimage-kg"
    fig, ax = plt.subplots(figsize=(5.4, 2.7), dpi=100)
    try:
        if b is not None:
            lo, hi = b.limits()
            ymin = float(min(values.min(), lo if lo is not None else values.min(), b.value))
            ymax = float(max(values.max(), hi if hi is not None else values.max(), b.value))
            pad = (ymax - ymin) * 0.15 or abs(b.value) * 0.1 or 1.0
            band_lo = lo if lo is not None else ymin - pad
            band_hi = hi if hi is not None else ymax + pad
            ax.axhspan(band_lo, band_hi, color="#2e7d32", alpha=0.10, lw=0, label="tolerance")
            for lim in (lo, hi):
                if lim is not None:
                    ax.axhline(lim, color="#2e7d32", lw=0.8, alpha=0.6)
            ax.axhline(b.value, color="#2e7d32", lw=1.2, ls="--", label="baseline")
            ax.set_ylim(ymin - pad, ymax + pad)
        tx = np.asarray(times, dtype="datetime64[s]")
        ax.plot(tx, values, color="#90a4ae", lw=0.8, zorder=1)
        styles: tuple[tuple[Any, dict[str, Any]], ...] = (
            (within == 1, {"s": 14, "color": "#1565c0", "zorder": 3, "label": "QC within"}),
            (within == 0, {"s": 30, "color": "#c62828", "marker": "X", "zorder": 4, "label": "QC out"}),
            (within < 0, {"s": 14, "color": "#757575", "zorder": 3, "label": "QC (no baseline)"}),
        )
        for mask, style in styles:
            if mask.any():
                ax.scatter(tx[mask], values[mask], **style)
        if acquisitions:
            y0, y1 = ax.get_ylim()
            for status in ("ok", "unknown", "suspect", "out"):
                xs = np.asarray([a[0] for a in acquisitions if a[2] == status], dtype="datetime64[s]")
                if xs.size:
                    ax.vlines(
                        xs,
                        y0,
                        y0 + (y1 - y0) * 0.08,
                        color=COLOURS[status],
                        lw=2.2 if status in ("out", "suspect") else 1.2,
                        label=f"images ({status})" if status in ("out", "suspect") else "_nolegend_",
                        zorder=2,
                    )
            ax.set_ylim(y0, y1)
        ax.set_title(title, fontsize=10, loc="left")
        ax.set_ylabel(unit, fontsize=9)
        ax.tick_params(labelsize=8)
        locator = mdates.AutoDateLocator(minticks=3, maxticks=6)  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        ax.grid(alpha=0.25, lw=0.5)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
        handles, _labels = ax.get_legend_handles_labels()
        if handles:
            ax.legend(fontsize=7, loc="upper left", ncol=3, frameon=False, bbox_to_anchor=(0, -0.18))
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    finally:
        plt.close(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def build_report(
    store: Store,
    iris: QcIris,
    *,
    instrument: str | None = None,
    since: str | None = None,
    queries: list[str] | None = None,
    params: dict[str, str] | None = None,
    cap: int | None = None,
    now: dt.datetime | None = None,
) -> Report:
    from kg.errors import ConfigError

    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    since_t = None
    if since:
        try:
            since_t = dt.datetime.fromisoformat(since)
        except ValueError as exc:
            raise ConfigError(f"--since {since!r}: expected a date, YYYY-MM-DD") from exc
    specs = read_instruments(store, iris)
    if instrument is not None and instrument not in specs:
        raise ConfigError(
            f"no facility instrument {instrument!r}; known: {', '.join(sorted(specs)) or 'none'}"
        )
    chosen = [specs[instrument]] if instrument else [specs[k] for k in sorted(specs)]
    sections = [_section(store, iris, s, since_t, now) for s in chosen]
    tables = []
    for name in queries or []:
        q = get(name)
        p = {k: v for k, v in (params or {}).items() if k in {x.name for x in q.params}}
        tables.append(QueryTable(q, run(store, name, p, iris, cap=cap), p))
    return Report(now.isoformat(sep=" "), store.description, sections, tables, since)


def summary_table(rep: Report) -> Any:
    from rich.table import Table

    table = Table(title=f"QC summary ({rep.generated})")
    for col in (
        "instrument",
        "latest QC",
        "last QC",
        "due",
        "series",
        "out now",
        "images",
        "ok",
        "suspect",
        "out",
        "unknown",
    ):
        table.add_column(
            col,
            justify="right"
            if col in ("series", "out now", "images", "ok", "suspect", "out", "unknown")
            else "left",
        )
    for s in rep.instruments:
        st = s.latest_status
        style = {"out": "red", "ok": "green"}.get(st, "")
        due = (
            "never measured"
            if s.due is None
            else s.due.date().isoformat() + (" OVERDUE" if s.overdue else "")
        )
        table.add_row(
            s.spec.id,
            f"[{style}]{st}[/]" if style else st,
            s.last_qc.isoformat(sep=" ") if s.last_qc else "—",
            f"[red]{due}[/]" if s.overdue else due,
            str(len(s.plots)),
            str(sum(1 for p in s.plots if p.latest_status == "out")),
            str(s.images),
            *(str(s.image_status.get(k, 0)) for k in ("ok", "suspect", "out", "unknown")),
        )
    return table


def render_html(rep: Report) -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("qc", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
    )
    from kg.results import cell

    def fmt(v: float | None) -> str:
        return "" if v is None else f"{v:.4g}"

    def short(t: Any) -> str:
        """A result cell as a person reads it: our IRIs as IDs and metric keys, numbers rounded."""
        if t is None:
            return ""
        if isinstance(t, ox.NamedNode):
            v = t.value
            if v.startswith(QCV):
                return v[len(QCV) :]
            if "/qc/instrument/" in v and "/" not in v.rsplit("/qc/instrument/", 1)[1]:
                return v.rsplit("/", 1)[1]
            return cell(t)
        if isinstance(t, ox.Literal):
            dtype = t.datatype.value
            if dtype.endswith(("#double", "#decimal", "#float")):
                try:
                    return f"{float(t.value):.4g}"
                except ValueError:
                    return t.value
            if dtype.endswith("#dateTime"):
                return t.value.replace("T", " ").removesuffix("Z")
        return cell(t)

    env.filters["num"] = fmt
    env.filters["cell"] = short
    return env.get_template("report.html.j2").render(
        rep=rep, colours=COLOURS, version=__version__, statuses=STATUS
    )
