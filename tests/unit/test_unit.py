"""Runs every C unit-test program (build/unit/test_*) as one pytest case."""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("BUILD", ROOT / "build"))
PROGRAMS = sorted(p for p in (BUILD / "unit").glob("test_*") if os.access(p, os.X_OK))


def test_programs_were_built():
    assert PROGRAMS, f"no unit-test programs in {BUILD / 'unit'}: run make first"


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.name)
def test_unit_program(program):
    r = subprocess.run([str(program)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, f"{program.name} failed:\n{r.stderr}\n{r.stdout}"
