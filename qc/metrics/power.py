"""Light-source power stability from a power-meter time series.

- ``power_mean``: the mean power, in the unit of the series (the CSV column's unit).
- ``power_cv`` (%): 100 × standard deviation (n − 1) / mean over the whole series.
- ``power_drift`` (%/h): the slope of a least-squares straight line through the series
  (``scipy.stats.linregress``), per hour, relative to the mean, in percent; its uncertainty is
  the slope's standard error.

The parameters also give QUAREP-LiMi's stability figure 100 × (max − min) / (max + min).

CSV input (:func:`read_power_csv`): one header line, then one row per reading, separated by
commas, semicolons or tabs; lines starting with ``#`` are comments. The time column is named
``time``, ``t``, ``timestamp``, ``datetime``, ``elapsed`` or ``seconds`` (optionally with a unit:
``time (s)``, ``time_ms``, ``time [min]``), or given as ``time_column``; it holds seconds (or
the unit in its name) or ISO 8601 timestamps. The power column is the one whose name contains
``power`` (or ``power_column``, or the only other column), with its unit in the name
(``power (mW)``, ``power_uW``, ``Power [W]``) or given as ``unit``.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from kg.errors import SourceError
from qc.metrics._common import MeasurementError, software_version
from qc.model import MetricResult, MetricValue

_TIME_NAMES = {
    "time",
    "t",
    "timestamp",
    "datetime",
    "date_time",
    "elapsed",
    "elapsed_time",
    "seconds",
    "time_s",
}
_TIME_UNITS = {"s": 1.0, "sec": 1.0, "seconds": 1.0, "ms": 1e-3, "min": 60.0, "h": 3600.0, "hr": 3600.0}
_UNIT_IN_NAME = re.compile(
    r"^(?P<name>.*?)[\s_]*(?:\((?P<u1>[^)]*)\)|\[(?P<u2>[^\]]*)\]|_(?P<u3>[A-Za-zµμ]+))\s*$"
)


@dataclass
class PowerSeries:
    times_s: np.ndarray[Any, Any]  # seconds from the first reading
    power: np.ndarray[Any, Any]
    unit: str
    start: datetime | None  # when the first reading was taken, if the file says
    time_column: str
    power_column: str


def _split_unit(header: str) -> tuple[str, str | None]:
    m = _UNIT_IN_NAME.match(header.strip())
    if m and (m.group("u1") or m.group("u2") or m.group("u3")):
        return m.group("name").strip().lower(), (
            m.group("u1") or m.group("u2") or m.group("u3") or ""
        ).strip()
    return header.strip().lower(), None


def power_unit(symbol: str, where: str) -> str:
    """A power unit symbol as kg's unit table spells it (uW and μW become µW)."""
    from kg.units import default_units

    s = symbol.strip().replace("μ", "µ")
    if s[:1] == "u" and len(s) > 1:
        s = "µ" + s[1:]
    u = default_units().get(s)
    if u is None or u.si_unit != "W":
        raise SourceError(where, f"power unit {symbol!r} is not a unit of power", expected="W, mW, µW or nW")
    return s


