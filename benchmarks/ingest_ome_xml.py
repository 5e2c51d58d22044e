"""Benchmark: ingest of synthetic OME-XML plates, against the peers named in the OME issue.

For each plate size (images) it generates a realistic OME-XML plate (one instrument with a
microscope, objective, three lasers, a detector and filters; per image: pixels, three channels
with wavelengths, objective settings, an acquisition date; one well sample per well), then
measures, each in a fresh process so that peak memory is that step's own:

- ``kg``: end-to-end ingest with bioimage-kg into an on-disk embedded Oxigraph store;
- ``ome_types``: ``ome_types.from_xml`` alone on the same file (the parsing peer);
- ``bulk_load``: pyoxigraph ``bulk_load`` of kg's output as N-Quads into a fresh on-disk store.

Results (wall time, images/s, triples/s, peak RSS) go to a JSON file.

    python benchmarks/ingest_ome_xml.py --sizes 1000 10000 --out benchmarks/results/ingest_ome_xml.json

kg maps an OME-XML file of 8 MiB or more in a second process (the parent writes while the child
maps), so its peak memory is reported for both processes: ``peak_rss_mb`` (the writer) and
``peak_rss_subprocess_mb`` (the mapper).

Targets (issue 3): kg at least as fast as ome_types alone on the 100k plate; peak memory that does
not grow with the number of images beyond the store's own; linear scaling from 10k to 100k.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NS = "http://www.openmicroscopy.org/Schemas/OME/2016-06"


def generate_plate(path: Path, images: int) -> None:
    cols = 24
    rows = (images + cols - 1) // cols
    with path.open("w", encoding="utf-8") as f:
        w = f.write
        w(f'<?xml version="1.0" encoding="UTF-8"?>\n<OME xmlns="{NS}" Creator="bioimage-kg benchmark">\n')
        w(
            '<Plate ID="Plate:0" Name="benchmark plate" Rows="%d" Columns="%d" RowNamingConvention="letter" '
            'ColumnNamingConvention="number">\n' % (rows, cols)
        )
        for i in range(images):
            r, c = divmod(i, cols)
            w(
                f'<Well ID="Well:{i}" Row="{r}" Column="{c}"><WellSample ID="WellSample:{i}" Index="{i}" '
                f'PositionX="{c * 9000.0}" PositionXUnit="µm" PositionY="{r * 9000.0}" PositionYUnit="µm">'
                f'<ImageRef ID="Image:{i}"/></WellSample></Well>\n'
            )
        w("</Plate>\n")
        w(
            '<Instrument ID="Instrument:0"><Microscope Type="Inverted" Manufacturer="Nikon" Model="Ti2-E" '
            'SerialNumber="NK-123"/>'
            '<Laser ID="LightSource:0" Type="Semiconductor" Wavelength="405" WavelengthUnit="nm" Power="50" PowerUnit="mW" Model="L405"/>'
            '<Laser ID="LightSource:1" Type="SolidState" Wavelength="488" WavelengthUnit="nm" Power="100" PowerUnit="mW" Model="L488"/>'
            '<Laser ID="LightSource:2" Type="SolidState" Wavelength="561" WavelengthUnit="nm" Power="100" PowerUnit="mW" Model="L561"/>'
            '<Detector ID="Detector:0" Type="CMOS" Manufacturer="Hamamatsu" Model="ORCA-Fusion"/>'
            '<Objective ID="Objective:0" Manufacturer="Nikon" Model="Plan Apo 20x" NominalMagnification="20" '
            'LensNA="0.75" Immersion="Air" Correction="PlanApo" WorkingDistance="1" WorkingDistanceUnit="mm"/>'
            '<Filter ID="Filter:0" Model="ET460/50" Type="BandPass"><TransmittanceRange CutIn="435" CutOut="485"/></Filter>'
            '<Filter ID="Filter:1" Model="ET525/50" Type="BandPass"><TransmittanceRange CutIn="500" CutOut="550"/></Filter>'
            '<Filter ID="Filter:2" Model="ET600/50" Type="BandPass"><TransmittanceRange CutIn="575" CutOut="625"/></Filter>'
            "</Instrument>\n"
        )
        chans = (("DAPI", 405, 460, 0), ("GFP", 488, 525, 1), ("mCherry", 561, 610, 2))
        for i in range(images):
            minute = i % 60
            hour = 8 + (i // 60) % 12
            w(
                f'<Image ID="Image:{i}" Name="well {i} field 0"><AcquisitionDate>2024-06-01T{hour:02d}:{minute:02d}:00'
                f'</AcquisitionDate><InstrumentRef ID="Instrument:0"/><ObjectiveSettings ID="Objective:0" Medium="Air"/>'
                f'<Pixels ID="Pixels:{i}" DimensionOrder="XYCZT" Type="uint16" SizeX="2048" SizeY="2048" SizeZ="1" '
                f'SizeC="3" SizeT="1" PhysicalSizeX="0.325" PhysicalSizeXUnit="µm" PhysicalSizeY="0.325" '
                f'PhysicalSizeYUnit="µm">'
            )
            for k, (name, ex, em, ls) in enumerate(chans):
                w(
                    f'<Channel ID="Channel:{i}:{k}" Name="{name}" AcquisitionMode="WideField" '
                    f'ContrastMethod="Fluorescence" ExcitationWavelength="{ex}" EmissionWavelength="{em}">'
                    f'<LightSourceSettings ID="LightSource:{ls}" Attenuation="0.2"/>'
                    f'<DetectorSettings ID="Detector:0" Binning="1x1" Gain="1.0"/>'
                    f'<LightPath><EmissionFilterRef ID="Filter:{k}"/></LightPath></Channel>'
                )
            w("<MetadataOnly/></Pixels></Image>\n")
        w("</OME>\n")


# -- steps, each run in its own process ---------------------------------------------------------


def step_kg(xml: str, store: str, nq: str) -> dict[str, object]:
    import pyoxigraph as ox

    from kg.config import Settings
    from kg.ingest import ingest_paths
    from kg.store import EmbeddedStore

    t0 = time.perf_counter()
    s = EmbeddedStore(Path(store))
    rep = ingest_paths(s, Settings(store_path=Path(store)), [Path(xml)])
    elapsed = time.perf_counter() - t0
    o = rep.outcomes[0]
    assert o.status == "ingested", o.error
    with open(nq, "wb") as fh:
        s.raw.dump(fh, ox.RdfFormat.N_QUADS)
    return {"seconds": elapsed, "triples": o.triples, "unmapped": len(o.unmapped)}


def step_ome_types(xml: str) -> dict[str, object]:
    import ome_types

    data = Path(xml).read_bytes()
    t0 = time.perf_counter()
    ome = ome_types.from_xml(data, validate=False)
    return {"seconds": time.perf_counter() - t0, "images": len(ome.images)}


def step_bulk_load(nq: str, store: str) -> dict[str, object]:
    import pyoxigraph as ox

    t0 = time.perf_counter()
    s = ox.Store(store)
    s.bulk_load(path=nq, format=ox.RdfFormat.N_QUADS)
    s.flush()
    return {"seconds": time.perf_counter() - t0, "triples": len(s)}


def _child(step: str, *args: str) -> dict[str, object]:
    code = (
        "import json, resource, sys; sys.path.insert(0, %r); import ingest_ome_xml as b; "
        "r = b.step_%s(*sys.argv[1:]); r['peak_rss_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024; "
        "r['peak_rss_subprocess_mb'] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024; "
        "print(json.dumps(r))" % (str(Path(__file__).parent), step)
    )
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/ingest_ome_xml.json"))
    args = ap.parse_args()
    results = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            xml = Path(tmp) / f"plate-{n}.ome.xml"
            generate_plate(xml, n)
            size_mb = xml.stat().st_size / 1e6
            kg = _child("kg", str(xml), str(Path(tmp) / "kg-store"), str(Path(tmp) / "out.nq"))
            peer = _child("ome_types", str(xml))
            bulk = _child("bulk_load", str(Path(tmp) / "out.nq"), str(Path(tmp) / "bulk-store"))
        row = {
            "images": n,
            "xml_mb": round(size_mb, 1),
            "kg": {**kg, "images_per_s": n / kg["seconds"], "triples_per_s": kg["triples"] / kg["seconds"]},  # type: ignore[operator]
            "ome_types_from_xml": {**peer, "images_per_s": n / peer["seconds"]},  # type: ignore[operator]
            "pyoxigraph_bulk_load": {**bulk, "triples_per_s": bulk["triples"] / bulk["seconds"]},  # type: ignore[operator]
        }
        row["kg_vs_ome_types"] = peer["seconds"] / kg["seconds"]  # type: ignore[operator]
        results.append(row)
        print(json.dumps(row, indent=1), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    doc = {
        "benchmark": "ingest_ome_xml",
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "results": results,
    }
    args.out.write_text(json.dumps(doc, indent=2))
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
