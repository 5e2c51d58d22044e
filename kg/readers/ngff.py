"""OME-Zarr (OME-NGFF 0.1 to 0.5, tolerating 0.6 drafts): metadata only, never a pixel chunk.

A source is the root group of an OME-Zarr hierarchy, given as a local folder or an http(s) URL.
The reader reads the group attributes (zarr v2 ``.zattrs``, zarr v3 ``zarr.json``), follows the
hierarchy where the metadata points (a plate's wells, a well's fields, an image's ``labels``,
bioformats2raw series) and reads each multiscale level's array metadata (shape, data type,
chunks) but no chunk.

Validation: 0.4 and 0.5 documents are validated with ome-zarr-models, plus the checks the NGFF
JSON schemas make that it does not (omero channel colours and windows); 0.1 to 0.3 and 0.6 drafts
with the structural rules of their versions. A document that fails is refused with the reason,
naming the file and the JSON path.
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urljoin

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError

from kg.errors import SourceError
from kg.readers.base import Source

MAX_JSON_BYTES = 16 * 1024 * 1024
_HEX_COLOR = re.compile(r"^[0-9A-Fa-f]{6}$")


def is_url(location: str | Path) -> bool:
    return str(location).startswith(("http://", "https://"))


class ZarrLocation:
    """Reads JSON documents of a zarr hierarchy from a folder or an http(s) URL (with a timeout
    and a size cap), and nothing else."""

    def __init__(self, root: str | Path, timeout_s: float = 10.0) -> None:
        self.root = str(root).rstrip("/")
        self.timeout_s = timeout_s
        self.url = is_url(root)

    def name(self, rel: str) -> str:
        return f"{self.root}/{rel}" if rel else self.root

    def read_json(self, rel: str) -> dict[str, Any] | None:
        where = self.name(rel)
        if self.url:
            import requests

            try:
                resp = requests.get(urljoin(self.root + "/", rel), timeout=(5, self.timeout_s), stream=True)
            except requests.RequestException as exc:
                raise SourceError(where, f"cannot fetch: {exc}") from exc
            with resp:
                if resp.status_code == 404:
                    return None
                if resp.status_code >= 400:
                    raise SourceError(where, f"the server answered {resp.status_code}")
                raw = resp.raw.read(MAX_JSON_BYTES + 1, decode_content=True)
        else:
            p = Path(where)
            if not p.is_file():
                return None
            if p.stat().st_size > MAX_JSON_BYTES:
                raise SourceError(where, f"metadata document larger than {MAX_JSON_BYTES} bytes")
            raw = p.read_bytes()
        if len(raw) > MAX_JSON_BYTES:
            raise SourceError(where, f"metadata document larger than {MAX_JSON_BYTES} bytes")
        try:
            doc = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            line = getattr(exc, "lineno", None)
            raise SourceError(where, f"not valid JSON: {exc}", line=line, expected="a JSON object") from exc
        if not isinstance(doc, dict):
            raise SourceError(where, f"expected a JSON object, found {type(doc).__name__}")
        return doc

    def group_attrs(self, rel: str) -> tuple[dict[str, Any], int, str] | None:
        """(OME attributes, zarr format, the file they came from) of the group at ``rel``."""
        prefix = f"{rel}/" if rel else ""
        v3 = self.read_json(prefix + "zarr.json")
        if v3 is not None:
            attrs = v3.get("attributes") or {}
            return (attrs.get("ome", attrs) if isinstance(attrs, dict) else {}), 3, prefix + "zarr.json"
        v2 = self.read_json(prefix + ".zattrs")
        if v2 is not None:
            return v2, 2, prefix + ".zattrs"
        return None

    def array_meta(self, rel: str) -> dict[str, Any] | None:
        prefix = f"{rel}/" if rel else ""
        v3 = self.read_json(prefix + "zarr.json")
        if v3 is not None and v3.get("node_type") == "array":
            return {
                "shape": v3.get("shape"),
                "data_type": v3.get("data_type"),
                "chunks": ((v3.get("chunk_grid") or {}).get("configuration") or {}).get("chunk_shape"),
            }
        v2 = self.read_json(prefix + ".zarray")
        if v2 is not None:
            return {"shape": v2.get("shape"), "data_type": v2.get("dtype"), "chunks": v2.get("chunks")}
        return None


def has_ngff_metadata(path: Path) -> bool:
    """True for a folder that is the root of an OME-Zarr hierarchy (not one of its subgroups)."""
    for name in ("zarr.json", ".zattrs"):
        f = path / name
        if f.is_file() and f.stat().st_size < MAX_JSON_BYTES:
            try:
                doc = json.loads(f.read_bytes())
            except (ValueError, UnicodeDecodeError):
                return False
            if not isinstance(doc, dict):
                return False
            attrs = doc.get("attributes", doc) if name == "zarr.json" else doc
            attrs = attrs.get("ome", attrs) if isinstance(attrs, dict) else {}
            if isinstance(attrs, dict) and any(
                k in attrs for k in ("multiscales", "plate", "bioformats2raw.layout", "well")
            ):
                return not (path.parent / name).is_file() or not has_ngff_metadata(path.parent)
    return False


# -- the tree handed to the mapping: our own small pydantic models, filled from validated
# ome-zarr-models objects or, for 0.1-0.3 and 0.6 drafts, from the checked JSON. Keys we do not
# model stay in `model_extra`, which the mapper reports as unmapped: nothing is lost silently.


class NgffModel(BaseModel):
    model_config = ConfigDict(extra="allow")


class NgffAxis(NgffModel):
    name: str | None = None
    type: str | None = None
    unit: str | None = None
    # derived: the full-resolution pixel size along this axis (dataset 0's scale, times the
    # multiscale's own scale), with the unit symbol of ``unit``; None when either is unknown
    pixel_size: float | None = None
    pixel_size_unit: str | None = None


class NgffDataset(NgffModel):
    path: str
    scale: list[float] | None = None
    translation: list[float] | None = None
    shape: list[int] | None = None  # from the level's array metadata
    data_type: str | None = None
    chunks: list[int] | None = None


class NgffMultiscale(NgffModel):
    name: str | None = None
    type: str | None = None
    version: str | None = None
    axes: list[NgffAxis] = []
    datasets: list[NgffDataset] = []
    scale: list[float] | None = None  # multiscale-level transformation
    translation: list[float] | None = None
    metadata: dict[str, Any] | None = None


class NgffWindow(NgffModel):
    min: float | None = None
    max: float | None = None
    start: float | None = None
    end: float | None = None


class NgffChannel(NgffModel):
    label: str | None = None
    color: str | None = None
    active: bool | None = None
    inverted: bool | None = None
    coefficient: float | None = None
    family: str | None = None
    window: NgffWindow | None = None


class NgffImage(NgffModel):
    """An image group: its multiscales, omero rendering and labels."""

    id: str  # the group path inside the hierarchy ("" for the root)
    version: str
    name: str | None = None
    multiscales: list[NgffMultiscale] = []
    channels: list[NgffChannel] = []
    labels: list[NgffImage] = []
    label_source: str | None = None  # image-label: the image it labels
    label_colors: int | None = None  # image-label: how many label colours are defined


class NgffWell(NgffModel):
    id: str
    row: str | None = None
    column: str | None = None
    row_index: int | None = None
    column_index: int | None = None
    fields: list[NgffImage] = []


class NgffAcquisition(NgffModel):
    id: int
    name: str | None = None
    description: str | None = None
    maximumfieldcount: int | None = None
    starttime: int | None = None
    endtime: int | None = None


class NgffPlate(NgffModel):
    id: str
    version: str
    name: str | None = None
    rows: int | None = None
    columns: int | None = None
    field_count: int | None = None
    acquisitions: list[NgffAcquisition] = []
    wells: list[NgffWell] = []


class NgffRoot(NgffModel):
    """What one OME-Zarr source holds."""

    _warnings: list[str] = PrivateAttr(default_factory=list)

    location: str
    version: str
    zarr_format: int
    images: list[NgffImage] = []
    plates: list[NgffPlate] = []
    wells: list[NgffWell] = []  # a well read on its own
    series: list[NgffImage] = []  # bioformats2raw: the image groups 0, 1, ...
    bioformats2raw_layout: int | None = None


def _plain(x: Any) -> Any:
    """A validated ome-zarr-models object (or plain JSON) as plain JSON."""
    if isinstance(x, BaseModel):
        return x.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(x, list | tuple):
        return [_plain(v) for v in x]
    return x


def _transforms(items: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for t in items or []:
        if isinstance(t, dict) and t.get("type") in ("scale", "translation") and t["type"] in t:
            out[t["type"]] = t[t["type"]]
        elif isinstance(t, dict):
            out.setdefault("unsupported_transformations", []).append(t)
    return out


def _multiscale(m: dict[str, Any]) -> NgffMultiscale:
    m = dict(m)
    axes = []
    for a in m.pop("axes", None) or []:
        axes.append(NgffAxis(name=a) if isinstance(a, str) else NgffAxis(**a))  # 0.3: axes are names
    datasets = []
    for d in m.pop("datasets", None) or []:
        d = dict(d)
        ct = _transforms(d.pop("coordinateTransformations", None))
        datasets.append(NgffDataset(**d, **ct))
    ct = _transforms(m.pop("coordinateTransformations", None))
    _pixel_sizes(axes, datasets[0].scale if datasets else None, ct.get("scale"))
    return NgffMultiscale(axes=axes, datasets=datasets, **ct, **m)


def _pixel_sizes(axes: list[NgffAxis], scale: list[float] | None, outer: list[float] | None) -> None:
    """Give each axis with a known unit its full-resolution pixel size, so that queries compare
    NGFF and OME pixel sizes as quantities (0.65 micrometer = 650 nm)."""
    from kg.units import default_units

    if not scale or len(scale) != len(axes) or (outer and len(outer) != len(axes)):
        return
    units = default_units()
    for i, axis in enumerate(axes):
        unit = units.by_name(axis.unit) if axis.unit else None
        value = scale[i] * (outer[i] if outer else 1.0)
        if unit is not None and isinstance(value, int | float) and value > 0:
            axis.pixel_size = float(value)
            axis.pixel_size_unit = unit.symbol


def _channels(omero: Any) -> list[NgffChannel]:
    if not isinstance(omero, dict):
        return []
    out = []
    for ch in omero.get("channels") or []:
        ch = dict(ch)
        window = ch.pop("window", None)
        out.append(NgffChannel(window=NgffWindow(**window) if isinstance(window, dict) else None, **ch))
    return out


@dataclass
class _Ctx:
    loc: ZarrLocation
    version: str
    warnings: list[str] = field(default_factory=list)


def _version_of(attrs: dict[str, Any]) -> str | None:
    if isinstance(attrs.get("version"), str):
        return str(attrs["version"])
    for key in ("multiscales", "plate", "well"):
        v = attrs.get(key)
        if isinstance(v, list) and v and isinstance(v[0], dict) and v[0].get("version"):
            return str(v[0]["version"])
        if isinstance(v, dict) and v.get("version"):
            return str(v["version"])
    return None


def _models(version: str) -> dict[str, Any] | None:
    """ome-zarr-models' attribute models for a version it implements (0.4 and 0.5)."""
    from importlib import import_module

    if version not in ("0.4", "0.5"):
        return None
    pkg = "ome_zarr_models.v0" + version[-1]
    mod = {k: import_module(f"{pkg}.{k}") for k in ("hcs", "image", "image_label", "well")}
    return {
        "image": mod["image"].ImageAttrs,
        "label": mod["image_label"].ImageLabelAttrs,
        "plate": mod["hcs"].HCSAttrs,
        "well": mod["well"].WellAttrs,
    }


