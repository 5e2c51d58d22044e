"""Import QC results computed elsewhere: microscope-metrics datasets (YAML, as in the
microscopemetrics-schema examples) and tabular QC results (CSV).

Both give :class:`~qc.model.MetricResult` records, stored by :mod:`qc.graph` exactly like
measurements made with ``kg qc measure``. A file is read and checked completely before anything
is written: a bad file leaves the store unchanged, and the error names the file, the line (CSV)
or field (YAML) and what was expected.

**microscope-metrics.** The analysis is recognised from ``input_data``: field illumination
(``field_illumination_images``), PSF beads (``psf_beads_images``), light-source power
(``power_measurements``). Key measurements map to our metric terms (the vocabulary records the
correspondence, ``bkg:microscopeMetricsName``):

- field illumination, per channel: ``fi_centre_offset_x/_y`` = ``center_fitted_x/_y`` (else
  ``center_of_mass_x/_y``) minus the image centre ((shape − 1) / 2), in µm with the image's
  ``voxel_size_x/y_micron``, else in pixels; ``fi_centre_offset`` their length;
  ``fi_corner_centre_ratio`` = the mean of the four ``*_intensity_ratio`` corners. microscope-metrics
  has no min/max uniformity, so ``fi_uniformity`` is not imported.
- PSF beads, per channel: ``psf_fwhm_x/y/z`` = ``fwhm_micron_x/y/z_median``; ``psf_bead_count`` =
  ``considered_valid_count``; ``psf_rejected_count`` = ``total_bead_count − considered_valid_count``.
- light-source power, per light source: ``power_mean`` = ``power_mean_mw``; ``power_cv`` =
  100 × ``power_std_mw`` / ``power_mean_mw``.

Every other key measurement is kept as a ``bkg:unmapped`` note on the measurement and listed in
the import report. Datasets that were not processed, or whose analysis has no terms in our
vocabulary (Argolight), are reported as not imported, with the reason.

**CSV** (one value per row; a header row; comma-separated, or tab for ``.tsv``):

| column | required | meaning |
|---|---|---|
| ``metric`` | yes | metric key (``psf_fwhm_x``) |
| ``value`` | yes | the number |
| ``time`` | yes | when the calibration data was acquired (ISO 8601) |
| ``unit`` | no | unit symbol; default the metric's unit |
| ``instrument`` | unless ``--instrument`` | facility instrument ID |
| ``channel`` | no | channel index |
| ``item`` | no | bead/component (see docs/qc.md) |
| ``dataset`` | no | groups rows into one measurement (default: rows with the same time) |
| ``uncertainty``, ``software``, ``software_version`` | no | |
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml

from kg.errors import ConfigError, SourceError
from qc.graph import check_instrument_id
from qc.instruments import InstrumentSpec
from qc.model import Kind, MetricResult, MetricValue
from qc.vocab import metric, normalise_unit_symbol, unit


@dataclass
class ImportItem:
    """One measurement read from a file, ready for :func:`qc.graph.measurement_quads`."""

    result: MetricResult
    instrument_id: str | None  # None: take it from --instrument or the microscope details
    source_file: str
    microscope: InstrumentSpec | None = None
    unmapped: list[str] = field(default_factory=list)


@dataclass
class FileImport:
    path: Path
    items: list[ImportItem] = field(default_factory=list)
    skipped: str | None = None  # why nothing was imported, when nothing could be


# -- microscope-metrics ---------------------------------------------------------------------------

_MM_TOP = {
    "name",
    "description",
    "data_reference",
    "linked_references",
    "microscope",
    "experimenter",
    "acquisition_protocol",
    "processed",
    "acquisition_datetime",
    "input_data",
    "output",
    "sample",
    "input_parameters",
}
_MM_KINDS: dict[str, Kind | None] = {
    "field_illumination_images": "field-illumination",
    "psf_beads_images": "psf",
    "power_measurements": "power-stability",
    "argolight_b_image": None,
    "argolight_e_image": None,
}
_CORNERS = ("top_left", "top_right", "bottom_left", "bottom_right")


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _rows(km: Any) -> list[dict[str, Any]]:
    """Key measurements as a list of dicts: a list of entries, one entry, or columns of lists."""
    if isinstance(km, list):
        return [r for r in km if isinstance(r, dict)]
    if isinstance(km, dict):
        lists = {k: v for k, v in km.items() if isinstance(v, list)}
        if lists and len(lists) == len(km):
            n = max(len(v) for v in lists.values())
            return [{k: (v[i] if i < len(v) else None) for k, v in lists.items()} for i in range(n)]
        return [km]
    return []


def _time(value: Any, where: str, path: Path) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise SourceError(
            str(path), f"{where} is {value!r}", element=where, expected="an ISO 8601 date and time"
        ) from exc


def _first_image(input_data: dict[str, Any], key: str) -> dict[str, Any]:
    img = input_data.get(key)
    if isinstance(img, list):
        img = img[0] if img else {}
    return img if isinstance(img, dict) else {}


def read_microscope_metrics(path: Path) -> FileImport:
    """Read a microscope-metrics dataset (YAML). Raises SourceError for a file that is not one."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourceError(str(path), f"cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise SourceError(
            str(path), f"not valid YAML: {exc}", line=line + 1 if line is not None else None
        ) from exc
    if not isinstance(doc, dict):
        raise SourceError(
            str(path),
            "not a microscope-metrics dataset",
            expected="a YAML mapping with the fields of a MetricsDataset",
        )
    unknown = sorted(set(doc) - _MM_TOP)
    if unknown:
        raise SourceError(
            str(path),
            f"not a microscope-metrics dataset: unknown field(s) {', '.join(unknown)}",
            element=unknown[0],
            expected=f"MetricsDataset fields ({', '.join(sorted(_MM_TOP))})",
        )
    out = FileImport(path)
    mic = doc.get("microscope")
    microscope = None
    if isinstance(mic, dict):
        microscope = InstrumentSpec(
            id="unnamed",
            label=str(mic["name"]) if mic.get("name") else None,
            manufacturer=str(mic["manufacturer"]) if mic.get("manufacturer") else None,
            model=str(mic["model"]) if mic.get("model") else None,
            serial_number=str(mic["serial_number"]) if mic.get("serial_number") is not None else None,
        )
    elif mic is not None:
        raise SourceError(
            str(path),
            "microscope must be a mapping",
            element="microscope",
            expected="name, manufacturer, model, serial_number",
        )
    input_data = doc.get("input_data") if isinstance(doc.get("input_data"), dict) else {}
    assert isinstance(input_data, dict)
    found = [k for k in _MM_KINDS if k in input_data]
    output = doc.get("output") if isinstance(doc.get("output"), dict) else None
    if not found:
        out.skipped = (
            "no analysis input recognised "
            "(expected field illumination, PSF beads or light-source power input data)"
        )
        if not doc.get("processed") or output is None:
            out.skipped = "not processed by microscope-metrics: there are no key measurements to import"
        return out
    kind = _MM_KINDS[found[0]]
    if kind is None:
        fields = sorted(output) if output else []
        out.skipped = (
            f"{found[0].replace('_image', '').replace('_', ' ')} analyses "
            "have no terms in the QC vocabulary; "
            f"not imported: {', '.join(fields) or 'no output'}"
        )
        return out
    if output is None or not doc.get("processed"):
        out.skipped = "not processed by microscope-metrics: there are no key measurements to import"
        return out
    when = _time(doc.get("acquisition_datetime"), "acquisition_datetime", path)
    image = _first_image(input_data, found[0])
    if when is None:
        when = _time(image.get("acquisition_datetime"), f"input_data.{found[0]}.acquisition_datetime", path)
    ref = doc.get("data_reference") if isinstance(doc.get("data_reference"), dict) else {}
    assert isinstance(ref, dict)
    dataset = str(ref.get("data_uri") or path)
    apps = output.get("processing_application") or "microscope-metrics"
    versions = output.get("processing_version") or ""
    result = MetricResult(
        kind=kind,
        dataset=dataset,
        software=", ".join(map(str, apps)) if isinstance(apps, list) else str(apps),
        software_version=", ".join(map(str, versions)) if isinstance(versions, list) else str(versions),
        result_time=when,
        parameters=dict(doc["input_parameters"]) if isinstance(doc.get("input_parameters"), dict) else {},
    )
    for key in ("warnings", "errors"):
        for msg in output.get(key) or []:
            result.warnings.append(f"microscope-metrics {key[:-1]}: {msg}")
    unmapped: list[str] = []
    rows = _rows(output.get("key_measurements"))
    if not rows:
        out.skipped = "the output has no key_measurements"
        return out
    for i, row in enumerate(rows):
        used = _map_row(kind, row, i, image, result)
        for k, v in row.items():
            if k not in used and v is not None:
                unmapped.append(f"output.key_measurements[{i}].{k} = {v}")
    for k, v in output.items():
        if k not in (
            "key_measurements",
            "processing_application",
            "processing_version",
            "processing_entity",
            "processing_datetime",
            "processing_log",
            "warnings",
            "errors",
            "comment",
        ):
            unmapped.append(f"output.{k} (not imported: {type(v).__name__})")
    if not result.values:
        out.skipped = "no key measurement maps to a QC metric: " + "; ".join(unmapped[:10])
        return out
    out.items.append(ImportItem(result, None, str(path), microscope, unmapped))
    return out


