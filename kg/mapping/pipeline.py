"""Map a large OME-XML 2016-06 document in a child process while this process writes.

Parsing and mapping are Python and hold the GIL; pyoxigraph's ``bulk_extend`` holds it too, so
in one process the two take turns. Here a child process (``python -m kg.mapping.pipeline``)
streams the document through :class:`~kg.mapping.xml_mapper.XmlStreamMapper` and writes
N-Triples to its standard output; the parent hands that pipe, as one stream, to a single
``bulk_load`` call into the target graph (many separate bulk writes into a growing store were
twice as slow at 17M triples). The child writes the mapper's N-Triples lines as they are
(:meth:`~kg.mapping.xml_mapper.XmlStreamMapper.map_lines`), and the loader parses them without
checking the IRIs again (``lenient``: they were built below a checked source IRI from quoted
IDs and field names, or checked by pyoxigraph). The pipe gives back-pressure, so memory stays
bounded. The child writes its report (unmapped, dropped, objects, unresolved, triple count) or
its error to a file the parent reads once the stream has ended.

A plain subprocess rather than ``multiprocessing``: spawning with multiprocessing re-imports the
caller's main script, which a user's unguarded script would not survive.
"""

from __future__ import annotations

import contextlib
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import SourceError
from kg.mapping.model_mapper import MapResult, ModelMapping
from kg.store import NTriplesStream

CHUNK_TRIPLES = 50_000


def _child(source: Path, name: str, source_iri: str, mapping_path: Path, report_path: Path) -> int:
    from kg.mapping.xml_mapper import XmlStreamMapper

    out = MapResult()
    sink = sys.stdout.buffer
    count = 0
    try:
        mapper = XmlStreamMapper(ModelMapping.load(mapping_path))
        batch: list[str] = []
        for lines in mapper.map_lines(
            source, name=name, source_iri=source_iri, graph=ox.DefaultGraph(), out=out
        ):
            batch += lines
            if len(batch) >= CHUNK_TRIPLES:
                sink.write("".join(batch).encode())
                count += len(batch)
                batch = []
        sink.write("".join(batch).encode())
        count += len(batch)
        sink.flush()
        report: dict[str, Any] = {"triples": count, "result": out}  # its report; no quads
    except SourceError as exc:
        report = {"error": {k: getattr(exc, k) for k in ("path", "problem", "element", "line", "expected")}}
    except BrokenPipeError:
        return 1  # the parent stopped reading (its load failed); it reports why
    except Exception as exc:  # anything else still reaches the parent, with its type
        report = {"failure": f"{type(exc).__name__}: {exc}"}
    report_path.write_bytes(pickle.dumps(report))
    return 0


class _ChildOutput(NTriplesStream):
    lenient = True  # IRIs built below a checked source IRI from safe steps; the rest pyoxigraph wrote

    def __init__(self, pipe: Any) -> None:
        super().__init__()
        self.pipe = pipe

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        n: int = self.pipe.readinto(b)
        return n


def nt_chunks(
    source: Path | bytes, *, name: str, source_iri: str, mapping_path: Path, out: MapResult
) -> Iterator[NTriplesStream]:
    """The mapped document as one N-Triples stream (in no graph: the store puts it in one),
    which the store's bulk loader reads in a single call while the child maps. ``out`` is
    filled once the stream is consumed; a mapping error is raised as SourceError then."""
    with tempfile.TemporaryDirectory(prefix="kg-map-") as tmp:
        path = source if isinstance(source, Path) else Path(tmp) / "source.ome.xml"
        if isinstance(source, bytes):
            path.write_bytes(source)
        report_path = Path(tmp) / "report.pickle"
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kg.mapping.pipeline",
                str(path),
                name,
                source_iri,
                str(mapping_path),
                str(report_path),
            ],
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
        )
        try:
            assert proc.stdout is not None
            stream = _ChildOutput(proc.stdout)
            yield stream
            with contextlib.suppress(OSError):
                while proc.stdout.read(1 << 16):  # the loader stopped early: let the child finish
                    pass
            proc.wait()
            if not report_path.exists():
                raise SourceError(
                    name, f"the mapping process ended unexpectedly (exit code {proc.returncode})"
                )
            report = pickle.loads(report_path.read_bytes())  # our own child's file, in our own temp dir
            if "error" in report:
                fields = dict(report["error"])
                raise SourceError(fields.pop("path"), fields.pop("problem"), **fields)
            if "failure" in report:
                raise SourceError(name, f"mapping failed: {report['failure']}")
            stream.triples = report["triples"]
            out.absorb(report["result"])
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) != 5:
        sys.stderr.write("usage: python -m kg.mapping.pipeline SOURCE NAME SOURCE_IRI MAPPING REPORT\n")
        sys.exit(2)
    sys.exit(_child(Path(args[0]), args[1], args[2], Path(args[3]), Path(args[4])))