def _json_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out.lstrip(".") or "(document)"


def _validate(kind: str, attrs: dict[str, Any], ctx: _Ctx, where: str) -> Any:
    """Validate OME attributes of one group; return the validated model (or the raw dict)."""
    models = _models(ctx.version)
    if models is not None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = models[kind].model_validate(attrs)
        except ValidationError as exc:
            e = exc.errors()[0]
            raise SourceError(
                where,
                f"invalid OME-NGFF {ctx.version} {kind} metadata at "
                f"{_json_path(tuple(e.get('loc', ())))}: {e.get('msg')}",
                expected=f"metadata valid against the OME-NGFF {ctx.version} specification",
            ) from exc
        _extra_checks(attrs, ctx, where)
        return model
    _structural_checks(kind, attrs, ctx, where)
    return attrs


def _extra_checks(attrs: dict[str, Any], ctx: _Ctx, where: str) -> None:
    """Rules of the NGFF JSON schemas that ome-zarr-models does not enforce."""
    well = attrs.get("well")
    if isinstance(well, dict):
        images = well.get("images")
        if not images:
            raise SourceError(
                where,
                f"invalid OME-NGFF {ctx.version} well metadata at well.images: empty",
                expected="at least one image",
            )
        for i, img in enumerate(images):
            acq = img.get("acquisition") if isinstance(img, dict) else None
            if acq is not None and (not isinstance(acq, int) or isinstance(acq, bool)):
                raise SourceError(
                    where,
                    f"invalid OME-NGFF {ctx.version} well metadata at well.images[{i}].acquisition: {acq!r}",
                    expected="an integer acquisition id",
                )
    omero = attrs.get("omero")
    if isinstance(omero, dict):
        for i, ch in enumerate(omero.get("channels") or []):
            if not isinstance(ch, dict):
                continue
            color = ch.get("color")
            if color is not None and not (isinstance(color, str) and _HEX_COLOR.match(color)):
                raise SourceError(
                    where,
                    f"invalid OME-NGFF {ctx.version} omero metadata at omero.channels[{i}].color: {color!r}",
                    expected="a colour as six hexadecimal digits, like 'FF0000'",
                )
            window = ch.get("window")
            if window is not None:
                for key in ("min", "max", "start", "end"):
                    if not isinstance(window, dict) or not isinstance(window.get(key), int | float):
                        raise SourceError(
                            where,
                            f"invalid OME-NGFF {ctx.version} omero metadata at "
                            f"omero.channels[{i}].window.{key}",
                            expected="numbers for window min, max, start and end",
                        )


