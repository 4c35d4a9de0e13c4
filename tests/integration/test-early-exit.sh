#!/bin/bash
# Apps that die at once, through the launcher in a private user manager with
# a real systemd-journald (in the harness's private /run): each app's stderr
# is a journal stream of its own, under its entry ID and attributed to its
# scope; one that exits with a failure within EarlyExitSec= is logged by the
# launcher with its last lines, and a client that waits (--wait-start, or
# --notify=always) is told so, and notified.
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../lib/daemon.sh"

check "a private journald is up" start_journald

xdg_dirs
desktop_entry org.example.Dies "sh -c 'echo starting >&2; echo \"failed to connect to wayland\" >&2; exit 1'" Name=Dies
desktop_entry org.example.Crashes "sh -c 'kill -SEGV \$\$'" Name=Crashes
desktop_entry org.example.Quits "true" Name=Quits
desktop_entry org.example.Lives "sh -c 'echo alive >&2; exec sleep 300'" Name=Lives
"$sesame" keys init >/dev/null
start_daemon

run "$sesame" launch --wait-start org.example.Dies
check "--wait-start: an app that fails at once is the answer (31), with its last lines on stderr" \
	eval '[ "$rc" = 31 ] && grep -q "sesame launch: org.example.Dies exited at once (status 1): starting / failed to connect to wayland (ExitedAtOnce)" <<<"$err"' ||
	echo "# rc=$rc $err"
logged() { grep -q "org.example.Dies exited at once (status 1): starting / failed to connect to wayland" "$TMPDIR/daemon.log"; }
check "...and the launcher logs it so" wait_until 5000 logged

run "$sesame" launch --wait-start --json org.example.Dies
check "...in JSON: pid, status and the lines" /usr/bin/python3 -c '
import json, sys
r = json.loads(sys.argv[1])
assert r["error"] == "ExitedAtOnce" and r["status"] == 1 and r["signal"] == 0 and r["pid"] > 1, r
assert r["lines"] == ["starting", "failed to connect to wayland"], r
' "$out" || echo "# $out"
dies_pid=$(/usr/bin/python3 -c 'import json, sys; print(json.loads(sys.argv[1])["pid"])' "$out")

journalctl --sync 2>/dev/null
lines=$(journalctl --no-pager -o json _PID="$dies_pid" 2>/dev/null)
check "the app's stderr is its own journal stream: its entry ID and its PID" /usr/bin/python3 -c '
import json, sys
l = [json.loads(x) for x in sys.argv[1].splitlines()]
w = [e for e in l if e.get("MESSAGE") == "failed to connect to wayland"]
assert w and w[0]["SYSLOG_IDENTIFIER"] == "org.example.Dies" and w[0]["_TRANSPORT"] == "stdout", l
' "$lines"

run "$sesame" launch --wait-start org.example.Crashes
check "killed by a signal at once: said with the signal" \
	eval '[ "$rc" = 31 ] && grep -q "org.example.Crashes exited at once (killed by SIGSEGV)" <<<"$err"'

run "$sesame" launch --wait-start org.example.Quits
check "an app that ends at once with success is no failure (0)" eval '[ "$rc" = 0 ] && grep -q "^pid=" <<<"$out"'

run "$sesame" launch --wait-start org.example.Lives
take_pid lives
check "an app that lives past the window: started (0)" eval '[ "$rc" = 0 ] && kill -0 "$lives"'
# A live app's lines carry its scope (journald reads the writer's cgroup
# when the line comes; of a process gone by then it can read nothing).
alive_in_scope() {
	journalctl --sync 2>/dev/null
	journalctl --no-pager -o json _PID="$lives" SYSLOG_IDENTIFIER=org.example.Lives 2>/dev/null | /usr/bin/python3 -c '
import json, sys
l = [json.loads(x) for x in sys.stdin]
sys.exit(not any(e.get("MESSAGE") == "alive" and e.get("_SYSTEMD_CGROUP", "").endswith("/app-open-sesame-org-example-Lives-%s.scope" % sys.argv[1]) for e in l))
' "$lives"
}
check "...its stderr in the journal under its entry ID, attributed to its scope" wait_until 5000 alive_in_scope

before=$(grep -c "org.example.Dies exited at once" "$TMPDIR/daemon.log")
run "$sesame" launch org.example.Dies
logged_again() { [ "$(grep -c "org.example.Dies exited at once" "$TMPDIR/daemon.log")" -gt "$before" ]; }
check "without --wait-start: answered at once as started (0), the launcher logs the death" \
	eval '[ "$rc" = 0 ] && wait_until 5000 logged_again'

notes=$TMPDIR/notes.jsonl
notify_recorder "$notes"
run "$sesame" launch --notify=always org.example.Dies
check "--notify=always waits too, and notifies the early exit with its lines" \
	eval '[ "$rc" = 31 ] && grep -q "failed to connect to wayland" "$notes"'

printf '[Launcher]\nEarlyExitSec=0.2\n' >"$XDG_CONFIG_HOME/sesame/launcher.conf"
reloaded() { grep -q "configuration reloaded" "$TMPDIR/daemon.log"; }
wait_until 5000 reloaded
desktop_entry org.example.Late "sh -c 'sleep 1; echo late >&2; exit 1'" Name=Late
late_ready() { "$sesame" launch --dry-run org.example.Late >/dev/null 2>&1; }
wait_until 5000 late_ready
run "$sesame" launch --wait-start org.example.Late
check "EarlyExitSec=0.2: an app failing after 1 s is past the window (0)" test "$rc" = 0

check "the launcher serves on" eval '"$sesame" status >/dev/null'
done_testing
