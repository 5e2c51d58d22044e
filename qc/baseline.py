"""Baselines and tolerances per instrument and metric.

A baseline is the value a metric should have on an instrument, with a tolerance around it:

- **configured** in a YAML file (``kg qc baseline set --file baselines.yaml``) or on the command
  line: a value, and a tolerance either absolute (``0.05``, in the value's unit) or relative
  (``20%``, of the value);
- **derived** from the first N observations of each series (``kg qc baseline derive``): the
  baseline is their mean and the tolerance k times their sample standard deviation (defaults
  N = 10, k = 3; at least 2 observations; a series with fewer is skipped and reported).

Which side counts: by default the side the vocabulary says is worse (``bkg:worseWhen``): a wider
PSF (higher) is out of tolerance, a narrower one is not; ``either`` uses both limits. ``side:
upper|lower|both`` overrides it.

A baseline applies to a series (instrument, metric, channel, component). One without a channel
or component applies to every channel/component of the metric on that instrument; the most
specific baseline wins. Baselines are stored per instrument in the graph
``{base}qc/baseline/{id}`` as ``bkg:QCBaseline`` nodes (docs/qc.md).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox

from kg.errors import ConfigError
from kg.namespaces import BKG, PROV, RDF, RDFS
from kg.resources import load_yaml
from kg.store import SelectResult, Store
from qc.graph import (
    N,
    QcIris,
    check_instrument_id,
    lit_double,
    lit_int,
    lit_time,
    replace_graph,
    series_points,
)
from qc.vocab import convert, key_of, metric, metric_iri, normalise_unit_symbol, prologue, unit

SIDES = ("upper", "lower", "both")
_TOL = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(%?)\s*$")


@dataclass(frozen=True)
class Baseline:
    instrument: str
    metric: str  # key
    value: float
    unit: str  # symbol
    tolerance_abs: float | None = None
    tolerance_rel: float | None = None  # fraction of the value
    side: str | None = None  # None: from the metric's worseWhen
    channel: int | None = None
    component: str | None = None
    derivation: str = "configured"  # or "first-n"
    n: int | None = None
    k: float | None = None

    @property
    def effective_side(self) -> str:
        if self.side:
            return self.side
        return {"higher": "upper", "lower": "lower"}.get(metric(self.metric).worse_when, "both")

    @property
    def tolerance(self) -> float:
        if self.tolerance_abs is not None:
            return self.tolerance_abs
        if self.tolerance_rel is not None:
            return abs(self.value) * self.tolerance_rel
        return 0.0

    def limits(self) -> tuple[float | None, float | None]:
        """(lower, upper) in the baseline's unit; None where that side does not count."""
        side = self.effective_side
        lo = self.value - self.tolerance if side in ("lower", "both") else None
        hi = self.value + self.tolerance if side in ("upper", "both") else None
        return lo, hi

    def check(self, value: float, unit_symbol: str) -> tuple[bool | None, float | None]:
        """(within tolerance, relative deviation) of a value; (None, None) if units do not convert."""
        v = convert(value, unit_symbol, self.unit)
        if v is None:
            return None, None
        lo, hi = self.limits()
        within = not ((lo is not None and v < lo) or (hi is not None and v > hi))
        dev = (v - self.value) / self.value if self.value != 0 else None
        return within, dev

    def describe_tolerance(self) -> str:
        if self.tolerance_rel is not None:
            t = f"{self.tolerance_rel * 100:g}%"
        else:
            t = f"{self.tolerance:.4g} {self.unit}"
        if self.derivation == "first-n":
            t += f" ({self.k:g}·sd of first {self.n})"
        return t

    @property
    def key(self) -> tuple[str, str, int | None, str | None]:
        return (self.instrument, self.metric, self.channel, self.component)

    def iri(self, iris: QcIris) -> str:
        s = f"{iris.instrument(self.instrument)}/baseline/{self.metric}"
        if self.channel is not None:
            s += f"/ch{self.channel}"
        if self.component is not None:
            s += "/" + quote(self.component, safe="")
        return s