def _structural_checks(kind: str, attrs: dict[str, Any], ctx: _Ctx, where: str) -> None:
    """The rules of OME-NGFF 0.1-0.3 (and what 0.6 drafts keep of them)."""

    def fail(path: str, expected: str) -> NoReturn:
        raise SourceError(
            where, f"invalid OME-NGFF {ctx.version} {kind} metadata at {path}", expected=expected
        )

    if kind in ("image", "label"):
        ms = attrs.get("multiscales")
        if not isinstance(ms, list) or not ms:
            fail("multiscales", "a non-empty list of multiscales")
        for i, m in enumerate(ms):
            ds = m.get("datasets") if isinstance(m, dict) else None
            if not isinstance(ds, list) or not ds:
                fail(f"multiscales[{i}].datasets", "a non-empty list of datasets")
            for j, d in enumerate(ds):
                if not isinstance(d, dict) or not isinstance(d.get("path"), str):
                    fail(f"multiscales[{i}].datasets[{j}].path", "a path (string) to the level's array")
    elif kind == "plate":
        plate = attrs.get("plate")
        if not isinstance(plate, dict) or not isinstance(plate.get("wells"), list) or not plate["wells"]:
            fail("plate.wells", "a plate with a non-empty list of wells")
        for i, w in enumerate(plate["wells"]):
            if not isinstance(w, dict) or not isinstance(w.get("path"), str):
                fail(f"plate.wells[{i}].path", "the path of the well's group")
            for key in ("rowIndex", "columnIndex"):
                if not isinstance(w.get(key), int) or w[key] < 0:
                    fail(f"plate.wells[{i}].{key}", "a non-negative integer")
        for key in ("rows", "columns"):
            names = [r.get("name") if isinstance(r, dict) else None for r in plate.get(key) or []]
            if not names or None in names:
                fail(f"plate.{key}", f"a non-empty list of {key} with names")
            if len(set(names)) != len(names):
                fail(f"plate.{key}", f"{key} with distinct names")
    elif kind == "well":
        well = attrs.get("well")
        if not isinstance(well, dict) or not isinstance(well.get("images"), list) or not well["images"]:
            fail("well.images", "a well with a non-empty list of images")
        paths = [i.get("path") if isinstance(i, dict) else None for i in well["images"]]
        if None in paths or len(set(paths)) != len(paths):
            fail("well.images", "images with distinct paths")


