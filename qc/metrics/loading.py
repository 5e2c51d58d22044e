"""Calibration images from files: OME-TIFF (tifffile), OME-Zarr (zarr, the highest-resolution
level) and NumPy ``.npy`` arrays, with the pixel sizes, channel names and acquisition date the
file's own metadata gives.

Pixel sizes come from the OME-XML in a TIFF header (``PhysicalSizeX/Y/Z`` and their units) or
from the NGFF ``multiscales`` scale transformations and the axes' units, converted to µm with
kg's unit table. A ``.npy`` array has no metadata: its axes are guessed from its dimensions
(or given as the option ``axes``) and its pixel size must be given as an option.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from kg.errors import SourceError
from qc.metrics._common import MeasurementError, option_floats

AXES = "tczyx"
DEFAULT_AXES = {2: "yx", 3: "zyx", 4: "czyx", 5: "tczyx"}  # how a .npy array's dimensions are read


@dataclass
class LoadedImage:
    """An image as ``data`` with axes ``tczyx`` (missing axes have length 1; a view, no copy)."""

    path: str
    data: np.ndarray[Any, Any]
    voxel_size_um: tuple[float | None, float | None, float | None]  # z, y, x; None when unknown
    channel_names: list[str | None] = field(default_factory=list)
    acquired: datetime | None = None
    format: str = ""
    size_source: str = ""  # where the voxel size came from, in words
    notes: list[str] = field(default_factory=list)  # what was guessed or not used

    @property
    def size_t(self) -> int:
        return int(self.data.shape[0])

    @property
    def size_c(self) -> int:
        return int(self.data.shape[1])

    @property
    def size_z(self) -> int:
        return int(self.data.shape[2])


def to_tczyx(arr: np.ndarray[Any, Any], axes: str, where: str) -> np.ndarray[Any, Any]:
    """A view of ``arr`` (axes named by the letters of ``axes``) with axes ``tczyx``."""
    axes = axes.lower()
    if len(axes) != arr.ndim or len(set(axes)) != len(axes) or not set(axes) <= set(AXES):
        raise SourceError(
            where,
            f"cannot use axes {axes!r} for an array of shape {tuple(arr.shape)}",
            expected="one distinct letter of t, c, z, y, x per dimension, with y and x",
        )
    if "y" not in axes or "x" not in axes:
        raise SourceError(
            where, f"the image has no y and x axes (axes {axes!r})", expected="a 2D image or more"
        )
    order = [axes.index(a) for a in AXES if a in axes]
    out = np.transpose(arr, order)
    for i, a in enumerate(AXES):
        if a not in axes:
            out = np.expand_dims(out, i)
    return out


def _to_um(value: float | None, unit: str | None, where: str, what: str) -> float | None:
    from kg.units import default_units

    if value is None:
        return None
    table = default_units()
    u = table.get(unit or "µm") or (table.by_name(unit) if unit else None)
    if u is None or u.si_unit != "m" or u.si_factor is None:
        raise SourceError(where, f"{what} has the unit {unit!r}", expected="a length unit such as µm or nm")
    si = u.to_si(float(value))
    um = float(si * Decimal(10**6)) if si is not None else None
    if um is None or not (math.isfinite(um) and um > 0):
        raise SourceError(where, f"{what} is {value} {unit}", expected="a positive size")
    return um


def _load_npy(path: Path, options: dict[str, object], default_axes: dict[int, str]) -> LoadedImage:
    where = str(path)
    try:
        arr = np.load(path, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise SourceError(where, f"not a readable .npy array: {exc}", expected="a NumPy .npy file") from exc
    axes = str(options.get("axes") or "")
    notes = []
    if not axes:
        axes = {**DEFAULT_AXES, **default_axes}.get(arr.ndim, "")
        if not axes:
            raise SourceError(where, f"an array with {arr.ndim} dimensions", expected="2 to 5 dimensions")
        notes.append(f"{path.name}: a .npy array has no axis names; read its shape {arr.shape} as {axes!r}")
    return LoadedImage(
        path=where,
        data=to_tczyx(arr, axes, where),
        voxel_size_um=(None, None, None),
        channel_names=[],
        format="NumPy",
        notes=notes,
    )


def _load_tiff(path: Path, options: dict[str, object]) -> LoadedImage:
    import tifffile

    where = str(path)
    try:
        with tifffile.TiffFile(path) as tf:
            series = tf.series[0]
            tiff_axes = series.axes
            arr = series.asarray()
            ome_xml = tf.ome_metadata if tf.is_ome else None
    except (OSError, ValueError, IndexError, tifffile.TiffFileError) as exc:
        raise SourceError(where, f"not a readable TIFF: {exc}", expected="an OME-TIFF file") from exc
    notes = []
    axes = str(options.get("axes") or "")
    if not axes:
        mapping = {"S": "c", "I": "z", "Q": "z"}
        axes = "".join(mapping.get(a, a.lower()) for a in tiff_axes)
        if any(a in tiff_axes for a in "IQ"):
            notes.append(f"{path.name}: TIFF pages without axis names ({tiff_axes}) read as z planes")
    img = LoadedImage(path=where, data=to_tczyx(arr, axes, where), voxel_size_um=(None, None, None))
    img.format = "OME-TIFF" if ome_xml else "TIFF"
    img.notes = notes
    if ome_xml:
        from kg.readers.ome_xml import parse_ome

        model, _version = parse_ome(ome_xml.encode("utf-8"), where)
        if model.images:
            image = model.images[0]
            px = image.pixels

            def unit(u: Any) -> str | None:
                return getattr(u, "value", u) if u is not None else None

            img.voxel_size_um = (
                _to_um(px.physical_size_z, unit(px.physical_size_z_unit), where, "Pixels/@PhysicalSizeZ"),
                _to_um(px.physical_size_y, unit(px.physical_size_y_unit), where, "Pixels/@PhysicalSizeY"),
                _to_um(px.physical_size_x, unit(px.physical_size_x_unit), where, "Pixels/@PhysicalSizeX"),
            )
            img.size_source = "the OME-XML in the TIFF header (Pixels/@PhysicalSizeX, Y, Z)"
            img.channel_names = [c.name for c in px.channels]
            acquired = image.acquisition_date
            img.acquired = acquired if isinstance(acquired, datetime) else None
            if len(model.images) > 1:
                img.notes.append(
                    f"{path.name}: holds {len(model.images)} images; only the first was measured"
                )
    return img


def _load_zarr(path: Path, options: dict[str, object]) -> LoadedImage:
    import zarr

    from kg.readers.ngff import NgffReader

    where = str(path)
    source = NgffReader().read(path)
    root = source.model
    images = list(root.images) or list(root.series)
    if not images:
        raise SourceError(
            where,
            "this OME-Zarr holds no image at its root (a plate or a well)",
            expected="the path of an image group (e.g. plate.zarr/A/1/0)",
        )
    image = images[0]
    if not image.multiscales or not image.multiscales[0].datasets:
        raise SourceError(where, "the image has no multiscales datasets", element="multiscales[0].datasets")
    ms = image.multiscales[0]
    ds = ms.datasets[0]  # the first level is the highest resolution (NGFF)
    rel = "" if image.id == "root" else image.id
    array_path = path / rel / ds.path if rel else path / ds.path
    try:
        arr = np.asarray(zarr.open_array(store=str(array_path), mode="r")[...])
    except Exception as exc:  # zarr raises a range of errors for missing or corrupt arrays
        raise SourceError(str(array_path), f"cannot read the array: {exc}", expected="a zarr array") from exc
    names = [(a.name or "").lower() for a in ms.axes]
    if not names:  # NGFF 0.1/0.2: always 5D tczyx
        names = list(AXES[-arr.ndim :])
    axes = str(options.get("axes") or "")
    if not axes:
        axes = "".join(n if n in AXES else "?" for n in names)
    notes = []
    if len(images) > 1:
        notes.append(f"{path.name}: holds {len(images)} images; only the first was measured")
    img = LoadedImage(
        path=where, data=to_tczyx(arr, axes, where), voxel_size_um=(None, None, None), format="OME-Zarr"
    )
    img.notes = notes
    scale = list(ds.scale or [1.0] * len(names))
    if ms.scale:
        scale = [a * b for a, b in zip(scale, ms.scale, strict=False)]
    sizes: dict[str, float | None] = {}
    for i, axis in enumerate(ms.axes):
        n = (axis.name or "").lower()
        if n in ("z", "y", "x") and i < len(scale):
            if axis.unit:
                sizes[n] = _to_um(
                    scale[i], axis.unit, where, f"multiscales[0].datasets[0] scale of axis {n!r}"
                )
            else:
                img.notes.append(f"{path.name}: axis {n!r} has a scale but no unit; its size is unknown")
    img.voxel_size_um = (sizes.get("z"), sizes.get("y"), sizes.get("x"))
    img.size_source = "the NGFF multiscales scale transformations and axis units"
    img.channel_names = [c.label for c in image.channels]
    if source.companion_model is not None and source.companion_model.images:
        acquired = source.companion_model.images[0].acquisition_date
        img.acquired = acquired if isinstance(acquired, datetime) else None
    return img


def load_image(
    path: Path | str, options: dict[str, object] | None = None, *, default_axes: dict[int, str] | None = None
) -> LoadedImage:
    """Read the image at ``path`` (OME-TIFF, OME-Zarr folder or ``.npy``) with its metadata.

    ``options`` may give ``axes`` (letters of tczyx, for arrays without axis names; otherwise a
    ``.npy`` array's dimensions are read as ``default_axes`` or ``DEFAULT_AXES`` say),
    ``pixel_size_um`` (y, x or one number) and ``voxel_size_um`` (z, y, x or one number), which
    override the file's metadata (a note says so when they differ).
    """
    from kg.readers.ngff import has_ngff_metadata

    options = options or {}
    p = Path(path)
    if not p.exists():
        raise SourceError(str(p), "no such file or folder")
    if p.is_dir():
        if not has_ngff_metadata(p):
            raise SourceError(str(p), "a folder that is not an OME-Zarr image", expected="an OME-Zarr folder")
        img = _load_zarr(p, options)
    elif p.suffix.lower() == ".npy":
        img = _load_npy(p, options, default_axes or {})
    else:
        with p.open("rb") as fh:
            head = fh.read(4)
        if head not in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
            raise SourceError(
                str(p),
                "not a calibration image kg can read",
                expected="an OME-TIFF, an OME-Zarr folder or a .npy array",
            )
        img = _load_tiff(p, options)
    _apply_size_options(img, options)
    return img


def _apply_size_options(img: LoadedImage, options: dict[str, object]) -> None:
    given: list[float | None] = [None, None, None]  # z, y, x from the options
    vox = option_floats(options, "voxel_size_um", 3)
    if vox is not None:
        given = list(vox)
    px = option_floats(options, "pixel_size_um", 2)
    if px is not None:
        given[1], given[2] = px
    if all(g is None for g in given):
        return
    differs = [
        "zyx"[i]
        for i, (g, m) in enumerate(zip(given, img.voxel_size_um, strict=True))
        if g is not None and m is not None and not math.isclose(g, m, rel_tol=1e-6)
    ]
    if differs:
        img.notes.append(
            f"{Path(img.path).name}: the {', '.join(differs)} sizes given as options "
            f"replace the file's ({img.voxel_size_um} µm, z, y, x)"
        )
    z, y, x = (g if g is not None else m for g, m in zip(given, img.voxel_size_um, strict=True))
    img.voxel_size_um = (z, y, x)
    if all(g is not None for g in given):
        img.size_source = "options"
    else:
        img.size_source = f"options (y, x) and {img.size_source or 'nothing'} (z)"


def require_sizes(img: LoadedImage, axes: str) -> tuple[float, ...]:
    """The pixel sizes (µm) of ``axes`` ("yx" or "zyx"), or an error naming the file and how to
    give them."""
    idx = {"z": 0, "y": 1, "x": 2}
    missing = [a for a in axes if img.voxel_size_um[idx[a]] is None]
    if missing:
        opt = "voxel_size_um (z, y, x)" if "z" in axes else "pixel_size_um (y, x)"
        meta = {
            "OME-TIFF": "the OME-XML has no PhysicalSize" + "/".join(a.upper() for a in missing),
            "TIFF": "a plain TIFF carries no OME pixel size",
            "OME-Zarr": "the NGFF metadata gives no scale with a unit for axis " + ", ".join(missing),
            "NumPy": "a .npy array carries no pixel size",
        }.get(img.format, "no pixel size in the metadata")
        raise MeasurementError(
            f"{img.path}: the {', '.join(missing)} pixel size is unknown: {meta}; "
            f"give it in the options as {opt}"
        )
    return tuple(float(img.voxel_size_um[idx[a]]) for a in axes)  # type: ignore[arg-type]
