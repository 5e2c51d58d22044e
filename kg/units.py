"""Units as IRIs and SI values, from the table in mappings/units.tsv.

Every OME unit symbol maps to a QUDT unit IRI and, where UO has one, a UO unit IRI, plus the
factor and offset to the SI unit, so that 0.1 µm and 100 nm compare equal through
``bkg:siValue``. A unit that neither QUDT nor UO names gets an IRI in our vocabulary
(``bkg:unit/…``) so that no value is ever left without a unit IRI.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from kg.namespaces import BKG, QUANTITYKIND
from kg.resources import data_dir


@dataclass(frozen=True)
class Unit:
    symbol: str
    quantity_kind: str
    qudt: str | None
    uo: str | None
    si_unit: str | None
    si_factor: Decimal | None
    si_offset: Decimal

    @property
    def iri(self) -> str:
        """The unit IRI used in ``qudt:unit``: QUDT, else UO, else our own."""
        return self.qudt or self.uo or f"{BKG}unit/{quote(self.symbol, safe='')}"

    @property
    def quantity_kind_iri(self) -> str:
        return QUANTITYKIND + self.quantity_kind

    def to_si(self, value: float) -> Decimal | None:
        """The value in the SI coherent unit, computed in decimal so 20 µm is exactly 2E-5 m."""
        if self.si_factor is None:
            return None
        # QUDT's convention: SI = (value + offset) * multiplier (°F: (F + 459.67) * 5/9 K)
        return ((Decimal(repr(float(value))) + self.si_offset) * self.si_factor).normalize()


@dataclass(frozen=True)
class UnitTable:
    by_symbol: dict[str, Unit]

    @classmethod
    def load(cls, path: Path | None = None) -> UnitTable:
        p = path or data_dir("mappings") / "units.tsv"
        units: dict[str, Unit] = {}
        with p.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                units[row["ome_symbol"]] = Unit(
                    symbol=row["ome_symbol"],
                    quantity_kind=row["quantity_kind"],
                    qudt=row["qudt_unit"] or None,
                    uo=row["uo_unit"] or None,
                    si_unit=row["si_unit"] or None,
                    si_factor=Decimal(row["si_factor"]) if row["si_factor"] else None,
                    si_offset=Decimal(row["si_offset"] or "0"),
                )
        return cls(units)

    def get(self, symbol: str) -> Unit | None:
        return self.by_symbol.get(symbol)

    def by_name(self, name: str) -> Unit | None:
        """A unit by its UDUNITS-2 name, as OME-NGFF axes give it ("micrometer", "millisecond")."""
        symbol = _udunits_symbols().get(name.strip().lower())
        return self.by_symbol.get(symbol) if symbol else None


_PREFIX_NAMES = {
    "yotta": "Y",
    "zetta": "Z",
    "exa": "E",
    "peta": "P",
    "tera": "T",
    "giga": "G",
    "mega": "M",
    "kilo": "k",
    "hecto": "h",
    "deca": "da",
    "": "",
    "deci": "d",
    "centi": "c",
    "milli": "m",
    "micro": "µ",
    "nano": "n",
    "pico": "p",
    "femto": "f",
    "atto": "a",
    "zepto": "z",
    "yocto": "y",
}
_OTHER_NAMES = {
    "angstrom": "Å",
    "foot": "ft",
    "inch": "in",
    "mile": "mi",
    "yard": "yd",
    "parsec": "pc",
    "minute": "min",
    "hour": "h",
    "day": "d",
    "kelvin": "K",
    "hertz": "Hz",
    "watt": "W",
    "volt": "V",
}


@lru_cache(maxsize=1)
def _udunits_symbols() -> dict[str, str]:
    """UDUNITS-2 names (the ones OME-NGFF allows for space and time axes) to OME symbols."""
    names = dict(_OTHER_NAMES)
    for prefix, sym in _PREFIX_NAMES.items():
        names[f"{prefix}meter"] = f"{sym}m"
        names[f"{prefix}second"] = f"{sym}s"
    return names


@lru_cache(maxsize=1)
def default_units() -> UnitTable:
    return UnitTable.load()
