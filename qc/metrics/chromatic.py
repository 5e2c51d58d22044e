"""Chromatic registration: the shift of each channel against a reference channel, from images
of beads that fluoresce in every channel.

Method: beads are found and screened in the reference channel as for the PSF (edge, crowding
and saturation rules, see :mod:`qc.metrics.psf`). Around each kept bead the same crop is taken
in every channel, and the bead's sub-voxel centre in each channel is found by fitting a Gaussian
with offset to the crop's projections (sums) onto the x, y and z axes: the projections use every
voxel of the crop, so the centre is far more precise than a single line's, and a constant
background stays constant. The shift of a bead is its centre in the moving channel minus its
centre in the reference channel; a channel's shift is the median over beads (robust to a bead
that is odd in one channel), with its standard error, in µm. ``chrom_shift`` is the length of
the (x, y, z) shift vector.

Limits: a shift larger than about two FWHM laterally (the crop half-width) is not found; the
shift is a translation only (no magnification or rotation between channels).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from qc.metrics._common import MeasurementError, fit_gaussian_1d, median_with_error, software_version
from qc.metrics.psf import as_channels, detect_beads, saturation_of, screen_beads
from qc.model import MetricResult, MetricValue, Rejected


def _centre(crop: np.ndarray[Any, Any], axes: tuple[int, ...]) -> tuple[float, ...]:
    """Sub-voxel centre of the bead in ``crop`` along each of ``axes`` (projection fits)."""
    out = []
    for ax in axes:
        others = tuple(a for a in range(crop.ndim) if a != ax)
        out.append(fit_gaussian_1d(crop.sum(axis=others, dtype=np.float64)).centre)
    return tuple(out)


def chromatic(
    stack: np.ndarray[Any, Any],
    *,
    voxel_size_um: tuple[float, float, float],
    reference_channel: int = 0,
    channel_names: list[str | None] | None = None,
    threshold_sigma: float = 10.0,
    min_separation_um: float | None = None,
    saturation_level: float | None = None,
    dataset: str = "<array>",
) -> MetricResult:
    """Shift of every channel against ``reference_channel`` in a (c, z, y, x) bead stack
    (z may have length 1 for 2D images; then no z shift is given). ``voxel_size_um`` is
    (z, y, x) in µm (z is ignored for 2D images)."""
    vols = as_channels(stack, dataset)
    if vols.ndim != 4 or vols.shape[0] < 2:
        raise MeasurementError(
            f"{dataset}: chromatic registration needs at least two channels (found shape {vols.shape}, "
            "expected (c, z, y, x) with c ≥ 2)"
        )
    nc, nz = vols.shape[0], vols.shape[1]
    if not 0 <= reference_channel < nc:
        raise MeasurementError(
            f"{dataset}: reference channel {reference_channel} does not exist (expected 0 to {nc - 1})"
        )
    has_z = nz >= 5
    ref = vols[reference_channel]
    det = detect_beads(ref, threshold_sigma=threshold_sigma)
    if det is None:
        raise MeasurementError(
            f"{dataset}: no beads found in the reference channel {reference_channel} "
            f"(nothing {threshold_sigma:g} noise σ above the background)"
        )
    vz, vy, vx = (float(v) for v in voxel_size_um)
    sep_px = min_separation_um / vx if min_separation_um is not None else None
    kept, rejected = screen_beads(ref, det, min_separation_px=sep_px, saturation=None, need_z=has_z)
    result = MetricResult(kind="chromatic", dataset=dataset, software_version=software_version())
    for idx, _pos, reason in rejected:
        result.rejected.append(Rejected(f"bead-{idx}", reason))
    axes = (0, 1, 2) if has_z else (1, 2)
    shifts: dict[int, list[tuple[float, ...]]] = {c: [] for c in range(nc) if c != reference_channel}
    hw, hz = det.half_xy, det.half_z
    used = 0
    for idx, (z, y, x) in kept:
        z0, z1 = (max(0, z - hz), min(nz, z + hz + 1)) if has_z else (0, nz)
        sl = (slice(z0, z1), slice(y - hw, y + hw + 1), slice(x - hw, x + hw + 1))
        try:
            crops = [vols[c][sl] for c in range(nc)]
            for c, crop in enumerate(crops):
                sat = saturation_of(crop.dtype, saturation_level)
                if sat is not None and np.any(crop >= sat):
                    raise MeasurementError(f"saturated in channel {c}")
            centres = [_centre(np.asarray(crop, dtype=np.float32), axes) for crop in crops]
        except MeasurementError as exc:
            result.rejected.append(Rejected(f"bead-{idx}", f"{exc} (bead at x={x}, y={y}, z={z})"))
            continue
        used += 1
        for c in shifts:
            shifts[c].append(
                tuple(a - b for a, b in zip(centres[c], centres[reference_channel], strict=True))
            )
    if used == 0:
        raise MeasurementError(
            f"{dataset}: no usable beads: all {len(det.positions)} found were rejected "
            f"({'; '.join(r.reason for r in result.rejected[:3])})"
        )
    item = f"vs-ch{reference_channel}"
    scale = (vz, vy, vx) if has_z else (vy, vx)
    names = ("z", "y", "x") if has_z else ("y", "x")
    for c, vecs in shifts.items():
        arr = np.asarray(vecs)
        comp: dict[str, tuple[float, float | None]] = {}
        for k, name in enumerate(names):
            med, err = median_with_error(list(arr[:, k] * scale[k]))
            comp[name] = (med, err)
        for name in ("x", "y", "z"):
            if name in comp:
                result.values.append(
                    MetricValue(f"chrom_shift_{name}", comp[name][0], "µm", c, item, comp[name][1])
                )
        norm = math.sqrt(sum(v * v for v, _ in comp.values()))
        errs = [e for _, e in comp.values()]
        norm_err = (
            math.sqrt(sum((v * e) ** 2 for (v, e) in comp.values() if e is not None)) / norm
            if norm > 0 and all(e is not None for e in errs)
            else None
        )
        result.values.append(MetricValue("chrom_shift", norm, "µm", c, item, norm_err))
    result.parameters.update(
        {
            "method": "median over beads of the centre difference; "
            "centres from Gaussian fits to the crop's projections",
            "reference_channel": reference_channel,
            "bead_count": used,
            "threshold_sigma": threshold_sigma,
            "crop_half_width_xy_px": hw,
            "crop_half_width_z_px": hz if has_z else None,
            "voxel_size_um": [vz, vy, vx] if has_z else [None, vy, vx],
        }
    )
    if channel_names:
        result.parameters["channel_names"] = list(channel_names)
    if not has_z and nz > 1:
        result.warnings.append(f"{dataset}: only {nz} planes; no z shift measured, planes summed")
    return result
