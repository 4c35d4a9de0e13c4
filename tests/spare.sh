# The launcher's spare (a held sesame-exec --spare waiting for the next
# launch), seen from outside. Sourced by the integration tests.

# The PID of the daemon's spare, or nothing.
spare_of() {
	local c
	for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		[ "$(tr '\0' ' ' <"/proc/$c/cmdline" 2>/dev/null)" = "$(dirname "$SESAME")/sesame-exec --spare " ] && echo "$c"
	done
	return 0
}

# Whether spare $1 has been given a launch: it has read it and now waits
# for the one release byte (read(4, buf, 1), from /proc/PID/syscall).
spare_given() {
	read -r nr fd _ count _ <"/proc/$1/syscall" 2>/dev/null || return 1
	[ "$nr" = 0 ] && [ "$fd" = 0x4 ] && [ "$count" = 0x1 ]
}

# Gone, or a zombie nobody reaped yet.
process_gone() {
	[ ! -e "/proc/$1" ] || [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = Z ]
}
