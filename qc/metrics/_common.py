"""What the metric modules share: the error they raise, 1D Gaussian fits, robust statistics."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from kg.errors import KGError

FWHM_PER_SIGMA = 2.0 * math.sqrt(2.0 * math.log(2.0))  # 2.3548...
MAD_TO_SIGMA = 1.482602218505602  # a normal distribution's sigma from its median absolute deviation

FloatArray = NDArray[np.floating[Any]]


class MeasurementError(KGError, ValueError):
    """The data cannot give the metric asked for: no beads found, too few frames, an array of
    the wrong shape, an option with a wrong value. The message says what was found and what
    was expected (and which file, when there is one)."""


def software_version() -> str:
    import kg

    return str(kg.__version__)


@dataclass(frozen=True)
class GaussFit:
    """A 1D Gaussian with a constant offset: ``offset + amplitude * exp(-(u - centre)² / 2σ²)``."""

    offset: float
    amplitude: float
    centre: float
    sigma: float
    sigma_err: float
    centre_err: float
    r2: float

    @property
    def fwhm(self) -> float:
        return FWHM_PER_SIGMA * self.sigma


def _gauss(u: FloatArray, offset: float, amplitude: float, centre: float, sigma: float) -> FloatArray:
    return offset + amplitude * np.exp(-0.5 * ((u - centre) / sigma) ** 2)  # type: ignore[no-any-return]


def _gauss_jac(u: FloatArray, offset: float, amplitude: float, centre: float, sigma: float) -> FloatArray:
    d = (u - centre) / sigma
    e = np.exp(-0.5 * d * d)
    return np.column_stack([np.ones_like(u), e, amplitude * e * d / sigma, amplitude * e * d * d / sigma])


def fit_gaussian_1d(profile: FloatArray) -> GaussFit:
    """Least-squares fit (scipy.optimize.curve_fit, Levenberg-Marquardt with the analytic
    Jacobian) of a Gaussian with offset to ``profile``, sampled at 0, 1, 2...; raises
    :class:`MeasurementError` saying why when there is no fit.

    Starting values come from the profile's own moments, so the fit converges in a few
    iterations. A fit whose centre falls outside the profile, or whose σ is not between 0.1
    sample and the profile's length, is no fit.
    """
    from scipy.optimize import OptimizeWarning, curve_fit

    y = np.asarray(profile, dtype=np.float64)
    n = y.size
    if n < 5:
        raise MeasurementError(f"a profile of {n} samples is too short to fit (expected at least 5)")
    u = np.arange(n, dtype=np.float64)
    lo = float(np.min(y))
    w = y - lo
    total = float(w.sum())
    if not math.isfinite(total) or total <= 0:
        raise MeasurementError("the profile is flat")
    c0 = float((w * u).sum() / total)
    peak = int(np.argmax(y))
    half = lo + (float(y[peak]) - lo) / 2
    above = int(np.count_nonzero(y >= half))
    s0 = max(0.5, above / FWHM_PER_SIGMA)
    p0 = [lo, float(y[peak]) - lo, float(peak) if abs(peak - c0) > 2 else c0, s0]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", OptimizeWarning)
            popt, pcov = curve_fit(_gauss, u, y, p0=p0, jac=_gauss_jac, method="lm", maxfev=400)
    except (RuntimeError, ValueError, OptimizeWarning) as exc:
        raise MeasurementError(f"the Gaussian fit did not converge ({exc})") from exc
    offset, amplitude, centre, sigma = (float(v) for v in popt)
    sigma = abs(sigma)
    perr = np.sqrt(np.clip(np.diag(pcov), 0, None))
    if not all(math.isfinite(v) for v in (offset, amplitude, centre, sigma, *perr)):
        raise MeasurementError("the Gaussian fit gave no finite parameters")
    if amplitude <= 0:
        raise MeasurementError("the fitted peak is a dip, not a peak")
    if not (0.0 <= centre <= n - 1):
        raise MeasurementError(f"the fitted centre {centre:.1f} is outside the {n}-sample profile")
    if not (0.1 <= sigma <= n):
        raise MeasurementError(f"the fitted width σ = {sigma:.2f} samples is outside 0.1 to {n}")
    resid = y - _gauss(u, offset, amplitude, centre, sigma)
    sst = float(((y - y.mean()) ** 2).sum())
    r2 = 1.0 - float((resid**2).sum()) / sst if sst > 0 else 0.0
    return GaussFit(offset, amplitude, centre, sigma, float(perr[3]), float(perr[2]), r2)


def robust_sigma(x: FloatArray) -> float:
    """The standard deviation of the bulk of ``x``, from its median absolute deviation."""
    med = float(np.median(x))
    return MAD_TO_SIGMA * float(np.median(np.abs(x - med)))


def median_with_error(values: list[float], errors: list[float] | None = None) -> tuple[float, float | None]:
    """Median of ``values`` and its standard error (1.2533 σ/√n for n ≥ 3; for fewer values the
    largest single error given, or None)."""
    arr = np.asarray(values, dtype=np.float64)
    med = float(np.median(arr))
    if arr.size >= 3:
        return med, 1.2533 * float(np.std(arr, ddof=1)) / math.sqrt(arr.size)
    if errors:
        return med, float(max(errors))
    return med, None


def option_float(options: dict[str, object], key: str, default: float | None = None) -> float | None:
    """A number from ``options`` (the CLI gives strings), or ``default``; a clear error otherwise."""
    value = options.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool):
        raise MeasurementError(f"option {key!r} is {value!r} (expected a number)")
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise MeasurementError(f"option {key!r} is {value!r} (expected a number)") from exc
    if not math.isfinite(out):
        raise MeasurementError(f"option {key!r} is {value!r} (expected a finite number)")
    return out


def option_floats(options: dict[str, object], key: str, n: int) -> tuple[float, ...] | None:
    """``n`` numbers from ``options``: a list/tuple, a string "0.2,0.1,0.1", or one number for all."""
    value = options.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        parts: list[object] = [p for p in value.replace(";", ",").replace("x", ",").split(",") if p.strip()]
    elif isinstance(value, list | tuple):
        parts = list(value)
    else:
        parts = [value]
    if len(parts) == 1:
        parts = parts * n
    if len(parts) != n:
        raise MeasurementError(f"option {key!r} is {value!r} (expected {n} numbers, or one number for all)")
    out = []
    for p in parts:
        try:
            f = float(p)  # type: ignore[arg-type]
        except (TypeError, ValueError) as exc:
            raise MeasurementError(f"option {key!r} is {value!r} (expected numbers)") from exc
        if not (math.isfinite(f) and f > 0):
            raise MeasurementError(f"option {key!r} is {value!r} (expected positive sizes)")
        out.append(f)
    return tuple(out)
