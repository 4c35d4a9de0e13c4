#!/bin/bash
# Apps as transient services (sesame launch --service, UnitType=service)
# in the harness's private user manager, with a real systemd-journald and
# gnome-keyring: the unit's properties read back from the manager, the
# composed environment and secret in the app and in no file of the manager
# nor in its view of the unit, the hand-over channel out of reach of
# another process of the user, exec failures as for scopes, ps, stop,
# --single, logs, restart, 100 at once, and the fallbacks.
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../lib/daemon.sh"
memscan=$(dirname "$0")/../memscan.py
thief=$(dirname "$0")/../channel-thief.py

check "a private journald is up" start_journald
xdg_dirs --home
desktop_entry org.example.Svc "sh -c 'echo svc line >&2; echo \"<3>svc broke\" >&2; echo svc out; exec sleep 300'" Name=Svc
desktop_entry org.example.Other "sh -c 'echo other line >&2; exec sleep 300'" Name=Other
desktop_entry org.example.Missing "no-such-program-anywhere" Name=Missing
desktop_entry sleeper "sleep 300" Name=Sleeper
desktop_entry org.example.Dies "sh -c 'echo cannot open the display >&2; exit 3'" Name=Dies
cat >"$XDG_CONFIG_HOME/sesame/launcher.conf" <<'CONF'
[LaunchProfile work]
Environment=WORK_MODE=on
Secret=svc-token
[LaunchProfile svc]
UnitType=service
MemoryMax=300M
[LaunchProfile scoped]
UnitType=scope
# A value the manager refuses that the configuration's check lets through.
[LaunchProfile refused]
MemoryHigh=0
[LaunchProfile strict]
MemoryHigh=0
Strict=yes
CONF

start_keyring
secret=$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(20))')
printf '%s' "$secret" | secret-tool store --label=svc sesame-profile default sesame-secret svc-token

"$sesame" keys init >/dev/null
start_daemon
prop() { systemctl --user show -P "$2" "$1"; }

# ---- the unit, its properties, the composed environment
run "$sesame" launch --service org.example.Svc --tag work
take_pid pid
unit=$(unit_in "$out")
check "--service: launched (0), in a service named app-open-sesame-ENTRY-N.service" \
	eval '[ "$rc" = 0 ] && [[ $unit =~ ^app-open-sesame-org-example-Svc-[0-9]+\.service$ ]]'
check "...the manager has it as a service: Type=exec, ExitType=cgroup, CollectMode=inactive-or-failed" \
	eval '[ "$(prop "$unit" Type)" = exec ] && [ "$(prop "$unit" ExitType)" = cgroup ] && [ "$(prop "$unit" CollectMode)" = inactive-or-failed ]'
check "...Slice, Description, SourcePath the desktop file, output to the journal under the entry's name" \
	eval '[ "$(prop "$unit" Slice)" = app.slice ] && [ "$(prop "$unit" Description)" = Svc ] &&
	[ "$(prop "$unit" SourcePath)" = "$XDG_DATA_HOME/applications/org.example.Svc.desktop" ] &&
	[ "$(prop "$unit" SyslogIdentifier)" = org.example.Svc ] && [ "$(prop "$unit" StandardError)" = journal ] &&
	[ "$(prop "$unit" StandardOutput)" = null ]'
check "...its main process is the app (sesame-exec executed it), the PID launch printed" \
	eval '[ "$(prop "$unit" MainPID)" = "$pid" ] && [ "$(cat /proc/$pid/comm)" = sh ] || [ "$(cat /proc/$pid/comm)" = sleep ]'
check "...the composed environment: the profile's variable, the secret, SESAME_APP_ID" \
	eval '[ "$(envvar "$pid" WORK_MODE)" = on ] && [ "$(envvar "$pid" SVC_TOKEN)" = "$secret" ] && [ "$(envvar "$pid" SESAME_APP_ID)" = org.example.Svc ]'
check "...its standard input is /dev/null, not the hand-over socket" test "$(readlink /proc/$pid/fd/0)" = /dev/null
check "the secret is in no file under \$XDG_RUNTIME_DIR/systemd/ (the transient unit's among them)" \
	eval '[ -n "$(ls "$XDG_RUNTIME_DIR/systemd/transient/" | grep -F "$unit")" ] && ! grep -rqF "$secret" "$XDG_RUNTIME_DIR/systemd/"'
check "...nor any variable of the launch: the unit has no Environment=" \
	eval '! grep -rq "WORK_MODE\|SVC_TOKEN" "$XDG_RUNTIME_DIR/systemd/" && [ -z "$(prop "$unit" Environment)" ]'
