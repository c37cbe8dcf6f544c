#!/bin/sh
# The Linux-level checks, run inside the one guest session of test_linux.py
# (busybox ash).  The harness appends this file to the initrd as /checks.sh
# and boots with kvmrun.cmd=<encoded: sh /checks.sh '50% "done"'>, so the
# argument also proves the command-line decoding.  Every check is a function;
# `t NAME` runs it and prints "CHECK NAME ok|FAIL <its output>".  The exit
# status is the number of failed checks.
# The checks are called by name through t().
# shellcheck disable=SC2317

arg=$1
failed=0

t() {
	if out=$("$1" 2>&1); then
		result=ok
	else
		result=FAIL
		failed=$((failed + 1))
	fi
	# Unquoted on purpose: one line, whitespace collapsed.
	# shellcheck disable=SC2086
	echo "CHECK $1 $result $(echo $out | head -c 200)"
}

# kvmrun.cmd arrived decoded: %20 space, %25 percent, %22 double quote.
decode() {
	echo "$arg"
	[ "$arg" = '50% "done"' ]
}

kernel() {
	uname -r | grep -- '-cloud-amd64$'
}

cpus() {
	cat /sys/devices/system/cpu/online
	[ "$(nproc)" = 2 ] && grep -c ^processor /proc/cpuinfo | grep -qx 2
}

# A process pinned to CPU 1 runs there (the second CPU is up and schedules).
cpu1() {
	[ "$(taskset -c 1 cat /proc/self/stat | cut -d' ' -f39)" = 1 ]
}

# Guest time advances across a sleep (the timer interrupt wakes us).
timer() {
	a=$(cut -d' ' -f1 /proc/uptime)
	sleep 1
	b=$(cut -d' ' -f1 /proc/uptime)
	echo "$a -> $b"
	awk "BEGIN { exit !($b - $a >= 0.9) }"
}

# Both CPUs take local APIC timer interrupts.
ticks() {
	awk '/LOC:/ { print; exit !($2 > 0 && $3 > 0) }' /proc/interrupts
}

clock() {
	cat /sys/devices/system/clocksource/clocksource0/current_clocksource
}

forks() {
	i=0
	while [ "$i" -lt 20 ]; do
		/bin/true || return 1
		i=$((i + 1))
	done
}

pipes() {
	[ "$(seq 1000 | awk '{ s += $1 } END { print s }')" = 500500 ]
}

# 1 MiB of zeros through tmpfs, checked against its known SHA-256.
tmpfs() {
	dd if=/dev/zero of=/tmp/zero bs=64k count=16 2>/dev/null
	sha256sum /tmp/zero |
		grep ^30e14955ebf1352266dc2ff8067e68104607e750abb9d3b36582b8af909fcb58
}

rng() {
	[ "$(head -c 512 /dev/urandom | wc -c)" = 512 ]
}

serial() {
	grep '^0: uart:16550A' /proc/tty/driver/serial
}

rtc() {
	d=$(cat /sys/class/rtc/rtc0/since_epoch)
	echo "$d"
	[ "$d" -gt 1600000000 ]
}

# Every virtio PCI device present is bound to its driver.
virtio() {
	c=0
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor")" = 0x1af4 ] || continue
		c=$((c + 1))
		[ -e "$d/driver" ] || { echo "$d has no driver"; return 1; }
	done
	echo "$c virtio devices"
}

dmesg_clean() {
	! dmesg | grep -E 'BUG:|Oops|Call Trace|Kernel panic|WARNING:'
}

for c in decode kernel cpus cpu1 timer ticks clock forks pipes tmpfs rng serial rtc virtio dmesg_clean; do t $c; done
exit $failed
