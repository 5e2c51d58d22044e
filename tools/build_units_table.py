"""Regenerate mappings/units.tsv: every OME unit symbol with its QUDT and UO IRIs and SI factor.

Provenance: OME unit symbols come from ome-types' enums (the OME 2016-06 schema); QUDT and UO IRIs
are checked against the ontology mirror given as the first argument (a directory holding
rdf/qudt-units.ttl and rdf/uo.ttl); SI factors are computed from the SI prefixes, not copied.

    python tools/build_units_table.py ../shared/ontologies > mappings/units.tsv
"""

from __future__ import annotations

import sys
from fractions import Fraction
from pathlib import Path

import pyoxigraph as ox
from ome_types import model as m

PREFIXES = {  # symbol: (QUDT prefix, UO label prefix, power of ten)
    "Y": ("Yotta", "yotta", 24),
    "Z": ("Zetta", "zetta", 21),
    "E": ("Exa", "exa", 18),
    "P": ("Peta", "peta", 15),
    "T": ("Tera", "tera", 12),
    "G": ("Giga", "giga", 9),
    "M": ("Mega", "mega", 6),
    "k": ("Kilo", "kilo", 3),
    "h": ("Hecto", "hecto", 2),
    "da": ("Deca", "deca", 1),
    "": ("", "", 0),
    "d": ("Deci", "deci", -1),
    "c": ("Centi", "centi", -2),
    "m": ("Milli", "milli", -3),
    "µ": ("Micro", "micro", -6),
    "n": ("Nano", "nano", -9),
    "p": ("Pico", "pico", -12),
    "f": ("Femto", "femto", -15),
    "a": ("Atto", "atto", -18),
    "z": ("Zepto", "zepto", -21),
    "y": ("Yocto", "yocto", -24),
}
BASES = {  # enum: (base symbol, QUDT base, UO base label, quantity kind, SI unit symbol)
    "UnitsLength": ("m", "M", "meter", "Length", "m"),
    "UnitsTime": ("s", "SEC", "second", "Time", "s"),
    "UnitsFrequency": ("Hz", "HZ", "hertz", "Frequency", "Hz"),
    "UnitsPower": ("W", "W", "watt", "Power", "W"),
    "UnitsElectricPotential": ("V", "V", "volt", "Voltage", "V"),
    "UnitsPressure": ("Pa", "PA", "pascal", "Pressure", "Pa"),
    "UnitsTemperature": ("K", "K", "kelvin", "ThermodynamicTemperature", "K"),
}
# Units that are not an SI prefix on the base: (QUDT local name, UO label, factor, offset)
SPECIAL = {
    "Å": ("ANGSTROM", "angstrom", Fraction(1, 10**10), 0),
    "thou": ("MIL", None, Fraction(254, 10**7), 0),
    "li": ("LINE", None, Fraction(254, 12 * 10**4), 0),
    "in": ("IN", "inch", Fraction(254, 10**4), 0),
    "ft": ("FT", "foot", Fraction(3048, 10**4), 0),
    "yd": ("YD", "yard", Fraction(9144, 10**4), 0),
    "mi": ("MI", "mile", Fraction(1609344, 1000), 0),
    "ua": ("AU", None, Fraction(149597870700), 0),
    "ly": ("LY", None, Fraction(9460730472580800), 0),
    "pc": ("PARSEC", None, Fraction(30856775814913673), 0),
    "pt": ("PT_BIG", None, Fraction(254, 72 * 10**4), 0),
    "pixel": ("PIXEL", None, None, 0),
    "reference frame": (None, None, None, 0),
    "min": ("MIN", "minute", Fraction(60), 0),
    "h": ("HR", "hour", Fraction(3600), 0),
    "d": ("DAY", "day", Fraction(86400), 0),
    "°C": ("DEG_C", "degree Celsius", Fraction(1), Fraction(27315, 100)),
    "°F": ("DEG_F", "degree Fahrenheit", Fraction(5, 9), Fraction(45967, 100)),
    "K": ("K", "kelvin", Fraction(1), 0),
    "°R": ("DEG_R", None, Fraction(5, 9), 0),
    "bar": ("BAR", "bar", Fraction(10**5), 0),
    "Mbar": ("MegaBAR", None, Fraction(10**11), 0),
    "kbar": ("KiloBAR", None, Fraction(10**8), 0),
    "dbar": ("DeciBAR", None, Fraction(10**4), 0),
    "cbar": ("CentiBAR", None, Fraction(10**3), 0),
    "mbar": ("MilliBAR", None, Fraction(100), 0),
    "atm": ("ATM", None, Fraction(101325), 0),
    "psi": ("PSI", None, Fraction(689475729316836, 10**11), 0),
    "Torr": ("TORR", "torr", Fraction(101325, 760), 0),
    "mTorr": ("MilliTORR", None, Fraction(101325, 760000), 0),
    "mm Hg": ("MilliM_HG", "millimetres of mercury", Fraction(133322387415, 10**9), 0),
}


def _decimal(x: Fraction | int) -> str:
    """Exact decimal text for a factor (20 significant digits where it does not terminate)."""
    from decimal import Decimal, getcontext

    getcontext().prec = 20
    f = Fraction(x)
    return str((Decimal(f.numerator) / Decimal(f.denominator)).normalize())


def main(mirror: Path) -> None:
    store = ox.Store()
    for name in ("qudt-units.ttl", "uo.ttl"):
        store.load(path=str(mirror / "rdf" / name), format=ox.RdfFormat.TURTLE)
    qudt_units = {
        s["u"].value for s in store.query("SELECT ?u WHERE { ?u a <http://qudt.org/schema/qudt/Unit> }")
    }
    uo_by_label: dict[str, str] = {}
    for s in store.query(
        "SELECT ?c ?l WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?l "
        "FILTER(STRSTARTS(STR(?c), 'http://purl.obolibrary.org/obo/UO_')) }"
    ):
        uo_by_label.setdefault(s["l"].value.lower(), s["c"].value)

    print("ome_enum\tome_symbol\tquantity_kind\tqudt_unit\tuo_unit\tsi_unit\tsi_factor\tsi_offset")
    for enum_name, (base, qbase, uobase, kind, si) in BASES.items():
        for member in getattr(m, enum_name):
            sym = member.value
            if sym in SPECIAL:
                qlocal, uolabel, factor, offset = SPECIAL[sym]
            else:
                pre = sym[: -len(base)]
                qp, up, power = PREFIXES[pre]
                qlocal, uolabel = qp + qbase, up + uobase
                factor, offset = Fraction(10) ** power, 0
            qiri = f"http://qudt.org/vocab/unit/{qlocal}" if qlocal else ""
            if qiri and qiri not in qudt_units:
                qiri = ""
            uo = uo_by_label.get(uolabel.lower(), "") if uolabel else ""
            fac = "" if factor is None else _decimal(factor)
            off = _decimal(offset) if offset else "0"
            print(
                f"{enum_name}\t{sym}\t{kind}\t{qiri}\t{uo}\t{si if factor is not None else ''}\t{fac}\t{off}"
            )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
