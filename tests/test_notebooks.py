"""The analyst's tour in notebooks/ runs end to end (as a script, against the installed kg)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def test_tour_runs(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, str(NOTEBOOKS / "tour.py")],
        env={**os.environ, "KG_TOUR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    assert "embryo 1, 24-48 hpf" in r.stdout and "650.0 nm" in r.stdout
    assert "FBbi_00000252" in r.stdout