def _ms_list(model: Any) -> list[Any]:
    if isinstance(model, dict):
        return list(model.get("multiscales") or [])
    return list(getattr(model, "multiscales", None) or [])


def _read_image(ctx: _Ctx, rel: str, attrs: dict[str, Any], where: str, kind: str = "image") -> NgffImage:
    model = _validate(kind, attrs, ctx, where)
    multiscales = [_multiscale(m) for m in _plain(_ms_list(model))]
    for m in multiscales:
        for d in m.datasets:
            meta = ctx.loc.array_meta(f"{rel}/{d.path}" if rel else d.path) or {}
            d.shape, d.data_type, d.chunks = meta.get("shape"), meta.get("data_type"), meta.get("chunks")
    label_meta = attrs.get("image-label") if isinstance(attrs.get("image-label"), dict) else {}
    image = NgffImage(
        id=rel or "root",
        version=ctx.version,
        name=multiscales[0].name if multiscales else None,
        multiscales=multiscales,
        channels=_channels(attrs.get("omero")),
        label_source=(label_meta.get("source") or {}).get("image") if label_meta else None,
        label_colors=len(label_meta.get("colors") or []) if label_meta else None,
    )
    if kind == "image":
        labels_rel = f"{rel}/labels" if rel else "labels"
        found = ctx.loc.group_attrs(labels_rel)
        if found is not None:
            lattrs, _fmt, _f = found
            for lname in lattrs.get("labels") or []:
                lrel = f"{labels_rel}/{lname}"
                got = ctx.loc.group_attrs(lrel)
                if got is None:
                    raise SourceError(ctx.loc.name(lrel), "a label named in labels/ has no group metadata")
                image.labels.append(_read_image(ctx, lrel, got[0], ctx.loc.name(got[2]), kind="label"))
    return image


