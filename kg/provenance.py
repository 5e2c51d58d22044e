"""Capture the provenance of a real analysis run, as an ``AnalysisRun`` record of the schema.

Two ways, both writing a YAML (or JSON) record that ``kg ingest`` reads (kg.readers.provenance)
and the ``analysis`` profile checks:

- ``kg record [OPTIONS] -- COMMAND ARGS...`` runs the command and records it;
- ``with kg.provenance.record("segment", params={...}, inputs=[...], outputs=[...], seed=42) as run:``
  records the block of Python code it wraps.

What is captured (docs/provenance.md lists it field by field):

- software: for ``kg record``, the script a Python command runs (or the program), for the
  context manager the calling script; its version is the git commit when it lies in a git work
  tree, else ``sha256:`` and the first 16 hex digits of the file; git commit and dirty flag of
  the working directory (``git rev-parse HEAD``, ``git status --porcelain``, taken before the run);
- the environment lock: every installed distribution with its version (importlib.metadata) of
  the Python that ran the code: the child's own, reported by a hook (below), for ``kg record``
  of a Python command; this interpreter's for the context manager; none for other programs;
- parameters: the command's options (``--sigma 2`` or ``--sigma=2`` gives ``--sigma`` = 2) and
  positional arguments (``arg1``...), or the ``params`` mapping; environment variables that
  change numerical results when set (``PYTHONHASHSEED``, ``OMP_NUM_THREADS``,
  ``MKL_NUM_THREADS``, ``OPENBLAS_NUM_THREADS``, ``CUDA_VISIBLE_DEVICES``) and those named with
  ``--env``, as ``env:NAME``; no other environment variable is ever recorded;
- random seeds: those given (``--seed``, ``seed=``), and every whole-number seed the code passes
  to ``random.seed``, ``random.Random``, ``numpy.random.seed``, ``numpy.random.default_rng``,
  ``numpy.random.RandomState`` or ``torch.manual_seed`` while it runs (the functions are wrapped
  in the ``random``, ``numpy.random`` and ``torch`` modules; code that took a reference to them
  before the run started is not seen);
- hardware: CPU model (/proc/cpuinfo, else platform), logical CPUs, memory, operating system,
  architecture; GPUs with driver and CUDA version when ``nvidia-smi`` is on the PATH;
- the container image and its digest from ``KG_CONTAINER_IMAGE`` (``name[:tag]@sha256:...``) or
  podman's ``/run/.containerenv``; absent otherwise (a digest is never guessed);
- inputs with SHA-256: files named on the command line that exist before the run (not the
  interpreter and not the script), plus ``--input``; outputs with SHA-256: files created or
  changed under the working directory during the run (hidden folders and ``__pycache__``
  skipped; at most 50,000 files looked at), plus ``--output``; for the context manager, the
  ``inputs`` and ``outputs`` given (and, with ``watch=True``, the files changed under the cwd);
- start and end time (UTC), exit code, the command line, and the agent: the login user, with
  the ORCID iD in ``KG_ORCID`` when set (and a display name in ``KG_AGENT_NAME``).

The child hook of ``kg record`` is a ``sitecustomize`` module put first on the child's
``PYTHONPATH``; it loads any ``sitecustomize`` it shadows, wraps the seeding functions and
writes the seeds and the child's distributions to a side file. A command that is not Python
(or a Python that ignores PYTHONPATH, ``-I``/``-E``) runs unchanged; its seeds are then only
those given with ``--seed``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kg.errors import KGError

MAX_WATCHED_FILES = 50_000
REPRODUCIBILITY_ENV = (
    "PYTHONHASHSEED",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "CUDA_VISIBLE_DEVICES",
)
_SKIP_DIRS = {".git", "__pycache__", ".venv", "node_modules", ".mypy_cache", ".pytest_cache", ".ruff_cache"}


class ProvenanceError(KGError, RuntimeError):
    """The run could not be recorded (the command does not exist, a file cannot be read)."""


# -- the hook that sees seeds (run in this process, or as a child's sitecustomize) -------------

HOOK = r'''
import sys as _sys


def _kg_install(emit):
    """Wrap the seeding functions of random, numpy.random and torch; call emit(generator, seed)
    for every whole-number seed. Returns a function that undoes it."""
    import random as _random
    undo = []

    def wrap(module, attr, label, pos=0, kw="seed"):
        orig = getattr(module, attr, None)
        if orig is None or getattr(orig, "_kg_wrapped", False):
            return
        if isinstance(orig, type):
            class Wrapped(orig):
                def __init__(self, *a, **k):
                    s = a[pos] if len(a) > pos else k.get(kw)
                    if isinstance(s, int) and not isinstance(s, bool):
                        emit(label, int(s))
                    super().__init__(*a, **k)
            Wrapped.__name__ = orig.__name__
            Wrapped.__qualname__ = orig.__qualname__
            Wrapped._kg_wrapped = True
            new = Wrapped
        else:
            def new(*a, **k):
                s = a[pos] if len(a) > pos else k.get(kw)
                if isinstance(s, int) and not isinstance(s, bool):
                    emit(label, int(s))
                return orig(*a, **k)
            new._kg_wrapped = True
            new.__wrapped__ = orig
            new.__name__ = getattr(orig, "__name__", attr)
        setattr(module, attr, new)
        undo.append((module, attr, orig))

    wrap(_random, "seed", "random.seed", kw="a")
    wrap(_random, "Random", "random.Random", kw="x")

    def patch_numpy(npr):
        wrap(npr, "seed", "numpy.random.seed")
        wrap(npr, "default_rng", "numpy.random.default_rng")
        wrap(npr, "RandomState", "numpy.random.RandomState")

    def patch_torch(torch):
        wrap(torch, "manual_seed", "torch.manual_seed")

    later = {"numpy.random": patch_numpy, "torch": patch_torch}
    for name, fn in list(later.items()):
        if name in _sys.modules:
            fn(_sys.modules[name])
            del later[name]
    if later:
        import importlib.abc
        import importlib.util

        class Finder(importlib.abc.MetaPathFinder):
            def find_spec(self, fullname, path, target=None):
                fn = later.get(fullname)
                if fn is None:
                    return None
                _sys.meta_path.remove(self)
                try:
                    spec = importlib.util.find_spec(fullname)
                finally:
                    _sys.meta_path.insert(0, self)
                if spec is None or spec.loader is None:
                    return spec
                loader = spec.loader
                orig_exec = loader.exec_module

                def exec_module(module):
                    orig_exec(module)
                    later.pop(fullname, None)
                    fn(module)

                loader.exec_module = exec_module
                return spec

        finder = Finder()
        _sys.meta_path.insert(0, finder)
        undo.append((None, finder, None))

    def uninstall():
        for module, attr, orig in reversed(undo):
            if module is None:
                if attr in _sys.meta_path:
                    _sys.meta_path.remove(attr)
            else:
                setattr(module, attr, orig)
        undo.clear()

    return uninstall
'''

SITECUSTOMIZE = (
    HOOK
    + r"""

