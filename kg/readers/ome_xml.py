"""OME-XML documents (``.ome.xml``, ``.ome``, companion files), every schema version ome-types
can bring to 2016-06."""

from __future__ import annotations

import hashlib
import re
import warnings
from pathlib import Path
from typing import Any

from lxml import etree

from kg.errors import SourceError
from kg.readers.base import Source
from kg.xmlsafe import _DTD, parse_xml

OME_2016 = "http://www.openmicroscopy.org/Schemas/OME/2016-06"

_NS = re.compile(r"^\{https?://www\.openmicroscopy\.org/Schemas/(?:OME/)?(?P<version>[^/}]+)/?[^}]*\}OME$")
_PROLOG = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]*\[.*?\])?[^>]*>|\s+", re.S)
_FIRST_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?P<local>[A-Za-z_][\w.-]*)[\s/>]")


def _element_path(loc: tuple[object, ...]) -> str:
    """Turn a pydantic error location ('images', 0, 'pixels', 'size_x') into 'Image[0]/Pixels/@SizeX'."""
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int) and parts:
            parts[-1] += f"[{item}]"
        else:
            name = "".join(p.capitalize() for p in str(item).split("_"))
            parts.append(name[:-1] if name.endswith("s") and not name.endswith("ss") else name)
    return "/".join(parts)


class OmeXmlReader:
    kind = "OME-XML"

    def accepts(self, path: Path, head: bytes) -> bool:
        """True when the first element of the document is an OME root in an OME namespace."""
        body = head.removeprefix(b"\xef\xbb\xbf")
        while True:
            m = _PROLOG.match(body)
            if not m or m.end() == 0:
                break
            body = body[m.end() :]
        tag = _FIRST_TAG.match(body)
        return tag is not None and tag.group("local") == b"OME" and b"openmicroscopy.org" in head

    def read(self, path: Path | str) -> Source:
        path = Path(path)
        name = str(path)
        try:
            if root_namespace(path, name) == OME_2016:
                # the current schema streams: the file is never held whole (100k-image plates)
                digest = hashlib.sha256()
                with path.open("rb") as fh:
                    while block := fh.read(1 << 20):
                        digest.update(block)
                return Source(
                    path=path,
                    kind=self.kind,
                    model=None,
                    sha256=digest.hexdigest(),
                    facts={"schema": "2016-06"},
                    stream=path,
                )
            data = path.read_bytes()
        except OSError as exc:
            raise SourceError(name, f"cannot read file: {exc.strerror or exc}") from exc
        return ome_source(path, self.kind, data)


def root_namespace(source: Path | bytes, name: str) -> str | None:
    """The namespace of the document's root element, read from its first bytes; refuses a
    DOCTYPE or entity declaration there (as parse_xml does) and malformed XML."""
    if isinstance(source, Path):
        with source.open("rb") as fh:
            head = fh.read(1 << 16)
    else:
        head = source[: 1 << 16]
    m = _DTD.search(head)
    if m is not None:
        raise SourceError(
            name,
            "the document declares a DOCTYPE or entities; they are refused for safety "
            "(they can read local files or expand without bound)",
            line=head.count(b"\n", 0, m.start()) + 1,
            expected="OME-XML without a DOCTYPE",
        )
    parser = etree.XMLPullParser(
        events=("start",), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
    )
    try:
        parser.feed(head)
        for _event, el in parser.read_events():
            return str(etree.QName(el).namespace or "") or None
    except etree.XMLSyntaxError:
        return None  # the full parse reports it, with its line
    return None


def ome_source(path: Path, kind: str, data: bytes) -> Source:
    """A Source for OME-XML ``data`` read from ``path`` (an OME-XML file or a TIFF header);
    its digest is that of the OME-XML, so a change check never needs more than the metadata."""
    if root_namespace(data, str(path)) == OME_2016:
        return Source(
            path=path,
            kind=kind,
            model=None,
            sha256=hashlib.sha256(data).hexdigest(),
            facts={"schema": "2016-06"},
            stream=data,
        )
    model, version = parse_ome(data, str(path))
    return Source(
        path=path,
        kind=kind,
        model=model,
        sha256=hashlib.sha256(data).hexdigest(),
        facts={"schema": version},
    )


def ome_root(data: bytes, name: str) -> tuple[etree._Element, str]:
    """Parse safely and check the root: (root element, schema version)."""
    root = parse_xml(data, name)
    m = _NS.match(root.tag)
    if m is None:
        raise SourceError(
            name,
            f"root element is {root.tag!r}",
            line=root.sourceline,
            expected="an <OME> root in an http://www.openmicroscopy.org/Schemas/OME/<version> namespace",
        )
    return root, m.group("version")


def parse_ome(data: bytes, name: str) -> tuple[Any, str]:
    """OME-XML bytes to an ome_types OME model (upgraded to 2016-06) and the declared version.

    Every failure is a SourceError naming ``name``, the element and what was expected.
    """
    import ome_types
    from pydantic import ValidationError

    _root, version = ome_root(data, name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # bytes, never a str: ome-types treats a string naming an existing file as that file
            model = ome_types.from_xml(data, validate=False)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = _element_path(tuple(first.get("loc", ())))
        bad = first.get("input")
        raise SourceError(
            name,
            f"invalid value {bad!r}: {first.get('msg')}"
            + (f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""),
            element=where or None,
            expected="a value allowed by the OME 2016-06 schema",
        ) from exc
    except etree.XSLTApplyError as exc:
        raise SourceError(
            name,
            f"cannot upgrade OME schema {version} to 2016-06: {exc}",
            expected="an OME-XML schema version from 2008-02 on",
        ) from exc
    except Exception as exc:  # xsdata ParserError and friends carry no common base class
        raise SourceError(
            name,
            f"cannot read OME-XML (schema {version}): {type(exc).__name__}: {exc}",
            expected="a document valid against the OME schema",
        ) from exc
    return model, version
