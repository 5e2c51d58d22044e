"""Detector: offset, read noise and signal-to-noise from dark and flat frames, and the gain by
photon transfer when flats at two or more light levels are given.

Definitions:

- ``det_read_noise`` (ADU): the temporal noise of a pixel in the dark, i.e. the per-pixel
  standard deviation over the dark frames. Hot pixels (a dark signal that fluctuates far more)
  would inflate a plain mean, so pixels beyond the 99.9 % point of the χ²(n − 1) distribution
  of per-pixel variances are left out and the truncation is corrected for: an unbiased
  estimate for any number of frames n ≥ 2 (see ``_temporal_variance``).
- ``det_offset`` (ADU): the mean dark level of the pixels that are not hot (variance over 9 ×
  the read variance, or a mean more than 6 read-noise σ from the median pixel). Its
  uncertainty is the standard error of the frame means. The number of hot pixels is a warning.
- ``det_snr`` (1): for a flat series, (mean − offset) / temporal noise, the noise measured the
  same way as the read noise (with one flat frame only, the spatial standard deviation is used,
  which includes pixel-to-pixel non-uniformity, and a warning says so). With several light
  levels, each level gets an item ``flat-<k>`` and the summary is the brightest level.
- ``det_gain`` (ADU per electron): the slope of the temporal variance against the mean signal
  (minus offset) over the flat levels (photon transfer: σ²_ADU = g·S_ADU + σ²_read), with the
  slope's standard error from the least-squares fit.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from qc.metrics._common import MeasurementError, software_version
from qc.model import MetricResult, MetricValue


def _frames(arr: np.ndarray[Any, Any], what: str) -> np.ndarray[Any, Any]:
    a = np.asarray(arr)
    if a.ndim == 2:
        a = a[np.newaxis]
    if a.ndim != 3:
        raise MeasurementError(f"{what}: frames of shape {np.shape(arr)} (expected (n, y, x))")
    return a


def _temporal_variance(frames: np.ndarray[Any, Any]) -> tuple[float, np.ndarray[Any, Any]]:
    """Robust temporal variance of a frame series and the per-pixel variances.

    Per-pixel variances of Gaussian noise follow σ²·χ²(k)/k with k = n − 1. Pixels above the
    99.9 % point of that distribution (hot, flickering) are left out, and the mean of the rest
    is divided by the mean of a χ²(k) truncated there, so the estimate is unbiased for any n
    (a median alone is badly biased by the integer steps of ADU values when n is small). The
    cut starts from the median and is refined twice."""
    from scipy.stats import chi2

    n = frames.shape[0]
    var = frames.var(axis=0, ddof=1, dtype=np.float64).ravel()
    k = n - 1
    c = float(chi2.ppf(0.999, k))
    factor = float(chi2.cdf(c, k + 2) / chi2.cdf(c, k))  # E[χ²(k) | χ²(k) < c] / k
    est = float(np.median(var)) * k / float(chi2.ppf(0.5, k))
    for _ in range(3):
        kept = var[var <= est * c / k]
        if kept.size == 0 or est <= 0:
            break
        est = float(kept.mean()) / factor
    return est, var.reshape(frames.shape[1:])


def detector(
    dark_frames: np.ndarray[Any, Any],
    flat_frames: np.ndarray[Any, Any] | list[np.ndarray[Any, Any]] | None = None,
    *,
    dataset: str = "<array>",
) -> MetricResult:
    """Offset, read noise, SNR and (with ≥ 2 flat levels) gain.

    ``dark_frames`` is (n, y, x) with n ≥ 2; ``flat_frames`` is one (n, y, x) series at one
    light level, or a list of them at different levels."""
    dark = _frames(dark_frames, f"{dataset} (dark frames)")
    if dark.shape[0] < 2:
        raise MeasurementError(
            f"{dataset}: {dark.shape[0]} dark frame (expected at least 2 to measure the temporal read noise)"
        )
    result = MetricResult(kind="detector", dataset=dataset, software_version=software_version())
    read_var, pix_var = _temporal_variance(dark)
    read_noise = math.sqrt(read_var)
    pix_mean = dark.mean(axis=0, dtype=np.float64)
    centre = float(np.median(pix_mean))
    noisy_mask = (pix_var > 9 * read_var) | (np.abs(pix_mean - centre) > 6 * read_noise)
    noisy = int(np.count_nonzero(noisy_mask))
    good = ~noisy_mask
    offset = float(pix_mean[good].mean()) if good.any() else float(pix_mean.mean())
    frame_means = dark[:, good].mean(axis=1, dtype=np.float64) if good.any() else dark.mean(axis=(1, 2))
    offset_err = float(frame_means.std(ddof=1)) / math.sqrt(frame_means.size)
    n_pix = dark.shape[1] * dark.shape[2]
    # standard error of a variance from a median of n_pix pixels: ~ 1.25 * sqrt(2/dof) / sqrt(n_pix)
    rn_err = read_noise * 0.5 * 1.2533 * math.sqrt(2.0 / (dark.shape[0] - 1)) / math.sqrt(n_pix)
    result.values += [
        MetricValue("det_offset", offset, "ADU", uncertainty=offset_err),
        MetricValue("det_read_noise", read_noise, "ADU", uncertainty=rn_err),
    ]
    if noisy:
        result.warnings.append(
            f"{noisy} of {n_pix} pixels ({100 * noisy / n_pix:.2g} %) are much noisier than the rest "
            "in the dark "
            "(hot or flickering pixels); left out of the offset and read noise"
        )
    levels: list[np.ndarray[Any, Any]] = []
    if flat_frames is not None:
        series = flat_frames if isinstance(flat_frames, list) else [flat_frames]
        levels = [_frames(f, f"{dataset} (flat frames {k})") for k, f in enumerate(series)]
    points: list[tuple[float, float]] = []  # (signal, temporal variance) per level
    snrs: list[tuple[float, float]] = []  # (signal, snr)
    for k, flat in enumerate(levels):
        signal = float(flat.mean(dtype=np.float64)) - offset
        if flat.shape[0] >= 2:
            var, _ = _temporal_variance(flat)
            points.append((signal, var))
            noise = math.sqrt(var)
        else:
            noise = float(flat.std(dtype=np.float64))
            result.warnings.append(
                f"flat level {k}: one frame only, so the SNR uses the spatial noise "
                "(pixel non-uniformity included)"
            )
        if signal <= 0:
            result.warnings.append(f"flat level {k}: mean {signal + offset:.1f} ADU is not above the offset")
            continue
        snr = signal / noise if noise > 0 else math.inf
        snrs.append((signal, snr))
        if len(levels) > 1:
            result.values.append(MetricValue("det_snr", snr, "1", item=f"flat-{k}"))
    if snrs:
        result.values.append(MetricValue("det_snr", max(snrs)[1], "1"))
    if len(points) >= 2:
        s = np.array([p[0] for p in points])
        v = np.array([p[1] for p in points])
        if np.ptp(s) <= 0:
            result.warnings.append("the flat levels have the same mean signal; no gain")
        else:
            if len(points) >= 3:
                coef, cov = np.polyfit(s, v, 1, cov=True)
                gain, gain_err = float(coef[0]), float(math.sqrt(cov[0, 0]))
            else:  # two levels: the line through both points, the read variance not assumed
                gain = float((v[1] - v[0]) / (s[1] - s[0]))
                gain_err = None
            result.values.append(MetricValue("det_gain", gain, "ADU/e-", uncertainty=gain_err))
    elif len(levels) >= 2:
        result.warnings.append("the gain needs at least two frames at each of two flat levels")
    result.parameters.update(
        {
            "dark_frames": int(dark.shape[0]),
            "flat_levels": [int(f.shape[0]) for f in levels],
            "read_noise": "median of per-pixel temporal variances, χ²(n−1)-median corrected",
            "gain_unit": "ADU/e- (analogue-digital units per electron)",
        }
    )
    return result
