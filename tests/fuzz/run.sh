#!/bin/sh
# Runs each libFuzzer target for a bounded time (FUZZ_TIME seconds, default
# 60) on its corpus, and prints one summary line per target: executions,
# new corpus size, crashes.  Exits 1 when any target found a crash; the
# crashing inputs are kept in $BUILD/fuzz/artifacts/.
#
#   tests/fuzz/run.sh build/fuzz/fuzz_qtest [...]
set -u

FUZZ_TIME=${FUZZ_TIME:-60}
BUILD=${BUILD:-build}
here=$(cd "$(dirname "$0")" && pwd)
status=0

for target in "$@"; do
	name=$(basename "$target")
	seeds="$here/corpus/$name"
	work="$BUILD/fuzz/corpus/$name"
	artifacts="$BUILD/fuzz/artifacts/$name/"
	log="$BUILD/fuzz/$name.log"
	mkdir -p "$work" "$artifacts"
	# Checked-in seeds (and crash reproducers) are read, never written.
	[ -d "$seeds" ] || seeds=
	dict=
	[ -f "$here/$name.dict" ] && dict="-dict=$here/$name.dict"
	# -timeout: one input may not take more than 10 s (a hang is a bug).
	# The outer timeout is a guard against libFuzzer itself stalling.
	timeout --kill-after=30 $((FUZZ_TIME + 120)) "$target" \
		-max_total_time="$FUZZ_TIME" -timeout=10 -rss_limit_mb=2048 \
		-max_len=4096 -print_final_stats=1 $dict \
		-artifact_prefix="$artifacts" "$work" ${seeds:+"$seeds"} \
		>"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	crashes=$(find "$artifacts" -type f | wc -l)
	corpus=$(find "$work" -type f | wc -l)
	echo "$name: ${execs:-?} executions in ${FUZZ_TIME}s, corpus $corpus," \
	     "crashes $crashes (exit $rc, log $log)"
	if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
		grep -m 5 -E "ERROR|runtime error|SUMMARY" "$log"
		status=1
	fi
done
exit $status
