"""Validation profiles: which shape files make each profile, and what its levels mean.

``kg validate --profile NAME`` and ``kg completeness --profile NAME`` read shapes through this
registry. A profile is a set of Turtle files under shapes/ (read with kg.resources.data_dir, so
that an installed wheel works); a profile may include others (tier 2 includes tier 1). Without
a profile, kg validate keeps its behaviour: the top-level shapes/*.ttl files (``ome-core``).

The schema profiles come in two halves: shapes generated from the LinkML schema's annotations
(shapes/generated/profile-*.ttl, values.ttl; tools/generate_schema.py) and hand-written shapes
for what LinkML cannot say (shapes/profiles/*.ttl). See docs/schema.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from kg.errors import KGError
from kg.resources import data_dir

# REMBI's and the analysis profile's requirement levels, as SHACL severities (and the words
# kg validate prints for them).
LEVEL_SEVERITY: Final[dict[str, str]] = {"MUST": "violation", "SHOULD": "warning", "MAY": "info"}
# Weights of a field in the weighted completeness score, by the severity of its absence.
SEVERITY_WEIGHT: Final[dict[str, int]] = {"violation": 3, "warning": 2, "info": 1}


class ProfileError(KGError, ValueError):
    """An unknown profile name, or a profile whose shape files are missing."""


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    files: tuple[str, ...]  # paths under shapes/; "*.ttl" means the top-level files
    includes: tuple[str, ...] = ()


PROFILES: Final[dict[str, Profile]] = {
    p.name: p
    for p in (
        Profile(
            "ome-core",
            "OME images, pixels, channels and objectives (the default of kg validate)",
            ("*.ttl",),
        ),
        Profile(
            "rembi",
            "REMBI study metadata: MUST -> violation, SHOULD -> warning, MAY -> info",
            ("generated/profile-rembi.ttl", "generated/values.ttl", "profiles/rembi.ttl"),
        ),
        Profile(
            "nbo-tier1",
            "microscope hardware at 4DN-BINA-OME tier 1",
            ("generated/profile-nbo-tier1.ttl", "generated/values.ttl", "profiles/nbo-tier1.ttl"),
        ),
        Profile(
            "nbo-tier2",
            "microscope hardware at 4DN-BINA-OME tier 2 (includes tier 1)",
            ("generated/profile-nbo-tier2.ttl", "profiles/nbo-tier2.ttl"),
            includes=("nbo-tier1",),
        ),
        Profile(
            "nbo-tier3",
            "microscope hardware and calibration at 4DN-BINA-OME tier 3 (includes tiers 1 and 2)",
            ("generated/profile-nbo-tier3.ttl", "profiles/nbo-tier3.ttl"),
            includes=("nbo-tier2",),
        ),
        Profile(
            "analysis",
            "analysis provenance (Workflow Run RO-Crate, PROV-O): MUST/SHOULD/MAY as for REMBI",
            ("generated/profile-analysis.ttl", "generated/values.ttl", "profiles/analysis.ttl"),
        ),
    )
}
DEFAULT_PROFILE: Final = "ome-core"


def parse_profile_names(values: list[str] | None) -> list[str]:
    """``["rembi,nbo-tier1", "analysis"]`` -> ``["rembi", "nbo-tier1", "analysis"]``; unknown
    names raise ProfileError listing the known ones. Empty or None gives the default."""
    names: list[str] = []
    for v in values or []:
        for n in v.split(","):
            n = n.strip()
            if not n:
                continue
            if n not in PROFILES:
                raise ProfileError(f"unknown profile {n!r}; known profiles: {', '.join(PROFILES)}")
            if n not in names:
                names.append(n)
    return names or [DEFAULT_PROFILE]


def _expand(name: str, seen: list[str]) -> None:
    if name in seen:
        return
    for inc in PROFILES[name].includes:
        _expand(inc, seen)
    seen.append(name)


def resolve(names: list[str]) -> list[str]:
    """The profiles named and those they include, included ones first, each once."""
    out: list[str] = []
    for n in names:
        if n not in PROFILES:
            raise ProfileError(f"unknown profile {n!r}; known profiles: {', '.join(PROFILES)}")
        _expand(n, out)
    return out


def profile_files(name: str) -> list[Path]:
    """The shape files of one profile, its included profiles' files first."""
    shapes = data_dir("shapes")
    files: list[Path] = []
    for n in resolve([name]):
        for rel in PROFILES[n].files:
            found = sorted(shapes.glob(rel)) if "*" in rel else [shapes / rel]
            for f in found:
                if not f.is_file():
                    raise ProfileError(
                        f"profile {n!r}: shape file {f} is missing "
                        "(reinstall, or run tools/generate_schema.py)"
                    )
                if f not in files:
                    files.append(f)
    return files


def shape_files(names: list[str]) -> list[Path]:
    """The union of the profiles' shape files, each file once (so profiles that share a file,
    like the value checks, do not report a finding twice)."""
    files: list[Path] = []
    for n in names:
        for f in profile_files(n):
            if f not in files:
                files.append(f)
    return files
