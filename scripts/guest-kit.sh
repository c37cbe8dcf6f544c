#!/bin/sh
# Builds the kvmrun test guest kit from Debian packages only:
#
#   scripts/guest-kit.sh [BUILD_DIR]        (default: build)
#
# Fetches Debian's cloud kernel package and busybox-static with
# `apt-get download` (verified by apt against the signed archive; nothing is
# installed on the host and nothing comes from anywhere else), unpacks them
# with `dpkg -x`, and leaves in BUILD_DIR/guest-kit/:
#
#   bzImage            the package's /boot/vmlinuz-*
#   vmlinux            the uncompressed ELF inside it, bootable as PVH
#   initramfs.cpio.gz  busybox + /init (scripts/initramfs/) + virtio modules
#   initramfs.cpio     the same archive uncompressed (spares a slow guest the
#                      inflate)
#   config             the kernel's build configuration
#   modules.txt        which virtio drivers are built in / modules / absent
#   busybox            the guest's busybox, for host-side tests of /init
#   kit.env            KEY=value facts (versions, PVH entry point)
#   stamp              hash of this script and scripts/initramfs/
#
# A second run with unchanged inputs does nothing.  The kit is built in a
# temporary directory and renamed into place, so an interrupted run never
# leaves a half-made kit.  Environment:
#   KERNEL_PKG=linux-image-6.1.0-NN-cloud-amd64   pin the kernel package
#   GUEST_KIT_REFRESH=1                            rebuild even if up to date
# dash and busybox ash both have `local`.
# shellcheck disable=SC3043
set -eu

KIT_FORMAT=1
META_PKG=linux-image-cloud-amd64
BUSYBOX_PKG=busybox-static
# Virtio drivers the guest wants, as module:Kconfig symbol.
VIRTIO_MODULES="virtio_pci:CONFIG_VIRTIO_PCI virtio_blk:CONFIG_VIRTIO_BLK
virtio_net:CONFIG_VIRTIO_NET virtio_rng:CONFIG_HW_RANDOM_VIRTIO
virtio_console:CONFIG_VIRTIO_CONSOLE"

BUILD_DIR=${1:-build}
SCRIPT_DIR=$(cd "$(dirname "$0")" && pwd)
SCRIPT=$SCRIPT_DIR/$(basename "$0")
OVERLAY=$SCRIPT_DIR/initramfs
KIT=$BUILD_DIR/guest-kit
TMP=""

say() {
	echo "guest-kit: $*"
}

die() {
	echo "guest-kit: error: $*" >&2
	exit 1
}

cleanup() {
	[ -z "$TMP" ] || rm -rf "$TMP"
}

# The inputs that define the kit; a change to any of them rebuilds it.
input_hash() {
	{
		echo "format $KIT_FORMAT kernel-pin ${KERNEL_PKG:-}"
		sha256sum "$SCRIPT" | cut -d' ' -f1
		(cd "$OVERLAY" && find . \( -type f -o -type l \) -print | LC_ALL=C sort |
			while read -r f; do
				printf '%s %s ' "$f" "$(stat -c %a "$f")"
				sha256sum <"$f" | cut -d' ' -f1
			done)
	} | sha256sum | cut -d' ' -f1
}

kit_is_current() {
	[ -z "${GUEST_KIT_REFRESH:-}" ] &&
		[ -f "$KIT/stamp" ] && [ "$(cat "$KIT/stamp")" = "$HASH" ]
}

as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		die "need root to run: $*"
	fi
}

# need COMMAND PACKAGE: installs PACKAGE with apt-get if COMMAND is missing.
need() {
	command -v "$1" >/dev/null && return 0
	say "installing $2 (for $1)"
	as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends "$2" </dev/null >/dev/null ||
		die "could not install $2; install it with apt-get and retry"
	command -v "$1" >/dev/null || die "$2 installed but $1 still missing"
}

apt_update() {
	say "apt lists lack $META_PKG; running apt-get update"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null ||
		die "apt-get update failed; check the network and /etc/apt/sources.list"
}

# Prints the versioned kernel package the metapackage depends on.
resolve_kernel_pkg() {
	apt-cache depends "$META_PKG" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-cloud-amd64\)$/\1/p' | head -n 1
}