def parse_tolerance(text: str | float | int, where: str) -> tuple[float | None, float | None]:
    """``"20%"`` -> (None, 0.2); ``0.05`` or ``"0.05"`` -> (0.05, None)."""
    if isinstance(text, bool):
        raise ConfigError(f"{where}: tolerance {text!r} (expected a number, or a percentage such as 20%)")
    if isinstance(text, int | float):
        if not math.isfinite(text) or text < 0:
            raise ConfigError(f"{where}: tolerance {text!r} (expected a number ≥ 0)")
        return float(text), None
    m = _TOL.match(str(text))
    if not m:
        raise ConfigError(f"{where}: tolerance {text!r} (expected a number ≥ 0, or a percentage such as 20%)")
    value = float(m.group(1))
    return (None, value / 100.0) if m.group(2) else (value, None)


def _check_unit(symbol: str, metric_key: str, where: str) -> str:
    s = normalise_unit_symbol(symbol)
    if unit(s) is None:
        raise ConfigError(f"{where}: unit {symbol!r} is not one kg knows (e.g. µm, nm, mW, %, 1, ADU)")
    default = metric(metric_key).default_symbol
    if convert(1.0, s, default) is None and s != default and not (s == "px" and default == "µm"):
        raise ConfigError(
            f"{where}: unit {symbol!r} does not fit {metric_key} "
            f"(expected {default} or a unit of the same kind)"
        )
    return s


def make_baseline(entry: dict[str, Any], where: str, default_instrument: str | None = None) -> Baseline:
    """A configured baseline from a mapping (YAML entry or CLI options); errors say where and what."""
    allowed = {"instrument", "metric", "channel", "component", "value", "unit", "tolerance", "side"}
    unknown = set(entry) - allowed
    if unknown:
        raise ConfigError(
            f"{where}: unknown field(s) {', '.join(sorted(unknown))} (expected {', '.join(sorted(allowed))})"
        )
    inst = entry.get("instrument") or default_instrument
    if not inst:
        raise ConfigError(f"{where}: missing 'instrument'")
    try:
        check_instrument_id(str(inst))
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from exc
    key = entry.get("metric")
    if not key:
        raise ConfigError(f"{where}: missing 'metric'")
    try:
        m = metric(str(key))
    except KeyError as exc:
        raise ConfigError(f"{where}: {exc.args[0]}") from exc
    value = entry.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        try:
            value = float(str(value))
        except ValueError:
            raise ConfigError(f"{where}: value {entry.get('value')!r} (expected a number)") from None
    if "tolerance" not in entry:
        raise ConfigError(
            f"{where}: missing 'tolerance' (a number in the value's unit, or a percentage such as 20%)"
        )
    tol_abs, tol_rel = parse_tolerance(entry["tolerance"], where)
    side = entry.get("side")
    if side is not None and side not in SIDES:
        raise ConfigError(f"{where}: side {side!r} (expected one of {', '.join(SIDES)})")
    channel = entry.get("channel")
    if channel is not None and (isinstance(channel, bool) or not isinstance(channel, int) or channel < 0):
        try:
            channel = int(str(channel))
        except ValueError:
            raise ConfigError(
                f"{where}: channel {entry.get('channel')!r} (expected a channel index ≥ 0)"
            ) from None
    unit_symbol = _check_unit(str(entry.get("unit") or m.default_symbol), m.key, where)
    return Baseline(
        instrument=str(inst),
        metric=m.key,
        value=float(value),
        unit=unit_symbol,
        tolerance_abs=tol_abs,
        tolerance_rel=tol_rel,
        side=side,
        channel=channel,
        component=str(entry["component"]) if entry.get("component") is not None else None,
    )


def load_baselines_yaml(path: Path) -> list[Baseline]:
    doc = load_yaml(path, "baselines")
    if not isinstance(doc, dict) or not isinstance(doc.get("baselines"), list):
        raise ConfigError(f"{path}: expected a mapping with a 'baselines' list")
    out = []
    for i, entry in enumerate(doc["baselines"]):
        if not isinstance(entry, dict):
            raise ConfigError(f"{path}: baselines[{i}]: expected a mapping")
        out.append(make_baseline(entry, f"{path}: baselines[{i}]"))
    return out


