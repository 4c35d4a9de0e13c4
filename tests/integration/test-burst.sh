#!/bin/bash
# Bursts: 200 `sesame launch` started at once all succeed, each app in its
# own scope, and the daemon comes back to the descriptors and memory it had,
# with no zombies. Inside a private user manager.
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../lib/daemon.sh"

xdg_dirs
desktop_entry org.example.Sleeper "sleep 300" Name=Sleeper
"$sesame" keys init >/dev/null

# Without MALLOC_PERTURB_ (which meson sets), as the daemon runs for real.
start_daemon --fresh-log env -u MALLOC_PERTURB_

fds() { ls "/proc/$daemon/fd" | wc -l; }
rss_kib() { sed -n 's/^RssAnon:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$daemon/status"; }
zombies() {
	local c n=0
	for c in $(cat /proc/"$daemon"/task/*/children); do
		[ "$(awk '{print $3}' "/proc/$c/stat" 2>/dev/null)" = Z ] && n=$((n + 1))
	done
	echo $n
}
children() { "$sesame" status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["children"])'; }

# burst N TAG: N launches at once; their outputs in $TMPDIR/TAG-I.out/.err.
burst() {
	local n=$1 tag=$2 i clients=()
	for i in $(seq 1 "$n"); do
		"$sesame" launch sleeper >"$TMPDIR/$tag-$i.out" 2>"$TMPDIR/$tag-$i.err" &
		clients+=($!)
	done
	local status=0
	for i in "${clients[@]}"; do wait "$i" || status=1; done
	return $status
}
pids_of() { pids_in "$(cat "$TMPDIR/$1"-*.out)"; }
kill_apps() {
	local p
	for p in $(pids_of "$1"); do kill -KILL "$p"; done
	none_left() { [ "$(children)" = 0 ]; }
	wait_until 20000 none_left
}

# A first burst brings the allocator and the kernel to their working size;
# the baseline is taken after it, its apps gone.
burst 50 warm
kill_at_exit $(pids_of warm)
kill_apps warm
fd_base=$(fds) rss_base=$(rss_kib)

burst 200 burst
status=$?
kill_at_exit $(pids_of burst)
ok_count=$(grep -c "^pid=[0-9]* unit=app-open-sesame-org-example-Sleeper-[0-9]*.scope via_scope=true" \
	"$TMPDIR"/burst-*.out | awk -F: '{s += $2} END {print s}')
check "200 launches at once: all exit 0" test "$status" = 0
check "...each started in its scope ($ok_count of 200)" test "$ok_count" = 200
in_own_scope() {
	local p
	for p in $(pids_of burst); do grep -qx "0::/app.slice/app-open-sesame-org-example-Sleeper-$p.scope" "/proc/$p/cgroup" || return 1; done
}
check "...each app in the scope named after its own PID" in_own_scope
check "...200 different apps" test "$(pids_of burst | sort -u | wc -l)" = 200
check "...none of them refused or told of a key mismatch" bash -c '! cat "$@" | grep -q .' _ "$TMPDIR"/burst-*.err

kill_apps burst
check "afterwards: no zombies" test "$(zombies)" = 0
fds_back() { [ "$(fds)" -le "$fd_base" ]; }
check "...the descriptors the daemon had ($fd_base)" wait_until 5000 fds_back
# (The daemon trims its heap 1 s after the last launch of a burst.)
rss_back() { [ $(($(rss_kib) - rss_base)) -le 512 ]; }
rss_check="...its anonymous memory within 512 KiB of its baseline (${rss_base} KiB)"
if grep -q __asan_init "$launcherd"; then
	# AddressSanitizer holds freed memory in quarantine: its RSS says
	# nothing about ours. make check's own build measures it.
	skip "$rss_check" "AddressSanitizer build"
else
	check "$rss_check" wait_until 5000 rss_back
fi

kill -TERM "$daemon"
wait "$daemon"
daemon=
done_testing
