# Helpers for the kvmrun guest kit's /init (busybox ash).  Kept apart from
# /init so the host can source this file with the kit's own busybox and test
# the parsing without booting a kernel (tests/linux/test_init_functions.py).
# shellcheck shell=sh disable=SC3043

# Prints the value of kernel command-line parameter $1 (e.g. kvmrun.cmd) from
# the command line $2, or nothing.  Parameters are separated by spaces; values
# never contain raw spaces (see kvmrun_decode).  The last occurrence wins, as
# it does for the kernel's own parameters.
kvmrun_param() {
	local want="$1" word value="" noglob=""
	case "$-" in *f*) noglob=1 ;; esac
	set -f
	for word in $2; do
		case "$word" in
		"$want="*) value="${word#*=}" ;;
		esac
	done
	[ -n "$noglob" ] || set +f
	printf '%s' "$value"
}

# Decodes the kvmrun.cmd convention: %XX (two hex digits) is the byte 0xXX,
# every other character stands for itself.  So a space is %20, a newline %0A,
# a double quote %22 and a percent sign %25.  Backslashes are taken literally.
kvmrun_decode() {
	local escaped
	escaped=$(printf '%s' "$1" |
		sed 's/\\/\\\\/g; s/%\([0-9A-Fa-f][0-9A-Fa-f]\)/\\x\1/g')
	printf '%b' "$escaped"
}

# Counts the CPUs in a kernel CPU list such as "0-1,4,6-7" (the format of
# /sys/devices/system/cpu/online).
kvmrun_count_cpus() {
	local list="$1" range lo hi n=0 old_ifs="$IFS"
	IFS=,
	for range in $list; do
		case "$range" in
		*-*) lo=${range%-*}; hi=${range#*-} ;;
		'') continue ;;
		*) lo=$range; hi=$range ;;
		esac
		n=$((n + hi - lo + 1))
	done
	IFS="$old_ifs"
	echo "$n"
}

# Prints the MemTotal figure (kB) from a meminfo file.
kvmrun_mem_total() {
	local key value rest
	while read -r key value rest; do
		if [ "$key" = "MemTotal:" ]; then
			echo "$value"
			return 0
		fi
	done <"$1"
	echo 0
}

# Prints the init marker line from the given proc/sys files.
kvmrun_marker() {
	local uptime rest online
	read -r uptime rest <"$1"
	read -r online <"$2"
	echo "KVMRUN-INIT-OK uptime=$uptime cpus=$(kvmrun_count_cpus "$online")" \
		"mem=$(kvmrun_mem_total "$3")"
}