def _channel(row: dict[str, Any], i: int) -> int:
    nr = row.get("channel_nr")
    return int(nr) if isinstance(nr, int) and not isinstance(nr, bool) else i


def _map_row(kind: str, row: dict[str, Any], i: int, image: dict[str, Any], result: MetricResult) -> set[str]:
    """Add the values of one key-measurement row; return the fields used."""
    used = {"channel_nr", "channel_name", "channel_id", "image_name", "image_id"}
    add = result.values.append
    if kind == "field-illumination":
        ch = _channel(row, i)
        offsets = []
        for axis in ("x", "y"):
            centre = _num(row.get(f"center_fitted_{axis}"))
            field_name = f"center_fitted_{axis}"
            if centre is None:
                centre, field_name = _num(row.get(f"center_of_mass_{axis}")), f"center_of_mass_{axis}"
            size = _num(image.get(f"shape_{axis}"))
            if centre is None or size is None:
                continue
            used.add(field_name)
            offset_px = centre - (size - 1) / 2
            pixel = _num(image.get(f"voxel_size_{axis}_micron"))
            value, sym = (offset_px * pixel, "µm") if pixel else (offset_px, "px")
            offsets.append((value, sym))
            add(MetricValue(f"fi_centre_offset_{axis}", value, sym, channel=ch))
        if len(offsets) == 2 and offsets[0][1] == offsets[1][1]:
            add(
                MetricValue(
                    "fi_centre_offset", math.hypot(offsets[0][0], offsets[1][0]), offsets[0][1], channel=ch
                )
            )
        corners = [_num(row.get(f"{c}_intensity_ratio")) for c in _CORNERS]
        if all(c is not None for c in corners):
            add(MetricValue("fi_corner_centre_ratio", sum(cast(list[float], corners)) / 4, "1", channel=ch))
            used.update(f"{c}_intensity_ratio" for c in _CORNERS)
    elif kind == "psf":
        ch = _channel(row, i)
        for axis in ("x", "y", "z"):
            v = _num(row.get(f"fwhm_micron_{axis}_median"))
            if v is not None:
                add(MetricValue(f"psf_fwhm_{axis}", v, "µm", channel=ch))
                used.add(f"fwhm_micron_{axis}_median")
        valid = _num(row.get("considered_valid_count"))
        total = _num(row.get("total_bead_count"))
        if valid is not None:
            add(MetricValue("psf_bead_count", valid, "1", channel=ch))
            used.add("considered_valid_count")
            if total is not None:
                add(MetricValue("psf_rejected_count", total - valid, "1", channel=ch))
                used.add("total_bead_count")
    elif kind == "power-stability":
        ls = row.get("light_source")
        if isinstance(ls, dict):
            name = ls.get("name") or (
                f"{ls['wavelength_nm']:g} nm" if _num(ls.get("wavelength_nm")) else None
            )
        else:
            name = str(ls) if ls else None
        component = str(name) if name else f"light source {i}"
        used.add("light_source")
        mean = _num(row.get("power_mean_mw"))
        if mean is not None:
            add(MetricValue("power_mean", mean, "mW", item=component))
            used.add("power_mean_mw")
            std = _num(row.get("power_std_mw"))
            if std is not None and mean != 0:
                add(MetricValue("power_cv", 100.0 * std / mean, "%", item=component))
                used.add("power_std_mw")
    return used


