"""Synthetic calibration data whose answer is known, for the QC metric tests and benchmark.

Every generator takes a seed and returns the data with the truth it was made from. Noise is a
camera's: photons are Poisson, the detector adds a constant offset and Gaussian read noise, and
a gain turns electrons into ADU; values are clipped to the data type, which is how saturation
arises.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

FWHM_PER_SIGMA = 2.0 * math.sqrt(2.0 * math.log(2.0))


@dataclass
class Camera:
    offset: float = 100.0  # ADU
    read_noise_e: float = 1.5  # electrons rms
    gain: float = 1.0  # ADU per electron
    dtype: type = np.uint16

    def digitise(self, electrons: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        adu = electrons * self.gain + self.offset
        adu = adu + rng.normal(0.0, self.read_noise_e * self.gain, size=electrons.shape)
        info = np.iinfo(self.dtype)
        return np.clip(np.rint(adu), info.min, info.max).astype(self.dtype)


@dataclass
class BeadTruth:
    sigma_px: tuple[float, float, float]  # z, y, x
    voxel_um: tuple[float, float, float]
    valid: list[tuple[float, float, float]] = field(default_factory=list)  # centres (z, y, x)
    edge: list[tuple[float, float, float]] = field(default_factory=list)
    saturated: list[tuple[float, float, float]] = field(default_factory=list)
    touching: list[tuple[float, float, float]] = field(default_factory=list)
    wide: list[tuple[float, float, float]] = field(default_factory=list)  # 1.8× the width: outliers
    hot: list[tuple[int, int, int]] = field(default_factory=list)  # single hot voxels

    @property
    def fwhm_um(self) -> tuple[float, float, float]:
        return tuple(FWHM_PER_SIGMA * s * v for s, v in zip(self.sigma_px, self.voxel_um, strict=True))  # type: ignore[return-value]


def _place(
    rng: np.random.Generator,
    n: int,
    shape: tuple[int, int, int],
    margin_xy: float,
    z_range: tuple[float, float],
    min_sep: float,
    taken: list[tuple[float, float, float]],
) -> list[tuple[float, float, float]]:
    out: list[tuple[float, float, float]] = []
    tries = 0
    while len(out) < n:
        tries += 1
        if tries > 200_000:
            raise RuntimeError("cannot place that many beads with that separation")
        y = rng.uniform(margin_xy, shape[1] - 1 - margin_xy)
        x = rng.uniform(margin_xy, shape[2] - 1 - margin_xy)
        if all(math.hypot(y - p[1], x - p[2]) >= min_sep for p in taken + out):
            out.append((rng.uniform(*z_range), y, x))
    return out


def _add_bead(
    canvas: np.ndarray, centre: tuple[float, float, float], sigma: tuple[float, float, float], photons: float
) -> None:
    """Add ``photons`` × a point-sampled Gaussian (peak value ``photons``) into ``canvas``."""
    lo = [max(0, math.floor(c - 5 * s)) for c, s in zip(centre, sigma, strict=True)]
    hi = [min(n, math.ceil(c + 5 * s) + 1) for c, s, n in zip(centre, sigma, canvas.shape, strict=True)]
    if any(h <= low for low, h in zip(lo, hi, strict=True)):
        return
    g = [
        np.exp(-0.5 * ((np.arange(low, h) - c) / s) ** 2)
        for low, h, c, s in zip(lo, hi, centre, sigma, strict=True)
    ]
    canvas[lo[0] : hi[0], lo[1] : hi[1], lo[2] : hi[2]] += (
        photons * g[0][:, None, None] * g[1][None, :, None] * g[2][None, None, :]
    ).astype(canvas.dtype)


def bead_stack(
    shape: tuple[int, int, int] = (31, 192, 192),
    *,
    n_valid: int = 20,
    sigma_px: tuple[float, float, float] = (2.0, 1.3, 1.3),
    voxel_um: tuple[float, float, float] = (0.25, 0.1, 0.1),
    peak_photons: float = 2000.0,
    background_photons: float = 20.0,
    camera: Camera | None = None,
    n_edge: int = 0,
    n_saturated: int = 0,
    n_touching_pairs: int = 0,
    n_wide: int = 0,
    n_hot: int = 0,
    min_sep_px: float = 24.0,
    seed: int = 0,
) -> tuple[np.ndarray, BeadTruth]:
    """A (z, y, x) uint16 stack of Gaussian beads at random sub-voxel positions."""
    rng = np.random.default_rng(seed)
    cam = camera or Camera()
    truth = BeadTruth(sigma_px=sigma_px, voxel_um=voxel_um)
    zc = (shape[0] - 1) / 2
    zr = (zc - 1.5, zc + 1.5)
    margin = 5 * max(sigma_px[1:]) + 4
    taken: list[tuple[float, float, float]] = []
    truth.valid = _place(rng, n_valid, shape, margin, zr, min_sep_px, taken)
    taken += truth.valid
    truth.saturated = _place(rng, n_saturated, shape, margin, zr, min_sep_px, taken)
    taken += truth.saturated
    for _ in range(n_touching_pairs):
        a = _place(rng, 1, shape, margin, zr, min_sep_px + 4, taken)[0]
        b = (a[0], a[1] + 1.8 * FWHM_PER_SIGMA * sigma_px[1], a[2])
        truth.touching += [a, b]
        taken += [a, b]
    truth.wide = _place(rng, n_wide, shape, margin, zr, min_sep_px, taken)
    taken += truth.wide
    for h in _place(rng, n_hot, shape, margin, zr, min_sep_px, taken):
        truth.hot.append((round(h[0]), round(h[1]), round(h[2])))
        taken.append(h)
    for i in range(n_edge):  # centres 1.5 px inside a border, spread along it
        along = shape[2] * (i + 1) / (n_edge + 1)
        truth.edge.append((zc, 1.5, along) if i % 2 == 0 else (zc, shape[1] - 2.5, along))
    photons = np.full(shape, background_photons, dtype=np.float32)
    for c in truth.valid + truth.edge + truth.touching:
        _add_bead(photons, c, sigma_px, peak_photons)
    for c in truth.saturated:
        _add_bead(photons, c, sigma_px, 200.0 * peak_photons)
    for c in truth.wide:
        _add_bead(photons, c, tuple(1.8 * s for s in sigma_px), peak_photons)  # type: ignore[arg-type]
    for z, y, x in truth.hot:
        photons[z, y, x] += 3.0 * peak_photons
    electrons = rng.poisson(photons).astype(np.float32)
    return cam.digitise(electrons, rng), truth


def big_bead_stack(
    shape: tuple[int, int, int] = (50, 2048, 2048),
    *,
    n_beads: int = 150,
    sigma_px: tuple[float, float, float] = (2.0, 1.5, 1.5),
    peak_photons: float = 2000.0,
    background_photons: float = 20.0,
    camera: Camera | None = None,
    min_sep_px: float = 64.0,
    seed: int = 0,
) -> tuple[np.ndarray, list[tuple[float, float, float]]]:
    """A large uint16 stack built plane by plane (no float copy of the whole stack): beads at
    random sub-voxel positions near the middle plane, well apart from each other and the edges."""
    rng = np.random.default_rng(seed)
    cam = camera or Camera()
    zc = (shape[0] - 1) / 2
    centres = _place(rng, n_beads, shape, 48.0, (zc - 2.0, zc + 2.0), min_sep_px, [])
    out = np.empty(shape, dtype=cam.dtype)
    r = [math.ceil(5 * s) for s in sigma_px]
    for z in range(shape[0]):
        plane = np.full(shape[1:], background_photons, dtype=np.float32)
        for cz, cy, cx in centres:
            wz = math.exp(-0.5 * ((z - cz) / sigma_px[0]) ** 2)
            if wz < 1e-6:
                continue
            y0, y1 = max(0, math.floor(cy) - r[1]), min(shape[1], math.floor(cy) + r[1] + 2)
            x0, x1 = max(0, math.floor(cx) - r[2]), min(shape[2], math.floor(cx) + r[2] + 2)
            gy = np.exp(-0.5 * ((np.arange(y0, y1) - cy) / sigma_px[1]) ** 2)
            gx = np.exp(-0.5 * ((np.arange(x0, x1) - cx) / sigma_px[2]) ** 2)
            plane[y0:y1, x0:x1] += (peak_photons * wz) * np.outer(gy, gx).astype(np.float32)
        out[z] = cam.digitise(rng.poisson(plane).astype(np.float32), rng)
    return out, centres


def shifted_channels(
    shape: tuple[int, int, int] = (25, 160, 160),
    *,
    shifts_px: list[tuple[float, float, float]],
    n_beads: int = 12,
    sigma_px: tuple[float, float, float] = (2.0, 1.4, 1.4),
    peak_photons: float = 3000.0,
    background_photons: float = 20.0,
    seed: int = 0,
) -> tuple[np.ndarray, list[tuple[float, float, float]]]:
    """A (c, z, y, x) stack: channel 0 has beads at random positions, channel k the same beads
    moved by ``shifts_px[k-1]`` (z, y, x) voxels. Returns the stack and the channel-0 centres."""
    rng = np.random.default_rng(seed)
    cam = Camera()
    zc = (shape[0] - 1) / 2
    margin = 5 * max(sigma_px[1:]) + 6
    centres = _place(rng, n_beads, shape, margin, (zc - 1, zc + 1), 26.0, [])
    out = np.empty((len(shifts_px) + 1, *shape), dtype=np.uint16)
    for k, shift in enumerate([(0.0, 0.0, 0.0), *shifts_px]):
        photons = np.full(shape, background_photons, dtype=np.float32)
        for c in centres:
            _add_bead(photons, tuple(a + b for a, b in zip(c, shift, strict=True)), sigma_px, peak_photons)  # type: ignore[arg-type]
        out[k] = cam.digitise(rng.poisson(photons).astype(np.float32), rng)
    return out, centres


@dataclass
class FieldTruth:
    centre_yx: tuple[float, float]  # pixel coordinates of the illumination maximum
    uniformity_pct: float  # 100 × min / max of the noise-free field
    corner_centre_ratio: float  # mean of the four corner squares / the central square, noise-free


def vignetting(
    shape: tuple[int, int] = (512, 640),
    *,
    centre_offset_px: tuple[float, float] = (0.0, 0.0),
    falloff_sigma_frac: float = 0.6,
    peak_photons: float = 4000.0,
    camera: Camera | None = None,
    seed: int = 0,
) -> tuple[np.ndarray, FieldTruth]:
    """A flat-field image with a Gaussian fall-off of σ = ``falloff_sigma_frac`` × the image's
    half-diagonal, centred ``centre_offset_px`` (dy, dx) from the image centre; the camera
    offset is subtracted from nothing (pass ``offset`` to the metric)."""
    rng = np.random.default_rng(seed)
    cam = camera or Camera()
    h, w = shape
    cy, cx = (h - 1) / 2 + centre_offset_px[0], (w - 1) / 2 + centre_offset_px[1]
    s = falloff_sigma_frac * math.hypot(h, w) / 2
    yy = np.arange(h)[:, None]
    xx = np.arange(w)[None, :]
    field_ = np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * s * s))
    img = cam.digitise(rng.poisson(peak_photons * field_).astype(np.float32), rng)
    side = round(0.1 * (h + w) / 2)
    corners = [field_[:side, :side], field_[:side, -side:], field_[-side:, :side], field_[-side:, -side:]]
    y0, x0 = (h - side) // 2, (w - side) // 2
    centre = field_[y0 : y0 + side, x0 : x0 + side]
    truth = FieldTruth(
        centre_yx=(cy, cx),
        uniformity_pct=100 * float(field_.min() / field_.max()),
        corner_centre_ratio=float(np.mean([c.mean() for c in corners]) / centre.mean()),
    )
    return img, truth


def dark_frames(
    n: int = 20,
    shape: tuple[int, int] = (128, 128),
    *,
    offset: float = 100.0,
    read_noise: float = 2.0,
    hot_fraction: float = 0.0,
    seed: int = 0,
) -> np.ndarray:
    """``n`` dark frames (n, y, x) with a known offset and read noise (ADU); hot pixels (a
    fraction of pixels with a high, fluctuating dark signal) test robustness."""
    rng = np.random.default_rng(seed)
    frames = rng.normal(offset, read_noise, size=(n, *shape))
    if hot_fraction:
        hot = rng.random(shape) < hot_fraction
        frames[:, hot] += rng.exponential(400.0, size=(n, int(hot.sum())))
    return np.clip(np.rint(frames), 0, 65535).astype(np.uint16)


def flat_frames(
    n: int = 10,
    shape: tuple[int, int] = (128, 128),
    *,
    photons: float = 1000.0,
    camera: Camera | None = None,
    seed: int = 0,
) -> np.ndarray:
    """``n`` evenly lit frames (n, y, x) at ``photons`` per pixel, through ``camera``."""
    rng = np.random.default_rng(seed)
    cam = camera or Camera()
    return cam.digitise(rng.poisson(photons, size=(n, *shape)).astype(np.float32), rng)


def power_series(
    n: int = 600,
    *,
    duration_s: float = 3600.0,
    mean: float = 5.0,
    cv_pct: float = 0.5,
    drift_pct_per_h: float = 1.0,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Times (s) and powers whose linear drift (% of the mean per hour, about the middle of the
    series) and noise (CV of the residuals, %) are known."""
    rng = np.random.default_rng(seed)
    t = np.linspace(0.0, duration_s, n)
    trend = mean * (1 + drift_pct_per_h / 100 * (t - t.mean()) / 3600.0)
    return t, trend + rng.normal(0.0, mean * cv_pct / 100, size=n)


def write_power_csv(
    path,
    t: np.ndarray,
    p: np.ndarray,
    *,
    header: str = "time_s,power (mW)",
    iso_start: datetime | None = None,
) -> None:
    lines = [header]
    for ti, pi in zip(t, p, strict=True):
        stamp = (iso_start + timedelta(seconds=float(ti))).isoformat() if iso_start else f"{ti:.3f}"
        lines.append(f"{stamp},{pi:.6f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