def _kg_child():
    import atexit
    import json
    import os

    out = os.environ.get("KG_RECORD_SIDEFILE")
    if not out:
        return
    here = os.path.dirname(os.path.abspath(__file__))
    # load the sitecustomize this one shadows, if any
    mine = _sys.modules.get("sitecustomize")
    saved = list(_sys.path)
    try:
        _sys.path[:] = [p for p in _sys.path if os.path.abspath(p or ".") != here]
        del _sys.modules["sitecustomize"]
        try:
            import sitecustomize  # noqa: F401
        except ImportError:
            pass
    finally:
        _sys.path[:] = saved
        _sys.modules["sitecustomize"] = mine

    def emit(generator, seed):
        with open(out, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"seed": seed, "generator": generator}) + "\n")

    _kg_install(emit)

    def env():
        from importlib import metadata
        dists = {}
        for d in metadata.distributions():
            name = d.metadata.get("Name")
            if name and name not in dists:
                dists[name] = d.version
        with open(out, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"python": _sys.version.split()[0], "executable": _sys.executable,
                                 "distributions": dists}) + "\n")

    atexit.register(env)


_kg_child()
"""
)


def _install_in_process(emit: Any) -> Any:
    namespace: dict[str, Any] = {}
    exec(compile(HOOK, "<kg.provenance hook>", "exec"), namespace)  # the same code the child runs
    return namespace["_kg_install"](emit)


# -- facts about the machine and the code -----------------------------------------------------


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def _run(args: Sequence[str], cwd: Path | None = None, timeout: float = 10.0) -> str | None:
    try:
        res = subprocess.run(
            list(args), cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return res.stdout if res.returncode == 0 else None


def git_state(folder: Path) -> tuple[str | None, bool | None]:
    """(commit, dirty) of the git work tree holding ``folder``, or (None, None)."""
    if shutil.which("git") is None:
        return None, None
    commit = _run(["git", "-C", str(folder), "rev-parse", "HEAD"])
    if not commit or not re.fullmatch(r"[0-9a-f]{40}([0-9a-f]{24})?", commit.strip()):
        return None, None
    status = _run(["git", "-C", str(folder), "status", "--porcelain", "--untracked-files=no"])
    return commit.strip(), (bool(status.strip()) if status is not None else None)


def distributions() -> list[dict[str, str]]:
    """Every installed distribution of this interpreter, with its version."""
    from importlib import metadata

    seen: dict[str, str] = {}
    for d in metadata.distributions():
        name = d.metadata["Name"]
        if name and name not in seen:
            seen[name] = d.version
    return [
        {"name": n, "version": v, "package_manager": "pip"}
        for n, v in sorted(seen.items(), key=lambda x: x[0].lower())
    ]


def hardware() -> dict[str, Any]:
    hw: dict[str, Any] = {}
    cpu = None
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith(("model name", "hardware", "processor\t: arm")):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    hw["cpu_model"] = cpu or platform.processor() or platform.machine() or "unknown"
    n = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if n:
        hw["cpu_count"] = n
    with contextlib.suppress(ValueError, OSError, AttributeError):
        hw["memory_bytes"] = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    hw["operating_system"] = f"{platform.system()} {platform.release()}".strip()
    try:
        pretty = platform.freedesktop_os_release().get("PRETTY_NAME")
        if pretty:
            hw["operating_system"] += f" ({pretty})"
    except OSError:
        pass
    hw["architecture"] = platform.machine()
    gpus = nvidia_gpus()
    if gpus:
        hw["gpus"] = gpus
    return hw


def nvidia_gpus() -> list[dict[str, Any]]:
    """GPUs as nvidia-smi reports them; empty without nvidia-smi."""
    if shutil.which("nvidia-smi") is None:
        return []
    out = _run(
        ["nvidia-smi", "--query-gpu=name,driver_version,memory.total", "--format=csv,noheader,nounits"]
    )
    if not out:
        return []
    header = _run(["nvidia-smi"]) or ""
    m = re.search(r"CUDA Version:\s*([0-9.]+)", header)
    gpus = []
    for line in out.strip().splitlines():
        parts = [p.strip() for p in line.split(",")]
        if not parts or not parts[0]:
            continue
        g: dict[str, Any] = {"gpu_model": parts[0]}
        if len(parts) > 1 and parts[1]:
            g["driver_version"] = parts[1]
        if len(parts) > 2 and parts[2].isdigit():
            g["memory_bytes"] = int(parts[2]) * 1024 * 1024
        if m:
            g["compute_api_version"] = f"CUDA {m.group(1)}"
        gpus.append(g)
    return gpus


def container_image() -> dict[str, Any] | None:
    """The container image with its digest, when it can be known (module docstring)."""
    ref = os.environ.get("KG_CONTAINER_IMAGE", "").strip()
    if not ref:
        try:
            text = Path("/run/.containerenv").read_text(encoding="utf-8")
        except OSError:
            text = ""
        fields = dict(re.findall(r'^(\w+)="([^"]*)"', text, re.M))
        if fields.get("image") and re.fullmatch(r"[0-9a-f]{64}", fields.get("imageid", "")):
            ref = f"{fields['image'].split('@')[0]}@sha256:{fields['imageid']}"
    m = re.fullmatch(
        r"(?:(?P<registry>[^/]+\.[^/]+|localhost(?::\d+)?)/)?(?P<name>[^:@]+)(?::(?P<tag>[^@]+))?"
        r"@sha256:(?P<digest>[0-9a-f]{64})",
        ref,
    )
    if not m:
        return None
    img: dict[str, Any] = {"name": m.group("name"), "sha256": m.group("digest")}
    if m.group("registry"):
        img["registry"] = m.group("registry")
    if m.group("tag"):
        img["tag"] = m.group("tag")
    return img


def agent() -> dict[str, Any]:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    person: dict[str, Any] = {"id": f"agent-{user}", "name": os.environ.get("KG_AGENT_NAME") or user}
    orcid = os.environ.get("KG_ORCID", "").strip()
    m = re.search(r"([0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X])$", orcid)
    if m:
        person["id"] = person["orcid"] = f"https://orcid.org/{m.group(1)}"
    return person


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(t: dt.datetime) -> str:
    return t.isoformat(timespec="milliseconds")


def _snapshot(root: Path, exclude: set[Path]) -> dict[Path, tuple[int, int]]:
    """mtime and size of the files under ``root`` (bounded; hidden and cache folders skipped)."""
    out: dict[Path, tuple[int, int]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in _SKIP_DIRS)
        for f in filenames:
            p = Path(dirpath) / f
            if p in exclude:
                continue
            try:
                st = p.stat()
            except OSError:
                continue
            out[p] = (st.st_mtime_ns, st.st_size)
            if len(out) >= MAX_WATCHED_FILES:
                return out
    return out


def _file_entry(path: Path, base: Path, kind: str, i: int) -> dict[str, Any]:
    try:
        rel = path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        rel = str(path.resolve())
    try:
        digest = sha256_file(path)
        size = path.stat().st_size
    except OSError as exc:
        raise ProvenanceError(
            f"{path}: cannot read the {kind} file to checksum it: {exc.strerror or exc}"
        ) from exc
    return {"id": f"{kind}-{i + 1}", "name": path.name, "path": rel, "sha256": digest, "size_bytes": size}


def _parameters(args: Sequence[str]) -> list[dict[str, str]]:
    params: list[dict[str, str]] = []
    i, pos = 0, 0
    while i < len(args):
        a = args[i]
        if a.startswith("-") and len(a) > 1 and not re.fullmatch(r"-[0-9.]+", a):
            if "=" in a:
                k, v = a.split("=", 1)
                params.append({"name": k, "value": v})
            elif i + 1 < len(args) and not (
                args[i + 1].startswith("-") and not re.fullmatch(r"-[0-9.]+", args[i + 1])
            ):
                params.append({"name": a, "value": args[i + 1]})
                i += 1
            else:
                params.append({"name": a, "value": "true"})
        else:
            pos += 1
            params.append({"name": f"arg{pos}", "value": a})
        i += 1
    return params


def _env_parameters(names: Iterable[str]) -> list[dict[str, str]]:
    out = []
    for n in dict.fromkeys([*REPRODUCIBILITY_ENV, *names]):
        if n in os.environ:
            out.append({"name": f"env:{n}", "value": os.environ[n]})
    return out


def _software(path: Path | None, name: str, version: str | None, cwd: Path) -> dict[str, Any]:
    folder = path.parent if path is not None else cwd
    commit, dirty = git_state(folder)
    sw: dict[str, Any] = {"id": "software", "name": name}
    if version:
        sw["version"] = version
    elif commit:
        sw["version"] = commit
    elif path is not None and path.is_file():
        sw["version"] = "sha256:" + sha256_file(path)[:16]
    else:
        sw["version"] = "unknown"
    if commit:
        sw["git_commit"] = commit
        if dirty is not None:
            sw["git_dirty"] = dirty
    return sw


def _seeds(
    explicit: int | Mapping[str, int] | Sequence[int] | None, seen: Iterable[tuple[str, int]]
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if isinstance(explicit, Mapping):
        out += [{"seed_value": int(v), "generator": str(k)} for k, v in explicit.items()]
    elif isinstance(explicit, int):
        out.append({"seed_value": int(explicit), "generator": "given"})
    elif explicit:
        out += [{"seed_value": int(v), "generator": "given"} for v in explicit]
    for gen, value in seen:
        entry = {"seed_value": int(value), "generator": gen}
        if entry not in out:
            out.append(entry)
    return out


def write_record(data: dict[str, Any], path: Path) -> Path:
    """Write ``data`` as YAML (or JSON for a ``.json`` path), atomically."""
    path = Path(path)
    tmp = path.with_name(path.name + ".partial")
    text = (
        json.dumps(data, indent=2) + "\n"
        if path.suffix.lower() == ".json"
        else yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    )
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def default_record_path(cwd: Path, name: str, start: dt.datetime) -> Path:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")[:40] or "run"
    return cwd / f"{slug}-{start.strftime('%Y%m%dT%H%M%S')}.prov.yaml"


# -- the context manager ----------------------------------------------------------------------


@dataclass
class Run:
    """What ``record(...)`` yields: add files, parameters or seeds while the block runs; after
    it, ``data`` is the record and ``path`` the file it was written to."""

    name: str
    cwd: Path
    params: dict[str, Any] = field(default_factory=dict)
    inputs: list[Path] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    seeds: list[tuple[str, int]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    def add_input(self, path: str | os.PathLike[str]) -> None:
        self.inputs.append(Path(path))

    def add_output(self, path: str | os.PathLike[str]) -> None:
        self.outputs.append(Path(path))

    def seed(self, value: int, generator: str = "given") -> int:
        self.seeds.append((generator, int(value)))
        return int(value)


@contextmanager
def record(
    name: str,
    *,
    params: Mapping[str, Any] | None = None,
    inputs: Iterable[str | os.PathLike[str]] = (),
    outputs: Iterable[str | os.PathLike[str]] = (),
    seed: int | Mapping[str, int] | Sequence[int] | None = None,
    model_weights: Iterable[str | os.PathLike[str]] = (),
    version: str | None = None,
    path: str | os.PathLike[str] | None = None,
    watch: bool = False,
    cwd: str | os.PathLike[str] | None = None,
) -> Iterator[Run]:
    """Record the Python code in the ``with`` block as an analysis run (module docstring).

    The record is written when the block ends, also when it raises (exit code 1, the
    exception's type in ``description``); ``path`` defaults to ``NAME-YYYYMMDDTHHMMSS.prov.yaml``
    in ``cwd``."""
    base = Path(cwd or Path.cwd())
    run = Run(
        name=name,
        cwd=base,
        params=dict(params or {}),
        inputs=[Path(p) for p in inputs],
        outputs=[Path(p) for p in outputs],
    )
    start = _now()
    script = Path(sys.argv[0]).resolve() if sys.argv and sys.argv[0] and Path(sys.argv[0]).is_file() else None
    software = _software(script, script.name if script else name, version, base)
    before = _snapshot(base, set()) if watch else {}
    uninstall = _install_in_process(lambda g, s: run.seeds.append((g, s)))
    exit_code = 0
    error: BaseException | None = None
    try:
        yield run
    except BaseException as exc:
        exit_code, error = 1, exc
        raise
    finally:
        uninstall()
        end = _now()
        target = Path(path) if path else default_record_path(base, name, start)
        outs = list(run.outputs)
        if watch:
            after = _snapshot(base, {target.resolve()})
            outs += [p for p, sig in sorted(after.items()) if before.get(p) != sig]
        data = _assemble(
            name=name,
            software=software,
            cwd=base,
            start=start,
            end=end,
            exit_code=exit_code,
            command_line=shlex.join([sys.executable, *sys.argv]) if sys.argv else None,
            parameters=[{"name": str(k), "value": _text(v)} for k, v in run.params.items()],
            inputs=run.inputs,
            outputs=outs,
            seeds=_seeds(seed, run.seeds),
            environment=distributions(),
            weights=[Path(w) for w in model_weights],
            env_names=(),
        )
        if error is not None:
            data["description"] = f"the block raised {type(error).__name__}: {error}"[:500]
        run.data = data
        run.path = write_record(data, target)


def _text(v: Any) -> str:
    return v if isinstance(v, str) else json.dumps(v) if isinstance(v, dict | list) else str(v)


def _assemble(
    *,
    name: str,
    software: dict[str, Any],
    cwd: Path,
    start: dt.datetime,
    end: dt.datetime,
    exit_code: int,
    command_line: str | None,
    parameters: list[dict[str, str]],
    inputs: Sequence[Path],
    outputs: Sequence[Path],
    seeds: list[dict[str, Any]],
    environment: list[dict[str, str]] | None,
    weights: Sequence[Path],
    env_names: Iterable[str],
) -> dict[str, Any]:
    def unique(paths: Sequence[Path]) -> list[Path]:
        return list(dict.fromkeys(p if p.is_absolute() else cwd / p for p in paths))

    data: dict[str, Any] = {
        "id": f"run-{start.strftime('%Y%m%dT%H%M%S%fZ')}",
        "name": name,
        "software": software,
    }
    if environment:
        data["environment_lock"] = environment
    params = parameters + _env_parameters(env_names)
    if params:
        data["parameters"] = params
    img = container_image()
    if img:
        data["container_image"] = img
    if seeds:
        data["random_seeds"] = seeds
    if weights:
        data["model_weights"] = [
            {**_file_entry(p if p.is_absolute() else cwd / p, cwd, "weights", i)}
            for i, p in enumerate(unique(weights))
        ]
    data["hardware"] = hardware()
    data["inputs"] = [_file_entry(p, cwd, "input", i) for i, p in enumerate(unique(inputs))]
    data["outputs"] = [_file_entry(p, cwd, "output", i) for i, p in enumerate(unique(outputs)) if p.is_file()]
    data["start_time"] = _iso(start)
    data["end_time"] = _iso(end)
    data["agent"] = agent()
    if command_line:
        data["command_line"] = command_line
    data["exit_code"] = exit_code
    return data


# -- kg record ----------------------------------------------------------------------------------


@dataclass
class Recorded:
    exit_code: int
    path: Path
    data: dict[str, Any]


def _python_script(command: Sequence[str], base: Path) -> tuple[bool, Path | None, int]:
    """Whether the command runs Python, the script it runs (none for ``-m``/``-c``) and where
    the script's own arguments start."""
    prog = Path(command[0]).name
    if not re.fullmatch(r"python[0-9.]*|pypy[0-9.]*", prog):
        return False, None, 1
    for i, a in enumerate(command[1:], start=1):
        if a in ("-m", "-c"):
            return True, None, i + 2
        if a.startswith("-"):
            continue
        p = base / a
        return True, (p if p.is_file() else None), i + 1
    return True, None, len(command)


def run_and_record(
    command: Sequence[str],
    *,
    name: str | None = None,
    record_path: Path | None = None,
    inputs: Sequence[Path] = (),
    outputs: Sequence[Path] = (),
    seeds: Sequence[int] = (),
    weights: Sequence[Path] = (),
    env_names: Sequence[str] = (),
    watch: bool = True,
    cwd: Path | None = None,
) -> Recorded:
    """Run ``command`` (no shell) and write its record; returns its exit code and the record."""
    if not command:
        raise ProvenanceError("no command to run (kg record -- COMMAND ARGS...)")
    base = Path(cwd or Path.cwd())
    exe = shutil.which(command[0], path=os.environ.get("PATH")) if os.sep not in command[0] else command[0]
    if exe is None or not Path(exe).exists():
        raise ProvenanceError(f"{command[0]}: command not found")
    is_python, script, first_arg = _python_script(command, base)
    start = _now()
    target = record_path or default_record_path(base, name or Path(script or command[0]).name, start)
    skip = {Path(exe).resolve()} | ({script.resolve()} if script else set())
    named = [(base / a) for a in command[1:] if not a.startswith("-") and (base / a).is_file()]
    named += [
        (base / a.split("=", 1)[1])
        for a in command[1:]
        if a.startswith("-") and "=" in a and (base / a.split("=", 1)[1]).is_file()
    ]
    ins = [p for p in dict.fromkeys([*named, *(base / p for p in inputs)]) if p.resolve() not in skip]
    software = _software(
        script.resolve() if script else Path(exe), (script or Path(command[0])).name, None, base
    )
    before = _snapshot(base, set()) if watch else {}
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="kg-record-") as tmp:
        side = Path(tmp) / "side.jsonl"
        if is_python:
            (Path(tmp) / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
            env["PYTHONPATH"] = tmp + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
            env["KG_RECORD_SIDEFILE"] = str(side)
        try:
            code = subprocess.call(list(command), cwd=base, env=env)
        except OSError as exc:
            raise ProvenanceError(f"{command[0]}: cannot run: {exc.strerror or exc}") from exc
        end = _now()
        seen: list[tuple[str, int]] = []
        environment: list[dict[str, str]] | None = None
        if side.exists():
            for line in side.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if "seed" in entry:
                    seen.append((str(entry["generator"]), int(entry["seed"])))
                elif "distributions" in entry:
                    environment = [
                        {"name": n, "version": v, "package_manager": "pip"}
                        for n, v in sorted(entry["distributions"].items(), key=lambda x: x[0].lower())
                    ]
    outs = list(base / p for p in outputs)
    if watch:
        after = _snapshot(base, {target.resolve()})
        outs += [p for p, sig in sorted(after.items()) if before.get(p) != sig]
    data = _assemble(
        name=name or software["name"],
        software=software,
        cwd=base,
        start=start,
        end=end,
        exit_code=code,
        command_line=shlex.join(command),
        parameters=_parameters(command[first_arg:]),
        inputs=ins,
        outputs=outs,
        seeds=_seeds(list(seeds), seen),
        environment=environment,
        weights=list(weights),
        env_names=env_names,
    )
    return Recorded(code, write_record(data, target), data)


__all__ = [
    "ProvenanceError",
    "Recorded",
    "Run",
    "agent",
    "container_image",
    "distributions",
    "git_state",
    "hardware",
    "record",
    "run_and_record",
    "write_record",
]