def read_power_csv(
    path: Path | str,
    *,
    unit: str | None = None,
    time_column: str | None = None,
    power_column: str | None = None,
) -> PowerSeries:
    """Read a power-meter time series; every problem is a SourceError naming the file, the line
    and the column."""
    p = Path(path)
    where = str(p)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(where, f"cannot read the file: {exc}", expected="a UTF-8 CSV file") from exc
    lines = [
        (i + 1, line)
        for i, line in enumerate(text.splitlines())
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        raise SourceError(where, "the file is empty", expected="a header line and readings")
    header_no, header_line = lines[0]
    delimiter = max(",;\t", key=header_line.count)
    if header_line.count(delimiter) == 0:
        raise SourceError(
            where,
            f"the header {header_line.strip()!r} has one column",
            line=header_no,
            expected="a time column and a power column separated by commas, semicolons or tabs",
        )
    rows = list(csv.reader([line for _, line in lines], delimiter=delimiter))
    header = [h.strip() for h in rows[0]]
    parsed = [_split_unit(h) for h in header]

    def find(given: str | None, pick: Any, what: str) -> int:
        if given is not None:
            for i, h in enumerate(header):
                if h == given or parsed[i][0] == given.lower():
                    return i
            raise SourceError(
                where,
                f"no column named {given!r} (columns: {', '.join(header)})",
                line=header_no,
                expected=f"the {what} column",
            )
        hits = [i for i in range(len(header)) if pick(i)]
        if not hits:
            raise SourceError(
                where,
                f"no {what} column among {', '.join(repr(h) for h in header)}",
                line=header_no,
                expected=f"a {what} column (see the documentation of qc.metrics.power)",
            )
        return hits[0]

    ti = find(time_column, lambda i: parsed[i][0] in _TIME_NAMES or parsed[i][0].startswith("time"), "time")
    if power_column is None and len(header) == 2:
        pi = 1 - ti
    else:
        pi = find(power_column, lambda i: "power" in parsed[i][0] and i != ti, "power")
    tunit = parsed[ti][1]
    tfactor = 1.0
    if tunit:
        if tunit.lower() not in _TIME_UNITS:
            raise SourceError(
                where,
                f"time unit {tunit!r} in {header[ti]!r}",
                line=header_no,
                element=f"column {header[ti]!r}",
                expected="s, ms, min or h",
            )
        tfactor = _TIME_UNITS[tunit.lower()]
    col_unit = parsed[pi][1]
    if unit is not None:
        unit_sym = power_unit(unit, where)
    elif col_unit:
        unit_sym = power_unit(col_unit, f"{where}, line {header_no}, column {header[pi]!r}")
    else:
        raise SourceError(
            where,
            f"the power column {header[pi]!r} names no unit",
            line=header_no,
            element=f"column {header[pi]!r}",
            expected="a unit in the header, like 'power (mW)', or the unit option",
        )
    times: list[float] = []
    stamps: list[datetime] = []
    power: list[float] = []
    for (line_no, _), row in zip(lines[1:], rows[1:], strict=True):
        if len(row) <= max(ti, pi):
            raise SourceError(
                where,
                f"{len(row)} fields where the header has {len(header)}",
                line=line_no,
                expected=f"a value for {header[ti]!r} and {header[pi]!r}",
            )
        tv, pv = row[ti].strip(), row[pi].strip()
        try:
            power.append(float(pv))
        except ValueError:
            raise SourceError(
                where,
                f"power {pv!r} is not a number",
                line=line_no,
                element=f"column {header[pi]!r}",
                expected="a number",
            ) from None
        if not math.isfinite(power[-1]):
            raise SourceError(
                where,
                f"power {pv!r} is not finite",
                line=line_no,
                element=f"column {header[pi]!r}",
                expected="a finite number",
            )
        try:
            times.append(float(tv) * tfactor)
        except ValueError:
            try:
                stamps.append(datetime.fromisoformat(tv))
            except ValueError:
                raise SourceError(
                    where,
                    f"time {tv!r} is neither a number nor an ISO 8601 timestamp",
                    line=line_no,
                    element=f"column {header[ti]!r}",
                    expected="seconds or a timestamp like 2024-05-01T10:00:00",
                ) from None
        if times and stamps:
            raise SourceError(
                where,
                f"time {tv!r} mixes numbers and timestamps in one column",
                line=line_no,
                element=f"column {header[ti]!r}",
                expected="only numbers or only timestamps",
            )
    if len(power) < 3:
        raise SourceError(where, f"{len(power)} readings", expected="at least 3 readings")
    start: datetime | None = None
    if stamps:
        start = stamps[0]
        try:
            times = [(s - start).total_seconds() for s in stamps]
        except TypeError:
            raise SourceError(
                where,
                "the timestamps mix ones with and without a time zone",
                element=f"column {header[ti]!r}",
                expected="all with, or all without, a time zone",
            ) from None
    else:
        t0 = times[0]
        times = [t - t0 for t in times]
    return PowerSeries(np.asarray(times), np.asarray(power), unit_sym, start, header[ti], header[pi])


def power_stability(
    times_s: np.ndarray[Any, Any] | list[float],
    power: np.ndarray[Any, Any] | list[float],
    *,
    unit: str = "mW",
    dataset: str = "<array>",
) -> MetricResult:
    """Mean, coefficient of variation and linear drift of a power time series."""
    from scipy.stats import linregress

    t = np.asarray(times_s, dtype=np.float64)
    p = np.asarray(power, dtype=np.float64)
    if t.shape != p.shape or t.ndim != 1:
        raise MeasurementError(
            f"{dataset}: times {t.shape} and powers {p.shape} (expected two 1D series of one length)"
        )
    if t.size < 3 or not (np.all(np.isfinite(t)) and np.all(np.isfinite(p))):
        raise MeasurementError(f"{dataset}: {t.size} readings (expected at least 3 finite readings)")
    result = MetricResult(kind="power-stability", dataset=dataset, software_version=software_version())
    if np.any(np.diff(t) < 0):
        order = np.argsort(t, kind="stable")
        t, p = t[order], p[order]
        result.warnings.append("the readings were not in time order; sorted by time")
    mean = float(p.mean())
    if mean <= 0:
        raise MeasurementError(f"{dataset}: mean power {mean:g} {unit} (expected a positive power)")
    sd = float(p.std(ddof=1))
    duration = float(t[-1] - t[0])
    result.values += [
        MetricValue("power_mean", mean, unit, uncertainty=sd / math.sqrt(p.size)),
        MetricValue("power_cv", 100.0 * sd / mean, "%"),
    ]
    if duration > 0:
        fit = linregress(t, p)
        result.values.append(
            MetricValue(
                "power_drift",
                100.0 * float(fit.slope) * 3600.0 / mean,
                "%/h",
                uncertainty=100.0 * float(fit.stderr) * 3600.0 / mean,
            )
        )
    else:
        result.warnings.append("all readings at one time: no drift")
    pmax, pmin = float(p.max()), float(p.min())
    result.parameters.update(
        {
            "readings": int(p.size),
            "duration_s": duration,
            "min": pmin,
            "max": pmax,
            "unit": unit,
            "quarep_stability_pct": 100.0 * (pmax - pmin) / (pmax + pmin),
            "cv": "100 × sd (n−1) / mean over the whole series",
            "drift": "least-squares slope per hour / mean × 100",
        }
    )
    return result
