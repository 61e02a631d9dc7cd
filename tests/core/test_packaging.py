"""What a user installs: every distribution carries its licence and ships no test caches."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DISTRIBUTIONS = [ROOT, *sorted(p.parent for p in ROOT.glob("plugins/*/pyproject.toml"))]
CACHES = (".hypothesis", ".pytest_cache", ".mypy_cache", ".ruff_cache", "__pycache__", ".bench")


def _build(project: Path, out: Path) -> tuple[Path, Path]:
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--sdist", "--wheel", "-o", str(out)],
        cwd=project,
        check=True,
        capture_output=True,
    )
    return next(out.glob("*.tar.gz")), next(out.glob("*.whl"))


@pytest.mark.slow
@pytest.mark.parametrize("project", DISTRIBUTIONS, ids=lambda p: p.name)
def test_distribution_has_licence_and_no_caches(project: Path, tmp_path: Path) -> None:
    planted = project / ".hypothesis" / "examples" / "planted"
    planted.parent.mkdir(parents=True, exist_ok=True)
    created = not planted.exists()
    planted.touch()
    try:
        sdist, wheel = _build(project, tmp_path)
    finally:
        if created:
            planted.unlink()
    with tarfile.open(sdist) as tar:
        names = tar.getnames()
    assert any(n.endswith("/LICENSE") for n in names), names
    assert not [n for n in names if any(f"/{c}" in n for c in CACHES)]
    assert not [n for n in names if n.split("/", 1)[-1].startswith("plugins/")]
    with zipfile.ZipFile(wheel) as whl:
        assert any(n.endswith("licenses/LICENSE") for n in whl.namelist())
    assert (project / "LICENSE").read_text().lstrip().startswith("Apache License")
