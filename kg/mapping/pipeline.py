"""Map a large OME-XML 2016-06 document in a child process while this process writes.

Parsing and mapping are Python and hold the GIL; pyoxigraph's ``bulk_extend`` holds it too, so
in one process the two take turns. Here a child process streams the document through
:class:`~kg.mapping.xml_mapper.XmlStreamMapper` and sends N-Triples chunks down a pipe; the
parent bulk-loads each chunk into the target graph (``bulk_load`` parses in Rust) while the child
maps the next. The pipe gives back-pressure, so at most a chunk or two are held. The child's
report (unmapped, dropped, objects, unresolved) or its error comes last.
"""

from __future__ import annotations

import multiprocessing as mp
import pickle
from collections import Counter
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import SourceError
from kg.mapping.model_mapper import MapResult, ModelMapping

CHUNK_TRIPLES = 200_000


def _child(conn: Connection, source: Path | bytes, name: str, source_iri: str, mapping_path: str) -> None:
    import io

    from kg.mapping.xml_mapper import XmlStreamMapper

    out = MapResult()
    try:
        mapper = XmlStreamMapper(ModelMapping.load(Path(mapping_path)))
        stream = source if isinstance(source, Path) else io.BytesIO(source)
        batch: list[ox.Quad] = []
        default = ox.DefaultGraph()
        for q in mapper.map_stream(stream, name=name, source_iri=source_iri, graph=default, out=out):  # type: ignore[arg-type]
            batch.append(q)
            if len(batch) >= CHUNK_TRIPLES:
                conn.send_bytes(b"D" + _ntriples(batch))
                batch = []
        if batch:
            conn.send_bytes(b"D" + _ntriples(batch))
        report = {
            "unmapped": out.unmapped,
            "unresolved": out.unresolved,
            "dropped": dict(out.dropped),
            "objects": dict(out.objects),
        }
        conn.send_bytes(b"R" + pickle.dumps(report))
    except SourceError as exc:
        fields = {k: getattr(exc, k) for k in ("path", "problem", "element", "line", "expected")}
        conn.send_bytes(b"E" + pickle.dumps(fields))
    except BaseException as exc:  # anything else still reaches the parent, with its type
        conn.send_bytes(b"X" + pickle.dumps(f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _ntriples(quads: list[ox.Quad]) -> bytes:
    return ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES) or b""


def nt_chunks(
    source: Path | bytes, *, name: str, source_iri: str, mapping_path: Path, out: MapResult
) -> Iterator[bytes]:
    """N-Triples chunks of the mapped document (in no graph: the store puts them in one).
    ``out`` is filled once the iterator is exhausted; a mapping error is raised as SourceError."""
    ctx = mp.get_context("spawn")  # never fork a process that holds an open store
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_child, args=(child, source, name, source_iri, str(mapping_path)), daemon=True, name="kg-map"
    )
    proc.start()
    child.close()
    try:
        while True:
            try:
                msg = parent.recv_bytes()
            except EOFError:
                raise SourceError(
                    name, f"the mapping process ended unexpectedly (exit code {proc.exitcode})"
                ) from None
            tag, body = msg[:1], msg[1:]
            if tag == b"D":
                yield body
            elif tag == b"R":
                report: dict[str, Any] = pickle.loads(body)
                out.unmapped += report["unmapped"]
                out.unresolved += report["unresolved"]
                out.dropped.update(Counter(report["dropped"]))
                out.objects.update(Counter(report["objects"]))
                return
            elif tag == b"E":
                fields = pickle.loads(body)
                path, problem = fields.pop("path"), fields.pop("problem")
                raise SourceError(path, problem, **fields)
            else:
                raise SourceError(name, f"mapping failed: {pickle.loads(body)}")
    finally:
        parent.close()
        proc.join(timeout=5)
        if proc.is_alive():
            proc.kill()
            proc.join()
