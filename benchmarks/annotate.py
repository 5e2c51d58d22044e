"""Annotation benchmark: load the whole ontology mirror, then suggest terms for 10,000 free-text
values (kg annotate's engine) and measure throughput, latency and how often the right term
comes first.

Usage (needs ../shared/ontologies)::

    python benchmarks/annotate.py [--mirror ../shared/ontologies] [--values 10000]
                                  [--store DIR]  # an already loaded store: skips the load
                                  [--out benchmarks/results/annotate.json]

The values: the project's gold set (tests/fixtures/gold_annotations.tsv, real values from IDR,
the BioImage Archive, OME-XML and OME-NGFF), plus values made from terms of the fields the
engine knows, the way people write them, with a fixed seed: the label as is, in other case,
a synonym, "Genus species (common name)" for organisms, a plural, a CamelCase OME-style
spelling, one typo; each under a key people use for that field ("Organism", "Study Organism",
"species", "Imaging Method"...). A tenth are free text under keys that name no field
("Comment: imaged on day 3"), which should find little. The term a value was made from is its
expected answer.

What is measured, on the on-disk store users have:
- load: fetch_ontologies of every ontology into a new store, and opening the term index;
- one value at a time (``Annotator.suggest``, no cache): values/s and p50/p99 latency;
- a batch with repeats as in real metadata (``Annotator.suggest_many``: each distinct
  (field, text) answered once), 10,000 values drawn from the same pool with a Zipf-like skew;
- the same with 1,000 reviewed decisions in the mapping memory;
- top-1 / top-3 accuracy on the generated values, and precision/recall on the gold set.
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

KEYS = {
    "organism": ["Organism", "Study Organism", "species", "organism"],
    "imaging_method": ["Imaging Method", "Screen Imaging Method", "imaging method", "microscopy"],
    "cell_type": ["Cell Type", "cell type"],
    "cell_line": ["Cell Line", "cell line"],
    "stain": ["Stain", "dye", "Channel content"],
    "unit": ["PhysicalSizeXUnit", "unit", "Units"],
    "anatomy": ["Tissue", "Organism Part", "organ"],
    "cellular_component": ["Subcellular localization", "organelle"],
    "sex": ["Sex"],
}
FREE_TEXT = [
    ("Comment", "imaged on day {n}"),
    ("Description", "replicate {n} of the knockdown series"),
    ("Notes", "plate {n} re-imaged after focus drift"),
    ("Operator", "user{n}"),
]


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q / 100 * (len(s) - 1))))] if s else float("nan")


def typo(text: str, rnd: random.Random) -> str:
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 5:
        return text
    i = rnd.choice(letters[1:-1])
    op = rnd.choice(["delete", "swap", "substitute"])
    if op == "delete":
        return text[:i] + text[i + 1 :]
    if op == "swap":
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + rnd.choice([c for c in "aeiou" if c != text[i].lower()]) + text[i + 1 :]


def field_terms(annotator: Any) -> dict[str, list[int]]:
    """Rows of the index that fit each field (non-obsolete, labelled)."""
    index = annotator.index
    fields = annotator.fields
    out: dict[str, list[int]] = {}
    for name in KEYS:
        f = fields.by_name(name)
        rows = [
            i
            for i, r in enumerate(index.rows)
            if not r[6] and set(f.ontologies) & set(r[9]) and annotator.checker.fits(r[0], f)
        ]
        out[name] = rows
    return out


def make_values(annotator: Any, n: int, seed: int = 7) -> list[dict[str, Any]]:
    """``n`` (key, text, expected IRI or None, form) dicts."""
    from kg.ontology.annotate import read_gold

    rnd = random.Random(seed)
    index = annotator.index
    pool = field_terms(annotator)
    values: list[dict[str, Any]] = []
    for g in read_gold(REPO / "tests" / "fixtures" / "gold_annotations.tsv"):
        values.append({"key": g.key, "text": g.text, "expected": list(g.expected), "form": "gold"})
    forms = ["label", "label", "lower", "synonym", "plural", "camel", "typo", "organism common"]
    while len(values) < n:
        if rnd.random() < 0.1:
            key, pattern = rnd.choice(FREE_TEXT)
            values.append(
                {
                    "key": key,
                    "text": pattern.format(n=rnd.randint(1, 500)),
                    "expected": None,
                    "form": "free text",
                }
            )
            continue
        field = rnd.choice(list(pool))
        if not pool[field]:
            continue
        row = index.rows[rnd.choice(pool[field])]
        iri, label, synonyms = row[0], row[2], [s for s, scope in row[4] if scope in ("exact", "symbol")]
        form = rnd.choice(forms)
        text = label
        if form == "lower":
            text = label.lower() if label != label.lower() else label.upper()
        elif form == "synonym" and synonyms:
            text = rnd.choice(synonyms)
        elif (
            form == "plural"
            and field in ("cell_type", "anatomy", "cellular_component")
            and not label.endswith("s")
        ):
            text = label + "s"
        elif form == "camel" and field == "imaging_method":
            text = "".join(w[:1].upper() + w[1:] for w in label.replace("-", " ").split())
        elif form == "typo":
            text = typo(label, rnd)
        elif form == "organism common" and field == "organism" and synonyms:
            text = f"{label} ({rnd.choice(synonyms)})"
        else:
            form = "label"
        values.append({"key": rnd.choice(KEYS[field]), "text": text, "expected": [iri], "form": form})
    rnd.shuffle(values)
    return values[:n]


def accuracy(results: list[Any], values: list[dict[str, Any]]) -> dict[str, Any]:
    per: dict[str, list[int]] = {}
    for res, v in zip(results, values, strict=True):
        if not v["expected"]:
            continue
        want = set(v["expected"])
        got = [s.term.iri for s in res.suggestions[:3]]
        t1 = int(bool(got) and got[0] in want)
        t3 = int(bool(want & set(got)))
        per.setdefault(v["form"], []).extend([t1 * 2 + t3])
    out: dict[str, Any] = {}
    allv = [x for xs in per.values() for x in xs]
    for form, xs in [*sorted(per.items()), ("all", allv)]:
        out[form] = {
            "n": len(xs),
            "top1": round(sum(1 for x in xs if x >= 2) / len(xs), 4),
            "top3": round(sum(1 for x in xs if x % 2 == 1) / len(xs), 4),
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--mirror",
        type=Path,
        default=Path(os.environ.get("KG_SHARED", REPO.parent / "shared")) / "ontologies",
    )
    ap.add_argument("--values", type=int, default=10_000)
    ap.add_argument("--store", type=Path, default=None, help="an already loaded store (skips the load)")
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "annotate.json")
    args = ap.parse_args()

    from kg import __version__
    from kg.ontology.annotate import Annotator, evaluate, read_gold
    from kg.ontology.fetch import fetch_ontologies
    from kg.ontology.fields import default_fields
    from kg.ontology.index import TermIndex, default_cache_path, extracts_dir
    from kg.ontology.memory import Decision, MappingMemory
    from kg.store import EmbeddedStore

    result: dict[str, Any] = {
        "benchmark": "annotate",
        "kg": __version__,
        "python": platform.python_version(),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
    }
    tmp = tempfile.TemporaryDirectory(prefix="kg-annotate-bench-")
    path = args.store or Path(tmp.name) / "store"
    store = EmbeddedStore(path)
    cache = default_cache_path(path)
    if args.store is None:
        if not (args.mirror / "manifest.json").is_file():
            sys.exit(f"the ontology mirror is absent ({args.mirror}); pass --mirror")
        t0 = time.perf_counter()
        rep = fetch_ontologies(store, source=str(args.mirror), extracts=extracts_dir(cache))
        if not rep.ok:
            sys.exit(f"loading failed: {[o.error for o in rep.outcomes if o.error]}")
        result["load_s"] = round(time.perf_counter() - t0, 2)
        result["load_triples"] = sum(o.triples for o in rep.outcomes)
        store.optimize()
    t0 = time.perf_counter()
    index = TermIndex.open(store, cache)
    result["index_open_s"] = round(time.perf_counter() - t0, 2)
    result["terms"] = len(index)
    result["ontologies"] = dict(index.ontologies)

    fields = default_fields()
    memory = MappingMemory(store, "http://localhost:8000/id/", fields)
    annotator = Annotator(index, memory, fields)
    t0 = time.perf_counter()
    values = make_values(annotator, args.values)
    result["values"] = {"n": len(values), "made_in_s": round(time.perf_counter() - t0, 2),
                        "forms": {f: sum(1 for v in values if v["form"] == f) for f in sorted({v["form"] for v in values})}}  # fmt: skip
    annotator.suggest("warm up", "organism")  # builds the lazy tables (genus names, label parts)

    # one value at a time, no cache
    lat: list[float] = []
    results = []
    t0 = time.perf_counter()
    for v in values:
        t = time.perf_counter()
        results.append(annotator.suggest(v["text"], v["key"], limit=3))
        lat.append((time.perf_counter() - t) * 1000)
    wall = time.perf_counter() - t0
    result["one_by_one"] = {
        "seconds": round(wall, 2),
        "values_per_s": round(len(values) / wall, 1),
        "p50_ms": round(pct(lat, 50), 3),
        "p99_ms": round(pct(lat, 99), 3),
        "mean_ms": round(statistics.fmean(lat), 3),
        "max_ms": round(max(lat), 1),
    }
    result["accuracy_generated"] = accuracy(results, values)

    # a batch with repeats, as in real metadata (Zipf-like draw from the same values)
    rnd = random.Random(11)
    weights = [1 / (i + 1) for i in range(len(values))]
    batch = rnd.choices(values, weights=weights, k=len(values))
    fresh = Annotator(index, memory, fields)
    fresh.suggest("warm up", "organism")
    t0 = time.perf_counter()
    list(fresh.suggest_many(((v["key"], v["text"]) for v in batch), limit=3))
    wall = time.perf_counter() - t0
    result["batch_with_repeats"] = {
        "values": len(batch),
        "distinct": len({(v["key"], v["text"]) for v in batch}),
        "seconds": round(wall, 2),
        "values_per_s": round(len(batch) / wall, 1),
    }

    # with 1,000 reviewed decisions in the memory
    decided = [v for v in values if v["expected"]][:1000]
    memory.add([Decision(v["text"], v["expected"][0], key=v["key"], curator="benchmark") for v in decided])
    with_memory = Annotator(index, MappingMemory(store, "http://localhost:8000/id/", fields), fields)
    with_memory.suggest("warm up", "organism")
    t0 = time.perf_counter()
    mem_results = [with_memory.suggest(v["text"], v["key"], limit=3) for v in values]
    wall = time.perf_counter() - t0
    result["with_memory"] = {
        "decisions": len(decided),
        "seconds": round(wall, 2),
        "values_per_s": round(len(values) / wall, 1),
        "answered_from_memory": sum(1 for r in mem_results if r.top and r.top.source == "memory"),
    }
    memory.store.drop_graph(memory.graph)

    ev = evaluate(
        Annotator(index, None, fields), read_gold(REPO / "tests" / "fixtures" / "gold_annotations.tsv")
    )
    result["gold"] = ev.as_dict()

    store.close()
    tmp.cleanup()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    short = {k: v for k, v in result.items() if k not in ("gold", "ontologies")}
    short["gold"] = {k: v for k, v in ev.as_dict().items() if k not in ("misses", "skipped")}
    print(json.dumps(short, indent=2, ensure_ascii=False))
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
