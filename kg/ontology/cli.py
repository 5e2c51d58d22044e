"""``kg ontologies …`` and ``kg terms …``: the ontology store and local term lookup; ``kg annotate``,
``kg terms check`` and ``kg mappings …``: the annotation engine and its mapping memory
(docs/annotation.md).

Exit codes, as in the rest of the CLI: 0 success, 1 something asked for is not there or failed
(an ontology did not load, status not all current, no term found), 2 usage or system error.
Heavy modules are imported inside the commands, so ``kg --help`` stays fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from kg.config import Settings
    from kg.ontology.index import TermDetails, TermIndex
    from kg.store import Store

ontologies_app = typer.Typer(
    help="Pinned ontologies: fetch them (from releases or a mirror) and see what is loaded.",
    no_args_is_help=True,
)
terms_app = typer.Typer(help="Find and check ontology terms in the loaded ontologies.", no_args_is_help=True)


def _cli() -> ModuleType:
    """kg.cli, imported when a command runs (kg.cli imports this module to add the sub-apps)."""
    import kg.cli

    return kg.cli


def _check_format(fmt: str) -> None:
    if fmt not in ("text", "json"):
        raise _cli()._fail(ValueError(f"--format must be text or json, not {fmt!r}"))


def _ids(value: str | None) -> list[str] | None:
    return [x.strip() for x in value.split(",") if x.strip()] if value else None


def _cache(settings: Settings) -> Path:
    from kg.ontology.index import default_cache_path

    return default_cache_path(None if settings.endpoint else settings.store_path, settings.endpoint)


def _prepare(store: Store, settings: Settings, *, rebuild: bool) -> tuple[TermIndex, str]:
    """The term index and closure for what is loaded now; a line saying what was done."""
    from kg.ontology.hierarchy import ensure_closure
    from kg.ontology.index import TermIndex

    index = TermIndex.open(store, _cache(settings), rebuild=rebuild)
    rep = index.report
    closure = ensure_closure(store, parents=index.parents)
    parts = []
    if rep is not None:
        how = "read from cache" if rep.from_cache else "built"
        parts.append(f"term index: {rep.terms:,} terms, {how} in {rep.seconds:.1f} s")
    if closure is not None:
        parts.append(f"subclass closure: {closure.pairs:,} pairs in {closure.seconds:.1f} s")
    return index, "; ".join(parts)


def _open_index(ctx: typer.Context) -> TermIndex:
    from kg.errors import KGError
    from kg.ontology.fetch import read_catalogue
    from kg.ontology.index import TermIndex

    cli = _cli()
    settings = cli.settings_of(ctx)
    store = cli._open(settings)
    try:
        if not read_catalogue(store):
            raise cli._fail(
                RuntimeError(
                    f"no ontologies are loaded in {store.description}: run `kg ontologies fetch` "
                    "(--source DIR|URL or KG_ONTOLOGY_SOURCE for a mirror)"
                )
            )
        return TermIndex.open(store, _cache(settings))
    except KGError as exc:
        raise cli._fail(exc) from exc
    finally:
        store.close()


# -- kg ontologies ----------------------------------------------------------------------------


@ontologies_app.command("fetch")
def fetch(
    ctx: typer.Context,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="Mirror directory or URL holding the manifest's mirror files, or 'release' "
            "[env KG_ONTOLOGY_SOURCE; default: the release URLs]",
        ),
    ] = None,
    only: Annotated[str | None, typer.Option("--only", help="Comma-separated ontology ids (fbbi,uo)")] = None,
    force: Annotated[bool, typer.Option("--force", help="Reload even when unchanged")] = False,
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
) -> None:
    """Fetch the pinned ontologies, verify their sha256 and load each into its own graph."""
    from rich.table import Table

    from kg.errors import KGError
    from kg.ontology.fetch import fetch_ontologies
    from kg.ontology.index import extracts_dir

    cli = _cli()
    _check_format(fmt)
    settings = cli.settings_of(ctx)
    store = cli._open(settings)
    try:
        report = fetch_ontologies(
            store,
            source=source,
            only=_ids(only),
            force=force,
            extracts=extracts_dir(_cache(settings)),
            on_outcome=None
            if fmt == "json"
            else lambda o: cli.err.print(f"  {o.id}: {o.status}", style="dim"),
        )
        summary = ""
        if any(o.status != "failed" for o in report.outcomes):
            _index, summary = _prepare(store, settings, rebuild=False)
    except KGError as exc:
        raise cli._fail(exc) from exc
    finally:
        store.close()
    if fmt == "json":
        doc = {"source": report.source, "ok": report.ok, "outcomes": [o.as_dict() for o in report.outcomes]}
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
    else:
        table = Table(
            "ontology", "status", "version", "triples", "seconds", "sha256", title=f"from {report.source}"
        )
        for o in report.outcomes:
            style = {"loaded": "green", "unchanged": "dim", "failed": "red"}[o.status]
            sha = "" if o.sha256 is None else (o.sha256[:12] + ("" if o.verified else " (unverified)"))
            table.add_row(
                o.id, f"[{style}]{o.status}[/]", o.version, f"{o.triples:,}", f"{o.seconds:.1f}", sha
            )
        cli.out.print(table)
        for o in report.outcomes:
            for note in o.notes:
                cli.out.print(f"  [yellow]note[/] {o.id}: {note}", highlight=False)
            if o.error:
                cli.err.print(f"[red]failed[/] {o.id}: {o.error}", highlight=False)
        if summary:
            cli.out.print(summary, highlight=False)
    raise typer.Exit(0 if report.ok else 1)


@ontologies_app.command("status")
def status(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
) -> None:
    """What is loaded, which version, what is stale or missing. Exit 1 unless all are current."""
    from rich.table import Table

    from kg.errors import KGError
    from kg.ontology.fetch import ontology_status

    cli = _cli()
    _check_format(fmt)
    store = cli._open(cli.settings_of(ctx))
    try:
        states = ontology_status(store)
    except KGError as exc:
        raise cli._fail(exc) from exc
    finally:
        store.close()
    current = all(s.state == "loaded" for s in states)
    if fmt == "json":
        sys.stdout.write(
            json.dumps({"current": current, "ontologies": [s.as_dict() for s in states]}, indent=2) + "\n"
        )
    else:
        table = Table(
            "ontology", "state", "manifest version", "loaded version", "triples", "loaded at", "verified"
        )
        for s in states:
            style = {"loaded": "green", "stale": "yellow"}.get(s.state, "red")
            table.add_row(
                s.id,
                f"[{style}]{s.state}[/]",
                s.manifest_version or "",
                s.loaded_version or "",
                f"{s.triples:,}" if s.triples is not None else "",
                (s.loaded_at or "")[:19],
                "" if s.verified is None else ("yes" if s.verified else "no"),
            )
        cli.out.print(table)
        for s in states:
            if s.detail:
                cli.out.print(f"  {s.id}: {s.detail}", highlight=False)
        counts: dict[str, int] = {}
        for s in states:
            counts[s.state] = counts.get(s.state, 0) + 1
        cli.out.print(", ".join(f"{n} {k}" for k, n in counts.items()), highlight=False)
    raise typer.Exit(0 if current else 1)


# -- kg terms ---------------------------------------------------------------------------------


@terms_app.command("search")
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="A label, synonym, prefix, CURIE or IRI")],
    ontology: Annotated[
        str | None, typer.Option("--ontology", help="Comma-separated ontology ids to search (fbbi,uo)")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, help="Most hits to show")] = 10,
    fuzzy: Annotated[bool, typer.Option("--fuzzy/--no-fuzzy", help="Allow approximate matches")] = True,
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
) -> None:
    """Search labels, synonyms, IRIs and CURIEs; each hit says why it matched."""
    from rich.table import Table

    cli = _cli()
    _check_format(fmt)
    index = _open_index(ctx)
    result = index.search(text, ontologies=_ids(ontology), limit=limit, fuzzy=fuzzy)
    if fmt == "json":
        doc = {
            "query": text,
            "source": result.source,
            "notice": result.notice,
            "hits": [
                {
                    "curie": h.term.curie,
                    "iri": h.term.iri,
                    "label": h.term.label,
                    "ontology": h.term.ontology,
                    "score": h.score,
                    "match": h.match,
                    "matched_text": h.matched_text,
                    "reason": h.reason,
                    "obsolete": h.term.obsolete,
                    "replaced_by": h.term.replaced_by,
                }
                for h in result.hits
            ],
        }
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    else:
        if result.notice:
            cli.err.print(f"[yellow]note:[/] {result.notice}", highlight=False)
        table = Table("term", "label", "ontology", "score", "why")
        for h in result.hits:
            label = h.term.label + (" [red](obsolete)[/]" if h.term.obsolete else "")
            table.add_row(h.term.curie, label, h.term.ontology, f"{h.score:.2f}", h.reason)
        cli.out.print(table)
        cli.out.print(f"{len(result.hits)} hit(s)")
    raise typer.Exit(0 if result.hits else 1)


def _details_dict(index: TermIndex, d: TermDetails) -> dict[str, object]:
    t = d.term

    def ref(iri: str | None) -> dict[str, str] | None:
        if iri is None:
            return None
        other = index.get(iri)
        return {"iri": iri, "curie": other.curie if other else iri, "label": other.label if other else ""}

    return {
        "iri": t.iri,
        "curie": t.curie,
        "label": t.label,
        "ontology": t.ontology,
        "defined_in": list(d.ontologies),
        "definition": t.definition,
        "synonyms": [{"text": s, "scope": scope} for s, scope in d.synonyms],
        "obsolete": t.obsolete,
        "replaced_by": ref(t.replaced_by),
        "consider": [ref(c) for c in d.consider],
        "parents": [{"iri": p.iri, "curie": p.curie, "label": p.label} for p in d.parents],
        "ancestors": [{"iri": a.iri, "curie": a.curie, "label": a.label} for a in d.ancestors],
        "branches": [
            {
                "field": b.field,
                "ok": b.ok,
                "expected": list(b.expected),
                "expected_labels": list(b.expected_labels),
            }
            for b in d.branches
        ],
    }


@terms_app.command("show")
def show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="A CURIE (FBbi:00000253) or an IRI")],
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
) -> None:
    """Label, definition, synonyms, obsolete flag and replacement, ancestors, expected branches."""
    cli = _cli()
    _check_format(fmt)
    index = _open_index(ctx)
    d = index.details(ref)
    if d is None:
        cli.err.print(
            f"[red]not found:[/] {ref} is not a term of the loaded ontologies "
            f"({', '.join(index.ontologies)}); try `kg terms search`",
            highlight=False,
        )
        raise typer.Exit(1)
    doc = _details_dict(index, d)
    if fmt == "json":
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        raise typer.Exit(0)
    t = d.term
    p = cli.out.print
    p(f"[bold]{t.curie}[/]  {t.label}  ({', '.join(d.ontologies)})", highlight=False)
    p(f"  IRI         {t.iri}", highlight=False)
    if t.definition:
        p(f"  definition  {t.definition}", highlight=False)
    by_scope: dict[str, list[str]] = {}
    for s, scope in d.synonyms:
        by_scope.setdefault(scope, []).append(s)
    for scope, texts in by_scope.items():
        p(f"  {scope + ' syn.':11} {'; '.join(texts)}", highlight=False)
    if t.obsolete:
        rep = doc["replaced_by"]
        if isinstance(rep, dict):
            p(f"  [red]obsolete[/]    replaced by {rep['curie']} {rep['label']}", highlight=False)
        else:
            p("  [red]obsolete[/]    the ontology names no replacement", highlight=False)
        for c in doc["consider"]:  # type: ignore[attr-defined]
            p(f"  consider    {c['curie']} {c['label']}", highlight=False)
    else:
        p("  obsolete    no")
    if d.parents:
        p("  parents     " + "; ".join(f"{x.curie} {x.label}" for x in d.parents), highlight=False)
    if d.ancestors:
        p("  ancestors   " + " < ".join(a.label or a.curie for a in d.ancestors), highlight=False)
    fits = [b.field for b in d.branches if b.ok]
    misfits = [b for b in d.branches if not b.ok]
    if fits:
        p(f"  [green]fits[/]        {', '.join(fits)} (ontologies/branches.yaml)", highlight=False)
    for b in misfits:
        roots = ", ".join(f"{c} {lab}".strip() for c, lab in zip(b.expected, b.expected_labels, strict=True))
        p(f"  [red]not a[/]       {b.field}: not under {roots}", highlight=False)
    raise typer.Exit(0)


# -- kg annotate, kg terms check, kg mappings (the annotation engine and its memory) -----------

mappings_app = typer.Typer(
    help="The mapping memory: reviewed decisions (text -> term) as SSSOM, reused by kg annotate.",
    no_args_is_help=True,
)


def _open_annotation(ctx: typer.Context) -> tuple[Store, TermIndex]:
    """The store (left open: the caller closes it) and the term index of what is loaded."""
    from kg.errors import KGError
    from kg.ontology.fetch import read_catalogue
    from kg.ontology.index import TermIndex

    cli = _cli()
    settings = cli.settings_of(ctx)
    store = cli._open(settings)
    try:
        if not read_catalogue(store):
            raise RuntimeError(
                f"no ontologies are loaded in {store.description}: run `kg ontologies fetch` "
                "(--source DIR|URL or KG_ONTOLOGY_SOURCE for a mirror)"
            )
        return store, TermIndex.open(store, _cache(settings))
    except (KGError, RuntimeError) as exc:
        store.close()
        raise cli._fail(exc) from exc


def _read_values(path: Path) -> list[tuple[str | None, str]]:
    """(key, text) pairs from a file: CSV/TSV columns (the header is the key), BioStudies/REMBI
    JSON (every {"name": ..., "value": ...} attribute), or lines "key: value"."""
    import csv

    from kg.errors import SourceError
    from kg.ontology.annotate import split_key_value

    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(str(path), f"cannot read the file: {exc}") from exc
    out: list[tuple[str | None, str]] = []
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        rows = list(csv.reader(raw.splitlines(), delimiter="\t" if suffix == ".tsv" else ","))
        if not rows:
            return out
        header = [h.strip() for h in rows[0]]
        for line, row in enumerate(rows[1:], start=2):
            if len(row) > len(header):
                raise SourceError(str(path), f"{len(row)} cells but {len(header)} columns", line=line)
            out += [(header[i], v.strip()) for i, v in enumerate(row) if v.strip()]
        return out
    if suffix == ".json":
        try:
            doc = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise SourceError(str(path), f"not JSON: {exc.msg}", line=exc.lineno) from exc

        def walk(node: object) -> None:
            if isinstance(node, dict):
                name, value = node.get("name"), node.get("value")
                if isinstance(name, str) and isinstance(value, str) and value.strip():
                    out.append((name.strip(), value.strip()))
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)

        walk(doc)
        if not out:
            raise SourceError(
                str(path), "no name/value attributes found", expected='{"name": KEY, "value": TEXT}'
            )
        return out
    for text in raw.splitlines():
        if text.strip() and not text.lstrip().startswith("#"):
            out.append(split_key_value(text))
    return out


def annotate(
    ctx: typer.Context,
    texts: Annotated[
        list[str] | None,
        typer.Argument(help='Values to annotate; "key: value" sets the key (organism: Homo sapiens)'),
    ] = None,
    key: Annotated[str | None, typer.Option("--key", help="The key (field) the values came with")] = None,
    file: Annotated[
        Path | None,
        typer.Option("--file", help="CSV/TSV (columns), REMBI/BioStudies JSON or key: value lines"),
    ] = None,
    from_graph: Annotated[
        bool,
        typer.Option(
            "--from-graph", help="Every MapAnnotation key-value pair and unresolved value in the store"
        ),
    ] = False,
    apply_memory: Annotated[
        bool,
        typer.Option(
            "--apply-memory",
            help="With --from-graph: annotate values the mapping memory has a reviewed decision for",
        ),
    ] = False,
    curator: Annotated[
        str | None,
        typer.Option("--curator", help="Who applies (an ORCID, an IRI or a name) [default: $USER]"),
    ] = None,
    ols: Annotated[
        bool,
        typer.Option(
            "--ols",
            help="Also ask EBI OLS4 when the local ontologies find no in-branch exact term "
            "[env KG_OLS_URL, KG_OLS_TIMEOUT, KG_CACHE_DIR]",
        ),
    ] = False,
    remove_stale: Annotated[
        bool,
        typer.Option(
            "--remove-stale",
            help="Remove annotations whose object is gone or no longer holds the annotated text "
            "(after a changed file was re-ingested)",
        ),
    ] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, max=50, help="Suggestions per value")] = 3,
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
) -> None:
    """Suggest ontology terms for free-text values, each with a score and the reason; the key
    decides the expected branch (organism -> NCBITaxon, imaging method -> FBbi...)."""
    import getpass
    from contextlib import ExitStack
    from dataclasses import asdict

    from rich.table import Table

    from kg.errors import KGError
    from kg.ontology.annotate import (
        Annotation,
        Annotations,
        Annotator,
        StaleAnnotation,
        graph_values,
        split_key_value,
        stale_annotations,
    )
    from kg.ontology.annotate import (
        apply_memory as apply,
    )
    from kg.ontology.annotate import (
        remove_stale as remove,
    )
    from kg.ontology.fields import default_fields
    from kg.ontology.memory import MappingMemory

    cli = _cli()
    _check_format(fmt)
    if not texts and file is None and not from_graph and not remove_stale:
        raise cli._fail(ValueError("give values, --file FILE, --from-graph or --remove-stale"))
    if apply_memory and not from_graph:
        raise cli._fail(ValueError("--apply-memory works with --from-graph"))
    settings = cli.settings_of(ctx)
    store, index = _open_annotation(ctx)
    removed: list[StaleAnnotation] = []
    resources = ExitStack()
    try:
        fields = default_fields()
        memory = MappingMemory(store, settings.base_iri, fields)
        client = None
        if ols:
            from kg.ontology.ols import OLSClient

            client = resources.enter_context(OLSClient.from_env(local=index))
        annotator = Annotator(index, memory, fields, ols=client)
        if remove_stale:
            removed = remove(Annotations(store, index, settings.base_iri, fields), stale_annotations(store))
        items: list[tuple[str | None, str]] = []
        origins: list[str] = []
        for t in texts or []:
            k, v = (key, t) if key else split_key_value(t)
            items.append((k, v))
            origins.append("argument")
        if file is not None:
            for k, v in _read_values(file):
                items.append((key or k, v))
                origins.append(str(file))
        values = graph_values(store, fields) if from_graph else []
        for gv in values:
            items.append((gv.key, gv.text))
            origins.append(f"{gv.origin} in {gv.graph}")
        results = list(annotator.suggest_many(items, limit=limit))
        written: list[Annotation] = []
        notes: list[str] = []
        if apply_memory:
            who = curator or getpass.getuser()
            written, notes = apply(
                store, annotator, Annotations(store, index, settings.base_iri, fields), values, curator=who
            )
    except KGError as exc:
        raise cli._fail(exc) from exc
    finally:
        resources.close()
        store.close()
    if fmt == "json":
        doc = {
            "values": [{**r.as_dict(), "origin": o} for r, o in zip(results, origins, strict=True)],
            "applied": [a.as_dict() for a in written],
            "notes": notes,
            "removed_stale": [asdict(s) for s in removed],
        }
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    else:
        table = Table("key", "value", "term", "label", "score", "why")
        for r in results:
            first = True
            for s in r.suggestions or [None]:  # type: ignore[list-item]
                if s is None:
                    table.add_row(r.key or "", r.text, "[red]none[/]", "", "", r.notice or "no term found")
                    continue
                style = "" if s.fits is not False else "dim"
                table.add_row(
                    (r.key or "") if first else "",
                    r.text if first else "",
                    f"[{style}]{s.term.curie}[/]" if style else s.term.curie,
                    s.term.label,
                    f"{s.score:.2f}",
                    s.reason,
                )
                first = False
        if results:
            cli.out.print(table)
            found = sum(1 for r in results if r.suggestions)
            cli.out.print(f"{found} of {len(results)} value(s) have a suggestion", highlight=False)
        for notice in dict.fromkeys(r.notice for r in results if r.notice and "OLS4" in r.notice):
            cli.err.print(f"[yellow]note:[/] {notice}", highlight=False)
        for a in written:
            cli.out.print(
                f"[green]annotated[/] {a.subject} {a.term} (from the mapping memory)", highlight=False
            )
        for n in notes:
            cli.out.print(f"  [yellow]note[/] {n}", highlight=False)
        for st in removed:
            cli.out.print(f"[green]removed[/] stale annotation {st.iri}: {st.describe()}", highlight=False)
        if remove_stale and not removed:
            cli.out.print("no stale annotations", highlight=False)
    raise typer.Exit(0 if all(r.suggestions for r in results) else 1)


@terms_app.command("check")
def check(
    ctx: typer.Context,
    apply_: Annotated[
        bool, typer.Option("--apply", help="Replace obsolete terms by their replacements (one transaction)")
    ] = False,
    curator: Annotated[
        str | None,
        typer.Option("--curator", help="Who applies (an ORCID, an IRI or a name) [default: $USER]"),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
) -> None:
    """Every term the graph uses: obsolete (and its replacement), outside its expected branch,
    a stored label that drifted, ontology not loaded. Exit 0 clean, 1 findings, 2 error."""
    import getpass

    from rich.table import Table

    from kg.errors import KGError
    from kg.ontology.check import apply_replacements, check_terms

    cli = _cli()
    _check_format(fmt)
    settings = cli.settings_of(ctx)
    store, index = _open_annotation(ctx)
    applied = None
    try:
        report = check_terms(store, index)
        if apply_:
            applied = apply_replacements(
                store, report, curator=curator or getpass.getuser(), base_iri=settings.base_iri
            )
            if applied.replaced:
                report = check_terms(store, index)  # what is left
    except KGError as exc:
        raise cli._fail(exc) from exc
    finally:
        store.close()
    if fmt == "json":
        doc = report.as_dict()
        if applied is not None:
            doc["applied"] = applied.as_dict()
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    else:
        if applied is not None:
            cli.out.print(
                f"[green]replaced[/] {applied.terms} obsolete term(s) in {applied.replaced} triple(s)",
                highlight=False,
            )
            for s in applied.skipped:
                cli.out.print(f"  [yellow]kept[/] {s}", highlight=False)
        table = Table("kind", "term", "label", "uses", "what")
        for f in report.findings:
            style = {"obsolete": "yellow", "branch": "red", "drift": "cyan"}.get(f.kind, "magenta")
            table.add_row(f"[{style}]{f.kind}[/]", f.curie, f.label, str(f.uses), f.message)
        if report.findings:
            cli.out.print(table)
        c = report.counts
        cli.out.print(
            f"{report.terms} term(s) in {report.uses} use(s) across {report.graphs} graph(s): "
            + ", ".join(f"{n} {k}" for k, n in c.items())
            + (" — clean" if report.clean else ""),
            highlight=False,
        )
    raise typer.Exit(0 if report.clean else 1)


def _memory(ctx: typer.Context) -> tuple[Store, object]:
    from kg.ontology.fields import default_fields
    from kg.ontology.memory import MappingMemory

    cli = _cli()
    settings = cli.settings_of(ctx)
    store = cli._open(settings)
    return store, MappingMemory(store, settings.base_iri, default_fields())


@mappings_app.command("import")
def mappings_import(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="SSSOM/TSV files (external .yml metadata is read too)")],
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
) -> None:
    """Add the decisions of SSSOM/TSV files to the memory. A file that is not valid SSSOM is
    refused whole, with the reason; rows that cannot be decisions are listed."""
    from kg.errors import KGError
    from kg.ontology.memory import MappingMemory

    cli = _cli()
    _check_format(fmt)
    store, memory = _memory(ctx)
    assert isinstance(memory, MappingMemory)
    reports, failed = [], []
    try:
        for f in files:
            try:
                reports.append(memory.import_file(f))
            except KGError as exc:
                failed.append(str(exc))
    finally:
        store.close()
    if fmt == "json":
        doc = {"imported": [r.as_dict() for r in reports], "refused": failed}
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    else:
        for r in reports:
            cli.out.print(
                f"[green]imported[/] {len(r.decisions)} decision(s) of {r.rows} row(s) from {r.path}",
                highlight=False,
            )
            for n in r.notes:
                cli.out.print(f"  note: {n}", highlight=False)
            for s in r.skipped[:10]:
                cli.out.print(f"  skipped {s}", highlight=False)
            if len(r.skipped) > 10:
                cli.out.print(f"  ... and {len(r.skipped) - 10} more skipped (--format json lists all)")
        for e in failed:
            cli.err.print(f"[red]refused[/] {e}", highlight=False)
    raise typer.Exit(1 if failed else 0)


@mappings_app.command("export")
def mappings_export(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File (default: standard output)")
    ] = None,
) -> None:
    """Write the memory as standard SSSOM/TSV (literal mappings; the key as metadata_key)."""
    import io

    from kg.errors import KGError
    from kg.ontology.memory import MappingMemory

    cli = _cli()
    store, memory = _memory(ctx)
    assert isinstance(memory, MappingMemory)
    buf = io.StringIO()
    try:
        n = memory.export(buf)
    except KGError as exc:
        raise cli._fail(exc) from exc
    finally:
        store.close()
    if output is None:
        sys.stdout.write(buf.getvalue())
    else:
        tmp = output.with_name(output.name + ".partial")
        tmp.write_text(buf.getvalue(), encoding="utf-8")
        tmp.replace(output)
        cli.err.print(f"{n} decision(s) written to {output}")


@mappings_app.command("list")
def mappings_list(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Option("--text", help="Only decisions for this text")] = None,
    key: Annotated[str | None, typer.Option("--key", help="... under this key")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
) -> None:
    """The decisions in the memory."""
    from rich.table import Table

    from kg.ontology.memory import MappingMemory

    cli = _cli()
    _check_format(fmt)
    store, memory = _memory(ctx)
    assert isinstance(memory, MappingMemory)
    try:
        ds = memory.lookup(text, key) if text else memory.decisions()
    finally:
        store.close()
    if fmt == "json":
        sys.stdout.write(json.dumps([d.as_dict() for d in ds], indent=2, ensure_ascii=False) + "\n")
        raise typer.Exit(0)
    table = Table("key", "text", "predicate", "term", "label", "curator", "date")
    for d in ds:
        pred = ("NOT " if d.negated else "") + d.as_dict()["predicate_curie"]
        table.add_row(d.key or "(any)", d.text, pred, d.as_dict()["term_curie"], d.term_label or "",
                      d.curator_label or d.curator or "", d.date or "")  # fmt: skip
    cli.out.print(table)
    cli.out.print(f"{len(ds)} decision(s)")


@mappings_app.command("add")
def mappings_add(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The free text, as written")],
    term: Annotated[str, typer.Argument(help="The term (CURIE or IRI)")],
    curator: Annotated[str, typer.Option("--curator", help="Who decides (an ORCID, an IRI or a name)")],
    key: Annotated[
        str | None, typer.Option("--key", help="The key the text comes with (default: any key)")
    ] = None,
    predicate: Annotated[
        str,
        typer.Option(
            "--predicate", help="skos:exactMatch, skos:closeMatch, skos:broadMatch, skos:narrowMatch"
        ),
    ] = "skos:exactMatch",
    confidence: Annotated[float | None, typer.Option("--confidence", min=0.0, max=1.0)] = None,
    reject: Annotated[bool, typer.Option("--reject", help="Record that the text is NOT this term")] = False,
    comment: Annotated[str | None, typer.Option("--comment")] = None,
) -> None:
    """Record a reviewed decision (the term must be a current term of a loaded ontology)."""
    from kg.errors import KGError
    from kg.ontology.fields import default_fields
    from kg.ontology.memory import MAPPING_PREDICATES, SKOS, Decision, MappingMemory, curator_iri, today

    cli = _cli()
    settings = cli.settings_of(ctx)
    store, index = _open_annotation(ctx)
    try:
        t = index.get(term)
        if t is None:
            raise cli._fail(
                ValueError(f"{term} is not a term of the loaded ontologies ({', '.join(index.ontologies)})")
            )
        if t.obsolete and not reject:
            raise cli._fail(
                ValueError(f"{t.curie} {t.label!r} is obsolete (replaced by {t.replaced_by or 'nothing'})")
            )
        pred = SKOS + predicate.split(":", 1)[1] if predicate.startswith("skos:") else predicate
        if pred not in MAPPING_PREDICATES:
            raise cli._fail(
                ValueError(
                    f"--predicate {predicate!r}: use skos:exactMatch, closeMatch, broadMatch or narrowMatch"
                )
            )
        who, label = curator_iri(curator, settings.base_iri)
        memory = MappingMemory(store, settings.base_iri, default_fields())
        decision = Decision(
            text=text,
            term=t.iri,
            predicate=pred,
            key=key,
            term_label=t.label,
            confidence=confidence,
            curator=who,
            curator_label=label,
            date=today(),
            ontology_version=index.ontologies.get(t.ontology),
            negated=reject,
            comment=comment,
        )
        (d,) = memory.add([decision])
    except KGError as exc:
        raise cli._fail(exc) from exc
    finally:
        store.close()
    cli.out.print(
        f"{'rejected' if reject else 'recorded'}: {text!r} -> {t.curie} {t.label} ({d.record_id})",
        highlight=False,
    )


@mappings_app.command("remove")
def mappings_remove(
    ctx: typer.Context, record_id: Annotated[str, typer.Argument(help="The decision's record IRI")]
) -> None:
    """Remove one decision from the memory."""
    from kg.ontology.memory import MappingMemory

    cli = _cli()
    store, memory = _memory(ctx)
    assert isinstance(memory, MappingMemory)
    try:
        ok = memory.remove(record_id)
    except ValueError as exc:
        raise cli._fail(exc) from exc
    finally:
        store.close()
    cli.out.print("removed" if ok else f"no decision {record_id}", highlight=False)
    raise typer.Exit(0 if ok else 1)
