#!/bin/bash
# The systemd units, in a private user manager: socket activation, notify,
# the watchdog, restarts, and apps surviving all of it.
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../spare.sh"
. "$(dirname "$0")/../lib/daemon.sh"
source=${SESAME_SOURCE:?}

xdg_dirs
desktop_entry org.example.Sleeper "sleep 300" Name=Sleeper
"$sesame" keys init >/dev/null

# The units as installed, with ExecStart= pointing at this build.
units=$XDG_RUNTIME_DIR/systemd/user
mkdir -p "$units"
sed "s|@bindir@|$(dirname "$launcherd")|" "$source/contrib/systemd/sesame-launcher.service.in" >"$units/sesame-launcher.service"
cp "$source/contrib/systemd/sesame-launcher.socket" "$units/"
# The session's environment, as a desktop session exports it to the manager.
systemctl --user set-environment XDG_CONFIG_HOME="$XDG_CONFIG_HOME" XDG_DATA_HOME="$XDG_DATA_HOME" XDG_DATA_DIRS="$XDG_DATA_DIRS"
systemctl --user daemon-reload


run systemctl --user start sesame-launcher.socket
check "the socket unit starts" test "$rc" = 0
check "...and listens, 0600 in a 0700 directory" test -S "$XDG_RUNTIME_DIR/sesame/launcher.sock" -a \
	"$(stat -c %a "$XDG_RUNTIME_DIR/sesame/launcher.sock")" = 600 -a "$(stat -c %a "$XDG_RUNTIME_DIR/sesame")" = 700
check "no daemon before the first request" bash -c '! systemctl --user is-active --quiet sesame-launcher.service'

run "$sesame" launch org.example.Sleeper
take_pid pid
check "the first sesame launch starts the daemon and is served" test "$rc" = 0 -a -n "$pid"
check "Type=notify: the service is active" systemctl --user is-active --quiet sesame-launcher.service
check "the app is in its own scope, not in the service" \
	grep -qx "0::/app.slice/app-open-sesame-org-example-Sleeper-$pid.scope" "/proc/$pid/cgroup"
check "STATUS= reaches the manager" bash -c 'systemctl --user show -p StatusText --value sesame-launcher.service | grep -q "Serving 1 desktop entries"'

# The watchdog: 1 s here; the daemon must keep the service alive.
mkdir -p "$units/sesame-launcher.service.d"
printf '[Service]\nWatchdogSec=1\n' >"$units/sesame-launcher.service.d/watchdog.conf"
systemctl --user daemon-reload
systemctl --user restart sesame-launcher.service
main=$(systemctl --user show -p MainPID --value sesame-launcher.service)
# The condition: a watchdog ping that the manager received 4 periods after
# the start (a daemon that stopped pinging would be killed before that).
show() { systemctl --user show -p "$1" --value sesame-launcher.service; }
started_at=$(show ExecMainStartTimestampMonotonic)
pinged_late() { [ "$(show WatchdogTimestampMonotonic)" -gt $((started_at + 4000000)) ]; }
check "the manager receives watchdog pings 4 periods after the start" wait_until 10000 pinged_late
check "the watchdog keeps it alive (same PID after 4 periods)" \
	test "$(systemctl --user show -p MainPID --value sesame-launcher.service)" = "$main" -a "$main" != 0
check "...no restart happened" test "$(systemctl --user show -p NRestarts --value sesame-launcher.service)" = 0

has_spare() { [ -n "$(spare_of "$main")" ]; }
wait_until 5000 has_spare
spare=$(spare_of "$main")
kill -KILL "$main"
check "the daemon's spare does not outlive it (its hold pipe closes)" wait_until 5000 process_gone "$spare"
back() { systemctl --user is-active --quiet sesame-launcher.service && [ "$(systemctl --user show -p MainPID --value sesame-launcher.service)" != "$main" ]; }
"$sesame" status >/dev/null 2>&1
check "SIGKILLed: the service comes back (Restart=on-failure or the socket)" wait_until 5000 back
check "the app survived the daemon's SIGKILL" kill -0 "$pid"
run "$sesame" status --json
check "the new daemon serves" test "$rc" = 0

systemctl --user stop sesame-launcher.service
check "stopping the service leaves the app running" kill -0 "$pid"
run "$sesame" status
check "...and the socket starts it again on demand" test "$rc" = 0

systemctl --user stop sesame-launcher.socket sesame-launcher.service

# ---- A configuration with errors, through the real units: the launcher
# starts, serves every valid part, and names what it left out.
conf=$XDG_CONFIG_HOME/sesame/launcher.conf
cat >"$conf" <<'CONF'
[LaunchProfile good]
Environment=GOOD=1
[LaunchProfile gh]
Environment=GH=1
MemroyMax=2G
CONF
systemctl --user start sesame-launcher.socket
run "$sesame" launch --dry-run org.example.Sleeper --tag good
check "a typo in launcher.conf: the launcher starts through its socket and launches with the other profiles" \
	eval 'test "$rc" = 0 && systemctl --user is-active --quiet sesame-launcher.service'
run "$sesame" launch --dry-run org.example.Sleeper --tag gh
check "...the profile with the typo is refused, naming launcher.conf:5 (ProfileInvalid, 25)" \
	eval 'test "$rc" = 25 && grep -q "$conf:5: unknown key .MemroyMax. in \[LaunchProfile default:gh\]" <<<"$err"'
