"""Term search benchmark: load the whole ontology mirror, then run 1,000 realistic queries
through bioimage-kg's local index and, in the same run, through pronto and oaklib's
``simpleobo:`` adapter on the mirror's OBO files (never the network).

Usage (needs ../shared/ontologies and the ``bench`` extra: pronto, oaklib)::

    python benchmarks/term_search.py [--mirror ../shared/ontologies] [--queries 1000]
                                     [--peers pronto,oaklib | --skip-peers] [--passes 3]
                                     [--peer-budget-s 300] [--out benchmarks/results/term_search.json]

A quick run: ``--peers pronto`` (about a minute), ``--skip-peers`` (ours alone, about 20 s).
oaklib answers a query in about a second: it is stopped by its budget, after one pass.

What is measured:
- load: ``fetch_ontologies`` of every ontology in the manifest from the mirror into a new
  on-disk store (checksums, parsing, bulk loading, catalogue), the term index (built and
  cached) and the subclass closure, in wall-clock and CPU seconds; and re-opening the index
  from its cache.
- search latency per query (ours: the index as a later process has it, read from its cache),
  for ours and each peer alike: wall-clock (``perf_counter``) and CPU time of the thread
  (``thread_time``), p50/p99/max over all passes pooled, and each pass's p99; how often the
  term the query was made from is the first hit / among the first five (first pass).

Every engine is timed by the same loop: the same warm-up queries first (not counted), then the
queries one by one, with the garbage collector as users have it (enabled). A ``gc.callbacks``
hook measures the time of every collection that happens inside a query, so each engine's
report also gives its collections by generation and its CPU p99 with that time taken out
(``cpu_without_gc``); nothing is switched off for one engine and not the others. The passes
(``--passes``) alternate between the engines, so that a burst of load on this shared machine
falls on all of them alike rather than on whichever ran then; the load average (1 min) is
recorded at the start and end and around every pass. The wall-clock tail is mostly time spent
waiting for a core when the load is high: compare CPU times then.

Queries come from terms of the five ontologies the mirror also has as OBO files (FBbi, UO,
PATO, OBI, NCBITaxon), so that every engine can answer them: 30 % whole labels, 20 % synonyms,
15 % label prefixes, 20 % labels with one typo, 15 % CURIEs, drawn with a fixed seed. Ours
searches all 14 loaded ontologies (about 57k terms); the peers only the OBO files they can
parse (pronto cannot parse obi.obo: it scans about 5k terms, fewer than it would have to).

Peers, as people use them: pronto has no search, so each query scans the terms' names and
synonyms (exact, then starts-with) and looks CURIEs up by id; oaklib's ``basic_search`` with
label and synonym properties and partial matching, ``label()`` for CURIEs. Neither has fuzzy
matching. A peer that exceeds ``--peer-budget-s`` is stopped and its numbers say over how many
queries they were measured.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

OBO_IDS = ["fbbi", "uo", "pato", "obi", "ncbitaxon"]
# run through every engine before its timed loop (imports, first-call caches); not counted
WARM_UP = ["warm up", "cell", "FBbi:00000251", "micrometre", "confocal microscopy"]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))
    return s[k]


def summary(ms: list[float]) -> dict[str, float]:
    return {
        "n": len(ms),
        "p50_ms": round(pct(ms, 50), 3),
        "p99_ms": round(pct(ms, 99), 3),
        "mean_ms": round(statistics.fmean(ms), 3) if ms else float("nan"),
        "max_ms": round(max(ms), 3) if ms else float("nan"),
    }


def typo(text: str, rnd: random.Random) -> str:
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 4:
        return text + "s"
    i = rnd.choice(letters[1:])
    op = rnd.choice(["delete", "swap", "substitute", "insert"])
    if op == "delete":
        return text[:i] + text[i + 1 :]
    if op == "swap" and i + 1 < len(text):
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if op == "insert":
        return text[:i] + rnd.choice("aeiou") + text[i:]
    return text[:i] + rnd.choice([c for c in "aeioustnr" if c != text[i].lower()]) + text[i + 1 :]


def make_queries(index: Any, n: int, seed: int = 42) -> list[dict[str, str]]:
    rnd = random.Random(seed)
    rows = [r for r in index.rows if r[3] in OBO_IDS and not r[6] and len(r[2]) >= 3]
    with_syn = [r for r in rows if any(scope == "exact" for _t, scope in r[4])]
    plan = [("label", 0.30), ("synonym", 0.20), ("prefix", 0.15), ("typo", 0.20), ("curie", 0.15)]
    out: list[dict[str, str]] = []
    for kind, share in plan:
        for _ in range(round(n * share)):
            if kind == "synonym":
                r = rnd.choice(with_syn)
                text = rnd.choice([t for t, scope in r[4] if scope == "exact"])
            else:
                r = rnd.choice(rows)
                label = r[2]
                if kind == "label":
                    text = label
                elif kind == "prefix":
                    text = label[: max(4, min(len(label) - 1, rnd.randint(4, 9)))]
                elif kind == "typo":
                    text = typo(label, rnd)
                else:
                    text = r[1]
            out.append({"kind": kind, "text": text, "target": r[1], "ontology": r[3]})
    rnd.shuffle(out)
    return out[:n]


def score_hits(queries: list[dict[str, str]], results: list[list[str]]) -> dict[str, Any]:
    by_kind: dict[str, dict[str, int]] = {}
    for q, hits in zip(queries, results, strict=False):
        k = by_kind.setdefault(q["kind"], {"n": 0, "top1": 0, "top5": 0})
        k["n"] += 1
        k["top1"] += bool(hits) and hits[0] == q["target"]
        k["top5"] += q["target"] in hits[:5]
    total = {f: sum(v[f] for v in by_kind.values()) for f in ("n", "top1", "top5")}
    return {"overall": total, "by_kind": by_kind}


# -- peers -------------------------------------------------------------------------------------


def load_pronto(files: dict[str, Path]) -> tuple[dict[str, Any], Any]:
    import warnings

    import pronto

    t0 = time.perf_counter()
    onts, failed = {}, {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for k, p in files.items():
            try:
                onts[k] = pronto.Ontology(str(p))
            except Exception as exc:  # a file pronto cannot read is reported, and left out
                failed[k] = f"{type(exc).__name__}: {exc}"
    load_s = time.perf_counter() - t0
    # what a pronto user keeps at hand: (lower-cased name or synonym, id) for every term
    terms = []
    for o in onts.values():
        for t in o.terms():
            try:
                syns = [s.description for s in t.synonyms]
            except ValueError:  # "undeclared synonym type" (ncbitaxon): read the raw synonym data
                syns = [s.description for s in t._data().synonyms]
            names = [t.name or "", *syns]
            terms.append((t.id, [x.lower() for x in names if x]))

    def search(q: str) -> list[str]:
        if ":" in q and " " not in q:
            for o in onts.values():
                if q in o:
                    return [q]
        ql = q.lower()
        exact = [tid for tid, names in terms if ql in names]
        prefix = [tid for tid, names in terms if tid not in exact and any(n.startswith(ql) for n in names)]
        return (exact + prefix)[:10]

    n = sum(len(o.terms()) for o in onts.values())
    return {"engine": "pronto", "load_s": round(load_s, 2), "terms": n, "files_not_parsed": failed}, search


def load_oaklib(files: dict[str, Path]) -> tuple[dict[str, Any], Any]:
    import logging
    import warnings

    logging.disable(logging.WARNING)
    from oaklib import get_adapter
    from oaklib.datamodels.search import SearchConfiguration
    from oaklib.datamodels.search_datamodel import SearchProperty

    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        adapters = {k: get_adapter(f"simpleobo:{p}") for k, p in files.items()}
        n_terms = sum(len(list(a.entities())) for a in adapters.values())
    load_s = time.perf_counter() - t0
    cfg = SearchConfiguration(properties=[SearchProperty.LABEL, SearchProperty.ALIAS], is_partial=True)

    def search(q: str) -> list[str]:
        if ":" in q and " " not in q:
            for a in adapters.values():
                if a.label(q):
                    return [q]
        hits: list[str] = []
        for a in adapters.values():
            hits.extend(a.basic_search(q, config=cfg))
        return hits[:10]

    return {"engine": "oaklib simpleobo", "load_s": round(load_s, 2), "terms": n_terms}, search


class _GcClock:
    """CPU time spent in garbage collections (this thread's), and their count by generation."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.collections = [0, 0, 0]
        self._t = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._t = time.thread_time()
        else:
            self.seconds += time.thread_time() - self._t
            self.collections[info["generation"]] += 1


def time_pass(search: Any, queries: list[dict[str, str]], budget: float) -> dict[str, Any]:
    """One timed pass over the queries, the same loop for every engine (module docstring)."""
    for text in WARM_UP:
        search(text)
    clock = _GcClock()
    out: dict[str, Any] = {"wall": [], "cpu": [], "gc": [], "hits": []}
    load_before = os.getloadavg()[0]
    gc.callbacks.append(clock)
    try:
        start = time.perf_counter()
        for q in queries:
            g = clock.seconds
            c = time.thread_time()
            t = time.perf_counter()
            hits = search(q["text"])
            out["wall"].append((time.perf_counter() - t) * 1000)
            out["cpu"].append((time.thread_time() - c) * 1000)
            out["gc"].append((clock.seconds - g) * 1000)
            out["hits"].append(hits)
            if time.perf_counter() - start > budget:
                break
    finally:
        gc.callbacks.remove(clock)
    out["collections"] = clock.collections
    out["load"] = (round(load_before, 2), round(os.getloadavg()[0], 2))
    return out


def summarise(passes: list[dict[str, Any]], queries: list[dict[str, str]]) -> dict[str, Any]:
    """Latency over all passes pooled; quality from the first pass; each pass's p99 apart."""
    wall = [x for p in passes for x in p["wall"]]
    cpu = [x for p in passes for x in p["cpu"]]
    gc_ms = [x for p in passes for x in p["gc"]]
    kinds = [q["kind"] for p in passes for q in queries[: len(p["wall"])]]
    first = passes[0]
    n = len(first["wall"])
    return {
        "passes": len(passes),
        "latency": summary(wall),
        "cpu": summary(cpu),
        "cpu_without_gc": summary([c - g for c, g in zip(cpu, gc_ms, strict=True)]),
        "per_pass": [
            {
                "n": len(p["wall"]),
                "wall_p99_ms": round(pct(p["wall"], 99), 3),
                "cpu_p99_ms": round(pct(p["cpu"], 99), 3),
                "cpu_max_ms": round(max(p["cpu"]), 3),
                "gc_collections_by_generation": p["collections"],
                "load_average_1min_before_after": p["load"],
            }
            for p in passes
        ],
        "gc_cpu_ms_in_queries": round(sum(gc_ms), 3),
        "complete": n == len(queries),
        "by_kind": {
            k: {
                "wall_p99_ms": round(pct([t for t, kk in zip(wall, kinds, strict=True) if kk == k], 99), 3),
                "cpu_p99_ms": round(pct([c for c, kk in zip(cpu, kinds, strict=True) if kk == k], 99), 3),
            }
            for k in sorted(set(kinds))
        },
        "quality": score_hits(queries[:n], first["hits"]),
    }


# -- ours --------------------------------------------------------------------------------------


def run_ours(mirror: Path, workdir: Path, n_queries: int) -> tuple[dict[str, Any], list[dict[str, str]], Any]:
    from kg.ontology.fetch import fetch_ontologies
    from kg.ontology.hierarchy import ensure_closure
    from kg.ontology.index import TermIndex, default_cache_path, extracts_dir
    from kg.store import EmbeddedStore

    path = workdir / "store"
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    c0 = time.process_time()  # every thread of the process: the bulk loader has its own
    store = EmbeddedStore(path)
    cache = default_cache_path(path)
    report = fetch_ontologies(store, source=str(mirror), extracts=extracts_dir(cache))
    t_fetch = time.perf_counter() - t0
    if not report.ok:
        raise SystemExit("fetch failed: " + "; ".join(str(o.error) for o in report.outcomes if o.error))
    index = TermIndex.open(store, cache)
    t_index = time.perf_counter() - t0 - t_fetch
    closure = ensure_closure(store, parents=index.parents)
    t_total = time.perf_counter() - t0
    cpu_total = time.process_time() - c0
    load_after = os.getloadavg()[0]
    triples = sum(o.triples for o in report.outcomes)
    t1 = time.perf_counter()
    reopened = TermIndex.open(store, cache)
    t_reopen = time.perf_counter() - t1
    assert reopened.report is not None and reopened.report.from_cache
    # searched as every later process (kg serve, kg terms) has it: read from the cache; the copy
    # built during the load is dropped (a process holds one index)
    n_terms = len(index)
    del index
    queries = make_queries(reopened, n_queries)

    def search(text: str) -> list[str]:
        return [h.term.curie for h in reopened.search(text, limit=10).hits]

    store.close()
    ours = {
        "engine": "bioimage-kg TermIndex",
        "load": {
            "ontologies": len(report.outcomes),
            "triples": triples,
            "terms": n_terms,
            "fetch_s": round(t_fetch, 2),
            "index_build_s": round(t_index, 2),
            "closure_s": round(closure.seconds, 2) if closure else 0.0,
            "closure_pairs": closure.pairs if closure else 0,
            "total_s": round(t_total, 2),
            "total_cpu_s": round(cpu_total, 2),
            "load_average_1min": {"before": round(load_before, 2), "after": round(load_after, 2)},
            "index_reopen_from_cache_s": round(t_reopen, 3),
            "per_ontology_s": {o.id: round(o.seconds, 2) for o in report.outcomes},
        },
    }
    return ours, queries, search


def _ratio(peer: float | None, ours: float) -> float | None:
    return round(peer / ours, 1) if peer and ours > 0 else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--mirror",
        type=Path,
        default=Path(os.environ.get("KG_SHARED", REPO.parent / "shared")) / "ontologies",
    )
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--peers", default="pronto,oaklib", help="comma list of pronto, oaklib; or none")
    ap.add_argument("--passes", type=int, default=3, help="timed passes per engine (alternating)")
    ap.add_argument("--peer-budget-s", type=float, default=300.0)
    ap.add_argument("--skip-peers", action="store_true", help="the same as --peers none")
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "term_search.json")
    args = ap.parse_args()
    if not (args.mirror / "manifest.json").is_file():
        raise SystemExit(f"no ontology mirror at {args.mirror}")
    loaders = {"pronto": load_pronto, "oaklib": load_oaklib}
    wanted = [] if args.skip_peers or args.peers == "none" else [x for x in args.peers.split(",") if x]
    if unknown := set(wanted) - set(loaders):
        raise SystemExit(f"unknown peers: {', '.join(sorted(unknown))} (known: pronto, oaklib)")
    load_at_start = os.getloadavg()

    with tempfile.TemporaryDirectory(prefix="kg-bench-terms-") as tmp:
        ours, queries, our_search = run_ours(args.mirror, Path(tmp), args.queries)
    print(f"ours: load {ours['load']['total_s']} s", flush=True)
    files = {
        k: args.mirror / "native" / f"{'ncbitaxon-slim' if k == 'ncbitaxon' else k}.obo" for k in OBO_IDS
    }
    engines: list[tuple[dict[str, Any], Any, float]] = [(ours, our_search, float("inf"))]
    peers: list[dict[str, Any]] = []
    for name in wanted:
        try:
            meta, search = loaders[name](files)
        except ImportError as exc:
            peers.append({"engine": name, "error": f"not installed: {exc}"})
            continue
        peers.append(meta)
        engines.append((meta, search, args.peer_budget_s))
    # the passes alternate between the engines, so that each sees the machine as the others do;
    # an engine stopped by its budget in its first pass runs no more passes
    passes: dict[str, list[dict[str, Any]]] = {meta["engine"]: [] for meta, _, _ in engines}
    for i in range(args.passes):
        for meta, search, budget in engines:
            done = passes[meta["engine"]]
            if i == 0 or len(done[0]["wall"]) == len(queries):
                done.append(time_pass(search, queries, budget))
                print(f"  pass {i + 1}: {meta['engine']}", flush=True)
    for meta, _, _ in engines:
        meta.update(summarise(passes[meta["engine"]], queries))
    measured = [p for p in peers if "latency" in p]

    def best(part: str, stat: str) -> float | None:
        return min((p[part][stat] for p in measured), default=None)

    speedup = {
        f"{part}_{stat.removesuffix('_ms')}": _ratio(best(part, stat), ours[part][stat])
        for part in ("latency", "cpu")
        for stat in ("p50_ms", "p99_ms")
    }
    doc = {
        "benchmark": "term_search",
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_average_at_start": load_at_start,
            "load_average_at_end": os.getloadavg(),
        },
        "queries": {
            "n": len(queries),
            "kinds": {k: sum(q["kind"] == k for q in queries) for k in sorted({q["kind"] for q in queries})},
            "warm_up": WARM_UP,
            "passes": args.passes,
        },
        "ours": ours,
        "peers": peers,
        "speedup_vs_best_peer": speedup,  # latency_* is wall-clock, cpu_* the thread's CPU time
        "targets": {
            "p99_under_20ms_wall": ours["latency"]["p99_ms"] < 20,
            "p99_under_20ms_cpu": ours["cpu"]["p99_ms"] < 20,
            "load_under_30s": ours["load"]["total_s"] < 30,
            "10x_best_peer_p99_wall": (speedup["latency_p99"] or 0) >= 10,
            "10x_best_peer_p99_cpu": (speedup["cpu_p99"] or 0) >= 10,
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2) + "\n")

    ld = ours["load"]
    print(
        f"load: {ld['ontologies']} ontologies, {ld['triples']:,} triples, {ld['terms']:,} terms in "
        f"{ld['total_s']} s wall, {ld['total_cpu_s']} s CPU (fetch {ld['fetch_s']} s, index "
        f"{ld['index_build_s']} s, closure {ld['closure_s']} s); index from cache "
        f"{ld['index_reopen_from_cache_s']} s; load average {ld['load_average_1min']}"
    )
    head = ["engine", "n", "p50", "p99", "max", "cpu p50", "cpu p99", "cpu max", "-gc p99", "top1", "top5"]
    print(
        f"{head[0]:22}" + "".join(f"{h:>9}" for h in head[1:]) + "   cpu p99 per pass (ms; wall unless cpu)"
    )
    for e in [ours, *measured]:
        lat, cpu, qual = e["latency"], e["cpu"], e["quality"]["overall"]
        nums = [lat["p50_ms"], lat["p99_ms"], lat["max_ms"], cpu["p50_ms"], cpu["p99_ms"], cpu["max_ms"]]
        print(
            f"{e['engine']:22}{lat['n']:9d}"
            + "".join(f"{x:9.3f}" for x in [*nums, e["cpu_without_gc"]["p99_ms"]])
            + f"{qual['top1'] / qual['n']:9.1%}{qual['top5'] / qual['n']:9.1%}"
            + f"   {[x['cpu_p99_ms'] for x in e['per_pass']]}"
        )
    print(f"load average at start {load_at_start}, at the end {os.getloadavg()}, on {os.cpu_count()} cores")
    for p in peers:
        if "error" in p:
            print(f"{p['engine']}: {p['error']}")
    print(f"speedup vs best peer: {speedup}")
    print(f"targets: {doc['targets']}  -> {args.out}")


if __name__ == "__main__":
    main()