# -- CSV ------------------------------------------------------------------------------------------

_COLUMNS = {
    "metric": ("metric", "metric_key", "key"),
    "value": ("value",),
    "time": ("time", "result_time", "datetime", "acquisition_time", "timestamp", "date"),
    "unit": ("unit",),
    "instrument": ("instrument", "instrument_id"),
    "channel": ("channel",),
    "item": ("item", "component", "bead"),
    "dataset": ("dataset",),
    "uncertainty": ("uncertainty", "standard_error"),
    "software": ("software",),
    "software_version": ("software_version", "version"),
}


def _header(path: Path, header: list[str]) -> dict[str, int]:
    lookup = {alias: canon for canon, aliases in _COLUMNS.items() for alias in aliases}
    cols: dict[str, int] = {}
    for i, raw in enumerate(header):
        name = re.sub(r"\s+", "_", raw.strip().lower())
        canon = lookup.get(name)
        if canon is None:
            raise SourceError(
                str(path),
                f"column {raw!r} is not one kg reads",
                line=1,
                element=f"column {i + 1} ({raw!r})",
                expected=f"columns {', '.join(_COLUMNS)}",
            )
        if canon in cols:
            raise SourceError(
                str(path), f"two columns mean {canon!r}", line=1, element=f"column {i + 1} ({raw!r})"
            )
        cols[canon] = i
    for required in ("metric", "value", "time"):
        if required not in cols:
            raise SourceError(
                str(path),
                f"no {required!r} column",
                line=1,
                expected=f"a header with {required!r} (columns: {', '.join(_COLUMNS)})",
            )
    return cols


