# Minimal TAP for the shell tests: source it, call check/ok/not_ok, end
# with done_testing. Meson reads the TAP stream.
_tap_n=0
_tap_failed=0

ok() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $*"; }
skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $1 # SKIP $2"; }
not_ok() { _tap_n=$((_tap_n + 1)); _tap_failed=$((_tap_failed + 1)); echo "not ok $_tap_n - $*"; }

# check "description" command...: ok when the command succeeds.
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}

# Output of the last `run`: $out (stdout), $err (stderr), $rc.
run() {
	local o e
	o=$(mktemp) e=$(mktemp)
	rc=0
	"$@" >"$o" 2>"$e" || rc=$?
	out=$(cat "$o") err=$(cat "$e")
	rm -f "$o" "$e"
}

# wait_until TIMEOUT_MS command...: polls the condition every 10 ms.
wait_until() {
	local limit=$1 t=0
	shift
	until "$@"; do
		[ "$t" -ge "$limit" ] && return 1
		sleep 0.01
		t=$((t + 10))
	done
}

# stop_process PID: SIGTERM, SIGKILL when it is still there after 3 s
# (some ignore SIGTERM while a dialog is open), then reaped.
stop_process() {
	kill "$1" 2>/dev/null
	wait_until 3000 bash -c '! kill -0 "$0" 2>/dev/null' "$1" || kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

done_testing() {
	echo "1..$_tap_n"
	[ "$_tap_failed" -eq 0 ]
}