run systemctl --user show "$unit"
check "...nor in systemctl --user show of the unit" eval '[ "$rc" = 0 ] && ! grep -qF "$secret" <<<"$out"'
tail_hex() { printf '%s' "${1:16}" | od -An -tx1 | tr -d ' \n'; }
run python3 "$memscan" "$daemon" "$(tail_hex "$secret")"
check "...nor in the launcher's memory after the hand-over" test "$rc" = 0 || echo "# $out"

# ---- the hand-over channel, from another process of the user without privileges
manager=${SESAME_TEST_MANAGER_PID:?}
run setpriv --bounding-set=-all --inh-caps=-all /usr/bin/python3 "$thief" "$secret" "hidden:$daemon" "$manager" "$pid"
check "a process of the user gets nothing: no descriptor of the launcher, no socket of the manager or the app holds the launch" \
	test "$rc" = 0
sed 's/^/# /' <<<"$out"
# ...and while a launch waits for the manager, the channel open in the launcher.
kill -STOP "$manager"
"$sesame" launch --service sleeper --tag work >"$TMPDIR/held.out" 2>&1 &
held=$!
# In flight: the launcher holds the composed environment, waiting for
# the service's process (the secret is in its memory until the hand-over).
in_flight() { ! python3 "$memscan" "$daemon" "$(tail_hex "$secret")" >/dev/null 2>&1; }
wait_until 5000 in_flight
run setpriv --bounding-set=-all --inh-caps=-all /usr/bin/python3 "$thief" "$secret" "hidden:$daemon" "$manager"
kill -CONT "$manager"
wait "$held"
check "...nor while a launch is in flight (the manager stopped)" test "$rc" = 0
sed 's/^/# /' <<<"$out"
take_pid held_pid "$TMPDIR/held.out"
check "...which then starts in its service" eval 'grep -q "unit=app-open-sesame-sleeper-[0-9]*\.service" "$TMPDIR/held.out"'

# ---- exec failure, as for scopes
run "$sesame" launch --service org.example.Missing
check "a program that is not installed: SpawnFailed (19) naming it, as for a scope" \
	eval '[ "$rc" = 19 ] && grep -q "no-such-program-anywhere.*not installed" <<<"$err"'
check "...and its service is gone (collected)" \
	eval '[ -z "$(systemctl --user list-units --all --plain --no-legend "app-open-sesame-org-example-Missing-*" )" ]'

# ---- an app that dies at once: its exit is the manager's to tell
run "$sesame" launch --service --wait-start org.example.Dies
check "--wait-start: a service that exits at once with a failure is ExitedAtOnce (31), with its last line" \
	eval '[ "$rc" = 31 ] && grep -q "status 3" <<<"$err" && grep -q "cannot open the display" <<<"$err"'
check "...and the launcher's log says so" log_has "org.example.Dies exited at once"
run "$sesame" launch --service --wait-start sleeper
take_pid waited
check "--wait-start: a service that lives through the window is launched (0)" eval '[ "$rc" = 0 ] && [ -n "$waited" ]'

# ---- UnitType= per profile and the request's --service over it
run "$sesame" launch org.example.Other --tag svc
take_pid other
other_unit=$(unit_in "$out")
check "UnitType=service in a tag's profile: a service, with the profile's unit settings" \
	eval '[[ $other_unit == *.service ]] && [ "$(prop "$other_unit" MemoryMax)" = 314572800 ]'
run "$sesame" launch --service sleeper --tag scoped
take_pid p
check "--service wins over a tag's UnitType=scope" eval '[[ $(unit_in "$out") == *.service ]]'
run "$sesame" launch --service org.example.Other --tag refused
take_pid refused_pid
refused_unit=$(unit_in "$out")
check "a setting the manager refuses: the service is made without it, saying so" \
	eval '[ "$rc" = 0 ] && [[ $(unit_in "$out") == *.service ]] && log_has "refused the unit settings (Value specified in MemoryHigh is out of range); the service is made without them"'
run "$sesame" launch --service org.example.Other --tag strict --notify=never
check "...and with Strict=yes the launch fails (19), saying why" \
	eval '[ "$rc" = 19 ] && grep -q "Strict=yes.*MemoryHigh is out of range" <<<"$err"'
"$sesame" stop "$refused_unit" >/dev/null 2>&1
run "$sesame" launch --dry-run org.example.Other --tag svc
check "--dry-run says the unit type" eval 'grep -q "^unit type: *service" <<<"$out"'

# ---- ps, --single, logs
run "$sesame" ps
check "ps lists the service under its entry" eval 'grep -q "^ *$pid  org.example.Svc .*$unit" <<<"$out"'
run "$sesame" launch --single --service org.example.Svc
check "--single: the running service is found, nothing started" \
	eval '[ "$rc" = 0 ] && grep -q "already running: pid=$pid unit=$unit" <<<"$out$err"'