# -- in the store ---------------------------------------------------------------------------------


def baseline_quads(b: Baseline, iris: QcIris, now: dt.datetime) -> list[ox.Quad]:
    g = N(iris.baseline_graph(b.instrument))
    s = N(b.iri(iris))
    u = unit(b.unit)
    out = [
        ox.Quad(s, N(RDF + "type"), N(BKG + "QCBaseline"), g),
        ox.Quad(s, N(BKG + "instrument"), N(iris.instrument(b.instrument)), g),
        ox.Quad(s, N(BKG + "metric"), N(metric_iri(b.metric)), g),
        ox.Quad(s, N(BKG + "baselineValue"), lit_double(b.value), g),
        ox.Quad(s, N(BKG + "unitSymbol"), ox.Literal(b.unit), g),
        ox.Quad(s, N(BKG + "side"), ox.Literal(b.effective_side), g),
        ox.Quad(s, N(BKG + "derivation"), ox.Literal(b.derivation), g),
        ox.Quad(s, N(PROV + "generatedAtTime"), lit_time(now), g),
        ox.Quad(
            s,
            N(RDFS + "label"),
            ox.Literal(f"{b.metric} baseline {b.value:.4g} {b.unit} ± {b.describe_tolerance()}"),
            g,
        ),
    ]
    if u is not None:
        out.append(ox.Quad(s, N(BKG + "unit"), N(u.iri), g))
    if b.channel is not None:
        out.append(ox.Quad(s, N(BKG + "channel"), lit_int(b.channel), g))
    if b.component is not None:
        out.append(ox.Quad(s, N(BKG + "component"), ox.Literal(b.component), g))
    if b.tolerance_abs is not None:
        out.append(ox.Quad(s, N(BKG + "toleranceAbsolute"), lit_double(b.tolerance_abs), g))
    if b.tolerance_rel is not None:
        out.append(ox.Quad(s, N(BKG + "toleranceRelative"), lit_double(b.tolerance_rel), g))
    lo, hi = b.limits()
    if lo is not None:
        out.append(ox.Quad(s, N(BKG + "lowerLimit"), lit_double(lo), g))
    if hi is not None:
        out.append(ox.Quad(s, N(BKG + "upperLimit"), lit_double(hi), g))
    if b.n is not None:
        out.append(ox.Quad(s, N(BKG + "derivedFromCount"), lit_int(b.n), g))
    if b.k is not None:
        out.append(ox.Quad(s, N(BKG + "sdMultiplier"), lit_double(b.k), g))
    return out


def read_baselines(store: Store, iris: QcIris, instrument_id: str | None = None) -> list[Baseline]:
    res = store.query(prologue() + """SELECT ?b ?p ?o WHERE { GRAPH ?g { ?b a bkg:QCBaseline ; ?p ?o } }""")
    assert isinstance(res, SelectResult)
    props: dict[str, dict[str, str]] = {}
    for b, p, o in res.rows:
        assert b is not None and p is not None and o is not None
        props.setdefault(str(b.value), {})[str(p.value)] = str(o.value)  # type: ignore[union-attr]
    out = []
    for pr in props.values():
        inst = iris.instrument_id(pr.get(BKG + "instrument", ""))
        if inst is None or (instrument_id is not None and inst != instrument_id):
            continue
        side = pr.get(BKG + "side")
        out.append(
            Baseline(
                instrument=inst,
                metric=key_of(pr[BKG + "metric"]),
                value=float(pr[BKG + "baselineValue"]),
                unit=pr.get(BKG + "unitSymbol", "1"),
                tolerance_abs=float(pr[BKG + "toleranceAbsolute"])
                if BKG + "toleranceAbsolute" in pr
                else None,
                tolerance_rel=float(pr[BKG + "toleranceRelative"])
                if BKG + "toleranceRelative" in pr
                else None,
                side=side,
                channel=int(pr[BKG + "channel"]) if BKG + "channel" in pr else None,
                component=pr.get(BKG + "component"),
                derivation=pr.get(BKG + "derivation", "configured"),
                n=int(pr[BKG + "derivedFromCount"]) if BKG + "derivedFromCount" in pr else None,
                k=float(pr[BKG + "sdMultiplier"]) if BKG + "sdMultiplier" in pr else None,
            )
        )
    return sorted(
        out,
        key=lambda b: (b.instrument, b.metric, b.channel if b.channel is not None else -1, b.component or ""),
    )


