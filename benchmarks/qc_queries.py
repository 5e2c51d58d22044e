"""Batch-effect query latency at scale: 1M QC observations and 100k images in an on-disk store.

Generates, for ``--instruments`` facility instruments over ``--days`` days of daily QC:

- QC measurements written by the real code path (``qc.graph.measurement_quads``): every day a
  field-illumination run (2 channels) and a light-source power run (3 lasers); every week a PSF run
  (2 channels, 3 axes, 5 beads each as samples) and a chromatic run; every month a detector run.
  Each instrument drifts out of tolerance twice a year for ten days (PSF wider, uniformity lower,
  power down), so some images are acquired out of tolerance;
- images as the OME mapping writes them (``ome:Image`` with ``ome:acquisition_date``,
  ``ome:instrument`` -> ``ome:Instrument`` -> ``ome:Microscope`` with a serial number; pixels;
  plates, wells, well samples), in acquisition sessions: one plate of 50 images a day;

bulk-loads the N-Quads with pyoxigraph, calls ``optimize()``, sets baselines, recomputes the
QC state (timed: all instruments, and one instrument as after a new measurement), then runs every
shipped query (``qc/queries/*.rq``) three times without and with a parameter, with kg's default
result cap, and records the median latency in ``benchmarks/results/qc_queries.json``.

    python benchmarks/qc_queries.py                       # 1M observations, 100k images
    python benchmarks/qc_queries.py --observations 20000 --images 2000 --instruments 4   # quick
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import platform
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.config import Settings  # noqa: E402
from kg.namespaces import BKG, DCT, OME, RDF, XSD  # noqa: E402
from kg.store import EmbeddedStore  # noqa: E402
from qc.baseline import Baseline, write_baselines  # noqa: E402
from qc.graph import QcIris, ensure_vocabulary, measurement_quads, store_measurement  # noqa: E402
from qc.instruments import InstrumentSpec, save_instrument  # noqa: E402
from qc.model import MetricResult, MetricValue, Rejected  # noqa: E402
from qc.queries import load_queries, run  # noqa: E402
from qc.state import recompute  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "qc_queries.json"
START = dt.datetime(2020, 1, 6, 7, 0)
BASE = {"psf_fwhm": (0.24, 0.006), "psf_fwhm_z": (0.72, 0.02), "fi_uniformity": (88.0, 1.0),
        "fi_corner_centre_ratio": (0.82, 0.01), "fi_centre_offset": (1.5, 0.4), "power_mean": (12.0, 0.15),
        "power_cv": (0.6, 0.1), "power_drift": (0.0, 0.2), "chrom_shift": (0.05, 0.01),
        "det_offset": (100.0, 0.5), "det_read_noise": (1.6, 0.05), "det_snr": (40.0, 1.0)}  # fmt: skip


def drifting(day: int) -> float:
    """0 normally; rising to 1 over ten days twice a year (the instrument degrades, then is fixed)."""
    phase = day % 182
    return min(1.0, (phase - 90) / 5) if 90 <= phase < 100 else 0.0


def g(rng: random.Random, key: str, bad: float = 0.0, worse: float = 0.0) -> float:
    mean, sd = BASE[key]
    return rng.gauss(mean, sd) + bad * worse


def runs_for(rng: random.Random, iid: str, day: int) -> list[MetricResult]:
    t = START + dt.timedelta(days=day, minutes=rng.randint(0, 59))
    bad = drifting(day)
    out = []

    def res(
        kind: str, name: str, values: list[MetricValue], rejected: list[Rejected] | None = None
    ) -> MetricResult:
        return MetricResult(
            kind,
            f"/qc-data/{iid}/{t:%Y/%m/%d}/{name}",
            values=values,
            rejected=rejected or [],  # type: ignore[arg-type]
            software="bioimage-kg",
            software_version="0.1.0",
            result_time=t,
        )

    fi = []
    for ch in (0, 1):
        fi += [
            MetricValue("fi_uniformity", g(rng, "fi_uniformity", bad, -8), "%", channel=ch),
            MetricValue(
                "fi_corner_centre_ratio", g(rng, "fi_corner_centre_ratio", bad, -0.1), "1", channel=ch
            ),
            MetricValue("fi_centre_offset_x", rng.gauss(1.0, 0.3), "µm", channel=ch),
            MetricValue("fi_centre_offset_y", rng.gauss(1.0, 0.3), "µm", channel=ch),
            MetricValue("fi_centre_offset", g(rng, "fi_centre_offset", bad, 3), "µm", channel=ch),
        ]
    out.append(res("field-illumination", "flat.ome.tiff", fi))
    pw = []
    for laser in ("405 nm", "488 nm", "561 nm"):
        pw += [
            MetricValue("power_mean", g(rng, "power_mean", bad, -2), "mW", item=laser),
            MetricValue("power_cv", abs(g(rng, "power_cv", bad, 2)), "%", item=laser),
            MetricValue("power_drift", g(rng, "power_drift", bad, -1.5), "%/h", item=laser),
        ]
    out.append(res("power-stability", "power.csv", pw))
    if day % 7 == 0:
        psf = []
        for ch in (0, 1):
            for axis, key in (("x", "psf_fwhm"), ("y", "psf_fwhm"), ("z", "psf_fwhm_z")):
                v = g(rng, key, bad, 0.09 if axis != "z" else 0.3)
                psf.append(MetricValue(f"psf_fwhm_{axis}", v, "µm", channel=ch, uncertainty=0.003))
                psf += [
                    MetricValue(
                        f"psf_fwhm_{axis}", v + rng.gauss(0, 0.004), "µm", channel=ch, item=f"bead-{b}"
                    )
                    for b in range(1, 6)
                ]
            psf += [
                MetricValue("psf_bead_count", 5, "1", channel=ch),
                MetricValue("psf_rejected_count", 1, "1", channel=ch),
            ]
        out.append(res("psf", "beads.ome.tiff", psf, [Rejected("bead-6", "too close to the image edge")]))
        chrom = [
            MetricValue(f"chrom_shift{a}", g(rng, "chrom_shift"), "µm", channel=1, item="vs-ch0")
            for a in ("_x", "_y", "_z", "")
        ]
        out.append(res("chromatic", "tetraspeck.ome.tiff", chrom))
    if day % 30 == 0:
        out.append(
            res(
                "detector",
                "dark.ome.tiff",
                [
                    MetricValue(k, g(rng, k), "ADU" if k != "det_snr" else "1")
                    for k in ("det_offset", "det_read_noise", "det_snr")
                ],
            )
        )
    return out


def ome_nquads(fh, iid: str, serial: str, day: int, n_images: int, rng: random.Random, base: str) -> int:
    """One acquisition session as the OME mapping writes it: one source graph, one plate."""
    src = f"{base}source/session-{iid}-{day:05d}"
    gname = f"<{src}>"
    lines = []

    def add(s: str, p: str, o: str) -> None:
        lines.append(f"{s} <{p}> {o} {gname} .\n")

    def lit(v: str, t: str | None = None) -> str:
        return f'"{v}"' + (f"^^<{XSD}{t}>" if t else "")

    add(gname, RDF + "type", f"<{BKG}Source>")
    add(gname, DCT + "source", f"<file:///data/{iid}/session-{day:05d}.ome.xml>")
    inst, mic = f"<{src}/Instrument/Instrument:0>", f"<{src}/Instrument/Instrument:0/microscope>"
    add(inst, RDF + "type", f"<{OME}Instrument>")
    add(inst, OME + "microscope", mic)
    add(mic, RDF + "type", f"<{OME}Microscope>")
    add(mic, OME + "manufacturer", lit("Zeiss"))
    add(mic, OME + "model", lit("LSM 980"))
    add(mic, OME + "serial_number", lit(serial))
    plate = f"<{src}/Plate/Plate:0>"
    add(plate, RDF + "type", f"<{OME}Plate>")
    add(plate, OME + "name", lit(f"{iid} plate {day}"))
    t0 = START + dt.timedelta(days=day, hours=9)
    for i in range(n_images):
        img, px = f"<{src}/Image/Image:{i}>", f"<{src}/Image/Image:{i}/pixels>"
        well, ws = f"<{src}/Well/Well:{i}>", f"<{src}/Well/Well:{i}/well_sample/0>"
        add(img, RDF + "type", f"<{OME}Image>")
        add(img, OME + "name", lit(f"field {i}"))
        add(img, OME + "acquisition_date", lit((t0 + dt.timedelta(minutes=3 * i)).isoformat(), "dateTime"))
        add(img, OME + "instrument", inst)
        add(img, OME + "pixels", px)
        add(px, RDF + "type", f"<{OME}Pixels>")
        add(px, OME + "size_x", lit("2048", "integer"))
        add(px, OME + "size_c", lit("2", "integer"))
        add(plate, OME + "well", well)
        add(well, RDF + "type", f"<{OME}Well>")
        add(well, OME + "well_sample", ws)
        add(ws, OME + "image", img)
    fh.write("".join(lines))
    return len(lines)


def generate(path: Path, *, observations: int, images: int, instruments: int, base: str) -> dict[str, int]:
    rng = random.Random(42)
    iris = QcIris(base)
    ids = [f"confocal-{i + 1}" for i in range(instruments)]
    obs_per_inst = math.ceil(observations / instruments)
    per_session = 50
    counts = {"observations": 0, "measurements": 0, "images": 0, "quads": 0}
    t0 = time.perf_counter()
    with path.open("w", encoding="utf-8") as fh:
        for n, iid in enumerate(ids):
            day, made = 0, 0
            serial = f"SN-{n + 1:04d}"
            imgs_left = images // instruments + (1 if n < images % instruments else 0)
            est_days = obs_per_inst / (19 + 44 / 7 + 3 / 30)  # observations a day, on average
            every = max(1, int(est_days / max(1, math.ceil(imgs_left / per_session))))
            while made < obs_per_inst and counts["observations"] < observations:
                for r in runs_for(rng, iid, day):
                    r.values = r.values[: observations - counts["observations"]]
                    if not r.values:
                        break
                    m = measurement_quads(r, iid, iris, now=START)
                    fh.write(ox.serialize(m.quads, format=ox.RdfFormat.N_QUADS).decode("utf-8"))
                    counts["quads"] += len(m.quads)
                    counts["observations"] += m.observations
                    counts["measurements"] += 1
                    made += m.observations
                if imgs_left > 0 and day % every == 1 % every:  # plates spread over the QC period
                    k = min(per_session, imgs_left)
                    counts["quads"] += ome_nquads(fh, iid, serial, day, k, rng, base)
                    counts["images"] += k
                    imgs_left -= k
                day += 1
            while imgs_left > 0:  # more images than QC days: keep acquiring after the last QC
                k = min(per_session, imgs_left)
                counts["quads"] += ome_nquads(fh, iid, serial, day, k, rng, base)
                counts["images"] += k
                imgs_left -= k
                day += 1
            print(
                f"  {iid}: {day} days, {counts['observations']:,} observations so far "
                f"({time.perf_counter() - t0:.0f} s)",
                flush=True,
            )
    counts["days"] = day
    return counts


def median_time(fn, repeat: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def state_timings(store: EmbeddedStore, iris: QcIris, result: dict[str, object]) -> None:
    """Recompute the QC state of every instrument, then of one after a new day of QC (timed)."""
    print("recomputing QC state for all instruments ...", flush=True)
    t = time.perf_counter()
    rep = recompute(store, iris)
    full_s = time.perf_counter() - t
    statuses: dict[str, int] = {}
    for st in rep.instruments:
        for k, v in st.image_status.items():
            statuses[k] = statuses.get(k, 0) + v
    result["state"] = {
        "all_instruments_s": round(full_s, 2),
        "quads": sum(st.quads for st in rep.instruments),
        "series_points": sum(st.points for st in rep.instruments),
        "states": sum(st.states for st in rep.instruments),
        "intervals": sum(st.intervals for st in rep.instruments),
        "batches": sum(st.batches for st in rep.instruments),
        "image_status": statuses,
        "compute_s_per_instrument_median": round(statistics.median(st.seconds for st in rep.instruments), 3),
    }
    # a new day of QC on one instrument, as `kg qc measure` or `import` would store it; its
    # state is then recomputed and written by difference (one transaction)
    for r in runs_for(random.Random(7), "confocal-1", 2000):
        store_measurement(store, measurement_quads(r, "confocal-1", iris))
    t = time.perf_counter()
    recompute(store, iris, ["confocal-1"])
    result["state"]["one_instrument_s"] = round(time.perf_counter() - t, 2)  # type: ignore[index]
    print(f"  {result['state']}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--observations", type=int, default=1_000_000)
    ap.add_argument("--images", type=int, default=100_000)
    ap.add_argument("--instruments", type=int, default=20)
    ap.add_argument("--store", type=Path, help="store directory (default: a temporary one, removed after)")
    ap.add_argument("--output", type=Path, default=RESULTS)
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="use the store a previous run left at --store (skip generating and loading)",
    )
    ap.add_argument(
        "--queries-only",
        action="store_true",
        help="with --reuse: keep the previous run's instruments, baselines and QC state; time the queries",
    )
    args = ap.parse_args()
    if args.reuse and not (args.store and args.store.is_dir()):
        ap.error("--reuse needs --store pointing at a store a previous run built")
    if args.queries_only and not args.reuse:
        ap.error("--queries-only needs --reuse")

    tmp = Path(tempfile.mkdtemp(prefix="kg-qc-bench-"))
    store_dir = args.store or tmp / "store"
    settings = Settings(store_path=store_dir)
    iris = QcIris(settings.base_iri)
    result: dict[str, object] = {
        "benchmark": "qc_queries",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "pyoxigraph": ox.__version__,
            "cpus": __import__("os").cpu_count(),
        },
        "parameters": {
            "observations": args.observations,
            "images": args.images,
            "instruments": args.instruments,
        },
    }
    try:
        if args.reuse:
            result["generated"] = result["load"] = "reused from a previous run (--reuse)"
        else:
            nq = tmp / "data.nq"
            print(
                f"generating {args.observations:,} QC observations and {args.images:,} images ...", flush=True
            )
            t = time.perf_counter()
            counts = generate(
                nq,
                observations=args.observations,
                images=args.images,
                instruments=args.instruments,
                base=settings.base_iri,
            )
            result["generated"] = {
                **counts,
                "seconds": round(time.perf_counter() - t, 1),
                "bytes": nq.stat().st_size,
            }
            print(f"  {counts} in {result['generated']['seconds']} s", flush=True)  # type: ignore[index]

            print("bulk loading ...", flush=True)
            raw = ox.Store(str(store_dir))
            t = time.perf_counter()
            raw.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
            load_s = time.perf_counter() - t
            t = time.perf_counter()
            raw.optimize()
            opt_s = time.perf_counter() - t
            del raw
            nq.unlink()
            size = sum(p.stat().st_size for p in store_dir.rglob("*") if p.is_file())
            result["load"] = {
                "bulk_load_s": round(load_s, 1),
                "optimize_s": round(opt_s, 1),
                "store_bytes": size,
                "quads_per_s": round(counts["quads"] / load_s),
            }
            print(f"  {result['load']}", flush=True)

        store = EmbeddedStore(store_dir)
        ensure_vocabulary(store)
        for n in range(0 if args.queries_only else args.instruments):
            iid = f"confocal-{n + 1}"
            save_instrument(
                store,
                iris,
                InstrumentSpec(iid, f"LSM 980 #{n + 1}", "Zeiss", "LSM 980", f"SN-{n + 1:04d}", 14),
            )
            write_baselines(
                store,
                iris,
                [
                    Baseline(iid, "psf_fwhm_x", 0.24, "µm", tolerance_rel=0.15),
                    Baseline(iid, "psf_fwhm_y", 0.24, "µm", tolerance_rel=0.15),
                    Baseline(iid, "psf_fwhm_z", 0.72, "µm", tolerance_rel=0.15),
                    Baseline(iid, "fi_uniformity", 88.0, "%", tolerance_abs=4.0),
                    Baseline(iid, "power_mean", 12.0, "mW", tolerance_rel=0.08),
                    Baseline(iid, "det_read_noise", 1.6, "ADU", tolerance_abs=0.25),
                ],
            )

        if args.queries_only:  # the store as the previous run left it (optimized then)
            result["state"] = "kept from a previous run (--queries-only)"
        else:
            state_timings(store, iris, result)
            store.optimize()

        cap = settings.result_cap
        timings = []
        for name, q in load_queries().items():
            names = {p.name for p in q.params}
            variants: list[dict[str, str]] = [{}]
            if "instrument" in names:
                variants.append({"instrument": "confocal-1"})
            if "metric" in names:
                variants.append({"metric": "psf_fwhm_x"})
            if "image" in names:  # a query about one image
                img = f"{settings.base_iri}source/session-confocal-1-00001/Image/Image:0"
                variants = [{"image": img}, {"image": img, "metric": "psf_fwhm_x"}]
            for params in variants:
                sec, res = median_time(
                    lambda name=name, params=params: run(store, name, params, iris, cap=cap)
                )
                timings.append(
                    {
                        "query": name,
                        "params": params,
                        "median_s": round(sec, 3),
                        "rows": len(res.rows),
                        "truncated": res.truncated,
                        "under_1s": sec < 1.0,
                    }
                )  # type: ignore[union-attr]
                print(
                    f"  {name} {params}: {sec:.3f} s, {len(res.rows)} rows{' (capped)' if res.truncated else ''}",  # type: ignore[union-attr]
                    flush=True,
                )
        result["queries"] = timings
        result["all_queries_under_1s"] = all(t["under_1s"] for t in timings)
        result["result_cap"] = cap
        result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        store.close()
    finally:
        if args.store is None:
            shutil.rmtree(tmp, ignore_errors=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"results written to {args.output}")


if __name__ == "__main__":
    main()
