"""The suite's own guards (docs/testing.md): a test that hangs, even inside
hypothesis, or that crashes the interpreter, fails under its own name and the
run goes on.

It runs pytest on a small file of such tests in a new process, with two
workers. Skipped unless PERSONFIRST_SELF_CHECK=1 (`make test-explore` sets it),
as it deliberately crashes a process and takes a while.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    os.environ.get("PERSONFIRST_SELF_CHECK") != "1", reason="the suite's self-check: PERSONFIRST_SELF_CHECK=1"
)

GUARDED = """
import ctypes
import time

import pytest
from hypothesis import given, strategies as st


@pytest.mark.timeout(2)
@given(st.integers())
def test_hangs_inside_hypothesis(n):
    time.sleep(600)


@pytest.mark.timeout(2)
def test_hangs():
    time.sleep(600)


def test_crashes():
    ctypes.string_at(0)  # reads address 0: a segmentation fault


def test_passes():
    pass
"""


@pytest.mark.timeout(600)
def test_a_hang_or_a_crash_fails_that_test_by_name(tmp_path):
    (tmp_path / "test_guarded.py").write_text(GUARDED, encoding="utf-8")
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "conftest",  # this project's conftest.py, with its time limit and hypothesis profiles
            "-c",
            str(ROOT / "pyproject.toml"),
            "--rootdir",
            str(tmp_path),
            "-n",
            "2",
            str(tmp_path / "test_guarded.py"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=400,  # far less than the 600 s each hanging test would sleep
        check=False,
    )
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "test_hangs_inside_hypothesis ran past its time limit of 2s" in out, out
    assert "test_guarded.py::test_hangs ran past its time limit of 2s" in out, out
    assert "crashed while running 'test_guarded.py::test_crashes'" in out, out
    assert "3 failed, 1 passed" in out, out
