"""Host-side tests of the guest kit's /init helpers (scripts/initramfs/lib/
kvmrun/functions.sh), run with the kit's own busybox ash: the kvmrun.cmd
decoding must undo linuxvm.encode_cmd exactly, and the marker fields must be
parsed right, without booting a kernel."""
import pathlib
import subprocess

import pytest

import linuxvm

FUNCTIONS = linuxvm.ROOT / "scripts" / "initramfs" / "lib" / "kvmrun" / "functions.sh"
INIT = linuxvm.ROOT / "scripts" / "initramfs" / "init"
CHECKS = pathlib.Path(__file__).resolve().parent / "guest_checks.sh"


@pytest.fixture(scope="module")
def ash(kit, tmp_path_factory):
    """Runs `. functions.sh; <code>` under the kit's busybox ash in a
    directory holding a file that an unwanted glob of "kvmrun.cmd=e*" would
    match."""
    busybox = linuxvm.kit_file("busybox")
    cwd = tmp_path_factory.mktemp("ash")
    (cwd / "kvmrun.cmd=evil").write_text("")

    def run(code, *args):
        r = subprocess.run([str(busybox), "sh", "-c", f". {FUNCTIONS}; {code}", "sh", *args],
                           cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=30)
        assert r.returncode == 0, r.stderr.decode(errors="replace")
        return r.stdout.decode()
    return run


@pytest.mark.parametrize("text", [
    "echo hello",
    """sh /checks.sh '50% "done"'""",
    "a\\b\\nc \\x41 \\c end",
    "line one\nline two\ttab",
    "100%% %41 %zz %",
    "grüße €",
    "*",
])
def test_decode_undoes_encode(ash, text):
    encoded = linuxvm.encode_cmd(text)
    assert not set(encoded) & set(' "\\\n\t'), encoded
    assert ash('kvmrun_decode "$1"', encoded) == text


def test_decode_leaves_bad_escapes(ash):
    assert ash('kvmrun_decode "$1"', "50%-%zz-%4") == "50%-%zz-%4"


@pytest.mark.parametrize("cmdline, want", [
    ("console=ttyS0 kvmrun.cmd=echo%20a quiet", "echo%20a"),
    ("kvmrun.cmd=first kvmrun.cmd=second", "second"),
    ("console=ttyS0 xkvmrun.cmd=no kvmrun.cmdx=no", ""),
    ("kvmrun.cmd=e* other", "e*"),
    ("kvmrun.cmd=a=b", "a=b"),
    ("", ""),
])
def test_param(ash, cmdline, want):
    assert ash('kvmrun_param kvmrun.cmd "$1"', cmdline) == want


@pytest.mark.parametrize("online, want", [
    ("0", 1), ("0-1", 2), ("0-3,5,7-8", 7), ("1,3", 2),
])
def test_count_cpus(ash, online, want):
    assert ash('kvmrun_count_cpus "$1"', online) == f"{want}\n"


def test_marker(ash, tmp_path):
    (tmp_path / "uptime").write_text("12.34 5.67\n")
    (tmp_path / "online").write_text("0-1\n")
    (tmp_path / "meminfo").write_text(
        "MemFree:   1000 kB\nMemTotal:  223392 kB\nMemAvailable: 9 kB\n")
    out = ash(f"kvmrun_marker {tmp_path}/uptime {tmp_path}/online {tmp_path}/meminfo")
    assert out == "KVMRUN-INIT-OK uptime=12.34 cpus=2 mem=223392\n"
    assert linuxvm.MARKER_RE.fullmatch(out.strip())


@pytest.mark.parametrize("script", [INIT, CHECKS], ids=lambda p: p.name)
def test_scripts_parse(kit, script):
    r = subprocess.run([str(linuxvm.kit_file("busybox")), "sh", "-n", str(script)],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