def write_baselines(
    store: Store, iris: QcIris, baselines: list[Baseline], *, now: dt.datetime | None = None
) -> int:
    """Add or replace baselines (same instrument, metric, channel, component), instrument by
    instrument, each instrument's graph in one atomic write. Returns how many were written."""
    now = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    by_inst: dict[str, list[Baseline]] = {}
    for b in baselines:
        by_inst.setdefault(b.instrument, []).append(b)
    for inst, new in by_inst.items():
        merged = {b.key: b for b in read_baselines(store, iris, inst)}
        merged.update({b.key: b for b in new})
        quads = [q for b in merged.values() for q in baseline_quads(b, iris, now)]
        replace_graph(store, N(iris.baseline_graph(inst)), quads)
    return len(baselines)


def resolve(
    baselines: list[Baseline], metric_key: str, channel: int | None, component: str | None
) -> Baseline | None:
    """The most specific baseline for a series: exact channel and component, then channel only,
    then component only, then the metric alone."""
    best: tuple[int, Baseline] | None = None
    for b in baselines:
        if b.metric != metric_key:
            continue
        if b.channel is not None and b.channel != channel:
            continue
        if b.component is not None and b.component != component:
            continue
        score = (2 if b.channel is not None else 0) + (1 if b.component is not None else 0)
        if best is None or score > best[0]:
            best = (score, b)
    return best[1] if best else None


@dataclass
class DeriveReport:
    derived: list[Baseline]
    skipped: list[str]


def derive(
    store: Store,
    iris: QcIris,
    instrument_id: str,
    *,
    metric_key: str | None = None,
    first: int = 10,
    k: float = 3.0,
) -> DeriveReport:
    """Derive baselines from the first ``first`` points of each series of the instrument (mean,
    and k sample standard deviations); write them; return what was derived and what was not."""
    import numpy as np

    if first < 2:
        raise ConfigError(f"--first {first}: at least 2 observations are needed for a standard deviation")
    if not (math.isfinite(k) and k > 0):
        raise ConfigError(f"--k {k}: expected a positive number of standard deviations")
    if metric_key is not None:
        try:
            metric(metric_key)
        except KeyError as exc:
            raise ConfigError(str(exc.args[0])) from exc
    pts = series_points(store, iris, instrument_id)
    derived: list[Baseline] = []
    skipped: list[str] = list(pts.skipped)
    for i, s in enumerate(pts.series):
        if metric_key is not None and s.metric != metric_key:
            continue
        sel = np.flatnonzero(pts.sidx == i)
        order = sel[np.argsort(pts.times[sel], kind="stable")][:first]
        label = (
            f"{s.metric}"
            + (f" channel {s.channel}" if s.channel is not None else "")
            + (f" {s.component}" if s.component else "")
        )
        if order.size < 2:
            skipped.append(f"{label}: {order.size} observation(s), at least 2 are needed")
            continue
        vals = pts.values[order]
        mean = float(vals.mean())
        sd = float(vals.std(ddof=1))
        if sd == 0.0:
            skipped.append(
                f"{label}: the first {order.size} values are identical (sd 0): "
                "tolerance would be 0; set one instead"
            )
            continue
        derived.append(
            Baseline(
                instrument=instrument_id,
                metric=s.metric,
                value=mean,
                unit=s.unit,
                tolerance_abs=k * sd,
                channel=s.channel,
                component=s.component,
                derivation="first-n",
                n=int(order.size),
                k=k,
            )
        )
    if derived:
        write_baselines(store, iris, derived)
    return DeriveReport(derived, skipped)


def with_instrument(b: Baseline, instrument_id: str) -> Baseline:
    return replace(b, instrument=instrument_id)
