"""OME-Zarr / OME-NGFF: validation against the official suites, metadata-only reading of local
and http(s) hierarchies, plates, labels, bioformats2raw."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from kg.config import Settings
from kg.demo import DEMO_DIR
from kg.errors import SourceError
from kg.ingest import ingest_paths
from kg.readers import detect, walk
from kg.readers.ngff import NgffReader, ZarrLocation, _Ctx, _validate, read_ngff
from kg.store import EmbeddedStore

from .conftest import rows

# Where we follow the NGFF specification's text over its JSON schemas (which cannot express these
# rules), and so disagree with the attribute-level suites on purpose:
FOLLOW_THE_SPEC_TEXT = {
    # "the length of scale must equal the number of axes": the test has 3 axes and 2 scales
    "valid/mismatch_axes_units.json",
    # a label image is an image: the spec requires multiscales; these tests hold image-label alone
    "image-label/minimal",
    "image-label/minimal_properties",
    # a well's path is "<row name>/<column name>": these tests' paths contradict their rows/columns
    "plate/minimal_no_acquisitions",
    "plate/minimal_acquisitions",
    "plate/non_alphanumeric_row",
}


@pytest.mark.parametrize("version", ["0.4", "0.5"])
def test_official_attribute_suites(shared: Path, version: str) -> None:
    checked = 0
    for suite in sorted((shared / f"corpora/ngff/ome-ngff/{version}/tests").glob("*_suite.json")):
        if suite.name.startswith("strict_"):
            continue  # the strict suites test SHOULD-level recommendations, not validity
        kind = suite.stem.removesuffix("_suite")
        for t in json.loads(suite.read_text())["tests"]:
            data = t["data"].get("ome", t["data"]) if version == "0.5" else t["data"]
            try:
                _validate(kind, data, _Ctx(ZarrLocation("/x"), version), f"{suite.name}:{t.get('formerly')}")
                accepted = True
            except SourceError as exc:
                accepted = False
                assert "invalid OME-NGFF" in str(exc) and "expected" in str(exc)
            checked += 1
            if t.get("formerly") in FOLLOW_THE_SPEC_TEXT:
                assert not accepted
                continue
            assert accepted == t["valid"], f"{suite.name}: {t.get('formerly')}: expected valid={t['valid']}"
    assert checked > 60


def test_hcs_plate_example(shared: Path, store: EmbeddedStore, settings: Settings) -> None:
    plate = shared / "corpora/ngff/ome-zarr-models-py/tests/data/examples/v04/hcs_example.ome.zarr"
    assert isinstance(detect(plate), NgffReader)
    rep = ingest_paths(store, settings, [plate])
    o = rep.outcomes[0]
    assert o.status == "ingested" and o.kind == "OME-Zarr" and not o.unmapped, (o.error, o.unmapped)
    wells = rows(
        store,
        "SELECT ?row ?col (COUNT(?f) AS ?fields) WHERE { ?p a ngff:Plate ; ngff:well ?w . ?w ngff:row ?row ; ngff:column ?col ; ngff:field ?f } GROUP BY ?row ?col",
    )
    assert wells == [["B", "03", "1"]]
    ch = rows(store, "SELECT ?wl WHERE { ?i a ngff:Image ; ngff:channel/ngff:wavelengthId ?wl }")
    assert ch == [["A01_C01"]]
    axes = rows(
        store,
        "SELECT ?name ?unit WHERE { ?m ngff:axis ?a . ?a ngff:name ?name ; ngff:index ?i OPTIONAL { ?a qudt:unit ?unit } } ORDER BY ?i",
    )
    assert [a[0] for a in axes] == ["c", "z", "y", "x"]
    assert axes[-1][1] == "http://qudt.org/vocab/unit/MicroM"


def test_old_versions_and_drafts_read(shared: Path) -> None:
    for rel in ("ngff/ome-zarr-py/tests/data/v1", "ngff/ome-zarr-py/tests/data/v2"):
        root = read_ngff(shared / "corpora" / rel)
        assert root.version in ("0.1", "0.2") and root.images[0].multiscales[0].datasets
    draft = read_ngff(
        shared / "corpora/ngff/ome-zarr-models-py/tests/data/examples/v06/stitched_tiles_2d.zarr/tile_0"
    )
    assert draft.version.startswith("0.6")


def test_conformance_stores_that_are_valid_all_ingest(
    shared: Path, store: EmbeddedStore, settings: Settings
) -> None:
    base = shared / "corpora/ngff/ngff-spec/tests/zarr"
    valid = sorted(p for p in base.glob("*/valid/*/*.ome.zarr"))
    assert len(valid) > 10
    rep = ingest_paths(store, settings, valid)
    assert [o.error for o in rep.failed] == []
    invalid = sorted(p for p in base.glob("*/invalid/*/*.ome.zarr"))
    rep = ingest_paths(EmbeddedStore(None), settings, invalid)
    # 0.6 is a draft: tolerated, so only structural errors are refused; but never a crash
    for o in rep.failed:
        assert "unexpected" not in (o.error or ""), o.error
        assert any(k in (o.error or "") for k in ("invalid OME-NGFF", "malformed", "no OME-NGFF version")), (
            o.error
        )


def _write_v05_image(root: Path, name: str = "nuclei") -> None:
    """A metadata-only OME-Zarr 0.5 image (zarr v3) with one label image; no chunk is written."""

    def group(path: Path, ome: dict) -> None:
        path.mkdir(parents=True, exist_ok=True)
        (path / "zarr.json").write_text(
            json.dumps({"zarr_format": 3, "node_type": "group", "attributes": {"ome": ome}})
        )

    def array(path: Path, shape: list[int]) -> None:
        path.mkdir(parents=True, exist_ok=True)
        (path / "zarr.json").write_text(
            json.dumps(
                {
                    "zarr_format": 3,
                    "node_type": "array",
                    "shape": shape,
                    "data_type": "uint16",
                    "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [1, 64, 64]}},
                    "chunk_key_encoding": {"name": "default"},
                    "fill_value": 0,
                    "codecs": [{"name": "bytes"}],
                }
            )
        )

    axes = [
        {"name": "c", "type": "channel"},
        {"name": "y", "type": "space", "unit": "micrometer"},
        {"name": "x", "type": "space", "unit": "micrometer"},
    ]
    datasets = [
        {
            "path": str(i),
            "coordinateTransformations": [{"type": "scale", "scale": [1.0, 0.325 * 2**i, 0.325 * 2**i]}],
        }
        for i in range(2)
    ]
    group(
        root,
        {
            "version": "0.5",
            "multiscales": [{"name": name, "axes": axes, "datasets": datasets}],
            "omero": {
                "channels": [
                    {
                        "label": "DAPI",
                        "color": "0000FF",
                        "active": True,
                        "window": {"min": 0, "max": 65535, "start": 100, "end": 3000},
                    }
                ]
            },
        },
    )
    array(root / "0", [2, 512, 512])
    array(root / "1", [2, 256, 256])
    group(root / "labels", {"version": "0.5", "labels": ["cells"]})
    group(
        root / "labels" / "cells",
        {
            "version": "0.5",
            "image-label": {
                "colors": [{"label-value": 1, "rgba": [255, 0, 0, 255]}],
                "source": {"image": "../../"},
            },
            "multiscales": [{"name": "cells", "axes": axes, "datasets": datasets[:1]}],
        },
    )
    array(root / "labels" / "cells" / "0", [2, 512, 512])


def test_v05_image_with_labels_metadata_only(
    tmp_path: Path, store: EmbeddedStore, settings: Settings
) -> None:
    img = tmp_path / "data" / "nuclei.ome.zarr"
    _write_v05_image(img)
    assert list(walk([tmp_path / "data"])) == [img]  # one source, not walked into
    rep = ingest_paths(store, settings, [tmp_path / "data"])
    o = rep.outcomes[0]
    assert o.status == "ingested" and not o.unmapped and not o.unresolved, (o.error, o.unmapped, o.unresolved)
    levels = rows(
        store,
        "SELECT ?path ?shape ?scale ?dt WHERE { ?i a ngff:Image ; ome:name 'nuclei' ; ngff:multiscale/ngff:dataset ?d . ?d ngff:path ?path ; ngff:shape ?shape ; ngff:scale ?scale ; ngff:dataType ?dt } ORDER BY ?path",
    )
    assert levels == [
        ["0", "[2,512,512]", "[1.0,0.325,0.325]", "uint16"],
        ["1", "[2,256,256]", "[1.0,0.65,0.65]", "uint16"],
    ]
    channel = rows(
        store,
        "SELECT ?label ?color ?end WHERE { ?c a ngff:Channel ; ngff:channelLabel ?label ; ngff:color ?color ; ngff:window/ngff:end ?end }",
    )
    assert len(channel) == 1 and channel[0][:2] == ["DAPI", "0000FF"] and float(channel[0][2]) == 3000
    labels = rows(
        store, "SELECT ?name ?src WHERE { ?i ngff:labelImage ?l . ?l ome:name ?name ; ngff:labelSource ?src }"
    )
    assert labels == [["cells", "../../"]]
    # full-resolution pixel sizes are quantities per axis, comparable with OME's (in SI metres)
    sizes = rows(
        store,
        "SELECT ?axis ?v ?unit ?si WHERE { ?i ome:name 'nuclei' ; ngff:multiscale/ngff:axis ?a . "
        "?a ngff:name ?axis ; ngff:pixelSize ?q . ?q qudt:numericValue ?v ; qudt:unit ?unit ; bkg:siValue ?si } ORDER BY ?axis",
    )
    assert [(a, float(v), u, float(si)) for a, v, u, si in sizes] == [
        ("x", 0.325, "http://qudt.org/vocab/unit/MicroM", 3.25e-7),
        ("y", 0.325, "http://qudt.org/vocab/unit/MicroM", 3.25e-7),
    ]
    # re-ingest: unchanged
    assert [x.status for x in ingest_paths(store, settings, [img]).outcomes] == ["unchanged"]


def test_invalid_v05_is_refused_with_the_reason(tmp_path: Path) -> None:
    img = tmp_path / "bad.ome.zarr"
    _write_v05_image(img)
    doc = json.loads((img / "zarr.json").read_text())
    doc["attributes"]["ome"]["omero"]["channels"][0]["color"] = "blue"
    (img / "zarr.json").write_text(json.dumps(doc))
    with pytest.raises(SourceError) as e:
        NgffReader().read(img)
    assert "omero.channels[0].color" in str(e.value) and "zarr.json" in str(e.value)
    doc["attributes"]["ome"]["multiscales"][0]["axes"] = doc["attributes"]["ome"]["multiscales"][0]["axes"][
        1:
    ]
    doc["attributes"]["ome"]["omero"]["channels"][0]["color"] = "0000FF"
    (img / "zarr.json").write_text(json.dumps(doc))
    with pytest.raises(SourceError, match="multiscales"):
        NgffReader().read(img)


@pytest.fixture
def http_root(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    served = tmp_path / "served"
    served.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(served))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", served
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    requested: ClassVar[list[str]] = []

    def log_message(self, format: str, *args: object) -> None:
        _QuietHandler.requested.append(self.path)


def test_http_url_reads_metadata_only(
    http_root: tuple[str, Path], store: EmbeddedStore, settings: Settings
) -> None:
    url, served = http_root
    _write_v05_image(served / "nuclei.ome.zarr")
    (served / "nuclei.ome.zarr" / "0" / "c").mkdir()
    (served / "nuclei.ome.zarr" / "0" / "c" / "0").write_bytes(b"\0" * 1024)  # a chunk that must not be read
    _QuietHandler.requested.clear()
    rep = ingest_paths(store, settings, [f"{url}/nuclei.ome.zarr"])
    o = rep.outcomes[0]
    assert o.status == "ingested", o.error
    assert all(p.endswith(("zarr.json", ".zattrs", ".zarray")) for p in _QuietHandler.requested), (
        _QuietHandler.requested
    )
    assert rows(store, "SELECT ?src WHERE { GRAPH ?g { ?g <http://purl.org/dc/terms/source> ?src } }") == [
        [f"{url}/nuclei.ome.zarr"]
    ]
    assert rows(store, "SELECT (COUNT(?d) AS ?n) WHERE { ?d a ngff:Dataset }") == [["3"]]


def test_bioformats2raw_layout(tmp_path: Path, store: EmbeddedStore, settings: Settings) -> None:
    root = tmp_path / "converted.ome.zarr"
    root.mkdir()
    (root / ".zattrs").write_text(json.dumps({"bioformats2raw.layout": 3}))
    (root / "OME").mkdir()
    shutil.copy(DEMO_DIR / "hela-confocal-zstack.ome.xml", root / "OME" / "METADATA.ome.xml")
    series = root / "0"
    series.mkdir()
    (series / ".zattrs").write_text(
        json.dumps(
            {
                "multiscales": [
                    {
                        "version": "0.4",
                        "name": "series 0",
                        "axes": [
                            {"name": "y", "type": "space", "unit": "micrometer"},
                            {"name": "x", "type": "space", "unit": "micrometer"},
                        ],
                        "datasets": [
                            {
                                "path": "0",
                                "coordinateTransformations": [{"type": "scale", "scale": [0.0659, 0.0659]}],
                            }
                        ],
                    }
                ]
            }
        )
    )
    rep = ingest_paths(store, settings, [root])
    o = rep.outcomes[0]
    assert o.status == "ingested" and not o.unmapped, (o.error, o.unmapped)
    both = rows(
        store,
        "SELECT ?ome ?ngff WHERE { GRAPH ?g { ?i a ome:Image ; ome:name ?ome . ?n a ngff:Image ; ome:name ?ngff } }",
    )
    assert both == [["HeLa DAPI/Tubulin z-stack, field 1", "series 0"]]


@pytest.mark.parametrize("version", ["0.4", "0.5"])
def test_specification_examples_validate(shared: Path, version: str) -> None:
    """The examples in the specification are valid (they carry // comments, as in the spec)."""
    kinds = {
        "multiscales_strict": "image",
        "plate_strict": "plate",
        "well_strict": "well",
        "label_strict": "label",
    }
    seen = 0
    for folder, kind in kinds.items():
        for f in sorted((shared / f"corpora/ngff/ome-ngff/{version}/examples/{folder}").glob("[!.]*.json")):
            text = "\n".join(
                line.split("//")[0] if line.strip().startswith("//") else line
                for line in f.read_text().splitlines()
            )
            doc = json.loads(text)
            attrs = doc.get("attributes", doc)
            attrs = attrs.get("ome", attrs)
            if kind == "label" and "multiscales" not in attrs:
                continue  # a fragment showing only the image-label key
            _validate(kind, attrs, _Ctx(ZarrLocation("/x"), version), f.name)
            seen += 1
    assert seen >= 5