def read_csv(path: Path, *, instrument_id: str | None = None) -> FileImport:
    """Read tabular QC results; every row is checked before anything is returned."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(str(path), f"cannot read as UTF-8 text: {exc}") from exc
    delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise SourceError(
            str(path), "the file is empty", expected="a header row and one row per value"
        ) from None
    cols = _header(path, header)
    groups: dict[tuple[str, str, str], ImportItem] = {}
    for row in reader:
        line = reader.line_num
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise SourceError(
                str(path),
                f"{len(row)} fields where the header has {len(header)}",
                line=line,
                expected=f"{len(header)} fields",
            )

        def cell(name: str, row: list[str] = row) -> str | None:
            i = cols.get(name)
            v = row[i].strip() if i is not None else ""
            return v or None

        def bad(name: str, problem: str, expected: str, line: int = line) -> SourceError:
            return SourceError(str(path), problem, line=line, element=f"column {name!r}", expected=expected)

        key = cell("metric")
        if key is None:
            raise bad("metric", "no metric", "a metric key such as psf_fwhm_x")
        try:
            m = metric(key)
        except KeyError as exc:
            raise bad(
                "metric", f"unknown metric {key!r}", "one of " + ", ".join(sorted(_known_metrics()))
            ) from exc
        raw_value = cell("value")
        value = _num(raw_value)
        if value is None:
            raise bad("value", f"{raw_value!r} is not a number", "a finite number")
        raw_time = cell("time")
        try:
            when = dt.datetime.fromisoformat(raw_time or "")
        except ValueError:
            raise bad(
                "time", f"{raw_time!r} is not a date and time", "ISO 8601, e.g. 2024-03-14T10:22:05"
            ) from None
        sym = normalise_unit_symbol(cell("unit") or m.default_symbol)
        if unit(sym) is None:
            raise bad(
                "unit", f"unit {sym!r} is not one kg knows", "a symbol such as µm, nm, mW, %, 1, ADU, px, %/h"
            )
        inst = cell("instrument") or instrument_id
        if inst is None:
            raise bad("instrument", "no instrument", "an instrument ID in this column, or --instrument")
        try:
            check_instrument_id(inst)
        except ConfigError as exc:
            raise bad("instrument", str(exc), "an ID such as confocal-1") from exc
        channel = None
        if cell("channel") is not None:
            try:
                channel = int(cell("channel") or "")
                if channel < 0:
                    raise ValueError
            except ValueError:
                raise bad(
                    "channel", f"{cell('channel')!r} is not a channel index", "a whole number ≥ 0"
                ) from None
        unc = None
        if cell("uncertainty") is not None:
            unc = _num(cell("uncertainty"))
            if unc is None:
                raise bad("uncertainty", f"{cell('uncertainty')!r} is not a number", "a finite number")
        dataset = cell("dataset") or when.isoformat()
        gkey = (inst, m.kind, dataset)
        item = groups.get(gkey)
        if item is None:
            result = MetricResult(
                kind=cast(Kind, m.kind),
                dataset=f"{path.resolve().as_uri()}#{dataset}",
                software=cell("software") or "",
                software_version=cell("software_version") or "",
                result_time=when,
            )
            item = groups[gkey] = ImportItem(result, inst, str(path))
        elif item.result.result_time != when:
            raise bad(
                "time",
                f"dataset {dataset!r} has rows at {item.result.result_time} and {when}",
                "one time per dataset",
            )
        item.result.values.append(
            MetricValue(m.key, value, sym, channel=channel, item=cell("item"), uncertainty=unc)
        )
    out = FileImport(path, list(groups.values()))
    if not out.items:
        out.skipped = "the file has a header but no rows"
    return out


def _known_metrics() -> Iterable[str]:
    from qc.vocab import metrics

    return metrics().keys()


def read_file(path: Path, *, instrument_id: str | None = None) -> FileImport:
    """Dispatch on the file name: ``.yaml``/``.yml`` microscope-metrics, ``.csv``/``.tsv`` tables."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return read_microscope_metrics(path)
    if suffix in (".csv", ".tsv", ".tab"):
        return read_csv(path, instrument_id=instrument_id)
    raise SourceError(
        str(path),
        f"cannot import a {suffix or 'extension-less'} file",
        expected="a microscope-metrics dataset (.yaml) or a QC table (.csv, .tsv)",
    )