has() { journalctl --sync 2>/dev/null; "$sesame" logs "$1" 2>/dev/null | grep -q "$2"; }
wait_until 5000 has org.example.Svc "svc broke"
run "$sesame" logs --json org.example.Svc
check "logs ENTRY: the service's stderr, with the entry's identifier and the <3> priority; not stdout, not the other app" \
	/usr/bin/python3 -c '
import json, sys
l = [json.loads(x) for x in sys.argv[1].splitlines()]
assert [(e["message"], e["priority"]) for e in l] == [("svc line", 6), ("svc broke", 3)], l
assert all(e["identifier"] == "org.example.Svc" for e in l), l
' "$out"
check "...the journal has them under the service's unit (_SYSTEMD_UNIT in the private manager's namespace)" \
	eval 'journalctl -o verbose -t org.example.Svc | grep -q "_SYSTEMD_UNIT=$unit"'
run "$sesame" logs "$unit"
check "logs UNIT of a service" eval '[ "$rc" = 0 ] && grep -q "svc broke" <<<"$out"'

# ---- restart: stopped, launched again composed afresh
printf '%s' "second-$secret" | secret-tool store --label=svc sesame-profile default sesame-secret svc-token
run "$sesame" restart org.example.Svc
take_pid new_pid
new_unit=$(unit_in "$out")
check "restart ENTRY: a new service, the old one gone" \
	eval '[ "$rc" = 0 ] && [[ $new_unit == *.service ]] && [ "$new_unit" != "$unit" ] && exited "$pid" && [ "$(prop "$unit" ActiveState)" != active ]'
check "...with the same tags and the environment composed afresh (the secret read again)" \
	eval '[ "$(envvar "$new_pid" WORK_MODE)" = on ] && [ "$(envvar "$new_pid" SVC_TOKEN)" = "second-$secret" ]'
desktop_entry org.example.Scoped "sleep 300" Name=Scoped
wait_until 5000 eval '"$sesame" launch --dry-run org.example.Scoped >/dev/null 2>&1'
"$sesame" launch org.example.Scoped >/dev/null
run "$sesame" restart org.example.Scoped
check "restart of an app in a scope: refused, saying why (3)" \
	eval '[ "$rc" = 3 ] && grep -q "runs in a scope.*--service" <<<"$err"'
run "$sesame" restart org.example.Nothing
check "restart of what does not exist: the launch's EntryNotFound (10)" test "$rc" = 10

# ---- stop
run "$sesame" stop "$new_unit"
check "stop UNIT stops the service" eval '[ "$rc" = 0 ] && wait_until 5000 exited "$new_pid"'
run "$sesame" stop --all org.example.Other
check "stop ENTRY stops the profile's service" eval '[ "$rc" = 0 ] && wait_until 5000 exited "$other"'

# ---- 100 at once
: >"$TMPDIR/many"
for i in $(seq 100); do
	"$sesame" launch --service sleeper >>"$TMPDIR/many" 2>&1 &
	many+=($!)
done
failed=0
for p in "${many[@]}"; do wait "$p" || failed=$((failed + 1)); done
for p in $(pids_in "$(cat "$TMPDIR/many")"); do _started+=("$p"); done
check "100 concurrent --service launches: all succeed" test "$failed" = 0
check "...each in its own service" \
	test "$(grep -o "unit=app-open-sesame-sleeper-[0-9]*\.service" "$TMPDIR/many" | sort -u | wc -l)" = 100
"$sesame" stop --all sleeper >/dev/null 2>&1

# ---- UnitNames=xdg: the integration document's form for a service
reconfigure() {
	: >"$TMPDIR/daemon.log"
	printf '[Launcher]\n%s\n' "$1" >"$XDG_CONFIG_HOME/sesame/launcher.conf"
	wait_until 5000 log_has "configuration reloaded"
}
reconfigure UnitNames=xdg
run "$sesame" launch --service org.example.Other
take_pid xdg_pid
xdg_unit=$(unit_in "$out")
check "UnitNames=xdg: app-sesame-ENTRY@N.service" eval '[[ $xdg_unit =~ ^app-sesame-org\.example\.Other@[0-9]+\.service$ ]]'
run "$sesame" launch --single --service org.example.Other
check "...which --single finds" eval 'grep -q "already running: pid=$xdg_pid unit=$xdg_unit" <<<"$out$err"'
run "$sesame" stop org.example.Other
check "...and stop ENTRY stops" eval '[ "$rc" = 0 ] && wait_until 5000 exited "$xdg_pid"'

# ---- the fallbacks: Scope=none (no manager: test-spawn's fallback group)
reconfigure Scope=none
run "$sesame" launch --service sleeper
take_pid direct
check "Scope=none: --service starts it directly, as before (no unit)" \
	eval '[ "$rc" = 0 ] && grep -q "via_scope=false" <<<"$out" && ! grep -q "unit=app" <<<"$out"'

done_testing
