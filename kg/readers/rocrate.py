"""REMBI RO-Crates as the BioImage Archive writes them (``ro-crate-metadata.json``).

A crate is flattened JSON-LD: an ``@graph`` of entities, each with an ``@id`` and ``@type``.
It is read as JSON, never through a JSON-LD processor's network: the ``@context`` may name the
RO-Crate contexts (``https://w3id.org/ro/crate/1.0`` to ``1.3``), which are read from the copy
the ``rocrate`` package ships, and inline term definitions; any other remote context is
refused (FACTS.md: user JSON-LD never triggers a fetch). Terms are expanded through that
context, so a crate that redefines a term is read by what the term means; the BIA vocabulary
(``http://bia/``, two generations that spell names differently) is matched by the normalised
local name of each type and property (mappings/rembi-aliases.yaml).

Why not a JSON-LD processor: real crates have entity ids with spaces ("Wing disk") and
properties their context does not define, which JSON-LD drops without a word; here they are
used, or reported as unmapped.

What is placed: the root dataset as the study (title, description, licence, dates, keywords,
contributors with their affiliations); each ``bia:Dataset`` as a study component holding one
image data object whose files are the crate's files under the dataset's folder and whose
biosample, specimen (preparation protocol) and acquisition come from its associations; the
biosamples (with their taxon), preparation protocols (with their signal channels), acquisition
protocols (with FBbi ids), annotation, analysis and correlation methods those associations name.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from kg.errors import SourceError
from kg.mapping.model_mapper import Unmapped
from kg.mapping.schema_mapper import SchemaDocument, fbbi_iri, taxon_iri
from kg.readers.base import Source, read_json
from kg.readers.biostudies import aliases, normalise_name

ROCRATE_CONTEXTS = tuple(
    f"{scheme}://w3id.org/ro/crate/{v}/context"
    for scheme in ("https", "http")
    for v in ("1.0", "1.1", "1.2", "1.3")
)
NAMESPACES = (
    "http://bia/",
    "https://bia/",
    "http://schema.org/",
    "https://schema.org/",
    "http://purl.org/dc/terms/",
    "http://rs.tdwg.org/dwc/terms/",
)
_BIA = ("http://bia/", "https://bia/")
MAX_BYTES = 128 << 20


@functools.cache
def rocrate_context() -> dict[str, Any]:
    """The RO-Crate JSON-LD context as the ``rocrate`` package ships it (no network)."""
    from importlib.resources import files

    data = json.loads(files("rocrate").joinpath("data/ro-crate.jsonld").read_text("utf-8"))
    ctx = data["@context"]
    assert isinstance(ctx, dict)
    return ctx


class _Context:
    """Terms and prefixes of a crate's @context, enough to expand its keys and types."""

    def __init__(self, name: str, context: Any) -> None:
        self.terms: dict[str, str] = {}
        self.ref_terms: set[str] = set()  # terms whose string values are ids ("@type": "@id")
        items = context if isinstance(context, list) else [context]
        for item in items:
            if isinstance(item, str):
                if item.rstrip("/") + "" not in ROCRATE_CONTEXTS and item not in ROCRATE_CONTEXTS:
                    raise SourceError(
                        name,
                        f"the @context names {item!r}, which is never fetched",
                        element="@context",
                        expected="the RO-Crate context (https://w3id.org/ro/crate/1.1/context) "
                        "and inline definitions",
                    )
                self._add(rocrate_context())
            elif isinstance(item, dict):
                self._add(item)
            else:
                raise SourceError(
                    name,
                    f"a @context entry of type {type(item).__name__}",
                    element="@context",
                    expected="a context URL or an object",
                )

    def _add(self, ctx: dict[str, Any]) -> None:
        raw: dict[str, Any] = {k: v for k, v in ctx.items() if not k.startswith("@")}
        for k, v in raw.items():
            if isinstance(v, str):
                self.terms[k] = v
            elif isinstance(v, dict) and isinstance(v.get("@id"), str):
                self.terms[k] = v["@id"]
                if v.get("@type") == "@id":
                    self.ref_terms.add(k)
        for _ in range(3):  # expand CURIE-valued terms ("schema:name") through prefixes
            for k, v in list(self.terms.items()):
                self.terms[k] = self.expand(v) or v

    def expand(self, key: str) -> str | None:
        if key in self.terms and not self.terms[key].startswith(key + ":"):
            v = self.terms[key]
            if re.match(r"^[a-z][a-z0-9+.-]*://", v, re.I):
                return v
        prefix, sep, local = key.partition(":")
        if sep and not local.startswith("//") and prefix in self.terms:
            base = self.terms[prefix]
            if base.endswith(("/", "#")):
                return base + local
        if re.match(r"^[a-z][a-z0-9+.-]*://", key, re.I):
            return key
        return None


