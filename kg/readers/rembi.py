"""REMBI study documents: YAML, JSON or CSV written for kg (docs/rembi.md).

A YAML or JSON document is one object of the schema (shapes/schema/) at its root: a ``Study``
here; ``kg.readers.instrument`` reads ``Instrument`` documents and ``kg.readers.provenance``
``AnalysisRun`` records the same way. Which class a document is comes from its top-level keys
(``components``, ``authors``, ``license`` ... are a study's), so ``kg ingest`` needs no hint.

The CSV layout is one row per field value, with the header ``section,id,field,value``:

    section,id,field,value
    Study,,title,Nuclear envelope dynamics in dividing HeLa cells
    Study,,authors,ada
    Person,ada,name,Ada Example
    StudyComponent,c1,biosamples,hela
    Biosample,hela,organism_name,Homo sapiens
    Specimen,live,biosample,hela

- ``section`` is a schema class (``Study``, ``Person``, ``Biosample``...; also the REMBI words
  "Author", "Funding", "Image acquisition"...), ``id`` the object's name within the file,
  ``field`` a field of that class (``organism_name``; "Organism name" works too) and ``value``
  one value. A field that holds several values takes several rows.
- A field whose values are objects (``authors``, ``components``, ``biosamples``,
  ``affiliations``, ``files``...) takes the ids of objects defined in other rows; a reference
  field (a specimen's ``biosample``) takes an id too.
- Objects no row places are placed where they can only go: authors, grants, publications and
  components in the study, and biosamples, specimens, acquisitions, image data... in the study
  component when there is exactly one. Anything else left unplaced is an error.

Documents are *strict*: a value that does not fit its field (a date that is not a date, an
unknown enumeration value, a reference to an id the file does not have) fails the file with a
message naming the file, the element and what was expected; keys that are not fields of their
class are reported as unmapped and the rest is ingested.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any

import yaml

from kg.errors import SourceError
from kg.mapping.schema_mapper import SchemaDocument, schema_table
from kg.readers.base import Source

MAX_DOCUMENT_BYTES = 64 << 20
SUFFIXES = (".yaml", ".yml", ".json")

# keys only one root class has at its top level; a document is the class whose keys it uses
ROOT_KEYS: dict[str, frozenset[str]] = {
    "Study": frozenset(
        {
            "components",
            "authors",
            "accession",
            "license",
            "release_date",
            "funding",
            "publications",
            "keywords",
        }
    ),
    "Instrument": frozenset(
        {
            "microscope",
            "objectives",
            "lasers",
            "arcs",
            "filaments",
            "light_emitting_diodes",
            "detectors",
            "filters",
            "dichroics",
            "filter_sets",
            "calibrations",
        }
    ),
    "AnalysisRun": frozenset(
        {
            "software",
            "environment_lock",
            "parameters",
            "container_image",
            "random_seeds",
            "model_weights",
            "hardware",
            "inputs",
            "outputs",
            "start_time",
            "end_time",
            "command_line",
            "exit_code",
        }
    ),
}


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def load_structured(path: Path) -> Any:
    """A YAML or JSON file as plain data (safe loader: no Python objects, no anchors abuse
    beyond YAML's own). Errors name the file and the line."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise SourceError(name, f"the document is {size} bytes", expected=f"at most {MAX_DOCUMENT_BYTES}")
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise SourceError(name, f"cannot read file: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise SourceError(name, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise SourceError(name, f"not valid JSON: {exc.msg}", line=exc.lineno) from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SourceError(
            name, f"not valid YAML: {problem}", line=mark.line + 1 if mark is not None else None
        ) from exc


@functools.lru_cache(maxsize=8)
def _peek(path: str, mtime_ns: int, size: int) -> str | None:
    """The root class of a YAML/JSON document, from its top-level keys (cached per file
    version: three readers ask); "?" when the file does not parse (the REMBI reader takes it,
    so that the error names the line)."""
    try:
        data = load_structured(Path(path))
    except SourceError:
        try:
            return "?" if _looks_like_document(Path(path).read_bytes()) else None
        except OSError:
            return None
    return root_class_of(data)


def root_class_of(data: Any) -> str | None:
    """The schema class a document's root is: the class with at least two of its distinctive
    keys (ROOT_KEYS) present, and of whose fields at least three quarters of the top-level keys
    are (so that a LinkML schema, an SSSOM file or another tool's YAML is not taken for one)."""
    if not isinstance(data, dict) or not data:
        return None
    if "@graph" in data or "@context" in data or ("section" in data and "accno" in data):
        return None  # JSON-LD (RO-Crate) and BioStudies have their own readers
    keys = {str(k) for k in data}
    table = schema_table()
    found = []
    for cls, distinctive in ROOT_KEYS.items():
        fields = set(table.classes[cls].slots) | {"id"}
        if len(keys & distinctive) >= 2 and len(keys & fields) >= 0.75 * len(keys):
            found.append(cls)
    return found[0] if len(found) == 1 else None


_KEY_LINE = re.compile(rb'^(?:"([A-Za-z_]+)"|([A-Za-z_]+))\s*:', re.M)


def _looks_like_document(raw: bytes) -> bool:
    """A file that does not parse is still taken (so that the error names the line) when its
    top-level keys name two distinctive fields of one root class."""
    keys = {(a or b).decode() for a, b in _KEY_LINE.findall(raw[:65536])}
    return any(len(keys & k) >= 2 for k in ROOT_KEYS.values())


def document_class(path: Path) -> str | None:
    if path.suffix.lower() not in SUFFIXES or not path.is_file():
        return None
    st = path.stat()
    if st.st_size > MAX_DOCUMENT_BYTES:
        return None
    return _peek(str(path), st.st_mtime_ns, st.st_size)


class DocumentReader:
    """A YAML or JSON document whose root is one class of the schema."""

    kind = "REMBI"
    root = "Study"

    def accepts(self, path: Path, head: bytes) -> bool:
        found = document_class(path)
        return found == self.root or (found == "?" and self.root == "Study")

    def read(self, path: Path | str) -> Source:
        path = Path(path)
        data = load_structured(path)
        cls = root_class_of(data)
        if cls != self.root:
            raise SourceError(
                str(path),
                f"the document is not a {self.root}" + (f" but a {cls}" if cls else ""),
                expected=f"a mapping with {self.root} fields such as "
                + ", ".join(sorted(ROOT_KEYS[self.root])[:4]),
            )
        fmt = "json" if path.suffix.lower() == ".json" else "yaml"
        doc = SchemaDocument(roots=[(self.root, data)], name=str(path), strict=True)
        return Source(path=path, kind=self.kind, model=doc, sha256=sha256_of(path), facts={"format": fmt})


class RembiReader(DocumentReader):
    kind = "REMBI"
    root = "Study"


# -- CSV ----------------------------------------------------------------------------------------

CSV_HEADER = ["section", "id", "field", "value"]
# REMBI's own words for sections, besides the class names themselves (compared normalised)
CSV_SECTIONS = {
    "author": "Person",
    "authors": "Person",
    "contributor": "Person",
    "affiliation": "Organisation",
    "organization": "Organisation",
    "organisation": "Organisation",
    "funding": "Grant",
    "grant": "Grant",
    "publication": "Publication",
    "study component": "StudyComponent",
    "image acquisition": "ImageAcquisition",
    "image data": "ImageData",
    "image correlation": "ImageCorrelation",
    "analysed data": "AnalysedData",
    "image analysis": "AnalysedData",
    "annotations": "Annotations",
    "annotation": "Annotations",
    "signal channel": "SignalChannel",
    "file": "File",
}
_STUDY_PARTS = ("authors", "funding", "publications", "components")
_COMPONENT_PARTS = (
    "biosamples",
    "specimens",
    "image_acquisitions",
    "image_data",
    "image_correlations",
    "analysed_data",
    "annotation_sets",
)


def _norm(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


def csv_dialect(head: bytes) -> str | None:
    """The delimiter of a REMBI CSV (its header is section,id,field,value), else None."""
    try:
        text = head.decode("utf-8-sig", errors="strict")
    except UnicodeDecodeError:
        text = head[: head.rfind(b"\n") + 1].decode("utf-8-sig", errors="ignore")
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        for delim in (",", "\t", ";"):
            cells = [c.strip().strip('"').casefold() for c in line.split(delim)]
            if cells == CSV_HEADER:
                return delim
        return None
    return None


class RembiCsvReader:
    """REMBI as CSV, one row per field value (module docstring)."""

    kind = "REMBI"

    def accepts(self, path: Path, head: bytes) -> bool:
        return (
            path.is_file()
            and path.suffix.lower() in (".csv", ".tsv", ".txt")
            and csv_dialect(head) is not None
        )

    def read(self, path: Path | str) -> Source:
        path = Path(path)
        name = str(path)
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8-sig")
        except OSError as exc:
            raise SourceError(name, f"cannot read file: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise SourceError(name, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
        delim = csv_dialect(raw[:4096])
        if delim is None:
            raise SourceError(
                name, "the first line is not the REMBI CSV header", expected="section,id,field,value"
            )
        data = parse_rembi_rows(name, text, delim)
        doc = SchemaDocument(roots=[("Study", data)], name=name, strict=True)
        return Source(
            path=path,
            kind=self.kind,
            model=doc,
            sha256=hashlib.sha256(raw).hexdigest(),
            facts={"format": "csv"},
        )


def parse_rembi_rows(name: str, text: str, delim: str) -> dict[str, Any]:
    """The study of a REMBI CSV as a dict shaped like the schema's Study."""
    table = schema_table()
    classes = {_norm(c): c for c in table.classes}
    sections = {**classes, **{_norm(k): v for k, v in CSV_SECTIONS.items()}}
    objects: dict[tuple[str, str], dict[str, Any]] = {}
    order: list[tuple[str, str]] = []
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    header_seen = False
    for lineno, row in enumerate(reader, start=1):
        if not row or not any(c.strip() for c in row) or row[0].lstrip().startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            continue
        if len(row) < 4:
            raise SourceError(
                name, f"the row has {len(row)} cell(s)", line=lineno, expected="section,id,field,value"
            )
        section_s, oid_s, fld_s = (c.strip() for c in row[:3])
        value_s = delim.join(row[3:]).strip()  # a value may hold the delimiter if unquoted
        cls = sections.get(_norm(section_s))
        if cls is None:
            raise SourceError(
                name,
                f"unknown section {section_s!r}",
                line=lineno,
                expected="a schema class such as Study, Person, StudyComponent, Biosample, Specimen, "
                "ImageAcquisition, ImageData, Annotations",
            )
        info = table.classes[cls]
        slots = {_norm(s): s for s in info.slots}
        slot_name = slots.get(_norm(fld_s))
        if slot_name is None:
            raise SourceError(
                name,
                f"{cls} has no field {fld_s!r}",
                line=lineno,
                expected="one of: " + ", ".join(sorted(info.slots)),
            )
        if cls == "Study":
            oid_s = oid_s or "study"
        elif not oid_s:
            raise SourceError(
                name, f"a {cls} row without an id", line=lineno, expected="the object's id in column 2"
            )
        key = (cls, oid_s)
        obj = objects.get(key)
        if obj is None:
            obj = objects[key] = {"_line": lineno}
            if cls != "Study" or oid_s != "study":
                obj["id"] = oid_s
            order.append(key)
        if value_s == "":
            continue
        slot = info.slots[slot_name]
        if slot.multivalued:
            obj.setdefault(slot_name, []).append(value_s)
        elif slot_name in obj:
            raise SourceError(
                name,
                f"{cls} {oid_s!r} has a second value for {slot_name}",
                line=lineno,
                expected="one value (the field is not a list)",
            )
        else:
            obj[slot_name] = value_s
    studies = [k for k in order if k[0] == "Study"]
    if len(studies) != 1:
        raise SourceError(
            name, f"{len(studies)} studies", expected="exactly one Study (rows with section Study)"
        )
    # inline objects named by id in fields whose values are objects
    placed: set[tuple[str, str]] = set()

    def inline(key: tuple[str, str], seen: tuple[tuple[str, str], ...] = ()) -> dict[str, Any]:
        if key in seen:
            raise SourceError(name, f"{key[0]} {key[1]!r} contains itself", expected="no cycles")
        obj = objects[key]
        info = table.classes[key[0]]
        out: dict[str, Any] = {}
        for k, v in obj.items():
            if k == "_line":
                continue
            slot = info.slots.get(k)
            if slot is None or slot.kind != "class" or not slot.inlined:
                out[k] = v
                continue
            ids = v if isinstance(v, list) else [v]
            items = []
            for ref in ids:
                target = _find(objects, slot.range, ref, table)
                if target is None:
                    raise SourceError(
                        name,
                        f"{key[0]} {key[1]!r}: {k} names {ref!r}, which no row defines",
                        line=obj.get("_line"),
                        expected=f"the id of a {slot.range} defined in the file",
                    )
                placed.add(target)
                items.append(inline(target, (*seen, key)))
            out[k] = items if slot.multivalued else items[0]
        if not table.classes[key[0]].identified:
            out.pop("id", None)
        return out

    study_key = studies[0]
    study_obj = objects[study_key]
    components = [k for k in order if k[0] == "StudyComponent"]
    # the default places: in the study, or in the only component
    for part in _STUDY_PARTS:
        rng = table.classes["Study"].slots[part].range
        listed = set(_listed(objects, table))
        extra = [k for k in order if k[0] == rng and k not in listed]
        if extra:
            study_obj.setdefault(part, []).extend(k[1] for k in extra)
    for part in _COMPONENT_PARTS:
        rng = table.classes["StudyComponent"].slots[part].range
        listed = set(_listed(objects, table))
        extra = [k for k in order if k[0] == rng and k not in listed]
        if not extra:
            continue
        if len(components) != 1:
            raise SourceError(
                name,
                f"{rng} {extra[0][1]!r} is not listed by any study component "
                f"and the file has {len(components)} components",
                line=objects[extra[0]].get("_line"),
                expected=f"a StudyComponent row with field {part} naming it",
            )
        objects[components[0]].setdefault(part, []).extend(k[1] for k in extra)
    study = inline(study_key)
    unplaced = [k for k in order if k != study_key and k not in placed]
    if unplaced:
        k = unplaced[0]
        raise SourceError(
            name,
            f"{k[0]} {k[1]!r} is not used by any other row",
            line=objects[k].get("_line"),
            expected="a row of another object naming its id (e.g. a Person's affiliations)",
        )
    return study


def _find(
    objects: dict[tuple[str, str], dict[str, Any]], cls: str, ref: str, table: Any
) -> tuple[str, str] | None:
    if (cls, ref) in objects:
        return (cls, ref)
    for c, i in objects:  # an object of a subclass (a Laser where a LightSource is asked)
        if i == ref and cls in table.classes[c].ancestors:
            return (c, i)
    return None


def _listed(objects: dict[tuple[str, str], dict[str, Any]], table: Any) -> list[tuple[str, str]]:
    out = []
    for (cls, _), obj in objects.items():
        info = table.classes[cls]
        for k, v in obj.items():
            slot = info.slots.get(k)
            if slot is not None and slot.kind == "class" and slot.inlined:
                for ref in v if isinstance(v, list) else [v]:
                    found = _find(objects, slot.range, ref, table)
                    if found:
                        out.append(found)
    return out


__all__ = [
    "DocumentReader",
    "RembiCsvReader",
    "RembiReader",
    "load_structured",
    "parse_rembi_rows",
    "root_class_of",
    "sha256_of",
]
