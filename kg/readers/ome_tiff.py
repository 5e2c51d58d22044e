"""OME-TIFF: the OME-XML in the first IFD's ImageDescription, read without reading pixels.

Multi-file datasets:
- A file whose OME-XML is only a ``BinaryOnly`` pointer holds no metadata of its own: it is read
  as the file it points to (a ``.companion.ome`` file or the master OME-TIFF), so ingesting every
  file of a dataset gives one source, not one per file.
- In the master, TiffData ``UUID`` elements name the files that hold the planes; the mapping
  records them on the Pixels (``bkg:dataFile``), without the per-plane layout.
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import SourceError
from kg.readers.base import Source
from kg.readers.ome_xml import ome_root, ome_source

_TIFF_MAGIC = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")


def _ome_description(path: Path) -> str | None:
    import tifffile

    try:
        with tifffile.TiffFile(path) as tf:
            if not tf.pages:
                return None
            desc = tf.pages.first.description  # tags only; no pixel data is read
    except (OSError, ValueError, tifffile.TiffFileError) as exc:
        raise SourceError(str(path), f"not a readable TIFF: {exc}", expected="a TIFF file") from exc
    if desc and "<OME" in desc[:4096] and "openmicroscopy.org" in desc[:4096]:
        return desc
    return None


class OmeTiffReader:
    kind = "OME-TIFF"

    def accepts(self, path: Path, head: bytes) -> bool:
        if head[:4] not in _TIFF_MAGIC:
            return False
        try:
            return _ome_description(path) is not None
        except SourceError:
            return False

    def read(self, path: Path | str, *, _followed: bool = False) -> Source:
        path = Path(path)
        name = str(path)
        desc = _ome_description(path)
        if desc is None:
            raise SourceError(name, "the TIFF has no OME-XML in its ImageDescription", expected="an OME-TIFF")
        data = desc.encode("utf-8")
        root, _version = ome_root(data, name)
        pointer = next(
            (el for el in root if isinstance(el.tag, str) and el.tag.endswith("}BinaryOnly")), None
        )
        if pointer is not None:
            if _followed:
                raise SourceError(
                    name,
                    "this metadata file is itself only a BinaryOnly pointer",
                    element="BinaryOnly",
                    expected="the full OME-XML",
                )
            return self._follow(path, pointer.get("MetadataFile"))
        return ome_source(path, self.kind, data)

    def _follow(self, path: Path, metadata_file: str | None) -> Source:
        from kg.readers import detect

        if not metadata_file:
            raise SourceError(
                str(path),
                "BinaryOnly has no MetadataFile",
                element="BinaryOnly",
                expected="MetadataFile naming the file with the metadata",
            )
        target = (path.parent / metadata_file).resolve()
        if target.parent != path.parent.resolve() and path.parent.resolve() not in target.parents:
            raise SourceError(
                str(path),
                f"BinaryOnly points outside the dataset's folder: {metadata_file!r}",
                element="BinaryOnly/@MetadataFile",
                expected="a file in the same folder",
            )
        if not target.is_file():
            raise SourceError(
                str(path),
                f"the metadata of this file is in {metadata_file!r}, which is not there",
                element="BinaryOnly/@MetadataFile",
                expected=f"{target} beside this file",
            )
        if target == path.resolve():
            raise SourceError(str(path), "BinaryOnly points to the file itself", element="BinaryOnly")
        reader = detect(target)
        if isinstance(reader, OmeTiffReader):
            return reader.read(target, _followed=True)
        return reader.read(target)