def read_ngff(root: str | Path) -> NgffRoot:
    """Read the OME-Zarr hierarchy at ``root`` (a folder or an http(s) URL)."""
    try:
        return _read_ngff(root)
    except ValidationError as exc:  # a value of a type the NGFF metadata does not allow
        e = exc.errors()[0]
        raise SourceError(
            str(root),
            f"invalid OME-NGFF metadata in {exc.title.removeprefix('Ngff').lower()} at "
            f"{_json_path(tuple(e.get('loc', ())))}: {e.get('msg')} (found {e.get('input')!r})",
            expected="metadata of the types the OME-NGFF specification gives",
        ) from exc
    except (KeyError, TypeError, AttributeError) as exc:
        raise SourceError(
            str(root),
            f"malformed OME-NGFF metadata: missing or misshapen {exc}",
            expected="the structure of the OME-NGFF specification",
        ) from exc


def _read_ngff(root: str | Path) -> NgffRoot:
    loc = ZarrLocation(root)
    found = loc.group_attrs("")
    if found is None:
        raise SourceError(loc.root, "no zarr group metadata here", expected="a zarr.json or .zattrs file")
    attrs, zarr_format, fname = found
    where = loc.name(fname)
    if "bioformats2raw.layout" in attrs:
        return _read_bf2raw(loc, attrs, zarr_format, where)
    version = _version_of(attrs)
    if version is None:
        raise SourceError(
            where,
            "no OME-NGFF version in the metadata",
            expected="multiscales, plate or well metadata with a version",
        )
    if not re.match(r"^0\.[1-6]", version):
        raise SourceError(
            where,
            f"OME-NGFF version {version!r} is not supported",
            expected="0.1 to 0.5 (0.6 drafts tolerated)",
        )
    ctx = _Ctx(loc, version)
    out = NgffRoot(location=loc.root, version=version, zarr_format=zarr_format)
    out._warnings = ctx.warnings
    if "plate" in attrs:
        out.plates.append(_read_plate(ctx, "", attrs, where))
    elif "multiscales" in attrs:
        out.images.append(_read_image(ctx, "", attrs, where))
    elif "well" in attrs:  # a single well, read on its own
        well = NgffWell(id="root")
        _read_well_fields(ctx, well, attrs, where)
        out.wells.append(well)
    else:
        raise SourceError(where, "no OME-NGFF image or plate metadata", expected="multiscales or plate")
    return out


