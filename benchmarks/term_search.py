"""Term search benchmark: load the whole ontology mirror, then run 1,000 realistic queries
through bioimage-kg's local index and, in the same run, through pronto and oaklib's
``simpleobo:`` adapter on the mirror's OBO files (never the network).

Usage (needs ../shared/ontologies and the ``bench`` extra: pronto, oaklib)::

    python benchmarks/term_search.py [--mirror ../shared/ontologies] [--queries 1000]
                                     [--peer-budget-s 300] [--out benchmarks/results/term_search.json]

What is measured:
- load: ``fetch_ontologies`` of every ontology in the manifest from the mirror into a new
  on-disk store (checksums, parsing, bulk loading, catalogue), the term index (built and
  cached) and the subclass closure; and re-opening the index from its cache.
- search latency per query, p50/p99/mean, for ours and each peer, and how often the term the
  query was made from is the first hit / among the first five.

Queries come from terms of the five ontologies the mirror also has as OBO files (FBbi, UO,
PATO, OBI, NCBITaxon), so that every engine can answer them: 30 % whole labels, 20 % synonyms,
15 % label prefixes, 20 % labels with one typo, 15 % CURIEs, drawn with a fixed seed. Ours
searches all 14 loaded ontologies (about 57k terms); the peers only those five files.

Peers, as people use them: pronto has no search, so each query scans the terms' names and
synonyms (exact, then starts-with) and looks CURIEs up by id; oaklib's ``basic_search`` with
label and synonym properties and partial matching, ``label()`` for CURIEs. Neither has fuzzy
matching. A peer that exceeds ``--peer-budget-s`` is stopped and its numbers say over how many
queries they were measured.
"""

from __future__ import annotations

import argparse
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


def run_pronto(files: dict[str, Path], queries: list[dict[str, str]], budget: float) -> dict[str, Any]:
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

    out = _time_peer("pronto", search, queries, budget, load_s, sum(len(o.terms()) for o in onts.values()))
    out["files_not_parsed"] = failed
    return out


def run_oaklib(files: dict[str, Path], queries: list[dict[str, str]], budget: float) -> dict[str, Any]:
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

    return _time_peer("oaklib simpleobo", search, queries, budget, load_s, n_terms)


def _time_peer(name: str, search: Any, queries: list[dict[str, str]], budget: float, load_s: float, n: int):  # type: ignore[no-untyped-def]
    times: list[float] = []
    cpu: list[float] = []
    results: list[list[str]] = []
    start = time.perf_counter()
    for q in queries:
        c = time.thread_time()
        t = time.perf_counter()
        results.append(search(q["text"]))
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
        if time.perf_counter() - start > budget:
            break
    return {
        "engine": name,
        "load_s": round(load_s, 2),
        "terms": n,
        "latency": summary(times),
        "cpu": summary(cpu),
        "complete": len(times) == len(queries),
        "quality": score_hits(queries[: len(results)], results),
    }


# -- ours --------------------------------------------------------------------------------------


