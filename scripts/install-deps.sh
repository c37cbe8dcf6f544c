#!/bin/sh
# Installs the Debian packages kvmrun's build, tests and guest kit need.
# Idempotent and quiet when everything is present, so `make check` can call it.
set -e
# libc6-dev: the C headers and libc.a (kvmrun links statically); gcc only
# recommends it, and recommends are not installed here.
PKGS="gcc libc6-dev make python3 python3-pytest cpio lz4 qemu-system-x86 clang libclang-rt-14-dev acpica-tools"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing </dev/null
