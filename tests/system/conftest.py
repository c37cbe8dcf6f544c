"""pytest glue for the end-to-end tests: every test has a time limit (a
backstop behind the bounded waits in sysrun.py), and every VM a test starts
is ended at teardown."""
import os
import signal
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from sysrun import VM  # noqa: E402

# Seconds; @pytest.mark.timeout(N) overrides.
DEFAULT_TEST_TIMEOUT = 90


def pytest_configure(config):
    config.addinivalue_line("markers", "timeout(seconds): the test's time limit")


class TimeLimitExceeded(Exception):
    pass


@pytest.fixture(autouse=True)
def _time_limit(request):
    mark = request.node.get_closest_marker("timeout")
    limit = mark.args[0] if mark else DEFAULT_TEST_TIMEOUT

    def expired(signum, frame):
        raise TimeLimitExceeded(f"test exceeded its {limit} s time limit")

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, limit)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, old)


@pytest.fixture
def vm():
    """vm(args, **kw) -> a started sysrun.VM; all are ended at teardown."""
    made = []

    def start(args, **kw):
        v = VM(args, **kw)
        made.append(v)
        return v

    yield start
    for v in made:
        v.close()