# Little-endian unsigned fields of a file: u8/u16/u32/u64 FILE OFFSET.
field() {
	od -An -t "u$1" -j "$3" -N "$1" "$2" | tr -d ' \n'
}
u8() { field 1 "$@"; }
u16() { field 2 "$@"; }
u32() { field 4 "$@"; }
u64() { field 8 "$@"; }

# First N bytes at OFFSET of FILE as plain hex: hexbytes FILE OFFSET N.
hexbytes() {
	od -An -t x1 -j "$2" -N "$3" "$1" | tr -d ' \n'
}

# Extracts the uncompressed kernel ELF from a bzImage (Linux boot protocol
# >= 2.08): the compressed payload sits payload_offset bytes (setup header
# 0x248) into the protected-mode code, which starts after the (setup_sects+1)
# 512-byte setup sectors, and is payload_length (0x24c) bytes long.  Its last
# four bytes are the uncompressed size (gzip's own ISIZE, or the size the
# kernel build appends to the other formats), used to check the result.
extract_vmlinux() {
	local bz="$1" out="$2" version sects start off len magic size cut
	[ "$(hexbytes "$bz" 514 4)" = 48647253 ] || die "$bz: no 'HdrS' boot header"
	version=$(u16 "$bz" 518)
	[ "$version" -ge 520 ] || die "$bz: boot protocol $version < 2.08, no payload fields"
	sects=$(u8 "$bz" 497)
	[ "$sects" -ne 0 ] || sects=4
	off=$(u32 "$bz" 584)
	len=$(u32 "$bz" 588)
	start=$(((sects + 1) * 512 + off))
	# shellcheck disable=SC2015
	[ "$len" -gt 4 ] && [ $((start + len)) -le "$(stat -c %s "$bz")" ] ||
		die "$bz: payload $start+$len lies outside the file"
	size=$(u32 "$bz" $((start + len - 4)))
	magic=$(hexbytes "$bz" "$start" 6)
	cut=$((len - 4))
	case "$magic" in
	1f8b*) COMPRESSION=gzip; cut=$len; set -- gzip -dc ;;
	fd377a585a00) COMPRESSION=xz; set -- xz -dc --single-stream ;;
	5d0000*) COMPRESSION=lzma; set -- xz -dc --format=lzma ;;
	425a68*) COMPRESSION=bzip2; set -- bzip2 -dc ;;
	894c5a4f*) COMPRESSION=lzo; set -- lzop -dc ;;
	02214c18*) COMPRESSION=lz4; set -- lz4 -dc ;;
	28b52ffd*) COMPRESSION=zstd; set -- zstd -dc ;;
	*) die "$bz: unknown payload compression (magic $magic)" ;;
	esac
	case "$1" in
	gzip) need gzip gzip ;;
	xz) need xz xz-utils ;;
	bzip2) need bzip2 bzip2 ;;
	lzop) need lzop lzop ;;
	lz4) need lz4 lz4 ;;
	zstd) need zstd zstd ;;
	esac
	dd if="$bz" iflag=skip_bytes,count_bytes skip="$start" count="$cut" \
		status=none | "$@" >"$out" || die "$bz: $COMPRESSION payload did not decompress"
	[ "$(stat -c %s "$out")" -eq "$size" ] ||
		die "$bz: decompressed $(stat -c %s "$out") bytes, header says $size"
}

# Prints the PVH entry point (XEN_ELFNOTE_PHYS32_ENTRY, type 18, owner "Xen")
# of an x86-64 ELF, walking the notes of its PT_NOTE segments; fails if none.
pvh_entry() {
	local elf="$1" phoff phentsize phnum i ph off end namesz descsz type desc
	[ "$(hexbytes "$elf" 0 4)" = 7f454c46 ] || die "$elf: not an ELF file"
	# shellcheck disable=SC2015
	[ "$(u8 "$elf" 4)" -eq 2 ] && [ "$(u16 "$elf" 18)" -eq 62 ] ||
		die "$elf: not a 64-bit x86-64 ELF"
	phoff=$(u64 "$elf" 32)
	phentsize=$(u16 "$elf" 54)
	phnum=$(u16 "$elf" 56)
	i=0
	while [ "$i" -lt "$phnum" ]; do
		ph=$((phoff + i * phentsize))
		i=$((i + 1))
		[ "$(u32 "$elf" "$ph")" -eq 4 ] || continue
		off=$(u64 "$elf" $((ph + 8)))
		end=$((off + $(u64 "$elf" $((ph + 32)))))
		while [ $((off + 12)) -le "$end" ]; do
			namesz=$(u32 "$elf" "$off")
			descsz=$(u32 "$elf" $((off + 4)))
			type=$(u32 "$elf" $((off + 8)))
			desc=$((off + 12 + (namesz + 3) / 4 * 4))
			if [ "$type" -eq 18 ] && [ "$namesz" -eq 4 ] &&
				[ "$(hexbytes "$elf" $((off + 12)) 4)" = 58656e00 ] &&
				[ "$descsz" -ge 4 ]; then
				printf '0x%x\n' "$(u32 "$elf" "$desc")"
				return 0
			fi
			off=$((desc + (descsz + 3) / 4 * 4))
		done
	done
	return 1
}

