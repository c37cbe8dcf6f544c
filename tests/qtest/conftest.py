"""pytest glue for the qtest device tests: the `qtest` fixture starts kvmrun
under -accel qtest and always ends it, failing the test on sanitizer output."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from qtest import KVMRUN, QTest  # noqa: E402


@pytest.fixture
def qtest():
    """qtest(args, **kw) -> a connected QTest; all are closed at teardown."""
    if not os.access(KVMRUN, os.X_OK):
        pytest.fail(f"{KVMRUN} is not built: run make build/kvmrun-san first")
    made = []

    def start(args=(), **kw):
        qt = QTest(args, **kw)
        made.append(qt)
        return qt

    yield start
    problems = []
    for qt in made:
        try:
            qt.close()
        except AssertionError as e:
            problems.append(str(e))
        finally:
            qt.kill()
    if problems:
        pytest.fail("\n".join(problems))
