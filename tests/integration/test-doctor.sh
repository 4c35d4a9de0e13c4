#!/bin/bash
# sesame doctor against real parts: the launcher's units in a private user
# manager, gnome-keyring, a notification server, fzf as the picker, a
# systemd-journald in the harness's private /run. First everything passes;
# then each check fails on its own, saying what fixes it.
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../lib/daemon.sh"
. "$(dirname "$0")/../bare-bus.sh"
source=${SESAME_SOURCE:?}

xdg_dirs --home
desktop_entry org.example.Sleeper "sleep 300" Name=Sleeper
"$sesame" keys init >/dev/null
conf=$XDG_CONFIG_HOME/sesame/launcher.conf
printf '[Launcher]\nPicker=fzf\n[LaunchProfile dev]\nEnvironment=A=1\n' >"$conf"

# The units, enabled and listening, as an install and a login leave them.
units=$XDG_RUNTIME_DIR/systemd/user
mkdir -p "$units"
sed "s|@bindir@|$(dirname "$launcherd")|" "$source/contrib/systemd/sesame-launcher.service.in" >"$units/sesame-launcher.service"
cp "$source/contrib/systemd/sesame-launcher.socket" "$units/"
# What a compositor exports to the manager (a display name is all the
# check reads).
systemctl --user set-environment XDG_CONFIG_HOME="$XDG_CONFIG_HOME" XDG_DATA_HOME="$XDG_DATA_HOME" \
	XDG_DATA_DIRS="$XDG_DATA_DIRS" WAYLAND_DISPLAY=wayland-test XDG_CURRENT_DESKTOP=sway \
	DBUS_SESSION_BUS_ADDRESS="$DBUS_SESSION_BUS_ADDRESS"
systemctl --user daemon-reload
systemctl --user enable --now sesame-launcher.socket >/dev/null 2>&1
at_exit 'systemctl --user stop sesame-launcher.socket sesame-launcher.service'

start_journald

start_keyring

notify_recorder "$TMPDIR/notes.jsonl"

export XDG_CURRENT_DESKTOP=sway
# The status and message of one check in the JSON report.
status_of() { /usr/bin/python3 -c 'import json, sys; print([c["status"] for c in json.loads(sys.argv[1])["checks"] if c["name"] == sys.argv[2]][0])' "$out" "$1"; }
fails() { /usr/bin/python3 -c 'import json, sys; print(" ".join(c["name"] for c in json.loads(sys.argv[1])["checks"] if c["status"] == "FAIL"))' "$out"; }
field() { /usr/bin/python3 -c 'import json, sys; print([c[sys.argv[3]] or "" for c in json.loads(sys.argv[1])["checks"] if c["name"] == sys.argv[2]][0])' "$out" "$1" "$2"; }

run "$sesame" doctor --json
check "doctor: every check passes, exit 0" eval '[ "$rc" = 0 ] && [ -z "$(fails)" ] && ! grep -q "\"warn\"\|\"skip\"" <<<"$out"' || echo "# $out"
run "$sesame" doctor
check "...in words: one line per check, each ok" eval '[ "$rc" = 0 ] && [ "$(grep -c "^ok " <<<"$out")" = 8 ]'

# ---- each check failing on its own
systemctl --user stop sesame-launcher.socket sesame-launcher.service
run "$sesame" doctor --json
check "units: the socket stopped -> FAIL, saying what to run (exit 1)" \
	eval '[ "$rc" = 1 ] && [ "$(status_of units)" = FAIL ] && grep -q "systemctl --user start sesame-launcher.socket" <<<"$(field units message)"'
check "...the other parts still pass (the launcher itself cannot answer)" test "$(fails)" = "units launcher"
systemctl --user start sesame-launcher.socket

mv "$XDG_CONFIG_HOME/sesame/cli.key" "$TMPDIR/cli.key"
run "$sesame" doctor --json
check "launcher: this client without a key -> FAIL naming sesame keys init, alone" \
	eval '[ "$(fails)" = launcher ] && grep -q "sesame keys init" <<<"$(field launcher message)"'
mv "$TMPDIR/cli.key" "$XDG_CONFIG_HOME/sesame/cli.key"

printf '[LaunchProfile gh]\nMemroyMax=2G\n' >>"$conf"
run "$sesame" doctor --json
check "configuration: a typo -> FAIL with file:line, alone" \
	eval '[ "$(fails)" = configuration ] && grep -q "$conf:6: unknown key .MemroyMax." <<<"$(field configuration message)"'
printf '[Launcher]\nPicker=fzf\n[LaunchProfile dev]\nEnvironment=A=1\n' >"$conf"

systemctl --user unset-environment WAYLAND_DISPLAY
run "$sesame" doctor --json
check "session environment: no display in the manager -> FAIL, alone, with sway's way to export it" \
	eval '[ "$(fails)" = "session environment" ] && grep -q "WAYLAND_DISPLAY or DISPLAY" <<<"$(field "session environment" message)" &&
		grep -q "in sway.s config: exec systemctl --user import-environment" <<<"$(field "session environment" fix)"'
systemctl --user set-environment WAYLAND_DISPLAY=wayland-test

printf '[Launcher]\nPicker=no-such-picker --dmenu\n' >"$conf"
run "$sesame" doctor --json
check "picker: one that is not installed -> FAIL naming it, alone" \
	eval '[ "$(fails)" = picker ] && grep -q "no-such-picker is not installed" <<<"$(field picker message)"'
printf '[Launcher]\nPicker=fzf\n[LaunchProfile dev]\nEnvironment=A=1\n' >"$conf"

# A session bus of its own for the two checks that ask on it: nothing to
# activate there, so each is there or not as this test starts it.
start_bare_bus
at_exit 'kill "$bare_pid" 2>/dev/null'
bus_notifier=$notifier
DBUS_SESSION_BUS_ADDRESS=$bare_address notify_recorder "$TMPDIR/bare-notes"
notifier=$bus_notifier
DBUS_SESSION_BUS_ADDRESS=$bare_address run "$sesame" doctor --json
check "secret service: none on the bus -> FAIL, alone" \
	eval '[ "$(fails)" = "secret service" ] && grep -q "no Secret Service" <<<"$(field "secret service" message)"'
kill "$notifier"; wait "$notifier" 2>/dev/null
run "$sesame" doctor --json
check "notifications: no server answers -> FAIL, alone" \
	eval '[ "$(fails)" = notifications ] && grep -q "no notification server answers" <<<"$(field notifications message)"'
notify_recorder "$TMPDIR/notes.jsonl"

kill "$journald"
wait "$journald" 2>/dev/null
rm -f /run/systemd/journal/socket /run/systemd/journal/stdout
run "$sesame" doctor --json
check "journal: no journald -> FAIL saying where the output goes, alone" \
	eval '[ "$rc" = 1 ] && [ "$(fails)" = journal ] && grep -q "go to its stderr" <<<"$(field journal message)"'
done_testing
