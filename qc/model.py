"""The results of a QC measurement, as plain data: what the metric code in ``qc.metrics`` returns
and what ``qc.graph`` writes into the store as SOSA observations.

A metric key (``MetricValue.metric``) is the local name of a term in our QC vocabulary
(``bkg:qc/<key>``, declared in ``ontologies/bioimage-kg-qc.ttl``), for example ``psf_fwhm_x``.
A unit is an OME/UCUM-style symbol that ``kg.units`` knows ("µm", "nm", "mW", "s"), or one of
the dimensionless symbols in ``DIMENSIONLESS``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Kind = Literal["field-illumination", "psf", "detector", "chromatic", "power-stability"]
KINDS: tuple[Kind, ...] = ("field-illumination", "psf", "detector", "chromatic", "power-stability")

# Dimensionless "units" and the QUDT IRIs they map to.
DIMENSIONLESS: dict[str, str] = {
    "1": "http://qudt.org/vocab/unit/UNITLESS",
    "%": "http://qudt.org/vocab/unit/PERCENT",
    "ADU": "http://qudt.org/vocab/unit/NUM",  # detector counts (analogue-digital units)
    "px": "http://qudt.org/vocab/unit/NUM",  # pixels, where no physical size is known
}


@dataclass(frozen=True)
class MetricValue:
    """One number: a metric, for a channel and/or a component (a bead, a corner), with its unit."""

    metric: str
    value: float
    unit: str
    channel: int | None = None
    item: str | None = None  # e.g. "bead-3"; None for a summary over the whole dataset
    uncertainty: float | None = None  # one standard error, same unit, when the method gives one


@dataclass(frozen=True)
class Rejected:
    """An item (a bead, a frame) left out of a result, and why, in words a user understands."""

    item: str
    reason: str


@dataclass
class MetricResult:
    """Everything one measurement produced from one calibration dataset."""

    kind: Kind
    dataset: str  # the calibration file or folder (path or URL) the values were computed from
    values: list[MetricValue] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    software: str = "bioimage-kg"
    software_version: str = ""
    result_time: datetime | None = None  # when the calibration data was acquired, when known
    parameters: dict[str, object] = field(default_factory=dict)

    def summary(self, metric: str, channel: int | None = None) -> MetricValue | None:
        """The dataset-level value (item None) of a metric, for a channel."""
        for v in self.values:
            if v.metric == metric and v.item is None and v.channel == channel:
                return v
        return None
