"""BioStudies submissions (PageTab JSON) as the BioImage Archive stores them: REMBI studies
and studies in the templates before REMBI.

A submission is ``{"accno", "attributes", "section": {"type": "Study", "attributes",
"subsections", "links", "files"}}``; sections nest, and a subsection list may hold a list (a
table). Section types and attribute names vary in case, spacing, punctuation and number across
real submissions ("Image acquisition" and "Image Acquisition", "E-mail" and "Email",
"Keyword" and "Keywords"): both are normalised and looked up in ``mappings/rembi-aliases.yaml``
(the rules are at its top). What is placed:

- the study, its authors (with their organisations, by reference), publications and grants;
- REMBI's biosamples (with a nested "Organism" section's scientific name and taxon id),
  specimens, image acquisitions (with a nested "Imaging Method" section's FBbi term), image
  analyses, correlations and annotation sets;
- each study component, with what its "Associations" name (by title) placed inside it and an
  image data object per association (biosample, specimen, acquisition); the component's file
  list, when the JSON file list is beside the submission, gives the image data's files;
- ontology terms given with a value (``valqual`` Ontology/TermId, "NCBI taxon ID", "Ontology
  Term ID") as IRIs; free text is resolved by the mapper (kg.mapping.schema_mapper).

Everything else (an attribute no alias names, a section type no alias names, a value that
does not fit its field, a file list that is not there) is reported, never dropped silently.
Submissions are read leniently: a bad value is reported, the rest ingested.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import ConfigError, SourceError
from kg.mapping.model_mapper import Unmapped
from kg.mapping.schema_mapper import SchemaDocument, fbbi_iri, schema_table, taxon_iri
from kg.readers.base import Source, read_json
from kg.resources import data_dir, load_yaml

MAX_BYTES = 256 << 20
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_DOI = re.compile(r"10\.[0-9]{4,9}/\S+")
_ORCID = re.compile(r"([0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X])")
_EMPTY = {"", "none", "null", "n/a", "na"}


def normalise_name(name: str) -> str:
    """The key a section, attribute or property name is compared by (mappings/rembi-aliases.yaml)."""
    text = unicodedata.normalize("NFKC", str(name))
    text = _CAMEL.sub(" ", text).casefold()
    words = [w for w in re.split(r"[^0-9a-z]+", text) if w]
    out = []
    for w in words:
        if len(w) > 3 and w.endswith("ies"):
            w = w[:-3] + "y"
        elif len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.append(w)
    return "".join(out)


@dataclass(frozen=True)
class AliasTable:
    sections: dict[str, str]
    attributes: dict[str, dict[str, str]]
    licences: dict[str, str]
    rocrate_types: dict[str, str]
    rocrate_properties: dict[str, dict[str, str]]


def _table(path: Path, where: str, entries: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in (entries or {}).items():
        key = normalise_name(k)
        if key in out and out[key] != v:
            raise ConfigError(f"{path}: {where}: {k!r} normalises like another entry ({key!r})")
        out[key] = str(v)
    return out


@functools.cache
def aliases() -> AliasTable:
    path = data_dir("mappings") / "rembi-aliases.yaml"
    raw = load_yaml(path, "the alias table")
    bs, rc = raw["biostudies"], raw["rocrate"]
    return AliasTable(
        sections=_table(path, "biostudies.sections", bs["sections"]),
        attributes={
            role: _table(path, f"biostudies.attributes.{role}", t) for role, t in bs["attributes"].items()
        },
        licences=_table(path, "biostudies.licences", bs.get("licences", {})),
        rocrate_types=_table(path, "rocrate.types", rc["types"]),
        rocrate_properties={
            role: _table(path, f"rocrate.properties.{role}", t) for role, t in rc["properties"].items()
        },
    )


def looks_like_biostudies(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text.startswith(b"{") and b'"accno"' in head and (b'"section"' in head or b'"attributes"' in head)


class BioStudiesReader:
    kind = "BioStudies"

    def accepts(self, path: Path, head: bytes) -> bool:
        return path.is_file() and path.suffix.lower() == ".json" and looks_like_biostudies(head)

    def read(self, path: Path | str) -> Source:
        path = Path(path)
        name = str(path)
        raw, sub = read_json(path, max_bytes=MAX_BYTES, what="submission")
        if not isinstance(sub, dict) or not isinstance(sub.get("section"), dict):
            raise SourceError(
                name,
                "no study section",
                element="section",
                expected='a BioStudies submission: {"accno": ..., "section": {"type": "Study", ...}}',
            )
        conv = _Converter(name, path.parent, sub)
        study = conv.convert()
        digest = hashlib.sha256(raw)
        for extra in conv.read_files:  # a changed file list changes the source
            digest.update(extra)
        doc = SchemaDocument(roots=[("Study", study)], name=name, strict=False, unmapped=conv.unmapped)
        facts = {"accession": str(sub.get("accno", ""))}
        if conv.template:
            facts["template"] = conv.template
        return Source(
            path=path,
            kind=self.kind,
            model=doc,
            sha256=digest.hexdigest(),
            facts=facts,
            warnings=conv.warnings,
        )


# -- conversion -----------------------------------------------------------------------------


def _value(attr: dict[str, Any]) -> str | None:
    v = attr.get("value")
    if v is None:
        return None
    text = str(v).strip()
    return None if text.casefold() in _EMPTY else text


def _attrs(sec: dict[str, Any]) -> list[dict[str, Any]]:
    a = sec.get("attributes")
    return [x for x in a if isinstance(x, dict) and "name" in x] if isinstance(a, list) else []


def _subsections(sec: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for s in sec.get("subsections") or []:
        if isinstance(s, list):  # a table: rows of sections of one type
            out.extend(x for x in s if isinstance(x, dict))
        elif isinstance(s, dict):
            out.append(s)
    return out


def _files(sec: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for f in sec.get("files") or []:
        if isinstance(f, list):
            out.extend(x for x in f if isinstance(x, dict))
        elif isinstance(f, dict):
            out.append(f)
    return out


def _title_key(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class _Obj:
    role: str  # schema class, or a reader role (Association, Organism, ImagingMethod)
    data: dict[str, Any]
    where: str
    section: dict[str, Any]
    children: list[_Obj] = field(default_factory=list)
    refs: dict[str, list[str]] = field(default_factory=dict)  # association field -> titles
    file_list: list[str] = field(default_factory=list)


class _Converter:
    def __init__(self, name: str, folder: Path, sub: dict[str, Any]) -> None:
        self.name = name
        self.folder = folder
        self.sub = sub
        self.al = aliases()
        self.table = schema_table()
        self.unmapped: list[Unmapped] = []
        self.warnings: list[str] = []
        self.read_files: list[bytes] = []
        self.template: str | None = None
        self.orgs: dict[str, dict[str, Any]] = {}  # accno -> organisation
        self.ids: set[str] = set()

    # ---- helpers ----

    def _lost(self, where: str, field_name: str, value: Any, why: str = "") -> None:
        text = str(value)
        text = text if len(text) <= 60 else text[:57] + "..."
        self.unmapped.append(Unmapped(where, field_name, text + (f" ({why})" if why else "")))

    def _id(self, role: str, sec: dict[str, Any]) -> str:
        base = str(sec.get("accno") or "").strip() or f"{role}-{len(self.ids) + 1}"
        local, n = base, 2
        while local in self.ids:
            local, n = f"{base}-{n}", n + 1
        self.ids.add(local)
        return local

    def _role(self, sec: dict[str, Any]) -> str | None:
        return self.al.sections.get(normalise_name(str(sec.get("type", ""))))

    def _put(self, obj: _Obj, slot: str, value: Any, attr: str) -> None:
        if obj.role not in self.table.classes:  # a reader's own section (Organism, Imaging Method)
            obj.data.setdefault(slot, []).append(value)
            return
        info = self.table.classes[obj.role]
        if slot not in info.slots:
            self._lost(obj.where, attr, value, f"no field {slot} on {obj.role}")
            return
        if info.slots[slot].multivalued:
            obj.data.setdefault(slot, []).append(value)
        elif slot in obj.data:
            self._lost(obj.where, attr, value, f"a second value; {slot} holds one")
        else:
            obj.data[slot] = value

    # ---- the walk ----

    def convert(self) -> dict[str, Any]:
        top = self.sub["section"]
        accno = str(self.sub.get("accno") or "").strip()
        study = _Obj("Study", {"id": accno or "study"}, "Study", top)
        self.ids.add(study.data["id"])
        if accno:
            study.data["accession"] = accno
        self._attributes(study, "Study")
        # the submission's own attributes fill what the study section lacks
        for a in _attrs(self.sub):
            v = _value(a)
            if v is None:
                continue
            target = self.al.attributes["submission"].get(normalise_name(a["name"]))
            if target is None:
                self._lost("submission", a["name"], v)
            elif target == "@template":
                self.template = v
            elif target == "@doi":
                self._doi_link(study, v, "submission", a["name"])
            elif target not in study.data:
                study.data[target] = v
        self._links(study, top)
        for f in _files(top):
            self._lost("Study", "file", f.get("path", "?"), "files directly on the study are not placed")
        for sub in _subsections(top):
            self._section(study, sub, "Study")
        self._assemble(study)
        return study.data

    def _doi_link(self, obj: _Obj, value: str, where: str, attr: str) -> None:
        m = _DOI.search(value)
        if m:
            obj.data.setdefault("see_also", []).append(f"https://doi.org/{m.group(0)}")
        else:
            self._lost(where, attr, value, "not a DOI")

    def _links(self, obj: _Obj, sec: dict[str, Any]) -> None:
        for link in sec.get("links") or []:
            items = link if isinstance(link, list) else [link]
            for ln in items:
                url = str(ln.get("url", "")).strip() if isinstance(ln, dict) else ""
                if not url:
                    continue
                if re.match(r"^https?://\S+$", url):
                    obj.data.setdefault("see_also", []).append(url)
                elif _DOI.fullmatch(url.removeprefix("doi:").strip()):
                    obj.data.setdefault("see_also", []).append(
                        "https://doi.org/" + url.removeprefix("doi:").strip()
                    )
                elif re.match(r"^[\w.-]+\.[a-z]{2,}/\S*$", url):  # "doi.org/10..." without a scheme
                    obj.data.setdefault("see_also", []).append("https://" + url)
                else:
                    self._lost(obj.where, "link", url, "not a URL")
                for a in _attrs(ln) if isinstance(ln, dict) else []:
                    self._lost(obj.where, f"link/{a['name']}", _value(a) or "")

    def _section(self, parent: _Obj, sec: dict[str, Any], where: str) -> None:
        role = self._role(sec)
        stype = str(sec.get("type", "?"))
        here = f"{where}/{stype}" + (f"[{sec['accno']}]" if sec.get("accno") else "")
        if role is None:
            self._lost(
                where, stype, f"section with {len(_attrs(sec))} attribute(s)", "section type not known"
            )
            for a in _attrs(sec):
                if _value(a) is not None:
                    self._lost(here, a["name"], _value(a))
            for f in _files(sec):
                self._lost(here, "file", f.get("path", "?"))
            for s in _subsections(sec):
                self._section(_Obj("?", {}, here, s), s, here)
            return
        obj = _Obj(role, {}, here, sec)
        if role in self.table.classes and self.table.classes[role].identified:
            obj.data["id"] = self._id(role, sec)
        if role == "Organisation" and sec.get("accno"):
            self.orgs[str(sec["accno"])] = obj.data
        self._attributes(obj, role)
        self._links(obj, sec) if role == "Study" else None
        for f in _files(sec):
            self._lost(here, "file", f.get("path", "?"), f"files on a {stype} section are not placed")
        for s in _subsections(sec):
            self._section(obj, s, here)
        parent.children.append(obj)

    def _attributes(self, obj: _Obj, role: str) -> None:
        table = self.al.attributes.get(role, {})
        for a in _attrs(obj.section):
            name = str(a["name"])
            v = _value(a)
            quals = {
                normalise_name(q.get("name", "")): _value(q)
                for q in a.get("valqual") or []
                if isinstance(q, dict)
            }
            if v is None:
                continue
            target = table.get(normalise_name(name))
            if target is None:
                self._lost(obj.where, name, v)
                for qn, qv in quals.items():
                    self._lost(obj.where, f"{name}/{qn}", qv or "")
                continue
            self._attribute(obj, role, name, target, v, quals, bool(a.get("reference")))

    def _attribute(
        self, obj: _Obj, role: str, name: str, target: str, v: str, quals: dict[str, str | None], ref: bool
    ) -> None:
        term = quals.pop("termid", None)
        ontology = (quals.pop("ontology", None) or "").casefold()
        url = quals.pop("url", None)
        if target == "license":
            spdx = self.al.licences.get(normalise_name(v))
            obj.data["license"] = spdx or v
            if url and not spdx:
                self._lost(obj.where, f"{name}/URL", url)
        elif target == "organism":
            iri = taxon_iri(v)
            if iri:
                obj.data.setdefault("organism", []).append(iri)
            else:
                self._lost(obj.where, name, v, "not an NCBI taxon id")
        elif target == "imaging_method":
            iri = fbbi_iri(v)
            if iri:
                obj.data.setdefault("imaging_method", []).append(iri)
            else:
                self._lost(obj.where, name, v, "not an FBbi term id")
        elif target == "orcid":
            m = _ORCID.search(v)
            if m:
                obj.data["orcid"] = f"https://orcid.org/{m.group(1)}"
            else:
                self._lost(obj.where, name, v, "not an ORCID iD")
        elif target == "ror":
            m = re.search(r"(0[a-z0-9]{6}[0-9]{2})\s*$", v)
            if m:
                obj.data["ror"] = f"https://ror.org/{m.group(1)}"
            else:
                self._lost(obj.where, name, v, "not a ROR id")
        elif target == "doi":
            m = _DOI.search(v.replace(" ", ""))
            if m:
                obj.data["doi"] = m.group(0).rstrip(".")
            else:
                self._lost(obj.where, name, v, "not a DOI")
        elif target == "pubmed_id":
            if re.fullmatch(r"[0-9]+", v):
                obj.data["pubmed_id"] = v
            else:
                self._lost(obj.where, name, v, "not a PubMed id")
        elif target == "year":
            if re.fullmatch(r"[0-9]{4}", v):
                obj.data["year"] = int(v)
            else:
                self._lost(obj.where, name, v, "not a year")
        elif target == "release_date":
            try:
                import datetime as dt

                dt.date.fromisoformat(v[:10])
                self._put(obj, "release_date", v[:10], name)
            except ValueError:
                self._lost(obj.where, name, v, "not a date")
        elif target == "keywords":
            for k in re.split(r"\s*;\s*", v) if ";" in v else [v]:
                if k.strip():
                    obj.data.setdefault("keywords", []).append(k.strip())
        elif target == "roles":
            for r in re.split(r"\s*[;,]\s*", v):
                if r.strip():
                    obj.data.setdefault("roles", []).append(r.strip())
        elif target == "affiliations":
            obj.refs.setdefault("affiliations", []).append(v)  # an organisation accno, or a name
        elif target == "funder":
            obj.data["funder"] = {"name": v}
        elif target == "annotation_types":
            obj.data.setdefault("annotation_types", []).append(v)
        elif target == "@imaging_method" and term and "fbbi" in ontology and fbbi_iri(term):
            obj.refs.setdefault("imaging_method", []).append(v)
            obj.refs.setdefault("imaging_method_term", []).append(fbbi_iri(term) or "")
            term = None
        elif target.startswith("@"):
            self._special(obj, name, target, v)
        else:
            if target == "organism_name" and term and "ncbi" in ontology:
                iri = taxon_iri(term)
                if iri:
                    obj.data.setdefault("organism", []).append(iri)
                    term = None
            if target == "imaging_method_name" and term and "fbbi" in ontology:
                iri = fbbi_iri(term)
                if iri:
                    obj.data.setdefault("imaging_method", []).append(iri)
                    term = None
            self._put(obj, target, v, name)
        if term:
            self._lost(obj.where, f"{name}/TermId", term, f"ontology {ontology or '?'}")
        for qn, qv in quals.items():
            self._lost(obj.where, f"{name}/{qn}", qv or "")

    def _special(self, obj: _Obj, name: str, target: str, v: str) -> None:
        if target in ("@biosample", "@specimen", "@acquisition", "@analysis", "@correlation", "@annotations"):
            obj.refs.setdefault(target[1:], []).append(v)
        elif target == "@file_list":
            obj.file_list.append(v)
        elif target == "@imaging_method":  # an experiment of the older template
            obj.refs.setdefault("imaging_method", []).append(v)
        elif target == "@common_name":
            obj.data["_common_name"] = v
        elif target == "@ontology_name":
            obj.data["_ontology_name"] = v
        elif target in ("@signal_contrast_mechanism", "@channel_content", "@channel_biological_entity"):
            obj.data.setdefault("_channel", {})[target[1:]] = v
        elif target == "@doi":
            self._doi_link(obj, v, obj.where, name)
        else:
            self._lost(obj.where, name, v)

    # ---- putting the pieces together ----

    def _assemble(self, study: _Obj) -> None:
        d = study.data
        components: list[_Obj] = []
        loose: dict[str, list[_Obj]] = {}  # REMBI objects at study level, by role
        for c in study.children:
            if c.role == "Person":
                d.setdefault("authors", []).append(self._person(c))
            elif c.role == "Publication":
                d.setdefault("publications", []).append(c.data)
            elif c.role == "Grant":
                d.setdefault("funding", []).append(c.data)
            elif c.role == "Organisation":
                pass  # placed through the authors' affiliations
            elif c.role == "StudyComponent":
                components.append(c)
            elif c.role in (
                "Biosample",
                "Specimen",
                "ImageAcquisition",
                "AnalysedData",
                "ImageCorrelation",
                "Annotations",
            ):
                self._finish(c)
                loose.setdefault(c.role, []).append(c)
            else:
                self._lost(
                    c.where, str(c.section.get("type")), "section", f"a {c.role} section is not placed here"
                )
        used_orgs = {id(o) for a in d.get("authors", []) for o in a.get("affiliations", [])}
        for accno, org in self.orgs.items():
            if id(org) not in used_orgs:
                self._lost("Study", "organisation", org.get("name", accno), "no author names it")
        placed: set[int] = set()
        slot_of = {
            "Biosample": "biosamples",
            "Specimen": "specimens",
            "ImageAcquisition": "image_acquisitions",
            "AnalysedData": "analysed_data",
            "ImageCorrelation": "image_correlations",
            "Annotations": "annotation_sets",
        }
        role_of_ref = {
            "biosample": "Biosample",
            "specimen": "Specimen",
            "acquisition": "ImageAcquisition",
            "analysis": "AnalysedData",
            "correlation": "ImageCorrelation",
            "annotations": "Annotations",
        }
        pairs: dict[str, set[str]] = {}  # specimen -> biosamples the associations pair it with
        for comp in components:
            cd = comp.data
            files = self._file_list(comp)
            inner: dict[str, list[_Obj]] = {}
            associations = []
            for ch in comp.children:
                if ch.role == "Association":
                    associations.append(ch)
                elif ch.role in slot_of:
                    self._finish(ch)
                    inner.setdefault(ch.role, []).append(ch)
                else:
                    self._lost(
                        ch.where,
                        str(ch.section.get("type")),
                        "section",
                        f"a {ch.role} section is not placed here",
                    )
            for role, objs in inner.items():
                for o in objs:
                    cd.setdefault(slot_of[role], []).append(o.data)
            if comp.refs.get("imaging_method"):  # the older template: methods on the experiment
                acq = {
                    "id": self._id("ImageAcquisition", {}),
                    "name": f"Imaging of {cd.get('name') or cd.get('description', 'the experiment')[:40]}",
                    "imaging_method_name": comp.refs["imaging_method"],
                }
                if comp.refs.get("imaging_method_term"):
                    acq["imaging_method"] = comp.refs["imaging_method_term"]
                cd.setdefault("image_acquisitions", []).append(acq)
            image_data = []
            for n, assoc in enumerate(associations):
                img: dict[str, Any] = {"id": self._id("ImageData", {})}
                img["name"] = cd.get("name") or f"image data {n + 1}"
                if len(associations) > 1:
                    img["name"] += f" ({n + 1})"
                for ref, titles in assoc.refs.items():
                    role = role_of_ref[ref]
                    for title in titles:
                        target = self._by_title(role, title, loose, inner)
                        if target is None:
                            self._lost(assoc.where, ref, title, f"no {role} has this title")
                            continue
                        if id(target) not in {id(o) for o in inner.get(role, [])}:
                            inner.setdefault(role, []).append(target)
                            cd.setdefault(slot_of[role], []).append(target.data)
                        placed.add(id(target))
                        if ref in ("biosample", "specimen", "acquisition") and ref not in img:
                            img[ref] = target.data["id"]
                        elif ref in ("biosample", "specimen", "acquisition"):
                            self._lost(assoc.where, ref, title, "an image data object has one")
                if files:
                    img["files"] = files
                image_data.append(img)
            if not associations:
                one = {r: inner.get(r, []) for r in ("Biosample", "Specimen", "ImageAcquisition")}
                if any(one.values()) or files:
                    img = {"id": self._id("ImageData", {}), "name": cd.get("name") or "image data"}
                    for ref, role in (
                        ("biosample", "Biosample"),
                        ("specimen", "Specimen"),
                        ("acquisition", "ImageAcquisition"),
                    ):
                        if len(one[role]) == 1:
                            img[ref] = one[role][0].data["id"]
                    if files:
                        img["files"] = files
                    image_data.append(img)
            if image_data:
                cd["image_data"] = image_data
            for img in image_data:
                if img.get("specimen") and img.get("biosample"):
                    pairs.setdefault(img["specimen"], set()).add(img["biosample"])
            d.setdefault("components", []).append(cd)
        specimens = {o.data["id"]: o.data for objs in loose.values() for o in objs if o.role == "Specimen"}
        for comp in components:
            for sp in comp.data.get("specimens", []):
                specimens.setdefault(sp["id"], sp)
        for spec, bios in pairs.items():  # a specimen paired with one biosample only was prepared from it
            if len(bios) == 1 and spec in specimens:
                specimens[spec].setdefault("biosample", next(iter(bios)))
        # REMBI objects no association names go to the first component, said in a warning
        left = [o for objs in loose.values() for o in objs if id(o) not in placed]
        if left and components:
            first = components[0].data
            for o in left:
                first.setdefault(slot_of[o.role], []).append(o.data)
            self.warnings.append(
                f"{len(left)} section(s) no study component's associations name "
                f"({', '.join(sorted({o.role for o in left}))}) were placed in the first study component "
                f"{first.get('name') or first['id']!r}"
            )
        elif left:
            for o in left:
                self._lost(
                    o.where, str(o.section.get("type")), o.data.get("name", "section"), "no study component"
                )

    def _by_title(self, role: str, title: str, *pools: dict[str, list[_Obj]]) -> _Obj | None:
        key = _title_key(title)
        for pool in pools:
            for o in pool.get(role, []):
                if _title_key(str(o.data.get("name", ""))) == key:
                    return o
        return None

    def _person(self, p: _Obj) -> dict[str, Any]:
        for accno in p.refs.get("affiliations", []):
            org = self.orgs.get(accno)
            if org is None:
                if accno in self.orgs or re.fullmatch(r"o[0-9]+", accno):
                    self._lost(p.where, "affiliation", accno, "no organisation has this accno")
                else:  # the organisation written in full
                    p.data.setdefault("affiliations", []).append({"name": accno})
                continue
            p.data.setdefault("affiliations", []).append(org)
        for ch in p.children:
            self._lost(ch.where, str(ch.section.get("type")), "section", "not placed in an author")
        return p.data

    def _finish(self, o: _Obj) -> None:
        """Nested sections of a REMBI object (a biosample's organism, an acquisition's imaging
        method) and the reader's own fields."""
        d = o.data
        for ch in o.children:
            if o.role == "Biosample" and ch.role == "Organism":
                for name in ch.data.get("organism_name", []):
                    if "organism_name" not in d:
                        d["organism_name"] = name
                    else:
                        self._lost(
                            ch.where, "Scientific name", name, "the biosample already names its organism"
                        )
                common = ch.data.get("_common_name")
                if common and not d.get("organism_name"):
                    d["organism_name"] = common
                elif common:
                    self._lost(ch.where, "Common name", common, "the scientific name is kept")
                d.setdefault("organism", []).extend(ch.data.get("organism", []))
            elif o.role == "ImageAcquisition" and ch.role == "ImagingMethod":
                for n in ch.data.get("imaging_method_name", []):
                    d.setdefault("imaging_method_name", []).append(n)
                d.setdefault("imaging_method", []).extend(ch.data.get("imaging_method", []))
                other = ch.data.get("_ontology_name")
                if other and normalise_name(other) not in (
                    "fbbi",
                    *(normalise_name(n) for n in ch.data.get("imaging_method_name", [])),
                ):
                    self._lost(ch.where, "Ontology Name", other)
            elif o.role == "Specimen" and ch.role == "SignalChannel":
                d.setdefault("signal_channels", []).append({k: v for k, v in ch.data.items() if k != "id"})
            else:
                self._lost(ch.where, str(ch.section.get("type")), "section", f"not placed in a {o.role}")
        channel = d.pop("_channel", None)
        if channel:
            d.setdefault("signal_channels", []).append(channel)
        for k in [k for k in d if k.startswith("_")]:
            self._lost(o.where, k.lstrip("_").replace("_", " "), d.pop(k))
        if "organism" in d:
            d["organism"] = list(dict.fromkeys(d["organism"])) or d.pop("organism")
        if "imaging_method" in d:
            d["imaging_method"] = list(dict.fromkeys(d["imaging_method"])) or d.pop("imaging_method")
        if o.role in ("AnalysedData", "Annotations") and o.file_list:
            for fl in o.file_list:
                files = self._read_file_list(fl, o.where)
                if files:
                    d.setdefault("files", []).extend(files)

    def _file_list(self, comp: _Obj) -> list[dict[str, Any]]:
        out = []
        for fl in comp.file_list:
            out.extend(self._read_file_list(fl, comp.where))
        return out

    def _read_file_list(self, name: str, where: str) -> list[dict[str, Any]]:
        rel = Path(name)
        target = (self.folder / rel).resolve()
        try:
            inside = target.is_relative_to(self.folder.resolve())
        except (OSError, ValueError):
            inside = False
        if not inside or rel.is_absolute():
            self._lost(where, "File List", name, "outside the submission's folder; not read")
            return []
        if not target.is_file():
            self._lost(where, "File List", name, "file list not found beside the submission")
            return []
        if target.suffix.lower() != ".json":
            self._lost(where, "File List", name, "only JSON file lists are read")
            return []
        try:
            raw = target.read_bytes()
            entries = json.loads(raw.decode("utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            self._lost(where, "File List", name, f"unreadable: {exc}")
            return []
        self.read_files.append(raw)
        if not isinstance(entries, list):
            self._lost(where, "File List", name, "not a list of files")
            return []
        files = []
        table = self.al.attributes.get("File", {})
        for i, e in enumerate(entries):
            if not isinstance(e, dict) or not e.get("path"):
                self._lost(f"{where}/{name}[{i}]", "entry", str(e)[:60], "no path")
                continue
            f: dict[str, Any] = {"id": "file:" + str(e["path"]).strip(), "path": str(e["path"]).strip()}
            if isinstance(e.get("size"), int):
                f["size_bytes"] = e["size"]
            for a in _attrs(e):
                v = _value(a)
                if v is None:
                    continue
                slot = table.get(normalise_name(a["name"]))
                if slot == "md5" and re.fullmatch(r"[0-9a-fA-F]{32}", v):
                    f["md5"] = v.lower()
                elif slot and slot != "md5" and slot not in f:
                    f[slot] = v
                else:
                    self._lost(f"{where}/{name}[{e['path']}]", a["name"], v)
            files.append(f)
        return files


__all__ = ["AliasTable", "BioStudiesReader", "aliases", "looks_like_biostudies", "normalise_name"]
