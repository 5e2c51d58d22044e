"""A local stand-in for the EBI OLS4 API, for the OLS4 client's tests (never the network).

It answers in the shapes of the real service, as its own controllers write them (the copies in
``../shared/corpora/ols/ols4/backend``) and as its API tester recorded them
(``../shared/corpora/ols/ols4/testcases_expected_output_api``):

* v1 HAL with Spring paging: ``/api/ontologies/{id}/terms/{IRI}`` (IRI double URL-encoded; a
  path segment with a single-encoded ``%2F`` gets 400, as Tomcat rejects encoded slashes),
  ``/api/ontologies/{id}/terms?iri=|short_form=|obo_id=|id=`` (a one-element page or 404),
  ``/api/terms?iri=…`` (every ontology holding the IRI; an empty page, without ``_embedded``,
  when none does), and ``…/terms/{IRI}/{parents,ancestors,hierarchicalParents,
  hierarchicalAncestors,children,descendants,hierarchicalChildren,hierarchicalDescendants}``;
* Solr-style ``/api/search`` and ``/api/select`` (``responseHeader``, ``response.numFound``,
  ``response.start``, ``response.docs``; ``facet_counts`` for search, ``highlighting`` for
  select; ``select`` always says ``start: 0``);
* 404 as Spring writes it: ``{"timestamp", "status": 404, "error": "Not Found", "message",
  "path"}`` for a missing term, ``{"status": 404, "message": "Endpoint not found: …"}`` for an
  unknown path.

Data: the real expected outputs of the OLS4 test cases (17 small ontologies: DUO and its imports,
the obsolete-term cases, ...; served as recorded, with the recorded host replaced by this
server's) and terms built from small ontologies of the mirror (``fbbi``, ``uo`` and ``pato`` by
default) parsed with pyoxigraph. Startup takes well under a second.

Search is an approximation of OLS4's Solr configuration, not a copy: a word matches a whole word
of a label, synonym, definition or identifier (no stemming); ``exact=true`` requires every word of
the query to be a whole word of the label or a synonym; a hit's score weighs label 5, synonym 3,
identifiers 2, definition 1, plus 100 for the defining ontology and 5 (3) when the whole label
(synonym) equals the query. Select matches word prefixes in labels and synonyms (every query word
must match), best: whole label, label prefix, then synonyms.

Faults, for testing what a client does when OLS4 misbehaves, are queued with :meth:`inject` (or
``POST /_control/faults`` with the same fields as JSON) and apply to the next requests whose
path contains ``path``: an HTTP status with optional ``Retry-After`` and body, a ``delay``
before answering normally (timeouts), ``drop`` (close the connection without answering), or a
``body`` served with 200 (malformed answers). ``times=None`` keeps a fault until
:meth:`clear_faults`. Every request is recorded (:attr:`requests`, ``GET /_control/requests``).
Connection refused: :meth:`stop` the server, or point a client at a port nobody listens on.

Run alone: ``python tests/ols4_server.py --port 8765`` then use ``http://127.0.0.1:8765/ols4/api/``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pyoxigraph as ox

SHARED = Path(os.environ.get("KG_SHARED", Path(__file__).resolve().parents[2] / "shared"))
CORPUS = SHARED / "corpora" / "ols" / "ols4" / "testcases_expected_output_api" / "ontologies"
MIRROR = SHARED / "ontologies" / "rdf"
DEFAULT_MIRROR_ONTOLOGIES = ("fbbi", "uo", "pato")
RECORDED_HOST = "http://localhost:8080"  # the host in the recorded single-object answers
RELATIONS = (
    "parents",
    "ancestors",
    "hierarchicalParents",
    "hierarchicalAncestors",
    "children",
    "descendants",
    "hierarchicalChildren",
    "hierarchicalDescendants",
)
LINKS = ("parents", "ancestors", "hierarchicalParents", "hierarchicalAncestors", "jstree", "children",
         "descendants", "hierarchicalChildren", "hierarchicalDescendants", "graph")

OWL = "http://www.w3.org/2002/07/owl#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OBO = "http://purl.obolibrary.org/obo/"
OIO = "http://www.geneontology.org/formats/oboInOwl#"
PART_OF = OBO + "BFO_0000050"
SYNONYM_PROPS = ("hasExactSynonym", "hasRelatedSynonym", "hasNarrowSynonym", "hasBroadSynonym")


def double_encode(iri: str) -> str:
    return quote(quote(iri, safe=""), safe="")


def words(text: str) -> list[str]:
    return re.findall(r"[0-9a-z]+", text.casefold())


# ---------------------------------------------------------------- the data


@dataclass
class Entry:
    """One term in one ontology: its v1 JSON (hrefs start with ``<base>``) and relations."""

    ontology: str
    doc: dict[str, Any]
    parents: list[str] = field(default_factory=list)  # is-a, named classes
    part_parents: list[str] = field(default_factory=list)  # hierarchical properties (part of)
    recorded: Path | None = None  # folder of recorded relation lists (corpus terms)
    tokens: dict[str, set[str]] = field(default_factory=dict)
    label_phrase: str = ""  # the label's words, lower case, joined by one space
    synonym_phrases: list[str] = field(default_factory=list)

    @property
    def iri(self) -> str:
        return str(self.doc["iri"])


class OLS4Data:
    """Every term the server knows, by (ontology, IRI), and what search needs."""

    def __init__(self) -> None:
        self.terms: dict[tuple[str, str], Entry] = {}
        self.children: dict[tuple[str, str], list[str]] = {}
        self.part_children: dict[tuple[str, str], list[str]] = {}

    @classmethod
    def load(
        cls, corpus: Path | None = CORPUS, mirror: Path | None = MIRROR,
        mirror_ontologies: Iterable[str] = DEFAULT_MIRROR_ONTOLOGIES,
    ) -> OLS4Data:
        data = cls()
        if corpus is not None and corpus.is_dir():
            data._load_corpus(corpus)
        if mirror is not None:
            for onto in mirror_ontologies:
                data._load_ttl(onto, mirror / f"{onto}.ttl")
        for (onto, iri), e in data.terms.items():
            for p in e.parents:
                data.children.setdefault((onto, p), []).append(iri)
            for p in e.part_parents:
                data.part_children.setdefault((onto, p), []).append(iri)
            e.label_phrase = " ".join(words(str(e.doc.get("label") or "")))
            e.synonym_phrases = [" ".join(words(s)) for s in e.doc.get("synonyms") or []]
            e.tokens = {
                "label": set(words(str(e.doc.get("label") or ""))),
                "synonym": {w for s in e.doc.get("synonyms") or [] for w in words(s)},
                "definition": {w for s in e.doc.get("description") or [] for w in words(s)},
                "ids": {str(e.doc.get(k) or "").casefold() for k in ("short_form", "obo_id", "iri")},
            }
        return data

    def _load_corpus(self, root: Path) -> None:
        for onto_dir in sorted(p for p in root.iterdir() if p.is_dir()):
            onto = onto_dir.name
            listing = onto_dir / "terms.json"
            if listing.is_file():
                for doc in json.loads(listing.read_text(encoding="utf-8")):
                    self.terms[(onto, doc["iri"])] = Entry(onto, doc)
            for single in sorted((onto_dir / "terms").glob("*.json")):
                text = single.read_text(encoding="utf-8").replace(RECORDED_HOST, "<base>")
                doc = json.loads(text)
                rel = single.with_suffix("")
                self.terms[(onto, doc["iri"])] = Entry(onto, doc, recorded=rel if rel.is_dir() else None)

    def _load_ttl(self, onto: str, path: Path) -> None:
        if not path.is_file():
            raise FileNotFoundError(f"{path}: ontology file for the OLS4 double not found")
        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
        prefix = onto.upper() if onto != "fbbi" else "FBbi"
        own = f"{OBO}{prefix}_"
        onto_iri = f"{OBO}{onto}.owl"

        def select(query: str) -> list[tuple[str, ...]]:
            out = []
            for row in store.query(query):  # type: ignore[union-attr]
                out.append(tuple(t.value if t is not None else "" for t in row))
            return out

        classes = [r[0] for r in select(f"SELECT ?c WHERE {{ ?c a <{OWL}Class> FILTER isIRI(?c) }}")]
        first: dict[str, dict[str, str]] = {c: {} for c in classes}
        multi: dict[str, dict[str, list[str]]] = {c: {} for c in classes}
        single_props = {
            "label": RDFS + "label", "deprecated": OWL + "deprecated", "replaced": OBO + "IAO_0100001",
            "id": OIO + "id", "namespace": OIO + "hasOBONamespace",
        }
        for key, prop in single_props.items():
            for c, v in select(f"SELECT ?c ?v WHERE {{ ?c <{prop}> ?v }} ORDER BY ?c STR(?v)"):
                if c in first:
                    first[c].setdefault(key, v)
        multi_props = {"definition": OBO + "IAO_0000115", **{s: OIO + s for s in SYNONYM_PROPS}}
        for key, prop in multi_props.items():
            for c, v in select(f"SELECT ?c ?v WHERE {{ ?c <{prop}> ?v }} ORDER BY ?c STR(?v)"):
                if c in multi:
                    multi[c].setdefault(key, []).append(v)
        parents: dict[str, list[str]] = {}
        q = f"SELECT ?c ?p WHERE {{ ?c <{RDFS}subClassOf> ?p FILTER(isIRI(?p) && ?p != <{OWL}Thing>) }}"
        for c, p in select(q):
            parents.setdefault(c, []).append(p)
        parts: dict[str, list[str]] = {}
        q = (f"SELECT ?c ?p WHERE {{ ?c <{RDFS}subClassOf> ?r . ?r <{OWL}onProperty> <{PART_OF}> ; "
             f"<{OWL}someValuesFrom> ?p FILTER isIRI(?p) }}")
        for c, p in select(q):
            parts.setdefault(c, []).append(p)
        known = set(classes)
        has_children = {p for ps in parents.values() for p in ps}
        for c in classes:
            f, m = first[c], multi[c]
            local = c.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            obo_id = local.replace("_", ":", 1) if c.startswith(OBO) and "_" in local else local
            obsolete = f.get("deprecated", "").lower() in ("true", "1") or OIO + "ObsoleteClass" in parents.get(c, [])
            doc: dict[str, Any] = {
                "iri": c,
                "lang": "en",
                "description": m.get("definition", []),
                "synonyms": [s for key in SYNONYM_PROPS for s in m.get(key, [])],
                "annotation": {k: [f[k2]] for k, k2 in (("id", "id"), ("has_obo_namespace", "namespace")) if k2 in f},
                "label": f.get("label", local),
                "ontology_name": onto,
                "ontology_prefix": prefix,
                "ontology_iri": onto_iri,
                "is_obsolete": obsolete,
                "term_replaced_by": f.get("replaced"),
                "is_defining_ontology": c.startswith(own),
                "has_children": c in has_children,
                "is_root": not [p for p in parents.get(c, []) if p in known],
                "short_form": local,
                "obo_id": obo_id,
                "is_preferred_root": False,
            }
            if doc["term_replaced_by"] is None:
                del doc["term_replaced_by"]
            path = f"<base>/api/ontologies/{onto}/terms/{double_encode(c)}"
            doc["_links"] = {"self": {"href": path + "?lang=en"}, **{k: {"href": f"{path}/{k}"} for k in LINKS}}
            self.terms[(onto, c)] = Entry(
                onto, doc,
                parents=[p for p in parents.get(c, []) if p in known],
                part_parents=[p for p in parts.get(c, []) if p in known],
            )

    # ------------------------------------------------------------ relations

    def relation(self, onto: str, iri: str, rel: str) -> list[dict[str, Any]]:
        e = self.terms[(onto, iri)]
        if e.recorded is not None:
            f = e.recorded / f"{rel}.json"
            return list(json.loads(f.read_text(encoding="utf-8"))) if f.is_file() else []
        hier = rel.startswith("hierarchical")
        up = rel.lower().endswith(("parents", "ancestors"))
        transitive = rel.lower().endswith(("ancestors", "descendants"))

        def step(i: str) -> list[str]:
            if up:
                t = self.terms[(onto, i)]
                return t.parents + (t.part_parents if hier else [])
            return self.children.get((onto, i), []) + (self.part_children.get((onto, i), []) if hier else [])

        seen: list[str] = []
        todo = step(iri)
        while todo:
            nxt = todo.pop(0)
            if nxt in seen or nxt == iri:
                continue
            seen.append(nxt)
            if transitive:
                todo.extend(step(nxt))
        return [self.terms[(onto, i)].doc for i in seen]

    # ------------------------------------------------------------ search

    def search(self, q: str, ontologies: list[str], exact: bool, obsoletes: bool) -> list[tuple[float, Entry]]:
        qw = words(q)
        phrase = " ".join(qw)
        out = []
        for e in self._candidates(ontologies, obsoletes):
            t = e.tokens
            whole_words = bool(qw) and all(w in t["label"] or w in t["synonym"] for w in qw)
            if exact and not (whole_words or q.casefold() in t["ids"]):
                continue
            score = 0.0
            for w in qw:
                score += max(
                    5.0 * (w in t["label"]), 3.0 * (w in t["synonym"]), 2.0 * (w in t["ids"]), 1.0 * (w in t["definition"])
                )
            if q.casefold() in t["ids"]:
                score += 2.0
            if score == 0:
                continue
            if e.label_phrase == phrase:
                score += 5.0
            elif phrase in e.synonym_phrases:
                score += 3.0
            if e.doc.get("is_defining_ontology"):
                score += 100.0
            out.append((score, e))
        out.sort(key=lambda se: (-se[0], len(str(se[1].doc.get("label") or "")), se[1].iri))
        return out

    def select(self, q: str, ontologies: list[str], obsoletes: bool) -> list[tuple[float, Entry]]:
        qw = words(q)
        lq = " ".join(qw)
        out = []
        for e in self._candidates(ontologies, obsoletes):
            label, syns = e.label_phrase, e.synonym_phrases
            lw, sw = label.split(), [w for s in syns for w in s.split()]
            ids = e.tokens["ids"]
            if not qw:
                continue
            in_label = all(any(x.startswith(w) for x in lw) for w in qw)
            in_syn = all(any(x.startswith(w) for x in sw + lw) for w in qw)
            if not (in_label or in_syn or q.casefold() in ids):
                continue
            score = 1.0
            if label == lq:
                score += 1000
            elif label.startswith(lq):
                score += 500
            if lq in syns:
                score += 1
            if any(s.startswith(lq) for s in syns):
                score += 100
            if e.doc.get("is_defining_ontology"):
                score += 100
            out.append((score, e))
        out.sort(key=lambda se: (-se[0], len(str(se[1].doc.get("label") or "")), se[1].iri))
        return out

    def _candidates(self, ontologies: list[str], obsoletes: bool) -> Iterable[Entry]:
        for (onto, _iri), e in self.terms.items():
            if ontologies and onto not in ontologies:
                continue
            if bool(e.doc.get("is_obsolete")) != obsoletes:  # OLS filters isObsolete:<obsoletes>
                continue
            yield e


# ---------------------------------------------------------------- faults and the request log


@dataclass
class Fault:
    status: int | None = None
    retry_after: str | None = None
    body: str | None = None
    delay: float = 0.0
    drop: bool = False
    path: str = ""
    times: int | None = 1


@dataclass(frozen=True)
class Request:
    path: str  # raw, as sent (percent-encoding kept)
    query: str
    at: float


# ---------------------------------------------------------------- HTTP


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out together: no 40 ms delayed-ACK stalls
    wbufsize = 1 << 16

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            self._get()

    def do_POST(self) -> None:
        owner = self.server.owner
        if urlsplit(self.path).path != "/_control/faults":
            self._send(404, {"status": 404, "message": f"Endpoint not found: {self.path}"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        owner.inject(**json.loads(self.rfile.read(length) or b"{}"))
        self._send(200, {"faults": len(owner.faults)})

    def do_DELETE(self) -> None:
        self.server.owner.clear_faults()
        self._send(200, {"faults": 0})

    def _get(self) -> None:
        owner = self.server.owner
        raw_path, _, query = self.path.partition("?")
        if raw_path == "/_control/requests":
            self._send(200, [r.__dict__ for r in owner.requests])
            return
        owner.record(Request(raw_path, query, time.monotonic()))
        fault = owner.take_fault(raw_path)
        if fault is not None:
            if fault.delay:
                owner.stopping.wait(fault.delay)
            if fault.drop:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if fault.status is not None or fault.body is not None:
                headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
                body = (fault.body or json.dumps({"status": fault.status, "message": "injected fault"})).encode()
                self._send(fault.status or 200, body, headers)
                return
        status, body = owner.app.handle(raw_path, query)
        self._send(status, body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: OLS4Server

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that went away mid-answer is expected here (timeouts)


class OLS4App:
    """Routing and answers; knows nothing about sockets."""

    def __init__(self, data: OLS4Data, base: str) -> None:
        self.data = data
        self.base = base.rstrip("/")  # e.g. http://127.0.0.1:PORT/ols4

    def _json(self, obj: Any) -> bytes:
        return json.dumps(obj).replace("<base>", self.base).encode()

    def not_found(self, path: str, message: str) -> tuple[int, bytes]:
        return 404, self._json({
            "timestamp": int(time.time() * 1000), "status": 404, "error": "Not Found",
            "message": message, "path": path,
        })

    def handle(self, raw_path: str, query: str) -> tuple[int, bytes]:
        prefix = urlsplit(self.base).path
        path = raw_path[len(prefix):] if prefix and raw_path.startswith(prefix + "/") else raw_path
        params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
        segs = path.strip("/").split("/")
        if any("%2f" in s.lower() for s in segs):
            return 400, self._json({"status": 400, "error": "Bad Request", "message": "encoded slash in path"})
        segs = [unquote(s) for s in segs]  # the servlet container decodes the path once
        if segs[:2] == ["api", "search"]:
            return 200, self._json(self.search(params))
        if segs[:2] == ["api", "select"]:
            return 200, self._json(self.select(params))
        if segs[:2] == ["api", "terms"] and len(segs) <= 3:
            # V1TermController: a path IRI is decoded a second time; then iri, short_form, obo_id;
            # id tries all three in turn. Nothing found is an empty page, not a 404.
            if len(segs) == 3:
                asked = [("iri", unquote(segs[2]))]
            elif "id" in params:
                asked = [(k, params["id"]) for k in ("iri", "short_form", "obo_id")]
            else:
                asked = [(k, params[k]) for k in ("iri", "short_form", "obo_id") if k in params][:1]
            docs = [e.doc for e in self.data.terms.values()]
            for key, value in asked:
                found = [d for d in docs if d.get(key) == value]
                if found:
                    return 200, self._json(self.page(raw_path, found, params))
            return 200, self._json(self.page(raw_path, [] if asked else docs, params))
        if len(segs) >= 4 and segs[0] == "api" and segs[1] == "ontologies" and segs[3] == "terms":
            onto = segs[2].lower()
            if len(segs) == 4:
                ref = params.get("id") or params.get("iri") or params.get("short_form") or params.get("obo_id")
                if ref is None:
                    docs = [e.doc for (o, _), e in self.data.terms.items() if o == onto]
                    return 200, self._json(self.page(raw_path, docs, params))
                for (o, i), e in self.data.terms.items():
                    if o == onto and ref in (i, e.doc.get("short_form"), e.doc.get("obo_id")):
                        return 200, self._json(self.page(raw_path, [e.doc], params))
                return self.not_found(raw_path, f"No resource with {ref} in {onto}")
            iri = unquote(segs[4])  # UriUtils.decode in the controller: the second decoding
            if (onto, iri) not in self.data.terms:
                return self.not_found(raw_path, f"No term with id {iri} in {onto}")
            if len(segs) == 5:
                return 200, self._json(self.data.terms[(onto, iri)].doc)
            if len(segs) == 6 and segs[5] in RELATIONS:
                docs = self.data.relation(onto, iri, segs[5])
                return 200, self._json(self.page(raw_path, docs, params))
        return 404, self._json({"status": 404, "message": f"Endpoint not found: {raw_path}"})

    def page(self, raw_path: str, docs: list[dict[str, Any]], params: dict[str, str]) -> dict[str, Any]:
        """A Spring HATEOAS paged model: ``_embedded.terms`` (absent when empty), links, page."""
        size = max(1, int(params.get("size", "20")))
        number = max(0, int(params.get("page", "0")))
        total = len(docs)
        pages = math.ceil(total / size)
        chunk = docs[number * size : (number + 1) * size]
        origin = urlsplit(self.base)
        url = f"{origin.scheme}://{origin.netloc}{raw_path}"

        def link(n: int) -> dict[str, str]:
            return {"href": f"{url}?page={n}&size={size}"}

        links: dict[str, Any] = {}
        if pages > 1:
            links["first"] = link(0)
        if number > 0:
            links["prev"] = link(number - 1)
        links["self"] = {"href": url}
        if number + 1 < pages:
            links["next"] = link(number + 1)
        if pages > 1:
            links["last"] = link(pages - 1)
        out: dict[str, Any] = {}
        if chunk:
            out["_embedded"] = {"terms": chunk}
        out["_links"] = links
        out["page"] = {"size": size, "totalElements": total, "totalPages": pages, "number": number}
        return out

    def _fields(self, params: dict[str, str]) -> set[str]:
        given = {f.strip() for f in params.get("fieldList", "").split(",") if f.strip()}
        return given or {"id", "iri", "ontology_name", "label", "description", "short_form", "obo_id", "type",
                         "ontology_prefix"}

    def _doc(self, e: Entry, fields: set[str], score: float, sep: str) -> dict[str, Any]:
        d = e.doc
        values: dict[str, Any] = {
            "id": sep.join((e.ontology, "class", e.iri)),
            "iri": e.iri,
            "ontology_name": e.ontology,
            "label": d.get("label"),
            "description": d.get("description") or [],
            "short_form": d.get("short_form"),
            "obo_id": d.get("obo_id"),
            "type": "class",
            "synonym": d.get("synonyms") or [],
            "ontology_prefix": d.get("ontology_prefix"),
            "ontology_iri": d.get("ontology_iri"),
            "is_defining_ontology": bool(d.get("is_defining_ontology")),
            "score": score,
        }
        # gson leaves out null values
        return {k: v for k, v in values.items() if k in fields and v is not None}

    def _query(self, params: dict[str, str]) -> tuple[str, list[str], bool, int, int]:
        onts = [o.strip().lower() for o in params.get("ontology", "").split(",") if o.strip()]
        obsoletes = params.get("obsoletes", "false").lower() == "true"
        return params.get("q", ""), onts, obsoletes, int(params.get("rows", "10")), int(params.get("start", "0"))

    def search(self, params: dict[str, str]) -> dict[str, Any]:
        q, onts, obsoletes, rows, start = self._query(params)
        exact = params.get("exact", "false").lower() == "true"
        found = self.data.search(q, onts, exact, obsoletes)
        fields = self._fields(params)
        docs = [self._doc(e, fields, s, "+") for s, e in found[start : start + rows]]
        facets: dict[str, dict[str, int]] = {"ontologyId": {}, "ontologyIri": {}, "ontologyPreferredPrefix": {},
                                             "type": {}, "isDefiningOntology": {}, "isObsolete": {}}
        for _, e in found:
            for key, value in (("ontologyId", e.ontology), ("ontologyIri", e.doc.get("ontology_iri")),
                               ("ontologyPreferredPrefix", e.doc.get("ontology_prefix")), ("type", "class"),
                               ("isDefiningOntology", str(bool(e.doc.get("is_defining_ontology"))).lower()),
                               ("isObsolete", str(bool(e.doc.get("is_obsolete"))).lower())):
                facets[key][str(value)] = facets[key].get(str(value), 0) + 1
        return {
            "responseHeader": {"status": 0, "QTime": 1},
            "response": {"numFound": len(found), "start": start, "docs": docs},
            "facet_counts": {"facet_fields": {k: self._flat(v) for k, v in facets.items()}},
        }

    @staticmethod
    def _flat(counts: dict[str, int]) -> list[str]:
        """Solr facet counts as OLS4 writes them: [value, count, value, count, ...]."""
        return [x for value, n in counts.items() for x in (value, str(n))]

    def select(self, params: dict[str, str]) -> dict[str, Any]:
        q, onts, obsoletes, rows, start = self._query(params)
        found = self.data.select(q, onts, obsoletes)
        fields = self._fields(params)
        page = found[start : start + rows]
        docs = [self._doc(e, fields, s, ":") for s, e in page]
        qw = words(q)
        highlighting = {}
        for _, e in page:
            label = str(e.doc.get("label") or "")
            marked = re.sub(
                r"\b(" + "|".join(re.escape(w) for w in qw) + r")", r"<b>\1</b>", label, flags=re.IGNORECASE
            ) if qw else label
            highlighting[f"{e.ontology}:class:{e.iri}"] = {"label_autosuggest": [marked], "label": [marked]}
        echoed = "(" + " AND ".join(q.split(" ")) + ")" if " " in q else q
        return {
            "responseHeader": {"params": {"q": echoed}, "status": 0, "QTime": 1},
            "response": {"numFound": len(found), "start": 0, "docs": docs},
            "highlighting": highlighting,
        }


class OLS4Server:
    """The stand-in, on 127.0.0.1 in a background thread (see the module docstring)."""

    def __init__(self, data: OLS4Data | None = None, *, port: int = 0, prefix: str = "/ols4") -> None:
        self.data = data if data is not None else OLS4Data.load()
        self.faults: deque[Fault] = deque()
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", port), _Handler)
        self._httpd.owner = self
        self.port = int(self._httpd.server_address[1])
        self.root = f"http://127.0.0.1:{self.port}{prefix}"
        self.base_url = self.root + "/api/"
        self.app = OLS4App(self.data, self.root)
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="ols4-double", daemon=True)

    def start(self) -> OLS4Server:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> OLS4Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------ faults and log

    def inject(
        self, status: int | None = None, *, retry_after: str | int | None = None, body: str | None = None,
        delay: float = 0.0, drop: bool = False, path: str = "", times: int | None = 1,
    ) -> None:
        ra = str(retry_after) if retry_after is not None else None
        with self._lock:
            self.faults.append(Fault(status, ra, body, delay, drop, path, times))

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def take_fault(self, raw_path: str) -> Fault | None:
        with self._lock:
            for f in self.faults:
                if f.path in raw_path:
                    if f.times is not None:
                        f.times -= 1
                        if f.times <= 0:
                            self.faults.remove(f)
                    return f
        return None

    def record(self, r: Request) -> None:
        with self._lock:
            self.requests.append(r)

    def count(self, path_part: str = "") -> int:
        """How many requests the server received whose raw path contains ``path_part``."""
        with self._lock:
            return sum(1 for r in self.requests if path_part in r.path)

    def reset(self) -> None:
        with self._lock:
            self.faults.clear()
            self.requests.clear()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--ontologies", default=",".join(DEFAULT_MIRROR_ONTOLOGIES), help="mirror ontologies to serve")
    args = ap.parse_args()
    t = time.perf_counter()
    data = OLS4Data.load(mirror_ontologies=[o for o in args.ontologies.split(",") if o])
    with OLS4Server(data, port=args.port) as srv:
        print(f"{len(data.terms)} terms loaded in {time.perf_counter() - t:.2f} s; serving {srv.base_url}")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
