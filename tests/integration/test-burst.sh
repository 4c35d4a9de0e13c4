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

# ---- the launcher killed in the middle of a burst (limits and peers, item
# 10): a client may be told that its launch worked, that the launcher ended
# before answering (exit 24: its app may run, and it is not tried again),
# or that no launcher runs; never that its launch failed while its app
# runs, nor that a key does not match.
desktop_entry org.example.Marked "sleep 301" Name=Marked
wait_until 5000 bash -c '"$0" launch --dry-run org.example.Marked >/dev/null 2>&1' "$sesame"
marked() { pgrep -fx "sleep 301" | wc -l; }
clients=()
for i in $(seq 1 100); do
	"$sesame" launch org.example.Marked >"$TMPDIR/cut-$i.out" 2>"$TMPDIR/cut-$i.err" &
	clients+=($!)
done
wait_until 10000 eval '[ "$(marked)" -ge 10 ]'
kill -KILL "$daemon"
wait "$daemon" 2>/dev/null
daemon=
for i in $(seq 1 100); do
	wait "${clients[$((i - 1))]}"
	echo $? >"$TMPDIR/cut-$i.rc"
done
kill_at_exit $(pgrep -fx "sleep 301")
told() { grep -l "$1" "$TMPDIR"/cut-*."$2" 2>/dev/null | wc -l; }
answered=$(told '^0$' rc) unanswered=$(told '^24$' rc) absent=$(told "the launcher is not running" err)
check "killed mid-burst: each of the 100 clients told it started ($answered), the launcher ended before answering ($unanswered) or is not running ($absent)" \
	test $((answered + unanswered + absent)) = 100
check "...the unanswered ones that their app may run (see: sesame ps)" \
	eval '[ "$(told "what was asked may have been done" err)" = "$unanswered" ]'
check "...no client told of a key mismatch or a failed launch" \
	eval '! cat "$TMPDIR"/cut-*.err | grep -Eq "key|failed|SpawnFailed"'
check "...the apps that run ($(marked)) are no more than the clients not told otherwise" \
	test "$(marked)" -le $((answered + unanswered))
check "...and each client told it started has its app" \
	eval 'for p in $(pids_in "$(cat "$TMPDIR"/cut-*.out)"); do kill -0 $p || exit 1; done'
done_testing
