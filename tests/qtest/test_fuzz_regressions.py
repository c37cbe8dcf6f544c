"""Replays the qtest scripts in fuzz_regressions/: inputs that once crashed
or hung kvmrun (found by the fuzzer, tests/fuzz, or by hand).  Each must get
one reply per line and leave no sanitizer report.

A script is qtest command lines; "# kvmrun args: ..." gives extra options.
FUZZ_PRINT=1 build/fuzz/fuzz_qtest CRASH_FILE prints a crashing input's
lines (">> ..."), which is how a fuzzer find becomes a script here."""
import pathlib
import re
import shlex

import pytest

SCRIPTS = sorted((pathlib.Path(__file__).parent / "fuzz_regressions").glob("*.qtest"))


def test_scripts_exist():
    assert SCRIPTS


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_replay(qtest, script):
    args, lines = [], []
    for line in script.read_text().splitlines():
        m = re.match(r"#\s*kvmrun args:(.*)", line)
        if m:
            args += shlex.split(m.group(1))
        elif line.strip() and not line.startswith("#"):
            lines.append(line)
    qt = qtest(args)
    for line in lines:
        reply = qt.raw_cmd(line, timeout=60)
        assert re.match(r"(OK|FAIL|ERR)\b", reply), (line, reply)
    assert qt.raw_cmd("endianness") == "OK little"
