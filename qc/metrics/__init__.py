"""QC metrics computed from calibration data with numpy and scipy.

One entry point for files, :func:`measure`, and one function per kind for arrays (notebooks):

- :func:`field_illumination` — uniformity, illumination-centre offset, corner/centre ratio;
- :func:`psf` — FWHM in x, y and z per bead and summarised, with the rejected beads;
- :func:`detector` — offset, read noise, SNR and gain from dark and flat frames;
- :func:`chromatic` — the shift of each channel against a reference channel;
- :func:`power_stability` — mean, CV and drift of a power-meter series
  (:func:`read_power_csv` reads one).

Each returns a :class:`qc.model.MetricResult`. The methods and their limits are documented in
each module and in docs/qc-metrics.md.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from qc.metrics._common import MeasurementError, option_float, software_version
from qc.metrics.chromatic import chromatic
from qc.metrics.detector import detector
from qc.metrics.fieldillum import field_illumination
from qc.metrics.loading import LoadedImage, load_image, require_sizes
from qc.metrics.power import PowerSeries, power_stability, read_power_csv
from qc.metrics.psf import add_channels, psf
from qc.model import KINDS, Kind, MetricResult

__all__ = [
    "LoadedImage",
    "MeasurementError",
    "PowerSeries",
    "chromatic",
    "detector",
    "field_illumination",
    "load_image",
    "measure",
    "power_stability",
    "psf",
    "read_power_csv",
]

# How each kind reads the dimensions of a .npy array that has no axis names.
_NPY_AXES: dict[str, dict[int, str]] = {
    "field-illumination": {3: "cyx", 4: "czyx"},
    "psf": {3: "zyx", 4: "czyx"},
    "chromatic": {3: "cyx", 4: "czyx"},
    "detector": {3: "tyx", 4: "tcyx"},
}

_OPTIONS: dict[str, set[str]] = {
    "common": {"axes", "pixel_size_um", "voxel_size_um"},
    "field-illumination": {"offset"},
    "psf": {"threshold_sigma", "min_separation_um", "saturation_level", "fit_r2_min"},
    "chromatic": {"reference_channel", "threshold_sigma", "min_separation_um", "saturation_level"},
    "detector": {"flat", "channel"},
    "power-stability": {"unit", "time_column", "power_column"},
}


def _dataset_name(paths: list[Path]) -> str:
    if len(paths) == 1:
        return str(paths[0])
    return os.path.commonpath([str(p.resolve()) for p in paths])


def _check_options(kind: str, options: dict[str, object]) -> None:
    allowed = _OPTIONS["common"] | _OPTIONS[kind] if kind != "power-stability" else _OPTIONS[kind]
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise MeasurementError(
            f"option {', '.join(map(repr, unknown))} is not used by {kind} "
            f"(expected one of: {', '.join(sorted(allowed))})"
        )


def _int_option(options: dict[str, object], key: str, default: int) -> int:
    value = option_float(options, key, default)
    if value is None or value != int(value) or value < 0:
        raise MeasurementError(f"option {key!r} is {options.get(key)!r} (expected a whole number ≥ 0)")
    return int(value)


def measure(kind: Kind, paths: list[Path], *, options: dict[str, object] | None = None) -> MetricResult:
    """Compute the ``kind`` metrics from the calibration files at ``paths``.

    Images are OME-TIFF, OME-Zarr folders or ``.npy`` arrays (power series: one CSV file); pixel
    and voxel sizes come from the files' OME metadata, or from ``options`` (``pixel_size_um``,
    ``voxel_size_um``), which win when both are there. Other options by kind:

    - field-illumination: ``offset`` (ADU subtracted first);
    - psf: ``threshold_sigma``, ``min_separation_um``, ``saturation_level``, ``fit_r2_min``;
    - chromatic: ``reference_channel`` (default 0), and the psf detection options; several
      single-channel files are stacked as channels in the order given;
    - detector: ``flat`` (the paths, or a comma-separated string of paths, that are flat
      frames; otherwise files whose name contains "flat" are flats and the others dark
      frames), ``channel`` (default 0); each flat file is one light level;
    - power-stability: ``unit``, ``time_column``, ``power_column``.

    Raises :class:`kg.errors.SourceError` for a file that cannot be read and
    :class:`MeasurementError` when the data cannot give the metric (both name the file).
    """
    if kind not in KINDS:
        raise MeasurementError(f"unknown QC kind {kind!r} (expected one of: {', '.join(KINDS)})")
    opts = dict(options or {})
    _check_options(kind, opts)
    files = [Path(p) for p in paths]
    if not files:
        raise MeasurementError(f"{kind}: no calibration files given")
    dataset = _dataset_name(files)
    if kind == "power-stability":
        if len(files) != 1:
            raise MeasurementError(f"power-stability reads one CSV file per measurement, {len(files)} given")
        unit = opts.get("unit")
        tcol, pcol = opts.get("time_column"), opts.get("power_column")
        series = read_power_csv(
            files[0],
            unit=str(unit) if unit is not None else None,
            time_column=str(tcol) if tcol is not None else None,
            power_column=str(pcol) if pcol is not None else None,
        )
        result = power_stability(series.times_s, series.power, unit=series.unit, dataset=dataset)
        result.result_time = series.start
        result.parameters.update({"time_column": series.time_column, "power_column": series.power_column})
        _finish(result, files, opts, [])
        return result

    if kind == "detector":
        return _measure_detector(files, opts, dataset)

    npy_axes = _NPY_AXES[kind]
    if kind == "chromatic" and len(files) > 1:  # one file per channel: a 3D array is a z-stack
        npy_axes = {3: "zyx", 4: "czyx"}
    images = [load_image(f, opts, default_axes=npy_axes) for f in files]
    notes = [n for img in images for n in img.notes]
    for img in images:
        if img.size_t > 1:
            notes.append(f"{Path(img.path).name}: {img.size_t} time points; only the first was measured")

    if kind == "field-illumination":
        planes, names = [], []
        pixel: tuple[float, float] | None = None
        for img in images:
            for c in range(img.size_c):
                stack = img.data[0, c]
                if stack.shape[0] > 1:
                    z = int(np.argmax(stack.reshape(stack.shape[0], -1).mean(axis=1)))
                    notes.append(
                        f"{Path(img.path).name}: channel {c} has {stack.shape[0]} planes; "
                        f"the brightest ({z}) was used"
                    )
                    stack = stack[z : z + 1]
                planes.append(stack[0])
                names.append(img.channel_names[c] if c < len(img.channel_names) else None)
            if img.voxel_size_um[1] and img.voxel_size_um[2]:
                size = (float(img.voxel_size_um[1]), float(img.voxel_size_um[2]))
                if pixel is not None and size != pixel:
                    raise MeasurementError(
                        f"{img.path}: pixel size {size} µm differs from the other files' {pixel} µm"
                    )
                pixel = size
        shapes = {p.shape for p in planes}
        if len(shapes) > 1:
            raise MeasurementError(
                f"{dataset}: the images have different sizes {sorted(shapes)} (expected one size)"
            )
        result = field_illumination(
            np.stack(planes),
            channel_names=names,
            pixel_size_um=pixel,
            offset=option_float(opts, "offset", 0.0) or 0.0,
            dataset=dataset,
        )
    elif kind == "psf":
        inputs: list[tuple[np.ndarray[Any, Any], tuple[float, ...], str]] = []
        for img in images:
            inputs.append(
                (img.data[0], require_sizes(img, "zyx"), Path(img.path).name if len(images) > 1 else "")
            )
        result = MetricResult(kind="psf", dataset=dataset, software_version=software_version())
        add_channels(
            result,
            inputs,
            channel_names=[n for img in images for n in img.channel_names] or None,
            threshold_sigma=option_float(opts, "threshold_sigma", 10.0) or 10.0,
            min_separation_um=option_float(opts, "min_separation_um"),
            saturation_level=option_float(opts, "saturation_level"),
            fit_r2_min=option_float(opts, "fit_r2_min", 0.8) or 0.0,
        )
    else:  # chromatic
        if len(images) == 1:
            stack = images[0].data[0]
        else:
            parts = [img.data[0] for img in images]
            if len({p.shape[1:] for p in parts}) > 1:
                raise MeasurementError(
                    f"{dataset}: the channel files have different sizes (expected one size)"
                )
            stack = np.concatenate(parts, axis=0)
        sizes = [require_sizes(img, "zyx" if img.size_z >= 5 else "yx") for img in images]
        if len(set(sizes)) > 1:
            raise MeasurementError(f"{dataset}: the files have different voxel sizes {sizes}")
        vox = sizes[0] if len(sizes[0]) == 3 else (1.0, *sizes[0])
        result = chromatic(
            stack,
            voxel_size_um=(vox[0], vox[1], vox[2]),
            reference_channel=_int_option(opts, "reference_channel", 0),
            channel_names=[n for img in images for n in img.channel_names] or None,
            threshold_sigma=option_float(opts, "threshold_sigma", 10.0) or 10.0,
            min_separation_um=option_float(opts, "min_separation_um"),
            saturation_level=option_float(opts, "saturation_level"),
            dataset=dataset,
        )
    result.result_time = next((img.acquired for img in images if img.acquired is not None), None)
    result.parameters["voxel_size_um"] = [list(img.voxel_size_um) for img in images]
    result.parameters["voxel_size_source"] = sorted({img.size_source for img in images if img.size_source})
    _finish(result, files, opts, notes)
    return result


def _flat_paths(files: list[Path], opts: dict[str, object]) -> set[Path]:
    given = opts.get("flat")
    if given is None:
        return {f for f in files if "flat" in f.name.lower()}
    items = (
        given.split(",")
        if isinstance(given, str)
        else list(given)
        if isinstance(given, list | tuple)
        else [given]
    )
    flats = {Path(str(i).strip()) for i in items if str(i).strip()}
    known = {f.resolve() for f in files}
    out = set()
    for f in flats:
        if f.resolve() not in known:
            raise MeasurementError(f"option 'flat' names {str(f)!r}, which is not among the files given")
        out |= {g for g in files if g.resolve() == f.resolve()}
    return out


def _frames_of(img: LoadedImage, channel: int) -> np.ndarray[Any, Any]:
    if channel >= img.size_c:
        raise MeasurementError(f"{img.path}: channel {channel} does not exist (the file has {img.size_c})")
    d = img.data[:, channel]  # t, z, y, x: every plane is a frame
    return d.reshape(-1, d.shape[-2], d.shape[-1])


def _measure_detector(files: list[Path], opts: dict[str, object], dataset: str) -> MetricResult:
    flats = _flat_paths(files, opts)
    channel = _int_option(opts, "channel", 0)
    darks = [f for f in files if f not in flats]
    if not darks:
        raise MeasurementError(
            f"{dataset}: no dark frames: every file given is a flat "
            "(expected at least one file of dark frames)"
        )
    dark_imgs = [load_image(f, opts, default_axes=_NPY_AXES["detector"]) for f in darks]
    flat_imgs = [load_image(f, opts, default_axes=_NPY_AXES["detector"]) for f in files if f in flats]
    dark_parts = [_frames_of(i, channel) for i in dark_imgs]
    if len({p.shape[1:] for p in dark_parts}) > 1:
        raise MeasurementError(f"{dataset}: the dark frame files have different sizes")
    dark = np.concatenate(dark_parts, axis=0) if len(dark_parts) > 1 else dark_parts[0]
    result = detector(dark, [_frames_of(i, channel) for i in flat_imgs] or None, dataset=dataset)
    images = dark_imgs + flat_imgs
    result.result_time = next((img.acquired for img in images if img.acquired is not None), None)
    result.parameters.update(
        {
            "dark_files": [str(f) for f in darks],
            "flat_files": [i.path for i in flat_imgs],
            "channel": channel,
        }
    )
    notes = [n for img in images for n in img.notes]
    if any(img.size_c > 1 for img in images):
        notes.append(f"only channel {channel} was measured (option channel picks another)")
    _finish(result, files, opts, notes)
    return result


def _finish(result: MetricResult, files: list[Path], opts: dict[str, object], notes: list[str]) -> None:
    result.software = "bioimage-kg"
    result.software_version = software_version()
    result.warnings.extend(notes)
    result.parameters["files"] = [str(f) for f in files]
    if opts:
        result.parameters["options"] = {
            k: v if isinstance(v, str | int | float | bool) else str(v) for k, v in opts.items()
        }