def run_ours(mirror: Path, workdir: Path, n_queries: int) -> tuple[dict[str, Any], list[dict[str, str]]]:
    from kg.ontology.fetch import fetch_ontologies
    from kg.ontology.hierarchy import ensure_closure
    from kg.ontology.index import TermIndex, default_cache_path, extracts_dir
    from kg.store import EmbeddedStore

    path = workdir / "store"
    t0 = time.perf_counter()
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
    triples = sum(o.triples for o in report.outcomes)
    t1 = time.perf_counter()
    reopened = TermIndex.open(store, cache)
    t_reopen = time.perf_counter() - t1
    assert reopened.report is not None and reopened.report.from_cache

    queries = make_queries(index, n_queries)
    index.search("warm up")  # imports rapidfuzz
    times, cpu, results = [], [], []
    for q in queries:
        c = time.thread_time()
        t = time.perf_counter()
        hits = index.search(q["text"], limit=10).hits
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
        results.append([h.term.curie for h in hits])
    store.close()
    ours = {
        "engine": "bioimage-kg TermIndex",
        "load": {
            "ontologies": len(report.outcomes),
            "triples": triples,
            "terms": len(index),
            "fetch_s": round(t_fetch, 2),
            "index_build_s": round(t_index, 2),
            "closure_s": round(closure.seconds, 2) if closure else 0.0,
            "closure_pairs": closure.pairs if closure else 0,
            "total_s": round(t_total, 2),
            "index_reopen_from_cache_s": round(t_reopen, 3),
            "per_ontology_s": {o.id: round(o.seconds, 2) for o in report.outcomes},
        },
        "latency": summary(times),
        "cpu": summary(cpu),
        "by_kind_p99_ms": {
            k: round(pct([t for t, q in zip(times, queries, strict=True) if q["kind"] == k], 99), 3)
            for k in sorted({q["kind"] for q in queries})
        },
        "quality": score_hits(queries, results),
    }
    return ours, queries


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--mirror",
        type=Path,
        default=Path(os.environ.get("KG_SHARED", REPO.parent / "shared")) / "ontologies",
    )
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--peer-budget-s", type=float, default=300.0)
    ap.add_argument("--skip-peers", action="store_true")
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "term_search.json")
    args = ap.parse_args()
    if not (args.mirror / "manifest.json").is_file():
        raise SystemExit(f"no ontology mirror at {args.mirror}")

    with tempfile.TemporaryDirectory(prefix="kg-bench-terms-") as tmp:
        ours, queries = run_ours(args.mirror, Path(tmp), args.queries)
    print(f"ours: load {ours['load']['total_s']} s, search {ours['latency']}", flush=True)
    files = {
        k: args.mirror / "native" / f"{'ncbitaxon-slim' if k == 'ncbitaxon' else k}.obo" for k in OBO_IDS
    }
    peers = []
    if not args.skip_peers:
        for runner in (run_pronto, run_oaklib):
            try:
                peers.append(runner(files, queries, args.peer_budget_s))
            except ImportError as exc:
                peers.append(
                    {"engine": runner.__name__.removeprefix("run_"), "error": f"not installed: {exc}"}
                )
    measured = [p for p in peers if "latency" in p]
    best_p99 = min((p["latency"]["p99_ms"] for p in measured), default=None)
    best_p50 = min((p["latency"]["p50_ms"] for p in measured), default=None)
    best_cpu99 = min((p["cpu"]["p99_ms"] for p in measured), default=None)
    doc = {
        "benchmark": "term_search",
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_average_at_end": os.getloadavg(),
        },
        "queries": {
            "n": len(queries),
            "kinds": {k: sum(q["kind"] == k for q in queries) for k in {q["kind"] for q in queries}},
        },
        "ours": ours,
        "peers": peers,
        "speedup_vs_best_peer": {
            "p99": round(best_p99 / ours["latency"]["p99_ms"], 1) if best_p99 else None,
            "p50": round(best_p50 / ours["latency"]["p50_ms"], 1) if best_p50 else None,
            "cpu_p99": round(best_cpu99 / ours["cpu"]["p99_ms"], 1) if best_cpu99 else None,
        },
        "targets": {
            "p99_under_20ms": ours["latency"]["p99_ms"] < 20,
            "load_under_30s": ours["load"]["total_s"] < 30,
            "10x_best_peer": bool(best_p99) and best_p99 / ours["latency"]["p99_ms"] >= 10,
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2) + "\n")

    ld = ours["load"]
    print(
        f"load: {ld['ontologies']} ontologies, {ld['triples']:,} triples, {ld['terms']:,} terms in {ld['total_s']} s "
        f"(fetch {ld['fetch_s']} s, index {ld['index_build_s']} s, closure {ld['closure_s']} s); "
        f"index from cache {ld['index_reopen_from_cache_s']} s"
    )
    print(
        f"{'engine':24} {'n':>5} {'p50 ms':>9} {'p99 ms':>9} {'cpu p99':>9} {'mean ms':>9} {'top1':>6} {'top5':>6} {'load s':>7}"
    )
    for e in [ours, *measured]:
        lat, qual = e["latency"], e["quality"]["overall"]
        load = e["load"]["total_s"] if e is ours else e["load_s"]
        print(
            f"{e['engine']:24} {lat['n']:5d} {lat['p50_ms']:9.3f} {lat['p99_ms']:9.3f} {e['cpu']['p99_ms']:9.3f} "
            f"{lat['mean_ms']:9.3f} {qual['top1'] / qual['n']:6.1%} {qual['top5'] / qual['n']:6.1%} {load:7.2f}"
        )
    print(f"load average at the end: {os.getloadavg()} on {os.cpu_count()} cores")
    for p in peers:
        if "error" in p:
            print(f"{p['engine']}: {p['error']}")
    print(
        f"speedup vs best peer: p99 x{doc['speedup_vs_best_peer']['p99']}, p50 x{doc['speedup_vs_best_peer']['p50']}"
    )
    print(f"targets: {doc['targets']}  -> {args.out}")


if __name__ == "__main__":
    main()
