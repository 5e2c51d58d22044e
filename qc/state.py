"""The derived QC state of images, recomputed per instrument in batch (numpy), not per image.

For a facility instrument, every distinct QC time splits time into *epochs*. Every image acquired
in the same epoch (between the same two consecutive QC times) has the same nearest QC before and
after for every metric, so the state is computed and stored once per epoch that holds images
(a ``bkg:QCState``), and each image links to it::

    <image> bkg:qcState <state> .
    <state> a bkg:QCState ; bkg:instrument <I> ; bkg:status "out" ;
        bkg:fromTime … ; bkg:untilTime … ; bkg:interval <interval> .   # one per series
    <interval> a bkg:QCInterval ; bkg:series <s> ; bkg:metric bkgqc:psf_fwhm_x ;
        bkg:qcBefore <obs> ; bkg:qcAfter <obs> ; bkg:status "out" .
    <obs> bkg:withinTolerance false ; bkg:deviation 0.23 .

A QC interval (between two consecutive points of one series) is shared by all the epochs inside
it. Status of a metric for an image: **out** if the nearest QC before acquisition was out of
tolerance; **suspect** if the QC before was within tolerance (or there was none) and the QC after
is out; **ok** if the QC around it was within tolerance; **unknown** without QC or baseline. An
image's status is the worst over its metrics (out > suspect > ok > unknown).

The same computation writes what the batch-effect queries read, so they need no aggregation
over millions of observations: per series and calendar month the mean, standard deviation,
extremes and count (``bkg:MonthlySummary``); per acquisition batch (instrument, day, plate) the
image counts by status and, per series, the mean QC value before acquisition with its deviation
from the baseline and the change from the previous batch (``bkg:AcquisitionBatch``); and per
instrument the time of its last QC (``bkg:lastQcTime``).

Everything for instrument ``I`` lives in the graph ``{base}qc/state/I``, replaced atomically.
Recompute after new QC (``kg qc measure``/``import`` do it for their instrument), new baselines
(``kg qc baseline`` does it), or new images (``kg ingest`` does it through :mod:`qc.hooks`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import numpy as np
import pyoxigraph as ox

from kg.namespaces import BKG, RDF, RDFS, XSD
from kg.store import SelectResult, Store
from qc.baseline import Baseline, read_baselines, resolve
from qc.graph import (
    N,
    QcIris,
    SeriesPoints,
    lit_double,
    lit_int,
    lit_time,
    parse_time,
    replace_graph,
    series_points,
    text,
)
from qc.instruments import LinkReport, read_instruments
from qc.instruments import relink as relink_instruments
from qc.vocab import convert, metric_iri, prologue, unit

STATUS = ("unknown", "ok", "suspect", "out")  # index = severity
_MISSING = -2  # no observation on that side
_NO_BASELINE = -1

XSD_DATE = ox.NamedNode(XSD + "date")
_BOOL = ox.NamedNode(XSD + "boolean")
XSD_DATETIME = ox.NamedNode(XSD + "dateTime")


@dataclass
class InstrumentState:
    instrument: str
    series: int = 0
    points: int = 0
    qc_times: int = 0
    images: int = 0
    images_without_date: int = 0
    states: int = 0
    intervals: int = 0
    batches: int = 0
    quads: int = 0
    image_status: Counter[str] = field(default_factory=Counter)
    latest_status: str = "unknown"
    last_qc: dt.datetime | None = None
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def images_summary(self) -> str:
        """``4 image(s) (ok 2, out 2)``: the image count and the non-zero counts by status."""
        counts = ", ".join(f"{k} {v}" for k, v in sorted(self.image_status.items()) if v) or "no images"
        return f"{self.images} image(s) ({counts})"


@dataclass
class StateReport:
    links: LinkReport | None
    instruments: list[InstrumentState]
    seconds: float


def _iso(times: Any) -> list[str]:
    return [str(s) for s in np.datetime_as_string(times, unit="s")]


def _tlit(iso: str) -> ox.Literal:
    return ox.Literal(iso, datatype=XSD_DATETIME)


def _stamp(iso: str) -> str:
    return iso.replace("-", "").replace(":", "")


def _images(
    store: Store, iris: QcIris, instrument_id: str
) -> tuple[list[tuple[str, str | None, str | None]], dict[str, str]]:
    """(image, acquisition date, plate) for the instrument's images, and plate names. Two plain
    joins rather than nested OPTIONALs, which Oxigraph evaluates over the whole store."""
    inst = N(iris.instrument(instrument_id))
    res = store.query(
        prologue()
        + """SELECT ?inst ?img ?t WHERE {
  ?inst bkg:matchesOmeInstrument ?oi . ?img ome:instrument ?oi .
  OPTIONAL { ?img ome:acquisition_date ?t } }""",
        substitutions={"inst": inst},
    )
    assert isinstance(res, SelectResult)
    dates: dict[str, str | None] = {}
    for row in res.rows:
        dates.setdefault(str(text(row[1])), text(row[2]))
    res = store.query(
        prologue()
        + """SELECT ?inst ?img ?plate ?name WHERE {
  ?inst bkg:matchesOmeInstrument ?oi . ?img ome:instrument ?oi .
  ?ws ome:image ?img . ?well ome:well_sample ?ws . ?plate ome:well ?well .
  OPTIONAL { ?plate ome:name ?name } }""",
        substitutions={"inst": inst},
    )
    assert isinstance(res, SelectResult)
    plates: dict[str, str] = {}
    names: dict[str, str] = {}
    for row in res.rows:
        img, plate = str(text(row[1])), str(text(row[2]))
        plates.setdefault(img, plate)
        if row[3] is not None:
            names[plate] = str(text(row[3]))
    return [(img, t, plates.get(img)) for img, t in dates.items()], names


def _linear(from_symbol: str, to_symbol: str) -> tuple[float, float] | None:
    """(factor, offset) with to = from * factor + offset, or None if the units do not convert."""
    zero = convert(0.0, from_symbol, to_symbol)
    one = convert(1.0, from_symbol, to_symbol)
    if zero is None or one is None:
        return None
    return one - zero, zero


def _flags(
    pts: SeriesPoints, baselines: list[Baseline], st: InstrumentState
) -> tuple[Any, Any, list[Baseline | None]]:
    """Per point: within (1), out (0), no baseline (-1); and the relative deviation (NaN if none)."""
    within = np.full(len(pts.obs), _NO_BASELINE, dtype=np.int8)
    dev = np.full(len(pts.obs), np.nan)
    resolved: list[Baseline | None] = []
    for i, s in enumerate(pts.series):
        b = resolve(baselines, s.metric, s.channel, s.component)
        sel = pts.sidx == i
        if b is not None:
            lin = _linear(s.unit, b.unit)
            if lin is None:
                st.warnings.append(
                    f"{s.iri}: values in {s.unit} cannot be compared with the baseline in {b.unit}"
                )
                b = None
            else:
                v = pts.values[sel] * lin[0] + lin[1]
                lo, hi = b.limits()
                ok = np.ones(v.shape, dtype=bool)
                if lo is not None:
                    ok &= v >= lo
                if hi is not None:
                    ok &= v <= hi
                within[sel] = ok.astype(np.int8)
                if b.value != 0:
                    dev[sel] = (v - b.value) / b.value
        resolved.append(b)
    return within, dev, resolved


def _status(fb: Any, fa: Any) -> Any:
    """Interval status codes (index into STATUS) from the before/after flags."""
    return np.where(fb == 0, 3, np.where(fa == 0, 2, np.where((fb == 1) | (fa == 1), 1, 0))).astype(np.int8)


def compute_instrument(
    store: Store, iris: QcIris, instrument_id: str, *, now: dt.datetime | None = None
) -> tuple[list[ox.Quad], InstrumentState]:
    """Build the state graph of one instrument (nothing is written)."""
    t0 = time.perf_counter()
    now = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    st = InstrumentState(instrument_id)
    g = N(iris.state_graph(instrument_id))
    inst = N(iris.instrument(instrument_id))
    quads: list[ox.Quad] = []
    add = quads.append

    def q(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        add(ox.Quad(s, N(p), o, g))

    pts = series_points(store, iris, instrument_id)
    st.warnings += pts.skipped
    baselines = read_baselines(store, iris, instrument_id)
    within, dev, resolved = _flags(pts, baselines, st)
    st.series, st.points = len(pts.series), len(pts.obs)

    # per series: point indices sorted by time
    order_by_series: list[Any] = []
    for i in range(len(pts.series)):
        sel = np.flatnonzero(pts.sidx == i)
        order_by_series.append(sel[np.argsort(pts.times[sel], kind="stable")])
    qc_times = np.unique(pts.times)  # sorted
    st.qc_times = int(qc_times.size)

    # -- series nodes and the instrument summary
    series_nodes = [N(s.iri) for s in pts.series]
    for i, s in enumerate(pts.series):
        sn = series_nodes[i]
        q(sn, RDF + "type", N(BKG + "QCSeries"))
        q(sn, BKG + "instrument", inst)
        q(inst, BKG + "hasSeries", sn)
        q(sn, BKG + "metric", N(metric_iri(s.metric)))
        label = (
            s.metric
            + (f" ch{s.channel}" if s.channel is not None else "")
            + (f" {s.component}" if s.component else "")
        )
        q(sn, RDFS + "label", ox.Literal(f"{label} on {instrument_id}"))
        if s.channel is not None:
            q(sn, BKG + "channel", lit_int(s.channel))
        if s.component is not None:
            q(sn, BKG + "component", ox.Literal(s.component))
        u = unit(s.unit)
        if u is not None:
            q(sn, BKG + "unit", N(u.iri))
        q(sn, BKG + "unitSymbol", ox.Literal(s.unit))
        q(sn, BKG + "count", lit_int(len(order_by_series[i])))
        b = resolved[i]
        if b is not None:
            q(sn, BKG + "baseline", N(b.iri(iris)))
            q(sn, BKG + "baselineValue", lit_double(b.value))
    latest = 0
    for i in range(len(pts.series)):
        idx = order_by_series[i]
        if idx.size:
            f = int(within[idx[-1]])
            latest = max(latest, 3 if f == 0 else (1 if f == 1 else 0))
    st.latest_status = STATUS[latest]
    q(inst, BKG + "latestStatus", ox.Literal(st.latest_status))
    q(inst, BKG + "qcCount", lit_int(st.qc_times))
    q(inst, BKG + "stateComputedAt", lit_time(now))
    if qc_times.size:
        last = qc_times[-1].astype("datetime64[s]").item()
        st.last_qc = last
        q(inst, BKG + "lastQcTime", _tlit(last.isoformat() + "Z"))

    # -- monthly summaries
    if pts.obs:
        months = pts.times.astype("datetime64[M]").astype(np.int64)
        key = pts.sidx * 100_000 + (months - months.min())
        order = np.argsort(key, kind="stable")
        ks = key[order]
        starts = np.flatnonzero(np.r_[True, ks[1:] != ks[:-1]])
        vals = pts.values[order]
        counts = np.diff(np.r_[starts, ks.size])
        sums = np.add.reduceat(vals, starts)
        means = sums / counts
        sq = np.add.reduceat((vals - np.repeat(means, counts)) ** 2, starts)
        mins = np.minimum.reduceat(vals, starts)
        maxs = np.maximum.reduceat(vals, starts)
        outs = np.add.reduceat((within[order] == 0).astype(np.int64), starts)
        month_str = np.datetime_as_string(pts.times[order][starts].astype("datetime64[M]"), unit="M")
        sidx_g = pts.sidx[order][starts]
        prev_mean: dict[int, float] = {}
        for j in range(starts.size):
            i = int(sidx_g[j])
            s = pts.series[i]
            node = N(f"{s.iri}/month/{month_str[j]}")
            q(node, RDF + "type", N(BKG + "MonthlySummary"))
            q(series_nodes[i], BKG + "monthlySummary", node)
            q(node, BKG + "instrument", inst)
            q(node, BKG + "metric", N(metric_iri(s.metric)))
            if s.channel is not None:
                q(node, BKG + "channel", lit_int(s.channel))
            if s.component is not None:
                q(node, BKG + "component", ox.Literal(s.component))
            q(node, BKG + "month", ox.Literal(str(month_str[j])))
            q(node, BKG + "mean", lit_double(float(means[j])))
            n = int(counts[j])
            if n > 1:
                q(node, BKG + "sd", lit_double(float(np.sqrt(sq[j] / (n - 1)))))
            q(node, BKG + "min", lit_double(float(mins[j])))
            q(node, BKG + "max", lit_double(float(maxs[j])))
            q(node, BKG + "count", lit_int(n))
            q(node, BKG + "outOfToleranceCount", lit_int(int(outs[j])))
            q(node, BKG + "unitSymbol", ox.Literal(s.unit))
            if i in prev_mean:
                q(node, BKG + "changeFromPrevious", lit_double(float(means[j]) - prev_mean[i]))
            prev_mean[i] = float(means[j])

    # -- images and epochs
    images, plate_names = _images(store, iris, instrument_id)
    dated: list[tuple[str, dt.datetime, str | None]] = []
    for img, t, plate in images:
        if t is None:
            st.images_without_date += 1
            continue
        try:
            dated.append((img, parse_time(t), plate))
        except ValueError:
            st.images_without_date += 1
            st.warnings.append(f"{img}: acquisition date {t!r} is not an xsd:dateTime")
    st.images = len(images)
    q(inst, BKG + "imageCount", lit_int(st.images))
    q(inst, BKG + "imagesWithoutDate", lit_int(st.images_without_date))

    flagged: set[int] = set(np.flatnonzero(within == 0).tolist())  # every out-of-tolerance point
    if dated:
        img_times = np.asarray([d[1] for d in dated], dtype="datetime64[us]")
        epoch_of_image = np.searchsorted(qc_times, img_times, side="right")
        epochs, img_epoch_pos = np.unique(epoch_of_image, return_inverse=True)
        st.states = int(epochs.size)
        qc_iso = _iso(qc_times)
        n_series = len(pts.series)
        before_idx = np.full((n_series, epochs.size), -1, dtype=np.int64)  # point index or -1
        after_idx = np.full((n_series, epochs.size), -1, dtype=np.int64)
        status = np.zeros((n_series, epochs.size), dtype=np.int8)
        if qc_times.size:
            lower = np.where(epochs > 0, qc_times[np.maximum(epochs - 1, 0)], np.datetime64("NaT"))
        else:
            lower = np.full(epochs.size, np.datetime64("NaT"), dtype="datetime64[us]")
        interval_nodes: dict[tuple[int, int], ox.NamedNode] = {}
        interval_of = np.full((n_series, epochs.size), -1, dtype=np.int64)
        for i in range(n_series):
            idx = order_by_series[i]
            ts = pts.times[idx]
            bpos = np.where(epochs > 0, np.searchsorted(ts, lower, side="right") - 1, -1)
            a = bpos + 1
            has_b = bpos >= 0
            has_a = a < idx.size
            bi = np.where(has_b, idx[np.maximum(bpos, 0)], -1)
            ai = np.where(has_a, idx[np.minimum(a, idx.size - 1)], -1)
            fb = np.where(has_b, within[np.maximum(bi, 0)], _MISSING)
            fa = np.where(has_a, within[np.maximum(ai, 0)], _MISSING)
            before_idx[i], after_idx[i] = bi, ai
            status[i] = _status(fb, fa)
            interval_of[i] = bpos
            s = pts.series[i]
            for j in np.unique(bpos).tolist():
                cols = np.flatnonzero(bpos == j)
                col = int(cols[0])
                node = N(f"{s.iri}/interval/{_stamp(_iso(ts[j : j + 1])[0]) if j >= 0 else 'start'}")
                interval_nodes[(i, j)] = node
                q(node, RDF + "type", N(BKG + "QCInterval"))
                q(node, BKG + "series", series_nodes[i])
                q(node, BKG + "metric", N(metric_iri(s.metric)))
                if s.channel is not None:
                    q(node, BKG + "channel", lit_int(s.channel))
                if s.component is not None:
                    q(node, BKG + "component", ox.Literal(s.component))
                q(node, BKG + "status", ox.Literal(STATUS[int(status[i, col])]))
                q(node, BKG + "unitSymbol", ox.Literal(s.unit))
                if resolved[i] is not None:
                    q(node, BKG + "baselineValue", lit_double(resolved[i].value))  # type: ignore[union-attr]
                # the QC values around the interval are copied onto it: the queries read one node
                for side, idx_arr in (("before", bi), ("after", ai)):
                    p = int(idx_arr[col])
                    if p < 0:
                        continue
                    flagged.add(p)
                    q(node, BKG + ("qcBefore" if side == "before" else "qcAfter"), N(pts.obs[p]))
                    q(node, BKG + f"{side}Time", _tlit(_iso(pts.times[p : p + 1])[0]))
                    q(node, BKG + f"{side}Value", lit_double(float(pts.values[p])))
                    if within[p] >= 0:
                        q(
                            node,
                            BKG + f"{side}Within",
                            ox.Literal("true" if within[p] == 1 else "false", datatype=_BOOL),
                        )
        st.intervals = len(interval_nodes)
        worst = status.max(axis=0) if n_series else np.zeros(epochs.size, dtype=np.int8)
        state_nodes = []
        sg = iris.state_graph(instrument_id)
        for c, k in enumerate(epochs.tolist()):
            node = N(f"{sg}/epoch/{_stamp(qc_iso[k - 1]) if k > 0 else 'start'}")
            state_nodes.append(node)
            q(node, RDF + "type", N(BKG + "QCState"))
            q(node, BKG + "instrument", inst)
            q(inst, BKG + "hasState", node)
            q(node, BKG + "status", ox.Literal(STATUS[int(worst[c])]))
            if k > 0:
                q(node, BKG + "fromTime", _tlit(qc_iso[k - 1]))
            if k < qc_times.size:
                q(node, BKG + "untilTime", _tlit(qc_iso[k]))
            for i in range(n_series):
                iv = interval_nodes[(i, int(interval_of[i, c]))]
                q(node, BKG + "interval", iv)
                if status[i, c] >= 2:  # out or suspect: listed apart, so queries skip the rest
                    q(node, BKG + "problem", iv)
        for n_img, (img, _t, _p) in enumerate(dated):
            c = int(img_epoch_pos[n_img])
            q(N(img), BKG + "qcState", state_nodes[c])
            st.image_status[STATUS[int(worst[c])]] += 1
        _batches(
            q,
            pts,
            resolved,
            dated,
            img_epoch_pos,
            before_idx,
            status,
            worst,
            inst,
            sg,
            series_nodes,
            st,
            plate_names,
        )
    st.image_status["no acquisition date"] += st.images_without_date

    for p in sorted(flagged):
        if within[p] < 0:
            continue  # no baseline: neither within nor out
        o = N(pts.obs[p])
        q(
            o,
            BKG + "withinTolerance",
            ox.Literal("true" if within[p] == 1 else "false", datatype=N(XSD + "boolean")),
        )
        if not np.isnan(dev[p]):
            q(o, BKG + "deviation", lit_double(float(dev[p])))
    st.quads = len(quads)
    st.seconds = time.perf_counter() - t0
    return quads, st


def _batches(
    q: Any,
    pts: SeriesPoints,
    resolved: list[Baseline | None],
    dated: list[tuple[str, dt.datetime, str | None]],
    img_epoch_pos: Any,
    before_idx: Any,
    status: Any,
    worst: Any,
    inst: ox.NamedNode,
    sg: str,
    series_nodes: list[ox.NamedNode],
    st: InstrumentState,
    plate_names: dict[str, str],
) -> None:
    """Acquisition batches: images of the instrument per day and plate."""
    groups: dict[tuple[str, str], list[int]] = {}
    for n_img, (_img, t, plate) in enumerate(dated):
        groups.setdefault((t.date().isoformat(), plate or ""), []).append(n_img)
    st.batches = len(groups)
    prev_value: dict[int, float] = {}
    for (day, plate), members in sorted(groups.items()):
        node = N(
            f"{sg}/batch/{day}" + (f"/{hashlib.sha256(plate.encode()).hexdigest()[:10]}" if plate else "")
        )
        cols = img_epoch_pos[np.asarray(members)]
        img_status = worst[cols]
        q(node, RDF + "type", N(BKG + "AcquisitionBatch"))
        q(node, BKG + "instrument", inst)
        q(inst, BKG + "hasBatch", node)
        q(node, BKG + "date", ox.Literal(day, datatype=XSD_DATE))
        if plate:
            q(node, BKG + "plate", N(plate))
            if plate_names.get(plate):
                q(node, BKG + "plateName", ox.Literal(plate_names[plate]))
        q(node, BKG + "imageCount", lit_int(len(members)))
        q(node, BKG + "outCount", lit_int(int((img_status == 3).sum())))
        q(node, BKG + "suspectCount", lit_int(int((img_status == 2).sum())))
        q(node, BKG + "status", ox.Literal(STATUS[int(img_status.max())]))
        for i, s in enumerate(pts.series):
            bi = before_idx[i, cols]
            have = bi >= 0
            if not have.any():
                continue
            value = float(pts.values[bi[have]].mean())
            m = N(
                f"{node.value}/metric/{s.metric}"
                + (f"/ch{s.channel}" if s.channel is not None else "")
                + (f"/{quote(s.component, safe='')}" if s.component else "")
            )
            q(node, BKG + "metricAtAcquisition", m)
            q(m, BKG + "series", series_nodes[i])
            q(m, BKG + "metric", N(metric_iri(s.metric)))
            if s.channel is not None:
                q(m, BKG + "channel", lit_int(s.channel))
            q(m, BKG + "value", lit_double(value))
            q(m, BKG + "unitSymbol", ox.Literal(s.unit))
            q(m, BKG + "status", ox.Literal(STATUS[int(status[i, cols].max())]))
            b = resolved[i]
            if b is not None:
                _within, d = b.check(value, s.unit)
                if d is not None:
                    q(m, BKG + "deviation", lit_double(d))
            if i in prev_value:
                q(m, BKG + "changeFromPrevious", lit_double(value - prev_value[i]))
            prev_value[i] = value


def known_instruments(store: Store, iris: QcIris) -> list[str]:
    """Registered facility instruments and those QC measurements name."""
    ids = set(read_instruments(store, iris))
    res = store.query(
        prologue()
        + "SELECT DISTINCT ?inst WHERE { GRAPH ?m { ?m a bkg:QCMeasurement ; bkg:instrument ?inst } }"
    )
    for row in getattr(res, "rows", []):
        iid = iris.instrument_id(text(row[0]) or "")
        if iid:
            ids.add(iid)
    return sorted(ids)


def recompute(
    store: Store,
    iris: QcIris,
    instrument_ids: list[str] | None = None,
    *,
    now: dt.datetime | None = None,
    relink: bool = True,
) -> StateReport:
    """Relink instruments to images (unless ``relink`` is false), then recompute and write the
    state graph of each instrument (all registered instruments when ``instrument_ids`` is None).
    Each graph is one atomic write."""
    t0 = time.perf_counter()
    links = relink_instruments(store, iris) if relink else None
    ids = instrument_ids if instrument_ids is not None else known_instruments(store, iris)
    out = []
    for iid in ids:
        quads, st = compute_instrument(store, iris, iid, now=now)
        replace_graph(store, N(iris.state_graph(iid)), quads, derived=True)
        out.append(st)
    return StateReport(links, out, time.perf_counter() - t0)
