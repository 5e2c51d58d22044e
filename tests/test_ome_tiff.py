"""OME-TIFF: OME-XML read from the TIFF header; multi-file sets (master + BinaryOnly, companion)."""

from __future__ import annotations

import uuid
from pathlib import Path

import numpy as np
import pytest
import tifffile

from kg.config import Settings
from kg.errors import SourceError
from kg.ingest import ingest_paths
from kg.readers import detect
from kg.readers.ome_tiff import OmeTiffReader
from kg.store import EmbeddedStore

from .conftest import rows

NS = "http://www.openmicroscopy.org/Schemas/OME/2016-06"


def _pixels_xml(files: list[tuple[str, str]], planes_per_file: int = 1) -> str:
    tiffdata = "".join(
        f'<TiffData FirstZ="{i}" IFD="0" PlaneCount="{planes_per_file}"><UUID FileName="{name}">{uid}</UUID></TiffData>'
        for i, (name, uid) in enumerate(files)
    )
    return (
        f'<Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint8" SizeX="8" SizeY="6" SizeZ="{len(files)}" SizeC="1" SizeT="1" '
        f'PhysicalSizeX="0.2" PhysicalSizeY="0.2"><Channel ID="Channel:0:0" Name="GFP"/>{tiffdata}</Pixels>'
    )


def test_single_ome_tiff_written_by_tifffile(
    tmp_path: Path, store: EmbeddedStore, settings: Settings
) -> None:
    f = tmp_path / "stack.ome.tif"
    tifffile.imwrite(
        f,
        np.zeros((3, 16, 16), np.uint16),
        ome=True,
        metadata={
            "axes": "ZYX",
            "PhysicalSizeX": 0.108,
            "PhysicalSizeXUnit": "µm",
            "PhysicalSizeY": 0.108,
            "Name": "beads",
        },
    )
    assert isinstance(detect(f), OmeTiffReader)
    rep = ingest_paths(store, settings, [f])
    assert rep.ok, rep.failed
    assert rep.outcomes[0].kind == "OME-TIFF"
    assert rows(
        store,
        "SELECT ?n ?z ?t WHERE { ?i a ome:Image ; ome:name ?n ; ome:pixels ?p . ?p ome:size_z ?z ; ome:type ?t }",
    ) == [["beads", "3", "uint16"]]
    si = rows(store, "SELECT ?si WHERE { ?p ome:physical_size_x/bkg:siValue ?si }")
    assert float(si[0][0]) == pytest.approx(1.08e-7)
    # unchanged on re-ingest, and the check reads only the header
    assert [o.status for o in ingest_paths(store, settings, [f]).outcomes] == ["unchanged"]


def test_plain_tiff_is_not_ome(tmp_path: Path) -> None:
    f = tmp_path / "plain.tif"
    tifffile.imwrite(f, np.zeros((4, 4), np.uint8))
    assert not OmeTiffReader().accepts(f, f.read_bytes()[:4096])


def test_multi_file_set_with_master_and_binary_only(
    tmp_path: Path, store: EmbeddedStore, settings: Settings
) -> None:
    tmp_path = tmp_path / "set"
    tmp_path.mkdir()
    names = [f"set_z{z}.ome.tif" for z in range(3)]
    uids = [f"urn:uuid:{uuid.uuid4()}" for _ in names]
    master_xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><OME xmlns="{NS}" UUID="{uids[0]}">'
        f'<Image ID="Image:0" Name="three-file stack"><AcquisitionDate>2024-01-02T03:04:05</AcquisitionDate>'
        f"{_pixels_xml(list(zip(names, uids, strict=True)))}</Image></OME>"
    )
    tifffile.imwrite(tmp_path / names[0], np.zeros((6, 8), np.uint8), description=master_xml, metadata=None)
    for name, uid in zip(names[1:], uids[1:], strict=True):
        pointer = f'<?xml version="1.0" encoding="UTF-8"?><OME xmlns="{NS}" UUID="{uid}"><BinaryOnly MetadataFile="{names[0]}" UUID="{uids[0]}"/></OME>'
        tifffile.imwrite(tmp_path / name, np.zeros((6, 8), np.uint8), description=pointer, metadata=None)
    rep = ingest_paths(store, settings, [tmp_path])
    assert [o.status for o in rep.outcomes] == ["ingested", "unchanged", "unchanged"]
    assert len({o.graph for o in rep.outcomes}) == 1  # one source for the whole set
    assert rows(store, "SELECT (COUNT(?i) AS ?n) WHERE { ?i a ome:Image }") == [["1"]]
    files = rows(store, "SELECT ?f WHERE { ?p bkg:dataFile ?f } ORDER BY ?f")
    assert [r[0] for r in files] == names


def test_companion_file_layout(tmp_path: Path, store: EmbeddedStore, settings: Settings) -> None:
    tmp_path = tmp_path / "set"
    tmp_path.mkdir()
    names = ["plate_a.ome.tif", "plate_b.ome.tif"]
    uids = [f"urn:uuid:{uuid.uuid4()}" for _ in names]
    companion = tmp_path / "plate.companion.ome"
    companion.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><OME xmlns="{NS}"><Image ID="Image:0" Name="companion image">'
        f"{_pixels_xml(list(zip(names, uids, strict=True)))}</Image></OME>"
    )
    for name, uid in zip(names, uids, strict=True):
        pointer = f'<?xml version="1.0" encoding="UTF-8"?><OME xmlns="{NS}" UUID="{uid}"><BinaryOnly MetadataFile="plate.companion.ome" UUID="urn:uuid:{uuid.uuid4()}"/></OME>'
        tifffile.imwrite(tmp_path / name, np.zeros((6, 8), np.uint8), description=pointer, metadata=None)
    rep = ingest_paths(store, settings, [tmp_path / names[1]])  # one data file alone brings in the companion
    assert rep.ok and rep.outcomes[0].status == "ingested"
    assert rep.outcomes[0].graph and "plate-" in rep.outcomes[0].graph
    assert rows(store, "SELECT ?n WHERE { ?i a ome:Image ; ome:name ?n }") == [["companion image"]]
    rep = ingest_paths(store, settings, [tmp_path])
    assert sorted(o.status for o in rep.outcomes) == ["unchanged", "unchanged", "unchanged"]


def test_binary_only_pointing_nowhere(tmp_path: Path) -> None:
    f = tmp_path / "orphan.ome.tif"
    pointer = f'<?xml version="1.0"?><OME xmlns="{NS}"><BinaryOnly MetadataFile="gone.companion.ome" UUID="urn:uuid:{uuid.uuid4()}"/></OME>'
    tifffile.imwrite(f, np.zeros((2, 2), np.uint8), description=pointer, metadata=None)
    with pytest.raises(SourceError) as e:
        OmeTiffReader().read(f)
    assert "gone.companion.ome" in str(e.value) and e.value.element == "BinaryOnly/@MetadataFile"


def test_binary_only_may_not_leave_the_folder(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "secret.ome.xml").write_text(f'<OME xmlns="{NS}"/>')
    f = tmp_path / "sub" / "x.ome.tif"
    pointer = f'<?xml version="1.0"?><OME xmlns="{NS}"><BinaryOnly MetadataFile="../secret.ome.xml" UUID="urn:uuid:{uuid.uuid4()}"/></OME>'
    tifffile.imwrite(f, np.zeros((2, 2), np.uint8), description=pointer, metadata=None)
    with pytest.raises(SourceError, match="outside"):
        OmeTiffReader().read(f)