def _local(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/"))[-1]


def _as_list(v: Any) -> list[Any]:
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def looks_like_rocrate(path: Path, head: bytes) -> bool:
    if path.name == "ro-crate-metadata.json":
        return True
    return path.suffix.lower() in (".json", ".jsonld") and b"w3id.org/ro/crate" in head and b"@graph" in head


class RoCrateReader:
    kind = "RO-Crate"

    def accepts(self, path: Path, head: bytes) -> bool:
        return path.is_file() and looks_like_rocrate(path, head)

    def read(self, path: Path | str) -> Source:
        path = Path(path)
        name = str(path)
        raw, doc = read_json(path, max_bytes=MAX_BYTES, what="crate metadata")
        if not isinstance(doc, dict) or not isinstance(doc.get("@graph"), list):
            raise SourceError(
                name,
                "no @graph list",
                element="@graph",
                expected="an RO-Crate: flattened JSON-LD with an @graph of entities",
            )
        conv = _Crate(name, doc)
        study = conv.convert()
        sd = SchemaDocument(roots=[("Study", study)], name=name, strict=False, unmapped=conv.unmapped)
        return Source(
            path=path,
            kind=self.kind,
            model=sd,
            sha256=hashlib.sha256(raw).hexdigest(),
            facts={"conformsTo": conv.conforms_to} if conv.conforms_to else {},
            warnings=conv.warnings,
        )


class _Crate:
    def __init__(self, name: str, doc: dict[str, Any]) -> None:
        self.name = name
        self.ctx = _Context(name, doc.get("@context"))
        self.al = aliases()
        self.unmapped: list[Unmapped] = []
        self.warnings: list[str] = []
        self.conforms_to = ""
        self.entities: dict[str, dict[str, Any]] = {}
        for i, e in enumerate(doc["@graph"]):
            if not isinstance(e, dict) or not isinstance(e.get("@id"), str):
                self._lost(f"@graph[{i}]", "entity", str(e)[:60], "no @id")
                continue
            if e["@id"] in self.entities:
                self._lost(f"@graph[{i}]", "@id", e["@id"], "a second entity with this @id")
                continue
            self.entities[e["@id"]] = e
        self.roles = {eid: self._role(e) for eid, e in self.entities.items()}
        self.used: set[str] = set()

    def _lost(self, where: str, field_name: str, value: Any, why: str = "") -> None:
        text = str(value)
        text = text if len(text) <= 60 else text[:57] + "..."
        self.unmapped.append(Unmapped(where, field_name, text + (f" ({why})" if why else "")))

    def _role(self, e: dict[str, Any]) -> str | None:
        found = []
        for t in _as_list(e.get("@type")):
            iri = self.ctx.expand(str(t)) or ""
            if not iri.startswith(NAMESPACES):
                continue
            role = self.al.rocrate_types.get(normalise_name(_local(iri)))
            if role:
                found.append((0 if iri.startswith(_BIA) else 1, role))
        return min(found)[1] if found else None

    def _props(self, eid: str, role: str) -> dict[str, list[Any]]:
        """The entity's values by target field; keys no alias names are reported."""
        e = self.entities[eid]
        table = self.al.rocrate_properties.get(role, {})
        out: dict[str, list[Any]] = {}
        for key, value in e.items():
            if key in ("@id", "@type"):
                continue
            iri = self.ctx.expand(key)
            target = table.get(normalise_name(_local(iri))) if iri and iri.startswith(NAMESPACES) else None
            target = target or table.get(normalise_name(key))
            values = [v for v in _as_list(value) if v not in (None, "")]
            if not values:
                continue
            if target is None:
                self._lost(eid, key, value if not isinstance(value, list) else f"{len(values)} value(s)")
                continue
            out.setdefault(target, []).extend(values)
        return out

    def _props_quiet(self, eid: str, role: str) -> dict[str, list[Any]]:
        """As _props, without reporting (for a second look at an entity)."""
        kept = list(self.unmapped)
        try:
            return self._props(eid, role)
        finally:
            self.unmapped[:] = kept

    def _ref(self, value: Any) -> str | None:
        if isinstance(value, dict):
            value = value.get("@id")
        if isinstance(value, str) and value in self.entities:
            return value
        return None

    def _text(self, values: list[Any]) -> list[str]:
        return [str(v["@id"] if isinstance(v, dict) and "@id" in v else v).strip() for v in values]

    # ---- objects ----

    def _fill(self, eid: str, role: str, data: dict[str, Any], props: dict[str, list[Any]]) -> None:
        """Plain fields: text values into the slot (one or several)."""
        from kg.mapping.schema_mapper import schema_table

        info = schema_table().classes[role]
        for target, values in props.items():
            if target.startswith("@"):
                continue
            slot = info.slots.get(target)
            if slot is None:
                self._lost(eid, target, values[0], f"no field {target} on {role}")
                continue
            if slot.kind == "class":
                continue  # objects: handled by the caller
            texts = self._text(values)
            if slot.multivalued:
                data.setdefault(target, []).extend(texts)
            else:
                data[target] = texts[0]
                for extra in texts[1:]:
                    self._lost(eid, target, extra, f"a second value; {target} holds one")

    def _object(self, eid: str, role: str) -> dict[str, Any]:
        self.used.add(eid)
        props = self._props(eid, role)
        data: dict[str, Any] = {"id": eid}
        self._fill(eid, role, data, props)
        if role == "Person":
            for v in props.get("affiliations", []):
                ref = self._ref(v)
                if ref and self.roles.get(ref) == "Organisation":
                    data.setdefault("affiliations", []).append(self._object(ref, "Organisation"))
                else:
                    self._lost(eid, "affiliation", v, "no Affiliation entity has this @id")
            for k in ("@address", "@website"):
                for v in props.get(k, []):
                    self._lost(eid, k[1:], v)
        elif role == "Biosample":
            for v in props.get("@organism", []):
                ref = self._ref(v)
                tid = ref or (v.get("@id") if isinstance(v, dict) else str(v))
                iri = taxon_iri(str(tid))
                if iri:
                    data.setdefault("organism", []).append(iri)
                else:
                    self._lost(eid, "organism_classification", tid, "not an NCBI taxon id")
                if ref:
                    self.used.add(ref)
                    tp = self._props(ref, "Taxon")
                    sci = self._text(tp.get("@scientific_name", []))
                    common = self._text(tp.get("@common_name", []))
                    if sci and "organism_name" not in data:
                        data["organism_name"] = sci[0]
                    elif common and "organism_name" not in data:
                        data["organism_name"] = common[0]
        elif role == "Specimen":
            for v in props.get("signal_channels", []):
                ref = self._ref(v)
                if ref and self.roles.get(ref) == "SignalChannel":
                    ch = self._object(ref, "SignalChannel")
                    ch.pop("id", None)
                    data.setdefault("signal_channels", []).append(ch)
                else:
                    self._lost(eid, "signal_channel_information", v, "no signal channel entity has this @id")
        elif role == "SignalChannel":
            for v in props.get("@channel_number", []):
                data.setdefault("channel_label", str(v))
        elif role == "ImageAcquisition":
            for v in props.get("@fbbi", []):
                iri = fbbi_iri(str(v))
                if iri:
                    data.setdefault("imaging_method", []).append(iri)
                else:
                    self._lost(eid, "fbbi_id", v, "not an FBbi id")
        elif role == "Organisation" and eid.startswith("https://ror.org/"):
            data["ror"] = eid
        if role == "Person" and re.match(r"^https://orcid\.org/[0-9X-]{19}$", eid):
            data["orcid"] = eid
        if (
            role
            in (
                "Biosample",
                "Specimen",
                "ImageAcquisition",
                "Annotations",
                "AnalysedData",
                "ImageCorrelation",
            )
            and "name" not in data
            and not eid.startswith(("_:", "#", "http://", "https://"))
            and "/" not in eid
        ):
            data["name"] = eid  # BIA crates name these objects by their title
        if role == "Annotations" and data.get("annotation_types"):
            data["annotation_types"] = [t.strip().replace(" ", "_") for t in data["annotation_types"]]
        return data

    # ---- the study ----

    def convert(self) -> dict[str, Any]:
        desc = self.entities.get("ro-crate-metadata.json")
        root_id = "./"
        if desc is not None:
            self.used.add("ro-crate-metadata.json")
            about = self._ref(desc.get("about")) or (desc.get("about") or {}).get("@id")
            root_id = about if isinstance(about, str) else root_id
            conforms = desc.get("conformsTo")
            self.conforms_to = str(conforms.get("@id") if isinstance(conforms, dict) else conforms or "")
        root = self.entities.get(root_id)
        if root is None:
            raise SourceError(
                self.name,
                f"no root dataset {root_id!r}",
                element="@graph",
                expected="the entity the metadata descriptor is about",
            )
        if self.roles.get(root_id) != "Study":
            raise SourceError(
                self.name,
                "the root dataset is not a BioImage Archive study",
                element=root_id,
                expected="a root entity typed bia:Study (a REMBI crate)",
            )
        self.used.add(root_id)
        props = self._props(root_id, "Study")
        study: dict[str, Any] = {}
        self._fill(root_id, "Study", study, props)
        acc = study.get("accession")
        study["id"] = acc or "study"
        for v in props.get("authors", []):
            ref = self._ref(v)
            if ref and self.roles.get(ref) == "Person":
                study.setdefault("authors", []).append(self._object(ref, "Person"))
            else:
                self._lost(
                    root_id,
                    "contributor",
                    v if not isinstance(v, dict) else v.get("@id"),
                    "no contributor entity has this @id",
                )
        for slot, role in (("publications", "Publication"), ("funding", "Grant")):
            for v in props.get(slot, []):
                ref = self._ref(v)
                if ref and self.roles.get(ref) == role:
                    study.setdefault(slot, []).append(self._object(ref, role))
                else:
                    self._lost(root_id, slot, v)
        # datasets -> study components; files under a dataset's folder are its image data's files
        datasets = [eid for eid, r in self.roles.items() if r == "ImageData"]
        files = {eid for eid, r in self.roles.items() if r == "File"}
        # data entities named in hasPart without an entity of their own are files too
        listed = [*props.get("@parts", [])]
        for ds in datasets:
            listed += self._props_quiet(ds, "ImageData").get("@parts", [])
        for v in listed:
            ref = v.get("@id") if isinstance(v, dict) else v
            if (
                isinstance(ref, str)
                and ref not in self.entities
                and not ref.endswith("/")
                and "://" not in ref
            ):
                files.add(ref)
        placed_files: set[str] = set()
        by_role: dict[str, dict[str, dict[str, Any]]] = {}
        placed_methods: set[str] = set()
        components = []
        pairs: dict[str, set[str]] = {}  # specimen protocol -> biosamples its datasets name
        for ds in datasets:
            self.used.add(ds)
            dprops = self._props(ds, "ImageData")
            comp: dict[str, Any] = {"id": "component:" + ds}
            img: dict[str, Any] = {"id": ds}
            self._fill(ds, "ImageData", img, dprops)
            for k in ("name", "description"):
                if k in img:
                    comp[k] = img[k]
            links: dict[str, list[Any]] = {}
            for k in (
                "@biosample",
                "@specimen_protocol",
                "@acquisition",
                "@annotations",
                "@analysis",
                "@correlation",
                "@specimen",
            ):
                links.setdefault(k, []).extend(dprops.get(k, []))
            for a in dprops.get("@association", []):
                ref = self._ref(a)
                if ref is None:
                    self._lost(ds, "association", a, "no association entity has this @id")
                    continue
                self.used.add(ref)
                for k, vs in self._props(ref, "Association").items():
                    links.setdefault(k, []).extend(vs)
            slots = {
                "@biosample": ("Biosample", "biosamples", "biosample"),
                "@specimen_protocol": ("Specimen", "specimens", "specimen"),
                "@acquisition": ("ImageAcquisition", "image_acquisitions", "acquisition"),
                "@annotations": ("Annotations", "annotation_sets", None),
                "@analysis": ("AnalysedData", "analysed_data", None),
                "@correlation": ("ImageCorrelation", "image_correlations", None),
            }
            for k, vs in links.items():
                if k not in slots:
                    for v in vs:
                        self._lost(ds, k.lstrip("@"), v)
                    continue
                role, comp_slot, img_slot = slots[k]
                for v in vs:
                    ref = self._ref(v)
                    if ref is None or self.roles.get(ref) != role:
                        self._lost(ds, k.lstrip("@"), v, f"no {role} entity has this @id")
                        continue
                    obj = by_role.setdefault(role, {}).get(ref) or self._object(ref, role)
                    by_role[role][ref] = obj
                    placed_methods.add(ref)
                    if obj not in comp.get(comp_slot, []):
                        comp.setdefault(comp_slot, []).append(obj)
                    if img_slot and img_slot not in img:
                        img[img_slot] = ref
                    elif img_slot:
                        self._lost(ds, img_slot, ref, "an image data object has one")
            for parts in dprops.get("@parts", []):
                ref = self._ref(parts)
                if ref in files:
                    pass
            folder = ds if ds.endswith("/") else ds + "/"
            mine = sorted(f for f in files if f.startswith(folder) and f not in placed_files)
            for f in mine:
                placed_files.add(f)
                img.setdefault("files", []).append(self._file(f))
            comp["image_data"] = [img]
            components.append(comp)
            if img.get("specimen") and img.get("biosample"):
                pairs.setdefault(img["specimen"], set()).add(img["biosample"])
        for spec, bios in pairs.items():  # a protocol used on one biosample only was prepared from it
            if len(bios) == 1 and spec in by_role.get("Specimen", {}):
                by_role["Specimen"][spec].setdefault("biosample", next(iter(bios)))
        # files made by an annotation method go to that annotation set
        for f in sorted(files - placed_files):
            if f not in self.entities:
                continue
            method = None
            cp = self._ref(
                self.entities[f].get("creation_process") or self.entities[f].get("creationProcess")
            )
            if cp:
                for v in _as_list(
                    self.entities[cp].get("annotation_method") or self.entities[cp].get("annotationMethod")
                ):
                    ref = self._ref(v)
                    if ref and self.roles.get(ref) == "Annotations":
                        method = ref
            if method:
                obj = by_role.setdefault("Annotations", {}).get(method) or self._object(method, "Annotations")
                by_role["Annotations"][method] = obj
                obj.setdefault("files", []).append(self._file(f))
                placed_files.add(f)
        for f in sorted(files - placed_files):
            self._lost(f, "file", f, "in no dataset's folder")
        if not components and any(
            r in ("Biosample", "Specimen", "ImageAcquisition") for r in self.roles.values()
        ):
            components.append({"id": "component:1", "name": study.get("title", "study")})
        # REMBI objects no dataset names: into the first component, said in a warning
        slot_of = {
            "Biosample": "biosamples",
            "Specimen": "specimens",
            "ImageAcquisition": "image_acquisitions",
            "Annotations": "annotation_sets",
            "AnalysedData": "analysed_data",
            "ImageCorrelation": "image_correlations",
        }
        left = []
        for eid, maybe_role in self.roles.items():
            if maybe_role is None:
                continue
            role = maybe_role
            if role in slot_of and eid not in placed_methods:
                obj = by_role.get(role, {}).get(eid) or self._object(eid, role)
                if components:
                    components[0].setdefault(slot_of[role], []).append(obj)
                    left.append(role)
                placed_methods.add(eid)
        if left and components:
            self.warnings.append(
                f"{len(left)} REMBI object(s) no dataset names ({', '.join(sorted(set(left)))}) "
                f"were placed in the first study component {components[0].get('name', components[0]['id'])!r}"
            )
        # annotation sets that got files but were not placed yet
        for eid, obj in by_role.get("Annotations", {}).items():
            if eid not in placed_methods and components:
                components[0].setdefault("annotation_sets", []).append(obj)
        if components:
            study["components"] = components
        for eid, e in self.entities.items():
            if eid not in self.used and eid not in files:
                types = ", ".join(str(t) for t in _as_list(e.get("@type")))
                self._lost(eid, "@type", types or "?", "entity not placed")
        return study

    def _file(self, fid: str) -> dict[str, Any]:
        self.used.add(fid)
        if fid not in self.entities:
            return {"id": fid, "path": fid}
        props = self._props(fid, "File")
        data: dict[str, Any] = {"id": fid, "path": fid}
        self._fill(fid, "File", data, props)
        cp = props.get("@creation_process")
        for v in cp or []:
            ref = self._ref(v)
            if ref:
                self.used.add(ref)
                for key, val in self.entities[ref].items():
                    if key not in ("@id", "@type", "annotation_method", "annotationMethod"):
                        self._lost(ref, key, val if not isinstance(val, list) else ", ".join(map(str, val)))
        return data


__all__ = ["ROCRATE_CONTEXTS", "RoCrateReader", "looks_like_rocrate", "rocrate_context"]
