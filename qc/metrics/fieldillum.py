"""Field illumination: how evenly a homogeneous sample (a fluorescent slide or dye layer) is lit,
per channel.

Definitions (following MetroloJ QC and Faklaris et al. 2022, J Cell Biol 221:e202107093, the
QUAREP-LiMi routine-QC paper):

- The image (minus the detector ``offset``, default 0 ADU) is smoothed: averaged over blocks of
  ``f × f`` pixels (``f`` = the shorter side // 256, at least 1) and then filtered with a
  Gaussian of σ = 2 blocks. This removes noise and dust specks without moving the fall-off.
- ``fi_uniformity`` (%) = 100 × min / max of the smoothed field.
- ``fi_centre_offset_x``, ``_y`` and ``fi_centre_offset``: the illumination centre minus the
  image centre ((width − 1)/2, (height − 1)/2), in µm when the pixel size is known, else in
  pixels; x grows to the right (columns), y downwards (rows). The centre is the maximum of a
  quadratic surface fitted (least squares) to the smoothed field where it is above
  90 % of its range; where that surface has no maximum the intensity-weighted centroid of that
  region is used, and a warning says so.
- ``fi_corner_centre_ratio`` = mean intensity of the four corner squares / mean of the central
  square, each square with a side of 10 % of the image's mean side (as microscope-metrics'
  ``corner_fraction``), on the unsmoothed image minus the offset.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from qc.metrics._common import MeasurementError, software_version
from qc.model import MetricResult, MetricValue

CORNER_FRACTION = 0.1
TOP_FRACTION = 0.9


def _smooth(ch: np.ndarray[Any, Any]) -> tuple[np.ndarray[Any, Any], int]:
    from scipy import ndimage

    h, w = ch.shape
    f = max(1, min(h, w) // 256)
    hc, wc = (h // f) * f, (w // f) * f
    small = ch[:hc, :wc].reshape(hc // f, f, wc // f, f).mean(axis=(1, 3), dtype=np.float64)
    return ndimage.gaussian_filter(small, 2.0, mode="nearest"), f


def _centre(sm: np.ndarray[Any, Any]) -> tuple[float, float, str]:
    """(y, x) of the illumination maximum in ``sm``'s pixel grid, and the method used."""
    lo, hi = float(sm.min()), float(sm.max())
    mask = sm >= lo + TOP_FRACTION * (hi - lo)
    ys, xs = np.nonzero(mask)
    vals = sm[mask]
    if ys.size >= 6:
        y0, x0 = ys.mean(), xs.mean()
        yy, xx = ys - y0, xs - x0
        a = np.column_stack([np.ones_like(yy), xx, yy, xx * xx, xx * yy, yy * yy]).astype(np.float64)
        coef, *_ = np.linalg.lstsq(a, vals, rcond=None)
        _, b, c, d, e, f = (float(v) for v in coef)
        det = 4 * d * f - e * e
        if d < 0 and f < 0 and det > 0:
            x = (-2 * f * b + e * c) / det
            y = (e * b - 2 * d * c) / det
            h, w = sm.shape
            if -w < x + x0 < 2 * w and -h < y + y0 < 2 * h:
                return float(y + y0), float(x + x0), "quadratic fit"
    wts = vals - vals.min() + 1e-12
    return float((ys * wts).sum() / wts.sum()), float((xs * wts).sum() / wts.sum()), "centroid"


def field_illumination(
    image: np.ndarray[Any, Any],
    *,
    channel_names: list[str | None] | None = None,
    pixel_size_um: tuple[float, float] | float | None = None,
    offset: float = 0.0,
    dataset: str = "<array>",
) -> MetricResult:
    """Uniformity, illumination-centre offset and corner/centre ratio of a (y, x) or (c, y, x)
    image of a homogeneous sample. ``pixel_size_um`` is (y, x) or one number; ``offset`` (ADU)
    is subtracted first (the detector's dark level)."""
    arr = np.asarray(image)
    if arr.ndim == 2:
        arr = arr[np.newaxis]
    if arr.ndim != 3 or min(arr.shape[1:]) < 16:
        raise MeasurementError(
            f"{dataset}: an image of shape {np.shape(image)} (expected (y, x) or (c, y, x), at least 16×16)"
        )
    if isinstance(pixel_size_um, int | float):
        pixel_size_um = (float(pixel_size_um), float(pixel_size_um))
    unit = "µm" if pixel_size_um else "px"
    py, px = (float(pixel_size_um[0]), float(pixel_size_um[1])) if pixel_size_um else (1.0, 1.0)
    result = MetricResult(kind="field-illumination", dataset=dataset, software_version=software_version())
    methods = []
    for c in range(arr.shape[0]):
        ch = arr[c].astype(np.float32) - np.float32(offset)
        h, w = ch.shape
        sm, f = _smooth(ch)
        top = float(sm.max())
        if not math.isfinite(top) or top <= 0:
            raise MeasurementError(
                f"{dataset}: channel {c} has no signal above the offset {offset:g} (expected a lit field)"
            )
        uniformity = 100.0 * max(float(sm.min()), 0.0) / top
        sy, sx, method = _centre(sm)
        methods.append(method)
        if method != "quadratic fit":
            result.warnings.append(
                f"channel {c}: the brightest region has no single maximum; its centroid is used as the centre"
            )
        # block (i, j) covers pixels i*f .. i*f+f-1: its centre is i*f + (f-1)/2
        cy, cx = sy * f + (f - 1) / 2, sx * f + (f - 1) / 2
        dy, dx = (cy - (h - 1) / 2) * py, (cx - (w - 1) / 2) * px
        side = max(1, round(CORNER_FRACTION * (h + w) / 2))
        corners = [ch[:side, :side], ch[:side, -side:], ch[-side:, :side], ch[-side:, -side:]]
        y0, x0 = (h - side) // 2, (w - side) // 2
        centre_mean = float(ch[y0 : y0 + side, x0 : x0 + side].mean(dtype=np.float64))
        corner_mean = float(np.mean([q.mean(dtype=np.float64) for q in corners]))
        if centre_mean <= 0:
            raise MeasurementError(
                f"{dataset}: channel {c}: the centre of the image is dark (mean {centre_mean:g})"
            )
        result.values += [
            MetricValue("fi_uniformity", uniformity, "%", c),
            MetricValue("fi_centre_offset_x", dx, unit, c),
            MetricValue("fi_centre_offset_y", dy, unit, c),
            MetricValue("fi_centre_offset", math.hypot(dx, dy), unit, c),
            MetricValue("fi_corner_centre_ratio", corner_mean / centre_mean, "1", c),
        ]
    if not pixel_size_um:
        result.warnings.append("no pixel size: the centre offsets are in pixels")
    result.parameters.update(
        {
            "uniformity": "100 × min/max of the smoothed field (MetroloJ QC, Faklaris et al. 2022)",
            "smoothing": "block mean over f×f pixels (f = shorter side // 256), then Gaussian σ = 2 blocks",
            "centre": "maximum of a quadratic fitted where the smoothed field is above "
            f"{TOP_FRACTION:.0%} of its range",
            "centre_methods": methods,
            "corner_fraction": CORNER_FRACTION,
            "offset_adu": offset,
            "pixel_size_um": [py, px] if pixel_size_um else None,
        }
    )
    if channel_names:
        result.parameters["channel_names"] = list(channel_names)
    return result