run "$sesame" status
check "...and status lists it" grep -q "^  $conf:5: unknown key 'MemroyMax'" <<<"$out"
# Ten restarts by hand within seconds would pass the default start limit
# (5 in 10 s) whatever the file: raised for this check, which is about the
# launcher not failing (the old one failed every start and restarted
# itself into any limit).
printf '[Unit]\nStartLimitBurst=50\n' >"$units/sesame-launcher.service.d/limit.conf"
systemctl --user daemon-reload
for i in $(seq 1 10); do systemctl --user restart sesame-launcher.service; done
served() { "$sesame" status >/dev/null 2>&1; }
check "10 restarts with the file in error: served after each" wait_until 5000 served
check "...neither unit failed, no restart of its own" eval 'test "$(show ActiveState)" = active -a "$(show NRestarts)" = 0 -a "$(show Result)" = success && test "$(systemctl --user show -P ActiveState sesame-launcher.socket)" = active'
rm "$units/sesame-launcher.service.d/limit.conf" "$conf"
systemctl --user daemon-reload
systemctl --user stop sesame-launcher.socket sesame-launcher.service

# ---- What a client says when no launcher answers: its own sentence and
# status for each cause, and a notification under --notify.
notes=$TMPDIR/notes.jsonl
notify_recorder "$notes"
notified() { grep -qF "$1" "$notes"; }

: >"$notes"
run "$sesame" launch --notify=always org.example.Sleeper
check "socket stopped: 27, saying to enable it" \
	eval 'test "$rc" = 27 && grep -q "sesame launch: the launcher is not running: its socket is inactive and not enabled; run: systemctl --user enable --now sesame-launcher.socket" <<<"$err"'
check "...and the same as a notification" notified "run: systemctl --user enable --now sesame-launcher.socket"

# A launcher key it cannot read: it cannot serve; it says so to the client
# waiting and does not restart (RestartPreventExitStatus=78).
key=$XDG_CONFIG_HOME/sesame/launcher.key
cp -p "$key" "$TMPDIR/launcher.key"
echo "not a key" >"$key"
systemctl --user start sesame-launcher.socket
: >"$notes"
run "$sesame" launch --notify=always org.example.Sleeper
check "a launcher that cannot start: 28, with its reason, not a key mismatch" \
	eval 'test "$rc" = 28 && grep -q "sesame launch: the launcher cannot serve: .*launcher.key" <<<"$err" && ! grep -q "not the one in launcher.pub" <<<"$err"'
check "...and as a notification" notified "the launcher cannot serve: "
check "...the service failed once, with status 78, not restarted" \
	eval 'test "$(show Result)" = exit-code -a "$(show ExecMainStatus)" = 78 -a "$(show NRestarts)" = 0'
check "...and the socket still listens" test "$(systemctl --user show -P ActiveState sesame-launcher.socket)" = active
# Clients keep coming: past the start limit the socket fails; then only
# reset-failed helps, and the client says so.
for i in $(seq 1 6); do "$sesame" status >/dev/null 2>&1; done
socket_failed() { [ "$(systemctl --user show -P ActiveState sesame-launcher.socket)" = failed ]; }
check "six starts within seconds: the socket fails (the start limit)" wait_until 5000 socket_failed
: >"$notes"
run "$sesame" launch --notify=always org.example.Sleeper
check "...28, naming the failure and reset-failed" \
	eval 'test "$rc" = 28 && grep -q "the launcher is not running: its socket failed (service-start-limit-hit) after its service failed (exit-code); see: journalctl --user -u sesame-launcher.service; once fixed, run: systemctl --user reset-failed sesame-launcher.socket sesame-launcher.service" <<<"$err"'
check "...and as a notification" notified "reset-failed sesame-launcher.socket sesame-launcher.service"
cp -p "$TMPDIR/launcher.key" "$key"
systemctl --user reset-failed sesame-launcher.socket sesame-launcher.service
systemctl --user start sesame-launcher.socket
run "$sesame" status
check "...as it says: reset-failed and start, and it serves" test "$rc" = 0
systemctl --user stop sesame-launcher.socket sesame-launcher.service

# No key for this client, and the units not installed.
: >"$notes"
XDG_CONFIG_HOME=$TMPDIR/nokeys run "$sesame" launch --notify=always org.example.Sleeper
check "a client without a key: 30, saying sesame keys init" \
	eval 'test "$rc" = 30 && grep -q "this client has no key yet; run: sesame keys init" <<<"$err"'
check "...and as a notification" notified "sesame keys init"
rm "$units/sesame-launcher.socket" "$units/sesame-launcher.service"
systemctl --user daemon-reload
: >"$notes"
run "$sesame" launch --notify=always org.example.Sleeper
check "units not installed: 26, saying so" \
	eval 'test "$rc" = 26 && grep -q "the launcher is not running, and not installed: the user manager has no sesame-launcher.socket" <<<"$err"'
check "...and as a notification" notified "not installed"
: >"$notes"
run "$sesame" launch --notify=never org.example.Sleeper
check "--notify=never: said, not notified" eval 'test "$rc" = 26 -a -n "$err" -a ! -s "$notes"'
done_testing
