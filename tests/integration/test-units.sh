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
done_testing
