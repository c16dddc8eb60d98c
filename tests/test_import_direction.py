"""Imports go one way: pillars -> core, and insight may read the pillars
(the contracts are in pyproject.toml, [tool.importlinter]; docs/architecture.md)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


def lint_imports(where: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", LINT, "--no-cache"],
        cwd=where,
        env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_every_import_goes_the_right_way():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " kept, 0 broken." in result.stdout, result.stdout


def test_a_wrong_way_import_is_caught(tmp_path):
    """The check is real: in a copy of the code, a core module that imports a pillar breaks it."""
    shutil.copytree(ROOT / "personfirst", tmp_path / "personfirst", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    probe = tmp_path / "personfirst" / "core" / "ui" / "wrong_way.py"
    probe.write_text("from personfirst.readiness.plans import services  # noqa: F401\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "personfirst.core.ui.wrong_way -> personfirst.readiness.plans.services" in result.stdout, result.stdout
