"""Named batch-effect queries: one SPARQL file per question, in this folder.

Each file starts with a header of comment lines::

    # title: Images acquired while a QC metric was out of tolerance
    # question: Which images were acquired while ...
    #   (continued on indented lines)
    # param instrument (instrument): only this facility instrument (its ID, e.g. confocal-1)

Parameters become RDF terms first (an instrument ID its IRI, a metric key its vocabulary IRI, a
date a typed literal; anything else is refused), and those terms, serialised by pyoxigraph (escaped
N-Triples syntax), go into a VALUES block at the start of the query's WHERE clause, or at its end
when the header says ``# bind: end``: the user's text is never pasted into the query. Each
parameter is a variable of the SELECT list and restricts the rows to those with that value.
Oxigraph follows the written order of a group closely, so the place matters, and each query is
written for its place: with 1M observations, ``image-qc-state`` takes 3 ms with the block at the
start and minutes at the end (every image's state is joined first); ``batch-differences`` for one
metric 0.5–0.9 s at the start, 1.2–1.8 s at the end or with Oxigraph's own substitutions; while
``out-of-tolerance-images`` and ``metric-drift-monthly`` for one metric are faster with it at the
end (0.53 against 0.78 s, 0.15 against 0.30 s).
Types: ``instrument`` (an ID -> its IRI), ``metric`` (a key -> its vocabulary IRI), ``iri``,
``date`` (YYYY-MM-DD), ``month`` (YYYY-MM), ``string``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from kg.errors import ConfigError, QueryError
from kg.namespaces import XSD
from kg.store import SelectResult, Store, Term, values_clause
from qc.graph import QcIris
from qc.vocab import metric, prologue

_HEADER = re.compile(
    r"^#\s?(title|question|param|bind)\s*(?:([A-Za-z_][A-Za-z0-9_]*)\s*\((\w+)\))?\s*:\s*(.*)$"
)
PARAM_TYPES = ("instrument", "metric", "iri", "date", "month", "string")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    question: str
    params: tuple[Param, ...]
    text: str
    path: Path
    bind_at: str = "start"  # where the VALUES block of the parameters goes: "start" or "end"

    @property
    def sparql(self) -> str:
        """The query with the QC prefixes, ready to run."""
        return prologue() + self.text

    def bound(self, terms: Mapping[str, Term]) -> str:
        """The query with its parameters bound by a VALUES block at the start or the end of its
        WHERE clause (``bind_at``; terms serialised by pyoxigraph, see the module docstring)."""
        if not terms:
            return self.sparql
        block = values_clause(dict(terms))
        if self.bind_at == "start":
            head, sep, rest = self.text.partition("WHERE {")
            if not sep:
                raise QueryError(f"query {self.name!r} has no 'WHERE {{' to bind its parameters in")
            return prologue() + head + sep + block + rest
        end = self.text.rindex("}")  # the WHERE clause's closing brace (no modifiers have braces)
        return prologue() + self.text[:end] + block + "\n" + self.text[end:]

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "title": self.title,
            "question": self.question,
            "parameters": [
                {"name": p.name, "type": p.type, "description": p.description} for p in self.params
            ],
        }


def parse(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    params: list[Param] = []
    last: str | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if m:
            key, pname, ptype, value = m.groups()
            if key == "param":
                if not pname or ptype not in PARAM_TYPES:
                    raise ConfigError(
                        f"{path}: bad parameter line {line!r} (expected '# param NAME (TYPE): text', "
                        f"TYPE one of {', '.join(PARAM_TYPES)})"
                    )
                if not re.search(rf"SELECT[^{{]*\?{pname}\b", text, re.S):
                    raise ConfigError(f"{path}: parameter ?{pname} is not in the SELECT list")
                params.append(Param(pname, ptype, value.strip()))
                last = None
            else:
                fields[key] = value.strip()
                last = key
        elif last and line.startswith("#  "):
            fields[last] += " " + line[1:].strip()
    for required in ("title", "question"):
        if required not in fields:
            raise ConfigError(f"{path}: the header has no '# {required}:' line")
    bind_at = fields.get("bind", "start")
    if bind_at not in ("start", "end"):
        raise ConfigError(f"{path}: '# bind: {bind_at}': expected start or end")
    return NamedQuery(path.stem, fields["title"], fields["question"], tuple(params), text, path, bind_at)


def queries_dir() -> Path:
    return Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def load_queries() -> dict[str, NamedQuery]:
    return {p.stem: parse(p) for p in sorted(queries_dir().glob("*.rq"))}


def get(name: str) -> NamedQuery:
    q = load_queries().get(name)
    if q is None:
        raise QueryError(f"unknown QC query {name!r}; available: {', '.join(load_queries())}")
    return q


def bind(query: NamedQuery, raw: Mapping[str, str], iris: QcIris) -> dict[str, Term]:
    """Parameters given as text (CLI ``--param k=v``, API query string) as RDF terms."""
    known = {p.name: p for p in query.params}
    out: dict[str, Term] = {}
    for name, value in raw.items():
        p = known.get(name)
        if p is None:
            allowed = ", ".join(known) or "none"
            raise QueryError(f"query {query.name!r} has no parameter {name!r} (its parameters: {allowed})")
        value = value.strip()
        try:
            out[name] = _term(p, value, iris)
        except (ValueError, KeyError, ConfigError) as exc:
            msg = exc.args[0] if exc.args else str(exc)
            raise QueryError(f"parameter {name}={value!r}: {msg}") from exc
    return out


def _term(p: Param, value: str, iris: QcIris) -> Term:
    if p.type == "instrument":
        return ox.NamedNode(iris.instrument(value))
    if p.type == "metric":
        return ox.NamedNode(metric(value).iri)
    if p.type == "iri":
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$", value):
            raise ValueError("expected an absolute IRI")
        return ox.NamedNode(value)
    if p.type == "date":
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
            raise ValueError("expected a date as YYYY-MM-DD")
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "date"))
    if p.type == "month":
        if not re.match(r"^\d{4}-(0[1-9]|1[0-2])$", value):
            raise ValueError("expected a month as YYYY-MM")
        return ox.Literal(value)
    return ox.Literal(value)


def run(
    store: Store, name: str, params: Mapping[str, str], iris: QcIris, *, cap: int | None = None
) -> SelectResult:
    """Run a named query with its parameters; QueryError for an unknown query or parameter."""
    q = get(name)
    res = store.query(q.bound(bind(q, params, iris)), cap=cap)
    assert isinstance(res, SelectResult)
    return res