# Kconfig value (y, m or empty) of symbol $2 in config file $1.
kconfig() {
	sed -n "s/^$2=\(.*\)$/\1/p" "$1"
}

# Copies the virtio modules (with everything they depend on) that the kernel
# has as modules into the initramfs tree $3, from the unpacked package $1 for
# kernel version $2.  Writes modules.txt and the load list /init reads.
add_modules() {
	local pkg="$1" kver="$2" root="$3" config mdir list entry name sym val line f
	config=$pkg/boot/config-$kver
	mdir=lib/modules/$kver
	list=$root/$mdir/kvmrun-modules.list
	mkdir -p "$root/$mdir"
	: >"$list"
	: >"$TMP/kit/modules.txt"
	# The package ships no modules.dep (depmod runs at install time); make
	# one with the guest's own busybox, run on the host.
	"$TMP/busybox" depmod -b "$pkg" "$kver" || die "depmod failed on $pkg"
	for entry in $VIRTIO_MODULES; do
		name=${entry%%:*}
		sym=${entry#*:}
		val=$(kconfig "$config" "$sym")
		case "$val" in
		y) echo "$name built-in ($sym=y)" >>"$TMP/kit/modules.txt"; continue ;;
		m) ;;
		*) echo "$name absent ($sym unset)" >>"$TMP/kit/modules.txt"; continue ;;
		esac
		# Module file names may use '-' where the module name has '_'.
		line=$(grep -E "(^|/)$(echo "$name" | sed 's/_/[-_]/g')\.ko:" \
			"$pkg/$mdir/modules.dep" || true)
		if [ -z "$line" ]; then
			echo "$name absent ($sym=m but no .ko)" >>"$TMP/kit/modules.txt"
			continue
		fi
		for f in $(echo "$line" | tr -d :); do
			mkdir -p "$root/$mdir/$(dirname "$f")"
			cp "$pkg/$mdir/$f" "$root/$mdir/$f"
		done
		echo "$name" >>"$list"
		echo "$name module ($sym=m): $(echo "$line" | cut -d: -f1)" >>"$TMP/kit/modules.txt"
	done
	cp "$pkg/$mdir/modules.builtin" "$pkg/$mdir/modules.order" "$root/$mdir/"
	"$TMP/busybox" depmod -b "$root" "$kver" || die "depmod failed on the initramfs"
}

# Creates the initramfs tree in $1 from busybox, the overlay and modules.
make_root() {
	local root="$1" applet
	mkdir -p "$root"
	for d in bin sbin usr/bin usr/sbin proc sys dev tmp run root mnt var etc lib; do
		mkdir -p "$root/$d"
	done
	chmod 1777 "$root/tmp"
	cp "$TMP/busybox" "$root/bin/busybox"
	# Only the shell /init needs: /init links the other applets at boot.
	# Where guest kernel code is emulated (HOST.md) unpacking is slow: the
	# gzip archive with 267 links took ~7 minutes, the plain one without
	# them under a minute.
	ln -sf /bin/busybox "$root/bin/sh"
	cp -R "$OVERLAY/." "$root/"
	chmod 755 "$root/init"
	# The kernel opens /dev/console before running /init; without the node
	# /init starts with no stdio until it mounts devtmpfs.
	if [ "$(id -u)" -eq 0 ]; then
		mknod -m 600 "$root/dev/console" c 5 1
		mknod -m 666 "$root/dev/null" c 1 3
	fi
}

# Packs tree $1 into newc archive $2 (uncompressed), reproducibly.
pack_root() {
	find "$1" -exec touch -h -d @0 {} +
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --reproducible --quiet) >"$2"
}