def _read_plate(ctx: _Ctx, rel: str, attrs: dict[str, Any], where: str) -> NgffPlate:
    model = _validate("plate", attrs, ctx, where)
    meta = _plain(model.plate if hasattr(model, "plate") else attrs["plate"])
    rows = [r.get("name") for r in meta.get("rows") or []]
    cols = [c.get("name") for c in meta.get("columns") or []]
    plate = NgffPlate(
        id=rel or "root",
        version=ctx.version,
        name=meta.get("name"),
        rows=len(rows) or None,
        columns=len(cols) or None,
        field_count=meta.get("field_count"),
        acquisitions=[NgffAcquisition(**a) for a in meta.get("acquisitions") or []],
    )
    for w in meta.get("wells") or []:
        wpath = w["path"]
        got = ctx.loc.group_attrs(wpath)
        ri, ci = w.get("rowIndex"), w.get("columnIndex")
        well = NgffWell(
            id=wpath,
            row_index=ri,
            column_index=ci,
            row=rows[ri] if isinstance(ri, int) and ri < len(rows) else None,
            column=cols[ci] if isinstance(ci, int) and ci < len(cols) else None,
        )
        plate.wells.append(well)
        if got is None:
            ctx.warnings.append(
                f"well {wpath!r} is listed by the plate but has no group metadata; its fields are unknown"
            )
            continue
        _read_well_fields(ctx, well, got[0], ctx.loc.name(got[2]))
    return plate


def _read_well_fields(ctx: _Ctx, well: NgffWell, wattrs: dict[str, Any], where: str) -> None:
    wmodel = _validate("well", wattrs, ctx, where)
    wmeta = _plain(wmodel.well if hasattr(wmodel, "well") else wattrs["well"])
    prefix = f"{well.id}/" if well.id != "root" else ""
    for img in wmeta.get("images") or []:
        frel = f"{prefix}{img['path']}"
        fgot = ctx.loc.group_attrs(frel)
        if fgot is None:
            ctx.warnings.append(f"field {frel!r} is listed by its well but has no group metadata")
            continue
        well.fields.append(_read_image(ctx, frel, fgot[0], ctx.loc.name(fgot[2])))


def _read_bf2raw(loc: ZarrLocation, attrs: dict[str, Any], zarr_format: int, where: str) -> NgffRoot:
    out = NgffRoot(
        location=loc.root,
        version="bioformats2raw",
        zarr_format=zarr_format,
        bioformats2raw_layout=int(attrs["bioformats2raw.layout"]),
    )
    index = 0
    while True:
        got = loc.group_attrs(str(index))
        if got is None:
            break
        sattrs, _fmt, sfile = got
        version = _version_of(sattrs) or "0.4"
        out.version = version
        out.series.append(_read_image(_Ctx(loc, version), str(index), sattrs, loc.name(sfile)))
        index += 1
    return out


class NgffReader:
    kind = "OME-Zarr"

    def accepts(self, path: Path, head: bytes) -> bool:
        return path.is_dir() and has_ngff_metadata(path)

    def read(self, path: Path | str) -> Source:
        import hashlib

        root = read_ngff(path)
        ome_model = None
        facts = {"ngff_version": root.version, "zarr_format": str(root.zarr_format)}
        if root.bioformats2raw_layout is not None:
            from kg.readers.ome_xml import parse_ome

            loc = ZarrLocation(path)
            xml_rel = "OME/METADATA.ome.xml"
            if loc.url:
                raise SourceError(
                    loc.name(xml_rel),
                    "bioformats2raw over http is not supported yet",
                    expected="a local folder",
                )
            xml_path = Path(loc.name(xml_rel))
            if xml_path.is_file():
                ome_model, schema = parse_ome(xml_path.read_bytes(), str(xml_path))
                facts["schema"] = schema
        digest = hashlib.sha256(root.model_dump_json().encode())
        if ome_model is not None:
            digest.update(ome_model.to_xml().encode())
        return Source(
            path=path if is_url(path) else Path(path),
            kind=self.kind,
            model=root,
            sha256=digest.hexdigest(),
            facts=facts,
            companion_model=ome_model,
            warnings=list(root._warnings),
        )
