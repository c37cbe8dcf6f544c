"""Shared fixtures of the level-4 Linux tests."""
import subprocess

import pytest

import linuxvm


@pytest.fixture(scope="session")
def kit():
    """Builds the guest kit if it is missing or stale (a no-op when current)
    and returns its kit.env facts."""
    script = linuxvm.ROOT / "scripts" / "guest-kit.sh"
    try:
        r = subprocess.run([str(script), str(linuxvm.BUILD)], stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=900)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{script} did not finish in 900 s")
    if r.returncode != 0:
        pytest.fail(f"{script} failed:\n{r.stdout}{r.stderr}")
    return linuxvm.kit_env()