# -- into the store -------------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    path: Path
    status: str  # "imported", "skipped" or "failed"
    measurements: list[Any] = field(default_factory=list)  # qc.graph.Measurement
    unmapped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    message: str | None = None  # the error, or why nothing was imported

    @property
    def instruments(self) -> set[str]:
        return {m.instrument_id for m in self.measurements}


def import_files(
    store: Any, iris: Any, paths: list[Path], *, instrument_id: str | None = None
) -> list[ImportOutcome]:
    """Read, check and store each file. A file is all checked before any of it is written; a file
    that fails leaves the store as it was (the message names the file and the place)."""
    from kg.errors import KGError
    from qc.graph import measurement_quads, store_measurement
    from qc.instruments import ensure_instrument, instrument_for_microscope

    outcomes = []
    for path in paths:
        try:
            if not path.is_file():
                raise SourceError(str(path), "no such file")
            fi = read_file(path, instrument_id=instrument_id)
            if fi.skipped is not None:
                outcomes.append(ImportOutcome(path, "skipped", message=fi.skipped))
                continue
            built = []
            for item in fi.items:
                inst = item.instrument_id or instrument_id
                if inst is None:
                    if item.microscope is None:
                        raise SourceError(
                            str(path),
                            "the dataset names no microscope",
                            element="microscope",
                            expected="microscope details, or --instrument",
                        )
                    inst = instrument_for_microscope(store, iris, item.microscope)
                check_instrument_id(inst)
                m = measurement_quads(
                    item.result, inst, iris, source_file=item.source_file, extra_unmapped=item.unmapped
                )
                built.append((m, item))
            out = ImportOutcome(path, "imported")
            for m, item in built:
                ensure_instrument(store, iris, m.instrument_id, item.microscope)
                store_measurement(store, m)
                out.measurements.append(m)
                out.unmapped += item.unmapped
                out.warnings += m.warnings + item.result.warnings
            outcomes.append(out)
        except ConfigError as exc:
            outcomes.append(
                ImportOutcome(
                    path, "failed", message=f"{path}: {exc}" if str(path) not in str(exc) else str(exc)
                )
            )
        except KGError as exc:
            outcomes.append(ImportOutcome(path, "failed", message=str(exc)))
    return outcomes