build_kit() {
	local kpkg kver bz busybox_ver kernel_ver entry
	need apt-get apt
	need dpkg-deb dpkg
	need cpio cpio
	need gzip gzip
	need flock util-linux

	kpkg=${KERNEL_PKG:-}
	if [ -z "$kpkg" ]; then
		kpkg=$(resolve_kernel_pkg)
		if [ -z "$kpkg" ]; then
			apt_update
			kpkg=$(resolve_kernel_pkg)
		fi
		[ -n "$kpkg" ] || die "cannot resolve $META_PKG to a linux-image-*-cloud-amd64 package"
	fi
	kver=${kpkg#linux-image-}
	say "downloading $kpkg and $BUSYBOX_PKG with apt-get"
	mkdir -p "$TMP/debs"
	(cd "$TMP/debs" && apt-get download -q -o APT::Sandbox::User=root \
		"$kpkg" "$BUSYBOX_PKG" </dev/null >/dev/null) ||
		die "apt-get download $kpkg $BUSYBOX_PKG failed (try: apt-get update)"
	kernel_ver=$(dpkg-deb -f "$TMP"/debs/"$kpkg"_*.deb Version)
	busybox_ver=$(dpkg-deb -f "$TMP"/debs/"$BUSYBOX_PKG"_*.deb Version)
	dpkg -x "$TMP"/debs/"$kpkg"_*.deb "$TMP/kernel"
	dpkg -x "$TMP"/debs/"$BUSYBOX_PKG"_*.deb "$TMP/busybox-pkg"
	cp "$TMP/busybox-pkg/bin/busybox" "$TMP/busybox"

	mkdir -p "$TMP/kit"
	bz=$TMP/kernel/boot/vmlinuz-$kver
	[ -f "$bz" ] || die "$kpkg has no /boot/vmlinuz-$kver"
	cp "$bz" "$TMP/kit/bzImage"
	cp "$TMP/kernel/boot/config-$kver" "$TMP/kit/config"
	cp "$TMP/busybox" "$TMP/kit/busybox"

	say "extracting vmlinux from the bzImage"
	COMPRESSION=""
	extract_vmlinux "$TMP/kit/bzImage" "$TMP/kit/vmlinux"
	entry=$(pvh_entry "$TMP/kit/vmlinux") ||
		die "vmlinux has no PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY)"

	say "making the initramfs"
	make_root "$TMP/root"
	add_modules "$TMP/kernel" "$kver" "$TMP/root"
	pack_root "$TMP/root" "$TMP/kit/initramfs.cpio"
	gzip -9 -n -c "$TMP/kit/initramfs.cpio" >"$TMP/kit/initramfs.cpio.gz"

	cat >"$TMP/kit/kit.env" <<EOF
KERNEL_PKG=$kpkg
KERNEL_PKG_VERSION=$kernel_ver
KERNEL_RELEASE=$kver
KERNEL_COMPRESSION=$COMPRESSION
PVH_ENTRY=$entry
BUSYBOX_PKG_VERSION=$busybox_ver
EOF
	echo "$HASH" >"$TMP/kit/stamp"

	# Swap the finished kit in; at no moment is a partial kit in place.
	rm -rf "$KIT.old"
	[ ! -e "$KIT" ] || mv "$KIT" "$KIT.old"
	mv "$TMP/kit" "$KIT"
	rm -rf "$KIT.old"
	say "built $KIT: $kpkg $kernel_ver ($COMPRESSION), busybox $busybox_ver"
	say "vmlinux PVH entry (XEN_ELFNOTE_PHYS32_ENTRY) $entry"
	sed 's/^/guest-kit:   /' "$KIT/modules.txt"
}

main() {
	mkdir -p "$BUILD_DIR"
	HASH=$(input_hash)
	if kit_is_current; then
		say "up to date ($KIT)"
		return 0
	fi
	command -v flock >/dev/null || need flock util-linux
	exec 9>"$BUILD_DIR/guest-kit.lock"
	flock 9
	# Another run may have finished the kit while we waited for the lock.
	if kit_is_current; then
		say "up to date ($KIT)"
		return 0
	fi
	# Left by a run that was killed outright; we hold the lock, so no
	# other run is using them.
	rm -rf "$BUILD_DIR"/guest-kit.tmp.* "$KIT.old"
	trap cleanup EXIT
	trap 'exit 130' INT TERM HUP
	TMP=$(mktemp -d "$BUILD_DIR/guest-kit.tmp.XXXXXX")
	build_kit
}

main
